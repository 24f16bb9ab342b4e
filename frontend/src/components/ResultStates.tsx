import { Result } from 'antd'
import { useTranslation } from 'react-i18next'

// Kept apart from States.tsx so that the login page does not load antd's Result.

export function NotFoundState() {
  const { t } = useTranslation()
  return <Result status="404" title={t('common.notFound')} subTitle={t('common.notFoundHint')} />
}

export function ForbiddenState() {
  const { t } = useTranslation()
  return <Result status="403" title={t('common.forbidden')} subTitle={t('common.forbiddenHint')} />
}
