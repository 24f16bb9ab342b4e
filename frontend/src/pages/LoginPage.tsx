import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons'
import { Alert, Button, Divider, Form, Input, Segmented, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Navigate, useNavigate, useSearchParams } from 'react-router'
import { ApiError } from '../api/problem'
import { oidcLoginUrl, ssoError, useAuthMethods } from '../api/sso'
import { safeNext, useAuthenticated } from '../auth/auth'
import { session } from '../auth/session'
import { applyFormError } from '../components/formErrors'
import { LanguageToggle } from '../components/LanguageToggle'
import { dayjs } from '../lib/time'

interface LoginForm {
  username: string
  password: string
}

export default function LoginPage() {
  const { t } = useTranslation()
  const [form] = Form.useForm<LoginForm>()
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const authed = useAuthenticated()
  const [error, setError] = useState<string | null>(null)
  const [locked, setLocked] = useState<{ until: number; seconds: number } | null>(null)
  const [busy, setBusy] = useState(false)
  const next = safeNext(params.get('next'))
  const methods = useAuthMethods().data
  const oidc = !!methods?.oidc?.enabled
  const ldap = !!methods?.ldap?.enabled
  const breakGlassOnly = !!methods?.password?.break_glass_only
  // which form: the directory's when there is one, else the local password
  const [chosen, setChosen] = useState<'ldap' | 'password' | null>(null)
  const [breakGlass, setBreakGlass] = useState(false)
  const mode = chosen ?? (ldap && !breakGlass ? 'ldap' : 'password')
  const showForm = ldap || !breakGlassOnly || breakGlass
  const ssoErr = ssoError(params.get('sso_error'))

  if (authed && !busy) return <Navigate to={next} replace />

  const onFinish = async (v: LoginForm) => {
    setBusy(true)
    setError(null)
    setLocked(null)
    try {
      const res =
        mode === 'ldap' ? await session.loginLdap(v.username.trim(), v.password) : await session.login(v.username.trim(), v.password)
      if (res.data) {
        const target = res.data.user?.must_change_password
          ? `/change-password${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`
          : next
        // busy stays on: this page is leaving, and its own redirect must not race this one
        void navigate(target, { replace: true })
        return
      }
      const err = new ApiError(res.response, res.error)
      if (err.status === 429) {
        const seconds = err.retryAfter ?? 900
        setLocked({ until: Date.now() + seconds * 1000, seconds })
      } else {
        setError(applyFormError(form, err, t))
      }
      form.setFieldValue('password', '')
    } catch (e) {
      setError(applyFormError(form, e, t))
    }
    setBusy(false)
  }

  const lockedText =
    locked &&
    t('auth.lockedOut', {
      time: dayjs(locked.until).format('HH:mm:ss'),
      minutes: Math.max(1, Math.ceil(locked.seconds / 60)),
    })

  return (
    <div className="login-bg">
      <main className="login-card">
        <div className="login-head">
          <h1>{t('app.name')}</h1>
          <LanguageToggle />
        </div>
        <p className="login-tagline">{t('app.tagline')}</p>
        {params.get('reason') === 'expired' && !error && !lockedText && !ssoErr && (
          <Alert type="info" showIcon title={t('auth.sessionExpired')} style={{ marginBottom: 16 }} />
        )}
        {ssoErr && !error && (
          <Alert type="error" showIcon title={t(`sso.error.${ssoErr}`)} style={{ marginBottom: 16 }} data-testid="sso-error" />
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        {lockedText && (
          <Alert type="warning" showIcon title={lockedText} style={{ marginBottom: 16 }} data-testid="login-locked" />
        )}
        {oidc && (
          <Button
            type="primary"
            size="large"
            block
            icon={<SafetyCertificateOutlined />}
            onClick={() => window.location.assign(oidcLoginUrl(next))}
            data-testid="oidc-login"
          >
            {methods?.oidc?.label || t('sso.oidcButton')}
          </Button>
        )}
        {oidc && showForm && <Divider plain>{t('sso.or')}</Divider>}
        {ldap && !breakGlassOnly && (
          <Segmented
            block
            value={mode}
            onChange={(v) => setChosen(v === 'ldap' ? 'ldap' : 'password')}
            options={[
              { value: 'ldap', label: methods?.ldap?.label || t('sso.ldapTab') },
              { value: 'password', label: t('sso.passwordTab') },
            ]}
            style={{ marginBottom: 16 }}
            data-testid="login-mode"
          />
        )}
        {breakGlass && mode === 'password' && breakGlassOnly && (
          <Alert type="warning" showIcon title={t('sso.breakGlassHint')} style={{ marginBottom: 16 }} />
        )}
        {showForm && (
          <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false} size="large">
            {mode === 'ldap' && (
              <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
                {t('sso.ldapHint')}
              </Typography.Paragraph>
            )}
            <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('auth.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus={!oidc} />
            </Form.Item>
            <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type={oidc ? 'default' : 'primary'} htmlType="submit" block loading={busy} data-testid="login-submit">
              {t('auth.login')}
            </Button>
          </Form>
        )}
        {breakGlassOnly && !breakGlass && (
          <Button
            type="link"
            size="small"
            style={{ marginTop: 12, padding: 0 }}
            onClick={() => {
              setBreakGlass(true)
              setChosen('password')
            }}
            data-testid="break-glass"
          >
            {t('sso.breakGlass')}
          </Button>
        )}
      </main>
    </div>
  )
}
