import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { App } from 'antd'
import { describe, expect, it, vi } from 'vitest'
import { AttachmentList, kindOf } from './AttachmentList'
import { downloadAttachment } from './download'
import type { Attachment } from './upload'
import { fixture } from '../../test/fixture'

vi.mock('./download', () => ({ downloadAttachment: vi.fn(() => Promise.resolve()) }))
vi.mock('../../api/users', () => ({ UserName: ({ id }: { id?: string }) => <>{id === 'u-1' ? '张三' : '—'}</> }))

const file: Attachment = fixture({
  id: 'att-1',
  filename: '整改方案（第二稿）.pdf',
  content_type: 'application/pdf',
  size: 1536,
  uploaded_by: 'u-1',
  created_at: '2026-03-02T01:30:00Z',
  owner_type: 'feedback',
})

describe('AttachmentList', () => {
  it('shows name, kind, size, uploader, time and source, and downloads on click', async () => {
    render(
      <App>
        <AttachmentList files={[file]} source labels={{ 'att-1': '报告' }} />
      </App>,
    )
    expect(screen.getByText('报告')).toBeInTheDocument()
    expect(screen.getByText(/PDF · 1\.5 KB · 张三 · 2026-03-02 09:30 · 进展反馈/)).toBeInTheDocument()
    fireEvent.click(screen.getByRole('button', { name: '整改方案（第二稿）.pdf' }))
    await waitFor(() => expect(downloadAttachment).toHaveBeenCalledWith(file))
  })

  it('names the kinds the server accepts', () => {
    expect(kindOf('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('word')
    expect(kindOf('application/vnd.ms-excel')).toBe('excel')
    expect(kindOf('image/png')).toBe('image')
    expect(kindOf('text/plain')).toBe('text')
    expect(kindOf(undefined)).toBe('other')
  })
})
