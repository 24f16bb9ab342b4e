// Pure mapping from API objects to the rows of the two printed forms. Kept free of
// React and i18n so the tests can check what lands on paper with plain data.
import type { OrgUnit } from '../../../api/org'
import { formatDate, formatDateTime } from '../../../lib/time'
import type { Assignment, Comment, Completion, DeadlineChange, Extension, Feedback, Item, ItemEvent, Milestone, SourceRoute, Urge, Verification } from '../types'

export type { Assignment, Comment, Completion, DeadlineChange, Extension, Feedback, Item, ItemEvent, Milestone, OrgUnit, SourceRoute, Urge, Verification }

/** Resolves ids to names; '' for none, so empty cells stay blank for handwriting. */
export interface Names {
  user: (id?: string | null) => string
  unit: (id?: string | null) => string
}

/**
 * Who sends the task notice (§14): the unit the API stored when the item was created,
 * else the one the source's route names now ('' leaves the cell for handwriting).
 */
export function noticeIssuer(item: Item, names: Names, route: SourceRoute | undefined): string {
  const id = item.notice_issuer_unit_id ?? (route?.issuer_is_lead_unit ? item.lead_unit_id : route?.issuer_unit_id)
  return names.unit(id)
}

/**
 * Who signs the task notice: the §14 issuer, except that a unit does not send a notice
 * to itself. Where the route names the lead unit (专题会议, 其他) the notice goes out
 * from the supervision office of the item's scope (else the initiator's unit), and is
 * addressed to the lead unit with the cooperating units.
 */
export function noticeSender(item: Item, names: Names, route: SourceRoute | undefined, units: readonly OrgUnit[]): string {
  const id = item.notice_issuer_unit_id ?? (route?.issuer_is_lead_unit ? item.lead_unit_id : route?.issuer_unit_id)
  if (!id || id !== item.lead_unit_id) return names.unit(id)
  const office = units.find((u) => u.is_supervision_office && u.scope_id === item.scope_id)?.id
  const other = [office, item.initiator_unit_id].find((u) => u && u !== item.lead_unit_id)
  return names.unit(other ?? id)
}

/** The ground the notice's first sentence starts from, without closing punctuation ("。，"). */
export function noticeGround(text: string): string {
  return text.trim().replace(/[。．.，,；;：:、\s]+$/u, '')
}

/** The notice's contact line: the office's contact when set, else the initiator. */
export function noticeContact(
  office: { phone?: string; person?: string } | undefined,
  initiator: { unit: string; name: string; phone: string },
): { contact: string; phone: string } {
  if (office?.phone) return { contact: office.person || initiator.unit, phone: office.phone }
  return { contact: [initiator.unit, initiator.name].filter(Boolean).join(' '), phone: initiator.phone }
}

const byTime = <T>(at: (x: T) => string | null | undefined) => (a: T, b: T) => (at(a) ?? '').localeCompare(at(b) ?? '')

/** Oldest first: paper records read top to bottom in the order things happened. */
function oldestFirst<T>(list: readonly T[], at: (x: T) => string | null | undefined): T[] {
  return [...list].sort(byTime(at))
}

export interface DeadlineRow {
  no: number
  kind: 'original' | 'extension' | 'office'
  from: string
  to: string
  leader: string
  note: string
  at: string
}

/**
 * The deadline history: the original deadline fixed at issue, then every change. Only
 * the first row is the one assessment measures against (§14: 按原定时间考核).
 */
export function deadlineHistory(item: Item, changes: readonly DeadlineChange[], names: Names): DeadlineRow[] {
  const sorted = oldestFirst(changes, (c) => c.created_at)
  const first = item.original_deadline ?? sorted[0]?.from_deadline ?? item.deadline
  const rows: DeadlineRow[] = [
    // who fixed the first deadline is the registration's story (approval, issue), not this table's
    { no: 1, kind: 'original', from: '', to: formatDate(first), leader: '', note: '', at: formatDate(item.issued_at) },
  ]
  sorted.forEach((c, i) =>
    rows.push({
      no: i + 2,
      kind: c.kind === 'office' ? 'office' : 'extension',
      from: formatDate(c.from_deadline),
      to: formatDate(c.to_deadline),
      leader: names.user(c.leader_id),
      note: c.decision_note,
      at: formatDate(c.created_at),
    }),
  )
  return rows
}

/** The deadline for the notice, with the original one only when it was moved. */
export function noticeDeadline(item: Item): { deadline: string; original?: string } {
  const deadline = formatDate(item.deadline)
  const original = item.original_deadline ? formatDate(item.original_deadline) : undefined
  return original && original !== deadline ? { deadline, original } : { deadline }
}

export interface AssignmentRow {
  id: string
  unit: string
  role: 'lead' | 'cooperating'
  state: 'pending' | 'accepted' | 'returned'
  responsible: string
  acceptedBy: string
  acceptedAt: string
  returnReason: string
}

/** Lead first, then the cooperating units, each group in the order assigned. */
export function assignmentRows(list: readonly Assignment[], names: Names): AssignmentRow[] {
  const rank = (a: Assignment) => (a.role === 'lead' ? 0 : 1)
  return [...list]
    .sort((a, b) => rank(a) - rank(b) || byTime<Assignment>((x) => x.created_at)(a, b))
    .map((a) => ({
      id: a.id,
      unit: names.unit(a.unit_id),
      role: a.role === 'lead' ? 'lead' : 'cooperating',
      state: a.state === 'accepted' ? 'accepted' : a.state === 'returned' ? 'returned' : 'pending',
      responsible: names.user(a.responsible_user_id),
      acceptedBy: a.state === 'accepted' ? names.user(a.accepted_by) : '',
      acceptedAt: a.state === 'accepted' ? formatDateTime(a.accepted_at) : '',
      returnReason: a.state === 'returned' ? a.reason : '',
    }))
}

/**
 * The notice's receipt: one line per undertaking unit. Before the item is issued there
 * are no assignments yet, so the units named on the item get blank lines to sign.
 */
export function receiptRows(item: Item, list: readonly Assignment[], names: Names): AssignmentRow[] {
  if (list.length > 0) return assignmentRows(list, names)
  const blank = (unit: string | undefined, role: AssignmentRow['role']): AssignmentRow => ({
    id: `${role}-${unit ?? ''}`,
    unit: names.unit(unit),
    role,
    state: 'pending',
    responsible: '',
    acceptedBy: '',
    acceptedAt: '',
    returnReason: '',
  })
  return [
    ...(item.lead_unit_id ? [blank(item.lead_unit_id, 'lead')] : []),
    ...item.cooperating_unit_ids.map((u) => blank(u, 'cooperating')),
  ]
}

export interface FeedbackRow {
  id: string
  at: string
  unit: string
  progress: number
  content: string
  problems: string
  nextSteps: string
  reporter: string
  state: 'submitted' | 'accepted' | 'returned'
  reviewComment: string
  reviewer: string
  reviewedAt: string
}

/** Reports that reached the office; drafts never do and stay off the record. */
export function feedbackRows(list: readonly Feedback[], names: Names): FeedbackRow[] {
  return oldestFirst(
    list.filter((f) => f.state === 'submitted' || f.state === 'accepted' || f.state === 'returned'),
    (f) => f.submitted_at ?? f.created_at,
  ).map((f) => ({
    id: f.id,
    at: formatDate(f.submitted_at ?? f.created_at),
    unit: names.unit(f.unit_id),
    progress: f.progress,
    content: f.content,
    problems: f.problems,
    nextSteps: f.next_steps,
    reporter: names.user(f.submitted_by ?? f.created_by),
    state: f.state === 'accepted' ? 'accepted' : f.state === 'returned' ? 'returned' : 'submitted',
    reviewComment: f.review_comment,
    reviewer: f.state === 'submitted' ? '' : names.user(f.reviewed_by),
    reviewedAt: f.state === 'submitted' ? '' : formatDate(f.reviewed_at),
  }))
}

export interface UrgeRow {
  id: string
  at: string
  unit: string
  kind: 'manual' | 'auto'
  by: string
  message: string
  acknowledged: string
}

export function urgeRows(list: readonly Urge[], names: Names): UrgeRow[] {
  return oldestFirst(list, (u) => u.created_at).map((u) => ({
    id: u.id,
    at: formatDateTime(u.created_at),
    unit: names.unit(u.unit_id),
    kind: u.kind === 'auto' ? 'auto' : 'manual',
    by: u.kind === 'auto' ? '' : names.user(u.created_by),
    message: u.message,
    acknowledged: u.acknowledged_at ? `${names.user(u.acknowledged_by)} ${formatDateTime(u.acknowledged_at)}`.trim() : '',
  }))
}

/** One person's recorded step on a request: what they wrote, whether they agreed, who, when. */
export interface Step {
  comment: string
  verdict: 'requested' | 'agree' | 'disagree'
  by: string
  at: string
}

type Decided = Pick<Extension, 'state' | 'review_comment' | 'reviewed_by' | 'reviewed_at' | 'decision_comment' | 'decided_by' | 'decided_at'>

/**
 * The office's review and the leader's decision of an extension or completion request.
 * A rejection by the office ends the request before any leader sees it, so a rejected
 * request without a decision was turned down at review.
 */
export function decisionSteps(r: Decided, names: Names): { review: Step | null; decision: Step | null } {
  const rejected = r.state === 'rejected'
  return {
    review: r.reviewed_at
      ? { comment: r.review_comment, verdict: rejected && !r.decided_at ? 'disagree' : 'agree', by: names.user(r.reviewed_by), at: formatDate(r.reviewed_at) }
      : null,
    decision: r.decided_at
      ? { comment: r.decision_comment, verdict: rejected ? 'disagree' : 'agree', by: names.user(r.decided_by), at: formatDate(r.decided_at) }
      : null,
  }
}

export interface ExtensionRow {
  id: string
  at: string
  unit: string
  from: string
  to: string
  reason: string
  progress: number | null
  review: Step | null
  decision: Step | null
  state: string
}

export function extensionRows(list: readonly Extension[], names: Names): ExtensionRow[] {
  return oldestFirst(list, (e) => e.created_at).map((e) => ({
    id: e.id,
    at: formatDate(e.created_at),
    unit: names.unit(e.unit_id),
    from: formatDate(e.current_deadline),
    to: formatDate(e.requested_deadline),
    reason: e.reason,
    progress: typeof e.progress === 'number' ? e.progress : null,
    ...decisionSteps(e, names),
    state: e.state,
  }))
}

export interface CompletionRow {
  id: string
  at: string
  by: string
  summary: string
  materials: string[]
  files: number
  review: Step | null
  decision: Step | null
  state: string
}

export function completionRows(list: readonly Completion[], names: Names): CompletionRow[] {
  return oldestFirst(list, (c) => c.created_at).map((c) => ({
    id: c.id,
    at: formatDate(c.created_at),
    by: names.user(c.requested_by),
    summary: c.summary,
    materials: [...new Set(c.materials.map((m) => m.kind))].filter(Boolean),
    files: c.attachments.length,
    ...decisionSteps(c, names),
    state: c.state,
  }))
}

export interface VerificationRow {
  id: string
  at: string
  method: string
  result: string
  findings: string
  by: string
}

export function verificationRows(list: readonly Verification[], names: Names): VerificationRow[] {
  return oldestFirst(list, (v) => v.created_at).map((v) => ({
    id: v.id,
    at: formatDate(v.created_at),
    method: v.method,
    result: v.result,
    findings: v.findings,
    by: names.user(v.verified_by),
  }))
}

export interface CommentRow {
  id: string
  at: string
  kind: string
  by: string
  body: string
}

/** Leaders' instructions and coordination opinions; plain chat comments stay on screen. */
export function commentRows(list: readonly Comment[], names: Names): CommentRow[] {
  return oldestFirst(
    list.filter((c) => c.kind === 'instruction' || c.kind === 'coordination'),
    (c) => c.created_at,
  ).map((c) => ({ id: c.id, at: formatDate(c.created_at), kind: c.kind, by: names.user(c.author_id), body: c.body }))
}

export interface Registration {
  initiator: string
  registrar: string
  registeredAt: string
  approval: { skipped: boolean; by: string; at: string; comment: string } | null
}

/** Who registered (issued) and who approved, from the timeline: the item keeps only the times. */
export function registration(item: Item, events: readonly ItemEvent[], names: Names, route: SourceRoute | undefined): Registration {
  const last = (action: string) => oldestFirst(events.filter((e) => e.action === action), (e) => e.at).pop()
  const issue = last('issue')
  const approve = last('approve')
  const unit = names.unit(item.initiator_unit_id)
  const user = names.user(item.initiator_user_id)
  return {
    initiator: [unit, user].filter(Boolean).join(' / '),
    registrar: issue ? names.user(issue.actor_id) : '',
    registeredAt: formatDate(item.issued_at ?? issue?.at),
    approval: route && !route.needs_approval
      ? { skipped: true, by: '', at: '', comment: '' }
      : approve
        ? { skipped: false, by: names.user(approve.actor_id), at: formatDate(approve.at), comment: approve.comment }
        : null,
  }
}

export type SignRole = 'lead_head' | 'office' | 'leader'

export interface SignOffRow {
  role: SignRole
  /** who should sign the box, from the organisation; '' when unknown */
  expected: string
  /** the step the system recorded for this box, if any */
  recorded: Step | null
}

/**
 * The three signature boxes of the sheet. They carry the steps recorded on the
 * completion request that counts (the approved one, else the latest), so a reprint
 * after closing shows who agreed; otherwise they stay blank for handwriting.
 */
export function signOffRows(
  item: Item,
  completions: readonly Completion[],
  units: readonly OrgUnit[],
  names: Names,
): SignOffRow[] {
  const sorted = oldestFirst(completions, (c) => c.created_at)
  const c = sorted.filter((x) => x.state === 'approved').pop() ?? sorted[sorted.length - 1]
  const lead = units.find((u) => u.id === item.lead_unit_id)
  const office = units.find((u) => u.is_supervision_office && u.scope_id === item.scope_id)
  const head = (u?: OrgUnit) => u?.head?.display_name ?? u?.head?.username ?? ''
  // the lead unit's request is its head's opinion: the summary itself is printed in 七、办结
  const requested: Step | null = c?.created_at
    ? { comment: '', verdict: 'requested', by: names.user(c.requested_by), at: formatDate(c.created_at) }
    : null
  const steps = c ? decisionSteps(c, names) : { review: null, decision: null }
  return [
    { role: 'lead_head', expected: head(lead), recorded: requested },
    { role: 'office', expected: head(office), recorded: steps.review },
    { role: 'leader', expected: names.user(item.supervising_leader_id), recorded: steps.decision },
  ]
}
