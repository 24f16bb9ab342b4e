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

  it('puts errors on the fields the form has and returns the rest, with the messages as the server words them', () => {
    const p = {
      status: 422,
      code: 'validation_failed',
      errors: [
        { field: 'username', rule: 'required', message: '必填' },
        { field: 'username', rule: 'max', message: '不能超过 64 个字符' },
        { field: 'roles[1]', rule: 'oneof', message: '必须是以下之一：admin、supervisor' },
        { field: 'org_unit_id', rule: 'uuid', message: '必须是 UUID' },
        { field: 'title', rule: 'required', message: '' },
      ],
    }
    const { fields, rest } = mapFieldErrors(p, t, ['username', 'roles', 'display_name'])
    expect(fields).toEqual([
      { name: ['username'], errors: ['必填', '不能超过 64 个字符'] },
      { name: ['roles'], errors: ['必须是以下之一：admin、supervisor'] },
    ])
    // a message-less error falls back on the rule's text
    expect(rest).toEqual(['org_unit_id: 必须是 UUID', 'title: 必填'])
  })

  it('names a field the form lacks in the user language (a submit without a supervising leader)', async () => {
    const zh = { status: 422, code: 'validation_failed', errors: [{ field: 'supervising_leader_id', rule: 'required', message: '必填' }] }
    expect(mapFieldErrors(zh, t, ['comment']).rest).toEqual(['主管领导: 必填'])
    await setLanguage('en')
    const en = { status: 422, code: 'validation_failed', errors: [{ field: 'supervising_leader_id', rule: 'required', message: 'is required' }] }
    expect(mapFieldErrors(en, t, ['comment']).rest).toEqual(['Supervising leader: is required'])
  })

  it('shows the server message as it comes, never the rule re-translated', async () => {
    await setLanguage('en')
    const { fields } = mapFieldErrors(
      { status: 422, errors: [{ field: 'new_password', rule: 'min', message: 'must have at least 10 characters' }] },
      t,
      ['new_password'],
    )
    expect(fields[0].errors).toEqual(['must have at least 10 characters'])
  })
})
