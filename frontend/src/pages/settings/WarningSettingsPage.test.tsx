import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App as AntApp, ConfigProvider } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeQueryClient } from '../../app/queryClient'
import { ME_KEY } from '../../auth/auth'
import WarningSettingsPage from './WarningSettingsPage'

afterEach(() => vi.unstubAllGlobals())

function json(status: number, body: unknown) {
  const type = status >= 400 ? 'application/problem+json' : 'application/json'
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })
}

const settings = (version: number, blue = 3, grace = 0) => ({
  blue_workdays: blue,
  feedback_grace_workdays: grace,
  version,
  updated_at: '2026-03-02T01:00:00Z',
})

/** Renders the page for a user with these roles; `put` answers the save. */
function renderPage(roles: string[], answers: { get: () => Response; put?: (req: Request) => Promise<Response> }) {
  const net = vi.fn(async (req: Request) => {
    const path = new URL(req.url).pathname
    expect(path).toBe('/api/v1/settings/warnings')
    if (req.method === 'GET') return answers.get()
    if (req.method === 'PUT' && answers.put) return answers.put(req)
    throw new Error(`unexpected ${req.method} ${path}`)
  })
  vi.stubGlobal('fetch', net)
  const qc = makeQueryClient()
  qc.setQueryData(ME_KEY, { username: 'u', roles })
  render(
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <QueryClientProvider client={qc}>
          <WarningSettingsPage />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  )
  return net
}

async function setBlue(user: ReturnType<typeof userEvent.setup>, value: string) {
  const input = await screen.findByLabelText('蓝灯提前量')
  await user.clear(input)
  await user.type(input, value)
}

describe('WarningSettingsPage', () => {
  it('saves with If-Match and shows the API range error on its field', async () => {
    let sent: { ifMatch: string | null; body: unknown } | null = null
    renderPage(['admin'], {
      get: () => json(200, settings(2)),
      put: async (req) => {
        sent = { ifMatch: req.headers.get('If-Match'), body: await req.json() }
        return json(422, {
          status: 422,
          code: 'validation_failed',
          title: 'Validation failed',
          errors: [{ field: 'blue_workdays', rule: 'range', message: 'must be between 1 and 30' }],
        })
      },
    })
    expect(await screen.findByText(/第 2 次修改/)).toBeInTheDocument()
    const user = userEvent.setup()
    await setBlue(user, '5')
    await user.click(screen.getByTestId('warnings-save'))
    await waitFor(() => expect(sent).not.toBeNull())
    expect(sent).toEqual({ ifMatch: '"2"', body: { blue_workdays: 5, feedback_grace_workdays: 0 } })
    // on the field, in the user's language, with the bounds
    expect(await screen.findByText('请输入 1 到 30 之间的整数')).toBeInTheDocument()
    expect(screen.getByTestId('warnings-error')).toHaveTextContent('请检查并修正标红的字段')
  })

  it('says so on a 412 and reloads the current settings', async () => {
    let current = settings(2)
    renderPage(['admin'], {
      get: () => json(200, current),
      put: async () => {
        // someone else saved version 3 meanwhile
        current = settings(3, 7, 2)
        return json(412, { status: 412, code: 'precondition_failed', title: 'Precondition Failed' })
      },
    })
    const user = userEvent.setup()
    await setBlue(user, '4')
    await user.click(screen.getByTestId('warnings-save'))
    expect(await screen.findByText(/预警设置已被他人修改/)).toBeInTheDocument()
    await user.click(screen.getByTestId('warnings-reload'))
    await waitFor(() => expect(screen.getByLabelText('蓝灯提前量')).toHaveValue('7'))
    expect(screen.getByLabelText('反馈宽限')).toHaveValue('2')
    expect(screen.getByText(/第 3 次修改/)).toBeInTheDocument()
    expect(screen.queryByTestId('warnings-error')).not.toBeInTheDocument()
  })

  it('checks the bounds before sending', async () => {
    const net = renderPage(['admin'], { get: () => json(200, settings(0)) })
    expect(await screen.findByText('尚未修改过，当前为默认值。')).toBeInTheDocument()
    const user = userEvent.setup()
    await setBlue(user, '0')
    await user.click(screen.getByTestId('warnings-save'))
    expect(await screen.findByText('请输入 1 到 30 之间的整数')).toBeInTheDocument()
    expect(net.mock.calls.map(([r]) => (r as Request).method)).toEqual(['GET'])
  })

  it('is an admin page: others get the 403 state and no request', async () => {
    const net = renderPage(['supervisor'], { get: () => json(200, settings(1)) })
    expect(await screen.findByText('无权访问')).toBeInTheDocument()
    expect(screen.queryByTestId('warnings-form')).not.toBeInTheDocument()
    expect(net).not.toHaveBeenCalled()
  })
})
