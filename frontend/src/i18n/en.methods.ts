import type { Shape } from './shape'
import type zhCNMethods from './zh-CN.methods'

const enMethods: Shape<typeof zhCNMethods> = {
  methods: {
    tab: 'Methods',
    joint: 'Joint supervision',
    jointHint: 'The departments of the supervision team see this item and may urge it.',
    jointEmpty: 'No supervision team yet',
    addUnit: 'Add to the team',
    removeUnit: 'Remove',
    unit: 'Department',
    visits: 'On-site supervision',
    visitsEmpty: 'No visits recorded',
    recordVisit: 'Record a visit',
    visitedOn: 'Date of the visit',
    place: 'Place',
    visitors: 'Who went',
    authorisedBy: 'Authorised by',
    authorisedNote: 'Authorised by {{leader}}',
    findings: 'Findings',
    photos: 'Photos and files',
    coordinations: 'Coordination',
    coordinationsEmpty: 'No coordination meetings recorded',
    recordCoordination: 'Record a coordination meeting',
    heldOn: 'Date of the meeting',
    attendeeUsers: 'Attending people',
    attendeeUnits: 'Attending units',
    decisions: 'Decisions',
    decisionsHint: 'One per line',
    minutes: 'Minutes',
    minutesFiles: 'Minutes files',
    makeMilestone: 'Make a milestone',
    makeSubItem: 'Make a sub-item',
    dueDate: 'Due date',
    milestoneMade: 'Made a milestone',
    subItemMade: 'Made a sub-item',
    viewSubItem: 'Open the sub-item',
    attendeesRequired: 'Name at least one attending person or unit',
    fromDecision: 'From a coordination decision',
  },
}

export default enMethods
