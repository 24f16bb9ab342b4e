import { describe, expect, it } from 'vitest'
import { subItemPrefill } from './subItemPrefill'
import type { Item } from './ui'

const parent = {
  category: 'meeting_decision',
  source: 'board',
  source_ref: '董事会〔2026〕3号',
  basis: '第三次会议',
  requirements: '按月报送',
  supervising_leader_id: 'leader-1',
  assisting_leader_ids: ['leader-2'],
  deadline: '2026-12-31',
} as unknown as Item

describe('subItemPrefill', () => {
  it('carries the parent’s source, leaders and deadline into a sub-item', () => {
    const v = subItemPrefill<Record<string, unknown>>(parent, { title: '' })
    expect(v.source_ref).toBe('董事会〔2026〕3号')
    expect(v.supervising_leader_id).toBe('leader-1')
    expect(v.assisting_leader_ids).toEqual(['leader-2'])
    expect(v.title).toBe('')
    expect((v.deadline as { format: (f: string) => string }).format('YYYY-MM-DD')).toBe('2026-12-31')
  })

  it('leaves the leaders to the enterprise when the item is handed down', () => {
    const v = subItemPrefill<Record<string, unknown>>(parent, {}, true)
    expect(v.source_ref).toBe('董事会〔2026〕3号')
    expect(v).not.toHaveProperty('supervising_leader_id')
    expect(v).not.toHaveProperty('assisting_leader_ids')
  })
})
