// The other methods of §13 (issue 11, point 12): the office records a visit on site
// with a photo on the item's 督办方式 tab, and turns a coordination meeting's decision
// into a milestone with one action.
import { assert, skip, test } from '../harness.mjs'
import { LEAD_HEAD, apiAs, base, demoPassword, login, newPage, page, seeded, setPage, shot } from '../context.mjs'

// a 1×1 PNG: the upload's type is sniffed from the content
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

test('督办方式: a visit with a photo, a coordination decision made a milestone', async () => {
  if (!seeded) skip('needs the demo seed')
  const sup = await apiAs('duban', demoPassword('duban'))
  const head = await apiAs(LEAD_HEAD, demoPassword(LEAD_HEAD))
  const lead = (await head('GET', '/me')).org_unit_id
  const leaders = await sup('GET', '/users?q=leader1&role=leader&active=true')
  const it = await sup('POST', '/items', {
    title: '现场督办与组织协调（e2e）', content: '落实董事会决议（e2e）', category: 'important_matter', source: 'board',
    lead_unit_id: lead, supervising_leader_id: leaders.data[0].id, deadline: `${new Date().getFullYear() + 1}-06-30`,
  })
  await sup('POST', `/items/${it.id}/submit`, {})
  await sup('POST', `/items/${it.id}/issue`, {})
  const today = new Date().toISOString().slice(0, 10)
  await sup('POST', `/items/${it.id}/coordinations`, {
    held_on: today, place: '第二会议室', attendee_unit_ids: [lead], decisions: ['牵头部门报送调整方案（e2e）'],
  })

  setPage(await newPage())
  await page.goto(`${base}/items/${it.id}?tab=methods`)
  await page.waitForURL(/\/login/)
  await login(page, 'duban', demoPassword('duban'))
  await page.waitForURL(new RegExp(`/items/${it.id}`), { waitUntil: 'commit' })

  // a visit: the date, the visitor (me) and the authorising leader are prefilled
  await page.getByTestId('methods-record-visit').click()
  await page.getByTestId('methods-visit-place').fill('项目现场（e2e）')
  await page.getByTestId('methods-visit-findings').fill('主体工程完成约六成（e2e）')
  await page.getByRole('dialog').locator('input[type=file]').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PHOTO })
  await page.getByRole('dialog').getByText('现场照片.png').waitFor()
  await page.getByTestId('methods-visit-form-ok').click()
  await page.getByTestId('methods-visit').filter({ hasText: '项目现场（e2e）' }).getByText('现场照片.png').waitFor()

  // the decision becomes a milestone
  await page.getByTestId('methods-make-milestone').click()
  const due = new Date(Date.now() + 7 * 86400e3).toISOString().slice(0, 10)
  const dueInput = page.getByRole('dialog').locator('.ant-picker input')
  await dueInput.fill(due)
  await dueInput.press('Tab')
  await page.getByTestId('methods-milestone-form-ok').click()
  await page.getByTestId('methods-decision').getByText('已转为节点').waitFor()
  await shot('37-methods')

  const ms = await sup('GET', `/items/${it.id}/milestones`)
  assert(ms.data.some((m) => m.title === '牵头部门报送调整方案（e2e）' && m.due_date === due), 'the milestone carries the decision')
  const ev = await sup('GET', `/items/${it.id}/events?page_size=100`)
  const actions = ev.data.map((e) => e.action)
  assert(actions.includes('visit_record') && actions.includes('coordination_decision_link'), `timeline ${actions}`)
})
