import { App, Button, Card, Flex, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { safeNext } from '../auth/auth'
import { session } from '../auth/session'
import { ChangePasswordForm } from '../components/ChangePasswordForm'
import { LanguageToggle } from '../components/LanguageToggle'

/** The forced password change after the first login (must_change_password). */
export default function ChangePasswordPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  return (
    <App className="login-bg">
      <Card style={{ width: '100%', maxWidth: 460 }} styles={{ body: { padding: 32 } }}>
        <Flex justify="space-between" align="center">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('auth.mustChangeTitle')}
          </Typography.Title>
          <LanguageToggle />
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('auth.mustChangeHint')}
        </Typography.Paragraph>
        <ChangePasswordForm onDone={() => void navigate(safeNext(params.get('next')), { replace: true })} />
        <Button type="link" style={{ paddingLeft: 0, marginTop: 8 }} onClick={() => void session.logout().then(() => navigate('/login'))}>
          {t('auth.logout')}
        </Button>
      </Card>
    </App>
  )
}
