import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App as AntApp, ConfigProvider } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeQueryClient } from '../../app/queryClient'
import { ME_KEY } from '../../auth/auth'
import WebhooksPage from './WebhooksPage'

afterEach(() => vi.unstubAllGlobals())

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

const hook = {
  id: '0190c3f4-7a2b-7c1d-9e8f-0123456789ab',
  url: 'https://oa.example.com/hook',
  description: 'OA',
  event_types: ['item.*'],
  enabled: true,
  failing_since: null,
  disabled_at: null,
  disabled_reason: '',
  version: 1,
}

function renderPage(roles: string[], net: (req: Request) => Promise<Response>) {
  vi.stubGlobal('fetch', vi.fn(net))
  const qc = makeQueryClient()
  qc.setQueryData(ME_KEY, { username: 'u', roles })
  render(
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <QueryClientProvider client={qc}>
          <MemoryRouter>
            <WebhooksPage />
          </MemoryRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  )
}

describe('WebhooksPage', () => {
  it('is for administrators only', async () => {
    renderPage(['supervisor'], () => Promise.reject(new Error('no request expected')))
    expect(await screen.findByText('无权访问')).toBeInTheDocument()
  })

  it('creates a subscription and shows its secret in the answer only', async () => {
    const user = userEvent.setup()
    let posted: unknown = null
    const list = [hook]
    renderPage(['admin'], async (req) => {
      const path = new URL(req.url).pathname
      if (req.method === 'GET' && path === '/api/v1/webhooks') return json(200, { data: list })
      if (req.method === 'POST' && path === '/api/v1/webhooks') {
        posted = await req.json()
        const created = { ...hook, id: '0190c3f4-7a2b-7c1d-9e8f-0123456789ac', url: 'https://erp.example.com/in' }
        list.push(created)
        return json(201, { ...created, secret: 'whsec_c2VjcmV0LXNob3duLW9uY2U=' })
      }
      throw new Error(`unexpected ${req.method} ${path}`)
    })
    expect(await screen.findByText('https://oa.example.com/hook')).toBeInTheDocument()
    await user.click(screen.getByTestId('webhook-add'))
    await user.type(await screen.findByTestId('webhook-url'), 'https://erp.example.com/in')
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: /新\s*建/ }))
    const secret = await screen.findByTestId('webhook-secret')
    expect(secret).toHaveTextContent('whsec_c2VjcmV0LXNob3duLW9uY2U=')
    expect(posted).toEqual({ url: 'https://erp.example.com/in', event_types: ['item.*'] })
    // the list, read again, never carries it
    expect(await within(screen.getByTestId('webhook-table')).findByText('https://erp.example.com/in')).toBeInTheDocument()
    expect(screen.getByTestId('webhook-table').textContent).not.toContain('whsec_')
  }, 60_000)
})
