import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { useLocation, useNavigate } from 'react-router'
import { api } from '../api/client'
import { call } from '../api/problem'
import { session } from './session'

export const ME_KEY = ['me'] as const

/** true while an access token is held; re-renders on login, refresh and logout */
export function useAuthenticated(): boolean {
  return useSyncExternalStore(
    (cb) => session.subscribe(cb),
    () => session.authenticated,
  )
}

/** The current user (GET /me), shared by every page. */
export function useMe() {
  const authed = useAuthenticated()
  return useQuery({
    queryKey: ME_KEY,
    queryFn: () => call(api.GET('/me')),
    enabled: authed,
    staleTime: 60_000,
  })
}

export function hasRole(me: { roles?: string[] } | undefined, role: string): boolean {
  return !!me?.roles?.includes(role)
}

/** Where to go after login: only paths of this app. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/'
  return next
}

export function loginPath(next: string, reason?: 'expired'): string {
  const q = new URLSearchParams()
  if (next && next !== '/') q.set('next', next)
  if (reason) q.set('reason', reason)
  const s = q.toString()
  return s ? `/login?${s}` : '/login'
}

/**
 * Restores the session at start (a reload, or a link opened in a new tab): one
 * refresh with the browser's session cookie gives this tab an access token. Answers
 * true while that runs.
 */
export function useSessionRestore(): boolean {
  const [restoring, setRestoring] = useState(() => !session.authenticated && session.canRestore)
  useEffect(() => {
    if (!restoring) return
    let live = true
    void session.refresh().finally(() => {
      if (live) setRestoring(false)
    })
    return () => {
      live = false
    }
  }, [restoring])
  return restoring
}

/**
 * Keeps the query cache in step with the session, and sends the user to the login
 * page (and afterwards back here) when the session expires.
 */
export function SessionEvents() {
  const qc = useQueryClient()
  const navigate = useNavigate()
  const location = useLocation()
  const here = location.pathname + location.search
  useEffect(
    () =>
      session.subscribe((e) => {
        switch (e.type) {
          case 'login':
          case 'refreshed':
            if (e.pair.user) qc.setQueryData(ME_KEY, e.pair.user)
            break
          case 'logout':
            qc.clear()
            break
          case 'expired':
            qc.clear()
            void navigate(loginPath(here, 'expired'), { replace: true })
            break
        }
      }),
    [qc, navigate, here],
  )
  return null
}
