import { describe, expect, it } from 'vitest'
import {
  assignmentRows,
  commentRows,
  decisionSteps,
  deadlineHistory,
  feedbackRows,
  noticeDeadline,
  noticeContact,
  noticeGround,
  noticeIssuer,
  noticeSender,
  receiptRows,
  registration,
  signOffRows,
  urgeRows,
  type Item,
  type Names,
} from './rows'
import { fixture } from '../../../test/fixture'

const users: Record<string, string> = { u1: '张三', u2: '李四', lead: '王主任', boss: '赵总', off: '钱处长' }
const units: Record<string, string> = { gp: '规划发展部', aq: '安全监察部', bgt: '办公厅', dsh: '董事会办公室', grp: '集团公司' }
const names: Names = { user: (id) => (id ? (users[id] ?? id) : ''), unit: (id) => (id ? (units[id] ?? id) : '') }

const item: Item = fixture({
  id: 'i1',
  code: 'DB-2026-0001',
  title: '落实安全生产专项整治',
  category: 'important_matter',
  source: 'special_meeting',
  scope_id: 'grp',
  lead_unit_id: 'gp',
  cooperating_unit_ids: ['aq'],
  supervising_leader_id: 'boss',
  initiator_unit_id: 'gp',
  initiator_user_id: 'u1',
  deadline: '2026-06-30',
  original_deadline: '2026-06-30',
  issued_at: '2026-03-02T01:00:00Z',
})

describe('deadlineHistory', () => {
  it('starts with the original deadline and lists each change oldest first', () => {
    const rows = deadlineHistory({ ...item, deadline: '2026-09-30' }, [
      fixture({ id: 'c2', kind: 'office', from_deadline: '2026-07-31', to_deadline: '2026-09-30', leader_id: 'boss', decision_note: '逾期，领导重新确定', created_at: '2026-08-03T02:00:00Z' }),
      fixture({ id: 'c1', kind: 'extension', from_deadline: '2026-06-30', to_deadline: '2026-07-31', leader_id: 'boss', decision_note: '同意延期', created_at: '2026-06-20T02:00:00Z' }),
    ], names)
    expect(rows.map((r) => [r.no, r.kind, r.from, r.to, r.at])).toEqual([
      [1, 'original', '', '2026-06-30', '2026-03-02'],
      [2, 'extension', '2026-06-30', '2026-07-31', '2026-06-20'],
      [3, 'office', '2026-07-31', '2026-09-30', '2026-08-03'],
    ])
    expect(rows[0].leader).toBe('')
    expect(rows[2].leader).toBe('赵总')
    expect(rows[2].note).toBe('逾期，领导重新确定')
  })

  it('has just the original row when the deadline never moved', () => {
    expect(deadlineHistory(item, [], names)).toHaveLength(1)
  })

  it('falls back to the first change when the item has no original deadline yet', () => {
    const rows = deadlineHistory({ ...item, original_deadline: null }, [
      fixture({ id: 'c1', kind: 'extension', from_deadline: '2026-05-31', to_deadline: '2026-06-30', created_at: '2026-05-01T00:00:00Z' }),
    ], names)
    expect(rows[0].to).toBe('2026-05-31')
  })
})

describe('noticeDeadline', () => {
  it('shows the original deadline only when it was moved', () => {
    expect(noticeDeadline(item)).toEqual({ deadline: '2026-06-30' })
    expect(noticeDeadline({ ...item, deadline: '2026-07-31' })).toEqual({ deadline: '2026-07-31', original: '2026-06-30' })
  })
})

describe('noticeIssuer (§14)', () => {
  const boardRoute = { category: 'important_matter' as const, source: 'board', needs_approval: false, issuer_is_lead_unit: false, issuer_unit_id: 'dsh', office_submits: false }
  const otherRoute = { category: 'important_matter' as const, source: 'other', needs_approval: true, issuer_is_lead_unit: true, office_submits: false }

  it('names the unit stored on the item', () => {
    expect(noticeIssuer({ ...item, source: 'group_meeting', notice_issuer_unit_id: 'bgt' }, names, undefined)).toBe('办公厅')
  })

  it('falls back to the unit the source route names, or the lead unit', () => {
    expect(noticeIssuer({ ...item, source: 'board' }, names, boardRoute)).toBe('董事会办公室')
    expect(noticeIssuer({ ...item, source: 'other' }, names, fixture(otherRoute))).toBe('规划发展部')
  })

  it('leaves the cell blank when nothing is known', () => {
    expect(noticeIssuer({ ...item, source: 'party_group' }, names, undefined)).toBe('')
  })
})

describe('noticeSender: no notice from the lead unit to itself', () => {
  const otherRoute = fixture({ category: 'important_matter' as const, source: 'special_meeting', needs_approval: true, issuer_is_lead_unit: true, office_submits: false })
  const units = fixture([
    { id: 'gp', scope_id: 'grp', is_supervision_office: false },
    { id: 'bgt', scope_id: 'grp', is_supervision_office: true },
  ])

  it('keeps an issuer other than the lead unit', () => {
    expect(noticeSender({ ...item, notice_issuer_unit_id: 'dsh' }, names, undefined, units)).toBe('董事会办公室')
  })

  it('has the supervision office send it when the route names the lead unit', () => {
    expect(noticeSender({ ...item, notice_issuer_unit_id: null }, names, otherRoute, units)).toBe('办公厅')
    expect(noticeSender({ ...item, notice_issuer_unit_id: 'gp' }, names, undefined, units)).toBe('办公厅')
  })

  it('falls back to the initiator’s unit, then to the lead unit', () => {
    expect(noticeSender({ ...item, notice_issuer_unit_id: 'gp', initiator_unit_id: 'aq' }, names, undefined, [])).toBe('安全监察部')
    expect(noticeSender({ ...item, notice_issuer_unit_id: 'gp', initiator_unit_id: 'gp' }, names, undefined, [])).toBe('规划发展部')
  })
})

describe('noticeGround and noticeContact', () => {
  it('drops closing punctuation so the sentence joins with "，"', () => {
    expect(noticeGround(' 专题会议纪要。 ')).toBe('专题会议纪要')
    expect(noticeGround('Minutes.')).toBe('Minutes')
    expect(noticeGround('')).toBe('')
  })

  it('prints the office’s contact when set, else the initiator', () => {
    const initiator = { unit: '办公厅', name: '钱处长', phone: '010-1' }
    expect(noticeContact({ phone: '0571-2', person: '王敏' }, initiator)).toEqual({ contact: '王敏', phone: '0571-2' })
    expect(noticeContact({ phone: '0571-2', person: '' }, initiator)).toEqual({ contact: '办公厅', phone: '0571-2' })
    expect(noticeContact({ phone: '', person: '王敏' }, initiator)).toEqual({ contact: '办公厅 钱处长', phone: '010-1' })
    expect(noticeContact(undefined, initiator)).toEqual({ contact: '办公厅 钱处长', phone: '010-1' })
  })
})

describe('assignments and receipt', () => {
  const list = [
    { id: 'a2', unit_id: 'aq', role: 'cooperating' as const, state: 'returned' as const, reason: '不属于本部门职责', created_at: '2026-03-02T01:00:00Z' },
    { id: 'a1', unit_id: 'gp', role: 'lead' as const, state: 'accepted' as const, accepted_by: 'lead', accepted_at: '2026-03-03T01:30:00Z', responsible_user_id: 'u2', created_at: '2026-03-02T01:00:00Z' },
  ]

  it('puts the lead unit first and records who accepted', () => {
    const rows = assignmentRows(fixture(list), names)
    expect(rows.map((r) => r.unit)).toEqual(['规划发展部', '安全监察部'])
    expect(rows[0]).toMatchObject({ acceptedBy: '王主任', acceptedAt: '2026-03-03 09:30', responsible: '李四' })
    expect(rows[1]).toMatchObject({ state: 'returned', returnReason: '不属于本部门职责', acceptedBy: '' })
  })

  it('gives blank receipt lines to the units named on an item not issued yet', () => {
    const rows = receiptRows({ ...item, issued_at: null }, [], names)
    expect(rows.map((r) => [r.unit, r.role, r.acceptedBy])).toEqual([
      ['规划发展部', 'lead', ''],
      ['安全监察部', 'cooperating', ''],
    ])
  })
})

describe('feedbackRows', () => {
  it('leaves drafts out and reads oldest first with the review', () => {
    const rows = feedbackRows([
      fixture({ id: 'f3', state: 'draft', progress: 90, created_at: '2026-05-01T00:00:00Z' }),
      fixture({ id: 'f2', state: 'submitted', progress: 60, unit_id: 'gp', submitted_by: 'u2', submitted_at: '2026-04-10T00:00:00Z' }),
      fixture({ id: 'f1', state: 'returned', progress: 30, unit_id: 'gp', submitted_by: 'u2', submitted_at: '2026-03-10T00:00:00Z', review_comment: '请补充数据', reviewed_by: 'off', reviewed_at: '2026-03-11T00:00:00Z' }),
    ], names)
    expect(rows.map((r) => [r.id, r.progress, r.state])).toEqual([
      ['f1', 30, 'returned'],
      ['f2', 60, 'submitted'],
    ])
    expect(rows[0]).toMatchObject({ reviewComment: '请补充数据', reviewer: '钱处长', reviewedAt: '2026-03-11', reporter: '李四' })
    expect(rows[1].reviewer).toBe('')
  })
})

describe('urges and comments', () => {
  it('leaves the urger blank for automatic reminders', () => {
    const rows = urgeRows([fixture({ id: 'g1', kind: 'auto', unit_id: 'gp', message: '临近时限', created_at: '2026-06-25T00:00:00Z' })], names)
    expect(rows[0]).toMatchObject({ kind: 'auto', by: '', acknowledged: '' })
  })

  it('keeps instructions and coordination opinions, not chat comments', () => {
    const rows = commentRows([
      fixture({ id: 'k1', kind: 'comment', body: '收到' }),
      fixture({ id: 'k2', kind: 'instruction', body: '抓紧落实', author_id: 'boss', created_at: '2026-03-05T00:00:00Z' }),
    ], names)
    expect(rows).toEqual([{ id: 'k2', at: '2026-03-05', kind: 'instruction', by: '赵总', body: '抓紧落实' }])
  })
})

describe('decisionSteps', () => {
  it('tells a rejection at review from one by the leader', () => {
    const atReview = decisionSteps(fixture({ state: 'rejected', reviewed_by: 'off', reviewed_at: '2026-07-01T00:00:00Z', review_comment: '材料不全' }), names)
    expect(atReview.review).toMatchObject({ verdict: 'disagree', by: '钱处长', comment: '材料不全' })
    expect(atReview.decision).toBeNull()
    const byLeader = decisionSteps(
      fixture({ state: 'rejected', reviewed_by: 'off', reviewed_at: '2026-07-01T00:00:00Z', decided_by: 'boss', decided_at: '2026-07-02T00:00:00Z', decision_comment: '再核实' }),
      names,
    )
    expect(byLeader.review?.verdict).toBe('agree')
    expect(byLeader.decision).toMatchObject({ verdict: 'disagree', by: '赵总', at: '2026-07-02' })
  })
})

describe('registration', () => {
  const events = [
    { id: 'e1', action: 'approve', actor_id: 'boss', at: '2026-03-01T01:00:00Z', comment: '同意立项' },
    { id: 'e2', action: 'issue', actor_id: 'off', at: '2026-03-02T01:00:00Z' },
  ]
  it('takes the registrar and the approval from the timeline', () => {
    const r = registration(item, fixture(events), names, undefined)
    expect(r).toMatchObject({ initiator: '规划发展部 / 张三', registrar: '钱处长', registeredAt: '2026-03-02' })
    expect(r.approval).toEqual({ skipped: false, by: '赵总', at: '2026-03-01', comment: '同意立项' })
  })

  it('marks the approval as skipped when the source route needs none (§14 sources 1–4, documents)', () => {
    const route = { category: 'important_matter' as const, source: 'board', needs_approval: false, issuer_is_lead_unit: false, office_submits: false }
    expect(registration({ ...item, source: 'board' }, fixture(events), names, fixture(route)).approval?.skipped).toBe(true)
    expect(registration(item, fixture(events), names, fixture({ ...route, source: 'special_meeting', needs_approval: true })).approval?.skipped).toBe(false)
  })
})

describe('signOffRows', () => {
  const orgUnits = [
    { id: 'gp', name: '规划发展部', scope_id: 'grp', head: { id: 'lead', display_name: '王主任' } },
    { id: 'bgt', name: '办公厅', scope_id: 'grp', is_supervision_office: true, head: { id: 'off', display_name: '钱处长' } },
  ]

  it('is three blank boxes naming who signs before any completion request', () => {
    const rows = signOffRows(item, [], fixture(orgUnits), names)
    expect(rows.map((r) => [r.role, r.expected, r.recorded])).toEqual([
      ['lead_head', '王主任', null],
      ['office', '钱处长', null],
      ['leader', '赵总', null],
    ])
  })

  it('carries the approved completion request, not a later rejected one', () => {
    const rows = signOffRows(
      item,
      [
        fixture({ id: 'r1', state: 'rejected', requested_by: 'u2', created_at: '2026-06-01T00:00:00Z', reviewed_by: 'off', reviewed_at: '2026-06-02T00:00:00Z', review_comment: '材料不全' }),
        fixture({
          id: 'r2',
          state: 'approved',
          requested_by: 'lead',
          created_at: '2026-06-10T00:00:00Z',
          reviewed_by: 'off',
          reviewed_at: '2026-06-11T00:00:00Z',
          decided_by: 'boss',
          decided_at: '2026-06-12T00:00:00Z',
          decision_comment: '同意办结',
        }),
      ],
      fixture(orgUnits),
      names,
    )
    expect(rows[0].recorded).toMatchObject({ verdict: 'requested', by: '王主任', at: '2026-06-10' })
    expect(rows[1].recorded).toMatchObject({ verdict: 'agree', by: '钱处长', at: '2026-06-11' })
    expect(rows[2].recorded).toMatchObject({ verdict: 'agree', comment: '同意办结', at: '2026-06-12' })
  })
})
