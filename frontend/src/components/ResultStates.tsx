import { Result } from 'antd'
import { useTranslation } from 'react-i18next'

// Kept apart from States.tsx so that the login page does not load antd's Result.

/** title and hint override the page's wording (an item: "not found, or not yours to see"). */
export function NotFoundState({ title, hint }: { title?: string; hint?: string }) {
  const { t } = useTranslation()
  return <Result status="404" title={title ?? t('common.notFound')} subTitle={hint ?? t('common.notFoundHint')} />
}

export function ForbiddenState() {
  const { t } = useTranslation()
  return <Result status="403" title={t('common.forbidden')} subTitle={t('common.forbiddenHint')} />
}
