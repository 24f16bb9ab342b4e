// Departures and delegation (issue 17): a leader's 代理 shows on 我的 and is ended
// there; the org chart's deactivation dialog lists what a leader holds with the
// default successor (nobody is deactivated: later specs use the demo people). Relies
// on 10-shell's admin password and the demo seed. E2E_ONLY=delegation runs it.
import { assert, test } from '../harness.mjs'
import { ADMIN, NEW_PASSWORD, apiAs, base, demoPassword, login, newPage, page, setPage, shot } from '../context.mjs'

async function signIn(path, user, password) {
  setPage(await newPage())
  await page.goto(`${base}${path}`)
  await page.waitForURL(/\/login/)
  await login(page, user, password)
  await page.waitForURL((u) => u.pathname === path)
}

test('Delegation: a leader sees their 代理 on 我的 and ends it early', async () => {
  const leader = await apiAs('leader1', demoPassword('leader1'))
  const admin = await apiAs(ADMIN, NEW_PASSWORD)
  const deputy = (await admin('GET', '/users?q=leader2')).data[0]
  await leader('POST', '/me/delegations', { deputy_id: deputy.id, ends_at: new Date(Date.now() + 86_400_000).toISOString(), reason: '出差（e2e）' })
  await signIn('/me', 'leader1', demoPassword('leader1'))
  const given = page.getByTestId('delegations-given')
  await given.filter({ hasText: '孙立平' }).filter({ hasText: '代理中' }).waitFor()
  await shot('47-delegation')
  await given.getByTestId('delegation-end').click()
  await page.locator('.ant-popconfirm .ant-btn-primary').click()
  await given.filter({ hasText: '已结束' }).waitFor()
  const mine = await leader('GET', '/me/delegations')
  assert(mine.given[0].status === 'ended', `ended: ${JSON.stringify(mine.given[0])}`)
})

test('Handover: deactivating a leader lists their items and the default successor', async () => {
  await signIn('/org/chart', ADMIN, NEW_PASSWORD)
  await page.getByTestId('chart-tree').waitFor()
  await page.getByTestId('chart-search').fill('王建国')
  const table = page.getByTestId('chart-people')
  await table.filter({ hasText: '王建国' }).waitFor()
  await table.locator('tbody tr').filter({ hasText: '王建国' }).first().locator('.ant-checkbox-wrapper').click()
  await page.getByTestId('bulk-count').filter({ hasText: '已选择 1 人' }).waitFor()
  await page.getByTestId('bulk-deactivate').click()
  const handover = page.getByTestId('handover')
  await handover.filter({ hasText: '分管领导' }).waitFor()
  assert(((await handover.textContent()) ?? '').includes('孙立平'), 'the head of the group (a leader) is the default successor')
  await shot('47-handover')
  await page.locator('.ant-modal').getByRole('button', { name: /取\s*消/ }).click()
})
