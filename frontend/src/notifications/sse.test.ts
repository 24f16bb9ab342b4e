import { describe, expect, it } from 'vitest'
import { createParser, type SSEEvent } from './sse'

describe('createParser', () => {
  it('parses events split across chunks, skips heartbeats, reads retry', () => {
    const got: SSEEvent[] = []
    let retry = 0
    const feed = createParser((e) => got.push(e), (ms) => (retry = ms))
    feed('retry: 3000\n\nevent: unread\nda')
    feed('ta: {"count":2}\n\n: heartbeat\n\n')
    feed('id: 7\r\nevent: notification\r\ndata: {"seq":7}\r\n\r\n')
    feed('data: line one\ndata: line two\n')
    expect(got).toHaveLength(2)
    feed('\n')
    expect(retry).toBe(3000)
    expect(got).toEqual([
      { id: undefined, event: 'unread', data: '{"count":2}' },
      { id: '7', event: 'notification', data: '{"seq":7}' },
      { id: undefined, event: 'message', data: 'line one\nline two' },
    ])
  })
})
