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
 * Follows GET /notifications/stream until signal aborts. Browsers' EventSource
 * cannot send the Authorization header, and access tokens never go into URLs, so
 * the stream is read with fetch() through the session (a 401 refreshes the token
 * once). When the stream ends (its lifetime, a network failure) it reconnects,
 * resuming after the last notification received with Last-Event-ID.
 */
export function followNotifications(h: StreamHandlers, signal: AbortSignal): void {
  let lastId: string | undefined
  let retry = 3000
  const run = async () => {
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
  void run()
}
