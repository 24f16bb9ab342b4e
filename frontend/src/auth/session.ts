import createClient from 'openapi-fetch'
import type { components, paths } from '../api/schema'

type TokenPair = components['schemas']['TokenPair']

/**
 * Where the API lives: /api/v1 on the SPA's own origin (served by duban or proxied by
 * nginx), or, for an SPA served from another origin, the URL given at build time as
 * VITE_API_BASE (e.g. https://duban.example.com/api/v1); that server then lists the
 * SPA's origin in DUBAN_CORS_ORIGINS.
 */
export const API_BASE = apiBase(import.meta.env.VITE_API_BASE)

export function apiBase(configured: string | undefined): string {
  const v = configured?.trim().replace(/\/+$/, '')
  return v ? v : '/api/v1'
}

/**
 * Where the refresh token lives.
 *
 * The access token (15 minutes) is kept in memory only. The refresh token is kept in
 * sessionStorage: it survives a reload of the tab, so F5 does not log the user out,
 * and it dies with the tab. The trade-off: script injected into the page (XSS) could
 * read it, where a memory-only token would force a new login on every reload. The
 * server limits the damage: refresh tokens rotate on every use and reusing an old one
 * revokes the whole session, so a stolen token works at most until the real tab
 * refreshes. A duplicated tab copies sessionStorage; the two tabs then share one
 * rotation chain, and the first reuse ends both sessions (the user logs in again).
 */
export const REFRESH_STORAGE_KEY = 'duban.refresh'

export type SessionEvent =
  | { type: 'login'; pair: TokenPair }
  | { type: 'refreshed'; pair: TokenPair }
  | { type: 'logout' }
  | { type: 'expired' }

type Listener = (e: SessionEvent) => void
type FetchFn = (input: Request) => Promise<Response>

export interface SessionOptions {
  baseUrl?: string
  /** the network; tests inject a fake */
  fetch?: FetchFn
  /** where the refresh token is kept; null keeps it in memory only */
  storage?: Storage | null
}

function defaultStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage
  } catch {
    return null
  }
}

/**
 * Session holds the tokens and is the fetch of the API client: it adds the bearer
 * token, and on a 401 it refreshes the session once — however many requests failed
 * at the same time — and retries each of them with the new token. Requests that start
 * while a refresh runs wait for it.
 */
export class Session {
  private access: string | null = null
  private memoryRefresh: string | null = null
  private refreshing: Promise<boolean> | null = null
  private listeners = new Set<Listener>()
  private readonly baseUrl: string
  private readonly net: FetchFn
  private readonly storage: Storage | null
  /** a client without the auth handling, for the auth endpoints themselves */
  private readonly bare

  constructor(opts: SessionOptions = {}) {
    this.baseUrl = opts.baseUrl ?? API_BASE
    this.net = opts.fetch ?? ((r) => globalThis.fetch(r))
    this.storage = opts.storage === undefined ? defaultStorage() : opts.storage
    this.bare = createClient<paths>({ baseUrl: this.baseUrl, fetch: (r) => this.net(r) })
  }

  get accessToken(): string | null {
    return this.access
  }

  get refreshToken(): string | null {
    if (this.storage) {
      try {
        return this.storage.getItem(REFRESH_STORAGE_KEY)
      } catch {
        return this.memoryRefresh
      }
    }
    return this.memoryRefresh
  }

  private setRefreshToken(v: string | null) {
    this.memoryRefresh = v
    if (!this.storage) return
    try {
      if (v) this.storage.setItem(REFRESH_STORAGE_KEY, v)
      else this.storage.removeItem(REFRESH_STORAGE_KEY)
    } catch {
      // memory copy above is enough
    }
  }

  /** true when an access token is held */
  get authenticated(): boolean {
    return this.access !== null
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private emit(e: SessionEvent) {
    for (const fn of this.listeners) fn(e)
  }

  private store(pair: TokenPair) {
    this.access = pair.access_token ?? null
    this.setRefreshToken(pair.refresh_token ?? null)
  }

  /** Logs in; answers the openapi-fetch result so the page can show the problem. */
  async login(username: string, password: string) {
    const res = await this.bare.POST('/auth/login', { body: { username, password } })
    if (res.data) {
      this.store(res.data)
      this.emit({ type: 'login', pair: res.data })
    }
    return res
  }

  /** Logs in with the directory's (LDAP / AD) name and password. */
  async loginLdap(username: string, password: string) {
    const res = await this.bare.POST('/auth/ldap/login', { body: { username, password } })
    if (res.data) {
      this.store(res.data)
      this.emit({ type: 'login', pair: res.data })
    }
    return res
  }

  /** Finishes an OIDC login: trades the one-time code of /login/sso for a session. */
  async exchangeOidc(code: string) {
    const res = await this.bare.POST('/auth/oidc/session', { body: { code } })
    if (res.data) {
      this.store(res.data)
      this.emit({ type: 'login', pair: res.data })
    }
    return res
  }

  /** Ends the session on the server (best effort) and forgets the tokens. */
  async logout() {
    const rt = this.refreshToken
    this.clear()
    this.emit({ type: 'logout' })
    if (rt) {
      try {
        await this.bare.POST('/auth/logout', { body: { refresh_token: rt } })
      } catch {
        // offline: the tokens are gone here anyway and expire on the server
      }
    }
  }

  /** Forgets the tokens without telling anyone. */
  clear() {
    this.access = null
    this.setRefreshToken(null)
  }

  /**
   * Refreshes the session. Concurrent callers share one request. Resolves true when a
   * new access token is held. A refused refresh token (401 and the like) ends the
   * session and emits "expired"; a network failure keeps it for a later try.
   */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null
      })
    }
    return this.refreshing
  }

  private async doRefresh(): Promise<boolean> {
    const rt = this.refreshToken
    if (!rt) return false
    let res
    try {
      res = await this.bare.POST('/auth/refresh', { body: { refresh_token: rt } })
    } catch {
      return false
    }
    if (res.data) {
      this.store(res.data)
      this.emit({ type: 'refreshed', pair: res.data })
      return true
    }
    const status = res.response.status
    if (status >= 400 && status < 500 && status !== 429) {
      const had = this.access !== null
      this.clear()
      if (had) this.emit({ type: 'expired' })
    }
    return false
  }

  private withToken(req: Request, token: string | null): Request {
    if (!token) return req
    const headers = new Headers(req.headers)
    headers.set('Authorization', `Bearer ${token}`)
    return new Request(req, { headers })
  }

  private isAuthCall(req: Request): boolean {
    const path = new URL(req.url, 'http://x').pathname
    const base = new URL(this.baseUrl, 'http://x').pathname.replace(/\/$/, '')
    return path.startsWith(`${base}/auth/`)
  }

  /** The fetch of the API client. */
  fetch = async (req: Request): Promise<Response> => {
    const retry = req.clone()
    let sent = false
    return this.authorized((token) => {
      const r = sent ? retry : req
      sent = true
      return this.net(this.withToken(r, token))
    }, this.isAuthCall(req))
  }

  /**
   * The token handling of fetch for any transport: send runs with the current access
   * token (null when none); on a 401 the session refreshes once (shared with every
   * other request) and send runs again with the new token. XMLHttpRequest uploads use
   * it, because fetch cannot report upload progress.
   */
  async authorized<R extends { status: number }>(send: (token: string | null) => Promise<R>, authCall = false): Promise<R> {
    if (this.refreshing) await this.refreshing
    const sentWith = this.access
    const first = await send(sentWith)
    if (first.status !== 401 || authCall || !this.refreshToken) {
      if (first.status === 401 && sentWith !== null && !authCall) {
        // no refresh token: nothing more to try
        this.clear()
        this.emit({ type: 'expired' })
      }
      return first
    }
    // Another request may have refreshed while this one was on the way.
    const ok = (this.access !== null && this.access !== sentWith) || (await this.refresh())
    if (!ok || !this.access) return first
    return send(this.access)
  }
}

export const session = new Session()
