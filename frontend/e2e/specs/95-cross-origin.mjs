// The SPA served from another origin than the API: built with VITE_API_BASE naming the
// API, served by a plain static server, talking to duban through CORS
// (DUBAN_CORS_ORIGINS lists this origin; run.mjs sets it).
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assert, run, test } from '../harness.mjs'
import { base, demoPassword, login, menuItem, newPage, page, setPage, shot, spaPort, watch } from '../context.mjs'

const frontend = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' }

/** a static file server with the SPA's fallback to index.html, as any web server would be set up */
function serve(dir, port) {
  const srv = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    let file = join(dir, path)
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html')
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  return new Promise((ok) => srv.listen(port, '127.0.0.1', () => ok(srv)))
}

test('a link opened in a new tab of the same browser is logged in; a logout ends every tab', async () => {
  const first = await newPage()
  setPage(first)
  await first.goto(`${base}/items`)
  await first.waitForURL(/\/login/)
  await login(first, 'duban', demoPassword('duban'))
  await first.waitForURL(`${base}/items`)
  const link = first.getByTestId('item-table').getByRole('link').first()
  await link.waitFor()
  const href = await link.getAttribute('href')
  assert(href?.startsWith('/items/'), `an item link: ${href}`)
  // the new tab has no access token of its own: the session cookie gives it one
  const second = watch(await first.context().newPage())
  await second.goto(`${base}${href}`)
  await second.getByTestId('item-details').waitFor()
  assert(second.url() === `${base}${href}`, `the new tab stays on the item: ${second.url()}`)
  // logging out in the first tab ends the session in the second, at its next action
  await first.getByTestId('user-menu').click()
  await first.getByRole('menuitem', { name: '退出登录' }).click()
  await first.waitForURL(/\/login$/)
  // the second tab hears of it (BroadcastChannel) or, at the latest, at its next action
  if (!/\/login/.test(second.url())) await (await menuItem('督办事项', second)).click().catch(() => {})
  await second.waitForURL(/\/login/)
  await first.context().close()
})

test('the SPA served from another origin logs in and works against the API through CORS', async () => {
  const out = mkdtempSync(join(tmpdir(), 'duban-spa-'))
  const api = `${base}/api/v1`
  run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', out, '--emptyOutDir'], {
    cwd: frontend,
    env: { ...process.env, VITE_API_BASE: api },
  })
  const srv = await serve(out, spaPort)
  try {
    const spa = `http://127.0.0.1:${spaPort}`
    setPage(await newPage())
    const apiCalls = []
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/')) apiCalls.push(r.url())
    })
    await page.goto(`${spa}/items`)
    await page.waitForURL(/\/login\?next=%2Fitems/)
    await login(page, 'duban', demoPassword('duban'))
    await page.waitForURL(`${spa}/items`)
    await page.getByTestId('item-table').locator('tbody tr.ant-table-row').first().waitFor()
    // a reload restores the session through the cross-origin refresh
    await page.reload()
    await page.getByTestId('item-table').locator('tbody tr.ant-table-row').first().waitFor()
    await shot('95-cross-origin-items')
    assert(apiCalls.length > 0, 'the SPA called the API')
    const stray = apiCalls.filter((u) => !u.startsWith(api))
    assert(stray.length === 0, `every API call goes to ${api}, not the SPA's own origin: ${stray.join(', ')}`)
  } finally {
    srv.close()
    rmSync(out, { recursive: true, force: true })
  }
})
