// The task-notice form shows the route of the chosen source (第十四条), and an item is
// broken down into a sub-item (分解) from its page.
import { assert, test } from '../harness.mjs'
import { apiAs, base, choose, demoPassword, login, newPage, page, setPage, shot } from '../context.mjs'

const SUB_TITLE = '分解：编制专项整治实施方案（e2e）'

test('the supervision office breaks a running item down into a sub-item; the form shows the source route', async () => {
  const password = demoPassword('duban')
  const api = await apiAs('duban', password)
  // a running item whose deadline is still ahead, so that the sub-item may share it
  const running = await api('GET', '/items?state=in_progress&overdue=false&page_size=20&sort=-deadline')
  const parent = running.data.find((it) => it.allowed_actions.includes('add_sub_item') && !it.overdue)
  assert(parent, 'the demo office has a running item it may break down')

  setPage(await newPage())
  await page.goto(`${base}/login`)
  await login(page, 'duban', password)
  await page.waitForURL(/\/workbench$/)
  await page.goto(`${base}/items/${parent.id}?tab=milestones`)
  await page.getByTestId('sub-items').waitFor()
  await page.getByTestId('sub-item-add').click()
  await page.waitForURL(/\/items\/new\?parent_id=/)
  await page.getByTestId('item-parent').filter({ hasText: parent.title }).waitFor()

  await page.getByLabel('事项名称').fill(SUB_TITLE)
  await choose('来源', '专题会议')
  const hint = page.getByTestId('source-route')
  await hint.filter({ hasText: '由牵头部门发出督办任务通知' }).waitFor()
  assert((await hint.textContent()).includes('报主管领导审批'), 'a special-topic meeting needs the leader’s approval')
  await choose('来源', '董事会')
  await hint.filter({ hasText: '由董事会办公室发出督办任务通知' }).waitFor()
  assert((await hint.textContent()).includes('可省略领导审批环节'), 'a board matter skips approval')
  await shot('25-item-form-route')

  await page.getByLabel('事项内容').fill('按上级事项要求，编制专项整治实施方案并报督办处备案。')
  await choose('牵头部门', '规划发展部')
  await page.getByLabel('完成时限').fill(parent.deadline)
  await page.getByLabel('完成时限').press('Tab')
  await page.getByTestId('item-save').click()
  await page.waitForURL(/\/items\/[0-9a-f-]{36}$/)
  await page.getByTestId('page-title').filter({ hasText: SUB_TITLE }).waitFor()
  // the sub-item names its parent by code and title, not by the words 上级事项
  await page.getByTestId('item-parent-link').filter({ hasText: parent.title }).click()
  await page.waitForURL(new RegExp(`/items/${parent.id}$`))
  await page.getByRole('tab', { name: '节点与子事项' }).click()
  await page.getByTestId('sub-items').getByRole('link', { name: SUB_TITLE }).waitFor()
  await shot('25-sub-items')
  const kids = await api('GET', `/items?parent_id=${parent.id}`)
  assert(kids.data.some((k) => k.title === SUB_TITLE && k.parent_id === parent.id), 'the API lists the new sub-item under its parent')
})

test('an enterprise office hands a group item down to one of its departments with its own leader (§11)', async () => {
  const password = demoPassword('huadong.duban')
  const api = await apiAs('huadong.duban', password)
  const me = await api('GET', '/me')
  const visible = await api('GET', '/items?state=issued,in_progress&overdue=false&page_size=50&sort=-deadline')
  const parent = visible.data.find((it) => it.scope_id !== me.scope_id && !it.overdue)
  assert(parent, 'the enterprise office sees a running group item naming its enterprise')
  setPage(await newPage())
  await page.goto(`${base}/login`)
  await login(page, 'huadong.duban', password)
  await page.waitForURL(/\/workbench$/)
  await page.goto(`${base}/items/new?parent_id=${parent.id}`)
  await page.getByTestId('item-hand-down').waitFor()
  const title = `华东分解（e2e）${Date.now()}`
  await page.getByLabel('事项名称').fill(title)
  await choose('来源', '专题会议')
  await page.getByLabel('事项内容').fill('按集团要求在本企业分解落实。')
  await choose('牵头部门', '生产技术部')
  // the leader picker searches the enterprise's leaders by name
  const leader = page.getByLabel('主管领导', { exact: true })
  await leader.click()
  await leader.fill('huadong.leader')
  await page.locator('.ant-select-item-option[title="何华东（huadong.leader）"]:visible').first().click()
  await page.getByLabel('完成时限').fill(parent.deadline)
  await page.getByLabel('完成时限').press('Tab')
  await page.getByTestId('item-save').click()
  await page.waitForURL(/\/items\/[0-9a-f-]{36}$/)
  const id = page.url().split('/').pop()
  const sub = await api('GET', `/items/${id}`)
  assert(sub.scope_id === me.scope_id && sub.parent_id === parent.id && sub.title === title, 'the sub-item lives in the enterprise under the group item')
})

test('the office registers a document with its 文号 and file, and finds it by 文号', async () => {
  const password = demoPassword('duban')
  setPage(await newPage())
  await page.goto(`${base}/login`)
  await login(page, 'duban', password)
  await page.waitForURL(/\/workbench$/)
  await page.goto(`${base}/items/new`)
  const number = `国资发〔2026〕${Date.now() % 100000}号`
  await page.getByLabel('事项名称').fill('落实国资委关于安全生产的通知（e2e）')
  await choose('类别', '公文')
  await choose('来源', '上级批示')
  await page.getByTestId('item-doc-number').fill(number)
  await page.getByTestId('item-doc-issuer').fill('国务院国资委')
  await page.getByLabel('事项内容').fill('按通知要求开展安全生产大检查。')
  await choose('牵头部门', '规划发展部')
  await page.getByLabel('完成时限').fill(dayjsPlus(30))
  await page.getByLabel('完成时限').press('Tab')
  await page.locator('input[type=file]').setInputFiles({ name: '国资委通知.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') })
  await page.getByTestId('item-save').click()
  await page.waitForURL(/\/items\/[0-9a-f-]{36}$/)
  await page.getByTestId('item-doc-number').filter({ hasText: number }).waitFor()
  await page.goto(`${page.url()}?tab=attachments`)
  await page.getByText('国资委通知.pdf').first().waitFor()
  // a wrong file is taken off the item; the timeline keeps the record
  await page.getByTestId('attachment-take-off').click()
  await page.getByTestId('attachment-take-off-ok').click()
  await page.getByTestId('attachments-tab').getByText('暂无附件').waitFor()
  assert((await page.getByText('国资委通知.pdf').count()) === 0, 'the removed file is still listed')
  await page.goto(`${base}/items?doc_number=${encodeURIComponent(number)}`)
  await page.getByTestId('item-table').getByRole('link', { name: '落实国资委关于安全生产的通知（e2e）' }).waitFor()
})

function dayjsPlus(days) {
  const d = new Date(Date.now() + days * 86400000)
  return d.toISOString().slice(0, 10)
}
