import { CheckOutlined } from '@ant-design/icons'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { App, Button, Form, Space, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ifMatch } from '../../../api/client'
import { unitNameMap, useOrgTree } from '../../../api/org'
import { call, errorMessage } from '../../../api/problem'
import { UserName } from '../../../api/users'
import { UserSelect } from '../../org/UserSelect'
import { FormModal } from '../FormModal'
import { EmptyState } from '../../../components/States'
import type { Assignment } from '../types'
import { ActionModal } from './ActionModal'

export function AssignmentAcceptButton({ itemId, asg, primary = false }: { itemId: string; asg: Assignment; primary?: boolean }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const m = useMutation({
    mutationFn: () =>
      call(api.POST('/assignments/{id}/accept', { params: { path: { id: asg.id }, header: { 'If-Match': ifMatch(asg.version) } } })),
    onSuccess: () => {
      void message.success(t('items.actionDone', { action: t('items.actions.accept') }))
      void qc.invalidateQueries({ queryKey: ['items'] })
      void qc.invalidateQueries({ queryKey: ['assignments', itemId] })
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  return (
    <Button type={primary ? 'primary' : 'link'} size={primary ? 'middle' : 'small'} icon={<CheckOutlined />} loading={m.isPending} onClick={() => m.mutate()} data-testid="assignment-accept">
      {t('items.actions.accept')}
    </Button>
  )
}

export function Assignments({ itemId, assignments, loading }: { itemId: string; assignments: Assignment[]; loading: boolean }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const tree = useOrgTree()
  const names = unitNameMap(tree.data?.data)
  const [returning, setReturning] = useState<Assignment | null>(null)
  const [responsible, setResponsible] = useState<Assignment | null>(null)
  return (
    <>
      <Table<Assignment>
        rowKey={(r) => r.id}
        loading={loading}
        dataSource={assignments}
        pagination={false}
        size="small"
        scroll={{ x: 640 }}
        locale={{ emptyText: <EmptyState /> }}
        columns={[
          { title: t('items.unit'), dataIndex: 'unit_id', render: (v?: string) => (v ? (names.get(v) ?? '…') : '—') },
          {
            title: t('items.role'),
            dataIndex: 'role',
            render: (v?: string) => <Tag color={v === 'lead' ? 'red' : 'default'}>{t(`items.role_${v ?? 'lead'}`)}</Tag>,
          },
          { title: t('items.responsible'), dataIndex: 'responsible_user_id', render: (v?: string) => <UserName id={v} /> },
          {
            title: t('items.assignmentState'),
            dataIndex: 'state',
            render: (v: string | undefined, r) => (
              <Space orientation="vertical" size={0}>
                <span>{t(`items.asg_${v ?? 'pending'}`)}</span>
                {r.reason && <Typography.Text type="secondary">{r.reason}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) => (
              <Space size={0}>
                {r.allowed_actions.includes('accept') && <AssignmentAcceptButton itemId={itemId} asg={r} />}
                {r.allowed_actions.includes('update') && (
                  <Button type="link" size="small" onClick={() => setResponsible(r)}>
                    {t('items.setResponsible')}
                  </Button>
                )}
                {r.allowed_actions.includes('return') && (
                  <Button type="link" size="small" danger onClick={() => setReturning(r)} data-testid="assignment-return">
                    {t('items.actions.return')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {responsible && (
        <FormModal<{ responsible_user_id: string }>
          title={t('items.setResponsible')}
          initialValues={{ responsible_user_id: responsible.responsible_user_id ?? undefined }}
          onClose={() => setResponsible(null)}
          onSubmit={async (v) => {
            await call(
              api.PATCH('/assignments/{id}', {
                params: { path: { id: responsible.id }, header: { 'If-Match': ifMatch(responsible.version) } },
                body: { responsible_user_id: v.responsible_user_id },
              }),
            )
            void message.success(t('common.saved'))
            void qc.invalidateQueries({ queryKey: ['assignments', itemId] })
          }}
        >
          <Form.Item name="responsible_user_id" label={t('items.responsible')} rules={[{ required: true, message: t('rules.required') }]}>
            {/* the assigned unit's active people only: the server refuses anyone else */}
            <UserSelect unitId={responsible.unit_id} />
          </Form.Item>
        </FormModal>
      )}
      {returning && (
        <ActionModal
          title={t('items.actions.return')}
          needsComment
          commentLabel={t('items.returnReason')}
          onClose={() => setReturning(null)}
          onSubmit={async (reason) => {
            await call(
              api.POST('/assignments/{id}/return', {
                params: { path: { id: returning.id }, header: { 'If-Match': ifMatch(returning.version) } },
                body: { reason },
              }),
            )
            void message.success(t('items.actionDone', { action: t('items.actions.return') }))
            void qc.invalidateQueries({ queryKey: ['items'] })
            void qc.invalidateQueries({ queryKey: ['assignments', itemId] })
          }}
        />
      )}
    </>
  )
}
