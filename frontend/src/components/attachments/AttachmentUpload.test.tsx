import { QueryClientProvider } from '@tanstack/react-query'
import { act, fireEvent, render as rtlRender, screen, waitFor } from '@testing-library/react'
import { Button, Form } from 'antd'
import i18n from 'i18next'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ReactElement } from 'react'
import { makeQueryClient } from '../../app/queryClient'
import { FakeXHR } from '../../test/fakeXhr'
import { attachmentIds, AttachmentUpload, uploadsDoneRule, type UploadEntry } from './AttachmentUpload'

const pdf = (name = '整改方案.pdf', size = 2048) => new File([new Uint8Array(size)], name, { type: 'application/pdf' })

/** the policy the stubbed server answers (GET /attachments/policy) */
let policyMax = 20 << 20
const render = (ui: ReactElement) => rtlRender(<QueryClientProvider client={makeQueryClient()}>{ui}</QueryClientProvider>)

function setup(maxBytes?: number) {
  const changes: UploadEntry[][] = []
  render(<AttachmentUpload itemId="item-1" maxBytes={maxBytes} onChange={(v) => changes.push(v)} />)
  // The picker replaces its input after every pick: look it up each time.
  const pick = (...files: File[]) => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="attachment-upload"] input[type=file]')
    if (!input) throw new Error('no file input')
    fireEvent.change(input, { target: { files } })
  }
  const last = () => changes[changes.length - 1] ?? []
  return { pick, last }
}

async function nextXhr(n = 1): Promise<FakeXHR> {
  await waitFor(() => expect(FakeXHR.all.length).toBeGreaterThanOrEqual(n))
  return FakeXHR.all[n - 1]
}

beforeEach(() => {
  FakeXHR.all = []
  vi.stubGlobal('XMLHttpRequest', FakeXHR)
  policyMax = 20 << 20
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify({ max_bytes: policyMax, types: [] }), { status: 200, headers: { 'Content-Type': 'application/json' } })),
  )
})
afterEach(() => vi.unstubAllGlobals())

describe('AttachmentUpload', () => {
  it('takes the size limit from the server policy and refuses a larger file before sending', async () => {
    policyMax = 1024
    const { pick, last } = setup()
    expect(await screen.findByText(/单个不超过 1.0 KB/)).toBeInTheDocument()
    pick(pdf('大文件.pdf', 4096))
    expect(await screen.findByText(/文件超过 1.0 KB 的大小限制/)).toBeInTheDocument()
    expect(FakeXHR.all).toHaveLength(0)
    expect(attachmentIds(last())).toEqual([])
  })

  it('shows the progress and returns the id of the stored file', async () => {
    const { pick, last } = setup()
    pick(pdf())
    const xhr = await nextXhr()
    expect(xhr.method).toBe('POST')
    expect(xhr.url).toBe('/api/v1/attachments')
    expect(xhr.body?.get('item_id')).toBe('item-1')
    expect((xhr.body?.get('file') as File).name).toBe('整改方案.pdf')

    act(() => xhr.progress(512, 1024))
    expect(await screen.findByText('50%')).toBeInTheDocument()
    expect(screen.getByTestId('upload-entry')).toHaveAttribute('data-status', 'uploading')
    expect(attachmentIds(last())).toEqual([])

    act(() => xhr.respond(201, { id: 'att-1', filename: '整改方案.pdf', size: 2048, content_type: 'application/pdf' }))
    await waitFor(() => expect(screen.getByTestId('upload-entry')).toHaveAttribute('data-status', 'done'))
    expect(screen.queryByText('50%')).not.toBeInTheDocument()
    expect(attachmentIds(last())).toEqual(['att-1'])
  })

  it('uploads several files at once, each on its own', async () => {
    const { pick, last } = setup()
    pick(pdf('一.pdf'), pdf('二.pdf'))
    const second = await nextXhr(2)
    const first = FakeXHR.all[0]
    act(() => second.respond(201, { id: 'att-2' }))
    act(() => first.respond(201, { id: 'att-1' }))
    await waitFor(() => expect(attachmentIds(last())).toEqual(['att-1', 'att-2']))
  })

  it('shows why the server refused a file, in the user language', async () => {
    const { pick, last } = setup()
    pick(pdf('大文件.pdf'), pdf('程序.pdf'))
    const big = await nextXhr(1)
    const exe = await nextXhr(2)
    act(() => big.respond(413, { status: 413, code: 'payload_too_large', detail: 'the file is larger than the limit of 10 MB', max_bytes: 10 << 20 }))
    act(() =>
      exe.respond(415, { status: 415, code: 'unsupported_media_type', detail: 'files of type application/x-msdownload are not accepted', detected_type: 'application/x-msdownload' }),
    )
    expect(await screen.findByText('上传失败：文件超过 10 MB 的大小限制')).toBeInTheDocument()
    expect(screen.getByText(/不支持此类文件（application\/x-msdownload）/)).toBeInTheDocument()
    expect(attachmentIds(last())).toEqual([])
  })

  it('refuses a file above the limit without sending it', async () => {
    const { pick, last } = setup(1024)
    pick(pdf('扫描件.pdf', 4096))
    expect(await screen.findByText('上传失败：文件超过 1.0 KB 的大小限制')).toBeInTheDocument()
    expect(FakeXHR.all).toHaveLength(0)
    expect(attachmentIds(last())).toEqual([])
  })

  it('removes a stored file and cancels one on its way', async () => {
    const { pick, last } = setup()
    pick(pdf('留下.pdf'))
    const kept = await nextXhr(1)
    act(() => kept.respond(201, { id: 'att-1' }))
    await waitFor(() => expect(attachmentIds(last())).toEqual(['att-1']))

    pick(pdf('取消.pdf'))
    const running = await nextXhr(2)
    await screen.findByText('0%')
    const buttons = screen.getAllByTestId('upload-remove')
    fireEvent.click(buttons[1])
    expect(running.aborted).toBe(true)
    await waitFor(() => expect(screen.getAllByTestId('upload-entry')).toHaveLength(1))
    expect(screen.queryByText(/上传失败/)).not.toBeInTheDocument()

    fireEvent.click(screen.getByTestId('upload-remove'))
    await waitFor(() => expect(screen.queryByTestId('upload-entry')).not.toBeInTheDocument())
    expect(last()).toEqual([])
  })

  it('holds a form back while a file is still on its way', async () => {
    const submitted: string[][] = []
    render(
      <Form onFinish={(v: { attachment_ids?: UploadEntry[] }) => submitted.push(attachmentIds(v.attachment_ids))}>
        <Form.Item name="attachment_ids" rules={[uploadsDoneRule(i18n.t)]}>
          <AttachmentUpload itemId="item-1" />
        </Form.Item>
        <Button htmlType="submit">send</Button>
      </Form>,
    )
    const input = document.querySelector<HTMLInputElement>('input[type=file]')
    if (!input) throw new Error('no file input')
    fireEvent.change(input, { target: { files: [pdf()] } })
    const xhr = await nextXhr()
    // no complaint while nobody submits
    expect(screen.queryByText('还有文件正在上传，请等待完成或取消')).not.toBeInTheDocument()
    fireEvent.click(screen.getByRole('button', { name: 'send' }))
    expect(await screen.findByText('还有文件正在上传，请等待完成或取消')).toBeInTheDocument()
    expect(submitted).toHaveLength(0)
    act(() => xhr.respond(201, { id: 'att-9' }))
    await waitFor(() => expect(screen.queryByText('还有文件正在上传，请等待完成或取消')).not.toBeInTheDocument())
    fireEvent.click(screen.getByRole('button', { name: 'send' }))
    await waitFor(() => expect(submitted).toEqual([['att-9']]))
  })
})
