import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/problem'
import { Session } from '../../auth/session'
import { FakeXHR } from '../../test/fakeXhr'
import { uploadAttachment, UploadAborted } from './upload'

const BASE = 'http://duban.test/api/v1'

function pair(n: number) {
  return { access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: 'Bearer', expires_in: 900, user: { id: 'u1' } }
}

/** A session logged in as access-1; its refresh answers access-2, or 401 when refused. */
async function session(refused = false) {
  const net = async (req: Request) => {
    const path = new URL(req.url).pathname
    const ok = path.endsWith('/auth/login') || !refused
    const n = path.endsWith('/auth/login') ? 1 : 2
    return new Response(JSON.stringify(ok ? pair(n) : { status: 401, code: 'unauthorized' }), {
      status: ok ? 200 : 401,
      headers: { 'Content-Type': 'application/json' },
    })
  }
  const s = new Session({ baseUrl: BASE, fetch: net, storage: null })
  await s.login('headb', 'secret')
  return s
}

const file = new File(['%PDF-1.7\n'], '方案.pdf', { type: 'application/pdf' })

async function sent(n: number): Promise<FakeXHR> {
  for (let i = 0; i < 50 && FakeXHR.all.length < n; i++) await new Promise((r) => setTimeout(r, 5))
  return FakeXHR.all[n - 1]
}

describe('uploadAttachment', () => {
  it('sends the bearer token; on a 401 refreshes once and sends again', async () => {
    FakeXHR.all = []
    const s = await session()
    const progress: number[] = []
    const task = uploadAttachment('item-1', file, {
      session: s,
      createXhr: () => new FakeXHR() as unknown as XMLHttpRequest,
      onProgress: (p) => progress.push(p),
    })
    const first = await sent(1)
    expect(first.requestHeaders.get('Authorization')).toBe('Bearer access-1')
    first.progress(30, 100)
    first.respond(401, { status: 401, code: 'unauthorized' })
    const retry = await sent(2)
    expect(retry.requestHeaders.get('Authorization')).toBe('Bearer access-2')
    retry.progress(100, 100)
    retry.respond(201, { id: 'att-1', filename: '方案.pdf' })
    await expect(task.promise).resolves.toMatchObject({ id: 'att-1' })
    expect(progress).toEqual([0, 30, 0, 100, 100])
  })

  it('ends in a 401 ApiError when the session cannot be refreshed', async () => {
    FakeXHR.all = []
    const s = await session(true)
    const expired: string[] = []
    s.subscribe((e) => expired.push(e.type))
    const task = uploadAttachment('item-1', file, { session: s, createXhr: () => new FakeXHR() as unknown as XMLHttpRequest })
    ;(await sent(1)).respond(401, { status: 401, code: 'unauthorized' })
    const err = await task.promise.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(401)
    expect(expired).toContain('expired')
    expect(FakeXHR.all).toHaveLength(1)
  })

  it('rejects with UploadAborted when cancelled', async () => {
    FakeXHR.all = []
    const s = await session()
    const task = uploadAttachment('item-1', file, { session: s, createXhr: () => new FakeXHR() as unknown as XMLHttpRequest })
    const xhr = await sent(1)
    task.abort()
    expect(xhr.aborted).toBe(true)
    await expect(task.promise).rejects.toBeInstanceOf(UploadAborted)
  })
})
