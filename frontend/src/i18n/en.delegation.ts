import type { Shape } from './shape'
import type zhCNDelegation from './zh-CN.delegation'

// English strings of departures and delegation (same keys as zh-CN.delegation.ts).
const enDelegation: Shape<typeof zhCNDelegation> = {
  handover: {
    title: 'Handover: these posts go to successors',
    none: 'This person holds no posts or pending work to hand over.',
    firstOnly: 'Only the first {{count}} people are listed; the others hand over to the default successors.',
    role: 'Post',
    what: 'Unit / item',
    default: 'Default successor',
    pending: '{{count}} decisions pending',
    required: 'The items this person supervises have no default successor: name the supervising leader who takes over.',
    successor: 'Successor as {{role}}',
    useDefault: 'Empty: the default successor',
    roles: {
      head: 'unit head',
      liaison: 'liaison',
      responsible: 'responsible person',
      supervising_leader: 'supervising leader',
      assisting_leader: 'assisting leader',
    },
    noDefault: {
      head: 'left vacant',
      liaison: 'removed',
      responsible: 'none (the unit head and liaisons act)',
      supervising_leader: 'none: name one',
      assisting_leader: 'removed',
    },
  },
  delegation: {
    title: 'Delegation',
    hint: 'While you are away, a deputy can take your approvals and decisions: during the period they act for you, see your decisions in their to-do list, the timeline records "X on behalf of Y", and the delegation ends by itself.',
    new: 'Delegate',
    deputy: 'Deputy',
    period: 'Period',
    reason: 'Reason',
    given: 'Delegations I gave',
    received: 'Delegations I act under',
    principal: 'On behalf of',
    powers: 'Powers',
    power: { leader: 'leader approvals', head: 'unit head duties' },
    statusTitle: 'Status',
    status: { scheduled: 'scheduled', active: 'active', expired: 'expired', ended: 'ended' },
    end: 'End now',
    endConfirm: 'End this delegation now?',
    created: 'Delegation set',
    ended: 'Delegation ended',
    nothing: 'You are neither a leader nor a unit head: you have no decisions to delegate.',
    empty: 'No delegations',
  },
}

export default enDelegation
