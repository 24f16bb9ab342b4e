import { dayjs } from '../../lib/time'
import type { Item } from './ui'

/**
 * A sub-item (分解) starts from its parent (issue 11 §14 减负): the same source, reference,
 * leaders, requirements and deadline; the units, title and content are the new
 * item's own. `base` holds the form's defaults for a new item.
 */
export function subItemPrefill<V extends object>(parent: Item, base: Partial<V>): Partial<V> {
  return {
    ...base,
    category: parent.category,
    source: parent.source,
    source_ref: parent.source_ref,
    basis: parent.basis,
    requirements: parent.requirements,
    supervising_leader_id: parent.supervising_leader_id || undefined,
    assisting_leader_ids: parent.assisting_leader_ids,
    deadline: parent.deadline ? dayjs(parent.deadline) : null,
  } as Partial<V>
}
