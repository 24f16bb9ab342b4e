// Reporting upward (issue 13): the leaders' cockpit and its drill-down, a bulletin
// drafted, edited, published and printed, the ledger exported and re-imported.
// Uses the demo seed's items, so it runs alone too (E2E_ONLY=reporting).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { assert, sleep, test } from '../harness.mjs'
import { base, page, seeded, shots, setPage, newPage, shot, settle, login, demoPassword, apiAs } from '../context.mjs'

const OFFICE = 'duban' // 督办处 in the demo seed
const UNIT_HEAD = 'guihua.head'

function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
}

/** Chromium writes one "/Type /Page" object per page. */
function pdfPages(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length
}

async function asOffice(path) {
  setPage(await newPage())
  await page.goto(`${base}${path}`)
  await page.waitForURL(/\/login/)
  await login(page, OFFICE, demoPassword(OFFICE))
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

test('reporting: the cockpit shows the figures, charts with table views, and drills down to the items', async () => {
  assert(seeded, 'the reporting spec needs the demo seed')
  await asOffice('/cockpit')
  await page.getByTestId('figure-assigned').waitFor({ timeout: 30_000 })
  await page.getByTestId('chart-overdue-chart').waitFor({ timeout: 30_000 })
  const label = await page.getByTestId('chart-overdue-chart').getAttribute('aria-label')
  assert(label && label.startsWith('各单位超期未办结事项数：') && label.length > 14, `the chart's accessible name reads its figures: ${label}`)
  assert((await page.getByTestId('chart-overdue-chart').getAttribute('role')) === 'img', 'the chart is an image to assistive technology')
  await page.getByTestId('chart-trend-chart').waitFor()
  await page.getByTestId('chart-source-chart').waitFor()
  await settle()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chart-overdue-chart"] svg rect, [data-testid="chart-overdue-chart"] svg path').length > 0)
  await shot('60-cockpit')
  // the figures are those of the API for the same period
  const call = await apiAs(OFFICE, demoPassword(OFFICE))
  const year = today().slice(0, 4)
  const ov = await call('GET', `/stats/overview?period=${year}`)
  const shown = await page.getByTestId('figure-overdue_now').locator('.ant-statistic-content-value').textContent()
  assert(Number(shown) === ov.figures.overdue_now, `overdue ${shown}, API ${ov.figures.overdue_now}`)
  // the table view of the overdue chart; a number drills down
  await page.getByTestId('chart-overdue-view').getByText('表格').click()
  await page.getByTestId('chart-overdue-table').waitFor()
  const first = page.getByTestId('chart-overdue-table').locator('tbody button').first()
  const count = Number(await first.textContent())
  await first.click()
  await page.waitForURL(/\/items\?/)
  const url = new URL(page.url())
  assert(url.searchParams.get('overdue') === 'true' && url.searchParams.get('unit_id'), `drilled down with the filters: ${url.search}`)
  const list = await call('GET', `/items?page_size=1&overdue=true&unit_id=${url.searchParams.get('unit_id')}`)
  assert(list.total === count, `the list has ${list.total} items, the chart said ${count}`)
  await page.getByTestId('item-table').locator('tbody tr.ant-table-row').first().waitFor({ timeout: 30_000 })
  await shot('61-cockpit-drilldown')
  // a figure card drills down too: closed in the period, by the original deadline
  await page.goBack()
  await page.getByTestId('figure-closed_on_time').click()
  await page.waitForURL(/on_time=true/)
  assert(new URL(page.url()).searchParams.get('closed_from') === `${year}-01-01`, 'closed in the period')
})

test('reporting: the cockpit and the unit page at phone width', async () => {
  const viewport = page.viewportSize()
  await page.setViewportSize({ width: 390, height: 844 })
  try {
    await page.goto(`${base}/cockpit`)
    await page.getByTestId('chart-overdue-chart').waitFor({ timeout: 30_000 })
    await settle()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert(overflow <= 1, `no horizontal scroll on a phone (overflow ${overflow}px)`)
    await shot('62-cockpit-phone')
    await page.goto(`${base}/my-unit`)
    await page.getByTestId('unit-figures').waitFor()
    await page.getByTestId('unit-late').waitFor()
    await settle()
    const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert(overflow2 <= 1, `the unit page fits a phone (overflow ${overflow2}px)`)
    await shot('63-unit-phone')
  } finally {
    await page.setViewportSize(viewport)
  }
})

test('reporting: a bulletin is drafted, edited, published (numbered, frozen) and printed on A4', async () => {
  await page.goto(`${base}/bulletins`)
  await page.getByTestId('bulletin-new').click()
  await page.getByTestId('bulletin-create-ok').click()
  await page.waitForURL(/\/bulletins\/[0-9a-f-]{36}$/)
  const id = page.url().split('/').pop()
  await page.getByTestId('bulletin-section-problems').waitFor()
  assert(((await page.getByTestId('bulletin-section-summary').inputValue()) ?? '').includes('新立项督办事项'), 'the summary is drafted from the figures')
  await page.getByTestId('bulletin-section-problems').fill('个别单位事项超期，催办后仍未办结。')
  await page.getByTestId('bulletin-save').click()
  await page.locator('.ant-message').getByText('已保存').waitFor()
  await shot('64-bulletin-draft')
  await page.getByTestId('bulletin-publish').click()
  await page.getByTestId('bulletin-publish-ok').click()
  await page.getByTestId('bulletin-docno').waitFor()
  const docNo = await page.getByTestId('bulletin-docno').textContent()
  assert(/^督办通报〔\d{4}〕\d+号$/.test(docNo), `numbered: ${docNo}`)
  assert((await page.getByTestId('bulletin-state').textContent()) === '已发布', 'published')
  assert((await page.getByTestId('bulletin-section-problems').textContent()) === '个别单位事项超期，催办后仍未办结。', 'the edit is kept')
  assert((await page.getByTestId('bulletin-publish').count()) === 0, 'a published bulletin cannot be published again')
  // the units of the scope see it
  const unit = await apiAs(UNIT_HEAD, demoPassword(UNIT_HEAD))
  const theirs = await unit('GET', '/bulletins?state=published')
  assert(theirs.data.some((b) => b.id === id), 'a unit head sees the published bulletin')
  // print
  await page.getByTestId('bulletin-print').click()
  await page.waitForURL(new RegExp(`/bulletins/${id}/print$`))
  await page.getByTestId('print-paper').waitFor()
  assert((await page.getByTestId('print-title').textContent()) === '督查督办通报', 'the red header')
  assert((await page.getByTestId('print-number').textContent()) === docNo, 'the number under the header')
  assert((await page.getByTestId('nav-menu').count()) === 0, 'no shell around the document')
  await settle()
  await page.screenshot({ path: join(shots, '65-bulletin-print.png'), fullPage: true })
  await page.emulateMedia({ media: 'print' })
  try {
    assert(!(await page.getByTestId('print-toolbar').isVisible()), 'the toolbar is not printed')
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, path: join(shots, '65-bulletin.pdf') })
    assert(pdfPages(pdf) >= 1, `the PDF has pages (${pdfPages(pdf)})`)
  } finally {
    await page.emulateMedia({ media: 'screen' })
  }
  await page.getByTestId('print-back').click()
  await page.waitForURL(new RegExp(`/bulletins/${id}$`))
})

test('reporting: the ledger is exported (Excel, CSV) with the list filters and re-imported', async () => {
  const call = await apiAs(OFFICE, demoPassword(OFFICE))
  // the office's own scope: an enterprise's items name the enterprise's units, which
  // an import into the group's scope rightly refuses
  const me = await call('GET', '/me')
  const filter = `state=in_progress&deadline_from=${today()}&scope_id=${me.scope_id}`
  const exported = (await call('GET', `/items?page_size=1&${filter}`)).total
  assert(exported > 0, 'the demo has items in progress with a deadline ahead')
  const before = (await call('GET', '/items?page_size=1')).total
  await page.goto(`${base}/items?${filter}`)
  await page.getByTestId('item-table').locator('tbody tr.ant-table-row').first().waitFor({ timeout: 30_000 })
  await page.getByTestId('ledger-export').click()
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()])
  assert(/\.xlsx$/.test(xlsx.suggestedFilename()) && xlsx.suggestedFilename().startsWith('督办台账'), `saved as ${xlsx.suggestedFilename()}`)
  const file = join(shots, '66-ledger.xlsx')
  await xlsx.saveAs(file)
  const bytes = await readFile(file)
  assert(bytes.subarray(0, 2).toString() === 'PK', 'a workbook')
  await page.getByTestId('ledger-export').click()
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
  const text = await readFile(await csv.path(), 'utf8')
  assert(text.startsWith('\ufeff督办编号,事项名称,事项内容,'), 'CSV with a byte order mark and Chinese headers')
  assert(text.trim().split('\n').length === exported + 1, `the CSV has ${text.trim().split('\n').length - 1} rows, the list ${exported}`)
  // re-import: check first, then import; every row becomes a new item
  await page.getByTestId('ledger-import').click()
  await page.locator('.ant-modal input[type=file]').setInputFiles(file)
  await page.getByTestId('import-check').click()
  await page.getByTestId('import-ok').waitFor({ timeout: 30_000 })
  assert((await page.getByTestId('import-ok').textContent()).includes(`将创建 ${exported} 项`), 'the check lists every row')
  assert((await call('GET', '/items?page_size=1')).total === before, 'the check wrote nothing')
  await shot('67-ledger-import-check')
  await page.getByTestId('import-commit').click()
  await page.locator('.ant-message').getByText(`已导入 ${exported} 项`).waitFor({ timeout: 30_000 })
  for (let i = 0; i < 20 && (await call('GET', '/items?page_size=1')).total !== before + exported; i++) await sleep(100)
  assert((await call('GET', '/items?page_size=1')).total === before + exported, 'every row was imported')
})
