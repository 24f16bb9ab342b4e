import createClient from 'openapi-fetch'
import type { components, paths } from '../api/schema'

/** Marks a request as the page's own: the server then keeps the refresh token in
 * its HttpOnly cookie and out of the answer's body, where a script could read it. */
const PAGE = { 'X-Requested-With': 'fetch' }

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
 * Where the session lives.
 *
 * The access token (15 minutes) is kept in each tab's memory only. The refresh token
 * is never seen by script: the server keeps it in an HttpOnly, SameSite=Strict cookie
 * on /api/v1/auth, which every tab of the browser shares. So a link opened in a new tab
 * is logged in (the tab refreshes once at start and gets its own access token), a
 * reload keeps the session, and script injected into the page (XSS) cannot steal the
 * refresh token. Refresh tokens rotate on every use and a reused one revokes the whole
 * session, so the tabs take turns refreshing (a Web Lock where the browser has one).
 * Logout ends the session on the server, clears the cookie and tells the other tabs
 * (BroadcastChannel), which go to the login page.
 *
 * SESSION_HINT_KEY in localStorage only says "this browser had a session", so that a
 * visitor who never logged in is not sent through a refresh that must fail.
 */
export const SESSION_HINT_KEY = 'duban.session'
const CHANNEL = 'duban.session'
const LOCK = 'duban.refresh'

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
  /** where the session hint is kept; null: none (always try a refresh) */
  storage?: Storage | null
}

function defaultStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/** the page's language (src/i18n keeps <html lang> current), for Accept-Language */
function pageLanguage(): string {
  return typeof document === 'undefined' ? '' : document.documentElement.lang
}

/** runs fn holding the browser-wide refresh lock, where Web Locks exist */
async function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks
  if (!locks) return fn()
  let out: { v: T } | undefined
  await locks.request(LOCK, async () => {
    out = { v: await fn() }
  })
  if (!out) throw new Error('refresh lock released without a result')
  return out.v
}

/**
 * Session holds the tokens and is the fetch of the API client: it adds the bearer
 * token, and on a 401 it refreshes the session once — however many requests failed
 * at the same time — and retries each of them with the new token. Requests that start
 * while a refresh runs wait for it.
 */
export class Session {
  private access: string | null = null
  /** false once the server refused the session or the user logged out */
  private mayRefresh = true
  private refreshing: Promise<boolean> | null = null
  private channel: BroadcastChannel | null = null
  private listeners = new Set<Listener>()
  private readonly baseUrl: string
  private readonly net: FetchFn
  private readonly storage: Storage | null
  /** a client without the auth handling, for the auth endpoints themselves */
  private readonly bare

  constructor(opts: SessionOptions = {}) {
    this.baseUrl = opts.baseUrl ?? API_BASE
    const net = opts.fetch ?? ((r: Request) => globalThis.fetch(r))
    this.net = (r) => net(this.withLanguage(r))
    this.storage = opts.storage === undefined ? defaultStorage() : opts.storage
    // credentials: the session cookie also goes to an API on another origin (VITE_API_BASE)
    this.bare = createClient<paths>({ baseUrl: this.baseUrl, fetch: (r) => this.net(r), credentials: 'include' })
    this.mayRefresh = this.hinted()
    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(CHANNEL)
      this.channel.onmessage = (m: MessageEvent<unknown>) => {
        if (m.data === 'logout' && (this.access !== null || this.mayRefresh)) {
          this.forget()
          this.emit({ type: 'logout' })
        }
      }
    }
  }

  /** Every API call says the user's language: the server words its problems in it. */
  private withLanguage(req: Request): Request {
    const lang = pageLanguage()
    if (!lang || req.headers.has('Accept-Language')) return req
    const headers = new Headers(req.headers)
    headers.set('Accept-Language', lang)
    return new Request(req, { headers })
  }

  get accessToken(): string | null {
    return this.access
  }

  /** true when this browser may hold a session cookie worth a refresh */
  get canRestore(): boolean {
    return this.mayRefresh
  }

  private hinted(): boolean {
    if (!this.storage) return true
    try {
      return this.storage.getItem(SESSION_HINT_KEY) !== null
    } catch {
      return true
    }
  }

  private hint(on: boolean) {
    if (!this.storage) return
    try {
      if (on) this.storage.setItem(SESSION_HINT_KEY, '1')
      else this.storage.removeItem(SESSION_HINT_KEY)
    } catch {
      // the hint only saves a refresh call
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
    this.mayRefresh = true
    this.hint(true)
  }

  /** Logs in; answers the openapi-fetch result so the page can show the problem. */
  async login(username: string, password: string) {
    const res = await this.bare.POST('/auth/login', { body: { username, password }, headers: PAGE })
    if (res.data) {
      this.store(res.data)
      this.emit({ type: 'login', pair: res.data })
    }
    return res
  }

  /** Logs in with the directory's (LDAP / AD) name and password. */
  async loginLdap(username: string, password: string) {
    const res = await this.bare.POST('/auth/ldap/login', { body: { username, password }, headers: PAGE })
    if (res.data) {
      this.store(res.data)
      this.emit({ type: 'login', pair: res.data })
    }
    return res
  }

  /** Finishes an OIDC login: trades the one-time code of /login/sso for a session. */
  async exchangeOidc(code: string) {
    const res = await this.bare.POST('/auth/oidc/session', { body: { code }, headers: PAGE })
    if (res.data) {
      this.store(res.data)
      this.emit({ type: 'login', pair: res.data })
    }
    return res
  }

  /**
   * Ends the session on the server (best effort: the cookie goes with the request),
   * forgets the access token and tells the other tabs.
   */
  async logout() {
    this.clear()
    this.emit({ type: 'logout' })
    this.channel?.postMessage('logout')
    try {
      await this.bare.POST('/auth/logout', { headers: PAGE })
    } catch {
      // offline: the tokens are gone here anyway and expire on the server
    }
  }

  /** Forgets the session in this browser without telling the server. */
  clear() {
    this.forget()
    this.hint(false)
  }

  private forget() {
    this.access = null
    this.mayRefresh = false
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
    if (!this.mayRefresh) return false
    let res
    try {
      // the tabs take turns: each refresh spends the cookie's token and sets the next
      res = await withRefreshLock(() => this.bare.POST('/auth/refresh', { headers: PAGE }))
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
    if (first.status !== 401 || authCall || !this.mayRefresh) {
      if (first.status === 401 && sentWith !== null && !authCall) {
        // no session to refresh: nothing more to try
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
