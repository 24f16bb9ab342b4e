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

/** The If-Match value for an object's version (the API's ETag is the quoted version). */
export const ifMatch = (version: number | undefined) => `"${version ?? 0}"`
