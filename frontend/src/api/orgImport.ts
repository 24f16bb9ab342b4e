import { API_BASE, session as defaultSession, type Session } from '../auth/session'
import type { Schemas } from './client'
import { ApiError, isProblem } from './problem'

export type ImportReport = Schemas['OrgImportReport']
export type ImportError = Schemas['OrgImportError']
export type ImportChange = Schemas['OrgImportChange']

export interface ImportOptions {
  dryRun: boolean
  deactivateMissing: boolean
  /** percent 0–100 of the file sent */
  onProgress?: (percent: number) => void
  session?: Session
  /** tests inject a fake */
  createXhr?: () => XMLHttpRequest
}

interface XhrResult {
  status: number
  statusText: string
  body: string
}

/**
 * Uploads a workbook to POST /org/import through XMLHttpRequest (fetch cannot
 * report upload progress). Resolves with the report: of a dry run, of an applied
 * import, or of a refused one (422 import_invalid carries it in `report`). Other
 * failures reject with an ApiError (413, 415, 422 not_a_workbook, ...) or a
 * TypeError when the network failed.
 */
export async function uploadWorkbook(file: File, opts: ImportOptions): Promise<ImportReport> {
  const s = opts.session ?? defaultSession
  const createXhr = opts.createXhr ?? (() => new XMLHttpRequest())
  const q = new URLSearchParams()
  if (opts.dryRun) q.set('dry_run', 'true')
  if (opts.deactivateMissing) q.set('deactivate_missing', 'true')
  const qs = q.toString()
  const url = `${API_BASE}/org/import${qs ? `?${qs}` : ''}`
  const send = (token: string | null) =>
    new Promise<XhrResult>((resolve, reject) => {
      const xhr = createXhr()
      xhr.open('POST', url)
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
      xhr.setRequestHeader('Accept', 'application/json, application/problem+json')
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) opts.onProgress?.(Math.min(100, Math.floor((e.loaded / e.total) * 100)))
      }
      xhr.onload = () => resolve({ status: xhr.status, statusText: xhr.statusText, body: xhr.responseText })
      xhr.onerror = () => reject(new TypeError('network error'))
      const form = new FormData()
      form.append('file', file, file.name)
      opts.onProgress?.(0)
      xhr.send(form)
    })
  const r = await s.authorized(send)
  let body: unknown = undefined
  try {
    body = r.body ? JSON.parse(r.body) : undefined
  } catch {
    // a proxy's HTML error page: the status alone speaks
  }
  if (r.status >= 200 && r.status < 300) {
    opts.onProgress?.(100)
    return body as ImportReport
  }
  if (r.status === 422 && isProblem(body) && body.code === 'import_invalid') {
    const report = (body as { report?: ImportReport }).report
    if (report) return report
  }
  throw new ApiError(new Response(null, { status: r.status, statusText: r.statusText }), body)
}

/** Downloads the import template with the session's token and saves it. */
export async function downloadTemplate(s: Session = defaultSession): Promise<void> {
  const res = await s.fetch(new Request(`${API_BASE}/org/import-template.xlsx`))
  if (!res.ok) {
    let body: unknown
    try {
      body = await res.json()
    } catch {
      body = undefined
    }
    throw new ApiError(res, body)
  }
  const blob = await res.blob()
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = '组织机构导入模板.xlsx'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}

/** Errors in reading order: sheet (units first), row, column. */
export function sortErrors(errs: readonly ImportError[] | undefined): ImportError[] {
  const sheetOrder = (s?: string) => (s === 'units' ? 0 : 1)
  return [...(errs ?? [])].sort(
    (a, b) =>
      sheetOrder(a.sheet) - sheetOrder(b.sheet) ||
      a.row - b.row ||
      (a.column ?? '').length - (b.column ?? '').length ||
      (a.column ?? '').localeCompare(b.column ?? ''),
  )
}
