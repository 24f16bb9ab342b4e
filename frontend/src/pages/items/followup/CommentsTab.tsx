import { useQuery } from '@tanstack/react-query'
import { App, Button, Form, Input, Radio, Space, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../../api/client'
import { call, errorMessage } from '../../../api/problem'
import { UserName } from '../../../api/users'
import { SimpleList } from '../../../components/SimpleList'
import { AttachmentList } from '../../../components/attachments/AttachmentList'
import { AttachmentUpload, attachmentIds, uploadsDoneRule, type UploadEntry } from '../../../components/attachments/AttachmentUpload'
import { ErrorState, Loading } from '../../../components/States'
import { formatDateTime } from '../../../lib/time'
import type { Item } from '../ui'
import { useRefresh } from './shared'

export function CommentsTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id
  const refresh = useRefresh(id)
  const [form] = Form.useForm<{ kind: NonNullable<Schemas['NewComment']['kind']>; body: string; attachment_ids?: UploadEntry[] }>()
  // A new upload box after each comment: the box keeps its own list once mounted.
  const [uploadKey, setUploadKey] = useState(0)
  const list = useQuery({
    queryKey: ['followup', id, 'comments'],
    queryFn: () => call(api.GET('/items/{id}/comments', { params: { path: { id }, query: { page_size: 100 } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  const kinds = list.data.allowed_kinds as NonNullable<Schemas['NewComment']['kind']>[]
  return (
    <>
      <SimpleList
        items={list.data.data}
        keyOf={(c) => c.id}
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
              <AttachmentList files={c.attachments} />
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
            void call(
              api.POST('/items/{id}/comments', {
                params: { path: { id } },
                body: { kind: v.kind, body: v.body, attachment_ids: attachmentIds(v.attachment_ids) },
              }),
            )
              .then(() => {
                form.resetFields(['body', 'attachment_ids'])
                setUploadKey((k) => k + 1)
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
          <Form.Item name="attachment_ids" label={t('attachments.field')} rules={[uploadsDoneRule(t)]}>
            <AttachmentUpload key={uploadKey} itemId={id} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('followup.writeComment')}
          </Button>
        </Form>
      )}
    </>
  )
}
