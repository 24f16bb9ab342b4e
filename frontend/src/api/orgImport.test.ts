import { afterEach, describe, expect, it } from 'vitest'
import { Session } from '../auth/session'
import { FakeXHR } from '../test/fakeXhr'
import { sortErrors, uploadWorkbook } from './orgImport'

afterEach(() => {
  FakeXHR.all = []
})

const file = new File([new Uint8Array([80, 75, 3, 4])], '组织机构.xlsx')
const report = { dry_run: true, applied: false, errors: [], units: {}, users: {}, changes: [], warnings: [] }

describe('uploadWorkbook', () => {
  it('reports progress and answers the report, with the options in the query', async () => {
    const progress: number[] = []
    const s = new Session({ storage: null })
    const p = uploadWorkbook(file, {
      dryRun: true,
      deactivateMissing: true,
      session: s,
      onProgress: (n) => progress.push(n),
      createXhr: () => new FakeXHR() as unknown as XMLHttpRequest,
    })
    await Promise.resolve()
    const xhr = FakeXHR.all[0]
    expect(xhr.url).toBe('/api/v1/org/import?dry_run=true&deactivate_missing=true')
    expect(xhr.body?.get('file')).toBeInstanceOf(File)
    xhr.progress(50, 100)
    xhr.respond(200, report)
    expect(await p).toEqual(report)
    expect(progress).toEqual([0, 50, 100])
  })

  it('answers the report of a refused import (422 import_invalid)', async () => {
    const refused = { ...report, dry_run: false, errors: [{ sheet: 'users', row: 3, column: 'H', message: 'must be an email address', rule: 'email' }] }
    const p = uploadWorkbook(file, {
      dryRun: false,
      deactivateMissing: false,
      session: new Session({ storage: null }),
      createXhr: () => new FakeXHR() as unknown as XMLHttpRequest,
    })
    await Promise.resolve()
    expect(FakeXHR.all[0].url).toBe('/api/v1/org/import')
    FakeXHR.all[0].respond(422, { status: 422, code: 'import_invalid', report: refused })
    expect((await p).errors).toHaveLength(1)
  })

  it('rejects other problems', async () => {
    const p = uploadWorkbook(file, {
      dryRun: true,
      deactivateMissing: false,
      session: new Session({ storage: null }),
      createXhr: () => new FakeXHR() as unknown as XMLHttpRequest,
    })
    await Promise.resolve()
    FakeXHR.all[0].respond(422, { status: 422, code: 'not_a_workbook', detail: 'not an Excel workbook' })
    await expect(p).rejects.toMatchObject({ status: 422, code: 'not_a_workbook' })
  })
})

describe('sortErrors', () => {
  it('orders units before people, then by row and column', () => {
    const sorted = sortErrors([
      { sheet: 'users', row: 2, column: 'B', message: '', rule: '' },
      { sheet: 'units', row: 9, column: 'AA', message: '', rule: '' },
      { sheet: 'units', row: 9, column: 'C', message: '', rule: '' },
      { sheet: 'users', row: 2, column: 'A', message: '', rule: '' },
    ])
    expect(sorted.map((e) => `${e.sheet}!${e.column}${e.row}`)).toEqual(['units!C9', 'units!AA9', 'users!A2', 'users!B2'])
  })
})
