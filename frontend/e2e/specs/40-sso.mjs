// Single sign-on in the browser: a real OIDC provider (cmd/duban-testidp, built from
// internal/sso/testidp on zitadel/oidc) and a second duban configured for it. The
// login page offers 统一身份认证, the person signs in on the provider's own page and
// lands in the workbench. E2E_ONLY=sso runs it (with 10-shell).
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { assert, freePort, run, sleep, startServer, test, waitReady } from '../harness.mjs'
import { BOOT_PASSWORD, bin, newPage, root, setPage, page, shot, work } from '../context.mjs'

async function waitFor(url, server, ms = 20_000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (server.exited) throw new Error(`exited early: ${JSON.stringify(server.exited)}\n${server.lines.join('\n')}`)
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not up yet
    }
    await sleep(100)
  }
  throw new Error(`${url} did not answer\n${server.lines.join('\n')}`)
}

test('Single sign-on: 使用统一身份认证登录 → the provider’s login page → the workbench', async () => {
  const idpBin = join(work, 'duban-testidp')
  run('go', ['build', '-o', idpBin, './cmd/duban-testidp'], { cwd: root, env: { ...process.env, CGO_ENABLED: '0' } })
  const [idpPort, ssoPort] = [await freePort(), await freePort()]
  const sso = `http://127.0.0.1:${ssoPort}`
  const issuer = `http://127.0.0.1:${idpPort}`
  const secret = 'e2e-client-secret-2026'
  const idp = startServer(
    idpBin,
    ['-addr', `127.0.0.1:${idpPort}`, '-client-id', 'duban', '-client-secret', secret,
      '-redirect', `${sso}/api/v1/auth/oidc/callback`, '-user', 'zhang.sso:Idp-Pass-2026:张统一:E9001:zhang.sso@example.com'],
    {},
    join(work, 'idp.log'),
  )
  const data = join(work, 'sso-data')
  mkdirSync(data, { recursive: true })
  const server = startServer(
    bin,
    ['serve'],
    {
      DUBAN_DATA_DIR: data,
      DUBAN_HTTP_ADDR: `127.0.0.1:${ssoPort}`,
      DUBAN_BOOTSTRAP_ADMIN_PASSWORD: BOOT_PASSWORD,
      DUBAN_LOG_FORMAT: 'text',
      DUBAN_LOG_LEVEL: 'warn',
      DUBAN_PUBLIC_URL: sso,
      DUBAN_OIDC_ISSUER: issuer,
      DUBAN_OIDC_CLIENT_ID: 'duban',
      DUBAN_OIDC_CLIENT_SECRET: secret,
      DUBAN_SSO_CREATE_USERS: 'true',
      DUBAN_SSO_DEFAULT_UNIT: '集团公司',
    },
    join(work, 'sso-server.log'),
  )
  try {
    await waitFor(`${issuer}/.well-known/openid-configuration`, idp)
    await waitReady(`${sso}/readyz`, server)
    setPage(await newPage())
    await page.goto(`${sso}/login`)
    const button = page.getByTestId('oidc-login')
    await button.waitFor()
    assert((await button.textContent()).includes('使用统一身份认证登录'), 'the login page offers 统一身份认证')
    await shot('40-login-sso')
    await button.click()
    // the provider's own login page, on its own origin
    await page.waitForURL((u) => u.origin === issuer && u.pathname === '/login/username')
    await page.locator('#username').fill('zhang.sso')
    await page.locator('#password').fill('Idp-Pass-2026')
    await shot('40-provider-login')
    await page.locator('#idp-submit').click()
    await page.waitForURL(`${sso}/workbench`, { timeout: 15_000 })
    await page.getByTestId('user-menu').filter({ hasText: '张统一' }).waitFor()
    assert(!page.url().includes('code='), 'the one-time code is gone from the address')
    await shot('40-workbench-after-sso')
    // the session survives a reload, like a password session
    await page.reload()
    await page.getByTestId('user-menu').filter({ hasText: '张统一' }).waitFor()
    assert(page.url() === `${sso}/workbench`, `after a reload: ${page.url()}`)
  } finally {
    await server.stop()
    await idp.stop()
  }
})
