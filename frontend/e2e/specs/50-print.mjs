// The printed forms: 附件1 task notice and 附件2 processing sheet, on screen, in print
// media and as an A4 PDF. Uses the demo seed's items, so it runs alone (E2E_ONLY=print).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { assert, skip, test } from '../harness.mjs'
import { base, page, seeded, shots, setPage, newPage, shot, settle, login, demoPassword, apiAs } from '../context.mjs'

const OFFICE = 'duban' // 督办处处长 in the demo seed
const ISSUED = '开展迎峰度夏安全隐患专项排查'
const EXTENDED = '推进新能源基地项目前期工作'
const CLOSED = '修订集团费用报销管理办法'
const ids = {}

/** Chromium writes one "/Type /Page" object per page (the tree node is "/Type /Pages"). */
function pdfPages(file) {
  return (readFileSync(file, 'latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length
}

/** print media: the paper stays, the toolbar and any shell are gone; then an A4 PDF */
async function checkPrint(name) {
  const viewport = page.viewportSize()
  await page.emulateMedia({ media: 'print' })
  try {
    assert(await page.getByTestId('print-paper').isVisible(), 'the form is printed')
    assert(!(await page.getByTestId('print-toolbar').isVisible()), 'the toolbar is not printed')
    assert((await page.getByTestId('nav-menu').count()) === 0, 'no app menu on the page')
    assert((await page.getByTestId('user-menu').count()) === 0, 'no app header on the page')
    // the screenshot at the A4 content box (170 × 257 mm at 96 dpi) shows roughly page 1
    await page.setViewportSize({ width: 643, height: 971 })
    await shot(`${name}-print-media`)
    const file = join(shots, `${name}.pdf`)
    await page.pdf({ path: file, format: 'A4', preferCSSPageSize: true })
    const pages = pdfPages(file)
    assert(pages >= 1, `the PDF has pages (${pages})`)
    return pages
  } finally {
    await page.emulateMedia({ media: 'screen' })
    await page.setViewportSize(viewport)
  }
}

/** the demo items the first test found: without the seed the test is skipped, without the items it fails */
function demoItems() {
  if (!seeded) skip('needs the demo seed')
  assert(ids.ISSUED && ids.EXTENDED && ids.CLOSED, 'the first print test did not find the demo items')
}

test('print: a supervisor opens the task notice (附件1) from the item page', async () => {
  if (!seeded) skip('needs the demo seed')
  const call = await apiAs(OFFICE, demoPassword(OFFICE))
  for (const [key, title] of Object.entries({ ISSUED, EXTENDED, CLOSED })) {
    const found = await call('GET', `/items?q=${encodeURIComponent(title)}`)
    const item = (found.data ?? []).find((i) => i.title === title)
    assert(item, `the demo item ${title}`)
    ids[key] = item
  }
  setPage(await newPage())
  await page.goto(`${base}/items/${ids.ISSUED.id}`)
  await page.waitForURL(/\/login/)
  await login(page, OFFICE, demoPassword(OFFICE))
  await page.getByTestId('item-details').waitFor()
  await page.getByTestId('print-menu').click()
  await page.getByTestId('print-notice').waitFor()
  await shot('50-print-menu')
  await page.getByTestId('print-notice').click()
  await page.waitForURL(new RegExp(`/items/${ids.ISSUED.id}/print/notice$`))
  await page.getByTestId('print-paper').waitFor()
  assert((await page.getByTestId('print-title').textContent()).endsWith('督查督办任务通知'), 'the notice title')
  assert((await page.getByTestId('print-number').textContent()) === `编号：${ids.ISSUED.code}`, 'the notice number is the item code')
  assert((await page.getByTestId('notice-item-title').textContent()) === ISSUED, 'the item title')
  // a group-meeting item: §14 has the General Office send the notice
  assert((await page.getByTestId('notice-issuer').textContent()).length > 0, 'the issuer is named')
  assert((await page.getByTestId('notice-deadline').textContent()) === ids.ISSUED.deadline, 'the deadline')
  assert((await page.getByTestId('notice-receipt').locator('tbody tr').count()) >= 2, 'a receipt line per unit')
  assert((await page.getByTestId('nav-menu').count()) === 0, 'no shell around the form')
  assert((await page.title()).includes(ids.ISSUED.code), 'the tab (and the PDF) is named after the item')
  await settle()
  await page.screenshot({ path: join(shots, '50-print-notice.png'), fullPage: true })
  await checkPrint('50-print-notice')
  await page.getByTestId('print-back').click()
  await page.waitForURL(new RegExp(`/items/${ids.ISSUED.id}$`))
  await page.getByTestId('item-details').waitFor()
})

test('print: the processing sheet (附件2) of an extended item, also in English', async () => {
  demoItems()
  await page.goto(`${base}/items/${ids.EXTENDED.id}/print/sheet`)
  await page.getByTestId('print-paper').waitFor()
  assert((await page.getByTestId('print-title').textContent()).endsWith('督查督办事项处理单'), 'the sheet title')
  assert((await page.getByTestId('sheet-item-title').textContent()) === EXTENDED, 'the item title')
  // the original deadline, then the approved extension
  const deadlines = page.getByTestId('sheet-deadlines').locator('tbody tr')
  assert((await deadlines.count()) >= 2, 'the deadline history has the original and the extension')
  assert((await deadlines.first().textContent()).includes(ids.EXTENDED.original_deadline), 'the first row is the original deadline')
  assert((await deadlines.last().textContent()).includes(ids.EXTENDED.deadline), 'the last row is the current deadline')
  const ext = await page.getByTestId('sheet-extensions').locator('tbody').textContent()
  assert(ext.includes('建议同意延期') && ext.includes('同意延期至'), 'the office review and the leader decision of the extension')
  assert((await page.getByTestId('sheet-assignments').textContent()).includes('已签收'), 'the accepted assignment')
  assert((await page.getByTestId('sheet-signoff').locator('tbody tr').count()) === 3, 'three signature boxes')
  await settle()
  await page.screenshot({ path: join(shots, '51-print-sheet.png'), fullPage: true })
  const pages = await checkPrint('51-print-sheet')
  console.log(`      the sheet prints on ${pages} A4 page(s)`)
  await page.getByTestId('lang-toggle').click()
  await page.getByTestId('print-title').filter({ hasText: 'Supervision Item Processing Sheet' }).waitFor()
  assert((await page.getByTestId('sheet-deadlines').textContent()).includes('Extension approved'), 'English rows')
  await shot('51a-print-sheet-en')
  await page.getByTestId('lang-toggle').click()
  await page.getByTestId('print-title').filter({ hasText: '督查督办事项处理单' }).waitFor()
})

test('print: a closed item’s sheet carries the completion decisions; an unknown item is a 404', async () => {
  demoItems()
  await page.goto(`${base}/items/${ids.CLOSED.id}/print/sheet`)
  await page.getByTestId('print-paper').waitFor()
  const completion = await page.getByTestId('sheet-completion').locator('tbody').textContent()
  assert(completion.includes('缺少办理情况说明') && completion.includes('同意办结'), 'both completion requests, the 退办 and the approval')
  assert((await page.getByTestId('signoff-leader').textContent()).includes('同意办结'), 'the leader box carries the approval')
  assert((await page.getByTestId('signoff-office').textContent()).includes('建议同意办结'), 'the office box carries its review')
  await page.getByTestId('sheet-signoff').scrollIntoViewIfNeeded()
  await shot('52-print-sheet-closed')
  await page.getByTestId('print-switch-notice').click()
  await page.waitForURL(/\/print\/notice$/)
  await page.getByTestId('print-paper').waitFor()
  await page.goto(`${base}/items/00000000-0000-0000-0000-000000000000/print/notice`)
  await page.getByText('页面不存在', { exact: true }).waitFor()
  await page.getByTestId('print-toolbar').waitFor()
})

test('print: an urging notice (催办通知) from the urges tab, and a foreign urge id is a 404', async () => {
  demoItems()
  const call = await apiAs(OFFICE, demoPassword(OFFICE))
  const urges = await call('GET', `/items/${ids.ISSUED.id}/urges`)
  const urge = urges.data[0]
  assert(urge, 'the demo item has an urge')
  await page.goto(`${base}/items/${ids.ISSUED.id}?tab=urges`)
  await page.getByTestId('urge-print').first().click()
  await page.waitForURL(/\/print\/urge\//)
  await page.getByTestId('print-paper').waitFor()
  await page.getByTestId('print-title').filter({ hasText: '督查督办催办通知' }).waitFor()
  const shownId = page.url().split('/').pop()
  const shown = urges.data.find((u) => u.id === shownId)
  assert(shown, `the notice is for one of the item's urges (${shownId})`)
  assert((await page.getByTestId('urge-message').textContent()) === shown.message, 'the urge is quoted')
  const pages = await checkPrint('53-print-urge')
  assert(pages === 1, `the urging notice fits one A4 page (${pages})`)
  await page.goto(`${base}/items/${ids.ISSUED.id}/print/urge/${ids.CLOSED.id}`)
  await page.getByText('页面不存在', { exact: true }).waitFor()
})
