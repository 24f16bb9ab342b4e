import type { FormInstance } from 'antd'
import type { TFunction } from 'i18next'
import { ApiError, errorMessage, mapFieldErrors, problemMessage } from '../api/problem'

/**
 * Shows an API error on a form: field errors on their fields, the rest as the returned
 * message (for an Alert above the form).
 */
export function applyFormError<T>(form: FormInstance<T>, err: unknown, t: TFunction): string {
  if (!(err instanceof ApiError)) return errorMessage(err, t)
  const values: unknown = form.getFieldsValue()
  const known = typeof values === 'object' && values !== null ? Object.keys(values) : []
  const { fields, rest } = mapFieldErrors(err.problem, t, known)
  if (fields.length > 0) form.setFields(fields.map((f) => ({ name: f.name, errors: f.errors })) as never)
  // nothing marked red: "check the fields marked in red" would mislead, so the
  // fields the form lacks are named instead (a submit without a supervising leader)
  if (fields.length === 0 && rest.length > 0 && err.problem.code === 'validation_failed') return rest.join('; ')
  const head = problemMessage(err.problem, t)
  return rest.length > 0 ? `${head}: ${rest.join('; ')}` : head
}
