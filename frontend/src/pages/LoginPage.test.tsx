import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemoryRouter, Route, Routes, useLocation } from 'react-router'
import { makeQueryClient } from '../app/queryClient'
import { session } from '../auth/session'
import LoginPage from './LoginPage'

afterEach(() => {
  vi.unstubAllGlobals()
  session.clear()
})

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } })
}

function Where() {
  const loc = useLocation()
  return <div data-testid="where">{loc.pathname}</div>
}

function renderLogin(entry: string) {
  return render(
    <QueryClientProvider client={makeQueryClient()}>
      <MemoryRouter initialEntries={[entry]}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  )
}

async function submit(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('用户名'), 'zhangwei')
  await user.type(screen.getByLabelText('密码'), 'secret-123')
  await user.click(screen.getByTestId('login-submit'))
}

describe('LoginPage', () => {
  it('shows the lockout with its retry time', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(429, { status: 429, code: 'rate_limited', detail: 'too many failed logins', retry_after: 600 }, { 'Retry-After': '600' }),
      ),
    )
    renderLogin('/login')
    const user = userEvent.setup()
    await submit(user)
    const alert = await screen.findByTestId('login-locked')
    expect(alert).toHaveTextContent('登录失败次数过多')
    expect(alert).toHaveTextContent('约 10 分钟')
  })

  it('shows invalid credentials in the user language', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(401, { status: 401, code: 'invalid_credentials', detail: 'the username or password is wrong' })))
    renderLogin('/login')
    await submit(userEvent.setup())
    expect(await screen.findByTestId('login-error')).toHaveTextContent('用户名或密码错误')
  })

  it('goes back to where the user was after logging in', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(200, { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 900, user: { username: 'zhangwei', must_change_password: false } }),
      ),
    )
    renderLogin('/login?next=%2Fitems%2F42')
    await submit(userEvent.setup())
    expect(await screen.findByTestId('where')).toHaveTextContent('/items/42')
  })

  it('sends a user who must change the password to that page first', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(200, { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 900, user: { username: 'zhangwei', must_change_password: true } }),
      ),
    )
    renderLogin('/login?next=%2Fme')
    await submit(userEvent.setup())
    expect(await screen.findByTestId('where')).toHaveTextContent('/change-password')
  })
})
