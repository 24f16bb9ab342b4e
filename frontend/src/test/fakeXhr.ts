/** A stand-in for XMLHttpRequest: the test decides progress and answer. */
export class FakeXHR {
  static all: FakeXHR[] = []
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  status = 0
  statusText = ''
  responseText = ''
  method = ''
  url = ''
  body: FormData | null = null
  aborted = false
  requestHeaders = new Map<string, string>()
  private responseHeaders = new Map<string, string>()

  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(k: string, v: string) {
    this.requestHeaders.set(k, v)
  }
  send(body: FormData) {
    this.body = body
    FakeXHR.all.push(this)
  }
  abort() {
    this.aborted = true
    this.onabort?.()
  }
  getAllResponseHeaders() {
    return [...this.responseHeaders].map(([k, v]) => `${k}: ${v}`).join('\r\n')
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total })
  }
  respond(status: number, body: unknown) {
    this.status = status
    this.responseText = JSON.stringify(body)
    this.responseHeaders.set('Content-Type', status < 300 ? 'application/json' : 'application/problem+json')
    this.onload?.()
  }
}
