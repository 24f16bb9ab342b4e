import createClient from 'openapi-fetch'
import { describe, expect, it, vi } from 'vitest'
import type { paths } from '../api/schema'
import { apiBase, Session } from './session'

const BASE = 'http://duban.test/api/v1'

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

function pair(n: number) {
  return {
    access_token: `access-${n}`,
    refresh_token: `refresh-${n}`,
    token_type: 'Bearer',
    expires_in: 900,
    user: { id: 'u1', username: 'admin', roles: ['admin'] },
  }
}

/**
 * A fake API: /me answers 401 unless the bearer token is the current one;
 * /auth/refresh rotates the session cookie (after a delay, so that concurrent
 * requests pile up): a body token is checked like the cookie.
 */
function fakeApi(opts: { refreshFails?: boolean } = {}) {
  let generation = 1
  let accessValid = true
  let refreshValid = true
  const seen: { path: string; auth: string | null; body: string | null; lang: string | null }[] = []
  let refreshCalls = 0
  const net = vi.fn(async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname
    const body = req.method === 'GET' ? null : await req.text()
    seen.push({ path, auth: req.headers.get('Authorization'), body, lang: req.headers.get('Accept-Language') })
    if (path.endsWith('/auth/refresh')) {
      refreshCalls++
      await new Promise((r) => setTimeout(r, 20))
      const sent = JSON.parse(body || '{}') as { refresh_token?: string }
      const token = sent.refresh_token ?? `refresh-${generation}` // else the cookie, which the fake browser keeps current
      if (opts.refreshFails || !refreshValid || token !== `refresh-${generation}` || !req.headers.get('X-Requested-With')) {
        return json(401, { status: 401, code: 'unauthorized', title: 'Unauthorized' })
      }
      generation++
      accessValid = true
      return json(200, pair(generation))
    }
    if (!accessValid || req.headers.get('Authorization') !== `Bearer access-${generation}`) {
      return json(401, { status: 401, code: 'unauthorized', title: 'Unauthorized' })
    }
    if (path.endsWith('/me/tokens') && req.method === 'POST') {
      return json(201, { id: 't1', ...(JSON.parse(body ?? '{}') as object), token: 'dbn_secret' })
    }
    return json(200, { id: 'u1', username: 'admin', display_name: '管理员', generation })
  })
  return {
    net,
    seen,
    refreshCalls: () => refreshCalls,
    expire: () => {
      accessValid = false
    },
    expireRefresh: () => {
      refreshValid = false
    },
  }
}

function setup(opts: { refreshFails?: boolean } = {}) {
  const fake = fakeApi(opts)
  const s = new Session({ baseUrl: BASE, fetch: fake.net, storage: null })
  const client = createClient<paths>({ baseUrl: BASE, fetch: (r) => s.fetch(r) })
  return { fake, s, client }
}

async function loggedIn(opts: { refreshFails?: boolean } = {}) {
  const env = setup(opts)
  // log in through the fake: the login endpoint is not modelled, so the session
  // cookie gives the tokens, as in a tab opened after the login
  const ok = await env.s.refresh()
  expect(ok).toBe(!opts.refreshFails)
  env.fake.seen.length = 0
  return env
}

describe('Session: transparent refresh', () => {
  it('sends the bearer token', async () => {
    const { client, fake } = await loggedIn()
    const { data } = await client.GET('/me')
    expect(data?.username).toBe('admin')
    expect(fake.seen[0].auth).toBe('Bearer access-2')
  })

  it('refreshes once for N concurrent 401s and retries every request', async () => {
    const { client, fake, s } = await loggedIn()
    fake.expire() // the access token dies on the server
    const before = fake.refreshCalls()
    const N = 6
    const results = await Promise.all(Array.from({ length: N }, () => client.GET('/me')))
    expect(fake.refreshCalls() - before).toBe(1)
    for (const r of results) {
      expect(r.response.status).toBe(200)
      expect(r.data?.username).toBe('admin')
    }
    // N first tries with the old token, 1 refresh, N retries with the new one
    const retries = fake.seen.filter((x) => x.path.endsWith('/me') && x.auth === `Bearer ${s.accessToken}`)
    expect(retries).toHaveLength(N)
    expect(fake.seen.filter((x) => x.path.endsWith('/auth/refresh'))).toHaveLength(1)
  })

  it('queues requests that start while a refresh runs', async () => {
    const { client, fake } = await loggedIn()
    fake.expire()
    const first = client.GET('/me')
    await new Promise((r) => setTimeout(r, 5)) // the refresh is now in flight
    const late = client.GET('/me')
    const [a, b] = await Promise.all([first, late])
    expect(a.response.status).toBe(200)
    expect(b.response.status).toBe(200)
    expect(fake.refreshCalls()).toBe(2) // the login one and one more
    // the late request waited and went out once, with the new token
    const lateCalls = fake.seen.filter((x) => x.path.endsWith('/me'))
    expect(lateCalls).toHaveLength(3)
  })

  it('retries a POST with its body intact', async () => {
    const { client, fake } = await loggedIn()
    fake.expire()
    const { data, response } = await client.POST('/me/tokens', { body: { name: 'OA', scopes: ['read'] } })
    expect(response.status).toBe(201)
    expect(data?.name).toBe('OA')
    const posts = fake.seen.filter((x) => x.path.endsWith('/me/tokens'))
    expect(posts).toHaveLength(2)
    expect(posts[1].body).toBe(posts[0].body)
  })

  it('ends the session and reports expiry when the refresh is refused', async () => {
    const { client, fake, s } = await loggedIn()
    const events: string[] = []
    s.subscribe((e) => events.push(e.type))
    fake.expire()
    fake.expireRefresh() // the refresh token is dead too
    const results = await Promise.all([client.GET('/me'), client.GET('/me'), client.GET('/me')])
    for (const r of results) expect(r.response.status).toBe(401)
    expect(s.authenticated).toBe(false)
    expect(s.canRestore).toBe(false)
    expect(events.filter((e) => e === 'expired')).toHaveLength(1)
  })

  it('does not refresh for the auth endpoints themselves', async () => {
    const { client, fake } = await loggedIn()
    const before = fake.refreshCalls()
    const r = await client.POST('/auth/refresh', { body: { refresh_token: 'nope' } })
    expect(r.response.status).toBe(401)
    expect(fake.refreshCalls() - before).toBe(1) // only the call itself
  })
})

describe('Session: one session per browser', () => {
  it('refreshes with the cookie alone: no body, the CSRF header, the page language', async () => {
    document.documentElement.lang = 'en'
    const { fake, s } = setup()
    expect(await s.refresh()).toBe(true)
    const call = fake.seen.find((x) => x.path.endsWith('/auth/refresh'))
    expect(call?.body).toBe('')
    expect(call?.lang).toBe('en')
    document.documentElement.lang = ''
  })

  it('tells the other tabs of a logout, which forget their session', async () => {
    const a = await loggedIn()
    const b = await loggedIn()
    const events: string[] = []
    b.s.subscribe((e) => events.push(e.type))
    await a.s.logout()
    await vi.waitFor(() => expect(events).toEqual(['logout']))
    expect(b.s.authenticated).toBe(false)
    expect(b.s.canRestore).toBe(false)
    const out = a.fake.seen.find((x) => x.path.endsWith('/auth/logout'))
    expect(out?.body).toBe('')
  })
})

describe('apiBase', () => {
  it('is /api/v1 on the own origin unless VITE_API_BASE names another', () => {
    expect(apiBase(undefined)).toBe('/api/v1')
    expect(apiBase('  ')).toBe('/api/v1')
    expect(apiBase('https://duban.example.com/api/v1/')).toBe('https://duban.example.com/api/v1')
  })
})
