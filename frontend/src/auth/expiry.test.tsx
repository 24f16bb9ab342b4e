import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemoryRouter, Route, Routes, useLocation } from 'react-router'
import { api } from '../api/client'
import { makeQueryClient } from '../app/queryClient'
import { SessionEvents } from './auth'
import { session } from './session'

afterEach(() => {
  vi.unstubAllGlobals()
  session.clear()
})

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

function Where() {
  const loc = useLocation()
  return <div data-testid="where">{loc.pathname + loc.search}</div>
}

describe('session expiry', () => {
  it('sends the user to the login page with the way back', async () => {
    // logged in …
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(200, { access_token: 'a1', refresh_token: 'r1', token_type: 'Bearer', expires_in: 900, user: { username: 'u' } }),
      ),
    )
    await session.login('u', 'p')
    expect(session.authenticated).toBe(true)

    render(
      <QueryClientProvider client={makeQueryClient()}>
        <MemoryRouter initialEntries={['/items?state=draft']}>
          <SessionEvents />
          <Routes>
            <Route path="*" element={<Where />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    )
    expect(screen.getByTestId('where')).toHaveTextContent('/items?state=draft')

    // … until the server refuses the access token and the refresh token alike
    const net = vi.fn(async (req: Request) =>
      new URL(req.url).pathname.endsWith('/auth/refresh')
        ? json(401, { status: 401, code: 'unauthorized' })
        : json(401, { status: 401, code: 'unauthorized' }),
    )
    vi.stubGlobal('fetch', net)
    const res = await api.GET('/me')
    expect(res.response.status).toBe(401)
    expect(net.mock.calls.map(([r]) => new URL((r as Request).url).pathname)).toEqual(['/api/v1/me', '/api/v1/auth/refresh'])
    expect(session.authenticated).toBe(false)
    await waitFor(() =>
      expect(screen.getByTestId('where')).toHaveTextContent('/login?next=%2Fitems%3Fstate%3Ddraft&reason=expired'),
    )
  })
})
