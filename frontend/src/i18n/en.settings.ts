import type { Shape } from './shape'
import type zhCNSettings from './zh-CN.settings'

const enSettings: Shape<typeof zhCNSettings> = {
  settings: {
    nav: 'Warning settings',
    warnings: {
      title: 'Warning settings',
      intro:
        "An item's warning light is computed from its deadline, milestones and feedback; nobody sets it by hand (the supervision office may clear one item's light). These are the thresholds of that computation; every item's light follows a change at once.",
      daysNote: "All \"days\" here are working days by the working calendar: Saturdays, Sundays and public holidays don't count, adjusted workdays do.",
      lightsTitle: 'What the lights mean',
      red: 'Red: the item is past its deadline (overdue).',
      yellow:
        "Yellow: a milestone is past due and not done; or, while the item is issued or in progress, a unit's periodic feedback is still missing after its due date plus the feedback grace.",
      blue: 'Blue: the deadline or a milestone not done falls within the blue lead time (working days, today included).',
      green: 'Green: on track, none of the above.',
      blueWorkdays: 'Blue lead time',
      blueHelp: 'How many working days before the deadline or an open milestone the light turns blue (1–30). With 3, on a Monday, items due by Thursday are blue.',
      graceWorkdays: 'Feedback grace',
      graceHelp: 'How many working days a periodic feedback may be late before it counts as missed and the light turns yellow (0–30). 0: yellow the day after the due date.',
      workdays: 'working days',
      range: 'Enter a whole number from {{min}} to {{max}}',
      defaults: 'Defaults: blue lead time 3 working days, feedback grace 0.',
      neverChanged: 'Never changed: these are the defaults.',
      lastChanged: 'Change no. {{version}}, {{time}}',
      stale: 'Someone else changed the warning settings; yours were not saved. Reload them and change again.',
      reload: 'Reload',
      unsaved: 'Unsaved changes',
    },
    lightChart: {
      title: 'My items by light',
      summary: 'My items by warning light: {{list}}. Click a segment to see those items.',
      entry: '{{light}} {{count}}',
      separator: ', ',
      empty: 'No open items',
    },
    milestones: {
      edit: 'Edit',
      editTitle: 'Edit milestone',
      delete: 'Delete',
      deleteConfirm: 'Delete the milestone "{{title}}"?',
      deleteHint: "The deletion is recorded in the item's timeline.",
      deleted: 'Milestone deleted',
      saved: 'Milestone saved',
      stale: 'Someone else changed this milestone; it has been reloaded. Check it and try again.',
    },
  },
}

export default enSettings
