import { EditOutlined } from '@ant-design/icons'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { App, Button, Form, Input, Popconfirm, Radio, Space, TreeSelect } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, ifMatch, type Schemas } from '../../../api/client'
import { useOrgTree } from '../../../api/org'
import { ApiError, call, errorMessage } from '../../../api/problem'
import { unitTreeSelectData } from '../../org/UnitsPanel'
import { UserSelect } from '../../org/UserSelect'
import { FormModal } from '../FormModal'
import type { Assignment } from '../types'
import { itemKey, type Item } from '../ui'
import { ActionModal } from './ActionModal'
import { AssignmentAcceptButton } from './Assignments'

/** State actions of the item itself: POST /items/{id}/<action> with an optional comment. */
export const STATE_ACTIONS = ['submit', 'approve', 'reject', 'issue', 'suspend', 'resume', 'cancel', 'archive'] as const
export type StateAction = (typeof STATE_ACTIONS)[number]
export const NEEDS_COMMENT: readonly string[] = ['reject', 'cancel']
export const DANGER: readonly string[] = ['reject', 'cancel']
/** not the item's main action: a plain button (its dialog asks for the reason and confirms) */
export const SECONDARY: readonly string[] = ['suspend']

export function runStateAction(id: string, action: StateAction, version: number | undefined, comment: string) {
  const params = { path: { id }, header: { 'If-Match': ifMatch(version) } }
  const body = comment ? { comment } : {}
  switch (action) {
    case 'submit':
      return call(api.POST('/items/{id}/submit', { params, body }))
    case 'approve':
      return call(api.POST('/items/{id}/approve', { params, body }))
    case 'reject':
      return call(api.POST('/items/{id}/reject', { params, body }))
    case 'issue':
      return call(api.POST('/items/{id}/issue', { params, body }))
    case 'suspend':
      return call(api.POST('/items/{id}/suspend', { params, body }))
    case 'resume':
      return call(api.POST('/items/{id}/resume', { params, body }))
    case 'cancel':
      return call(api.POST('/items/{id}/cancel', { params, body }))
    case 'archive':
      return call(api.POST('/items/{id}/archive', { params, body }))
  }
}

export function ActionBar({ item, assignments }: { item: Item; assignments: Assignment[] }) {
  const { t } = useTranslation()
  const tree = useOrgTree()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const navigate = useNavigate()
  const [pending, setPending] = useState<StateAction | null>(null)
  const allowed = item.allowed_actions
  const id = item.id
  const refresh = async (updated?: Item) => {
    if (updated) qc.setQueryData(itemKey(id), updated)
    // issuing creates the assignments (the tab was loaded before, empty)
    await Promise.all([qc.invalidateQueries({ queryKey: ['items'] }), qc.invalidateQueries({ queryKey: ['assignments', id] })])
  }
  const del = useMutation({
    mutationFn: () => call(api.DELETE('/items/{id}', { params: { path: { id }, header: { 'If-Match': ifMatch(item.version) } } })),
    onSuccess: () => {
      void message.success(t('common.deleted'))
      void qc.invalidateQueries({ queryKey: ['items', 'list'] })
      void navigate('/items', { replace: true })
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  const [clearing, setClearing] = useState(false)
  const [reassigning, setReassigning] = useState(false)
  const mine = (action: Schemas['AssignmentAllowedActions']) => assignments.find((a) => a.allowed_actions.includes(action))
  const accept = mine('accept')
  const buttons = ['update', 'delete', 'reassign', 'clear_warning', ...STATE_ACTIONS]
  // nothing to offer (an auditor, a cooperating unit): no empty row under the title
  if (!accept && !allowed.some((a) => buttons.includes(a))) return null
  return (
    <Space wrap data-testid="item-actions">
      {allowed.includes('update') && (
        <Button icon={<EditOutlined />} onClick={() => void navigate(`/items/${id}/edit`)} data-testid="item-action-update">
          {t('items.actions.update')}
        </Button>
      )}
      {STATE_ACTIONS.filter((a) => allowed.includes(a)).map((a) => (
        <Button
          key={a}
          type={DANGER.includes(a) || SECONDARY.includes(a) ? 'default' : 'primary'}
          danger={DANGER.includes(a)}
          onClick={() => setPending(a)}
          data-testid={`item-action-${a}`}
        >
          {t(`items.actions.${a}`)}
        </Button>
      ))}
      {accept && <AssignmentAcceptButton itemId={id} asg={accept} primary />}
      {allowed.includes('reassign') && (
        <Button onClick={() => setReassigning(true)} data-testid="item-action-reassign">
          {t('items.actions.reassign')}
        </Button>
      )}
      {allowed.includes('clear_warning') && (
        <Button onClick={() => setClearing(true)} data-testid="item-action-clear_warning">
          {t('items.actions.clear_warning')}
        </Button>
      )}
      {clearing && (
        <ActionModal
          title={t('items.actions.clear_warning')}
          needsComment
          onClose={() => setClearing(false)}
          onSubmit={async (reason) => {
            const updated = await call(
              api.POST('/items/{id}/clear-warning', { params: { path: { id }, header: { 'If-Match': ifMatch(item.version) } }, body: { reason } }),
            )
            void message.success(t('items.actionDone', { action: t('items.actions.clear_warning') }))
            await refresh(updated)
          }}
        />
      )}
      {reassigning && (
        <FormModal<{ unit_id: string; role: 'lead' | 'cooperating'; responsible_user_id?: string; comment?: string }>
          title={t('items.actions.reassign')}
          initialValues={{ role: 'cooperating' }}
          onClose={() => setReassigning(false)}
          onSubmit={async (v) => {
            await call(
              api.POST('/items/{id}/assignments', {
                params: { path: { id }, header: { 'If-Match': ifMatch(item.version) } },
                body: { unit_id: v.unit_id, role: v.role, responsible_user_id: v.responsible_user_id || undefined, comment: v.comment || undefined },
              }),
            )
            void message.success(t('items.actionDone', { action: t('items.actions.reassign') }))
            await refresh()
            void qc.invalidateQueries({ queryKey: ['assignments', id] })
          }}
        >
          <Form.Item name="unit_id" label={t('items.unit')} rules={[{ required: true, message: t('rules.required') }]}>
            <TreeSelect treeData={unitTreeSelectData(tree.data?.data)} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} />
          </Form.Item>
          <Form.Item name="role" label={t('items.role')}>
            <Radio.Group
              options={[
                { value: 'lead', label: t('items.role_lead') },
                { value: 'cooperating', label: t('items.role_cooperating') },
              ]}
            />
          </Form.Item>
          {/* the chosen unit's active people only: the server refuses anyone else */}
          <Form.Item noStyle shouldUpdate={(a, b) => a.unit_id !== b.unit_id}>
            {({ getFieldValue }) => {
              const unit = getFieldValue('unit_id') as string | undefined
              return (
                <Form.Item name="responsible_user_id" label={t('items.responsible')}>
                  <UserSelect key={unit ?? ''} unitId={unit} disabled={!unit} />
                </Form.Item>
              )
            }}
          </Form.Item>
          <Form.Item name="comment" label={t('items.commentOptional')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </FormModal>
      )}
      {allowed.includes('delete') && (
        <Popconfirm title={t('items.deleteConfirm')} okButtonProps={{ danger: true }} onConfirm={() => del.mutateAsync().catch(() => undefined)}>
          <Button danger loading={del.isPending} data-testid="item-action-delete">
            {t('items.actions.delete')}
          </Button>
        </Popconfirm>
      )}
      {pending && (
        <ActionModal
          title={t(`items.actions.${pending}`)}
          needsComment={NEEDS_COMMENT.includes(pending)}
          onClose={() => setPending(null)}
          onSubmit={async (comment) => {
            try {
              const updated = await runStateAction(id, pending, item.version, comment)
              void message.success(t('items.actionDone', { action: t(`items.actions.${pending}`) }))
              await refresh(updated)
            } catch (e) {
              // a stale copy or a state that moved on: show the current one
              if (e instanceof ApiError && (e.status === 409 || e.status === 412)) void refresh()
              throw e
            }
          }}
        />
      )}
    </Space>
  )
}
