// What the specs share: the running server, the browser, the demo accounts and the
// helpers that wait for antd's motion. run.mjs fills it in before it imports the specs;
// `page` is a live binding, so a spec that opens another tab (setPage) hands it on.
import { join } from 'node:path'
import { sleep } from './harness.mjs'

export const ADMIN = 'admin'
export const BOOT_PASSWORD = 'Boot-Pass-2026'
export const NEW_PASSWORD = 'E2e-Changed-Pass-2026'
export const SUPER = 'e2e.super'
export const SUPER_INITIAL = 'Initial-Pass-2026'
export const SUPER_PASSWORD = 'Super-Changed-2026'
export const ITEM_TITLE = '落实安全生产专项整治（e2e）'
export const LEAD_HEAD = 'guihua.head' // head of 规划发展部 in the demo seed

export let base = ''
export let shots = ''
let browser = null
let contextOptions = {}
export let page = null
export let seeded = false
/** a free port whose origin the server allows through CORS (DUBAN_CORS_ORIGINS) */
export let spaPort = 0
/** the duban binary under test, the repository root and a scratch folder, for specs
 * that start servers of their own (40-sso: an OIDC provider and a second duban) */
export let bin = ''
export let root = ''
export let work = ''
/** the demo accounts and their passwords, as `duban seed --demo` prints them */
export const demoPasswords = new Map()
/** script errors and console errors of every page, checked by the last test */
export const pageErrors = []
/** what one spec hands to a later one (e.g. the URL of the item it created) */
export const state = { itemUrl: '' }

export function init(v) {
  base = v.base
  shots = v.shots
  browser = v.browser
  contextOptions = v.contextOptions
  seeded = v.seeded
  spaPort = v.spaPort
  bin = v.bin
  root = v.root
  work = v.work
  page = watch(v.page)
}

/** makes p the page the helpers default to */
export function setPage(p) {
  page = p
}

/**
 * another tab, holding a separate login (sessionStorage is per tab), in a context of
 * its own: the tabs a spec keeps open each hold a live notification stream, and the
 * six connections per host of one browser context would run out
 */
export async function newPage() {
  const c = await browser.newContext(contextOptions)
  c.setDefaultTimeout(10_000)
  return watch(await c.newPage())
}

/** the demo password of a seeded user; the suite needs the demo seed */
export function demoPassword(user) {
  const pw = demoPasswords.get(user)
  if (!pw) throw new Error(`no demo password for ${user}: was the demo seed loaded?`)
  return pw
}

/** the requests each watched page has open, but for the notification stream */
const inflight = new WeakMap()
// The notification stream stays open as long as the page is signed in: Playwright's
// 'networkidle' never comes while it is, and a wait for it always ran into its timeout.
const longLived = (url) => url.includes('/notifications/stream')

export function watch(p) {
  const open = new Set()
  inflight.set(p, open)
  p.on('request', (r) => {
    if (!longLived(r.url())) open.add(r)
  })
  p.on('requestfinished', (r) => open.delete(r))
  p.on('requestfailed', (r) => open.delete(r))
  p.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`))
  p.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`)
  })
  return p
}

/**
 * Waits until nothing moves: no spinner, no antd motion class, and no finite CSS
 * animation or transition running (drawers, modals, dropdowns, messages). Endless ones
 * (a processing badge, a skeleton's shimmer) never finish and are not waited for. Then
 * two frames, so that what finished is also painted.
 */
export async function motionDone(p = page) {
  await p
    .waitForFunction(
      () =>
        document.querySelectorAll('.ant-spin-spinning, [class*="-motion-"][class*="-active"]').length === 0 &&
        document
          .getAnimations()
          .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
      null,
      { polling: 'raf' },
    )
    .catch(() => {})
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
}

/**
 * Waits until the page has had no request open (the notification stream aside) for
 * quietMs, or maxMs have passed.
 */
export async function networkQuiet(p = page, quietMs = 300, maxMs = 10_000) {
  const open = inflight.get(p)
  if (!open) {
    await p.waitForLoadState('networkidle', { timeout: maxMs }).catch(() => {})
    return
  }
  const end = Date.now() + maxMs
  let quietSince = 0
  while (Date.now() < end) {
    if (open.size > 0) quietSince = 0
    else if (!quietSince) quietSince = Date.now()
    else if (Date.now() - quietSince >= quietMs) return
    await sleep(25)
  }
}

/** lets the network go quiet and antd's motion finish before a screenshot */
export async function settle(p = page) {
  await networkQuiet(p)
  await motionDone(p)
}
export async function shot(name, p = page) {
  await settle(p)
  await p.screenshot({ path: join(shots, `${name}.png`), fullPage: false })
}
export async function menuItem(name, p = page) {
  return p.getByTestId('nav-menu').getByRole('menuitem', { name })
}
/** picks an option of an antd Select / TreeSelect found by its form label */
export async function choose(label, option, p = page) {
  const input = p.getByLabel(label, { exact: true })
  const select = p.locator('.ant-select').filter({ has: input }).first()
  const chosen = async () => ((await select.textContent()) ?? '').includes(option)
  for (let attempt = 0; attempt < 3; attempt++) {
    await input.click()
    if (await input.isEditable()) await input.fill(option)
    await p
      .locator(`.ant-select-item-option[title="${option}"]:visible, .ant-select-tree-node-content-wrapper[title="${option}"]:visible`)
      .first()
      .click()
    for (let i = 0; i < 20 && !(await chosen()); i++) await sleep(100)
    if (await chosen()) return
  }
  throw new Error(`could not choose ${option} in ${label}`)
}
export async function login(p, username, password) {
  await p.getByLabel(/用户名|Username/).fill(username)
  await p.getByLabel(/密码|Password/).fill(password)
  await p.getByTestId('login-submit').click()
}

/**
 * A JSON API client logged in as `username`, for preparing data a spec does not test
 * through the page (the page is what the specs check; this only saves clicks).
 * `call('POST', '/items', body)` answers the decoded body and throws on a non-2xx.
 */
export async function apiAs(username, password) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (!login.ok) throw new Error(`API login as ${username}: ${login.status} ${await login.text()}`)
  const { access_token: token } = await login.json()
  return async function call(method, path, body, headers = {}) {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await r.text()
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
}

/**
 * Picks a language from the header's switch and waits until the page speaks it. A
 * click during the menu's opening motion can miss, so the pick is retried.
 */
export async function chooseLanguage(label, p = page) {
  const want = label === 'English' ? 'en' : 'zh-CN'
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!(await p.getByRole('menuitem', { name: label }).isVisible())) await p.getByTestId('lang-switch').click()
    const item = p.getByRole('menuitem', { name: label })
    await item.waitFor()
    await motionDone(p)
    await item.click().catch(() => {})
    for (let i = 0; i < 30; i++) {
      if ((await p.evaluate(() => document.documentElement.lang)) === want) return
      await sleep(100)
    }
  }
  throw new Error(`the page did not switch to ${label}`)
}
