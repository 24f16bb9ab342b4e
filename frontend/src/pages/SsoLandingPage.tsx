import { Alert, Button, Spin } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { ApiError, errorMessage } from '../api/problem'
import { safeNext } from '../auth/auth'
import { session } from '../auth/session'

/**
 * /login/sso: where an OIDC login lands. The one-time code is in the fragment
 * (#code=…), which never reaches a server log; it is traded once for a session and
 * removed from the address bar and history at once.
 */
function takeCode(): string | null {
  const code = new URLSearchParams(window.location.hash.slice(1)).get('code')
  if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search)
  return code
}

export default function SsoLandingPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const next = safeNext(params.get('next'))
  // read once, and removed from the address bar and history at once
  const [code] = useState(takeCode)
  const [error, setError] = useState<string | null>(code ? null : t('sso.error.sso_expired'))
  const started = useRef(false)

  useEffect(() => {
    if (started.current || !code) return // React's development double effect: the code works once
    started.current = true
    void (async () => {
      try {
        const res = await session.exchangeOidc(code)
        if (res.data) {
          const target = res.data.user?.must_change_password ? '/change-password' : next
          void navigate(target, { replace: true })
          return
        }
        setError(errorMessage(new ApiError(res.response, res.error), t))
      } catch (e) {
        setError(errorMessage(e, t))
      }
    })()
  }, [code, navigate, next, t])

  return (
    <div className="login-bg">
      <main className="login-card" data-testid="sso-landing">
        {error ? (
          <>
            <Alert type="error" showIcon title={t('sso.failed')} description={error} style={{ marginBottom: 16 }} data-testid="sso-landing-error" />
            <Link to="/login">
              <Button block>{t('sso.backToLogin')}</Button>
            </Link>
          </>
        ) : (
          <div style={{ textAlign: 'center', padding: 24 }}>
            <Spin />
            <p style={{ marginTop: 16 }}>{t('sso.finishing')}</p>
          </div>
        )}
      </main>
    </div>
  )
}
