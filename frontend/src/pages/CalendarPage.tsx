import { DeleteOutlined, PlusOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { api, type Schemas, ifMatch } from '../api/client'
import { ApiError, call } from '../api/problem'
import { hasRole, useMe } from '../auth/auth'
import { applyFormError } from '../components/formErrors'
import { PageHeader } from '../components/PageHeader'
import { EmptyState, ErrorState, Loading } from '../components/States'
import { ForbiddenState } from '../components/ResultStates'
import { companyToday, dayjs } from '../lib/time'

type Kind = Schemas['CalendarDayInput']['kind']
interface Row {
  date: Dayjs | null
  kind: Kind
  name?: string
}
interface Values {
  note?: string
  days: Row[]
}

const calendarKey = (year: number) => ['calendar', year] as const

function toValues(y: Schemas['CalendarYear'] | undefined): Values {
  return {
    note: y?.note ?? '',
    days: (y?.days ?? []).map((d) => ({ date: d.date ? dayjs(d.date) : null, kind: d.kind ?? 'holiday', name: d.name })),
  }
}

function YearEditor({ year, admin }: { year: number; admin: boolean }) {
  const data = useQuery({
    queryKey: calendarKey(year),
    queryFn: () => call(api.GET('/calendar/{year}', { params: { path: { year } } })),
  })
  if (data.isPending) return <Loading />
  if (data.isError) return <ErrorState error={data.error} onRetry={() => void data.refetch()} />
  // a new version (saved here, or reloaded after a conflict) starts a fresh form
  return <YearForm key={data.data.version} year={year} admin={admin} data={data.data} reload={() => data.refetch()} />
}

function YearForm({
  year,
  admin,
  data,
  reload,
}: {
  year: number
  admin: boolean
  data: Schemas['CalendarYear']
  reload: () => Promise<unknown>
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm<Values>()
  const [dirty, setDirty] = useState(false)
  const [error, setError] = useState<{ text: string; stale: boolean } | null>(null)
  const save = useMutation({
    mutationFn: (v: Values) =>
      call(
        api.PUT('/calendar/{year}', {
          params: { path: { year }, header: { 'If-Match': ifMatch(data.version) } },
          body: {
            year,
            note: v.note ?? '',
            days: v.days
              .filter((d) => d.date)
              .map((d) => ({ date: d.date?.format('YYYY-MM-DD') ?? '', kind: d.kind, name: d.name ?? '' }))
              .sort((a, b) => a.date.localeCompare(b.date)),
          },
        }),
      ),
    onSuccess: (y) => {
      qc.setQueryData(calendarKey(year), y)
      setError(null)
      void message.success(t('common.saved'))
    },
    onError: (e) => setError({ text: applyFormError(form, e, t), stale: e instanceof ApiError && e.status === 412 }),
  })

  return (
    <Form
      form={form}
      initialValues={toValues(data)}
      onValuesChange={() => setDirty(true)}
      onFinish={(v) => save.mutate(v)}
      disabled={!admin}
      data-testid="calendar-form"
    >
      {error && (
        <Alert
          type="error"
          showIcon
          title={error.text}
          style={{ marginBottom: 12 }}
          action={
            error.stale && (
              <Button size="small" icon={<ReloadOutlined />} onClick={() => void reload().then(() => setError(null))}>
                {t('common.refresh')}
              </Button>
            )
          }
        />
      )}
      <Form.Item name="note" label={t('calendar.name')} style={{ display: 'none' }}>
        <Input />
      </Form.Item>
      {data.note && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
          {data.note}
        </Typography.Paragraph>
      )}
      <Form.List
        name="days"
        rules={[
          {
            validator: async (_, rows: Row[] | undefined) => {
              const seen = new Set<string>()
              for (const r of rows ?? []) {
                const k = r?.date?.format('YYYY-MM-DD')
                if (!k) continue
                if (seen.has(k)) throw new Error(`${t('calendar.duplicateDate')}: ${k}`)
                seen.add(k)
              }
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <>
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={fields}
              scroll={{ x: 560 }}
              locale={{ emptyText: <EmptyState description={t('calendar.empty')} /> }}
              data-testid="calendar-table"
              columns={[
                {
                  title: t('calendar.date'),
                  width: 200,
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'date']} rules={[{ required: true, message: t('rules.required') }]} style={{ margin: 0 }}>
                      <DatePicker
                        style={{ width: '100%' }}
                        disabledDate={(d) => d.year() !== year}
                        defaultPickerValue={dayjs(`${year}-01-01`)}
                        format="YYYY-MM-DD"
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: t('calendar.weekday'),
                  width: 70,
                  render: (_, f) => (
                    <Form.Item noStyle shouldUpdate>
                      {() => {
                        const d = form.getFieldValue(['days', f.name, 'date']) as Dayjs | null | undefined
                        if (!d) return null
                        const weekend = d.day() === 0 || d.day() === 6
                        return <Typography.Text type={weekend ? 'danger' : undefined}>{d.format('dd')}</Typography.Text>
                      }}
                    </Form.Item>
                  ),
                },
                {
                  title: t('calendar.kind'),
                  width: 150,
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'kind']} style={{ margin: 0 }}>
                      <Select
                        aria-label={t('calendar.kind')}
                        options={[
                          { value: 'holiday', label: <Tag color="red">{t('calendar.kind_holiday')}</Tag> },
                          { value: 'workday', label: <Tag color="blue">{t('calendar.kind_workday')}</Tag> },
                        ]}
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: t('calendar.name'),
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'name']} rules={[{ max: 50 }]} style={{ margin: 0 }}>
                      <Input placeholder={t('calendar.namePlaceholder')} />
                    </Form.Item>
                  ),
                },
                ...(admin
                  ? [
                      {
                        title: t('common.actions'),
                        width: 80,
                        render: (_: unknown, f: { name: number }) => (
                          <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => remove(f.name)} />
                        ),
                      },
                    ]
                  : []),
              ]}
            />
            <Form.ErrorList errors={errors} />
            {admin && (
              <Space wrap style={{ marginTop: 12 }}>
                <Button icon={<PlusOutlined />} onClick={() => add({ date: null, kind: 'holiday', name: '' })} data-testid="calendar-add">
                  {t('calendar.addRow')}
                </Button>
                <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} disabled={!dirty} data-testid="calendar-save">
                  {t('common.save')}
                </Button>
                {dirty && <Tag color="orange">{t('calendar.unsaved')}</Tag>}
              </Space>
            )}
          </>
        )}
      </Form.List>
    </Form>
  )
}

/** The working calendar: holidays and adjusted workdays of a year (admin). */
export default function CalendarPage() {
  const { t } = useTranslation()
  const me = useMe()
  const [params, setParams] = useSearchParams()
  const thisYear = Number(companyToday().slice(0, 4))
  const year = Number(params.get('year')) || thisYear
  if (me.isPending) return <Loading />
  const admin = hasRole(me.data, 'admin')
  if (!admin) return <ForbiddenState />
  const years = Array.from({ length: 5 }, (_, i) => thisYear - 2 + i)
  if (!years.includes(year)) years.push(year)
  return (
    <>
      <PageHeader
        title={t('calendar.title')}
        extra={
          <Space>
            <span>{t('calendar.year')}</span>
            <Select
              value={year}
              onChange={(y: number) => setParams(y === thisYear ? {} : { year: String(y) }, { replace: true })}
              aria-label={t('calendar.year')}
              options={years.sort().map((y) => ({ value: y, label: String(y) }))}
              style={{ width: 100 }}
              data-testid="calendar-year"
            />
          </Space>
        }
      />
      <Card>
        <Typography.Paragraph type="secondary">{t('calendar.hint')}</Typography.Paragraph>
        <YearEditor key={year} year={year} admin={admin} />
      </Card>
    </>
  )
}
