import { Form, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { formatDate } from '../../../lib/time'

/**
 * Under a field prefilled from an older report (issue 11 §14): says so until the
 * value changes, so that copied text is not sent as this period's news unread.
 */
export function StaleMark({ name, original, date }: { name: string; original: unknown; date?: string | null }) {
  const { t } = useTranslation()
  const form = Form.useFormInstance()
  const value: unknown = Form.useWatch(name, form)
  if (original === undefined || original === null || original === '' || value !== original) return null
  return (
    <Typography.Text type="warning" data-testid={`stale-${name}`}>
      {date ? t('ease.stale', { date: formatDate(date) }) : t('ease.staleNoDate')}
    </Typography.Text>
  )
}
