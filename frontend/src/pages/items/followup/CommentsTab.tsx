import { useQuery } from '@tanstack/react-query'
import { App, Button, Form, Input, Radio, Space, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../../api/client'
import { call, errorMessage } from '../../../api/problem'
import { UserName } from '../../../api/users'
import { SimpleList } from '../../../components/SimpleList'
import { ErrorState, Loading } from '../../../components/States'
import { formatDateTime } from '../../../lib/time'
import type { Item } from '../ui'
import { useRefresh } from './shared'

export function CommentsTab({ item }: { item: Item }) {
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
