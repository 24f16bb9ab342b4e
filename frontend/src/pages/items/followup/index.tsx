import type { Item } from '../ui'
import type { Assignment } from './shared'
import { ExtensionsTab, CompletionTab } from './requests'
import { FeedbackTab } from './FeedbackTab'
import { UrgesTab } from './UrgesTab'
import { VerificationsTab } from './VerificationsTab'
import { CommentsTab } from './CommentsTab'
import { AttachmentsTab } from './AttachmentsTab'
import { MethodsTab } from './MethodsTab'

/** The item's follow-up (反馈, 催办, 延期, 办结, 核查, 批示), one section each, and
 * every file attached to any of them. */
export function followUpTabs(item: Item, assignments: Assignment[], t: (k: string) => string) {
  const issued = !!item.issued_at
  const tabs = [
    { key: 'comments', label: t('followup.comments'), children: <CommentsTab item={item} /> },
    { key: 'attachments', label: t('attachments.tab'), children: <AttachmentsTab item={item} /> },
  ]
  if (issued) {
    tabs.unshift(
      { key: 'feedback', label: t('followup.feedback'), children: <FeedbackTab item={item} /> },
      { key: 'urges', label: t('followup.urges'), children: <UrgesTab item={item} assignments={assignments} /> },
      { key: 'extensions', label: t('followup.extensions'), children: <ExtensionsTab item={item} /> },
      { key: 'completion', label: t('followup.completion'), children: <CompletionTab item={item} /> },
      { key: 'verifications', label: t('followup.verifications'), children: <VerificationsTab item={item} /> },
    )
  }
  // 督办方式 (联合督办, 现场督办, 组织协调) from submission on.
  if (item.state !== 'draft') tabs.push({ key: 'methods', label: t('methods.tab'), children: <MethodsTab item={item} /> })
  return tabs
}
