import { Button } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { NotFoundState } from '../components/ResultStates'

export default function NotFoundPage() {
  const { t } = useTranslation()
  return (
    <>
      <NotFoundState />
      <div style={{ textAlign: 'center' }}>
        <Link to="/workbench">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      </div>
    </>
  )
}
