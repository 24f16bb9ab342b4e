import { useQuery } from '@tanstack/react-query'
import { API_BASE } from '../auth/session'
import { api, type Schemas } from './client'

export type AuthMethods = Schemas['AuthMethods']

/** What the login page offers (GET /auth/methods, public). A failure falls back to
 * the password form alone, so a server without the endpoint still lets people in. */
export function useAuthMethods() {
  return useQuery({
    queryKey: ['auth-methods'],
    queryFn: async (): Promise<AuthMethods | null> => {
      try {
        const res = await api.GET('/auth/methods')
        return res.data ?? null
      } catch {
        return null
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  })
}

/** The browser address that starts an OIDC login and comes back to next. */
export function oidcLoginUrl(next: string): string {
  const q = next && next !== '/' ? `?return_to=${encodeURIComponent(next)}` : ''
  return `${API_BASE}/auth/oidc/login${q}`
}

/** The SSO error codes the callback sends to /login?sso_error=…. */
export const SSO_ERRORS = ['sso_denied', 'sso_expired', 'sso_failed', 'sso_unknown_user', 'sso_inactive'] as const
export type SsoError = (typeof SSO_ERRORS)[number]

export function ssoError(v: string | null): SsoError | null {
  return SSO_ERRORS.find((e) => e === v) ?? null
}
