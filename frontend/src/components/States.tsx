import { Alert, Button, Empty, Flex, Spin } from 'antd'
import { useTranslation } from 'react-i18next'
import { ApiError, errorMessage } from '../api/problem'

export function Loading({ tip }: { tip?: string }) {
  const { t } = useTranslation()
  return (
    <Flex justify="center" align="center" style={{ padding: 48 }} data-testid="loading">
      <Spin description={tip ?? t('common.loading')} />
    </Flex>
  )
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation()
  const requestId = error instanceof ApiError ? error.problem.request_id : undefined
  return (
    <Alert
      type="error"
      showIcon
      title={t('common.loadFailed')}
      description={
        <>
          <div>{errorMessage(error, t)}</div>
          {requestId && (
            <div style={{ opacity: 0.7, fontSize: 12 }}>
              {t('common.requestId')}: {requestId}
            </div>
          )}
        </>
      }
      action={
        onRetry && (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )
      }
    />
  )
}

export function EmptyState({ description }: { description?: string }) {
  const { t } = useTranslation()
  return <Empty description={description ?? t('common.empty')} />
}
