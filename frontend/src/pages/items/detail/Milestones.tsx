import { PlusOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, DatePicker, Form, Input, Modal, Table, Tag } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas, ifMatch } from '../../../api/client'
import { call, errorMessage } from '../../../api/problem'
import { applyFormError } from '../../../components/formErrors'
import { EmptyState, ErrorState } from '../../../components/States'
import { formatDate } from '../../../lib/time'
import { type Item } from '../ui'

export type Assignment = Schemas['Assignment']
export type Milestone = Schemas['Milestone']
export function Milestones({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const id = item.id ?? ''
  const manage = (item.allowed_actions ?? []).includes('manage_milestones')
  const [adding, setAdding] = useState(false)
  const [form] = Form.useForm<{ title: string; due_date: Dayjs }>()
  const [error, setError] = useState<string | null>(null)
  const list = useQuery({
    queryKey: ['milestones', id],
    queryFn: () => call(api.GET('/items/{id}/milestones', { params: { path: { id } } })),
  })
  const invalidate = () => {
    void qc.invalidateQueries({ queryKey: ['milestones', id] })
    void qc.invalidateQueries({ queryKey: ['items'] })
  }
  const add = useMutation({
    mutationFn: (v: { title: string; due_date: Dayjs }) =>
      call(api.POST('/items/{id}/milestones', { params: { path: { id } }, body: { title: v.title, due_date: v.due_date.format('YYYY-MM-DD') } })),
    onSuccess: () => {
      setAdding(false)
      form.resetFields()
      invalidate()
    },
    onError: (e) => setError(applyFormError(form, e, t)),
  })
  const done = useMutation({
    mutationFn: (m: Milestone) =>
      call(api.PATCH('/milestones/{id}', { params: { path: { id: m.id ?? '' }, header: { 'If-Match': ifMatch(m.version) } }, body: { done: true } })),
    onSuccess: invalidate,
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  return (
    <>
      <Table<Milestone>
        rowKey={(r) => r.id ?? ''}
        loading={list.isPending}
        dataSource={list.data?.data ?? []}
        pagination={false}
        size="small"
        locale={{ emptyText: <EmptyState /> }}
        columns={[
          { title: t('items.milestoneTitle'), dataIndex: 'title' },
          { title: t('items.dueDate'), dataIndex: 'due_date', render: (v?: string) => formatDate(v), width: 130 },
          {
            title: t('items.state'),
            dataIndex: 'done',
            width: 160,
            render: (v: boolean | undefined, r) =>
              v ? (
                <Tag color="success">
                  {t('items.done')} {formatDate(r.done_at)}
                </Tag>
              ) : manage ? (
                <Button size="small" onClick={() => done.mutate(r)} loading={done.isPending && done.variables.id === r.id}>
                  {t('items.markDone')}
                </Button>
              ) : (
                <Tag>{t('items.notDone')}</Tag>
              ),
          },
        ]}
      />
      {manage && (
        <Button icon={<PlusOutlined />} style={{ marginTop: 12 }} onClick={() => setAdding(true)}>
          {t('items.addMilestone')}
        </Button>
      )}
      <Modal open={adding} title={t('items.addMilestone')} onCancel={() => setAdding(false)} onOk={() => form.submit()} confirmLoading={add.isPending} destroyOnHidden>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)}>
          <Form.Item name="title" label={t('items.milestoneTitle')} rules={[{ required: true, message: t('rules.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="due_date" label={t('items.dueDate')} rules={[{ required: true, message: t('rules.required') }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  )
}
