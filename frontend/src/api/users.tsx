import { useQuery } from '@tanstack/react-query'
import { api } from './client'
import { call } from './problem'

/** A user's display name (GET /users/{id}, the directory view), cached. */
export function useUserName(id: string | null | undefined): string | undefined {
  const q = useQuery({
    queryKey: ['users', 'one', id],
    queryFn: () => call(api.GET('/users/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
    staleTime: 5 * 60_000,
    retry: false,
  })
  if (!id) return undefined
  return q.data?.display_name ?? q.data?.username ?? (q.isError ? id.slice(0, 8) : undefined)
}

export function UserName({ id }: { id: string | null | undefined }) {
  const name = useUserName(id)
  return <>{id ? (name ?? '…') : '—'}</>
}
