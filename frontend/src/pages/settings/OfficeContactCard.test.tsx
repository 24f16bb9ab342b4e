import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App as AntApp } from 'antd'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeQueryClient } from '../../app/queryClient'
import { OfficeContactCard } from './OfficeContactCard'

afterEach(() => vi.unstubAllGlobals())

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } })

const contact = (version: number, phone = '', person = '') => ({ scope_id: 's', phone, person, version, updated_at: null, updated_by: null })

describe('OfficeContactCard', () => {
  it('saves the office phone and person with If-Match', async () => {
    let sent: { ifMatch: string | null; body: unknown } | null = null
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        expect(new URL(req.url).pathname).toBe('/api/v1/settings/office-contact')
        if (req.method === 'GET') return json(200, contact(0))
        sent = { ifMatch: req.headers.get('If-Match'), body: await req.json() }
        return json(200, contact(1, '0571-87001234', '王敏'))
      }),
    )
    render(
      <AntApp>
        <QueryClientProvider client={makeQueryClient()}>
          <OfficeContactCard canEdit />
        </QueryClientProvider>
      </AntApp>,
    )
    const user = userEvent.setup()
    await user.type(await screen.findByTestId('office-contact-phone'), '0571-87001234')
    await user.type(screen.getByTestId('office-contact-person'), '王敏')
    await user.click(screen.getByTestId('office-contact-save'))
    await waitFor(() => expect(sent).toEqual({ ifMatch: '"0"', body: { phone: '0571-87001234', person: '王敏' } }))
  })

  it('is read-only for whoever may not change it', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(200, contact(2, '010-1', '李四'))))
    render(
      <AntApp>
        <QueryClientProvider client={makeQueryClient()}>
          <OfficeContactCard canEdit={false} />
        </QueryClientProvider>
      </AntApp>,
    )
    expect(await screen.findByDisplayValue('010-1')).toBeDisabled()
    expect(screen.queryByTestId('office-contact-save')).toBeNull()
  })
})
