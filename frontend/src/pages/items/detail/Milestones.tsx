import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, DatePicker, Form, Input, Popconfirm, Space, Table, Tag } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ifMatch } from '../../../api/client'
import { ApiError, call, errorMessage } from '../../../api/problem'
import { EmptyState, ErrorState } from '../../../components/States'
import { companyToday, dayjs, formatDate } from '../../../lib/time'
import { FormModal } from '../FormModal'
import type { Item, Milestone } from '../types'

interface Values {
  title: string
  due_date: Dayjs
}

/** What the caller may do with one milestone, as the API says: `update` (edit, mark done) and `delete`. */
export function milestoneActions(m: Milestone): string[] {
  return m.allowed_actions
}

const isStale = (e: unknown) => e instanceof ApiError && e.status === 412

export function Milestones({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const id = item.id
  const manage = item.allowed_actions.includes('manage_milestones')
  // null: closed; 'new': adding; a milestone: editing it
  const [editing, setEditing] = useState<Milestone | 'new' | null>(null)
  const list = useQuery({
    queryKey: ['milestones', id],
    queryFn: () => call(api.GET('/items/{id}/milestones', { params: { path: { id } } })),
  })
  const invalidate = () => {
    void qc.invalidateQueries({ queryKey: ['milestones', id] })
    void qc.invalidateQueries({ queryKey: ['items'] })
  }
  // someone changed the milestone since it was read: say so and show the current one
  const onError = (e: unknown) => {
    if (isStale(e)) {
      void message.warning(t('settings.milestones.stale'))
      invalidate()
      return
    }
    void message.error(errorMessage(e, t))
    // a conflict (the item moved on, a concurrent change): show the current state
    if (e instanceof ApiError && e.status === 409) invalidate()
  }
  const done = useMutation({
    mutationFn: (m: Milestone) =>
      call(api.PATCH('/milestones/{id}', { params: { path: { id: m.id }, header: { 'If-Match': ifMatch(m.version) } }, body: { done: true } })),
    onSuccess: invalidate,
    onError,
  })
  const remove = useMutation({
    mutationFn: (m: Milestone) =>
      call(api.DELETE('/milestones/{id}', { params: { path: { id: m.id }, header: { 'If-Match': ifMatch(m.version) } } })),
    onSuccess: () => {
      void message.success(t('settings.milestones.deleted'))
      invalidate()
    },
    onError,
  })
  const save = async (v: Values) => {
    const body = { title: v.title, due_date: v.due_date.format('YYYY-MM-DD') }
    if (editing === 'new') {
      await call(api.POST('/items/{id}/milestones', { params: { path: { id } }, body }))
    } else if (editing) {
      try {
        await call(
          api.PATCH('/milestones/{id}', { params: { path: { id: editing.id }, header: { 'If-Match': ifMatch(editing.version) } }, body }),
        )
      } catch (e) {
        // the form holds an old copy: close it on the reloaded list rather than retry it
        if (!isStale(e)) throw e
        onError(e)
        return
      }
      void message.success(t('settings.milestones.saved'))
    }
    invalidate()
  }
  // the API refuses past due dates and dates after the item's deadline
  const today = companyToday()
  const outOfRange = (d: Dayjs) => d.format('YYYY-MM-DD') < today || (!!item.deadline && d.format('YYYY-MM-DD') > item.deadline)

  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  return (
    <>
      <Table<Milestone>
        rowKey={(r) => r.id}
        loading={list.isPending}
        dataSource={list.data?.data ?? []}
        pagination={false}
        size="small"
        scroll={{ x: 560 }}
        locale={{ emptyText: <EmptyState /> }}
        data-testid="milestone-table"
        columns={[
          { title: t('items.milestoneTitle'), dataIndex: 'title' },
          {
            title: t('items.dueDate'),
            dataIndex: 'due_date',
            width: 130,
            // a milestone past its date and not done stands out (issue 11 §16)
            render: (v: string | undefined, r) =>
              v && !r.done && v < companyToday() ? (
                <Space size={4} data-testid="milestone-overdue">
                  <span style={{ color: '#cf1322', fontWeight: 600 }}>{formatDate(v)}</span>
                  <Tag color="red">{t('ease.overdueMilestone')}</Tag>
                </Space>
              ) : (
                formatDate(v)
              ),
          },
          {
            title: t('items.state'),
            dataIndex: 'done',
            width: 160,
            render: (v: boolean | undefined, r) =>
              v ? (
                <Tag color="success">
                  {t('items.done')} {formatDate(r.done_at)}
                </Tag>
              ) : milestoneActions(r).includes('update') ? (
                <Button size="small" onClick={() => done.mutate(r)} loading={done.isPending && done.variables.id === r.id}>
                  {t('items.markDone')}
                </Button>
              ) : (
                <Tag>{t('items.notDone')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 150,
            render: (_, r) => {
              const allowed = milestoneActions(r)
              return (
                <Space size={0}>
                  {allowed.includes('update') && (
                    <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid="milestone-edit">
                      {t('settings.milestones.edit')}
                    </Button>
                  )}
                  {allowed.includes('delete') && (
                    <Popconfirm
                      title={t('settings.milestones.deleteConfirm', { title: r.title })}
                      description={t('settings.milestones.deleteHint')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => remove.mutateAsync(r).catch(() => undefined)}
                    >
                      <Button
                        type="link"
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        loading={remove.isPending && remove.variables.id === r.id}
                        data-testid="milestone-delete"
                      >
                        {t('settings.milestones.delete')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              )
            },
          },
        ]}
      />
      {manage && (
        <Button icon={<PlusOutlined />} style={{ marginTop: 12 }} onClick={() => setEditing('new')} data-testid="milestone-add">
          {t('items.addMilestone')}
        </Button>
      )}
      {editing && (
        <FormModal<Values>
          title={editing === 'new' ? t('items.addMilestone') : t('settings.milestones.editTitle')}
          initialValues={editing === 'new' ? undefined : { title: editing.title, due_date: editing.due_date ? dayjs(editing.due_date) : undefined }}
          onSubmit={save}
          onClose={() => setEditing(null)}
          testId="milestone-form"
        >
          <Form.Item name="title" label={t('items.milestoneTitle')} rules={[{ required: true, message: t('rules.required') }]}>
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item name="due_date" label={t('items.dueDate')} rules={[{ required: true, message: t('rules.required') }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={outOfRange} />
          </Form.Item>
        </FormModal>
      )}
    </>
  )
}
