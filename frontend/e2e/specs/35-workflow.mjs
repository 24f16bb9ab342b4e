// Items that used to get stuck (issue 11): an item without a supervising leader cannot
// be submitted, and the office is told why in Chinese; a returned assignment (退回)
// flags the item and waits on the office's workbench until it reassigns.
import { assert, skip, test } from '../harness.mjs'
import { LEAD_HEAD, apiAs, base, demoPassword, login, newPage, page, seeded, setPage, shot } from '../context.mjs'

test('no supervising leader: submit names the missing field; a returned assignment waits for the office', async () => {
  if (!seeded) skip('needs the demo seed')
  const sup = await apiAs('duban', demoPassword('duban'))
  const head = await apiAs(LEAD_HEAD, demoPassword(LEAD_HEAD))
  const me = await head('GET', '/me')
  const deadline = `${new Date().getFullYear() + 1}-06-30`
  const body = { content: '落实董事会决议（e2e）', category: 'important_matter', source: 'board', lead_unit_id: me.org_unit_id, deadline }
  const noLeader = await sup('POST', '/items', { ...body, title: '无主管领导的董事会事项（e2e）' })

  setPage(await newPage())
  await page.goto(`${base}/items/${noLeader.id}`)
  await page.waitForURL(/\/login/)
  await login(page, 'duban', demoPassword('duban'))
  await page.waitForURL(new RegExp(`/items/${noLeader.id}`), { waitUntil: 'commit' })
  await page.getByTestId('item-action-submit').click()
  await page.getByTestId('action-ok').click()
  await page.getByRole('alert').filter({ hasText: '主管领导: 必填' }).waitFor()
  await shot('35-no-leader')

  // the lead unit returns its assignment; the office sees it flagged and on its to-do
  const leaders = await sup('GET', '/users?q=leader1&role=leader&active=true')
  const it = await sup('POST', '/items', { ...body, title: '牵头部门退回的事项（e2e）', supervising_leader_id: leaders.data[0].id })
  await sup('POST', `/items/${it.id}/submit`, {})
  await sup('POST', `/items/${it.id}/issue`, {})
  const asgs = await head('GET', `/items/${it.id}/assignments`)
  await head('POST', `/assignments/${asgs.data[0].id}/return`, { reason: '不属于本部门职责（e2e）' })
  await page.goto(`${base}/items/${it.id}`)
  await page.getByTestId('item-returned-flag').waitFor()
  await page.goto(`${base}/workbench`)
  await page.getByTestId('todo-returned_assignments').getByRole('link', { name: /牵头部门退回的事项（e2e）/ }).waitFor()
  await shot('35-returned-todo')
  const item = await sup('GET', `/items/${it.id}`)
  assert(item.has_returned_assignment === true, 'the API flags the item')
})
