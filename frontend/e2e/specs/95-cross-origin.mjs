// The SPA served from another origin than the API: built with VITE_API_BASE naming the
// API, served by a plain static server, talking to duban through CORS
// (DUBAN_CORS_ORIGINS lists this origin; run.mjs sets it).
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assert, run, test } from '../harness.mjs'
import { base, demoPassword, login, newPage, page, setPage, shot, spaPort } from '../context.mjs'

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
