import { dayjs } from '../../lib/time'
import type { Item } from './ui'

/**
 * A sub-item (分解) starts from its parent (issue 11 §14 减负): the same source, reference,
 * leaders, requirements and deadline; the units, title and content are the new
 * item's own. `base` holds the form's defaults for a new item.
 *
 * When the sub-item is handed down into an enterprise (§11: an enterprise's office
 * breaks down a group item), the parent's leaders are the group's, which the server
 * refuses in the enterprise's scope: they are left for the enterprise to choose.
 */
export function subItemPrefill<V extends object>(parent: Item, base: Partial<V>, handedDown = false): Partial<V> {
  const leaders = handedDown
    ? {}
    : { supervising_leader_id: parent.supervising_leader_id || undefined, assisting_leader_ids: parent.assisting_leader_ids }
  return {
    ...base,
    category: parent.category,
    source: parent.source,
    source_ref: parent.source_ref,
    basis: parent.basis,
    requirements: parent.requirements,
    ...leaders,
    deadline: parent.deadline ? dayjs(parent.deadline) : null,
  } as Partial<V>
}
