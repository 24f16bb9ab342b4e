import { PageHeader } from '../components/PageHeader'
import { useTranslation } from 'react-i18next'
export default function CalendarPage() {
  const { t } = useTranslation()
  return <PageHeader title={t('calendar.title')} />
}
