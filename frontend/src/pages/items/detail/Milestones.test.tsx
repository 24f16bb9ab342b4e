import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App as AntApp, ConfigProvider } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeQueryClient } from '../../../app/queryClient'
import type { Item } from '../ui'
import type { Milestone } from '../types'
import { Milestones } from './Milestones'
import { fixture } from '../../../test/fixture'

afterEach(() => vi.unstubAllGlobals())

function json(status: number, body?: unknown) {
  if (status === 204) return new Response(null, { status })
  const type = status >= 400 ? 'application/problem+json' : 'application/json'
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })
}

const ITEM = '11111111-1111-4111-8111-111111111111'
const both = ['delete', 'update']
const m1: Milestone = fixture({ id: 'aaaaaaaa-0000-4000-8000-000000000001', item_id: ITEM, title: '完成现场排查', due_date: '2099-03-31', done: false, version: 3, allowed_actions: both })
const m2: Milestone = fixture({ id: 'aaaaaaaa-0000-4000-8000-000000000002', item_id: ITEM, title: '形成整治报告', due_date: '2099-05-31', done: false, version: 1, allowed_actions: both })

type Handler = (req: Request) => Response | Promise<Response>

/** Renders the milestones of an item; `routes` answers "METHOD /path" (API base cut off). */
function renderMilestones(item: Item, list: () => Milestone[], routes: Record<string, Handler> = {}) {
  const net = vi.fn(async (req: Request) => {
    const path = new URL(req.url).pathname.replace('/api/v1', '')
    if (req.method === 'GET' && path === `/items/${ITEM}/milestones`) return json(200, { data: list(), total: list().length })
    const h = routes[`${req.method} ${path}`]
    if (!h) throw new Error(`unexpected ${req.method} ${path}`)
    return h(req)
  })
  vi.stubGlobal('fetch', net)
  render(
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <QueryClientProvider client={makeQueryClient()}>
          <Milestones item={item} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  )
  return net
}

const row = (title: string) => screen.getByText(title).closest('tr') as HTMLElement
const gets = (net: ReturnType<typeof vi.fn>) => net.mock.calls.filter(([r]) => (r as Request).method === 'GET').length

describe('Milestones', () => {
  it("offers edit and delete from each milestone's allowed_actions", async () => {
    renderMilestones(fixture({ id: ITEM, deadline: '2099-12-31', allowed_actions: ['manage_milestones'] }), () => [m1, m2])
    await screen.findByText('完成现场排查')
    expect(screen.getAllByTestId('milestone-edit')).toHaveLength(2)
    expect(screen.getAllByTestId('milestone-delete')).toHaveLength(2)
    expect(screen.getByTestId('milestone-add')).toBeInTheDocument()
  })

  it('offers only what a milestone’s allowed_actions say, and no add without manage_milestones', async () => {
    const own: Milestone = { ...m2, allowed_actions: ['update'] }
    renderMilestones(fixture({ id: ITEM, allowed_actions: ['update'] }), () => [{ ...m1, allowed_actions: [] }, own])
    await screen.findByText('完成现场排查')
    expect(within(row('完成现场排查')).queryByTestId('milestone-edit')).toBeNull()
    expect(within(row('完成现场排查')).queryByTestId('milestone-delete')).toBeNull()
    expect(within(row('完成现场排查')).getByText('未完成')).toBeInTheDocument()
    expect(within(row('形成整治报告')).getByTestId('milestone-edit')).toBeInTheDocument()
    expect(within(row('形成整治报告')).queryByTestId('milestone-delete')).toBeNull()
    expect(screen.queryByTestId('milestone-add')).toBeNull()
  })

  it('deletes after a confirmation, with If-Match', async () => {
    let items = [m1, m2]
    const del = vi.fn((req: Request) => {
      expect(req.headers.get('If-Match')).toBe('"3"')
      items = [m2]
      return json(204)
    })
    renderMilestones(fixture({ id: ITEM, allowed_actions: ['manage_milestones'] }), () => items, { [`DELETE /milestones/${m1.id}`]: del })
    await screen.findByText('完成现场排查')
    const user = userEvent.setup()
    await user.click(within(row('完成现场排查')).getByTestId('milestone-delete'))
    expect(await screen.findByText('删除节点“完成现场排查”？')).toBeInTheDocument()
    expect(del).not.toHaveBeenCalled()
    await user.click(screen.getByRole('button', { name: /确\s*定/ }))
    await waitFor(() => expect(del).toHaveBeenCalledOnce())
    expect(await screen.findByText('节点已删除')).toBeInTheDocument()
    await waitFor(() => expect(screen.queryByText('完成现场排查')).toBeNull())
  })

  it("edits with If-Match and puts the API's field errors on the fields", async () => {
    const patch = vi.fn(async (req: Request) => {
      expect(req.headers.get('If-Match')).toBe('"3"')
      expect(await req.json()).toEqual({ title: '完成现场排查并建档', due_date: '2099-03-31' })
      return json(422, {
        status: 422,
        code: 'validation_failed',
        errors: [{ field: 'due_date', rule: 'deadline', message: "must not be after the item's deadline (2099-12-31)" }],
      })
    })
    renderMilestones(fixture({ id: ITEM, allowed_actions: ['manage_milestones'] }), () => [m1], { [`PATCH /milestones/${m1.id}`]: patch })
    await screen.findByText('完成现场排查')
    const user = userEvent.setup()
    await user.click(screen.getByTestId('milestone-edit'))
    const title = await screen.findByLabelText('节点')
    expect(title).toHaveValue('完成现场排查')
    await user.type(title, '并建档')
    await user.click(screen.getByTestId('milestone-form-ok'))
    expect(await screen.findByText("must not be after the item's deadline (2099-12-31)")).toBeInTheDocument()
    expect(patch).toHaveBeenCalledOnce()
    // the modal stays open for a correction
    expect(screen.getByLabelText('节点')).toBeInTheDocument()
  })

  it('on a 412 says the milestone changed, closes the form and reloads the list', async () => {
    let items = [m1]
    const patch = vi.fn(() => {
      items = [{ ...m1, title: '他人改过的节点', version: 4 }]
      return json(412, { status: 412, code: 'precondition_failed' })
    })
    const net = renderMilestones(fixture({ id: ITEM, allowed_actions: ['manage_milestones'] }), () => items, { [`PATCH /milestones/${m1.id}`]: patch })
    await screen.findByText('完成现场排查')
    const user = userEvent.setup()
    await user.click(screen.getByTestId('milestone-edit'))
    await user.type(await screen.findByLabelText('节点'), '（改）')
    await user.click(screen.getByTestId('milestone-form-ok'))
    expect(await screen.findByText(/该节点已被他人修改/)).toBeInTheDocument()
    expect(await screen.findByText('他人改过的节点')).toBeInTheDocument()
    expect(gets(net)).toBe(2)
    await waitFor(() => expect(screen.queryByLabelText('节点')).toBeNull())
  })
})
