import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, within } from '@testing-library/react'
import { App as AntApp, ConfigProvider, Form } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeQueryClient } from '../../app/queryClient'
import { HandoverFields } from './HandoverFields'

afterEach(() => vi.unstubAllGlobals())

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })

function renderFields(holdings: unknown, toUnit?: string) {
  const seen: string[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url)
      seen.push(url.pathname + url.search)
      if (url.pathname.endsWith('/holdings')) return json(holdings)
      return json({ data: [], total: 0, page: 1, page_size: 30 })
    }),
  )
  render(
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <QueryClientProvider client={makeQueryClient()}>
          <Form>
            <HandoverFields userIds={['u1']} toUnit={toUnit} />
          </Form>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  )
  return seen
}

describe('HandoverFields', () => {
  it('lists what is handed over with the defaults and asks for a leader when none is default', async () => {
    const seen = renderFields({
      user_id: 'u1',
      delegations: 0,
      successor_required: true,
      holdings: [
        { role: 'supervising_leader', item_id: 'i1', item_code: 'DB-2026-0001', item_title: '安全生产专项整治', pending_decisions: 1, handed_over: true, default_successor: null },
        { role: 'responsible', item_id: 'i2', item_title: '财务检查', unit_name: '财务部', pending_decisions: 0, handed_over: true, default_successor: { id: 'h1', display_name: '王部长' } },
        { role: 'head', unit_name: '规划部', pending_decisions: 0, handed_over: false, default_successor: null },
      ],
    }, 'unit9')
    const table = await screen.findByTestId('handover')
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(2) // the head post stays with the move
    expect(rows[0]).toHaveTextContent('分管领导DB-2026-0001 安全生产专项整治待决策 1 项无，需指定')
    expect(rows[1]).toHaveTextContent('承办人财务检查（财务部）王部长')
    expect(screen.getByTestId('handover-required')).toBeInTheDocument()
    expect(screen.getByText('分管领导接任人')).toBeInTheDocument()
    expect(screen.queryByText('单位主要负责人接任人')).not.toBeInTheDocument()
    expect(seen[0]).toBe('/api/v1/users/u1/holdings?unit_id=unit9')
  })

  it('says so when nothing is held', async () => {
    renderFields({ user_id: 'u1', delegations: 0, successor_required: false, holdings: [] })
    expect(await screen.findByTestId('handover-none')).toHaveTextContent('没有需要交接')
  })
})
