import { Card } from 'antd'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '../components/States'
import { PageHeader } from '../components/PageHeader'

export default function ItemsPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('items.title')} />
      <Card>
        <EmptyState description={t('items.comingSoon')} />
      </Card>
    </>
  )
}
