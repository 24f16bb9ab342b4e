import { useQueryClient } from '@tanstack/react-query'
import { Button, Form, Input, Radio, Tag } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { unitNameMap, useOrgTree } from '../../../api/org'
import { FormModal } from '../FormModal'
import type { Assignment, Completion, Extension, Feedback } from '../types'

export type { Assignment, Completion, Extension, Feedback }

/** After any follow-up action: the item, its timeline, lists and the to-do list change. */
export function useRefresh(itemId: string) {
  const qc = useQueryClient()
  return () => {
    void qc.invalidateQueries({ queryKey: ['items'] })
    void qc.invalidateQueries({ queryKey: ['followup', itemId] })
    void qc.invalidateQueries({ queryKey: ['me', 'todo'] })
  }
}

export function useUnitNames() {
  const tree = useOrgTree()
  const names = unitNameMap(tree.data?.data)
  return (id?: string) => (id ? (names.get(id) ?? '…') : '—')
}

export function StateTag({ state }: { state?: string }) {
  const { t } = useTranslation()
  const color: Record<string, string> = {
    draft: 'default',
    submitted: 'processing',
    accepted: 'success',
    returned: 'warning',
    requested: 'gold',
    forwarded: 'processing',
    approved: 'success',
    rejected: 'error',
  }
  return state ? <Tag color={color[state] ?? 'default'}>{t(`followup.states.${state}`, { defaultValue: state })}</Tag> : null
}

/** A comment-only decision (accept, return, approve, reject, acknowledge …). */
export function DecisionButton({
  label,
  danger,
  needsComment,
  withDecision,
  run,
  testId,
}: {
  label: string
  danger?: boolean
  needsComment?: boolean
  /** review: forward or reject */
  withDecision?: boolean
  run: (v: { comment?: string; decision?: 'forward' | 'reject' }) => Promise<unknown>
  testId?: string
}) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  return (
    <>
      <Button size="small" type={danger ? 'default' : 'primary'} danger={danger} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </Button>
      {open && (
        <FormModal<{ comment?: string; decision?: 'forward' | 'reject' }>
          title={label}
          initialValues={withDecision ? { decision: 'forward' } : {}}
          onClose={() => setOpen(false)}
          onSubmit={(v) => run({ ...v, comment: v.comment?.trim() || undefined })}
        >
          {withDecision && (
            <Form.Item name="decision" label={t('followup.review')}>
              <Radio.Group
                options={[
                  { value: 'forward', label: t('followup.forward') },
                  { value: 'reject', label: t('followup.reject') },
                ]}
              />
            </Form.Item>
          )}
          <Form.Item
            name="comment"
            label={t('followup.decisionComment')}
            rules={needsComment ? [{ required: true, whitespace: true, message: t('rules.required') }] : []}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
        </FormModal>
      )}
    </>
  )
}
// --- extensions and completion requests ----------------------------------------

export type Request = Extension | Completion
