// Warning settings (admin), the workbench chart of items by light, editing and
// deleting a milestone. Relies only on 10-shell's admin password and the demo seed;
// each test opens its own tab (its own login). E2E_ONLY=settings runs it alone.
import { assert, sleep, test } from '../harness.mjs'
import { ADMIN, NEW_PASSWORD, LEAD_HEAD, base, page, setPage, newPage, shot, menuItem, login, apiAs, demoPassword } from '../context.mjs'

const SUPERVISOR = 'duban' // the demo's supervision office head: sees and manages every HQ item

async function freshLogin(path, username, password) {
  setPage(await newPage())
  await page.goto(`${base}${path}`)
  await page.waitForURL(/\/login/)
  await login(page, username, password)
  await page.waitForURL((u) => u.pathname === path.replace(/\?.*$/, ''))
}

async function until(what, fn, ms = 5000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await fn()) return
    await sleep(100)
  }
  throw new Error(`timed out: ${what}`)
}

const isPut = (r) => r.url().endsWith('/api/v1/settings/warnings') && r.request().method() === 'PUT'

test('Warning settings: admin changes a threshold, it persists, a concurrent change answers 412', async () => {
  const admin = await apiAs(ADMIN, NEW_PASSWORD)
  const original = await admin('GET', '/settings/warnings')
  try {
    await freshLogin('/settings/warnings', ADMIN, NEW_PASSWORD)
    await page.getByTestId('page-title').filter({ hasText: '预警设置' }).waitFor()
    await (await menuItem('预警设置')).waitFor()
    const blue = page.getByLabel('蓝灯提前量')
    const next = (await blue.inputValue()) === '5' ? '4' : '5'
    await blue.fill(next)
    const [put] = await Promise.all([page.waitForResponse(isPut), page.getByTestId('warnings-save').click()])
    assert(put.status() === 200, `PUT /settings/warnings answered ${put.status()}`)
    assert(put.request().headers()['if-match'] === `"${original.version ?? 0}"`, 'the save sends If-Match with the version read')
    await page.reload()
    await page.getByTestId('warnings-form').waitFor()
    assert((await page.getByLabel('蓝灯提前量').inputValue()) === next, 'the saved value is there after a reload')
    await shot('30-warning-settings')

    // someone else saves meanwhile: this page's copy is stale
    const now = await admin('GET', '/settings/warnings')
    await admin('PUT', '/settings/warnings', { feedback_grace_workdays: 2 }, { 'If-Match': `"${now.version}"` })
    await page.getByLabel('反馈宽限').fill('1')
    const [stale] = await Promise.all([page.waitForResponse(isPut), page.getByTestId('warnings-save').click()])
    assert(stale.status() === 412, `a stale save answered ${stale.status()}`)
    await page.getByTestId('warnings-error').filter({ hasText: '已被他人修改' }).waitFor()
    await page.getByTestId('warnings-reload').click()
    await until('the reloaded grace', async () => (await page.getByLabel('反馈宽限').inputValue()) === '2')
    await page.getByTestId('warnings-error').waitFor({ state: 'detached' })
  } finally {
    // the other specs expect the lights of the defaults
    const cur = await admin('GET', '/settings/warnings')
    await admin(
      'PUT',
      '/settings/warnings',
      { blue_workdays: original.blue_workdays, feedback_grace_workdays: original.feedback_grace_workdays },
      { 'If-Match': `"${cur.version}"` },
    )
  }
})

test('Warning settings: a non-admin has no menu entry and gets 403 on the URL', async () => {
  await freshLogin('/workbench', LEAD_HEAD, demoPassword(LEAD_HEAD))
  await (await menuItem('工作台')).waitFor()
  assert((await (await menuItem('预警设置')).count()) === 0, 'no warning-settings entry for a member')
  await page.goto(`${base}/settings/warnings`)
  await page.getByText('无权访问', { exact: true }).waitFor()
  assert((await page.getByTestId('warnings-form').count()) === 0, 'no form for a member')
})

test('Workbench: the donut of items by light renders; a slice filters the ledger', async () => {
  await freshLogin('/workbench', SUPERVISOR, demoPassword(SUPERVISOR))
  const chart = page.getByTestId('light-chart')
  await chart.locator('svg path').first().waitFor()
  const label = (await chart.getAttribute('aria-label')) ?? ''
  const red = Number(/红灯 (\d+) 项/.exec(label)?.[1] ?? 0)
  assert(red > 0, `the demo has an overdue item; the chart says: ${label}`)
  await shot('31-workbench-chart')
  // a point of the red slice: the SVG answers elementFromPoint with the slice's path
  const point = await chart.evaluate((el) => {
    const box = el.getBoundingClientRect()
    for (let y = box.top + 2; y < box.bottom; y += 3) {
      for (let x = box.left + 2; x < box.right; x += 3) {
        const hit = document.elementFromPoint(x, y)
        if (hit?.tagName === 'path' && getComputedStyle(hit).fill === 'rgb(245, 34, 45)') return { x, y }
      }
    }
    return null
  })
  assert(point, 'a red slice to click')
  await page.mouse.click(point.x, point.y)
  await page.waitForURL(/\/items\?light=red$/)
  const rows = page.getByTestId('item-table').locator('tbody tr.ant-table-row')
  await rows.first().waitFor()
  const texts = await rows.allTextContents()
  assert(texts.length === Math.min(red, 20), `${texts.length} rows for ${red} red items`)
  assert(texts.every((t) => t.includes('红灯')), 'only red items are listed')
})

test('Milestones: the supervision office edits one and deletes it (If-Match, confirmation)', async () => {
  const duban = await apiAs(SUPERVISOR, demoPassword(SUPERVISOR))
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const list = await duban('GET', '/items?state=in_progress&page_size=100')
  const item = list.data.find((it) => it.allowed_actions?.includes('manage_milestones') && it.deadline && it.deadline >= today)
  assert(item, 'an item in progress whose milestones the supervisor manages')
  const m = await duban('POST', `/items/${item.id}/milestones`, { title: 'e2e 节点', due_date: item.deadline })
  await freshLogin(`/items/${item.id}?tab=milestones`, SUPERVISOR, demoPassword(SUPERVISOR))
  const table = page.getByTestId('milestone-table')
  await table.getByRole('row', { name: /e2e 节点/ }).getByTestId('milestone-edit').click()
  const title = page.getByLabel('节点', { exact: true })
  assert((await title.inputValue()) === 'e2e 节点', 'the form starts from the milestone')
  await title.fill('e2e 节点（已改）')
  const [patch] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/milestones/${m.id}`) && r.request().method() === 'PATCH'),
    page.getByTestId('milestone-form-ok').click(),
  ])
  assert(patch.status() === 200, `PATCH answered ${patch.status()}`)
  assert(patch.request().headers()['if-match'] === `"${m.version}"`, 'the edit sends If-Match')
  const edited = table.getByRole('row', { name: /e2e 节点（已改）/ })
  await edited.waitFor()
  await shot('32-milestone-edited')
  await edited.getByTestId('milestone-delete').click()
  await page.locator('.ant-popconfirm').getByText('删除节点“e2e 节点（已改）”？').waitFor()
  const [del] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/milestones/${m.id}`) && r.request().method() === 'DELETE'),
    page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click(),
  ])
  assert(del.status() === 204, `DELETE answered ${del.status()}`)
  await edited.waitFor({ state: 'detached' })
})
