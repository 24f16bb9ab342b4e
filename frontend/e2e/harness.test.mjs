// The runner's own rules, checked by Vitest: a test that throws fails, one that calls
// skip() is counted apart with its reason, and the summary line says both.
import { describe, expect, it, vi } from 'vitest'
import { runTests, skip, summary, test } from './harness.mjs'

describe('the browser suite harness', () => {
  it('counts passed, failed and skipped tests and names the reasons in the summary', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    test('passes', async () => {})
    test('fails', async () => {
      throw new Error('boom')
    })
    test('cannot run here', async () => skip('needs the demo seed'))
    test('cannot run either', async () => {
      skip('needs the demo seed')
    })
    test('other reason', async () => skip('no dist/'))
    const failures = []
    const result = await runTests({ onFailure: async (name) => failures.push(name) })
    log.mockRestore()
    expect(result.passed).toBe(1)
    expect(result.failed).toBe(1)
    expect(failures).toEqual(['fails'])
    expect(result.skipped.map((s) => s.name)).toEqual(['cannot run here', 'cannot run either', 'other reason'])
    expect(summary(result)).toBe('1 passed, 1 failed, 3 skipped (needs the demo seed ×2; no dist/)')
    expect(summary({ passed: 4, failed: 0, skipped: [] })).toBe('4 passed, 0 failed')
  })
})
