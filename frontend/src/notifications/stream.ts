import type { Schemas } from '../api/client'
import { API_BASE, session } from '../auth/session'
import { createParser } from './sse'

export type Notification = Schemas['Notification']

export interface StreamHandlers {
  onNotification: (n: Notification) => void
  onUnread: (count: number) => void
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(t)
      resolve()
    })
  })

/**
 * Follows GET /notifications/stream until signal aborts, with one stream per user for
 * the whole browser: the tabs of one user elect a leader through a Web Lock named for
 * the user, the leader alone holds the stream and passes what it reads to the other
 * tabs on a BroadcastChannel. A browser opens at most six HTTP/1.1 connections per
 * host, shared by all its tabs; a stream per tab would leave the seventh tab unable to
 * load anything. When the leader tab closes, its lock goes to a waiting tab, which
 * opens the stream and resumes. Without Web Locks (old browsers, tests) every tab
 * follows the stream itself.
 */
export function followNotifications(h: StreamHandlers, signal: AbortSignal, userId: string): void {
  const name = `duban.notifications.${userId}`
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
  if (!locks || typeof BroadcastChannel === 'undefined') {
    void follow(h, signal)
    return
  }
  const channel = new BroadcastChannel(name)
  signal.addEventListener('abort', () => channel.close())
  let leader = false
  let lastUnread: number | undefined
  channel.onmessage = (e: MessageEvent<TabMessage>) => {
    const m = e.data
    if (m.type === 'hello') {
      if (leader && lastUnread !== undefined) channel.postMessage({ type: 'unread', count: lastUnread } satisfies TabMessage)
    } else if (!leader) {
      if (m.type === 'unread') h.onUnread(m.count)
      else h.onNotification(m.notification)
    }
  }
  // a tab that joins late asks the leader for the count it announced last
  channel.postMessage({ type: 'hello' } satisfies TabMessage)
  const fanout: StreamHandlers = {
    onUnread: (count) => {
      lastUnread = count
      h.onUnread(count)
      channel.postMessage({ type: 'unread', count } satisfies TabMessage)
    },
    onNotification: (n) => {
      h.onNotification(n)
      channel.postMessage({ type: 'notification', notification: n } satisfies TabMessage)
    },
  }
  locks
    .request(name, { signal }, async () => {
      leader = true
      await follow(fanout, signal)
    })
    .catch(() => {
      // aborted while waiting for the lock: the tab went away
    })
}

type TabMessage =
  | { type: 'hello' }
  | { type: 'unread'; count: number }
  | { type: 'notification'; notification: Notification }

/**
 * Reads the stream until signal aborts. Browsers' EventSource cannot send the
 * Authorization header, and access tokens never go into URLs, so the stream is read
 * with fetch() through the session (a 401 refreshes the token once). When the stream
 * ends (its lifetime, a network failure) it reconnects, resuming after the last
 * notification received with Last-Event-ID.
 */
async function follow(h: StreamHandlers, signal: AbortSignal): Promise<void> {
  let lastId: string | undefined
  let retry = 3000
  let failures = 0
  while (!signal.aborted) {
    let ok = false
    try {
      const res = await session.authorized((token) => {
        const headers: Record<string, string> = { Accept: 'text/event-stream' }
        if (token) headers.Authorization = `Bearer ${token}`
        if (lastId) headers['Last-Event-ID'] = lastId
        return fetch(`${API_BASE}/notifications/stream`, { headers, signal, cache: 'no-store' })
      })
      if (res.ok && res.body) {
        ok = true
        const parse = createParser(
          (e) => {
            if (e.event === 'unread') {
              const v = JSON.parse(e.data) as { count: number }
              h.onUnread(v.count)
            } else if (e.event === 'notification') {
              if (e.id) lastId = e.id
              h.onNotification(JSON.parse(e.data) as Notification)
            }
          },
          (ms) => (retry = ms),
        )
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          parse(value)
        }
      } else if (res.status === 401) {
        return // the session ended: the app goes to the login page
      }
    } catch {
      // network failure or aborted: try again below
    }
    if (signal.aborted) return
    failures = ok ? 0 : failures + 1
    await sleep(ok ? retry : Math.min(retry * 2 ** failures, 60_000), signal)
  }
}
