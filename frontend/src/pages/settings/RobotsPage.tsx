import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../api/client'
import { flattenUnits, useOrgTree } from '../../api/org'
import { call, errorMessage } from '../../api/problem'
import { hasRole, useMe } from '../../auth/auth'
import { applyFormError } from '../../components/formErrors'
import { PageHeader } from '../../components/PageHeader'
import { ForbiddenState } from '../../components/ResultStates'
import { ErrorState, Loading } from '../../components/States'
import { formatDateTime } from '../../lib/time'

type Robot = Schemas['NotificationChannel']
type RobotInput = Schemas['NotificationChannelInput']
interface Values extends RobotInput {
  target: 'unit' | 'scope'
}

export const robotsKey = ['notification-channels'] as const

const PLATFORMS = ['wecom', 'dingtalk', 'feishu'] as const
// The notification kinds (internal/notifications/kinds.go).
const KINDS = [
  'item_issued',
  'assignment_returned',
  'item_decided',
  'feedback_reviewed',
  'urge',
  'reminder',
  'decision_waiting',
  'request_decided',
  'verification_failed',
  'instruction',
  'bulletin_published',
  'webhook_disabled',
]

function CreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [error, setError] = useState<string | null>(null)
  const qc = useQueryClient()
  const tree = useOrgTree(open)
  const units = useMemo(() => flattenUnits(tree.data?.data), [tree.data])
  const target = Form.useWatch('target', form)
  const platform = Form.useWatch('platform', form)
  const create = useMutation({
    mutationFn: ({ target: to, ...body }: Values) =>
      call(api.POST('/notification-channels', { body: { ...body, unit_id: to === 'unit' ? body.unit_id : undefined, scope_id: to === 'scope' ? body.scope_id : undefined } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: robotsKey })
      void message.success(t('common.created'))
      form.resetFields()
      onClose()
    },
    onError: (e) => setError(applyFormError(form, e, t)),
  })
  const unitOptions = units.map(({ unit, depth }) => ({ value: unit.id, label: `${'　'.repeat(depth)}${unit.name}` }))
  const scopeOptions = units.filter(({ unit }) => unit.id && unit.scope_id === unit.id).map(({ unit }) => ({ value: unit.id, label: unit.name }))
  return (
    <Modal open={open} title={t('delivery.robots.add')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.create')} confirmLoading={create.isPending} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ platform: 'wecom', msg_type: 'markdown', target: 'unit', kinds: [] }}
        onFinish={(v) => {
          setError(null)
          create.mutate(v)
        }}
        data-testid="robot-form"
      >
        <Form.Item name="name" label={t('delivery.robots.name')} rules={[{ required: true, message: t('rules.required') }]}>
          <Input maxLength={100} data-testid="robot-name" />
        </Form.Item>
        <Form.Item name="platform" label={t('delivery.robots.platform')}>
          <Radio.Group optionType="button" options={PLATFORMS.map((p) => ({ value: p, label: t(`delivery.robots.platforms.${p}`) }))} />
        </Form.Item>
        <Form.Item name="url" label={t('delivery.robots.url')} extra={t('delivery.robots.urlHelp')} rules={[{ required: true, message: t('rules.required') }]}>
          <Input data-testid="robot-url" />
        </Form.Item>
        {platform !== 'wecom' && (
          <Form.Item name="secret" label={t('delivery.robots.secret')} extra={t('delivery.robots.secretHelp')}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="target" label={t('delivery.robots.target')}>
          <Radio.Group options={[{ value: 'unit', label: t('delivery.robots.forUnit') }, { value: 'scope', label: t('delivery.robots.forScope') }]} />
        </Form.Item>
        {target === 'scope' ? (
          <Form.Item name="scope_id" label={t('delivery.robots.scope')} rules={[{ required: true, message: t('rules.required') }]}>
            <Select options={scopeOptions} loading={tree.isPending} showSearch optionFilterProp="label" />
          </Form.Item>
        ) : (
          <Form.Item name="unit_id" label={t('delivery.robots.unit')} rules={[{ required: true, message: t('rules.required') }]}>
            <Select options={unitOptions} loading={tree.isPending} showSearch optionFilterProp="label" data-testid="robot-unit" />
          </Form.Item>
        )}
        <Form.Item name="kinds" label={t('delivery.robots.kinds')} extra={t('delivery.robots.kindsHelp')}>
          <Select mode="multiple" options={KINDS.map((k) => ({ value: k, label: t(`notifications.kinds.${k}`, { defaultValue: k }) }))} />
        </Form.Item>
        <Form.Item name="msg_type" label={t('delivery.robots.msgType')}>
          <Radio.Group options={(['markdown', 'text'] as const).map((m) => ({ value: m, label: t(`delivery.robots.msgTypes.${m}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** The group robots of units and scopes (admin). */
export default function RobotsPage() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const me = useMe()
  const admin = hasRole(me.data, 'admin')
  const qc = useQueryClient()
  const [creating, setCreating] = useState(false)
  const list = useQuery({ queryKey: robotsKey, queryFn: () => call(api.GET('/notification-channels')), enabled: admin })
  const tree = useOrgTree(admin)
  const names = useMemo(() => new Map(flattenUnits(tree.data?.data).map(({ unit }) => [unit.id, unit.name])), [tree.data])
  const refresh = () => void qc.invalidateQueries({ queryKey: robotsKey })
  const patch = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      call(api.PATCH('/notification-channels/{id}', { params: { path: { id } }, body: { enabled } })),
    onSuccess: refresh,
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  const remove = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/notification-channels/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      refresh()
      void message.success(t('common.deleted'))
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  if (me.isPending) return <Loading />
  if (!admin) return <ForbiddenState />
  return (
    <>
      <PageHeader
        title={t('delivery.robots.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="robot-add">
            {t('delivery.robots.add')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">{t('delivery.robots.intro')}</Typography.Paragraph>
      <Card>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<Robot>
            rowKey="id"
            dataSource={list.data.data ?? []}
            pagination={false}
            locale={{ emptyText: t('delivery.robots.empty') }}
            data-testid="robot-table"
            columns={[
              { title: t('delivery.robots.name'), dataIndex: 'name' },
              {
                title: t('delivery.robots.platform'),
                key: 'platform',
                render: (_, r) => (
                  <Space orientation="vertical" size={0}>
                    <Tag>{t(`delivery.robots.platforms.${r.platform ?? 'wecom'}`)}</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.target} · {r.has_secret ? t('delivery.robots.hasSecret') : t('delivery.robots.noSecret')}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('delivery.robots.target'),
                key: 'target',
                render: (_, r) =>
                  r.unit_id
                    ? `${t('delivery.robots.forUnit')}：${names.get(r.unit_id) ?? r.unit_id}`
                    : `${t('delivery.robots.forScope')}：${names.get(r.scope_id ?? '') ?? r.scope_id ?? ''}`,
              },
              {
                title: t('delivery.robots.kinds'),
                dataIndex: 'kinds',
                render: (ks: string[] | undefined) =>
                  ks && ks.length > 0 ? ks.map((k) => <Tag key={k}>{t(`notifications.kinds.${k}`, { defaultValue: k })}</Tag>) : t('delivery.robots.allKinds'),
              },
              {
                title: t('delivery.robots.lastSent'),
                key: 'last',
                render: (_, r) =>
                  r.last_sent_at ? (
                    <Space orientation="vertical" size={0}>
                      <span>{formatDateTime(r.last_sent_at)}</span>
                      {r.last_error && <Typography.Text type="danger">{t('delivery.robots.lastError', { error: r.last_error })}</Typography.Text>}
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">{t('delivery.robots.never')}</Typography.Text>
                  ),
              },
              {
                title: t('delivery.webhooks.enabled'),
                key: 'enabled',
                render: (_, r) => <Switch checked={r.enabled} onChange={(v) => r.id && patch.mutate({ id: r.id, enabled: v })} />,
              },
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_, r) => (
                  <Popconfirm title={t('delivery.robots.deleteConfirm')} onConfirm={() => r.id && remove.mutate(r.id)}>
                    <Button size="small" danger icon={<DeleteOutlined />}>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
        )}
      </Card>
      <CreateModal open={creating} onClose={() => setCreating(false)} />
    </>
  )
}
