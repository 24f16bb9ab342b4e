import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemoryRouter, Route, Routes, useLocation } from 'react-router'
import { makeQueryClient } from '../app/queryClient'
import { session } from '../auth/session'
import LoginPage from './LoginPage'
import SsoLandingPage from './SsoLandingPage'

afterEach(() => {
  vi.unstubAllGlobals()
  session.clear()
  window.history.replaceState(null, '', '/')
})

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status < 300 ? 'application/json' : 'application/problem+json' },
  })
}

const pair = { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 900, user: { username: 'zhang', must_change_password: false } }

/** A fake API: GET /auth/methods answers methods, every call is recorded. */
function api(methods: unknown, answers: Record<string, () => Response> = {}) {
  const calls: string[] = []
  const fetch = vi.fn(async (req: Request) => {
    const path = new URL(req.url).pathname
    calls.push(`${req.method} ${path}`)
    if (path === '/api/v1/auth/methods') return json(200, methods)
    const answer = answers[`${req.method} ${path}`]
    return answer ? answer() : json(404, { status: 404, code: 'not_found' })
  })
  vi.stubGlobal('fetch', fetch)
  return calls
}

function Where() {
  const loc = useLocation()
  return <div data-testid="where">{loc.pathname}</div>
}

function renderAt(entry: string) {
  return render(
    <QueryClientProvider client={makeQueryClient()}>
      <MemoryRouter initialEntries={[entry]}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/login/sso" element={<SsoLandingPage />} />
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  )
}

const off = { enabled: false, label: '' }

describe('login page with single sign-on', () => {
  it('offers the OIDC button, which starts the login at the API with the return path', async () => {
    api({ password: { enabled: true, break_glass_only: false }, oidc: { enabled: true, label: '', login_url: '/api/v1/auth/oidc/login' }, ldap: off })
    const assign = vi.fn()
    vi.stubGlobal('location', { ...window.location, assign })
    renderAt('/login?next=%2Fitems')
    const button = await screen.findByTestId('oidc-login')
    expect(button).toHaveTextContent('使用统一身份认证登录')
    await userEvent.setup().click(button)
    expect(assign).toHaveBeenCalledWith('/api/v1/auth/oidc/login?return_to=%2Fitems')
    // the password form is still there
    expect(screen.getByTestId('login-submit')).toBeInTheDocument()
  })

  it('logs in through the directory by default when LDAP is on', async () => {
    const calls = api(
      { password: { enabled: true, break_glass_only: false }, oidc: off, ldap: { enabled: true, label: '集团域账号' } },
      { 'POST /api/v1/auth/ldap/login': () => json(200, pair) },
    )
    renderAt('/login?next=%2Fitems%2F7')
    expect(await screen.findByText('集团域账号')).toBeInTheDocument()
    const user = userEvent.setup()
    await user.type(screen.getByLabelText('用户名'), 'zhang')
    await user.type(screen.getByLabelText('密码'), 'secret-1')
    await user.click(screen.getByTestId('login-submit'))
    expect(await screen.findByTestId('where')).toHaveTextContent('/items/7')
    expect(calls).toContain('POST /api/v1/auth/ldap/login')
    expect(calls).not.toContain('POST /api/v1/auth/login')
  })

  it('keeps the password form behind the break-glass link when passwords are off', async () => {
    api({ password: { enabled: true, break_glass_only: true }, oidc: { enabled: true, label: '集团门户登录' }, ldap: off })
    renderAt('/login')
    expect(await screen.findByTestId('oidc-login')).toHaveTextContent('集团门户登录')
    expect(screen.queryByTestId('login-submit')).not.toBeInTheDocument()
    await userEvent.setup().click(screen.getByTestId('break-glass'))
    expect(screen.getByTestId('login-submit')).toBeInTheDocument()
    expect(screen.getByText('本地密码登录已关闭，仅限应急管理员使用。')).toBeInTheDocument()
  })

  it('explains why a single sign-on came back refused', async () => {
    api({ password: { enabled: true, break_glass_only: false }, oidc: { enabled: true, label: '' }, ldap: off })
    renderAt('/login?sso_error=sso_unknown_user')
    expect(await screen.findByTestId('sso-error')).toHaveTextContent('在督办系统中没有对应的用户')
  })

  it('still shows the password form when the server does not list methods', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(500, { status: 500, code: 'internal_error' })))
    renderAt('/login')
    expect(await screen.findByTestId('login-submit')).toBeInTheDocument()
  })
})

describe('OIDC landing page', () => {
  it('trades the one-time code for a session, once, and clears it from the address', async () => {
    const calls = api({}, { 'POST /api/v1/auth/oidc/session': () => json(200, pair) })
    window.history.replaceState(null, '', '/login/sso?next=%2Fitems#code=one-time')
    renderAt('/login/sso?next=%2Fitems')
    expect(await screen.findByTestId('where')).toHaveTextContent('/items')
    expect(calls.filter((c) => c === 'POST /api/v1/auth/oidc/session')).toHaveLength(1)
    expect(window.location.hash).toBe('')
    expect(session.authenticated).toBe(true)
  })

  it('says so when the code is refused', async () => {
    api({}, { 'POST /api/v1/auth/oidc/session': () => json(401, { status: 401, code: 'invalid_login_code' }) })
    window.history.replaceState(null, '', '/login/sso#code=stale')
    renderAt('/login/sso')
    expect(await screen.findByTestId('sso-landing-error')).toHaveTextContent('登录已失效')
  })

  it('says so without a code', async () => {
    api({})
    window.history.replaceState(null, '', '/login/sso')
    renderAt('/login/sso')
    expect(await screen.findByTestId('sso-landing-error')).toHaveTextContent('登录已超时或已失效')
  })
})
