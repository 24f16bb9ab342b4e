import { API_BASE, session as defaultSession, type Session } from '../../auth/session'
import type { Schemas } from '../../api/client'
import { ApiError } from '../../api/problem'

export type Attachment = Schemas['Attachment']

/** The server's default DUBAN_UPLOAD_LIMIT (20 MB), used until GET /attachments/policy
 * has answered with the real one. */
export const DEFAULT_MAX_BYTES = 20 << 20

/** What the file picker offers; the server decides by the content, not the name. */
export const ACCEPT = '.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.dps,.ofd,.png,.jpg,.jpeg,.gif,.webp,.txt,.csv'

/** Thrown (rejected) by an upload that was cancelled. */
export class UploadAborted extends Error {
  constructor() {
    super('upload cancelled')
    this.name = 'UploadAborted'
  }
}

export interface UploadTask {
  promise: Promise<Attachment>
  abort: () => void
}

export interface UploadOptions {
  /** percent 0–100 of the body sent; starts again at 0 when the request is retried */
  onProgress?: (percent: number) => void
  session?: Session
  /** tests inject a fake */
  createXhr?: () => XMLHttpRequest
}

interface XhrResult {
  status: number
  statusText: string
  body: string
  headers: Headers
}

function responseHeaders(xhr: XMLHttpRequest): Headers {
  const h = new Headers()
  for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
    const i = line.indexOf(':')
    if (i > 0) h.append(line.slice(0, i).trim(), line.slice(i + 1).trim())
  }
  return h
}

/**
 * Uploads one file for an item (POST /attachments, multipart) through
 * XMLHttpRequest, because fetch cannot report upload progress. The session's token
 * rides along; a 401 refreshes the session once and sends the file again.
 * Rejects with an ApiError carrying the problem (413, 415, 422 …), a TypeError when
 * the network failed, or UploadAborted.
 */
export function uploadAttachment(itemId: string, file: File, opts: UploadOptions = {}): UploadTask {
  const s = opts.session ?? defaultSession
  const createXhr = opts.createXhr ?? (() => new XMLHttpRequest())
  let current: XMLHttpRequest | null = null
  let aborted = false

  const send = (token: string | null) =>
    new Promise<XhrResult>((resolve, reject) => {
      if (aborted) {
        reject(new UploadAborted())
        return
      }
      const xhr = createXhr()
      current = xhr
      xhr.open('POST', `${API_BASE}/attachments`)
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
      xhr.setRequestHeader('Accept', 'application/json, application/problem+json')
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) opts.onProgress?.(Math.min(100, Math.floor((e.loaded / e.total) * 100)))
      }
      xhr.onload = () =>
        resolve({ status: xhr.status, statusText: xhr.statusText, body: xhr.responseText, headers: responseHeaders(xhr) })
      xhr.onerror = () => reject(new TypeError('network error'))
      xhr.onabort = () => reject(new UploadAborted())
      const form = new FormData()
      form.append('item_id', itemId)
      form.append('file', file, file.name)
      opts.onProgress?.(0)
      xhr.send(form)
    })

  const promise = s.authorized(send).then((r) => {
    let body: unknown = undefined
    try {
      body = r.body ? JSON.parse(r.body) : undefined
    } catch {
      // a proxy's HTML error page: the status alone speaks
    }
    if (r.status < 200 || r.status > 599) throw new TypeError(`unexpected status ${r.status}`)
    if (r.status < 300) {
      opts.onProgress?.(100)
      return body as Attachment
    }
    throw new ApiError(new Response(null, { status: r.status, statusText: r.statusText, headers: r.headers }), body)
  })
  return {
    promise,
    abort: () => {
      aborted = true
      current?.abort()
    },
  }
}

/** "1.5 MB" */
export function formatSize(bytes: number | undefined): string {
  const n = bytes ?? 0
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`
  return `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`
}
