import i18n from 'i18next'
import { afterEach, describe, expect, it } from 'vitest'
import { setLanguage } from '../i18n'
import { ApiError, fieldPath, mapFieldErrors, problemMessage } from './problem'

const t = i18n.t.bind(i18n)

afterEach(async () => {
  await setLanguage('zh-CN')
})

describe('problem details → messages', () => {
  it('translates a known code in the user language', async () => {
    const p = { status: 401, code: 'invalid_credentials', detail: 'the username or password is wrong' }
    expect(problemMessage(p, t)).toBe('用户名或密码错误')
    await setLanguage('en')
    expect(problemMessage(p, t)).toBe('Wrong username or password')
  })

  it("falls back to the API's detail for an unknown code", () => {
    expect(problemMessage({ status: 409, code: 'brand_new_code', detail: 'something specific' }, t)).toBe('something specific')
  })

  it('reads retry_after from the body or the Retry-After header', () => {
    const body = { status: 429, code: 'rate_limited', retry_after: 840 }
    expect(new ApiError(new Response(null, { status: 429 }), body).retryAfter).toBe(840)
    const hdr = new Response(null, { status: 429, headers: { 'Retry-After': '60' } })
    expect(new ApiError(hdr, { status: 429, code: 'rate_limited' }).retryAfter).toBe(60)
  })

  it('makes a problem of a body that is not one', () => {
    const e = new ApiError(new Response('oops', { status: 502, statusText: 'Bad Gateway' }), 'oops')
    expect(e.status).toBe(502)
    expect(problemMessage(e.problem, t)).toBe('服务器内部错误，请联系管理员并提供请求编号')
  })
})

describe('field errors → form fields', () => {
  it('splits a field name into a form name path', () => {
    expect(fieldPath('title')).toEqual(['title'])
    expect(fieldPath('assignments[0].unit_id')).toEqual(['assignments', 0, 'unit_id'])
    expect(fieldPath('a.b[2][3]')).toEqual(['a', 'b', 2, 3])
  })

  it('puts errors on the fields the form has and returns the rest', () => {
    const p = {
      status: 422,
      code: 'validation_failed',
      errors: [
        { field: 'username', rule: 'required', message: 'is required' },
        { field: 'username', rule: 'custom_rule', message: 'looks odd' },
        { field: 'roles[1]', rule: 'oneof', message: 'must be one of admin supervisor' },
        { field: 'org_unit_id', rule: 'uuid', message: 'must be a UUID' },
      ],
    }
    const { fields, rest } = mapFieldErrors(p, t, ['username', 'roles', 'display_name'])
    expect(fields).toEqual([
      { name: ['username'], errors: ['必填', 'looks odd'] },
      { name: ['roles'], errors: ['取值无效'] },
    ])
    expect(rest).toEqual(['org_unit_id: 格式不正确'])
  })

  it('names a field the form lacks in the user language (a submit without a supervising leader)', async () => {
    const p = { status: 422, code: 'validation_failed', errors: [{ field: 'supervising_leader_id', rule: 'required', message: 'is required' }] }
    expect(mapFieldErrors(p, t, ['comment']).rest).toEqual(['主管领导: 必填'])
    await setLanguage('en')
    expect(mapFieldErrors(p, t, ['comment']).rest).toEqual(['Supervising leader: Required'])
  })

  it('keeps the server message when the rule has no translation', async () => {
    await setLanguage('en')
    const { fields } = mapFieldErrors(
      { status: 422, errors: [{ field: 'new_password', rule: 'password_policy', message: 'must have at least 10 characters' }] },
      t,
      ['new_password'],
    )
    expect(fields[0].errors).toEqual(['must have at least 10 characters'])
  })
})
