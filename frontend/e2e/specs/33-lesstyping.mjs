// Less typing for the units (issue 11 §14, §15): a head reports with a file from login,
// every click and input counted so that a regression shows; and the road of §14(d):
// the office sets a new deadline on an overdue item, which keeps its overdue record.
import { assert, skip, test } from '../harness.mjs'
import { LEAD_HEAD, base, page, seeded, setPage, newPage, shot, login, apiAs, demoPassword } from '../context.mjs'

/** the company's date (Asia/Shanghai) `days` from today, as YYYY-MM-DD */
function companyDate(days) {
  const d = new Date(Date.now() + days * 86400_000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)
}

test('less typing: a head reports with a file from login in at most 5 clicks', async () => {
  if (!seeded) skip('needs the demo seed')
  const sup = await apiAs('duban', demoPassword('duban'))
  const head = await apiAs(LEAD_HEAD, demoPassword(LEAD_HEAD))
  const me = await head('GET', '/me')
  const leaders = await sup('GET', '/users?q=leader1&role=leader&active=true')
  const title = '减负测量：一次进展反馈（e2e）'
  // due within the blue threshold, so that the report is on the head's to-do list
  const it = await sup('POST', '/items', {
    title,
    content: '按期报送整改进展。',
    category: 'important_matter',
    source: 'board',
    method: 'tracking',
    urgency: 'normal',
    feedback_cadence: 'monthly',
    lead_unit_id: me.org_unit_id,
    supervising_leader_id: leaders.data[0].id,
    deadline: companyDate(2),
  })
  await sup('POST', `/items/${it.id}/submit`, {})
  await sup('POST', `/items/${it.id}/issue`, {})
  const lead = (await head('GET', `/items/${it.id}/assignments`)).data.find((a) => a.unit_id === me.org_unit_id)
  await head('POST', `/assignments/${lead.id}/accept`, {})

  let clicks = 0
  let inputs = 0
  const click = async (locator) => {
    clicks++
    await locator.click()
  }
  const fill = async (locator, text) => {
    inputs++
    await locator.fill(text)
  }
  setPage(await newPage())
  await page.goto(`${base}/login`)
  await fill(page.getByLabel(/用户名/), LEAD_HEAD)
  await fill(page.getByLabel(/密码/), demoPassword(LEAD_HEAD))
  await click(page.getByTestId('login-submit'))
  await page.waitForURL(/\/workbench$/)
  await click(page.getByTestId('todo-feedback_to_write').getByRole('link').filter({ hasText: title }))
  // the form is open, prefilled, with the cursor in the report's text
  const content = page.getByTestId('feedback-content')
  await content.waitFor()
  assert(await content.evaluate((el) => el === document.activeElement), 'the report text has the focus')
  assert(await page.getByTestId('feedback-submit-now').isChecked(), 'the head submits at once by default')
  await fill(content, '已完成整改方案编制，现场整改完成 60%，台账见附件。')
  await fill(page.getByLabel('完成进度'), '60')
  const chooser = page.waitForEvent('filechooser')
  await click(page.getByTestId('attachment-upload').locator('.ant-upload-drag'))
  inputs++
  await (await chooser).setFiles({ name: '整改台账.txt', mimeType: 'text/plain', buffer: Buffer.from('整改台账：已完成 12 项。\n') })
  await page.locator('[data-testid=upload-entry][data-status=done]').waitFor()
  await click(page.getByTestId('feedback-ok'))
  await page.getByText('已完成整改方案编制，现场整改完成 60%，台账见附件。').waitFor()
  await page.getByText('已提交', { exact: true }).first().waitFor()
  await shot('33-01-report-from-todo')
  console.log(`[e2e] §15 measure: a report with a file from login: ${clicks} clicks, ${inputs} inputs`)
  assert(clicks <= 5, `a report with a file takes ${clicks} clicks (target ≤ 5)`)
  assert(clicks === 4 && inputs === 5, `the path performed ${clicks} clicks and ${inputs} inputs (4 and 5 expected)`)
})

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
