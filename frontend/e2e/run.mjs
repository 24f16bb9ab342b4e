// The browser suite: builds the duban binary with this SPA embedded, starts it on a
// fresh data directory and a free port, and drives Debian's Chromium through
// playwright-core. Prints "N passed, N failed" (and ", N skipped (why)" for a test that
// could not run here) and exits non-zero on failure.
//
//   npm run test:e2e                 build everything, then test
//   E2E_SKIP_BUILD=1 npm run test:e2e   reuse frontend/dist (still builds the Go binary)
//   E2E_BINARY=../bin/duban npm run test:e2e   test an existing binary as is
//   CHROMIUM_PATH=/path/to/chrome    another browser (default /usr/bin/chromium)
//   E2E_ONLY=30-lifecycle           run 10-shell (it changes the admin password the others
//                                   log in with) and the specs whose file name contains this
//
// The tests live in specs/, one file per area, run in file-name order; they share the
// server, the browser and the helpers through context.mjs.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { BOOT_PASSWORD, demoPasswords, init, page, pageErrors } from './context.mjs'
import { assert, freePort, run, runTests, startServer, summary, test, waitReady } from './harness.mjs'

const started = Date.now()
const frontend = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const root = resolve(frontend, '..')
const shots = join(frontend, 'screenshots')
const work = mkdtempSync(join(tmpdir(), 'duban-e2e-'))
const dataDir = join(work, 'data')
// a fresh folder: screenshots of an earlier run (a FAILED- one above all) would mislead
rmSync(shots, { recursive: true, force: true })
mkdirSync(shots, { recursive: true })
let seeded = false

let server = null
let browser = null
let ctx = null

async function cleanup() {
  if (browser) await browser.close().catch(() => {})
  if (server) await server.stop()
  rmSync(work, { recursive: true, force: true })
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    void cleanup().finally(() => process.exit(130))
  })
}

function log(msg) {
  console.log(`[e2e] ${msg}`)
}

// --- build and start (a failure here counts as one failed test) ---------------
let bin = process.env.E2E_BINARY ? resolve(process.env.E2E_BINARY) : join(work, 'duban')
const port = await freePort()
// the origin 95-cross-origin serves the SPA from; the API allows it through CORS
const spaPort = await freePort()
const base = `http://127.0.0.1:${port}`
const env = {
  DUBAN_DATA_DIR: dataDir,
  DUBAN_HTTP_ADDR: `127.0.0.1:${port}`,
  DUBAN_BOOTSTRAP_ADMIN_PASSWORD: BOOT_PASSWORD,
  DUBAN_LOG_FORMAT: 'text',
  DUBAN_LOG_LEVEL: 'warn',
  DUBAN_CORS_ORIGINS: `http://127.0.0.1:${spaPort}`,
  // 70-delivery's webhook receiver listens on loopback
  DUBAN_OUTBOUND_ALLOW: '127.0.0.1/32',
}

async function setup() {
  if (!process.env.E2E_BINARY) {
    if (!process.env.E2E_SKIP_BUILD || !existsSync(join(frontend, 'dist', 'index.html'))) {
      log(`vite build: ${run('npm', ['run', 'build', '--silent'], { cwd: frontend })} ms`)
    }
    // E2E_FROM_HEAD=1 builds the Go side from the last commit (git archive HEAD), so a
    // working tree where others are mid-edit does not break the run.
    let goRoot = root
    if (process.env.E2E_FROM_HEAD) {
      goRoot = join(work, 'src')
      mkdirSync(goRoot)
      const archive = spawnSync('git', ['archive', '--format=tar', 'HEAD'], { cwd: root, maxBuffer: 1 << 30 })
      if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr}`)
      const untar = spawnSync('tar', ['-x', '-C', goRoot], { input: archive.stdout })
      if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`)
      log('Go sources: git archive HEAD')
    }
    const embed = join(goRoot, 'internal', 'webui', 'dist')
    rmSync(embed, { recursive: true, force: true })
    cpSync(join(frontend, 'dist'), embed, { recursive: true })
    const ms = run('go', ['build', '-tags', 'spa', '-o', bin, './cmd/duban'], {
      cwd: goRoot,
      env: { ...process.env, CGO_ENABLED: '0' },
    })
    log(`go build -tags spa: ${ms} ms`)
  }
  mkdirSync(dataDir, { recursive: true })
  const help = spawnSync(bin, ['help'], { encoding: 'utf8', env: { ...process.env, ...env } })
  if (`${help.stdout}${help.stderr}`.includes('seed')) {
    // The first start creates the bootstrap admin (who must change the password);
    // the demo seed then fills the organisation around it.
    server = startServer(bin, ['serve'], env, join(work, 'server.log'))
    await waitReady(`${base}/readyz`, server)
    await server.stop()
    log('duban seed --demo')
    const out = spawnSync(bin, ['seed', '--demo'], { env: { ...process.env, ...env }, encoding: 'utf8' })
    if (out.status !== 0) throw new Error(`duban seed --demo failed: ${out.stderr}`)
    seeded = true
    // the demo accounts and their passwords, as the seed prints them: the table from
    // its USERNAME PASSWORD header to the next blank line (the lines after it say what
    // to look at as whom, and must not be read as passwords)
    const lines = out.stdout.split('\n')
    const header = lines.findIndex((l) => /^USERNAME\s+PASSWORD\b/.test(l.trim()))
    for (const line of header < 0 ? [] : lines.slice(header + 1)) {
      if (!line.trim()) break
      const [user, password] = line.trim().split(/\s+/)
      if (user && password && /^[a-z][a-z0-9._-]+$/.test(user)) demoPasswords.set(user, password)
    }
  }
  server = startServer(bin, ['serve'], env, join(work, 'server.log'))
  log(`server pid ${server.pid} on ${base}`)
  await waitReady(`${base}/readyz`, server)
}

try {
  await setup()
} catch (err) {
  console.log(`  ✗ setup: build and start the server\n${String(err?.stack ?? err).replace(/^/gm, '      ')}`)
  await cleanup()
  console.log(`[e2e] duration: ${((Date.now() - started) / 1000).toFixed(1)} s`)
  console.log('0 passed, 1 failed')
  process.exit(1)
}

// --- browser ---------------------------------------------------------------
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
// Every tab newPage() opens gets a context of its own, as a second browser would:
// each signed-in tab holds the live notification stream open, and a browser opens
// at most six HTTP/1.1 connections per host, shared by all its tabs.
const contextOptions = { viewport: { width: 1366, height: 860 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }
// A browser that does not start (missing, wrong path) must not leave the server running.
try {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  ctx = await browser.newContext(contextOptions)
} catch (err) {
  console.log(`  ✗ setup: start the browser (${executablePath})\n${String(err?.stack ?? err).replace(/^/gm, '      ')}`)
  await cleanup()
  console.log('0 passed, 1 failed')
  process.exit(1)
}
ctx.setDefaultTimeout(10_000)
init({ base, shots, browser, contextOptions, seeded, spaPort, bin, root, work, page: await ctx.newPage() })

const specDir = join(dirname(fileURLToPath(import.meta.url)), 'specs')
for (const file of readdirSync(specDir).filter((f) => f.endsWith('.mjs')).sort()) {
  if (process.env.E2E_ONLY && !file.startsWith('10-') && !file.includes(process.env.E2E_ONLY)) continue
  await import(pathToFileURL(join(specDir, file)).href)
}

test('no script errors in the browser', async () => {
  assert(pageErrors.length === 0, pageErrors.join('\n'))
})

let result = { passed: 0, failed: 1, skipped: [] }
try {
  result = await runTests({
    onFailure: async (name) => {
      const file = join(shots, `FAILED-${name.replace(/[^\w\u4e00-\u9fa5]+/g, '-').slice(0, 60)}.png`)
      await page.screenshot({ path: file })
      console.log(`      screenshot: ${file}`)
      console.log(`      url: ${page.url()}`)
    },
  })
} finally {
  if (result.failed > 0 && server) console.log(`[e2e] last server log lines:\n${server.lines.slice(-30).join('\n')}`)
  await cleanup()
}
console.log(`[e2e] screenshots: ${shots}`)
console.log(`[e2e] duration: ${((Date.now() - started) / 1000).toFixed(1)} s`)
console.log(summary(result))
process.exit(result.failed > 0 ? 1 : 0)
