import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App as AntApp, ConfigProvider } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeQueryClient } from '../../app/queryClient'
import { ME_KEY } from '../../auth/auth'
import ReminderSettingsPage, { toBody, toValues } from './ReminderSettingsPage'

afterEach(() => vi.unstubAllGlobals())

function json(status: number, body: unknown) {
  const type = status >= 400 ? 'application/problem+json' : 'application/json'
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })
}

const defaults = (version: number) => ({
  scope_id: '00000000-0000-0000-0000-000000000001',
  deadline_approaching: { enabled: true, days_before: [3, 1] },
  overdue: { enabled: true },
  feedback_due: { enabled: true, days_before: [0] },
  feedback_overdue: { enabled: true },
  assignment_not_accepted: { enabled: true, after_workdays: 2 },
  extension_waiting: { enabled: true, after_workdays: 3 },
  completion_waiting: { enabled: true, after_workdays: 3 },
  escalation: { enabled: true, after_workdays: 5 },
  version,
  updated_at: version ? '2027-03-02T01:00:00Z' : null,
  updated_by: version ? '00000000-0000-0000-0000-000000000002' : null,
})

function renderPage(roles: string[], answers: { get: () => Response; put?: (req: Request) => Promise<Response> }) {
  const net = vi.fn(async (req: Request) => {
    // the office's contact card on the same page (OfficeContactCard.test.tsx)
    if (new URL(req.url).pathname === '/api/v1/settings/office-contact') return json(200, { scope_id: 's', phone: '', person: '', version: 0, updated_at: null, updated_by: null })
    expect(new URL(req.url).pathname).toBe('/api/v1/settings/reminders')
    if (req.method === 'GET') return answers.get()
    if (req.method === 'PUT' && answers.put) return answers.put(req)
    throw new Error(`unexpected ${req.method}`)
  })
  vi.stubGlobal('fetch', net)
  const qc = makeQueryClient()
  qc.setQueryData(ME_KEY, { username: 'u', roles })
  render(
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <QueryClientProvider client={qc}>
          <ReminderSettingsPage />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  )
  return net
}

describe('ReminderSettingsPage', () => {
  it('sends every rule with only its own parameter', () => {
    expect(toBody(toValues(defaults(0)))).toEqual({
      deadline_approaching: { enabled: true, days_before: [3, 1] },
      overdue: { enabled: true },
      feedback_due: { enabled: true, days_before: [0] },
      feedback_overdue: { enabled: true },
      assignment_not_accepted: { enabled: true, after_workdays: 2 },
      extension_waiting: { enabled: true, after_workdays: 3 },
      completion_waiting: { enabled: true, after_workdays: 3 },
      escalation: { enabled: true, after_workdays: 5 },
    })
  })

  it('saves a change with If-Match', async () => {
    let sent: { ifMatch: string | null; body: Record<string, unknown> } | null = null
    renderPage(['supervisor'], {
      get: () => json(200, defaults(0)),
      put: async (req) => {
        sent = { ifMatch: req.headers.get('If-Match'), body: (await req.json()) as Record<string, unknown> }
        return json(200, { ...defaults(1), overdue: { enabled: false } })
      },
    })
    expect(await screen.findByText('尚未修改，当前为默认规则。')).toBeInTheDocument()
    const user = userEvent.setup()
    await user.click(screen.getByTestId('reminders-overdue-enabled'))
    await user.click(screen.getByTestId('reminders-save'))
    await waitFor(() => expect(sent).not.toBeNull())
    expect(sent!.ifMatch).toBe('"0"')
    expect(sent!.body.overdue).toEqual({ enabled: false })
    expect(sent!.body.escalation).toEqual({ enabled: true, after_workdays: 5 })
  })

  it('is read-only for auditors and closed to members', async () => {
    renderPage(['auditor'], { get: () => json(200, defaults(0)) })
    expect(await screen.findByText('只有督办处和系统管理员可以修改规则。')).toBeInTheDocument()
    expect(screen.queryByTestId('reminders-save')).not.toBeInTheDocument()
  })

  it('shows the 403 state to members without asking', async () => {
    const net = renderPage(['member'], { get: () => json(200, defaults(0)) })
    expect(await screen.findByText('无权访问')).toBeInTheDocument()
    expect(net).not.toHaveBeenCalled()
  })
})
