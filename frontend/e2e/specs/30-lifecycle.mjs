// The whole lifecycle of one item, each step taken in the browser by the role whose
// step it is (one tab per person, so one login each): a member drafts a special-meeting
// matter (which needs the supervising leader's approval) → the leader approves → the
// supervision office issues → the lead unit accepts → an undertaker drafts feedback,
// the liaison submits it, the office returns it, it is revised and resubmitted, the
// office accepts it → an extension is requested, reviewed by the office and approved
// by the leader → completion is refused (退办), requested again and approved → a
// failed verification reopens it (反弹) → closed again → archived (销号) and verified.
// At each step: the buttons the role has (from allowed_actions) and those it must not
// have; the to-do list of the role whose turn it is; another unit gets 404; the
// auditor reads without a single button.
import { assert, skip, test } from '../harness.mjs'
import { base, page, seeded, setPage, newPage, demoPassword, settle, shot, choose, login, apiAs, menuItem } from '../context.mjs'

const TITLE = '建设集团数据治理体系（e2e 全流程）'
const year = new Date().getFullYear()
const DEADLINE = `${year + 1}-06-30`
const EXTENDED = `${year + 1}-09-30`
const FEEDBACK_1 = '已完成数据资产盘点，形成需求清单 18 项。'
const FEEDBACK_2 = '已完成数据资产盘点，形成需求清单 18 项；每项已明确责任人和完成时限。'
const RETURN_COMMENT = '请补充需求清单的责任人和完成时限'
const SUMMARY_1 = '三年行动方案已印发，首批项目已启动。'
const REFUSAL = '缺少方案印发文件和项目验收材料，请补充后再申请'
const SUMMARY_2 = '三年行动方案已印发（规划〔2026〕12号），首批 6 个项目已通过验收，验收报告附后。'
const FINDINGS = '回访发现 2 个项目上线后停用，整改未落实'
const SUMMARY_3 = '停用的 2 个项目已恢复运行并纳入月度考核，整改报告附后。'

// the tab the suite started with, handed back at the end
const home = page
let itemUrl = ''
let itemId = ''
const tabs = new Map()

/** switches to the tab of `user`, logging in on first use */
async function as(user) {
  let p = tabs.get(user)
  if (!p) {
    p = await newPage()
    await p.goto(`${base}/login`)
    await login(p, user, demoPassword(user))
    await p.waitForURL(/\/workbench$/)
    tabs.set(user, p)
  }
  setPage(p)
  await p.bringToFront()
  return p
}

/** opens the item fresh (the tab may hold an old copy) and, when given, one of its tabs */
async function openItem(tabName) {
  await page.goto(itemUrl)
  await page.getByTestId('page-title').filter({ hasText: TITLE }).waitFor()
  if (tabName) await page.getByRole('tab', { name: tabName, exact: true }).click()
}

async function itemState(text) {
  await page.getByTestId('item-state').filter({ hasText: new RegExp(`^${text}$`) }).waitFor()
}

/**
 * The item's header buttons are exactly `expected` (allowed_actions as the page shows
 * them: item-action-<action>, and "accept" for the assignment acceptance). Call it once
 * the page shows the item, whose read carries allowed_actions.
 */
async function headerButtons(expected, who) {
  const bar = page.getByTestId('item-actions')
  if (expected.length === 0) {
    // no button at all: the header has no action row
    await page.getByTestId('page-title').waitFor()
    assert((await bar.count()) === 0, `${who}: an action row without any expected button`)
    return
  }
  await bar.waitFor({ state: 'attached' })
  const shown = await bar.locator('[data-testid^="item-action-"], [data-testid="assignment-accept"]').evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-testid').replace(/^item-action-/, '').replace(/^assignment-accept$/, 'accept')).sort(),
  )
  const want = [...expected].sort()
  assert(JSON.stringify(shown) === JSON.stringify(want), `${who}: header buttons ${JSON.stringify(shown)}, expected ${JSON.stringify(want)}`)
}

/**
 * A button's accessible name: antd puts a space between the two characters of a
 * two-character Chinese label (提 交), so match the characters with optional spaces.
 */
function label(text) {
  return new RegExp(`^${[...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*')}$`)
}

/** the entry of a follow-up list that holds `text` */
function entry(text) {
  return page.locator('.simple-list-item').filter({ hasText: text })
}

/** the button labels of the entry holding `text`, once it shows (its buttons come with it) */
async function entryButtons(text) {
  await entry(text).waitFor()
  return (await entry(text).getByRole('button').allInnerTexts()).map((s) => s.replace(/\s+/g, ''))
}

/** asserts the to-do group `key` on the workbench lists the item, then opens it from there */
async function fromTodo(key) {
  await page.goto(`${base}/workbench`)
  const link = page.getByTestId(`todo-${key}`).getByRole('link').filter({ hasText: TITLE })
  await link.waitFor()
  await link.click()
  // the entry may open one of the item's tabs (?tab=…)
  await page.waitForURL((u) => u.href.split('?')[0] === itemUrl, { waitUntil: 'commit' })
  await page.getByTestId('page-title').filter({ hasText: TITLE }).waitFor()
}

/** a comment-only decision modal (DecisionButton / FormModal): fill, OK, wait until it is gone */
async function decide(button, { comment, decision } = {}) {
  await button.click()
  const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('form-modal-ok') })
  await modal.waitFor()
  if (decision) await modal.getByRole('radio', { name: decision }).check()
  if (comment) await modal.getByLabel('意见').fill(comment)
  await page.getByTestId('form-modal-ok').click()
  await modal.waitFor({ state: 'hidden' })
}

/** the cell of the details table next to the label `name` */
function detail(name) {
  return page.getByTestId('item-details').locator('th', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::td[1]')
}

/** the to-do group `key` on the workbench no longer lists the item (its step is done) */
async function notInTodo(key) {
  await page.goto(`${base}/workbench`)
  // loaded: some group or the empty state (an error shows neither)
  await page.getByTestId('todo').locator('[data-testid^="todo-"], .ant-empty').first().waitFor()
  const group = page.getByTestId(`todo-${key}`)
  const listed = (await group.count()) > 0 && (await group.getByText(TITLE).count()) > 0
  assert(!listed, `the to-do group ${key} still lists the item`)
}

/**
 * Whether a step can run: without the demo seed there are no demo people (skipped);
 * without the item of step 1 a later step fails loudly rather than passing empty.
 */
function ready(first = false) {
  if (!seeded) skip('needs the demo seed')
  if (!first) assert(itemUrl, 'the item of step 1 was not created')
}

test('lifecycle 1: a member drafts an item needing approval and submits it', async () => {
  ready(true)
  await as('guihua.staff')
  await (await menuItem('督办事项')).click()
  await page.getByTestId('item-create').click()
  await page.waitForURL(/\/items\/new$/)
  await page.getByTestId('item-form').waitFor()
  await page.getByLabel('事项名称').fill(TITLE)
  await choose('来源', '专题会议')
  // the meeting type appears once the source is a meeting; let the source's list close first
  await settle()
  await choose('会议类型', '专题会')
  await page.getByLabel('来源说明').fill('集团数据治理专题会（2026年第3次）')
  await page.getByLabel('事项内容').fill('落实专题会议部署，制定集团数据治理制度，建成主数据管理平台。')
  await page.getByLabel('工作目标及要求').fill('年内印发方案，首批项目通过验收。')
  await choose('牵头部门', '规划发展部')
  // the leader picker searches the user directory: type the name, pick the person
  await page.getByLabel('主管领导', { exact: true }).click()
  await page.getByLabel('主管领导', { exact: true }).fill('王建国')
  await page.locator('.ant-select-item-option[title="王建国（leader1）"]:visible').click()
  await page.locator('.ant-select').filter({ has: page.getByLabel('主管领导', { exact: true }) }).getByText('王建国（leader1）').waitFor()
  await page.getByLabel('完成时限').fill(DEADLINE)
  await page.getByLabel('完成时限').press('Tab')
  await page.getByTestId('item-save').click()
  await page.waitForURL(/\/items\/[0-9a-f-]{36}$/)
  itemUrl = page.url()
  itemId = itemUrl.split('/').pop()
  await page.getByTestId('page-title').filter({ hasText: TITLE }).waitFor()
  await itemState('草稿')
  // the initiator edits, submits or deletes a draft; issuing and approving are not hers
  await headerButtons(['update', 'submit', 'delete'], 'the member on her draft')
  assert((await detail('主管领导').innerText()).includes('王建国'), 'the supervising leader is shown')
  await shot('30-01-draft')
  await page.getByTestId('item-action-submit').click()
  await page.getByTestId('action-ok').click()
  // a special-meeting matter goes to the supervising leader (§14)
  await itemState('待审批')
  await headerButtons(['cancel'], 'the member while it waits for approval')
})

test('lifecycle 2: only the supervising leader approves; it waits on his to-do list', async () => {
  ready()
  // another leader sees the item (scope-wide read) but has nothing to do on it
  await as('leader2')
  await openItem()
  await itemState('待审批')
  await headerButtons([], 'a leader who is not the supervising leader')
  await as('leader1')
  await fromTodo('approvals')
  await itemState('待审批')
  await headerButtons(['approve', 'reject'], 'the supervising leader')
  await shot('30-02-leader-approval')
  await page.getByTestId('item-action-approve').click()
  await page.getByTestId('action-comment').fill('同意立项，请督办处下达。')
  await page.getByTestId('action-ok').click()
  await itemState('已审批')
  await headerButtons([], 'the leader once approved')
  // the approval is on the timeline with the leader's comment
  await page.getByRole('tab', { name: '办理过程' }).click()
  await page.getByTestId('item-timeline').getByText('同意立项，请督办处下达。').waitFor()
  await notInTodo('approvals')
})

test('lifecycle 3: the member cannot issue; the supervision office issues it', async () => {
  ready()
  await as('guihua.staff')
  await openItem()
  await itemState('已审批')
  await headerButtons(['cancel'], 'the member on an approved item')
  await as('duban')
  // the approved item waits in the office's to-do list (待下达)
  await fromTodo('to_issue')
  await itemState('已审批')
  await headerButtons(['update', 'issue', 'cancel'], 'the supervision office on an approved item')
  await page.getByTestId('item-action-issue').click()
  await page.getByTestId('action-comment').fill('请规划发展部牵头办理，按月报送进展。')
  await page.getByTestId('action-ok').click()
  await itemState('已下达')
  await page.getByText(new RegExp(`^DB-${year}-\\d{4}$`)).waitFor()
  await headerButtons(['update', 'reassign', 'cancel'], 'the supervision office on an issued item')
  await notInTodo('to_issue')
  await openItem()
  await page.getByRole('tab', { name: /^承办单位/ }).click()
  const lead = page.getByRole('row').filter({ hasText: '规划发展部' })
  await lead.getByText('待签收').waitFor()
  assert((await lead.getByText('牵头').count()) === 1, 'the lead unit is assigned as lead')
  await shot('30-03-issued')
})

test('lifecycle 4: the lead unit head accepts from the to-do list; a staff member cannot', async () => {
  ready()
  await as('guihua.staff')
  await openItem()
  await itemState('已下达')
  await headerButtons([], 'a staff member of the lead unit (not head or liaison)')
  await as('guihua.head')
  await fromTodo('assignments_to_accept')
  await itemState('已下达')
  await headerButtons(['accept'], 'the head of the lead unit')
  await page.getByTestId('item-actions').getByTestId('assignment-accept').click()
  await itemState('办理中')
  await headerButtons([], 'the head once accepted')
  await page.getByRole('tab', { name: /^承办单位/ }).click()
  await page.getByRole('row').filter({ hasText: '规划发展部' }).getByText('已签收').waitFor()
  await shot('30-04-accepted')
})

test('lifecycle 5: another unit gets 404; the auditor reads without a single button', async () => {
  ready()
  await as('caiwu.head')
  await page.goto(itemUrl)
  await page.getByText('督办事项不存在', { exact: true }).waitFor()
  assert(!(await page.getByTestId('page-title').filter({ hasText: TITLE }).isVisible()), 'no title of an item not visible')
  await shot('30-05-other-unit-404')
  const caiwu = await apiAs('caiwu.head', demoPassword('caiwu.head'))
  const answer = await caiwu('GET', `/items/${itemId}`).then(
    () => 'visible',
    (e) => String(e.message),
  )
  assert(/: 404 /.test(answer), `the API hides the item from another unit: ${answer}`)
  await page.goto(`${base}/items?q=${encodeURIComponent('数据治理体系')}`)
  await page.getByTestId('item-table').locator('.ant-empty-description').waitFor()
  await as('auditor')
  await openItem()
  await itemState('办理中')
  await headerButtons([], 'the auditor')
  assert((await page.getByTestId('item-actions').getByRole('button').count()) === 0, 'the auditor has no button at all in the header')
  await page.getByRole('tab', { name: '进展反馈', exact: true }).click()
  await page.getByRole('tabpanel', { name: '进展反馈' }).locator('.ant-empty').waitFor()
  assert(!(await page.getByTestId('feedback-create').isVisible()), 'the auditor writes no feedback')
  await page.getByRole('tab', { name: '延期', exact: true }).click()
  await page.getByRole('tabpanel', { name: '延期' }).locator('.ant-empty').waitFor()
  assert(!(await page.getByTestId('extension-create').isVisible()), 'the auditor requests no extension')
  await page.getByRole('tab', { name: '办结', exact: true }).click()
  await page.getByRole('tabpanel', { name: '办结' }).locator('.ant-empty').waitFor()
  assert(!(await page.getByTestId('completion-create').isVisible()), 'the auditor requests no completion')
  await page.getByRole('tab', { name: '办理过程' }).click()
  await page.getByTestId('item-timeline').getByText('签收').first().waitFor()
  await shot('30-05-auditor')
})

test('lifecycle 6: feedback drafted by an undertaker, submitted, returned, revised, resubmitted and accepted', async () => {
  ready()
  // an undertaker (staff of the lead unit) drafts; only the head or a liaison submits
  await as('guihua.staff')
  await openItem('进展反馈')
  await page.getByTestId('feedback-create').click()
  await page.getByTestId('feedback-content').fill(FEEDBACK_1)
  await page.getByLabel('完成进度').fill('40')
  assert(!(await page.getByRole('switch').isVisible()), 'the undertaker is not offered to submit at once')
  await page.getByTestId('feedback-ok').click()
  await entry(FEEDBACK_1).getByText('草稿', { exact: true }).waitFor()
  let buttons = await entryButtons(FEEDBACK_1)
  assert(JSON.stringify(buttons) === JSON.stringify(['修改']), `the undertaker may edit but not submit: ${buttons}`)
  await as('guihua.liaison')
  await fromTodo('feedback_to_submit')
  await page.getByRole('tab', { name: '进展反馈', exact: true }).click()
  await entry(FEEDBACK_1).getByText('草稿', { exact: true }).waitFor()
  buttons = await entryButtons(FEEDBACK_1)
  assert(buttons.includes('提交') && !buttons.includes('采纳') && !buttons.includes('退回'), `the liaison submits, never reviews: ${buttons}`)
  await entry(FEEDBACK_1).getByRole('button', { name: label('提交') }).click()
  await entry(FEEDBACK_1).getByText('已提交', { exact: true }).waitFor()
  // the office reviews it from its to-do list and returns it
  await as('duban')
  await fromTodo('feedback_to_review')
  await page.getByRole('tab', { name: '进展反馈', exact: true }).click()
  await entry(FEEDBACK_1).getByText('已提交', { exact: true }).waitFor()
  buttons = await entryButtons(FEEDBACK_1)
  assert(JSON.stringify(buttons.sort()) === JSON.stringify(['采纳', '退回'].sort()), `the office accepts or returns: ${buttons}`)
  await decide(entry(FEEDBACK_1).getByRole('button', { name: label('退回') }), { comment: RETURN_COMMENT })
  await entry(FEEDBACK_1).getByText('已退回', { exact: true }).waitFor()
  await entry(FEEDBACK_1).getByText(RETURN_COMMENT).waitFor()
  await shot('30-06-feedback-returned')
  // the undertaker sees the comment and revises
  await as('guihua.staff')
  await openItem('进展反馈')
  await entry(FEEDBACK_1).getByText(RETURN_COMMENT).waitFor()
  await entry(FEEDBACK_1).getByRole('button', { name: label('修改') }).click()
  await page.getByTestId('feedback-content').fill(FEEDBACK_2)
  await page.getByTestId('feedback-ok').click()
  await entry(FEEDBACK_2).getByText('已退回', { exact: true }).waitFor()
  // the liaison resubmits
  await as('guihua.liaison')
  await openItem('进展反馈')
  await entry(FEEDBACK_2).getByRole('button', { name: label('提交') }).click()
  await entry(FEEDBACK_2).getByText('已提交', { exact: true }).waitFor()
  // the office accepts: the lead unit's accepted report sets the item's progress
  await as('duban')
  await openItem('进展反馈')
  await decide(entry(FEEDBACK_2).getByRole('button', { name: label('采纳') }))
  await entry(FEEDBACK_2).getByText('已采纳', { exact: true }).waitFor()
  assert((await entryButtons(FEEDBACK_2)).length === 0, 'an accepted report has no more buttons')
  await page.getByRole('tab', { name: '基本信息' }).click()
  await detail('进度').getByText('40%').waitFor()
})

test('lifecycle 7: an extension, reviewed by the office and approved by the leader; the original deadline stays', async () => {
  ready()
  await as('guihua.liaison')
  await openItem('延期')
  await page.getByTestId('extension-create').click()
  await page.getByLabel('申请延至').fill(EXTENDED)
  await page.getByLabel('申请延至').press('Enter')
  await page.getByLabel('理由', { exact: true }).fill('首批项目验收需等待供应商交付，申请延期三个月。')
  await page.getByTestId('form-modal-ok').click()
  const ext = () => entry('申请延期三个月')
  await ext().getByText('待审核', { exact: true }).waitFor()
  assert((await ext().innerText()).includes(`${DEADLINE}`) && (await ext().innerText()).includes(EXTENDED), 'the request shows both dates')
  assert((await entryButtons('申请延期三个月')).length === 0, 'the requester decides nothing on her own request')
  assert(!(await page.getByTestId('extension-create').isVisible()), 'one open request at a time')
  // first review: the office forwards it to the leader
  await as('duban')
  await fromTodo('extension_decisions')
  await page.getByRole('tab', { name: '延期', exact: true }).click()
  await ext().getByText('待审核', { exact: true }).waitFor()
  let buttons = await entryButtons('申请延期三个月')
  assert(JSON.stringify(buttons) === JSON.stringify(['审核']), `the office reviews, the leader decides: ${buttons}`)
  await decide(ext().getByRole('button', { name: label('审核') }), { decision: '审核通过并报领导', comment: '理由充分，建议同意。' })
  await ext().getByText('待领导审批', { exact: true }).waitFor()
  // the supervising leader decides
  await as('leader1')
  await fromTodo('extension_decisions')
  await page.getByRole('tab', { name: '延期', exact: true }).click()
  await ext().getByText('待领导审批', { exact: true }).waitFor()
  buttons = await entryButtons('申请延期三个月')
  assert(JSON.stringify(buttons.sort()) === JSON.stringify(['不同意', '批准'].sort()), `the leader approves or refuses: ${buttons}`)
  await decide(ext().getByRole('button', { name: label('批准') }), { comment: '同意延期至九月底。' })
  await ext().getByText('已批准', { exact: true }).waitFor()
  await page.getByRole('tab', { name: '基本信息' }).click()
  await detail('完成时限').getByText(EXTENDED).waitFor()
  assert((await detail('原定时限').innerText()).trim() === DEADLINE, 'the original deadline never changes')
  await shot('30-07-extension-approved')
  const api = await apiAs('auditor', demoPassword('auditor'))
  const it = await api('GET', `/items/${itemId}`)
  assert(it.deadline === EXTENDED && it.original_deadline === DEADLINE, `API: deadline ${it.deadline}, original ${it.original_deadline}`)
})

/** the lead unit requests completion through the page */
async function requestCompletion(summary) {
  await as('guihua.head')
  await openItem('办结')
  await page.getByTestId('completion-create').click()
  await page.getByLabel('办结说明').fill(summary)
  await page.getByTestId('completion-ok').click()
  await entry(summary).getByText('待审核', { exact: true }).waitFor()
  await itemState('申请办结')
  assert((await entryButtons(summary)).length === 0, 'the lead unit does not review its own request')
  assert(!(await page.getByTestId('completion-create').isVisible()), 'no second request while one is open')
}

test('lifecycle 8: a completion request is refused (退办), the item runs again', async () => {
  ready()
  await requestCompletion(SUMMARY_1)
  await as('duban')
  await fromTodo('completion_decisions')
  await itemState('申请办结')
  await page.getByRole('tab', { name: '办结', exact: true }).click()
  const buttons = await entryButtons(SUMMARY_1)
  assert(JSON.stringify(buttons) === JSON.stringify(['审核']), `the office reviews first: ${buttons}`)
  await decide(entry(SUMMARY_1).getByRole('button', { name: label('审核') }), { decision: '不同意', comment: REFUSAL })
  await entry(SUMMARY_1).getByText('未通过', { exact: true }).waitFor()
  await entry(SUMMARY_1).getByText(REFUSAL).waitFor()
  await itemState('办理中')
  await shot('30-08-completion-refused')
  await as('guihua.head')
  await openItem('办结')
  await entry(SUMMARY_1).getByText(REFUSAL).waitFor()
  await page.getByTestId('completion-create').waitFor()
})

/** the office forwards the open completion request, the supervising leader approves it */
async function closeThroughLeader(summary) {
  await as('duban')
  await fromTodo('completion_decisions')
  await page.getByRole('tab', { name: '办结', exact: true }).click()
  await decide(entry(summary).getByRole('button', { name: label('审核') }), { decision: '审核通过并报领导' })
  await entry(summary).getByText('待领导审批', { exact: true }).waitFor()
  assert((await entryButtons(summary)).length === 0, 'the office does not approve a completion itself')
  await as('leader1')
  await fromTodo('completion_decisions')
  await page.getByRole('tab', { name: '办结', exact: true }).click()
  const buttons = await entryButtons(summary)
  assert(JSON.stringify(buttons.sort()) === JSON.stringify(['不同意', '批准'].sort()), `the leader approves or refuses: ${buttons}`)
  await decide(entry(summary).getByRole('button', { name: label('批准') }))
  await entry(summary).getByText('已批准', { exact: true }).waitFor()
  await itemState('已办结')
}

test('lifecycle 9: a second completion request is approved: the item is closed', async () => {
  ready()
  await requestCompletion(SUMMARY_2)
  await closeThroughLeader(SUMMARY_2)
  await headerButtons([], 'the leader on a closed item')
  await shot('30-09-closed')
  await as('guihua.head')
  await openItem()
  await itemState('已办结')
  // the lead unit is also the initiator unit here: its head may file (archive) the item
  await headerButtons(['archive'], 'the head of the lead and initiator unit on a closed item')
  await as('guihua.liaison')
  await openItem('办结')
  await entry(SUMMARY_2).getByText('已批准', { exact: true }).waitFor()
  assert(!(await page.getByTestId('completion-create').isVisible()), 'no completion request on a closed item')
})

test('lifecycle 10: a failed verification reopens the item (反弹)', async () => {
  ready()
  await as('duban')
  await fromTodo('verifications_due')
  await itemState('已办结')
  await headerButtons(['archive'], 'the supervision office on a closed item')
  await page.getByRole('tab', { name: '结果核查', exact: true }).click()
  const panel = page.getByRole('tabpanel', { name: '结果核查' })
  await panel.getByRole('button', { name: label('结果核查') }).click()
  const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('form-modal-ok') })
  await modal.getByRole('radio', { name: '回访' }).check()
  await modal.getByRole('radio', { name: '未通过（反弹）' }).check()
  await modal.getByLabel('核查情况').fill(FINDINGS)
  await page.getByTestId('form-modal-ok').click()
  await modal.waitFor({ state: 'hidden' })
  await entry(FINDINGS).getByText('未通过（反弹）').waitFor()
  await itemState('办理中')
  await page.getByText('反弹 1 次').waitFor()
  await shot('30-10-reopened')
  // back with the lead unit: completion can be requested again
  await as('guihua.head')
  await openItem('办结')
  await page.getByTestId('completion-create').waitFor()
})

test('lifecycle 11: closed again, archived (销号) by the initiator and verified', async () => {
  ready()
  await requestCompletion(SUMMARY_3)
  await closeThroughLeader(SUMMARY_3)
  // the initiator files it
  await as('guihua.staff')
  await openItem()
  await itemState('已办结')
  await headerButtons(['archive'], 'the initiator on a closed item')
  await page.getByTestId('item-action-archive').click()
  await page.getByTestId('action-ok').click()
  await itemState('已销号')
  await headerButtons([], 'the initiator on an archived item')
  // an archived item can still be verified; a pass marks it
  await as('duban')
  await openItem()
  await itemState('已销号')
  await headerButtons([], 'the office on an archived item')
  await page.getByRole('tab', { name: '结果核查', exact: true }).click()
  const panel = page.getByRole('tabpanel', { name: '结果核查' })
  await panel.getByRole('button', { name: label('结果核查') }).click()
  const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('form-modal-ok') })
  await modal.getByLabel('核查情况').fill('资料核查：整改材料齐全，2 个项目运行正常。')
  await page.getByTestId('form-modal-ok').click()
  await modal.waitFor({ state: 'hidden' })
  await entry('整改材料齐全').getByText('通过', { exact: true }).waitFor()
  await page.getByText('已核查', { exact: true }).waitFor()
  await itemState('已销号')
  // the whole story is on the timeline
  await page.getByRole('tab', { name: '办理过程' }).click()
  const timeline = page.getByTestId('item-timeline')
  for (const step of ['提交', '审批通过', '下达', '签收', '退回反馈', '采纳反馈', '批准延期', '退办', '批准办结', '结果核查', '销号']) {
    await timeline.getByText(step, { exact: true }).first().waitFor()
  }
  await shot('30-11-archived-timeline')
  await notInTodo('verifications_due')
  const api = await apiAs('auditor', demoPassword('auditor'))
  const it = await api('GET', `/items/${itemId}`)
  assert(it.state === 'archived' && it.verified === true && it.reopened_count === 1, `API: ${it.state}, verified ${it.verified}, reopened ${it.reopened_count}`)
  setPage(home)
  for (const p of tabs.values()) await p.close()
  tabs.clear()
})
