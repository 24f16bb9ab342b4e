import { PlusOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Table, Tag, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ifMatch, type Schemas } from '../../api/client'
import { call } from '../../api/problem'
import { hasRole, useMe } from '../../auth/auth'
import { applyFormError } from '../../components/formErrors'
import { EmptyState, ErrorState } from '../../components/States'
import { formatDateTime } from '../../lib/time'
import { UserSelect } from '../org/UserSelect'

type Delegation = Schemas['Delegation']
const KEY = ['me', 'delegations'] as const
const STATUS_COLOR: Record<string, string> = { active: 'green', scheduled: 'blue', expired: 'default', ended: 'default' }

interface Values {
  deputy_id: string
  period: [Dayjs, Dayjs]
  reason?: string
}

function NewDelegationModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm<Values>()
  const [error, setError] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (v: Values) =>
      call(
        api.POST('/me/delegations', {
          body: { deputy_id: v.deputy_id, starts_at: v.period[0].toISOString(), ends_at: v.period[1].toISOString(), reason: v.reason || undefined },
        }),
      ),
    onSuccess: () => {
      void message.success(t('delegation.created'))
      void qc.invalidateQueries({ queryKey: KEY })
      onClose()
    },
    onError: (e) => setError(applyFormError(form, e, t)),
  })
  return (
    <Modal open title={t('delegation.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'delegation-save' }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="deputy_id" label={t('delegation.deputy')} rules={[{ required: true, message: t('rules.required') }]}>
          <UserSelect testId="delegation-deputy" />
        </Form.Item>
        <Form.Item name="period" label={t('delegation.period')} rules={[{ required: true, message: t('rules.required') }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="delegation-period" />
        </Form.Item>
        <Form.Item name="reason" label={t('delegation.reason')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** 代理: the delegations the user gave and those they act under (GET /me/delegations). */
export function DelegationsCard() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const me = useMe()
  const [creating, setCreating] = useState(false)
  const list = useQuery({ queryKey: KEY, queryFn: () => call(api.GET('/me/delegations')) })
  const end = useMutation({
    mutationFn: (d: Delegation) =>
      call(api.POST('/me/delegations/{id}/end', { params: { path: { id: d.id }, header: { 'If-Match': ifMatch(d.version) } } })),
    onSuccess: () => {
      void message.success(t('delegation.ended'))
      void qc.invalidateQueries({ queryKey: KEY })
    },
  })
  const canDelegate = hasRole(me.data, 'leader') || (me.data?.head_of ?? []).length > 0
  const table = (rows: Delegation[] | undefined, who: 'deputy' | 'principal', testId: string) => (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={rows ?? []}
      data-testid={testId}
      locale={{ emptyText: <EmptyState description={t('delegation.empty')} /> }}
      columns={[
        {
          title: t(who === 'deputy' ? 'delegation.deputy' : 'delegation.principal'),
          key: 'who',
          render: (_, d) => (who === 'deputy' ? d.deputy?.display_name : d.principal?.display_name),
        },
        { title: t('delegation.period'), key: 'period', render: (_, d) => `${formatDateTime(d.starts_at)} – ${formatDateTime(d.ends_at)}` },
        { title: t('delegation.powers'), dataIndex: 'powers', render: (p?: string[]) => (p ?? []).map((x) => <Tag key={x}>{t(`delegation.power.${x}`, { defaultValue: x })}</Tag>) },
        { title: t('delegation.reason'), dataIndex: 'reason' },
        {
          title: t('delegation.statusTitle'),
          dataIndex: 'status',
          render: (s?: string) => <Tag color={STATUS_COLOR[s ?? ''] ?? 'default'}>{t(`delegation.status.${s ?? 'ended'}`)}</Tag>,
        },
        {
          title: t('common.actions'),
          key: 'actions',
          render: (_, d) =>
            d.allowed_actions?.includes('end') && (
              <Popconfirm title={t('delegation.endConfirm')} onConfirm={() => end.mutateAsync(d).catch(() => undefined)}>
                <Button type="link" size="small" danger data-testid="delegation-end">
                  {t('delegation.end')}
                </Button>
              </Popconfirm>
            ),
        },
      ]}
    />
  )
  return (
    <Card
      title={t('delegation.title')}
      data-testid="delegations"
      extra={
        canDelegate && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="delegation-new">
            {t('delegation.new')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{canDelegate ? t('delegation.hint') : t('delegation.nothing')}</Typography.Paragraph>
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          {canDelegate && (
            <>
              <Typography.Title level={5}>{t('delegation.given')}</Typography.Title>
              {table(list.data?.given, 'deputy', 'delegations-given')}
            </>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('delegation.received')}
          </Typography.Title>
          {table(list.data?.received, 'principal', 'delegations-received')}
        </>
      )}
      {creating && <NewDelegationModal onClose={() => setCreating(false)} />}
    </Card>
  )
}
