import { describe, expect, it } from 'vitest'
import { activeFilterCount, filtersFromSearch, filtersToSearch, toApiQuery, withFilter } from './filters'

describe('item filters ↔ URL', () => {
  it('reads every filter from the URL', () => {
    const f = filtersFromSearch(
      new URLSearchParams(
        'q=安全&state=in_progress,issued&category=document&light=red&overdue=true&lead_unit_id=u1&deadline_from=2026-01-01&deadline_to=2026-12-31&sort=-deadline&page=3',
      ),
    )
    expect(f).toEqual({
      q: '安全',
      state: 'in_progress,issued',
      category: 'document',
      light: 'red',
      overdue: true,
      lead_unit_id: 'u1',
      deadline_from: '2026-01-01',
      deadline_to: '2026-12-31',
      sort: '-deadline',
      page: 3,
    })
  })

  it('drops malformed values', () => {
    const f = filtersFromSearch(new URLSearchParams('light=purple&category=x&overdue=maybe&deadline_from=tomorrow&page=-2&page_size=1000&q=%20%20'))
    expect(f).toEqual({})
  })

  it('round-trips: URL → filters → URL', () => {
    const url = 'q=%E5%AE%89%E5%85%A8&state=draft%2Cclosed&category=important_matter&light=yellow&overdue=false&unit_id=u2&sort=code&page=2&page_size=50'
    const f = filtersFromSearch(new URLSearchParams(url))
    expect(filtersToSearch(f).toString()).toBe(url)
    expect(filtersFromSearch(filtersToSearch(f))).toEqual(f)
  })

  it('leaves defaults out of the URL', () => {
    expect(filtersToSearch({ page: 1, page_size: 20, q: '' }).toString()).toBe('')
  })

  it('goes back to page 1 when a filter changes, not when the page does', () => {
    const f = { q: 'a', page: 4 }
    expect(withFilter(f, { light: 'red' })).toEqual({ q: 'a', light: 'red' })
    expect(withFilter(f, { page: 5 })).toEqual({ q: 'a', page: 5 })
    expect(withFilter(f, { q: undefined })).toEqual({})
  })

  it('sends the page and its size to the API', () => {
    expect(toApiQuery({ q: 'x' })).toEqual({ q: 'x', page: 1, page_size: 20 })
    expect(activeFilterCount({ q: 'x', page: 2, sort: 'code', overdue: true })).toBe(2)
  })
})
