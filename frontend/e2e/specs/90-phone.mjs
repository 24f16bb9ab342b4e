// Phone width: the side menu becomes a drawer and the ledger becomes cards.
import { assert, test } from '../harness.mjs'
import {
  ADMIN,
  NEW_PASSWORD,
  base,
  page,
  setPage,
  newPage,
  shot,
  menuItem,
  login,
} from '../context.mjs'

test('phone width (390×844): login and navigation through the drawer', async () => {
  setPage(await newPage())
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${base}/login`)
  await shot('10-phone-login')
  await login(page, ADMIN, NEW_PASSWORD)
  await page.waitForURL(/\/workbench$/)
  assert(!(await page.getByTestId('nav-menu').isVisible()), 'the side menu is collapsed into a drawer')
  await shot('11-phone-workbench')
  await page.getByTestId('nav-toggle').click()
  await (await menuItem('我的')).waitFor()
  await shot('12-phone-drawer')
  await (await menuItem('我的')).click()
  await page.waitForURL(/\/me$/)
  await page.getByTestId('page-title').filter({ hasText: '我的' }).waitFor()
  await shot('13-phone-me')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert(overflow <= 1, `no horizontal scroll on a phone (overflow ${overflow}px)`)
  await page.getByTestId('nav-toggle').click()
  await (await menuItem('督办事项')).click()
  await page.waitForURL(/\/items$/)
  await page.getByTestId('item-card').first().waitFor()
  await shot('14-phone-items')
  const overflowItems = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert(overflowItems <= 1, `the items page scrolls its table, not the page (overflow ${overflowItems}px)`)
})
