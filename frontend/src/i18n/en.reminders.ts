import type { Shape } from './shape'
import type zhCNReminders from './zh-CN.reminders'

const enReminders: Shape<typeof zhCNReminders> = {
  reminderSettings: {
    contact: {
      title: 'Supervision office contact',
      phone: 'Contact phone',
      phoneHelp: 'Printed on the task notice; the extension tab of an overdue item points units to it.',
      person: 'Contact person',
      max: 'At most 40 characters',
      stale: 'Someone else changed the contact; it has been reloaded, save again.',
    },
    nav: 'Reminders',
    title: 'Automatic reminders and escalation',
    intro:
      "Every working-day morning the system urges by these rules (on holidays and weekends only urgent items, whose days are calendar days). Each automatic reminder counts as an automatic urge for assessment, shows on the item's timeline and notifies whoever must act. At most one reminder per item, unit and kind a day.",
    enabled: 'On',
    daysBefore: 'Days before (working days)',
    daysBeforeHelp: 'One or more; 0 means on the day',
    afterWorkdays: 'After (working days)',
    workdays: 'working days',
    range: 'Enter a whole number from {{min}} to {{max}}',
    pickDays: 'Pick at least one day',
    readOnly: 'Only the supervision office and administrators change the rules.',
    neverChanged: 'Never changed: these are the defaults.',
    lastChanged: 'Change no. {{version}}, {{time}}',
    stale: 'Someone else changed the rules; yours were not saved. Reload them and change again.',
    reload: 'Reload',
    unsaved: 'Unsaved changes',
    kinds: {
      deadline_approaching: {
        name: 'Deadline approaching',
        help: "Working days before the deadline, to the lead unit (head, liaison, responsible person). Default: 3 and 1 days before.",
      },
      overdue: { name: 'Overdue', help: 'Every working day past the deadline, to the lead unit.' },
      feedback_due: {
        name: 'Feedback due',
        help: 'Working days before a unit\'s periodic or milestone feedback is due. Default: on the due day.',
      },
      feedback_overdue: {
        name: 'Feedback overdue',
        help: 'Every working day a feedback is late (once the item is overdue, the overdue reminder speaks instead).',
      },
      assignment_not_accepted: {
        name: 'Not accepted',
        help: 'Every working day once an assignment has waited this many working days to be accepted. Default: 2.',
      },
      extension_waiting: {
        name: 'Extension awaiting decision',
        help: 'Every working day once an extension request has waited this many working days, to whoever decides it. Default: 3.',
      },
      completion_waiting: {
        name: 'Completion awaiting decision',
        help: 'Every working day once a completion request has waited this many working days, to whoever decides it. Default: 3.',
      },
      escalation: {
        name: 'Escalation',
        help: "Once the item is overdue more than this many working days: to the supervising leader and the lead unit's head (once). Default: 5.",
      },
    },
  },
}

export default enReminders
