// Outgoing webhooks (admin): subscribe a local receiver, see the secret once, ping it
// and find the ping in the delivery log; the robots page lists a robot added through
// the API without showing its URL or secret. E2E_ONLY=delivery runs it alone (the
// server allows loopback targets: DUBAN_OUTBOUND_ALLOW in run.mjs).
import { createServer } from 'node:http'
import { assert, test } from '../harness.mjs'
import { ADMIN, NEW_PASSWORD, base, page, setPage, newPage, shot, menuItem, login, apiAs } from '../context.mjs'

test('Webhooks: subscribe, the secret is shown once, ping, the delivery log', async () => {
  const got = []
  const receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      got.push({ id: req.headers['webhook-id'], sig: req.headers['webhook-signature'], body })
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}')
    })
  })
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${receiver.address().port}/duban`
  try {
    setPage(await newPage())
    await page.goto(`${base}/settings/webhooks`)
    await page.waitForURL(/\/login/)
    await login(page, ADMIN, NEW_PASSWORD)
    await page.waitForURL((u) => u.pathname === '/settings/webhooks')
    await (await menuItem('Webhook 推送')).waitFor()
    await page.getByTestId('webhook-add').click()
    await page.getByTestId('webhook-url').fill(url)
    await page.getByRole('dialog').getByRole('button', { name: /新\s*建/ }).click()
    const secret = page.getByTestId('webhook-secret')
    await secret.waitFor()
    assert((await secret.innerText()).startsWith('whsec_'), 'the secret is shown after creation')
    await shot('70-webhook-secret')
    await page.getByRole('dialog').filter({ hasText: '请保存签名密钥' }).getByRole('button', { name: /确\s*定|OK/ }).click()
    await secret.waitFor({ state: 'detached' })
    const row = page.getByTestId('webhook-table').getByRole('row').filter({ hasText: url })
    await row.waitFor()
    assert(!(await page.content()).includes('whsec_'), 'the secret is not shown again')

    const [ping] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/ping') && r.request().method() === 'POST'),
      row.getByTestId('webhook-ping').click(),
    ])
    assert(ping.status() === 200, `ping answered ${ping.status()}`)
    await page.getByText('测试推送成功').waitFor()
    assert(got.length === 1 && got[0].sig?.startsWith('v1,') && got[0].id?.startsWith('msg_'), 'the receiver got a signed ping')
    await row.getByTestId('webhook-log').click()
    const log = page.getByTestId('webhook-deliveries')
    await log.getByText('webhook.ping').waitFor()
    await log.getByText('成功').first().waitFor()
    await shot('70-webhook-log')
  } finally {
    receiver.close()
  }
})

test('Robots: the list shows the platform and host, never the key or secret', async () => {
  const admin = await apiAs(ADMIN, NEW_PASSWORD)
  const units = await admin('GET', '/org-units')
  const unit = (units.data ?? [])[0]
  await admin('POST', '/notification-channels', {
    name: '端到端测试群',
    platform: 'dingtalk',
    url: 'https://203.0.113.9/robot/send?access_token=e2e-token-abc',
    secret: 'SECe2esecret',
    unit_id: unit.id,
  })
  await page.goto(`${base}/settings/robots`)
  const row = page.getByTestId('robot-table').getByRole('row').filter({ hasText: '端到端测试群' })
  await row.waitFor()
  await row.getByText('钉钉').waitFor()
  const html = await page.content()
  assert(!html.includes('e2e-token-abc') && !html.includes('SECe2esecret'), 'no key or secret on the page')
  await shot('70-robots')
})
