// The road of §14(d) (issue 11 §4): the office sets a new deadline on an overdue item,
// which keeps its overdue record ("was overdue" against the original deadline) and is
// found by the list's was_overdue filter. It runs last: it takes the demo's one overdue
// group item out of "overdue now", which the cockpit and the lists of earlier specs show.
import { assert, skip, test } from '../harness.mjs'
import { base, page, seeded, setPage, newPage, shot, login, apiAs, demoPassword } from '../context.mjs'

/** the company's date (Asia/Shanghai) `days` from today, as YYYY-MM-DD */
function companyDate(days) {
  const d = new Date(Date.now() + days * 86400_000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)
}

test('a new deadline on an overdue item: the office sets it, the item keeps "was overdue", the list finds it', async () => {
  if (!seeded) skip('needs the demo seed')
  const sup = await apiAs('duban', demoPassword('duban'))
  const overdue = await sup('GET', '/items?overdue=true&page_size=50')
  let target = null
  // a group item (DB-2026-…): its leaders are the group's, leader1 among them
  for (const it of overdue.data.filter((i) => /^DB-\d{4}-/.test(i.code ?? ''))) {
    const ext = await sup('GET', `/items/${it.id}/extensions`)
    if (ext.allowed_actions.includes('set_deadline')) {
      target = it
      break
    }
  }
  assert(target, 'the demo has an overdue item whose deadline the office may set')
  setPage(await newPage())
  await page.goto(`${base}/items/${target.id}?tab=extensions`)
  await page.waitForURL(/\/login/)
  await login(page, 'duban', demoPassword('duban'))
  await page.waitForURL(new RegExp(`/items/${target.id}`), { waitUntil: 'commit' })
  await page.getByTestId('deadline-set').click()
  const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('form-modal-ok') })
  await modal.waitFor()
  assert(!(await modal.innerText()).includes('申请延至'), 'the office sets a deadline, nobody applies for it')
  const next = companyDate(40)
  await modal.getByLabel('新的完成时限').fill(next)
  await modal.getByLabel('新的完成时限').press('Enter')
  await modal.getByLabel('决定的领导', { exact: true }).fill('王建国')
  await page.locator('.ant-select-item-option[title="王建国（leader1）"]:visible').click()
  await modal.getByLabel('领导决定说明').fill('经领导同意，重新确定完成时限。')
  await page.getByTestId('form-modal-ok').click()
  await modal.waitFor({ state: 'hidden' })
  await page.getByRole('tab', { name: '基本信息' }).click()
  await page.getByText(/重新确定时限前已逾期 \d+ 个工作日/).waitFor()
  await shot('33-02-was-overdue')
  await page.goto(`${base}/items?was_overdue=true&q=${encodeURIComponent(target.title)}`)
  await page.getByRole('link', { name: target.title }).first().waitFor()
})
