import { Form, Input } from 'antd'
import { useTranslation } from 'react-i18next'
import { FormModal } from '../FormModal'

/** A state action's dialog: the comment (required as the reason where the action needs one). */
export function ActionModal({
  title,
  needsComment,
  commentLabel,
  onSubmit,
  onClose,
}: {
  title: string
  needsComment: boolean
  commentLabel?: string
  onSubmit: (comment: string) => Promise<unknown>
  onClose: () => void
}) {
  const { t } = useTranslation()
  return (
    <FormModal<{ comment?: string }> title={title} testId="action" onClose={onClose} onSubmit={(v) => onSubmit(v.comment?.trim() ?? '')}>
      <Form.Item
        name="comment"
        label={commentLabel ?? (needsComment ? t('items.reason') : t('items.commentOptional'))}
        rules={needsComment ? [{ required: true, whitespace: true, message: t('rules.required') }] : []}
      >
        <Input.TextArea rows={3} maxLength={5000} data-testid="action-comment" />
      </Form.Item>
    </FormModal>
  )
}
