import i18n from 'i18next'
import { afterEach, describe, expect, it } from 'vitest'
import { setLanguage } from '../../../i18n'
import { eventDetails } from './Events'

const t = i18n.t.bind(i18n)

afterEach(async () => {
  await setLanguage('zh-CN')
})

describe('timeline details', () => {
  it('names both dates of a moved deadline', async () => {
    const changes = { deadline: { from: '2026-03-31', to: '2026-04-30' }, leader_id: { to: 'x' } }
    expect(eventDetails(changes, t)).toEqual(['完成时限：2026-03-31 → 2026-04-30'])
    await setLanguage('en')
    expect(eventDetails(changes, t)).toEqual(['Deadline: 2026-03-31 → 2026-04-30'])
  })

  it('names the milestone added', () => {
    expect(eventDetails({ milestone: { to: { id: '1', title: '完成自查', due_date: '2026-05-01' } } }, t)).toEqual(['节点：完成自查'])
  })

  it('counts the item files linked and taken off', () => {
    expect(eventDetails({ attachments: { to: ['a', 'b'] } }, t)).toEqual(['添加事项材料 2 个'])
    expect(eventDetails({ attachments_removed: { from: ['a'] } }, t)).toEqual(['移除事项材料 1 个'])
  })

  it('says nothing for changes it does not know', () => {
    expect(eventDetails({ code: { to: 'DB-2026-0001' } }, t)).toEqual([])
    expect(eventDetails(undefined, t)).toEqual([])
  })
})
