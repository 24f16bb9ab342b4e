import { PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, DatePicker, Form, Input, InputNumber, Radio, Select, Space, Switch, Tag, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../api/client'
import { unitNameMap, useOrgTree } from '../../api/org'
import { call, errorMessage } from '../../api/problem'
import { UserName } from '../../api/users'
import { SimpleList } from '../../components/SimpleList'
import { ErrorState, Loading } from '../../components/States'
import { formatDate, formatDateTime } from '../../lib/time'
import { UserSelect } from '../org/UserSelect'
import { FormModal } from './FormModal'
import type { Item } from './ui'

type Feedback = Schemas['Feedback']
type Extension = Schemas['Extension']
type Completion = Schemas['CompletionRequest']
type Assignment = Schemas['Assignment']

const ifMatch = (v: number | undefined) => `"${v ?? 0}"`

/** After any follow-up action: the item, its timeline, lists and the to-do list change. */
function useRefresh(itemId: string) {
  const qc = useQueryClient()
  return () => {
    void qc.invalidateQueries({ queryKey: ['items'] })
    void qc.invalidateQueries({ queryKey: ['followup', itemId] })
    void qc.invalidateQueries({ queryKey: ['me', 'todo'] })
  }
}

function useUnitNames() {
  const tree = useOrgTree()
  const names = unitNameMap(tree.data?.data)
  return (id?: string) => (id ? (names.get(id) ?? '…') : '—')
}

function StateTag({ state }: { state?: string }) {
  const { t } = useTranslation()
  const color: Record<string, string> = {
    draft: 'default',
    submitted: 'processing',
    accepted: 'success',
    returned: 'warning',
    requested: 'gold',
    forwarded: 'processing',
    approved: 'success',
    rejected: 'error',
  }
  return state ? <Tag color={color[state] ?? 'default'}>{t(`followup.states.${state}`, { defaultValue: state })}</Tag> : null
}

/** A comment-only decision (accept, return, approve, reject, acknowledge …). */
function DecisionButton({
  label,
  danger,
  needsComment,
  withDecision,
  run,
  testId,
}: {
  label: string
  danger?: boolean
  needsComment?: boolean
  /** review: forward or reject */
  withDecision?: boolean
  run: (v: { comment?: string; decision?: 'forward' | 'reject' }) => Promise<unknown>
  testId?: string
}) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  return (
    <>
      <Button size="small" type={danger ? 'default' : 'primary'} danger={danger} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </Button>
      {open && (
        <FormModal<{ comment?: string; decision?: 'forward' | 'reject' }>
          title={label}
          initialValues={withDecision ? { decision: 'forward' } : {}}
          onClose={() => setOpen(false)}
          onSubmit={(v) => run({ ...v, comment: v.comment?.trim() || undefined })}
        >
          {withDecision && (
            <Form.Item name="decision" label={t('followup.review')}>
              <Radio.Group
                options={[
                  { value: 'forward', label: t('followup.forward') },
                  { value: 'reject', label: t('followup.reject') },
                ]}
              />
            </Form.Item>
          )}
          <Form.Item
            name="comment"
            label={t('followup.decisionComment')}
            rules={needsComment ? [{ required: true, whitespace: true, message: t('rules.required') }] : []}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
        </FormModal>
      )}
    </>
  )
}

// --- feedback -----------------------------------------------------------------

interface FeedbackValues {
  progress: number
  content: string
  problems?: string
  next_steps?: string
  submit?: boolean
}

function FeedbackTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id ?? ''
  const unit = useUnitNames()
  const refresh = useRefresh(id)
  const [editing, setEditing] = useState<null | { fb?: Feedback; initial: Partial<FeedbackValues> }>(null)
  const list = useQuery({
    queryKey: ['followup', id, 'feedback'],
    queryFn: () => call(api.GET('/items/{id}/feedback', { params: { path: { id }, query: { page_size: 100 } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  const startNew = async () => {
    try {
      const d = await call(api.GET('/items/{id}/feedback/draft', { params: { path: { id } } }))
      const open = d.open_feedback_id ? list.data.data?.find((f) => f.id === d.open_feedback_id) : undefined
      setEditing({
        fb: open,
        initial: { progress: d.progress ?? 0, content: d.content ?? '', problems: d.problems ?? '', next_steps: d.next_steps ?? '' },
      })
    } catch (e) {
      void message.error(errorMessage(e, t))
    }
  }
  const act = async (fb: Feedback, action: 'submit' | 'accept' | 'return', comment?: string) => {
    const params = { path: { id: fb.id ?? '' }, header: { 'If-Match': ifMatch(fb.version) } }
    if (action === 'submit') await call(api.POST('/feedback/{id}/submit', { params }))
    if (action === 'accept') await call(api.POST('/feedback/{id}/accept', { params, body: comment ? { comment } : {} }))
    if (action === 'return') await call(api.POST('/feedback/{id}/return', { params, body: { comment: comment ?? '' } }))
    void message.success(t('items.actionDone', { action: t(`followup.actions.${action}`) }))
    refresh()
  }
  const due = list.data.due ?? []
  return (
    <>
      {due.length > 0 && (
        <Space wrap style={{ marginBottom: 12 }}>
          {due.map((d) => (
            <Tag key={d.unit_id} color={d.overdue ? 'red' : 'default'}>
              {unit(d.unit_id)} · {d.next_due ? `${t('followup.nextDue')} ${formatDate(d.next_due)}` : t('followup.noDue')}
            </Tag>
          ))}
        </Space>
      )}
      {(list.data.allowed_actions ?? []).includes('create') && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => void startNew()} style={{ marginBottom: 12 }} data-testid="feedback-create">
          {t('followup.writeFeedback')}
        </Button>
      )}
      <SimpleList
        items={list.data.data ?? []}
        keyOf={(fb) => fb.id ?? ''}
        render={(fb) => {
          const allowed = fb.allowed_actions ?? []
          return (
            <>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{unit(fb.unit_id)}</Typography.Text>
                  <StateTag state={fb.state} />
                  <Tag>
                    {t('followup.progress')} {fb.progress ?? 0}%
                  </Tag>
                  <Typography.Text type="secondary">{formatDateTime(fb.submitted_at ?? fb.updated_at)}</Typography.Text>
                </Space>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{fb.content}</Typography.Paragraph>
                {fb.problems && (
                  <Typography.Text type="secondary">
                    {t('followup.problems')}：{fb.problems}
                  </Typography.Text>
                )}
                {fb.next_steps && (
                  <Typography.Text type="secondary">
                    {t('followup.nextSteps')}：{fb.next_steps}
                  </Typography.Text>
                )}
                {fb.review_comment && (
                  <Typography.Text type="warning">
                    {t('followup.reviewComment')}：{fb.review_comment}
                  </Typography.Text>
                )}
                <Space wrap>
                  {allowed.includes('update') && (
                    <Button size="small" onClick={() => setEditing({ fb, initial: fb as Partial<FeedbackValues> })}>
                      {t('followup.actions.update')}
                    </Button>
                  )}
                  {allowed.includes('submit') && (
                    <Button size="small" type="primary" onClick={() => void act(fb, 'submit').catch((e: unknown) => void message.error(errorMessage(e, t)))}>
                      {t('followup.actions.submit')}
                    </Button>
                  )}
                  {allowed.includes('accept') && <DecisionButton label={t('followup.actions.accept')} run={(v) => act(fb, 'accept', v.comment)} />}
                  {allowed.includes('return') && (
                    <DecisionButton label={t('followup.actions.return')} danger needsComment run={(v) => act(fb, 'return', v.comment)} />
                  )}
                </Space>
              </Space>
            </>
          )
        }}
      />
      {editing && (
        <FormModal<FeedbackValues>
          title={editing.fb ? t('followup.editFeedback') : t('followup.writeFeedback')}
          initialValues={editing.initial}
          testId="feedback"
          onClose={() => setEditing(null)}
          onSubmit={async (v) => {
            const body = { progress: v.progress, content: v.content, problems: v.problems ?? '', next_steps: v.next_steps ?? '' }
            if (editing.fb) {
              const fb = editing.fb
              await call(api.PATCH('/feedback/{id}', { params: { path: { id: fb.id ?? '' }, header: { 'If-Match': ifMatch(fb.version) } }, body }))
            } else {
              await call(api.POST('/items/{id}/feedback', { params: { path: { id } }, body: { ...body, submit: !!v.submit } }))
            }
            void message.success(t('common.saved'))
            refresh()
          }}
        >
          <Form.Item name="progress" label={t('followup.progress')} rules={[{ required: true, message: t('rules.required') }]}>
            <InputNumber min={0} max={100} suffix="%" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="content" label={t('followup.content')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input.TextArea rows={4} data-testid="feedback-content" />
          </Form.Item>
          <Form.Item name="problems" label={t('followup.problems')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="next_steps" label={t('followup.nextSteps')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          {!editing.fb && (
            <Form.Item name="submit" label={t('followup.submitNow')} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </FormModal>
      )}
    </>
  )
}

// --- urges -------------------------------------------------------------------

function UrgesTab({ item, assignments }: { item: Item; assignments: Assignment[] }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id ?? ''
  const unit = useUnitNames()
  const refresh = useRefresh(id)
  const [urging, setUrging] = useState(false)
  const list = useQuery({
    queryKey: ['followup', id, 'urges'],
    queryFn: () => call(api.GET('/items/{id}/urges', { params: { path: { id }, query: { page_size: 100 } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  const live = assignments.filter((a) => a.state !== 'returned')
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {(list.data.counts ?? []).map((c) => (
          <Tag key={c.unit_id} color={(c.unacknowledged ?? 0) > 0 ? 'orange' : 'default'}>
            {unit(c.unit_id)} · {t('followup.urgeCount', { total: c.total ?? 0, open: c.unacknowledged ?? 0 })}
          </Tag>
        ))}
        {(list.data.allowed_actions ?? []).includes('create') && (
          <Button type="primary" onClick={() => setUrging(true)} data-testid="urge-create">
            {t('followup.urge')}
          </Button>
        )}
      </Space>
      <SimpleList
        items={list.data.data ?? []}
        keyOf={(u) => u.id ?? ''}
        render={(u) => (
          <>
            <Space orientation="vertical" size={2}>
              <Space wrap>
                <Typography.Text strong>{unit(u.unit_id)}</Typography.Text>
                <Tag>{u.kind === 'auto' ? t('followup.auto') : t('followup.manual')}</Tag>
                <Typography.Text type="secondary">{formatDateTime(u.created_at)}</Typography.Text>
                {u.acknowledged_at && <Tag color="success">{t('followup.acknowledged')}</Tag>}
              </Space>
              <Typography.Text>{u.message}</Typography.Text>
              {(u.allowed_actions ?? []).includes('acknowledge') && (
                <Button
                  size="small"
                  onClick={() =>
                    void call(api.POST('/urges/{id}/acknowledge', { params: { path: { id: u.id ?? '' }, header: { 'If-Match': ifMatch(u.version) } } }))
                      .then(() => {
                        void message.success(t('followup.acknowledged'))
                        refresh()
                      })
                      .catch((e: unknown) => void message.error(errorMessage(e, t)))
                  }
                >
                  {t('followup.acknowledge')}
                </Button>
              )}
            </Space>
          </>
        )}
      />
      {urging && (
        <FormModal<{ unit_id?: string; message: string }>
          title={t('followup.urge')}
          initialValues={{ unit_id: live.find((a) => a.role === 'lead')?.unit_id }}
          onClose={() => setUrging(false)}
          onSubmit={async (v) => {
            await call(api.POST('/items/{id}/urges', { params: { path: { id } }, body: { unit_id: v.unit_id, message: v.message } }))
            void message.success(t('items.actionDone', { action: t('followup.urge') }))
            refresh()
          }}
        >
          <Form.Item name="unit_id" label={t('followup.urgeUnit')}>
            <Select options={live.map((a) => ({ value: a.unit_id ?? '', label: unit(a.unit_id) }))} />
          </Form.Item>
          <Form.Item name="message" label={t('followup.urgeMessage')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </FormModal>
      )}
    </>
  )
}

// --- extensions and completion requests ----------------------------------------

type Request = Extension | Completion

function RequestActions({ r, kind, itemId }: { r: Request; kind: 'extension' | 'completion'; itemId: string }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const refresh = useRefresh(itemId)
  const allowed = r.allowed_actions ?? []
  const params = { path: { id: r.id ?? '' }, header: { 'If-Match': ifMatch(r.version) } }
  const done = (action: string) => {
    void message.success(t('items.actionDone', { action: t(`followup.actions.${action}`) }))
    refresh()
  }
  return (
    <Space wrap>
      {allowed.includes('review') && (
        <DecisionButton
          label={t('followup.actions.review')}
          withDecision
          run={async (v) => {
            const body = { decision: v.decision ?? 'forward', comment: v.comment }
            if (kind === 'extension') await call(api.POST('/extensions/{id}/review', { params, body }))
            else await call(api.POST('/completion-requests/{id}/review', { params, body }))
            done('review')
          }}
        />
      )}
      {allowed.includes('approve') && (
        <DecisionButton
          label={t('followup.actions.approve')}
          run={async (v) => {
            const body = v.comment ? { comment: v.comment } : {}
            if (kind === 'extension') await call(api.POST('/extensions/{id}/approve', { params, body }))
            else await call(api.POST('/completion-requests/{id}/approve', { params, body }))
            done('approve')
          }}
        />
      )}
      {allowed.includes('reject') && (
        <DecisionButton
          label={t('followup.actions.reject')}
          danger
          needsComment
          run={async (v) => {
            const body = { comment: v.comment }
            if (kind === 'extension') await call(api.POST('/extensions/{id}/reject', { params, body }))
            else await call(api.POST('/completion-requests/{id}/reject', { params, body }))
            done('reject')
          }}
        />
      )}
    </Space>
  )
}

function ExtensionsTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id ?? ''
  const refresh = useRefresh(id)
  const [requesting, setRequesting] = useState(false)
  const [setting, setSetting] = useState(false)
  const list = useQuery({
    queryKey: ['followup', id, 'extensions'],
    queryFn: () => call(api.GET('/items/{id}/extensions', { params: { path: { id } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  return (
    <>
      {(list.data.allowed_actions ?? []).includes('request') && (
        <Button type="primary" onClick={() => setRequesting(true)} style={{ marginBottom: 12 }} data-testid="extension-create">
          {t('followup.requestExtension')}
        </Button>
      )}
      {(list.data.allowed_actions ?? []).includes('set_deadline') && (
        <Button onClick={() => setSetting(true)} style={{ marginBottom: 12, marginLeft: 8 }} data-testid="deadline-set">
          {t('followup.setDeadline')}
        </Button>
      )}
      {setting && (
        <FormModal<{ deadline: Dayjs; leader_id: string; decision_note: string }>
          title={t('followup.setDeadline')}
          onClose={() => setSetting(false)}
          onSubmit={async (v) => {
            await call(
              api.POST('/items/{id}/deadline', {
                params: { path: { id }, header: { 'If-Match': ifMatch(item.version) } },
                body: { deadline: v.deadline.format('YYYY-MM-DD'), leader_id: v.leader_id, decision_note: v.decision_note },
              }),
            )
            void message.success(t('common.saved'))
            refresh()
          }}
        >
          <Form.Item name="deadline" label={t('followup.requestedDeadline')} rules={[{ required: true, message: t('rules.required') }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="leader_id" label={t('followup.decidingLeader')} rules={[{ required: true, message: t('rules.required') }]}>
            <UserSelect role="leader" />
          </Form.Item>
          <Form.Item name="decision_note" label={t('followup.decisionNote')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </FormModal>
      )}
      <SimpleList
        items={list.data.data ?? []}
        keyOf={(r) => r.id ?? ''}
        render={(r) => (
          <>
            <Space orientation="vertical" size={2}>
              <Space wrap>
                <StateTag state={r.state} />
                <Typography.Text>
                  {t('followup.currentDeadline')} {formatDate(r.current_deadline)} → {t('followup.requestedDeadline')} {formatDate(r.requested_deadline)}
                </Typography.Text>
                <Typography.Text type="secondary">
                  <UserName id={r.requested_by} /> · {formatDateTime(r.created_at)}
                </Typography.Text>
              </Space>
              <Typography.Text>{r.reason}</Typography.Text>
              {r.review_comment && <Typography.Text type="secondary">{r.review_comment}</Typography.Text>}
              {r.decision_comment && <Typography.Text type="secondary">{r.decision_comment}</Typography.Text>}
              <RequestActions r={r} kind="extension" itemId={id} />
            </Space>
          </>
        )}
      />
      {requesting && (
        <FormModal<{ requested_deadline: Dayjs; reason: string; progress?: number }>
          title={t('followup.requestExtension')}
          onClose={() => setRequesting(false)}
          onSubmit={async (v) => {
            await call(
              api.POST('/items/{id}/extensions', {
                params: { path: { id } },
                body: { requested_deadline: v.requested_deadline.format('YYYY-MM-DD'), reason: v.reason, progress: v.progress },
              }),
            )
            void message.success(t('common.saved'))
            refresh()
          }}
        >
          <Form.Item name="requested_deadline" label={t('followup.requestedDeadline')} rules={[{ required: true, message: t('rules.required') }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="reason" label={t('items.reason')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="progress" label={t('followup.progress')}>
            <InputNumber min={0} max={100} suffix="%" style={{ width: 160 }} />
          </Form.Item>
        </FormModal>
      )}
    </>
  )
}

function CompletionTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id ?? ''
  const refresh = useRefresh(id)
  const [requesting, setRequesting] = useState(false)
  const list = useQuery({
    queryKey: ['followup', id, 'completion'],
    queryFn: () => call(api.GET('/items/{id}/completion-requests', { params: { path: { id } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  return (
    <>
      {(list.data.allowed_actions ?? []).includes('request') && (
        <Button type="primary" onClick={() => setRequesting(true)} style={{ marginBottom: 12 }} data-testid="completion-create">
          {t('followup.requestCompletion')}
        </Button>
      )}
      <SimpleList
        items={list.data.data ?? []}
        keyOf={(r) => r.id ?? ''}
        render={(r) => (
          <>
            <Space orientation="vertical" size={2}>
              <Space wrap>
                <StateTag state={r.state} />
                <Typography.Text type="secondary">
                  <UserName id={r.requested_by} /> · {formatDateTime(r.created_at)}
                </Typography.Text>
              </Space>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{r.summary}</Typography.Paragraph>
              {r.review_comment && <Typography.Text type="secondary">{r.review_comment}</Typography.Text>}
              {r.decision_comment && <Typography.Text type="secondary">{r.decision_comment}</Typography.Text>}
              <RequestActions r={r} kind="completion" itemId={id} />
            </Space>
          </>
        )}
      />
      {requesting && (
        <FormModal<{ summary: string }>
          title={t('followup.requestCompletion')}
          onClose={() => setRequesting(false)}
          onSubmit={async (v) => {
            await call(api.POST('/items/{id}/completion-requests', { params: { path: { id } }, body: { summary: v.summary } }))
            void message.success(t('common.saved'))
            refresh()
          }}
        >
          <Form.Item name="summary" label={t('followup.summary')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input.TextArea rows={5} />
          </Form.Item>
        </FormModal>
      )}
    </>
  )
}

function VerificationsTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id ?? ''
  const refresh = useRefresh(id)
  const [creating, setCreating] = useState(false)
  const list = useQuery({
    queryKey: ['followup', id, 'verifications'],
    queryFn: () => call(api.GET('/items/{id}/verifications', { params: { path: { id } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  type V = NonNullable<Schemas['NewVerification']>
  return (
    <>
      {(list.data.allowed_actions ?? []).includes('create') && (
        <Button type="primary" onClick={() => setCreating(true)} style={{ marginBottom: 12 }}>
          {t('followup.verify')}
        </Button>
      )}
      <SimpleList
        items={list.data.data ?? []}
        keyOf={(v) => v.id ?? ''}
        render={(v) => (
          <>
            <Space orientation="vertical" size={2}>
              <Space wrap>
                <Tag color={v.result === 'passed' ? 'success' : 'error'}>{t(`followup.results.${v.result ?? 'passed'}`)}</Tag>
                <Tag>{t(`followup.methods.${v.method ?? 'document_review'}`)}</Tag>
                <Typography.Text type="secondary">
                  <UserName id={v.verified_by} /> · {formatDateTime(v.created_at)}
                </Typography.Text>
              </Space>
              <Typography.Text>{v.findings}</Typography.Text>
            </Space>
          </>
        )}
      />
      {creating && (
        <FormModal<V>
          title={t('followup.verify')}
          initialValues={{ method: 'document_review', result: 'passed' }}
          onClose={() => setCreating(false)}
          onSubmit={async (v) => {
            await call(api.POST('/items/{id}/verifications', { params: { path: { id } }, body: v }))
            void message.success(t('common.saved'))
            refresh()
          }}
        >
          <Form.Item name="method" label={t('followup.method')}>
            <Radio.Group
              options={(['document_review', 'on_site', 'return_visit'] as const).map((m) => ({ value: m, label: t(`followup.methods.${m}`) }))}
            />
          </Form.Item>
          <Form.Item name="result" label={t('followup.result')}>
            <Radio.Group options={(['passed', 'failed'] as const).map((r) => ({ value: r, label: t(`followup.results.${r}`) }))} />
          </Form.Item>
          <Form.Item name="findings" label={t('followup.findings')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
        </FormModal>
      )}
    </>
  )
}

function CommentsTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id ?? ''
  const refresh = useRefresh(id)
  const [form] = Form.useForm<{ kind: NonNullable<Schemas['NewComment']['kind']>; body: string }>()
  const list = useQuery({
    queryKey: ['followup', id, 'comments'],
    queryFn: () => call(api.GET('/items/{id}/comments', { params: { path: { id }, query: { page_size: 100 } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  const kinds = (list.data.allowed_kinds ?? []) as NonNullable<Schemas['NewComment']['kind']>[]
  return (
    <>
      <SimpleList
        items={list.data.data ?? []}
        keyOf={(c) => c.id ?? ''}
        render={(c) => (
          <>
            <Space orientation="vertical" size={2}>
              <Space wrap>
                <Tag color={c.kind === 'instruction' ? 'red' : c.kind === 'coordination' ? 'blue' : 'default'}>
                  {t(`followup.kinds.${c.kind ?? 'comment'}`)}
                </Tag>
                <Typography.Text type="secondary">
                  <UserName id={c.author_id} /> · {formatDateTime(c.created_at)}
                </Typography.Text>
              </Space>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{c.body}</Typography.Paragraph>
            </Space>
          </>
        )}
      />
      {kinds.length > 0 && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: kinds.includes('instruction') ? 'instruction' : kinds[0] }}
          onFinish={(v) =>
            void call(api.POST('/items/{id}/comments', { params: { path: { id } }, body: v }))
              .then(() => {
                form.resetFields(['body'])
                void message.success(t('common.saved'))
                refresh()
              })
              .catch((e: unknown) => void message.error(errorMessage(e, t)))
          }
          style={{ marginTop: 12 }}
        >
          <Form.Item name="kind" label={t('followup.kind')}>
            <Radio.Group options={kinds.map((k) => ({ value: k, label: t(`followup.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="body" label={t('followup.body')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('followup.writeComment')}
          </Button>
        </Form>
      )}
    </>
  )
}

/** The item's follow-up (反馈, 催办, 延期, 办结, 核查, 批示), one section each. */
export function followUpTabs(item: Item, assignments: Assignment[], t: (k: string) => string) {
  const issued = !!item.issued_at
  const tabs = [
    { key: 'comments', label: t('followup.comments'), children: <CommentsTab item={item} /> },
  ]
  if (issued) {
    tabs.unshift(
      { key: 'feedback', label: t('followup.feedback'), children: <FeedbackTab item={item} /> },
      { key: 'urges', label: t('followup.urges'), children: <UrgesTab item={item} assignments={assignments} /> },
      { key: 'extensions', label: t('followup.extensions'), children: <ExtensionsTab item={item} /> },
      { key: 'completion', label: t('followup.completion'), children: <CompletionTab item={item} /> },
      { key: 'verifications', label: t('followup.verifications'), children: <VerificationsTab item={item} /> },
    )
  }
  return tabs
}

