// Time to first render of the items page, measured in the browser, and the size of
// the initial JavaScript. Printed, never asserted: timings depend on the machine.
//
// Cold: a new tab with the browser's cache emptied, as a user who reopens the app
// (the session is restored from the refresh token, as after F5). Warm: a reload of
// that tab (scripts from the cache, the app started again). Both from the navigation
// start: first contentful paint (Paint Timing API) and the first ledger row (table
// row, or card on a phone) in the DOM and laid out, seen by a MutationObserver that an
// init script installs before the page's own scripts run.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assert, skip, test } from '../harness.mjs'
import { ADMIN, NEW_PASSWORD, base, page, setPage, newPage } from '../context.mjs'

const frontend = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** runs in the page before its scripts: notes when the first ledger row shows */
function watchFirstRow() {
  const row = '[data-testid="item-table"] tbody tr.ant-table-row, [data-testid="item-card"]'
  const seen = () => {
    const el = document.querySelector(row)
    if (!el || el.getBoundingClientRect().height === 0) return false
    window.__firstRow = performance.now()
    // and the frame that paints it
    requestAnimationFrame(() => {
      window.__firstRowPainted = performance.now()
    })
    return true
  }
  new MutationObserver((_, obs) => {
    if (seen()) obs.disconnect()
  }).observe(document, { childList: true, subtree: true })
}

async function measure(p) {
  await p.getByTestId('item-table').locator('tbody tr.ant-table-row').first().waitFor()
  await p.waitForFunction(() => typeof window.__firstRowPainted === 'number')
  return p.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime
    const nav = performance.getEntriesByType('navigation')[0]
    return {
      fcp: Math.round(fcp ?? NaN),
      row: Math.round(window.__firstRowPainted),
      dcl: Math.round(nav?.domContentLoadedEventEnd ?? NaN),
      requests: performance.getEntriesByType('resource').length,
      kb: Math.round(performance.getEntriesByType('resource').reduce((n, r) => n + (r.transferSize ?? 0), 0) / 1024),
    }
  })
}

test('perf: time to first render of the items page (printed, not asserted)', async () => {
  // a session for the new tab: its refresh token, put where the browser keeps it
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: ADMIN, password: NEW_PASSWORD }),
  })
  assert(r.ok, `login ${r.status}`)
  const { refresh_token: refresh } = await r.json()
  const home = page
  const p = await newPage()
  setPage(p)
  await p.addInitScript(watchFirstRow)
  // the browser's session cookie, as a login in another tab would have left it, and the
  // app's note that this browser has a session
  await p.context().addCookies([
    { name: 'duban_refresh', value: refresh, domain: new URL(base).hostname, path: '/api/v1/auth', httpOnly: true, secure: true, sameSite: 'Strict' },
  ])
  await p.addInitScript(() => localStorage.setItem('duban.session', '1'))
  const cdp = await p.context().newCDPSession(p)
  await cdp.send('Network.enable')
  await cdp.send('Network.clearBrowserCache')
  await p.goto(`${base}/items`)
  const cold = await measure(p)
  await p.reload()
  const warm = await measure(p)
  await cdp.detach()
  console.log(
    `[e2e] items page: first contentful paint ${cold.fcp} ms, first row ${cold.row} ms (cold) / ` +
      `first contentful paint ${warm.fcp} ms, first row ${warm.row} ms (warm)`,
  )
  console.log(
    `[e2e]   (DOMContentLoaded ${cold.dcl} / ${warm.dcl} ms; ${cold.requests} requests, ${cold.kb} KB transferred cold, ` +
      `${warm.kb} KB warm)`,
  )
  setPage(home)
  await p.close()
})

test('perf: initial JavaScript of the build (npm run size)', async () => {
  if (!existsSync(join(frontend, 'dist', 'index.html'))) {
    // only a binary built elsewhere (E2E_BINARY) comes without dist/; the run's own build makes it
    if (process.env.E2E_BINARY) skip('no dist/: E2E_BINARY was built elsewhere')
    assert(false, 'no dist/index.html after the build')
  }
  const out = spawnSync(process.execPath, [join(frontend, 'e2e', 'bundle-size.mjs')], { encoding: 'utf8' })
  assert(out.status === 0, `bundle-size.mjs: ${out.stderr}`)
  for (const line of out.stdout.trimEnd().split('\n')) console.log(`[e2e] ${line}`)
})
