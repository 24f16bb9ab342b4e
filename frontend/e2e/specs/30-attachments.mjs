// Attachments: a file uploaded with its progress bar while writing feedback, a refused
// one explained and removed, the file in the item's Attachments tab, downloaded intact.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { assert, skip, sleep, test } from '../harness.mjs'
import { LEAD_HEAD, base, page, seeded, shots, setPage, newPage, shot, login, apiAs, demoPassword } from '../context.mjs'

const FILE_NAME = '隐患排查台账（e2e）.txt'
// Large enough to take a moment, plain text so that the server accepts it.
const FILE_BYTES = Buffer.from(
  Array.from({ length: 4000 }, (_, i) => `${i + 1}. 输煤系统隐患排查记录：已整改，责任人已确认。\n`).join(''),
  'utf8',
)

/** An in-progress item led by the demo's planning department, made through the API. */
async function itemInProgress() {
  const sup = await apiAs('duban', demoPassword('duban'))
  const head = await apiAs(LEAD_HEAD, demoPassword(LEAD_HEAD))
  const me = await head('GET', '/me')
  // every item needs its supervising leader before it is submitted (issue 11)
  const leaders = await sup('GET', '/users?q=leader1&role=leader&active=true')
  const it = await sup('POST', '/items', {
    title: '附件上传下载检查（e2e）',
    content: '按董事会要求排查输煤系统隐患，报送排查台账。',
    category: 'important_matter',
    source: 'board',
    method: 'tracking',
    urgency: 'normal',
    feedback_cadence: 'monthly',
    lead_unit_id: me.org_unit_id,
    supervising_leader_id: leaders.data[0].id,
    deadline: `${new Date().getFullYear() + 1}-06-30`,
  })
  await sup('POST', `/items/${it.id}/submit`, {})
  await sup('POST', `/items/${it.id}/issue`, {})
  const asgs = await head('GET', `/items/${it.id}/assignments`)
  const lead = asgs.data.find((a) => a.unit_id === me.org_unit_id)
  await head('POST', `/assignments/${lead.id}/accept`, {})
  return it.id
}

test('feedback with an attachment: progress bar, a refused type, the Attachments tab and the download', async () => {
  if (!seeded) skip('needs the demo seed')
  const id = await itemInProgress()
  // A tab of its own: a new login, whatever the previous specs left signed in.
  setPage(await newPage())
  await page.goto(`${base}/items/${id}?tab=feedback`)
  await page.waitForURL(/\/login/)
  await login(page, LEAD_HEAD, demoPassword(LEAD_HEAD))
  await page.waitForURL(new RegExp(`/items/${id}`), { waitUntil: 'commit' })
  await page.getByTestId('feedback-create').click()
  await page.getByTestId('feedback-content').fill('已完成输煤系统隐患排查，台账见附件。')
  await page.getByLabel('完成进度').fill('40')
  const box = page.getByTestId('attachment-upload')
  await box.getByText('单个不超过 20 MB').waitFor()

  // A type the server refuses: the reason in Chinese, then removed.
  await box.locator('input[type=file]').setInputFiles({
    name: '页面.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'),
  })
  await box.getByTestId('upload-error').filter({ hasText: '不支持此类文件' }).waitFor()
  await box.getByTestId('upload-remove').click()
  await box.getByTestId('upload-entry').waitFor({ state: 'detached' })

  // A slow uplink (DevTools throttling) so that the bar is seen moving.
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 96 * 1024 })
  await box.locator('input[type=file]').setInputFiles({ name: FILE_NAME, mimeType: 'text/plain', buffer: FILE_BYTES })
  const bar = box.getByTestId('upload-progress')
  await bar.waitFor()
  await bar.scrollIntoViewIfNeeded()
  const seen = new Set()
  let shotTaken = false
  for (let i = 0; i < 100 && (await bar.isVisible()); i++) {
    const text = ((await bar.textContent().catch(() => '')) ?? '').trim()
    const p = /^\d{1,3}%$/.test(text) ? Number.parseInt(text, 10) : -1
    seen.add(p)
    if (p > 0 && p < 100 && !shotTaken) {
      // shot() waits for the network to go idle, which would be after the upload.
      await page.screenshot({ path: join(shots, '30-attachment-progress.png') })
      shotTaken = true
    }
    await sleep(50)
  }
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
  await cdp.detach()
  assert([...seen].some((p) => p > 0 && p < 100), `the progress bar showed a percentage on the way (${[...seen].join(', ')})`)
  await box.locator('[data-testid=upload-entry][data-status=done]').waitFor()
  // submitted at once: the default for the head (issue 11 §14)
  await page.getByTestId('feedback-ok').click()

  // The report lists its file; the Attachments tab lists it with who and where from.
  await page.getByText('已完成输煤系统隐患排查，台账见附件。').waitFor()
  await page.getByTestId('attachment-list').getByRole('button', { name: FILE_NAME }).waitFor()
  await page.getByRole('tab', { name: '附件' }).click()
  const tab = page.getByTestId('attachments-tab')
  const row = tab.getByTestId('attachment-row').filter({ hasText: FILE_NAME })
  await row.getByText('进展反馈').waitFor()
  await row.getByText('陈规划', { exact: false }).waitFor()
  await shot('31-attachments-tab')

  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: FILE_NAME }).click()])
  assert(download.suggestedFilename() === FILE_NAME, `saved as ${download.suggestedFilename()}`)
  const saved = await readFile(await download.path())
  assert(saved.equals(FILE_BYTES), `downloaded ${saved.length} bytes, uploaded ${FILE_BYTES.length}; they differ`)

  await page.getByTestId('user-menu').click()
  await page.getByRole('menuitem', { name: '退出登录' }).click()
  await page.waitForURL(/\/login$/)
})

test('a completion request carries typed materials (报告) and other files', async () => {
  const id = await itemInProgress()
  setPage(await newPage())
  await page.goto(`${base}/items/${id}?tab=completion`)
  await page.waitForURL(/\/login/)
  await login(page, LEAD_HEAD, demoPassword(LEAD_HEAD))
  await page.waitForURL(new RegExp(`/items/${id}`), { waitUntil: 'commit' })
  await page.getByTestId('completion-create').click()
  await page.getByLabel('办结说明').fill('隐患已全部整改，形成专项报告。')
  const field = (label) => page.locator('.ant-form-item', { has: page.getByText(label, { exact: true }) }).getByTestId('attachment-upload')
  await field('报告').locator('input[type=file]').setInputFiles({ name: '专项整治报告.txt', mimeType: 'text/plain', buffer: FILE_BYTES })
  await field('其他附件').locator('input[type=file]').setInputFiles({ name: '现场照片说明.txt', mimeType: 'text/plain', buffer: Buffer.from('现场照片三张，见说明。') })
  await page.locator('[data-testid=upload-entry][data-status=done]').nth(1).waitFor()
  await page.getByTestId('completion-ok').click()
  const list = page.getByTestId('attachment-list').first()
  await list.getByRole('button', { name: '专项整治报告.txt' }).waitFor()
  await list.getByText('报告', { exact: true }).waitFor()
  await shot('32-completion-materials')
  const api = await apiAs(LEAD_HEAD, demoPassword(LEAD_HEAD))
  const reqs = await api('GET', `/items/${id}/completion-requests`)
  const r = reqs.data[0]
  assert(r.materials.length === 1 && r.materials[0].kind === 'report', `typed materials: ${JSON.stringify(r.materials)}`)
  assert(r.attachments.length === 2, `all files of the request: ${r.attachments.map((a) => a.file_name ?? a.name).join(', ')}`)
})
