/** One server-sent event (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface SSEEvent {
  id?: string
  event: string
  data: string
}

/**
 * An incremental parser of a text/event-stream: feed it chunks as they arrive; it
 * calls onEvent for each complete event. Comment lines (heartbeats) are skipped;
 * onRetry gets the server's reconnection delay.
 */
export function createParser(onEvent: (e: SSEEvent) => void, onRetry?: (ms: number) => void) {
  let buf = ''
  let event = ''
  let data: string[] = []
  let id: string | undefined
  const line = (l: string) => {
    if (l === '') {
      if (data.length > 0) onEvent({ id, event: event || 'message', data: data.join('\n') })
      event = ''
      data = []
      id = undefined
      return
    }
    if (l.startsWith(':')) return
    const c = l.indexOf(':')
    const field = c < 0 ? l : l.slice(0, c)
    let value = c < 0 ? '' : l.slice(c + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') event = value
    else if (field === 'data') data.push(value)
    else if (field === 'id') id = value
    else if (field === 'retry' && /^\d+$/.test(value)) onRetry?.(Number(value))
  }
  return (chunk: string) => {
    buf += chunk
    let i: number
    while ((i = buf.search(/\r\n|\r|\n/)) >= 0) {
      const crlf = buf[i] === '\r' && buf[i + 1] === '\n'
      line(buf.slice(0, i))
      buf = buf.slice(i + (crlf ? 2 : 1))
    }
  }
}
