import type { Shape } from './shape'
import type zhCNNotice from './zh-CN.notice'

const enNotice: Shape<typeof zhCNNotice> = {
  notice: {
    routeTitle: 'Initiation route (Article 14)',
    issuerUnit: 'The task notice is issued by {{unit}}',
    issuerLead: 'The task notice is issued by the lead unit',
    needsApproval: "After submission the supervising leader approves before it is issued",
    skipsApproval: "No leader's approval: it is registered as soon as it is submitted",
    officeSubmits: 'Documents are registered and submitted by the supervision office',
    leaderRequired: 'This source needs the supervising leader’s approval: choose the leader',
    leaderAlwaysRequired: 'Needed before submitting: the supervising leader decides extensions and closing',
    parentTitle: 'Add a sub-item',
    parentOf: 'Created as a sub-item of “{{title}}”',
    parentMissing: 'The parent item does not exist or you may not see it',
    milestonesTab: 'Milestones',
    itemNotFound: 'Item not found',
    itemNotFoundHint: 'The item does not exist, was deleted, or your unit may not see it. Ask the supervision office if you need it.',
    subItems: 'Sub-items',
    addSubItem: 'Add sub-item',
    noSubItems: 'Not broken down into sub-items yet',
    subItemsHelp:
      'The lead unit or the supervision office breaks the item down into sub-items, each with its own lead unit and deadline; their progress rolls up into this item.',
  },
}

export default enNotice
