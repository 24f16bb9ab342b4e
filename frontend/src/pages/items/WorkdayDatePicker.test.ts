import dayjs from 'dayjs'
import { describe, expect, it } from 'vitest'
import { restDay } from './WorkdayDatePicker'

describe('restDay (§16: dates on holidays get a hint)', () => {
  const days = new Map([
    ['2026-10-01', { date: '2026-10-01', kind: 'holiday' as const, name: '国庆节' }],
    ['2026-10-08', { date: '2026-10-08', kind: 'holiday' as const, name: '国庆节' }],
    ['2026-10-10', { date: '2026-10-10', kind: 'workday' as const, name: '国庆节调休' }],
  ])
  it('names a listed holiday, also a 调休 rest day on a weekday', () => {
    expect(restDay(dayjs('2026-10-01'), days)).toEqual({ kind: 'holiday', name: '国庆节' })
    expect(restDay(dayjs('2026-10-08'), days)).toEqual({ kind: 'holiday', name: '国庆节' })
  })
  it('knows a weekend rest day, but not an adjusted workday', () => {
    expect(restDay(dayjs('2026-10-11'), days)).toEqual({ kind: 'weekend' })
    expect(restDay(dayjs('2026-10-10'), days)).toBeNull()
    expect(restDay(dayjs('2026-10-09'), days)).toBeNull()
  })
})
