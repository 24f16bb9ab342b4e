import i18n from 'i18next'
import { describe, expect, it } from 'vitest'
import '../i18n'
import type { OrgUnit } from '../api/org'
import { postsFromTree, roleLabels } from './roleLabels'

const t = i18n.t.bind(i18n)

describe('role labels name the real position', () => {
  const tree = [
    {
      id: 'root',
      name: '集团',
      head_user_id: null,
      liaison_user_ids: [],
      children: [{ id: 'u1', name: '规划发展部', head_user_id: 'h', liaison_user_ids: ['l', 'hl'], children: [] }],
    },
    { id: 'u2', name: '财务部', head_user_id: 'hl', liaison_user_ids: [], children: [] },
  ] as unknown as OrgUnit[]
  const posts = postsFromTree(tree)

  it.each([
    ['a unit head', ['member'], 'h', ['部门负责人']],
    ['a liaison', ['member'], 'l', ['联络人']],
    ['a head of one unit and liaison of another', ['member'], 'hl', ['部门负责人', '联络人']],
    ['a member without a post', ['member'], 'x', ['普通用户']],
    ['other roles stay as they are', ['supervisor', 'member'], 'h', ['督办员', '部门负责人']],
  ])('%s', (_, roles, id, want) => {
    expect(roleLabels(roles, posts(id), t)).toEqual(want)
  })

  it('without a tree nobody holds a post', () => {
    expect(postsFromTree(undefined)('h')).toEqual({ head: false, liaison: false })
  })
})
