import { CopyOutlined, LinkOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Checkbox, Flex, Form, Popconfirm, Select, Space, Switch, Table, TimePicker, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ifMatch, type Schemas } from '../api/client'
import { ApiError, call, errorMessage } from '../api/problem'
import { PageHeader } from '../components/PageHeader'
import { ErrorState, Loading } from '../components/States'
import { setLanguage, type Language } from '../i18n'
import { dayjs, formatDateTime } from '../lib/time'

type Settings = Schemas['NotificationSettings']
interface KindChannels {
  kind: string
  in_app: boolean
  email: boolean
}
/** The settings as edited: the API's answer with every field present. */
interface Draft {
  language: string
  kinds: KindChannels[]
  digest: boolean
  digest_time: string
  quiet_hours: { enabled: boolean; start: string; end: string }
  email_available: boolean
  email_address: string
  time_zone: string
}

function toDraft(s: Settings): Draft {
  return {
    language: s.language ?? 'zh-CN',
    kinds: s.kinds.map((k) => ({ kind: k.kind, in_app: !!k.in_app, email: !!k.email })),
    digest: !!s.digest,
    digest_time: s.digest_time ?? '08:00',
    quiet_hours: { enabled: !!s.quiet_hours?.enabled, start: s.quiet_hours?.start ?? '22:00', end: s.quiet_hours?.end ?? '07:00' },
    email_available: !!s.email_available,
    email_address: s.email_address,
    time_zone: s.time_zone ?? 'Asia/Shanghai',
  }
}
const SETTINGS_KEY = ['me', 'notification-settings'] as const
const FEED_KEY = ['me', 'calendar-token'] as const

function CalendarFeed() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [link, setLink] = useState<string | null>(null)
  const status = useQuery({ queryKey: FEED_KEY, queryFn: () => call(api.GET('/me/calendar-token')) })
  const make = useMutation({
    mutationFn: () => call(api.POST('/me/calendar-token')),
    onSuccess: (r) => {
      setLink(r.url ?? null)
      void qc.invalidateQueries({ queryKey: FEED_KEY })
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  const revoke = useMutation({
    mutationFn: () => call(api.DELETE('/me/calendar-token')),
    onSuccess: () => {
      setLink(null)
      void qc.invalidateQueries({ queryKey: FEED_KEY })
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  const s = status.data
  return (
    <Card title={t('notificationSettings.calendar')} data-testid="calendar-feed">
      <Typography.Paragraph type="secondary">{t('notificationSettings.calendarHelp')}</Typography.Paragraph>
      {status.isError && <ErrorState error={status.error} onRetry={() => void status.refetch()} />}
      {s && (
        <Typography.Paragraph data-testid="calendar-feed-status">
          {s.active && s.created_at ? t('notificationSettings.calendarOn', { time: formatDateTime(s.created_at) }) : t('notificationSettings.calendarOff')}
          {s.last_used_at && (
            <>
              <br />
              {t('notificationSettings.calendarUsed', { time: formatDateTime(s.last_used_at) })}
            </>
          )}
        </Typography.Paragraph>
      )}
      {link && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('notificationSettings.yourLink')}
          description={
            <Typography.Text copyable={{ text: link, icon: [<CopyOutlined key="c" />, <CopyOutlined key="d" />] }} code data-testid="calendar-feed-link">
              {link}
            </Typography.Text>
          }
        />
      )}
      <Space wrap>
        {s?.active ? (
          <Popconfirm title={t('notificationSettings.newLinkConfirm')} onConfirm={() => make.mutate()}>
            <Button icon={<LinkOutlined />} loading={make.isPending} data-testid="calendar-feed-new">
              {t('notificationSettings.newLink')}
            </Button>
          </Popconfirm>
        ) : (
          <Button type="primary" icon={<LinkOutlined />} loading={make.isPending} onClick={() => make.mutate()} data-testid="calendar-feed-new">
            {t('notificationSettings.newLink')}
          </Button>
        )}
        {s?.active && (
          <Button danger onClick={() => revoke.mutate()} loading={revoke.isPending} data-testid="calendar-feed-revoke">
            {t('notificationSettings.revoke')}
          </Button>
        )}
      </Space>
    </Card>
  )
}

const hhmm = (v: string) => dayjs(v, 'HH:mm')

/** The caller's notification settings and their calendar feed. */
export default function NotificationSettingsPage() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const q = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => call(api.GET('/me/notification-settings')) })
  const [edits, setDraft] = useState<Draft | null>(null)
  const [stale, setStale] = useState(false)
  const save = useMutation({
    mutationFn: (s: Draft) =>
      call(
        api.PUT('/me/notification-settings', {
          params: { header: { 'If-Match': ifMatch(q.data?.version) } },
          body: {
            language: s.language,
            kinds: s.kinds.map((k) => ({ kind: k.kind, in_app: k.in_app, email: k.email })),
            digest: s.digest,
            digest_time: s.digest_time,
            quiet_hours: s.quiet_hours,
          },
        }),
      ),
    onSuccess: async (s) => {
      qc.setQueryData(SETTINGS_KEY, s)
      setDraft(null)
      setStale(false)
      void message.success(t('notificationSettings.saved'))
      await setLanguage((s.language ?? 'zh-CN') as Language)
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 412) setStale(true)
      else void message.error(errorMessage(e, t))
    },
  })
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />
  if (!q.data) return <Loading />
  // The edits, or what was read until the first one.
  const draft = edits ?? toDraft(q.data)
  const setKind = (kind: string, patch: Partial<KindChannels>) =>
    setDraft({ ...draft, kinds: draft.kinds.map((k) => (k.kind === kind ? { ...k, ...patch } : k)) })
  const emailOff = !draft.email_available || !draft.email_address
  return (
    <>
      <PageHeader title={t('notificationSettings.title')} />
      <Flex vertical gap={16}>
        {stale && (
          <Alert
            type="warning"
            showIcon
            data-testid="notification-settings-stale"
            title={t('notificationSettings.stale')}
            action={
              <Button size="small" onClick={() =>
                  void q.refetch().then(() => {
                    setDraft(null)
                    setStale(false)
                  })
                }>
                {t('notificationSettings.reload')}
              </Button>
            }
          />
        )}
        <Card>
          <Form layout="vertical" data-testid="notification-settings">
            <Form.Item label={t('notificationSettings.language')} extra={t('notificationSettings.languageHelp')}>
              <Select
                aria-label={t('notificationSettings.language')}
                style={{ maxWidth: 240 }}
                value={draft.language}
                onChange={(v) => setDraft({ ...draft, language: v })}
                options={[
                  { value: 'zh-CN', label: '中文' },
                  { value: 'en', label: 'English' },
                ]}
                data-testid="notification-language"
              />
            </Form.Item>
            <Form.Item label={t('notificationSettings.channels')}>
              {!draft.email_available && <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('notificationSettings.emailUnavailable')} />}
              {draft.email_available && !draft.email_address && (
                <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={t('notificationSettings.noAddress')} />
              )}
              {draft.email_available && draft.email_address && (
                <Typography.Paragraph type="secondary">{t('notificationSettings.emailTo', { address: draft.email_address })}</Typography.Paragraph>
              )}
              <Table<KindChannels>
                size="small"
                pagination={false}
                rowKey="kind"
                dataSource={draft.kinds}
                data-testid="notification-kinds"
                columns={[
                  { title: t('notificationSettings.kind'), dataIndex: 'kind', render: (k: string) => t(`notifications.kinds.${k}`, { defaultValue: k }) },
                  {
                    title: t('notificationSettings.inApp'),
                    dataIndex: 'in_app',
                    width: 100,
                    render: (v: boolean, r) => (
                      <Checkbox
                        checked={v}
                        aria-label={`${t(`notifications.kinds.${r.kind}`)} ${t('notificationSettings.inApp')}`}
                        onChange={(e) => setKind(r.kind, { in_app: e.target.checked })}
                      />
                    ),
                  },
                  {
                    title: t('notificationSettings.email'),
                    dataIndex: 'email',
                    width: 100,
                    render: (v: boolean, r) => (
                      <Checkbox
                        checked={v}
                        disabled={emailOff}
                        aria-label={`${t(`notifications.kinds.${r.kind}`)} ${t('notificationSettings.email')}`}
                        onChange={(e) => setKind(r.kind, { email: e.target.checked })}
                      />
                    ),
                  },
                ]}
              />
            </Form.Item>
            <Form.Item label={t('notificationSettings.digest')} extra={t('notificationSettings.digestHelp')}>
              <Space wrap>
                <Switch
                  checked={draft.digest}
                  onChange={(v) => setDraft({ ...draft, digest: v })}
                  aria-label={t('notificationSettings.digest')}
                  data-testid="notification-digest"
                />
                <TimePicker
                  format="HH:mm"
                  minuteStep={5}
                  allowClear={false}
                  disabled={!draft.digest}
                  aria-label={t('notificationSettings.digestTime')}
                  value={hhmm(draft.digest_time)}
                  onChange={(v) => v && setDraft({ ...draft, digest_time: v.format('HH:mm') })}
                />
              </Space>
            </Form.Item>
            <Form.Item label={t('notificationSettings.quiet')} extra={t('notificationSettings.quietHelp')}>
              <Space wrap>
                <Switch
                  checked={draft.quiet_hours.enabled}
                  onChange={(v) => setDraft({ ...draft, quiet_hours: { ...draft.quiet_hours, enabled: v } })}
                  aria-label={t('notificationSettings.quiet')}
                />
                <TimePicker.RangePicker
                  format="HH:mm"
                  minuteStep={5}
                  allowClear={false}
                  order={false}
                  disabled={!draft.quiet_hours.enabled}
                  aria-label={t('notificationSettings.quiet')}
                  placeholder={[t('notificationSettings.quietStart'), t('notificationSettings.quietEnd')]}
                  value={[hhmm(draft.quiet_hours.start), hhmm(draft.quiet_hours.end)]}
                  onChange={(v) =>
                    v?.[0] &&
                    v[1] &&
                    setDraft({ ...draft, quiet_hours: { enabled: true, start: v[0].format('HH:mm'), end: v[1].format('HH:mm') } })
                  }
                />
              </Space>
            </Form.Item>
            <Typography.Paragraph type="secondary">{t('notificationSettings.timeZone', { tz: draft.time_zone })}</Typography.Paragraph>
            <Button type="primary" onClick={() => save.mutate(draft)} loading={save.isPending} data-testid="notification-settings-save">
              {t('common.save')}
            </Button>
          </Form>
        </Card>
        <CalendarFeed />
      </Flex>
    </>
  )
}
