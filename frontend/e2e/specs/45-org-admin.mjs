// The admins' organisation pages: the Excel import (a file with errors shown by row
// and column, then a clean one checked and imported) and the org chart (search,
// select, bulk roles and deactivation). Relies on 10-shell's admin password and the
// demo seed. E2E_ONLY=org-admin runs it.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assert, sleep, test } from '../harness.mjs'
import { ADMIN, NEW_PASSWORD, apiAs, base, login, newPage, page, setPage, shot } from '../context.mjs'

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')

async function signIn(path) {
  setPage(await newPage())
  await page.goto(`${base}${path}`)
  await page.waitForURL(/\/login/)
  await login(page, ADMIN, NEW_PASSWORD)
  await page.waitForURL((u) => u.pathname === path)
}

test('Org import: errors by row and column, then a clean file checked and imported', async () => {
  await signIn('/org/import')
  await page.getByTestId('page-title').filter({ hasText: '导入组织机构' }).waitFor()
  await page.locator('input[type=file]').setInputFiles(join(fixtures, 'org-import-errors.xlsx'))
  await page.getByTestId('import-check').click()
  const errors = page.getByTestId('import-errors')
  await errors.waitFor()
  const text = await errors.textContent()
  for (const cell of ['单位3C科室', '人员2Fnot-an-email', '人员3DNOPE']) {
    assert(text.replace(/\s+/g, '').includes(cell), `the errors list ${cell}: ${text}`)
  }
  assert(await page.getByTestId('import-apply').isDisabled(), 'a file with errors cannot be imported')
  await shot('45-import-errors')

  await page.locator('input[type=file]').setInputFiles(join(fixtures, 'org-import.xlsx'))
  await page.getByTestId('import-check').click()
  await page.getByTestId('import-status').filter({ hasText: '预检通过' }).waitFor()
  await page.getByTestId('import-changes').filter({ hasText: '导入一号' }).waitFor()
  await page.getByTestId('import-apply').click()
  await page.getByTestId('import-status').filter({ hasText: '导入完成' }).waitFor()
  await shot('45-import-done')
  const admin = await apiAs(ADMIN, NEW_PASSWORD)
  const found = await admin('GET', '/users?q=e2e.import')
  assert(found.total === 3, `3 imported people, got ${found.total}`)
})

test('Org chart: search thousands, select, add a role and deactivate in bulk', async () => {
  await signIn('/org/chart')
  await page.getByTestId('chart-tree').waitFor()
  await page.getByTestId('chart-search').fill('E2E00')
  const table = page.getByTestId('chart-people')
  await table.filter({ hasText: '导入三号' }).waitFor()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chart-people"] tbody tr.ant-table-row').length === 3)
  await table.locator('thead .ant-checkbox-input').check()
  await page.getByTestId('bulk-count').filter({ hasText: '已选择 3 人' }).waitFor()
  await shot('45-org-chart-selected')

  await page.getByTestId('bulk-set-roles').click()
  const modal = page.locator('.ant-modal')
  const roles = modal.locator('.ant-select').filter({ has: page.getByLabel('角色', { exact: true }) })
  // the drop-down opens with a motion: a click during it can miss, so retry
  for (let attempt = 0; attempt < 5 && !((await roles.textContent()) ?? '').includes('审计'); attempt++) {
    await roles.click()
    await page.locator('.ant-select-item-option[title="审计"]:visible').first().click({ timeout: 3000 }).catch(() => {})
    await sleep(300)
  }
  assert(((await roles.textContent()) ?? '').includes('审计'), 'the auditor role is chosen')
  await modal.getByText('为 3 人设置角色').click() // closes the drop-down
  await page.getByTestId('bulk-ok').click()
  await page.locator('.ant-message').filter({ hasText: '3 人变更' }).waitFor()
  const admin = await apiAs(ADMIN, NEW_PASSWORD)
  let people = await admin('GET', '/users?q=e2e.import')
  assert(people.data.every((u) => u.roles.includes('auditor')), `everyone got auditor: ${JSON.stringify(people.data.map((u) => u.roles))}`)

  await table.locator('thead .ant-checkbox-input').check()
  await page.getByTestId('bulk-deactivate').click()
  await page.getByTestId('bulk-ok').click()
  await page.locator('.ant-message').filter({ hasText: '3 人变更' }).last().waitFor()
  people = await admin('GET', '/users?q=e2e.import')
  assert(people.data.every((u) => !u.active), 'everyone deactivated')
})

test('Service accounts: create one, issue a token shown once, and the token works against the API', async () => {
  await signIn('/service-accounts')
  await page.getByTestId('svc-create').click()
  await page.getByTestId('svc-username').fill('e2e-oa')
  await page.getByTestId('svc-display-name').fill('E2E OA 系统')
  await page.getByLabel('所属单位').fill('规划发展部')
  await page.keyboard.press('Enter')
  await page.getByTestId('svc-create-ok').click()
  await page.getByTestId('svc-table').getByRole('row', { name: /e2e-oa/ }).waitFor()
  await page.getByTestId('svc-issue-e2e-oa').click()
  await page.getByTestId('token-name').fill('e2e 待办同步')
  await page.getByTestId('token-scope-todo:read').click()
  await page.getByTestId('token-create-ok').click()
  const secret = (await page.getByTestId('token-secret').textContent()).trim()
  assert(secret.startsWith('dbn_'), `secret ${secret}`)
  await shot('45-service-token')
  await page.getByTestId('token-secret-close').click()
  const r = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } })
  const me = await r.json()
  assert(r.ok && me.kind === 'service' && me.username === 'e2e-oa', `GET /me with the token: ${r.status} ${JSON.stringify(me)}`)
  assert(JSON.stringify(me.token_scopes) === '["items:read","todo:read"]', `scopes ${JSON.stringify(me.token_scopes)}`)
  const feed = await fetch(`${base}/api/v1/todo?unit_id=${me.org_unit_id}`, { headers: { authorization: `Bearer ${secret}` } })
  assert(feed.ok, `the to-do feed of its unit: ${feed.status}`)
  await page.getByTestId('all-tokens-table').getByRole('row', { name: /e2e 待办同步/ }).waitFor()
})
