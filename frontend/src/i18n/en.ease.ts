import type { Shape } from './shape'
import type zhCNEase from './zh-CN.ease'

const enEase: Shape<typeof zhCNEase> = {
  ease: {
    stale: 'Copied from the report of {{date}}: update it to the latest state',
    staleNoDate: 'Copied from the last report: update it to the latest state',
    lastProgress: 'Last report: {{progress}}% ({{date}})',
    reuseFiles: 'Files already sent with feedback',
    reuseHelp: 'Tick files sent with progress reports; no need to upload them again',
    noExtensionOverdue: 'This item is overdue: an extension can no longer be requested.',
    noExtensionOverdueHint: 'Contact the supervision office ({{phone}}); it has a leader set a new deadline.',
    noExtensionOverdueHintNoPhone: 'Contact the supervision office; it has a leader set a new deadline.',
    newDeadline: 'New deadline',
    pauseConfirm: 'Pause this item? While paused its clock and warnings stop.',
    holiday: 'Holiday',
    holidayHint: '{{date}} is a holiday (not a working day)',
    restDayHint: '{{date}} is a weekend rest day (not a working day)',
    overdueMilestone: 'Overdue',
    subItemFromParent: "Source, reference, leaders, requirements and deadline are copied from the parent item",
  },
}

export default enEase
