import { useQuery } from '@tanstack/react-query'
import { Alert, App, Button, Checkbox, DatePicker, Form, Input, Space, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ifMatch } from '../../../api/client'
import { useOfficeContact } from '../../../api/officeContact'
import { call } from '../../../api/problem'
import { UserName } from '../../../api/users'
import { SimpleList } from '../../../components/SimpleList'
import { AttachmentList } from '../../../components/attachments/AttachmentList'
import { AttachmentUpload, attachmentIds, uploadsDoneRule, type UploadEntry } from '../../../components/attachments/AttachmentUpload'
import { ErrorState, Loading } from '../../../components/States'
import { formatDate, formatDateTime } from '../../../lib/time'
import { UserSelect } from '../../org/UserSelect'
import { FormModal } from '../FormModal'
import type { Item } from '../ui'
import type { Request } from './shared'
import { useRefresh, StateTag, DecisionButton } from './shared'
import { StaleMark } from './prefill'

export function RequestActions({ r, kind, itemId }: { r: Request; kind: 'extension' | 'completion'; itemId: string }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const refresh = useRefresh(itemId)
  const allowed = r.allowed_actions
  const params = { path: { id: r.id }, header: { 'If-Match': ifMatch(r.version) } }
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

export function ExtensionsTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id
  const refresh = useRefresh(id)
  const [requesting, setRequesting] = useState(false)
  const [setting, setSetting] = useState(false)
  // only an overdue item's hint names the office's phone
  const office = useOfficeContact(item.overdue)
  const list = useQuery({
    queryKey: ['followup', id, 'extensions'],
    queryFn: () => call(api.GET('/items/{id}/extensions', { params: { path: { id } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  const canRequest = list.data.allowed_actions.includes('request')
  return (
    <>
      {/* §14(d): past its deadline an item gets no extension; the office has a leader set a new one */}
      {item.overdue && !canRequest && !list.data.allowed_actions.includes('set_deadline') && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="extension-overdue"
          title={t('ease.noExtensionOverdue')}
          description={
            office.data?.phone
              ? t('ease.noExtensionOverdueHint', { phone: [office.data.person, office.data.phone].filter(Boolean).join(' ') })
              : t('ease.noExtensionOverdueHintNoPhone')
          }
        />
      )}
      {canRequest && (
        <Button type="primary" onClick={() => setRequesting(true)} style={{ marginBottom: 12 }} data-testid="extension-create">
          {t('followup.requestExtension')}
        </Button>
      )}
      {list.data.allowed_actions.includes('set_deadline') && (
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
          <Form.Item name="deadline" label={t('ease.newDeadline')} rules={[{ required: true, message: t('rules.required') }]}>
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
        items={list.data.data}
        keyOf={(r) => r.id}
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
        <FormModal<{ requested_deadline: Dayjs; reason: string }>
          title={t('followup.requestExtension')}
          onClose={() => setRequesting(false)}
          onSubmit={async (v) => {
            await call(
              api.POST('/items/{id}/extensions', {
                params: { path: { id } },
                // the item's progress is known from its reports: the dialog does not ask again
                body: { requested_deadline: v.requested_deadline.format('YYYY-MM-DD'), reason: v.reason, progress: item.progress },
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
        </FormModal>
      )}
    </>
  )
}

/** The materials §14 names for closing: 请示, 报告, 方案, 办理情况 (sent as typed materials). */
const MATERIAL_KINDS = ['request', 'report', 'plan', 'handling'] as const
type CompletionValues = { summary: string; attachment_ids?: UploadEntry[]; reuse?: string[] } & Partial<
  Record<(typeof MATERIAL_KINDS)[number], UploadEntry[]>
>
/** What closing starts from (issue 11 §14): the last report's text and progress, and
 * the files already sent with reports, to pick rather than upload again. */
type CompletionStart = { summary: string; progress: number; reportedAt: string | null; files: { id: string; filename: string }[] }

export function CompletionTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id
  const refresh = useRefresh(id)
  const [requesting, setRequesting] = useState<CompletionStart | null>(null)
  const start = async () => {
    const none: CompletionStart = { summary: '', progress: item.progress, reportedAt: null, files: [] }
    try {
      const [draft, reports] = await Promise.all([
        call(api.GET('/items/{id}/feedback/draft', { params: { path: { id } } })),
        call(api.GET('/items/{id}/feedback', { params: { path: { id }, query: { page_size: 100 } } })),
      ])
      const files = reports.data
        .filter((f) => f.state === 'submitted' || f.state === 'accepted')
        .flatMap((f) => f.attachments.map((a) => ({ id: a.id, filename: a.filename })))
      setRequesting({ summary: draft.based_on_id ? draft.content : '', progress: draft.progress, reportedAt: draft.last_reported_at, files })
    } catch {
      // the shortcuts are a help: without them the form starts empty
      setRequesting(none)
    }
  }
  const list = useQuery({
    queryKey: ['followup', id, 'completion'],
    queryFn: () => call(api.GET('/items/{id}/completion-requests', { params: { path: { id } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  return (
    <>
      {list.data.allowed_actions.includes('request') && (
        <Button type="primary" onClick={() => void start()} style={{ marginBottom: 12 }} data-testid="completion-create">
          {t('followup.requestCompletion')}
        </Button>
      )}
      <SimpleList
        items={list.data.data}
        keyOf={(r) => r.id}
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
              <AttachmentList
                files={r.attachments}
                labels={Object.fromEntries(r.materials.map((m) => [m.attachment_id, t(`attachments.materials.${m.kind ?? 'report'}`)]))}
              />
              {r.review_comment && <Typography.Text type="secondary">{r.review_comment}</Typography.Text>}
              {r.decision_comment && <Typography.Text type="secondary">{r.decision_comment}</Typography.Text>}
              <RequestActions r={r} kind="completion" itemId={id} />
            </Space>
          </>
        )}
      />
      {requesting && (
        <FormModal<CompletionValues>
          title={t('followup.requestCompletion')}
          testId="completion"
          initialValues={{ summary: requesting.summary, reuse: [] }}
          onClose={() => setRequesting(null)}
          onSubmit={async (v) => {
            const materials = MATERIAL_KINDS.flatMap((kind) => attachmentIds(v[kind]).map((attachment_id) => ({ attachment_id, kind })))
            const body = { summary: v.summary, materials, attachment_ids: attachmentIds(v.attachment_ids), reuse_attachment_ids: v.reuse ?? [] }
            await call(api.POST('/items/{id}/completion-requests', { params: { path: { id } }, body }))
            void message.success(t('common.saved'))
            refresh()
          }}
        >
          {requesting.reportedAt && (
            <Typography.Paragraph type="secondary" data-testid="completion-last-progress">
              {t('ease.lastProgress', { progress: requesting.progress, date: formatDate(requesting.reportedAt) })}
            </Typography.Paragraph>
          )}
          <Form.Item
            name="summary"
            label={t('followup.summary')}
            rules={[{ required: true, whitespace: true, message: t('rules.required') }]}
            extra={<StaleMark name="summary" original={requesting.summary} date={requesting.reportedAt} />}
          >
            <Input.TextArea rows={5} autoFocus />
          </Form.Item>
          {requesting.files.length > 0 && (
            <Form.Item name="reuse" label={t('ease.reuseFiles')} extra={t('ease.reuseHelp')}>
              <Checkbox.Group
                data-testid="completion-reuse"
                options={requesting.files.map((f) => ({ value: f.id, label: f.filename }))}
                style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
              />
            </Form.Item>
          )}
          <Typography.Paragraph type="secondary">{t('attachments.materialsHelp')}</Typography.Paragraph>
          {MATERIAL_KINDS.map((kind) => (
            <Form.Item key={kind} name={kind} label={t(`attachments.materials.${kind}`)} rules={[uploadsDoneRule(t)]}>
              <AttachmentUpload itemId={id} />
            </Form.Item>
          ))}
          <Form.Item name="attachment_ids" label={t('attachments.otherFiles')} rules={[uploadsDoneRule(t)]}>
            <AttachmentUpload itemId={id} />
          </Form.Item>
        </FormModal>
      )}
    </>
  )
}
