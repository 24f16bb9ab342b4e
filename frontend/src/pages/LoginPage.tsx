import { LockOutlined, UserOutlined } from '@ant-design/icons'
import { Alert, Button, Form, Input } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Navigate, useNavigate, useSearchParams } from 'react-router'
import { ApiError } from '../api/problem'
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

  if (authed && !busy) return <Navigate to={next} replace />

  const onFinish = async (v: LoginForm) => {
    setBusy(true)
    setError(null)
    setLocked(null)
    try {
      const res = await session.login(v.username.trim(), v.password)
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
        {params.get('reason') === 'expired' && !error && !lockedText && (
          <Alert type="info" showIcon title={t('auth.sessionExpired')} style={{ marginBottom: 16 }} />
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        {lockedText && (
          <Alert type="warning" showIcon title={lockedText} style={{ marginBottom: 16 }} data-testid="login-locked" />
        )}
        <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false} size="large">
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('auth.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('auth.login')}
          </Button>
        </Form>
      </main>
    </div>
  )
}
