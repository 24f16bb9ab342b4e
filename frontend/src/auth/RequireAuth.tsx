import type { ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router'
import { ErrorState, Loading } from '../components/States'
import { loginPath, useAuthenticated, useMe } from './auth'

/** Lets signed-in users through; others go to the login page and come back after. */
export function RequireAuth({ children, allowPasswordChange = false }: { children: ReactNode; allowPasswordChange?: boolean }) {
  const authed = useAuthenticated()
  const location = useLocation()
  const me = useMe()
  const here = location.pathname + location.search
  if (!authed) return <Navigate to={loginPath(here)} replace />
  if (me.isPending) return <Loading />
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />
  if (me.data.must_change_password && !allowPasswordChange) {
    const q = here !== '/' ? `?next=${encodeURIComponent(here)}` : ''
    return <Navigate to={`/change-password${q}`} replace />
  }
  return <>{children}</>
}
