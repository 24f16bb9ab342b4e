import type { TFunction } from 'i18next'
import { flattenUnits, type OrgUnit } from '../api/org'

/** the posts a person holds in the unit tree: head (部门负责人) or liaison (联络人) of some unit */
export interface Posts {
  head: boolean
  liaison: boolean
}

// roleLabels names the real position where the data tells it (issue 11 §16): a member
// who heads a unit is its 部门负责人, one who liaises for it its 联络人, rather than 普通用户.
// The Me page and the org admin's tables share it so that both name a person alike.
export function roleLabels(roles: readonly string[], posts: Posts, t: TFunction): string[] {
  return roles.flatMap((r) => {
    if (r !== 'member') return [t(`roles.${r}`, { defaultValue: r })]
    const named = [...(posts.head ? [t('roles.head')] : []), ...(posts.liaison ? [t('roles.liaison')] : [])]
    return named.length > 0 ? named : [t('roles.member')]
  })
}

/** who heads and who liaises for some unit of the tree, for lists of users (GET /users carries no posts) */
export function postsFromTree(roots: readonly OrgUnit[] | undefined): (userId: string) => Posts {
  const heads = new Set<string>()
  const liaisons = new Set<string>()
  for (const { unit } of flattenUnits(roots)) {
    if (unit.head_user_id) heads.add(unit.head_user_id)
    for (const id of unit.liaison_user_ids ?? []) liaisons.add(id)
  }
  return (id) => ({ head: heads.has(id), liaison: liaisons.has(id) })
}
