import { ReloadOutlined, SaveOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Form, InputNumber, Select, Space, Switch, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas, ifMatch } from '../../api/client'
import { ApiError, call } from '../../api/problem'
import { hasRole, useMe } from '../../auth/auth'
import { applyFormError } from '../../components/formErrors'
import { PageHeader } from '../../components/PageHeader'
import { ForbiddenState } from '../../components/ResultStates'
import { ErrorState, Loading } from '../../components/States'
import { formatDateTime } from '../../lib/time'
import { OfficeContactCard } from './OfficeContactCard'

type Settings = Schemas['ReminderSettings']
type Rule = Schemas['ReminderRule']

export const reminderSettingsKey = ['settings', 'reminders'] as const

// The kinds in the API's order, with the parameter each takes (internal/reminders).
export const KINDS = [
  { key: 'deadline_approaching', param: 'days', min: 1 },
  { key: 'overdue', param: 'none', min: 0 },
  { key: 'feedback_due', param: 'days', min: 0 },
  { key: 'feedback_overdue', param: 'none', min: 0 },
  { key: 'assignment_not_accepted', param: 'after', min: 1 },
  { key: 'extension_waiting', param: 'after', min: 1 },
  { key: 'completion_waiting', param: 'after', min: 1 },
  { key: 'escalation', param: 'after', min: 1 },
] as const

type KindKey = (typeof KINDS)[number]['key']
type Values = Record<KindKey, Rule>

const MAX_DAYS_BEFORE = 30
const MAX_AFTER = 60

/** The settings as the form's values: every kind with its rule. */
export function toValues(s: Settings): Values {
  const out = {} as Values
  for (const k of KINDS) out[k.key] = { enabled: s[k.key]?.enabled ?? false, days_before: s[k.key]?.days_before, after_workdays: s[k.key]?.after_workdays }
  return out
}

/** The form's values as the PUT body: each kind only with its own parameter. */
export function toBody(v: Values): Schemas['UpdateReminderSettings'] {
  const out: Schemas['UpdateReminderSettings'] = {}
  for (const k of KINDS) {
    const r = v[k.key]
    out[k.key] = {
      enabled: r.enabled,
      ...(k.param === 'days' ? { days_before: r.days_before ?? [] } : {}),
      ...(k.param === 'after' ? { after_workdays: r.after_workdays } : {}),
    }
  }
  return out
}

function RulesForm({ data, canEdit, reload }: { data: Settings; canEdit: boolean; reload: () => Promise<unknown> }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm<Values>()
  const [dirty, setDirty] = useState(false)
  const [error, setError] = useState<{ text: string; stale: boolean } | null>(null)
  const save = useMutation({
    mutationFn: (v: Values) =>
      call(api.PUT('/settings/reminders', { params: { header: { 'If-Match': ifMatch(data.version) } }, body: toBody(v) })),
    onSuccess: (s) => {
      qc.setQueryData(reminderSettingsKey, s)
      void message.success(t('common.saved'))
    },
    onError: (e) => {
      const stale = e instanceof ApiError && e.status === 412
      setError({ text: stale ? t('reminderSettings.stale') : applyFormError(form, e, t), stale })
    },
  })
  const days = (min: number) => Array.from({ length: MAX_DAYS_BEFORE - min + 1 }, (_, i) => ({ value: min + i, label: String(min + i) }))
  const rows = KINDS.map((k) => ({ ...k, name: t(`reminderSettings.kinds.${k.key}.name`), help: t(`reminderSettings.kinds.${k.key}.help`) }))
  return (
    <Form<Values>
      form={form}
      initialValues={toValues(data)}
      disabled={!canEdit}
      onValuesChange={() => setDirty(true)}
      onFinish={(v) => {
        setError(null)
        save.mutate(v)
      }}
      data-testid="reminders-form"
    >
      {error && (
        <Alert
          type={error.stale ? 'warning' : 'error'}
          showIcon
          title={error.text}
          style={{ marginBottom: 16 }}
          data-testid="reminders-error"
          action={
            error.stale && (
              <Button size="small" icon={<ReloadOutlined />} onClick={() => void reload()}>
                {t('reminderSettings.reload')}
              </Button>
            )
          }
        />
      )}
      <Table
        rowKey="key"
        pagination={false}
        size="small"
        dataSource={rows}
        columns={[
          {
            title: t('reminderSettings.title'),
            dataIndex: 'name',
            render: (name: string, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{name}</Typography.Text>
                <Typography.Text type="secondary">{r.help}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('reminderSettings.enabled'),
            width: 80,
            render: (_, r) => (
              <Form.Item name={[r.key, 'enabled']} valuePropName="checked" noStyle>
                <Switch data-testid={`reminders-${r.key}-enabled`} />
              </Form.Item>
            ),
          },
          {
            title: `${t('reminderSettings.daysBefore')} / ${t('reminderSettings.afterWorkdays')}`,
            width: 280,
            render: (_, r) =>
              r.param === 'days' ? (
                <Form.Item
                  name={[r.key, 'days_before']}
                  extra={t('reminderSettings.daysBeforeHelp')}
                  rules={[{ type: 'array', min: 1, max: 5, message: t('reminderSettings.pickDays') }]}
                  style={{ marginBottom: 0 }}
                >
                  <Select mode="multiple" options={days(r.min)} style={{ width: 240 }} data-testid={`reminders-${r.key}-days`} />
                </Form.Item>
              ) : r.param === 'after' ? (
                <Form.Item
                  name={[r.key, 'after_workdays']}
                  rules={[
                    { required: true, message: t('rules.required') },
                    { type: 'integer', min: 1, max: MAX_AFTER, message: t('reminderSettings.range', { min: 1, max: MAX_AFTER }) },
                  ]}
                  style={{ marginBottom: 0 }}
                >
                  <InputNumber precision={0} suffix={t('reminderSettings.workdays')} style={{ width: 200 }} data-testid={`reminders-${r.key}-after`} />
                </Form.Item>
              ) : null,
          },
        ]}
      />
      {canEdit && (
        <Space wrap style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} disabled={!dirty} data-testid="reminders-save">
            {t('common.save')}
          </Button>
          {dirty && <Tag color="orange">{t('reminderSettings.unsaved')}</Tag>}
        </Space>
      )}
    </Form>
  )
}

/** The automatic reminder and escalation rules of the caller's scope. */
export default function ReminderSettingsPage() {
  const { t } = useTranslation()
  const me = useMe()
  const canEdit = ['admin', 'supervisor'].some((r) => hasRole(me.data, r))
  const canRead = canEdit || hasRole(me.data, 'auditor')
  const data = useQuery({
    queryKey: reminderSettingsKey,
    queryFn: () => call(api.GET('/settings/reminders')),
    enabled: canRead,
  })
  if (me.isPending) return <Loading />
  if (!canRead) return <ForbiddenState />
  return (
    <>
      <PageHeader title={t('reminderSettings.title')} />
      <Typography.Paragraph type="secondary">{t('reminderSettings.intro')}</Typography.Paragraph>
      {!canEdit && <Alert type="info" showIcon title={t('reminderSettings.readOnly')} style={{ marginBottom: 16 }} />}
      <OfficeContactCard canEdit={canEdit} />
      <Card>
        {data.isPending ? (
          <Loading />
        ) : data.isError ? (
          <ErrorState error={data.error} onRetry={() => void data.refetch()} />
        ) : (
          <>
            <Typography.Paragraph type="secondary" data-testid="reminders-version">
              {data.data.version
                ? t('reminderSettings.lastChanged', { version: data.data.version, time: formatDateTime(data.data.updated_at) })
                : t('reminderSettings.neverChanged')}
            </Typography.Paragraph>
            <RulesForm key={data.data.version ?? 0} data={data.data} canEdit={canEdit} reload={() => data.refetch()} />
          </>
        )}
      </Card>
    </>
  )
}
