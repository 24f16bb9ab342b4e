// Accessibility: axe-core (WCAG 2 A and AA rules) on the main pages, in Chinese and
// one in English. A serious or critical violation fails the page's test, naming the
// rule, its help and the elements; moderate and minor ones are counted and printed.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { assert, skip, test } from '../harness.mjs'
import { ADMIN, NEW_PASSWORD, base, page, seeded, setPage, newPage, demoPassword, settle, login, apiAs, chooseLanguage } from '../context.mjs'

const require = createRequire(import.meta.url)
// injected with evaluate, not a <script> tag: the app's CSP (script-src 'self') refuses inline scripts
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
const home = page
const minor = { moderate: 0, minor: 0 }
const minorRules = new Map()
// axe's best-practice rules (landmarks, headings …) are not WCAG criteria: counted, never failing
const practice = new Map()
let audited = 0
let failed = 0

/** serious and critical violations of the current test, reported at its end */
let problems = []

/** runs axe on the page as it is now; keeps its serious and critical violations */
async function audit(name) {
  await settle()
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE)
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
      resultTypes: ['violations'],
    })
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      wcag: v.tags.includes('wcag2a') || v.tags.includes('wcag2aa'),
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
      summary: v.nodes[0]?.failureSummary ?? '',
    }))
  })
  audited++
  for (const v of violations.filter((x) => !x.wcag)) practice.set(`${v.impact} ${v.id}`, (practice.get(`${v.impact} ${v.id}`) ?? 0) + v.targets.length)
  const wcag = violations.filter((v) => v.wcag)
  const bad = wcag.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  for (const v of wcag.filter((x) => !bad.includes(x))) {
    minor[v.impact] = (minor[v.impact] ?? 0) + v.targets.length
    minorRules.set(`${v.impact} ${v.id}`, (minorRules.get(`${v.impact} ${v.id}`) ?? 0) + v.targets.length)
  }
  if (bad.length === 0) return
  failed++
  problems.push(
    `${name}: ${bad.length} serious/critical axe violation(s)\n` +
      bad
        .map(
          (v) =>
            `  [${v.impact}] ${v.id}: ${v.help}\n` +
            v.targets
              .slice(0, 8)
              .map((t) => `      ${t}`)
              .join('\n') +
            (v.targets.length > 8 ? `\n      … and ${v.targets.length - 8} more` : '') +
            `\n      ${v.summary.replace(/\n/g, '\n      ')}`,
        )
        .join('\n'),
  )
}

/** fails the test with every serious or critical violation its pages had */
function report() {
  const found = problems
  problems = []
  assert(found.length === 0, found.join('\n'))
}

async function signIn(user, password) {
  setPage(await newPage())
  await page.goto(`${base}/login`)
  await login(page, user, password)
  await page.waitForURL(/\/workbench$/)
}

let itemId = ''

test('a11y: the login page', async () => {
  setPage(await newPage())
  await page.goto(`${base}/login`)
  await page.getByTestId('login-submit').waitFor()
  await audit('login')
  // the login error is announced and passes too
  await login(page, 'nobody', 'wrong-password-1')
  await page.getByTestId('login-error').waitFor()
  await audit('login with an error')
  await page.close()
  report()
})

test('a11y: workbench, items list, item detail and form (supervisor)', async () => {
  if (!seeded) skip('needs the demo seed')
  const api = await apiAs('duban', demoPassword('duban'))
  // issued items only: the ledger spec re-imports demo items under the same titles
  const find = async (q) =>
    (await api('GET', `/items?state=issued,in_progress,suspended,completion_requested&q=${encodeURIComponent(q)}`)).data[0]?.id
  // demo items with history: reports, an extension, a completion request waiting for review
  itemId = await find('落实年度工作会议部署的重点项目')
  const withExtension = await find('推进集团安全生产信息化平台建设')
  const withCompletion = await find('编制集团年度投资计划')
  assert(itemId && withExtension && withCompletion, 'the demo items')
  await signIn('duban', demoPassword('duban'))
  await page.getByTestId('todo').locator('[data-testid^="todo-"]').first().waitFor()
  await audit('workbench')
  await page.goto(`${base}/items`)
  await page.getByTestId('item-table').locator('tbody tr.ant-table-row').first().waitFor()
  await audit('items list')
  for (const [id, tab, ready] of [
    [itemId, '', '[data-testid="item-details"]'],
    [itemId, '进展反馈', '.simple-list-item'],
    [itemId, '催办', '[data-testid="urge-create"]'],
    [withExtension, '延期', '.simple-list-item'],
    [withCompletion, '办结', '.simple-list-item'],
    [itemId, '办理过程', '[data-testid="item-timeline"]'],
  ]) {
    await page.goto(`${base}/items/${id}`)
    await page.getByTestId('item-details').waitFor()
    if (tab) await page.getByRole('tab', { name: tab, exact: true }).click()
    await page.locator(ready).first().waitFor()
    await audit(`item detail${tab ? `, ${tab}` : ''}`)
  }
  // at phone width the tabs do not fit: antd's overflow button must stay out of the tablist
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${base}/items/${itemId}`)
  await page.getByTestId('item-details').waitFor()
  await page.locator('.ant-tabs-nav-more').waitFor()
  await audit('item detail at phone width')
  await page.setViewportSize({ width: 1366, height: 860 })
  // a dialog: the urge form
  await page.goto(`${base}/items/${itemId}?tab=urges`)
  await page.getByTestId('urge-create').click()
  await page.getByTestId('form-modal-ok').waitFor()
  await audit('item detail, urge dialog')
  await page.keyboard.press('Escape')
  await page.goto(`${base}/items/new`)
  await page.getByTestId('item-form').waitFor()
  await audit('item form')
  // the required-field messages after an empty save
  await page.getByTestId('item-save').click()
  await page.locator('.ant-form-item-explain-error').first().waitFor()
  await audit('item form with errors')
  await page.goto(`${base}/me`)
  await page.getByTestId('profile').waitFor()
  await audit('me')
  await page.close()
  report()
})

test('a11y: organisation and calendar (admin)', async () => {
  await signIn(ADMIN, NEW_PASSWORD)
  await page.goto(`${base}/org`)
  await page.getByTestId('org-tree').locator('.ant-tree-treenode').first().waitFor()
  await audit('org: units')
  await page.goto(`${base}/org?tab=users`)
  await page.getByTestId('user-table').locator('tbody tr.ant-table-row').first().waitFor()
  await audit('org: users')
  await page.goto(`${base}/calendar`)
  await page.getByTestId('calendar-table').waitFor()
  await audit('calendar')
  await page.close()
  report()
})

test('a11y: the item page in English', async () => {
  if (!seeded) skip('needs the demo seed')
  assert(itemId, 'the previous a11y test did not find the demo item')
  await signIn('duban', demoPassword('duban'))
  await chooseLanguage('English')
  await page.goto(`${base}/items/${itemId}`)
  await page.getByTestId('item-details').waitFor()
  const lang = await page.evaluate(() => document.documentElement.lang)
  assert(lang === 'en', `html lang is ${lang}`)
  await audit('item detail (English)')
  await page.goto(`${base}/workbench`)
  await page.getByTestId('todo').locator('[data-testid^="todo-"]').first().waitFor()
  await audit('workbench (English)')
  // back to Chinese for the specs that follow (the choice is kept in the browser)
  await chooseLanguage('中文')
  await page.getByTestId('todo').waitFor()
  await page.close()
  report()
})

test('a11y: summary', async () => {
  setPage(home)
  console.log(
    `[e2e] axe (wcag2a, wcag2aa) on ${audited} page states: ${failed} with serious/critical violations; ` +
      `moderate ${minor.moderate}, minor ${minor.minor}` +
      (minorRules.size ? ` (${[...minorRules].map(([k, n]) => `${k}×${n}`).join(', ')})` : '') +
      `; best practice (not failing): ${practice.size ? [...practice].map(([k, n]) => `${k}×${n}`).join(', ') : 'none'}`,
  )
})
