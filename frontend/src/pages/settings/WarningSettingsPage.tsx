import { ReloadOutlined, SaveOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Badge, Button, Card, Form, InputNumber, Space, Tag, Typography } from 'antd'
import type { FormInstance } from 'antd'
import type { TFunction } from 'i18next'
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
import { LIGHT_COLORS } from '../items/ui'

type Settings = Schemas['WarningSettings']
interface Values {
  blue_workdays: number
  feedback_grace_workdays: number
}

export const warningSettingsKey = ['settings', 'warnings'] as const

// The API's bounds (internal/warnings): the form checks them first, and the API's
// "range" errors are shown with them in the user's language.
const BOUNDS: Record<keyof Values, { min: number; max: number }> = {
  blue_workdays: { min: 1, max: 30 },
  feedback_grace_workdays: { min: 0, max: 30 },
}

/**
 * Puts an API error on the form; answers the message for the alert above it. A range
 * error on a threshold names its bounds, more than the generic rules.range says.
 */
export function showSaveError(form: FormInstance<Values>, err: unknown, t: TFunction): string {
  const text = applyFormError(form, err, t)
  if (err instanceof ApiError) {
    for (const e of err.problem.errors ?? []) {
      const field = e.field as keyof Values | undefined
      if (e.rule === 'range' && field && field in BOUNDS) {
        form.setFields([{ name: field, errors: [t('settings.warnings.range', BOUNDS[field])] }])
      }
    }
  }
  return text
}

function WarningsForm({ data, reload }: { data: Settings; reload: () => Promise<unknown> }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm<Values>()
  const [dirty, setDirty] = useState(false)
  const [error, setError] = useState<{ text: string; stale: boolean } | null>(null)
  const save = useMutation({
    mutationFn: (v: Values) =>
      call(api.PUT('/settings/warnings', { params: { header: { 'If-Match': ifMatch(data.version) } }, body: v })),
    onSuccess: (s) => {
      qc.setQueryData(warningSettingsKey, s)
      // every item's light may have changed with the thresholds
      void qc.invalidateQueries({ queryKey: ['items'] })
      void message.success(t('common.saved'))
    },
    onError: (e) => {
      const stale = e instanceof ApiError && e.status === 412
      setError({ text: stale ? t('settings.warnings.stale') : showSaveError(form, e, t), stale })
    },
  })
  const field = (name: keyof Values, label: string, help: string) => (
    <Form.Item
      name={name}
      label={label}
      extra={help}
      rules={[
        { required: true, message: t('rules.required') },
        { type: 'integer', ...BOUNDS[name], message: t('settings.warnings.range', BOUNDS[name]) },
      ]}
    >
      {/* no min/max here: InputNumber would silently clamp, the rule above says why */}
      <InputNumber precision={0} suffix={t('settings.warnings.workdays')} style={{ width: 200 }} data-testid={`warnings-${name}`} />
    </Form.Item>
  )
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={{ blue_workdays: data.blue_workdays ?? 3, feedback_grace_workdays: data.feedback_grace_workdays }}
      onValuesChange={() => setDirty(true)}
      onFinish={(v) => {
        setError(null)
        save.mutate(v)
      }}
      style={{ maxWidth: 640 }}
      data-testid="warnings-form"
    >
      {error && (
        <Alert
          type={error.stale ? 'warning' : 'error'}
          showIcon
          title={error.text}
          style={{ marginBottom: 16 }}
          data-testid="warnings-error"
          action={
            error.stale && (
              <Button size="small" icon={<ReloadOutlined />} onClick={() => void reload()} data-testid="warnings-reload">
                {t('settings.warnings.reload')}
              </Button>
            )
          }
        />
      )}
      {field('blue_workdays', t('settings.warnings.blueWorkdays'), t('settings.warnings.blueHelp'))}
      {field('feedback_grace_workdays', t('settings.warnings.graceWorkdays'), t('settings.warnings.graceHelp'))}
      <Space wrap>
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} disabled={!dirty} data-testid="warnings-save">
          {t('common.save')}
        </Button>
        {dirty && <Tag color="orange">{t('settings.warnings.unsaved')}</Tag>}
      </Space>
    </Form>
  )
}

function LightsHelp() {
  const { t } = useTranslation()
  return (
    <Card size="small" title={t('settings.warnings.lightsTitle')} style={{ marginBottom: 16 }}>
      <Space orientation="vertical" size={4}>
        {(['red', 'yellow', 'blue', 'green'] as const).map((l) => (
          <Badge key={l} color={LIGHT_COLORS[l]} text={t(`settings.warnings.${l}`)} />
        ))}
        <Typography.Text type="secondary">{t('settings.warnings.daysNote')}</Typography.Text>
        <Typography.Text type="secondary">{t('settings.warnings.defaults')}</Typography.Text>
      </Space>
    </Card>
  )
}

/** The warning-light thresholds (admin). */
export default function WarningSettingsPage() {
  const { t } = useTranslation()
  const me = useMe()
  const admin = hasRole(me.data, 'admin')
  const data = useQuery({
    queryKey: warningSettingsKey,
    queryFn: () => call(api.GET('/settings/warnings')),
    enabled: admin,
  })
  if (me.isPending) return <Loading />
  if (!admin) return <ForbiddenState />
  return (
    <>
      <PageHeader title={t('settings.warnings.title')} />
      <Typography.Paragraph type="secondary">{t('settings.warnings.intro')}</Typography.Paragraph>
      <LightsHelp />
      <Card>
        {data.isPending ? (
          <Loading />
        ) : data.isError ? (
          <ErrorState error={data.error} onRetry={() => void data.refetch()} />
        ) : (
          <>
            <Typography.Paragraph type="secondary" data-testid="warnings-version">
              {data.data.version
                ? t('settings.warnings.lastChanged', { version: data.data.version, time: formatDateTime(data.data.updated_at) })
                : t('settings.warnings.neverChanged')}
            </Typography.Paragraph>
            {/* a new version (saved here, or reloaded after a conflict) starts a fresh form */}
            <WarningsForm key={data.data.version} data={data.data} reload={() => data.refetch()} />
          </>
        )}
      </Card>
    </>
  )
}
