import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeQueryClient } from '../../app/queryClient'
import { SourceRouteHint, useSourceRoute } from './SourceRoute'

const BOARD_OFFICE = '0b0a0000-0000-4000-8000-000000000001'

function stubApi() {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url)
      const body = url.pathname.endsWith('/item-sources')
        ? {
            data: [
              { category: 'important_matter', source: 'board', needs_approval: false, issuer_is_lead_unit: false, issuer_unit_id: BOARD_OFFICE, office_submits: false },
              { category: 'important_matter', source: 'special_meeting', needs_approval: true, issuer_is_lead_unit: true, office_submits: false },
              { category: 'document', source: 'emergency', needs_approval: false, issuer_is_lead_unit: true, office_submits: true },
            ],
          }
        : { data: [{ id: 'root', name: '集团公司', children: [{ id: BOARD_OFFICE, name: '董事会办公室' }] }] }
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
    }),
  )
}

function Hint({ category, source }: { category: string; source: string }) {
  return <SourceRouteHint route={useSourceRoute(category, source)} />
}

function renderHint(category: string, source: string) {
  return render(
    <QueryClientProvider client={makeQueryClient()}>
      <Hint category={category} source={source} />
    </QueryClientProvider>,
  )
}

afterEach(() => vi.unstubAllGlobals())

describe('SourceRouteHint', () => {
  it('names the issuing unit of a board matter and says approval is skipped', async () => {
    stubApi()
    renderHint('important_matter', 'board')
    expect(await screen.findByText(/由董事会办公室发出督办任务通知/)).toBeInTheDocument()
    expect(screen.getByTestId('source-route')).toHaveTextContent('可省略领导审批环节')
  })

  it('sends a special-topic meeting matter to the leader, issued by the lead unit', async () => {
    stubApi()
    renderHint('important_matter', 'special_meeting')
    const hint = await screen.findByTestId('source-route')
    expect(hint).toHaveTextContent('由牵头部门发出督办任务通知')
    expect(hint).toHaveTextContent('报主管领导审批')
  })

  it('says documents are submitted by the supervision office', async () => {
    stubApi()
    renderHint('document', 'emergency')
    expect(await screen.findByTestId('source-route')).toHaveTextContent('由督办部门直接登记提交')
  })

  it('shows nothing until a source is chosen', async () => {
    stubApi()
    const { container } = renderHint('important_matter', '')
    await new Promise((r) => setTimeout(r, 50))
    expect(container).toBeEmptyDOMElement()
  })
})
