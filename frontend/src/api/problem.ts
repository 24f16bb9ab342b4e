import type { TFunction } from 'i18next'
import type { components } from './schema'

/**
 * A problem as received: a server newer than this build may send a code it does not
 * know yet, and an error that is not a problem (a proxy's 502) has none of it.
 */
export type Problem = Omit<Partial<components['schemas']['Problem']>, 'code'> & { code?: string }
type FieldError = components['schemas']['FieldError']

/** An API answer that was not a success: the problem details and the response. */
export class ApiError extends Error {
  readonly status: number
  readonly problem: Problem
  /** seconds from Retry-After or the problem's retry_after, when given */
  readonly retryAfter: number | undefined

  constructor(response: Response, body: unknown) {
    const problem: Problem = isProblem(body) ? body : { status: response.status, title: response.statusText }
    super(problem.detail ?? problem.title ?? `HTTP ${response.status}`)
    this.name = 'ApiError'
    this.status = response.status
    this.problem = problem
    this.retryAfter = retryAfterOf(response, body)
  }

  get code(): string | undefined {
    return this.problem.code
  }
}

export function isProblem(x: unknown): x is Problem {
  return (
    typeof x === 'object' &&
    x !== null &&
    (typeof (x as { code?: unknown }).code === 'string' || typeof (x as { status?: unknown }).status === 'number')
  )
}

function retryAfterOf(response: Response, body: unknown): number | undefined {
  if (typeof body === 'object' && body !== null && 'retry_after' in body) {
    const v = (body as { retry_after: unknown }).retry_after
    if (typeof v === 'number' && v >= 0) return v
  }
  const h = response.headers.get('Retry-After')
  if (h && /^\d+$/.test(h.trim())) return Number(h.trim())
  return undefined
}

/**
 * Unwraps an openapi-fetch result: the data, or an ApiError carrying the problem.
 * `await call(api.GET('/me'))`
 */
export async function call<D>(p: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, error, response } = await p
  if (!response.ok) throw new ApiError(response, error)
  return data as D
}

/** The message to show for an error, in the user's language: the problem's code
 * translated, else the API's detail as it comes (the API words it in the language of
 * the request's Accept-Language), else a generic message. */
export function errorMessage(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) return problemMessage(err.problem, t)
  if (err instanceof TypeError) return t('problem.network')
  return t('problem.unknown')
}

export function problemMessage(p: Problem, t: TFunction): string {
  const key = p.code ? `problem.${p.code}` : ''
  if (key && t(key, { defaultValue: '' }) !== '') return t(key)
  if (p.detail) return p.detail
  if (p.status === 404) return t('problem.not_found')
  if (p.status === 403) return t('problem.forbidden')
  if (p.status && p.status >= 500) return t('problem.internal_error')
  return p.title || t('problem.unknown')
}

/** One form field's errors in antd's setFields shape. */
export interface FormFieldErrors {
  name: (string | number)[]
  errors: string[]
}

/** "assignments[0].unit_id" → ["assignments", 0, "unit_id"] */
export function fieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = []
  for (const part of field.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part)
    if (!m) {
      out.push(part)
      continue
    }
    out.push(m[1])
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]))
  }
  return out
}

/**
 * A field error's message as the server wrote it: the API words it in the language the
 * SPA asks for (Accept-Language), with the detail a rule name cannot carry ("不能超过
 * 200 个字符"), so it is shown as it comes. The rule's generic text stands in only
 * for an error without a message.
 */
function fieldMessage(e: FieldError, t: TFunction): string {
  if (e.message) return e.message
  if (e.rule) {
    const msg = t(`rules.${e.rule}`, { defaultValue: '' })
    if (msg) return msg
  }
  return t('problem.validation_failed')
}

/**
 * Maps a problem's field errors onto a form. Errors of fields the form has (known,
 * matched on the first path element) become field errors; the rest come back as
 * plain messages for an alert above the form.
 */
export function mapFieldErrors(
  p: Problem,
  t: TFunction,
  known: readonly string[],
): { fields: FormFieldErrors[]; rest: string[] } {
  const byField = new Map<string, FormFieldErrors>()
  const rest: string[] = []
  for (const e of p.errors ?? []) {
    const field = e.field
    let path = fieldPath(field)
    if (!known.includes(String(path[0]))) {
      // named in the user's language where the field has a name (a submit's
      // "supervising_leader_id: required" reads "主管领导: 必填")
      const label = field ? t(`fieldNames.${field}`, { defaultValue: field }) : ''
      rest.push(label ? `${label}: ${fieldMessage(e, t)}` : fieldMessage(e, t))
      continue
    }
    // a list field's element error ("roles[1]") is shown on the list field
    if (path.length === 2 && typeof path[1] === 'number') path = [path[0]]
    const key = path.join('.')
    const entry = byField.get(key) ?? { name: path, errors: [] }
    entry.errors.push(fieldMessage(e, t))
    byField.set(key, entry)
  }
  return { fields: [...byField.values()], rest }
}
