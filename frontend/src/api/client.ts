import createClient from 'openapi-fetch'
import { API_BASE, session } from '../auth/session'
import type { components, paths } from './schema'

export type Schemas = components['schemas']

/**
 * The typed API client. Every request goes through the session (token, refresh).
 * Array query parameters are comma separated (style form, explode false), as the
 * document declares them (e.g. GET /items?state=issued,in_progress).
 */
export const api = createClient<paths>({
  baseUrl: API_BASE,
  fetch: (req) => session.fetch(req),
  querySerializer: { array: { style: 'form', explode: false } },
})

/**
 * The If-Match value for an object's version (the API's ETag is the quoted version).
 * A missing version is a bug of the caller: development fails loudly; production
 * sends no If-Match (the server then applies the change without the check) rather
 * than "0", which would claim a version no object has and always answer 412.
 */
export function ifMatch(version: number | undefined): string | undefined {
  if (version === undefined) {
    if (import.meta.env.DEV) throw new Error('ifMatch: the object has no version')
    return undefined
  }
  return `"${version}"`
}

/**
 * A new Idempotency-Key: one per submission of a form, so that a double click or a
 * retry after a lost answer creates the thing once. crypto.randomUUID exists only in
 * secure contexts (an intranet server may be plain HTTP); getRandomValues everywhere.
 */
export function idempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}
