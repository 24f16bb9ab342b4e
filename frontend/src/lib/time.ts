import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import 'dayjs/locale/en'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'
import relativeTime from 'dayjs/plugin/relativeTime'

dayjs.extend(utc)
dayjs.extend(timezone)
dayjs.extend(relativeTime)

/** The company time zone: deadlines are calendar dates in it, times are shown in it. */
export const COMPANY_TZ = 'Asia/Shanghai'
dayjs.tz.setDefault(COMPANY_TZ)

/** A timestamp (RFC 3339) shown in the company time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = dayjs(iso)
  return d.isValid() ? d.tz(COMPANY_TZ).format('YYYY-MM-DD HH:mm') : '—'
}

/** A calendar date (YYYY-MM-DD) or a timestamp shown as its date in the company time zone. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—'
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  const d = dayjs(value)
  return d.isValid() ? d.tz(COMPANY_TZ).format('YYYY-MM-DD') : '—'
}

/** Today as YYYY-MM-DD in the company time zone. */
export function companyToday(): string {
  return dayjs().tz(COMPANY_TZ).format('YYYY-MM-DD')
}

export function setDayjsLocale(lang: string) {
  dayjs.locale(lang.startsWith('zh') ? 'zh-cn' : 'en')
}

export { dayjs }
