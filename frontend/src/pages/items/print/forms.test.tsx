import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemoryRouter, Route, Routes } from 'react-router'
import { makeQueryClient } from '../../../app/queryClient'
import { setLanguage } from '../../../i18n'
import type { PrintData } from './data'
import NoticePrintPage, { Notice } from './NoticePrintPage'
import SheetPrintPage from './SheetPrintPage'
import { UrgeNotice, urgeOrdinal } from './UrgePrintPage'
import type { Item, Names } from './rows'
import { fixture } from '../../../test/fixture'

afterEach(async () => {
  vi.unstubAllGlobals()
  await setLanguage('zh-CN')
})

const users: Record<string, string> = { u1: '张三', lead: '王主任', boss: '赵总', off: '钱处长' }
const unitNames: Record<string, string> = { grp: '中国测试集团公司', gp: '规划发展部', aq: '安全监察部', bgt: '办公厅' }
const names: Names = { user: (id) => (id ? (users[id] ?? '') : ''), unit: (id) => (id ? (unitNames[id] ?? '') : '') }

const item: Item = fixture({
  id: 'i1',
  code: 'DB-2026-0007',
  title: '落实安全生产专项整治',
  content: '开展全系统安全隐患排查',
  requirements: '6月底前完成整改',
  category: 'important_matter',
  source: 'group_meeting',
  meeting_type: 'gm_office',
  source_ref: '2026年第3次总经理办公会',
  scope_id: 'grp',
  notice_issuer_unit_id: 'bgt',
  lead_unit_id: 'gp',
  cooperating_unit_ids: ['aq'],
  assisting_leader_ids: [],
  supervising_leader_id: 'boss',
  initiator_unit_id: 'bgt',
  initiator_user_id: 'off',
  deadline: '2026-07-31',
  original_deadline: '2026-06-30',
  feedback_cadence: 'monthly',
  method: 'special',
  urgency: 'urgent',
  state: 'in_progress',
  progress: 40,
  issued_at: '2026-03-02T01:00:00Z',
})

const orgTree = {
  id: 'grp',
  name: '中国测试集团公司',
  scope_id: 'grp',
  children: [
    { id: 'gp', name: '规划发展部', scope_id: 'grp', head: { id: 'lead', display_name: '王主任' }, children: [] },
    { id: 'aq', name: '安全监察部', scope_id: 'grp', children: [] },
    { id: 'bgt', name: '办公厅', scope_id: 'grp', is_supervision_office: true, head: { id: 'off', display_name: '钱处长' }, children: [] },
  ],
}

const data: PrintData = {
  item,
  assignments: [
    fixture({ id: 'a1', unit_id: 'gp', role: 'lead', state: 'accepted', accepted_by: 'lead', accepted_at: '2026-03-03T01:30:00Z' }),
    fixture({ id: 'a2', unit_id: 'aq', role: 'cooperating', state: 'pending' }),
  ],
  milestones: [fixture({ id: 'm1', title: '完成排查', due_date: '2026-04-30', sort: 1 })],
  units: fixture([orgTree, ...orgTree.children]),
  names,
  route: fixture({ category: 'important_matter', source: 'special_meeting', needs_approval: true, issuer_is_lead_unit: true, office_submits: false }),
  initiatorPhone: '010-12345678',
  feedback: [],
  urges: [],
  extensions: [],
  deadlineChanges: [
    fixture({ id: 'c1', kind: 'extension', from_deadline: '2026-06-30', to_deadline: '2026-07-31', leader_id: 'boss', created_at: '2026-06-20T02:00:00Z' }),
  ],
  completions: [],
  verifications: [],
  comments: [],
  events: [fixture({ id: 'e1', action: 'issue', actor_id: 'off', at: '2026-03-02T01:00:00Z' })],
}

describe('the task notice (附件1)', () => {
  it('fills the form from the item', () => {
    render(<Notice data={data} />)
    expect(screen.getByTestId('print-title')).toHaveTextContent('中国测试集团公司督查督办任务通知')
    expect(screen.getByTestId('print-number')).toHaveTextContent('编号：DB-2026-0007')
    expect(screen.getByTestId('notice-issuer')).toHaveTextContent('办公厅')
    expect(screen.getByTestId('notice-deadline')).toHaveTextContent('2026-07-31')
    expect(screen.getByText('（原定 2026-06-30，已调整）')).toBeInTheDocument()
    expect(screen.getByText('010-12345678')).toBeInTheDocument()
    const receipt = within(screen.getByTestId('notice-receipt'))
    const rows = receipt.getAllByRole('row')
    expect(rows[1]).toHaveTextContent('规划发展部牵头王主任2026-03-03 09:30')
    expect(rows[2]).toHaveTextContent('安全监察部配合')
  })

  it('sends a special meeting’s notice from the office to the lead unit, with the office’s phone and no "。，"', () => {
    const special: Item = {
      ...item,
      source: 'special_meeting',
      source_ref: '2026年第2次安全生产专题会议纪要。',
      notice_issuer_unit_id: 'gp',
      initiator_unit_id: 'gp',
    }
    const { container } = render(
      <Notice data={{ ...data, item: special, office: fixture({ phone: '0571-87001234', person: '王敏', version: 1 }) }} />,
    )
    expect(screen.getByTestId('notice-issuer')).toHaveTextContent('办公厅')
    expect(screen.getByText('主送：规划发展部')).toBeInTheDocument()
    expect(screen.getByText('配合：安全监察部')).toBeInTheDocument()
    expect(container.textContent).toContain('根据2026年第2次安全生产专题会议纪要，现将')
    expect(container.textContent).not.toMatch(/[。.][，,]/)
    expect(screen.getByTestId('notice-phone')).toHaveTextContent('0571-87001234')
    expect(screen.getByTestId('notice-contact')).toHaveTextContent('王敏')
  })

  it('speaks English and keeps the Chinese form name', async () => {
    await setLanguage('en')
    render(<Notice data={data} />)
    expect(screen.getByTestId('print-title')).toHaveTextContent('中国测试集团公司 — Supervision Task Notice')
    expect(screen.getByText('督查督办任务通知')).toBeInTheDocument()
    expect(screen.getByText('Issued by')).toBeInTheDocument()
  })
})

// --- the pages with the API stubbed ---------------------------------------------

function stubApi(routes: Record<string, unknown>) {
  const fetch = vi.fn(async (input: Request) => {
    const path = new URL(input.url).pathname.replace('/api/v1', '')
    if (path in routes) return new Response(JSON.stringify(routes[path]), { status: 200, headers: { 'Content-Type': 'application/json' } })
    const user = /^\/users\/(.+)$/.exec(path)
    if (user) return new Response(JSON.stringify({ id: user[1], display_name: users[user[1]] }), { status: 200, headers: { 'Content-Type': 'application/json' } })
    return new Response(JSON.stringify({ status: 404, code: 'not_found', title: 'Not Found' }), {
      status: 404,
      headers: { 'Content-Type': 'application/problem+json' },
    })
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}

function renderAt(path: string) {
  return render(
    <QueryClientProvider client={makeQueryClient()}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/items/:id/print/notice" element={<NoticePrintPage />} />
          <Route path="/items/:id/print/sheet" element={<SheetPrintPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  )
}

const list = <T,>(rows: T[]) => ({ data: rows, total: rows.length, page: 1, page_size: 100 })

describe('the urging notice (催办通知)', () => {
  const first = { id: 'u1', unit_id: 'gp', kind: 'manual' as const, message: '请尽快报送排查台账', created_by: 'off', created_at: '2026-04-01T02:00:00Z' }
  const other = { id: 'u2', unit_id: 'aq', kind: 'auto' as const, message: '已逾期', created_at: '2026-04-02T02:00:00Z' }
  const second = {
    id: 'u3', unit_id: 'gp', kind: 'manual' as const, message: '再次催办：本周五前报送', created_by: 'off', created_at: '2026-04-08T02:00:00Z',
    acknowledged_by: 'lead', acknowledged_at: '2026-04-08T06:00:00Z',
  }

  it('counts the urges to the same unit', () => {
    expect(urgeOrdinal([fixture(second), fixture(other), fixture(first)], fixture(second))).toBe(2)
    expect(urgeOrdinal([fixture(second), fixture(other), fixture(first)], fixture(other))).toBe(1)
  })

  it('addresses the unit, quotes the urge and fills the receipt once acknowledged', () => {
    render(<UrgeNotice data={{ ...data, urges: [fixture(first), fixture(other), fixture(second)] }} urge={fixture(second)} />)
    expect(screen.getByTestId('print-title')).toHaveTextContent('中国测试集团公司督查督办催办通知')
    expect(screen.getByTestId('print-number')).toHaveTextContent('督办编号：DB-2026-0007 · 第 2 次催办')
    expect(screen.getByTestId('urge-to')).toHaveTextContent('规划发展部：')
    expect(screen.getByTestId('urge-message')).toHaveTextContent('再次催办：本周五前报送')
    expect(screen.getByTestId('urge-acknowledged-by')).toHaveTextContent('王主任')
    expect(screen.getByText(/办公厅（盖章）/)).toBeInTheDocument()
  })
})

describe('the print pages', () => {
  it('show 404 for an item the user may not see, with the way back', async () => {
    stubApi({})
    renderAt('/items/nope/print/notice')
    expect(await screen.findByText('页面不存在')).toBeInTheDocument()
    expect(screen.getByTestId('print-back')).toBeInTheDocument()
    expect(screen.getByTestId('print-button')).toBeDisabled()
  })

  it('load every sub-resource of the sheet and render the records', async () => {
    const fetch = stubApi({
      '/items/i1': item,
      '/items/i1/assignments': { data: data.assignments },
      '/items/i1/milestones': { data: data.milestones },
      '/org-units': { data: [orgTree], total: 4 },
      '/items/i1/feedback': list([
        { id: 'f1', state: 'accepted', progress: 40, unit_id: 'gp', content: '已完成排查', submitted_by: 'lead', submitted_at: '2026-04-01T00:00:00Z' },
      ]),
      '/items/i1/urges': list([]),
      '/items/i1/events': list(data.events),
      '/items/i1/comments': list([{ id: 'k1', kind: 'instruction', body: '抓紧落实', author_id: 'boss', created_at: '2026-03-05T00:00:00Z' }]),
      '/items/i1/extensions': { data: [] },
      '/items/i1/deadline-changes': { data: data.deadlineChanges },
      '/items/i1/completion-requests': { data: [] },
      '/items/i1/verifications': { data: [] },
      '/items/i1/methods': {
        joint_units: [{ unit_id: 'aq', added_by: 'off', added_at: '2026-03-04T00:00:00Z' }],
        visits: [
          { id: 'v1', item_id: 'i1', visited_on: '2026-04-02', place: '宁东项目现场', visitor_ids: ['off'], authorised_by: 'boss',
            findings: '主体工程完成六成', created_by: 'off', created_at: '2026-04-02T08:00:00Z', attachments: [] },
        ],
        coordinations: [],
        allowed_actions: [],
      },
      '/item-sources': { data: [data.route] },
    })
    renderAt('/items/i1/print/sheet')
    expect(await screen.findByTestId('print-paper')).toBeInTheDocument()
    expect(screen.getByTestId('print-title')).toHaveTextContent('中国测试集团公司督查督办事项处理单')
    expect(within(screen.getByTestId('sheet-visits')).getByText('宁东项目现场')).toBeInTheDocument()
    expect(screen.getByTestId('sheet-joint-units')).toHaveTextContent('安全监察部')
    expect(within(screen.getByTestId('sheet-feedback')).getByText('已完成排查')).toBeInTheDocument()
    expect(within(screen.getByTestId('sheet-comments')).getByText('抓紧落实')).toBeInTheDocument()
    const deadlines = within(screen.getByTestId('sheet-deadlines')).getAllByRole('row')
    expect(deadlines).toHaveLength(3)
    expect(deadlines[2]).toHaveTextContent('批准延期2026-06-302026-07-31赵总')
    expect(screen.getByTestId('signoff-office')).toHaveTextContent('应签：钱处长')
    expect(screen.getByTestId('print-button')).toBeEnabled()
    expect(document.title).toBe('督查督办事项处理单 DB-2026-0007')
    const asked = fetch.mock.calls.map(([r]) => new URL(r.url).pathname)
    expect(asked).toContain('/api/v1/items/i1/verifications')
    expect(asked).toContain('/api/v1/users/boss')
    expect(asked).toContain('/api/v1/item-sources')
  })
})
