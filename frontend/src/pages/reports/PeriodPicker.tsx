import { DatePicker, Segmented, Space } from 'antd'
import { useTranslation } from 'react-i18next'
import { dayjs } from '../../lib/time'
import { periodOf, type Period, type PeriodKind } from './period'

/** Month, quarter or year, and which one. */
export function PeriodPicker({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  const { t } = useTranslation()
  return (
    <Space wrap data-testid="period-picker">
      <Segmented
        aria-label={t('reports.period.label')}
        value={value.kind}
        onChange={(k) => onChange(periodOf(k as PeriodKind, value.from))}
        options={(['month', 'quarter', 'year'] as const).map((k) => ({ value: k, label: t(`reports.period.${k}`) }))}
      />
      <DatePicker
        picker={value.kind}
        allowClear={false}
        aria-label={t('reports.period.label')}
        value={dayjs(value.from)}
        onChange={(d) => d && onChange(periodOf(value.kind, d.format('YYYY-MM-DD')))}
        style={{ width: 140 }}
        data-testid="period-date"
      />
    </Space>
  )
}
