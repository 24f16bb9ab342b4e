// The bell, the notifications page and the notification settings (with the
// calendar feed link). Relies on the demo seed: the supervision office (duban)
// urges 规划发展部, whose head (guihua.head) watches the bell. E2E_ONLY=notifications
// runs it alone.
import { assert, sleep, test } from '../harness.mjs'
import { LEAD_HEAD, base, page, setPage, newPage, shot, login, apiAs, demoPassword, choose } from '../context.mjs'

const OFFICE = 'duban'

async function freshLogin(path, username) {
  setPage(await newPage())
  await page.goto(`${base}${path}`)
  await page.waitForURL(/\/login/)
  await login(page, username, demoPassword(username))
  await page.waitForURL((u) => u.pathname === path)
}

async function until(what, fn, ms = 15000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await fn()) return
    await sleep(100)
  }
  throw new Error(`timed out: ${what}`)
}

const bellCount = async () => Number(await page.getByTestId('notification-bell').getAttribute('data-count'))

test("Notifications: the bell counts up live when the office urges the user's unit; read one, read all", async () => {
  const head = await apiAs(LEAD_HEAD, demoPassword(LEAD_HEAD))
  const office = await apiAs(OFFICE, demoPassword(OFFICE))
  const me = await head('GET', '/me')
  const list = await office('GET', `/items?state=in_progress&lead_unit_id=${me.org_unit_id}`)
  assert(list.data.length > 0, 'the demo has an item in progress led by 规划发展部')
  const item = list.data[0]
  await head('POST', '/notifications/read-all')

  await freshLogin('/workbench', LEAD_HEAD)
  await page.getByTestId('notification-bell').waitFor()
  await until('the bell shows no unread', async () => (await bellCount()) === 0)
  await office('POST', `/items/${item.id}/urges`, { message: '请于本周五前报送最新进展（e2e）' })
  await until('the bell counts the urge without a reload', async () => (await bellCount()) === 1)
  await office('POST', `/items/${item.id}/urges`, { message: '第二次催办（e2e）' })
  await until('the bell counts the second urge', async () => (await bellCount()) === 2)
  await shot('40-bell')

  await page.getByTestId('notification-bell').click()
  await page.waitForURL((u) => u.pathname === '/notifications')
  const first = page.getByTestId('notification').first()
  await first.getByText(`催办：${item.title}`).waitFor()
  await page.getByText('第二次催办（e2e）').waitFor()
  await shot('40-notifications')
  await first.getByTestId('notification-read').click()
  await until('the bell follows the read', async () => (await bellCount()) === 1)
  await page.getByTestId('notifications-read-all').click()
  await until('the bell is back to none', async () => (await bellCount()) === 0)

  // The link opens the item on its urges.
  await page.getByTestId('notification').first().getByRole('button', { name: '查看' }).click()
  await page.waitForURL((u) => u.pathname === `/items/${item.id}` && u.searchParams.get('tab') === 'urges')
})

test('Notification settings: a channel and the language saved; the calendar feed link works and a new one revokes it', async () => {
  const head = await apiAs(LEAD_HEAD, demoPassword(LEAD_HEAD))
  await freshLogin('/me/notifications', LEAD_HEAD)
  await page.getByTestId('page-title').filter({ hasText: '通知设置' }).waitFor()
  const urgeInApp = page.getByLabel('催办 站内')
  assert(await urgeInApp.isChecked(), 'urges come in the app by default')
  await urgeInApp.uncheck()
  await choose('通知语言', 'English')
  const isPut = (r) => r.url().endsWith('/api/v1/me/notification-settings') && r.request().method() === 'PUT'
  const [put] = await Promise.all([page.waitForResponse(isPut), page.getByTestId('notification-settings-save').click()])
  assert(put.status() === 200, `PUT answered ${put.status()}`)
  assert(put.request().headers()['if-match'] !== undefined, 'the save sends If-Match')
  await page.getByTestId('page-title').filter({ hasText: 'Notification settings' }).waitFor()
  const saved = await head('GET', '/me/notification-settings')
  assert(saved.language === 'en' && saved.kinds.find((k) => k.kind === 'urge').in_app === false, 'saved on the server')
  await shot('40-notification-settings')

  // The calendar feed: a link, fetched like a calendar would; a new one revokes it.
  await page.getByTestId('calendar-feed-new').click()
  const link = (await page.getByTestId('calendar-feed-link').textContent()).trim()
  const feed = await fetch(link.replace(/^https?:\/\/[^/]+/, base))
  assert(feed.status === 200 && (await feed.text()).startsWith('BEGIN:VCALENDAR'), `the feed answered ${feed.status}`)
  await page.getByTestId('calendar-feed-new').click()
  await page.getByRole('button', { name: /OK|确\s*定/ }).click()
  await until('a new link', async () => ((await page.getByTestId('calendar-feed-link').textContent()) ?? '').trim() !== link)
  const old = await fetch(link.replace(/^https?:\/\/[^/]+/, base))
  assert(old.status === 401, `the replaced link answered ${old.status}`)

  // Back to the defaults the other specs expect (Chinese, urges in the app).
  const cur = await head('GET', '/me/notification-settings')
  await head('PUT', '/me/notification-settings', { language: 'zh-CN', kinds: [{ kind: 'urge', in_app: true }] }, { 'If-Match': `"${cur.version}"` })
  await page.getByTestId('lang-switch').click()
  await page.getByRole('menuitem', { name: '中文' }).click()
  await page.getByTestId('page-title').filter({ hasText: '通知设置' }).waitFor()
})
