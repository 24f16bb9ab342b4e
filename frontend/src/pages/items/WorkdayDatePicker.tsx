import { useQueries } from '@tanstack/react-query'
import { DatePicker, Typography, type DatePickerProps } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../api/client'
import { call } from '../../api/problem'

type Day = Schemas['CalendarDay']

/**
 * Whether d is a rest day by the company calendar: a listed holiday (节假日, also the
 * 调休 rest days), or a weekend not listed as an adjusted workday.
 */
export function restDay(d: Dayjs, days: ReadonlyMap<string, Day>): { kind: 'holiday'; name: string } | { kind: 'weekend' } | null {
  const listed = days.get(d.format('YYYY-MM-DD'))
  if (listed?.kind === 'holiday') return { kind: 'holiday', name: listed.name }
  if (listed?.kind === 'workday') return null
  return d.day() === 0 || d.day() === 6 ? { kind: 'weekend' } : null
}

/** A date picker that marks rest days and says so below when one is chosen (§16). */
export function WorkdayDatePicker(props: DatePickerProps & { value?: Dayjs | null }) {
  const { t } = useTranslation()
  const { value } = props
  const [panelYear, setPanelYear] = useState<number>(() => (value ?? dayjs()).year())
  const years = [...new Set([panelYear, value?.year()].filter((y): y is number => y !== undefined))]
  const calendars = useQueries({
    queries: years.map((year) => ({
      queryKey: ['calendar', year],
      queryFn: () => call(api.GET('/calendar/{year}', { params: { path: { year } } })),
      staleTime: 60 * 60_000,
      retry: false,
    })),
  })
  const days = new Map<string, Day>()
  for (const c of calendars) for (const d of c.data?.days ?? []) days.set(d.date, d)
  const rest = value ? restDay(value, days) : null
  return (
    <>
      <DatePicker
        {...props}
        onPanelChange={(d, mode) => {
          if (d) setPanelYear(d.year())
          props.onPanelChange?.(d, mode)
        }}
        cellRender={(current, info) => {
          if (info.type !== 'date' || !dayjs.isDayjs(current)) return info.originNode
          const r = restDay(current, days)
          if (!r) return info.originNode
          return (
            <div className="ant-picker-cell-inner" title={r.kind === 'holiday' ? r.name || t('ease.holiday') : undefined} style={{ color: '#cf1322' }}>
              {current.date()}
            </div>
          )
        }}
      />
      {value && rest && (
        <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="deadline-rest-day">
          {rest.kind === 'holiday'
            ? `${t('ease.holidayHint', { date: value.format('YYYY-MM-DD') })}${rest.name ? ` · ${rest.name}` : ''}`
            : t('ease.restDayHint', { date: value.format('YYYY-MM-DD') })}
        </Typography.Text>
      )}
    </>
  )
}
