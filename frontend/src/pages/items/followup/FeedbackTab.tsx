import { PlusOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { App, Button, Form, Input, InputNumber, Space, Switch, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { api, ifMatch, type Schemas } from '../../../api/client'
import { call, errorMessage } from '../../../api/problem'
import { SimpleList } from '../../../components/SimpleList'
import { AttachmentList } from '../../../components/attachments/AttachmentList'
import { AttachmentUpload, attachmentIds, uploadsDoneRule, type UploadEntry } from '../../../components/attachments/AttachmentUpload'
import { ErrorState, Loading } from '../../../components/States'
import { formatDate, formatDateTime } from '../../../lib/time'
import { FormModal } from '../FormModal'
import type { Item } from '../ui'
import type { Feedback } from './shared'
import { useRefresh, useUnitNames, StateTag, DecisionButton } from './shared'
import { StaleMark } from './prefill'

// --- feedback -----------------------------------------------------------------

export interface FeedbackValues {
  progress: number
  content: string
  problems?: string
  next_steps?: string
  submit?: boolean
  attachment_ids?: UploadEntry[]
}

type FeedbackDraft = Schemas['FeedbackDraft']
interface Editing {
  fb?: Feedback
  initial: Partial<FeedbackValues>
  /** the text was copied from an older report (the draft endpoint's based_on_id): its date */
  staleFrom?: string | null
}

export function FeedbackTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id
  const unit = useUnitNames()
  const refresh = useRefresh(id)
  const [editing, setEditing] = useState<Editing | null>(null)
  const [params, setParams] = useSearchParams()
  const list = useQuery({
    queryKey: ['followup', id, 'feedback'],
    queryFn: () => call(api.GET('/items/{id}/feedback', { params: { path: { id }, query: { page_size: 100 } } })),
  })
  /** whether the form offers "submit at once" (and switches it on): head or liaison */
  const mayOffer = (fb?: Feedback) => (fb ? fb.allowed_actions.includes('submit') : !!list.data?.allowed_actions.includes('submit'))
  const fromDraft = (d: FeedbackDraft): Editing => {
    const open = d.open_feedback_id ? list.data?.data?.find((f) => f.id === d.open_feedback_id) : undefined
    return {
      fb: open,
      // whoever may submit submits by default: a forgotten switch left drafts the office never saw
      initial: { progress: d.progress, content: d.content, problems: d.problems, next_steps: d.next_steps, submit: mayOffer(open) },
      staleFrom: !open && d.based_on_id ? (d.last_reported_at ?? '') : undefined,
    }
  }
  const draftOf = () => call(api.GET('/items/{id}/feedback/draft', { params: { path: { id } } }))
  const startNew = async () => {
    try {
      setEditing(fromDraft(await draftOf()))
    } catch (e) {
      void message.error(errorMessage(e, t))
    }
  }
  // ?write=1 (the to-do links here): the report form opens at once, prefilled
  const wantWrite = params.get('write') === '1'
  const autoDraft = useQuery({
    queryKey: ['followup', id, 'feedback-draft'],
    queryFn: draftOf,
    enabled: wantWrite && !!list.data?.allowed_actions.includes('create'),
    staleTime: 0,
  })
  const shown = editing ?? (wantWrite && list.data && autoDraft.data ? fromDraft(autoDraft.data) : null)
  const close = () => {
    setEditing(null)
    if (wantWrite) {
      const next = new URLSearchParams(params)
      next.delete('write')
      setParams(next, { replace: true })
    }
  }
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  const act = async (fb: Feedback, action: 'submit' | 'accept' | 'return', comment?: string) => {
    const params = { path: { id: fb.id }, header: { 'If-Match': ifMatch(fb.version) } }
    if (action === 'submit') await call(api.POST('/feedback/{id}/submit', { params }))
    if (action === 'accept') await call(api.POST('/feedback/{id}/accept', { params, body: comment ? { comment } : {} }))
    if (action === 'return') await call(api.POST('/feedback/{id}/return', { params, body: { comment: comment ?? '' } }))
    void message.success(t('items.actionDone', { action: t(`followup.actions.${action}`) }))
    refresh()
  }
  const due = list.data.due
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
      {list.data.allowed_actions.includes('create') && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => void startNew()} style={{ marginBottom: 12 }} data-testid="feedback-create">
          {t('followup.writeFeedback')}
        </Button>
      )}
      <SimpleList
        items={list.data.data}
        keyOf={(fb) => fb.id}
        render={(fb) => {
          const allowed = fb.allowed_actions
          return (
            <>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{unit(fb.unit_id)}</Typography.Text>
                  <StateTag state={fb.state} />
                  <Tag>
                    {t('followup.progress')} {fb.progress}%
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
                <AttachmentList files={fb.attachments} />
                <Space wrap>
                  {allowed.includes('update') && (
                    <Button size="small" onClick={() => setEditing({ fb, initial: { ...(fb as Partial<FeedbackValues>), submit: mayOffer(fb) } })}>
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
      {shown && (
        <FormModal<FeedbackValues>
          title={shown.fb ? t('followup.editFeedback') : t('followup.writeFeedback')}
          initialValues={shown.initial}
          testId="feedback"
          onClose={close}
          onSubmit={async (v) => {
            const body = {
              progress: v.progress,
              content: v.content,
              problems: v.problems ?? '',
              next_steps: v.next_steps ?? '',
              attachment_ids: attachmentIds(v.attachment_ids),
            }
            if (shown.fb) {
              const fb = shown.fb
              const saved = await call(api.PATCH('/feedback/{id}', { params: { path: { id: fb.id }, header: { 'If-Match': ifMatch(fb.version) } }, body }))
              if (v.submit && mayOffer(fb)) {
                await call(api.POST('/feedback/{id}/submit', { params: { path: { id: fb.id }, header: { 'If-Match': ifMatch(saved.version) } } }))
              }
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
          <Form.Item
            name="content"
            label={t('followup.content')}
            rules={[{ required: true, whitespace: true, message: t('rules.required') }]}
            extra={shown.staleFrom !== undefined && <StaleMark name="content" original={shown.initial.content} date={shown.staleFrom} />}
          >
            {/* focused: the report is what the unit came for */}
            <Input.TextArea rows={4} data-testid="feedback-content" autoFocus />
          </Form.Item>
          <Form.Item
            name="problems"
            label={t('followup.problems')}
            extra={shown.staleFrom !== undefined && <StaleMark name="problems" original={shown.initial.problems} date={shown.staleFrom} />}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item
            name="next_steps"
            label={t('followup.nextSteps')}
            extra={shown.staleFrom !== undefined && <StaleMark name="next_steps" original={shown.initial.next_steps} date={shown.staleFrom} />}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
          {(shown.fb?.attachments?.length ?? 0) > 0 && (
            <Form.Item label={t('attachments.existing')}>
              <AttachmentList files={shown.fb?.attachments} />
            </Form.Item>
          )}
          <Form.Item
            name="attachment_ids"
            label={shown.fb?.attachments?.length ? t('attachments.addMore') : t('attachments.field')}
            rules={[uploadsDoneRule(t)]}
          >
            <AttachmentUpload itemId={id} />
          </Form.Item>
          {mayOffer(shown.fb) && (
            <Form.Item name="submit" label={t('followup.submitNow')} valuePropName="checked">
              <Switch data-testid="feedback-submit-now" />
            </Form.Item>
          )}
        </FormModal>
      )}
    </>
  )
}
