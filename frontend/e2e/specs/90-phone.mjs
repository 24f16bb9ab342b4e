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
  apiAs,
  demoPassword,
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

test('phone width: the supervision office reviews a report on an item page, every action in reach', async () => {
  const password = demoPassword('duban')
  const api = await apiAs('duban', password)
  const todo = await api('GET', '/me/todo')
  const group = todo.groups.find((g) => g.key === 'feedback_to_review' && g.items.length > 0)
  assert(group, `the demo office has a report to review (groups: ${todo.groups.map((g) => g.key).join(', ')})`)
  const itemId = group.items[0].item_id
  setPage(await newPage())
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${base}/login`)
  await login(page, 'duban', password)
  await page.waitForURL(/\/workbench$/)
  await page.goto(`${base}/items/${itemId}`)
  await page.getByTestId('item-details').waitFor()
  const inView = async (locator) => {
    const box = await locator.boundingBox()
    return box !== null && box.x >= 0 && box.x + box.width <= 391
  }
  for (const button of await page.locator('[data-testid^="item-action-"]').all()) {
    assert(await inView(button), `${await button.getAttribute('data-testid')} lies within the phone's width`)
  }
  await shot('15-phone-item')
  // On a phone the tabs that do not fit sit behind the tab bar's … menu.
  await page.locator('.ant-tabs-nav-more').click()
  await page.getByRole('option', { name: '进展反馈' }).click()
  await page.getByRole('tab', { name: '进展反馈', selected: true }).waitFor()
  const accept = page.getByRole('button', { name: /采\s*纳/ }).first()
  await accept.waitFor()
  await accept.scrollIntoViewIfNeeded()
  assert(await inView(accept), 'the review button of the report is within reach')
  await shot('16-phone-feedback')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert(overflow <= 1, `the item page does not scroll sideways (overflow ${overflow}px)`)
})

test('phone width: every tab of the item page answers a tap (in the bar or behind its … menu)', async () => {
  // the page of the previous test: the office on an item with every tab
  const tabs = page.getByRole('tab')
  const names = (await tabs.allInnerTexts()).map((s) => s.trim()).filter(Boolean)
  assert(names.length >= 10, `the item page has its tabs (${names.join(', ')})`)
  assert((await page.locator('.ant-tabs-nav').first().boundingBox()).width <= 391, 'the tab bar fits the phone')
  // the part of the bar that shows tabs (the … button sits after it)
  const wrap = page.locator('.ant-tabs-nav-wrap').first()
  for (const name of names) {
    const tab = page.getByRole('tab', { name, exact: true })
    const bar = await wrap.boundingBox()
    const box = await tab.boundingBox()
    const inBar = box !== null && box.x >= bar.x - 1 && box.x + box.width <= bar.x + bar.width + 1
    const selected = page.getByRole('tab', { name, exact: true, selected: true })
    if (inBar) {
      await tab.click()
    } else {
      // the overflow is shown by the … button at the bar's end; a tap while its menu
      // is still sliding open can land on the neighbouring option: tap again then
      for (let attempt = 0; attempt < 3; attempt++) {
        await page.locator('.ant-tabs-nav-more').first().click()
        const option = page.getByRole('option', { name, exact: true })
        await option.waitFor()
        await page.waitForTimeout(300)
        await option.click()
        if (await selected.waitFor({ timeout: 2000 }).then(() => true, () => false)) break
      }
    }
    await selected.waitFor({ timeout: 5000 })
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert(overflow <= 1, `tapping through the tabs does not widen the page (overflow ${overflow}px)`)
})
