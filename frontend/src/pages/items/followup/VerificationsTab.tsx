import { useQuery } from '@tanstack/react-query'
import { App, Button, Form, Input, Radio, Space, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../../api/client'
import { call } from '../../../api/problem'
import { UserName } from '../../../api/users'
import { SimpleList } from '../../../components/SimpleList'
import { AttachmentList } from '../../../components/attachments/AttachmentList'
import { AttachmentUpload, attachmentIds, uploadsDoneRule, type UploadEntry } from '../../../components/attachments/AttachmentUpload'
import { ErrorState, Loading } from '../../../components/States'
import { formatDateTime } from '../../../lib/time'
import { FormModal } from '../FormModal'
import type { Item } from '../ui'
import { useRefresh } from './shared'

export function VerificationsTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id
  const refresh = useRefresh(id)
  const [creating, setCreating] = useState(false)
  const list = useQuery({
    queryKey: ['followup', id, 'verifications'],
    queryFn: () => call(api.GET('/items/{id}/verifications', { params: { path: { id } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  type V = Omit<Schemas['NewVerification'], 'attachment_ids'> & { attachment_ids?: UploadEntry[] }
  return (
    <>
      {list.data.allowed_actions.includes('create') && (
        <Button type="primary" onClick={() => setCreating(true)} style={{ marginBottom: 12 }}>
          {t('followup.verify')}
        </Button>
      )}
      <SimpleList
        items={list.data.data}
        keyOf={(v) => v.id}
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
              <AttachmentList files={v.attachments} />
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
            await call(api.POST('/items/{id}/verifications', { params: { path: { id } }, body: { ...v, attachment_ids: attachmentIds(v.attachment_ids) } }))
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
          <Form.Item name="attachment_ids" label={t('attachments.field')} rules={[uploadsDoneRule(t)]}>
            <AttachmentUpload itemId={id} />
          </Form.Item>
        </FormModal>
      )}
    </>
  )
}
