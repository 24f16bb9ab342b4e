import { ApiOutlined, DeleteOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { api, type Schemas } from '../../api/client'
import { call, errorMessage } from '../../api/problem'
import { hasRole, useMe } from '../../auth/auth'
import { applyFormError } from '../../components/formErrors'
import { PageHeader } from '../../components/PageHeader'
import { ForbiddenState } from '../../components/ResultStates'
import { ErrorState, Loading } from '../../components/States'
import { formatDateTime } from '../../lib/time'
import { WebhookDeliveries } from './WebhookDeliveries'

type Webhook = Schemas['Webhook']
type WebhookInput = Schemas['WebhookInput']

export const webhooksKey = ['webhooks'] as const

const SUGGESTED_TYPES = ['item.*', 'item.issued', 'urge.sent', 'feedback.*', 'extension.*', 'completion.*', '*']

function StatusTag({ w }: { w: Webhook }) {
  const { t } = useTranslation()
  if (!w.enabled)
    return (
      <Tag color="default" title={w.disabled_reason ? t('delivery.webhooks.disabledReason', { reason: w.disabled_reason }) : undefined}>
        {t('delivery.webhooks.disabled')}
      </Tag>
    )
  if (w.failing_since)
    return (
      <Tag color="orange" title={t('delivery.webhooks.failingSince', { time: formatDateTime(w.failing_since) })}>
        {t('delivery.webhooks.failing')}
      </Tag>
    )
  return <Tag color="green">{t('delivery.webhooks.active')}</Tag>
}

function CreateModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (secret: string) => void }) {
  const { t } = useTranslation()
  const [form] = Form.useForm<WebhookInput>()
  const [error, setError] = useState<string | null>(null)
  const qc = useQueryClient()
  const create = useMutation({
    mutationFn: (body: WebhookInput) => call(api.POST('/webhooks', { body })),
    onSuccess: (w) => {
      void qc.invalidateQueries({ queryKey: webhooksKey })
      form.resetFields()
      onCreated(w.secret)
    },
    onError: (e) => setError(applyFormError(form, e, t)),
  })
  return (
    <Modal
      open={open}
      title={t('delivery.webhooks.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<WebhookInput>
        form={form}
        layout="vertical"
        initialValues={{ event_types: ['item.*'] }}
        onFinish={(v) => {
          setError(null)
          create.mutate(v)
        }}
        data-testid="webhook-form"
      >
        <Form.Item name="url" label={t('delivery.webhooks.url')} extra={t('delivery.webhooks.urlHelp')} rules={[{ required: true, message: t('rules.required') }]}>
          <Input placeholder="https://oa.example.com/duban/events" data-testid="webhook-url" />
        </Form.Item>
        <Form.Item name="description" label={t('delivery.webhooks.description')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="event_types"
          label={t('delivery.webhooks.eventTypes')}
          extra={t('delivery.webhooks.eventTypesHelp')}
          rules={[{ required: true, message: t('rules.required') }]}
        >
          <Select mode="tags" options={SUGGESTED_TYPES.map((v) => ({ value: v, label: v }))} data-testid="webhook-types" />
        </Form.Item>
      </Form>
    </Modal>
  )
}

function SecretModal({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Modal
      open={secret !== null}
      title={t('delivery.webhooks.secretTitle')}
      onOk={onClose}
      onCancel={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
      // once closed, the secret leaves the page
      destroyOnHidden
    >
      <Typography.Paragraph type="warning">{t('delivery.webhooks.secretHint')}</Typography.Paragraph>
      {secret && (
        <Typography.Paragraph copyable={{ text: secret }} code data-testid="webhook-secret">
          {secret}
        </Typography.Paragraph>
      )}
    </Modal>
  )
}

/** The outgoing webhook subscriptions (admin). */
export default function WebhooksPage() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const me = useMe()
  const admin = hasRole(me.data, 'admin')
  const qc = useQueryClient()
  const [params, setParams] = useSearchParams()
  const [creating, setCreating] = useState(false)
  const [secret, setSecret] = useState<string | null>(null)
  const list = useQuery({ queryKey: webhooksKey, queryFn: () => call(api.GET('/webhooks')), enabled: admin })
  const refresh = () => void qc.invalidateQueries({ queryKey: webhooksKey })
  const patch = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      call(api.PATCH('/webhooks/{id}', { params: { path: { id } }, body: { enabled } })),
    onSuccess: refresh,
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  const remove = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      refresh()
      void message.success(t('common.deleted'))
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  const ping = useMutation({
    mutationFn: (id: string) => call(api.POST('/webhooks/{id}/ping', { params: { path: { id } } })),
    onSuccess: (d) => {
      if (d.state === 'succeeded') void message.success(t('delivery.webhooks.pingOk', { status: d.response_status, latency: d.latency_ms }))
      else void message.error(t('delivery.webhooks.pingFailed', { error: d.error || `HTTP ${d.response_status}` }))
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  if (me.isPending) return <Loading />
  if (!admin) return <ForbiddenState />
  const logOf = params.get('id')
  const logHook = list.data?.data?.find((w) => w.id === logOf)
  return (
    <>
      <PageHeader
        title={t('delivery.webhooks.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="webhook-add">
            {t('delivery.webhooks.add')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">{t('delivery.webhooks.intro')}</Typography.Paragraph>
      <Card>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<Webhook>
            rowKey="id"
            dataSource={list.data.data ?? []}
            pagination={false}
            locale={{ emptyText: t('delivery.webhooks.empty') }}
            data-testid="webhook-table"
            columns={[
              {
                title: t('delivery.webhooks.url'),
                dataIndex: 'url',
                render: (u: string, w) => (
                  <Space orientation="vertical" size={0}>
                    <Typography.Text code>{u}</Typography.Text>
                    {w.description && <Typography.Text type="secondary">{w.description}</Typography.Text>}
                  </Space>
                ),
              },
              { title: t('delivery.webhooks.eventTypes'), dataIndex: 'event_types', render: (ts: string[]) => ts.map((x) => <Tag key={x}>{x}</Tag>) },
              { title: t('delivery.webhooks.status'), key: 'status', render: (_, w) => <StatusTag w={w} /> },
              {
                title: t('delivery.webhooks.enabled'),
                key: 'enabled',
                render: (_, w) => (
                  <Switch checked={w.enabled} loading={patch.isPending && patch.variables?.id === w.id} onChange={(v) => w.id && patch.mutate({ id: w.id, enabled: v })} />
                ),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_, w) => (
                  <Space wrap>
                    <Button size="small" icon={<ApiOutlined />} loading={ping.isPending && ping.variables === w.id} onClick={() => w.id && ping.mutate(w.id)} data-testid="webhook-ping">
                      {t('delivery.webhooks.ping')}
                    </Button>
                    <Button size="small" icon={<UnorderedListOutlined />} onClick={() => w.id && setParams({ id: w.id })} data-testid="webhook-log">
                      {t('delivery.webhooks.log')}
                    </Button>
                    <Popconfirm title={t('delivery.webhooks.deleteConfirm')} onConfirm={() => w.id && remove.mutate(w.id)}>
                      <Button size="small" danger icon={<DeleteOutlined />}>
                        {t('common.delete')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <CreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(s) => {
          setCreating(false)
          setSecret(s)
        }}
      />
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
      {logHook && <WebhookDeliveries hook={logHook} onClose={() => setParams({})} />}
    </>
  )
}
