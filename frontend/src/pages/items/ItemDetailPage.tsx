import { ArrowLeftOutlined, CheckOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  TreeSelect,
  Typography,
} from 'antd'
import type { DescriptionsProps } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { api, type Schemas } from '../../api/client'
import { unitNameMap, useOrgTree } from '../../api/org'
import { ApiError, call, errorMessage } from '../../api/problem'
import { UserName } from '../../api/users'
import { unitTreeSelectData } from '../org/UnitsPanel'
import { UserSelect } from '../org/UserSelect'
import { FormModal } from './FormModal'
import { applyFormError } from '../../components/formErrors'
import { EmptyState, ErrorState, Loading } from '../../components/States'
import { NotFoundState } from '../../components/ResultStates'
import { formatDate, formatDateTime } from '../../lib/time'
import { followUpTabs } from './FollowUp'
import { Deadline, ItemProgress, itemKey, Light, StateTag, type Item } from './ui'

type Assignment = Schemas['Assignment']
type Milestone = Schemas['Milestone']

/** State actions of the item itself: POST /items/{id}/<action> with an optional comment. */
const STATE_ACTIONS = ['submit', 'approve', 'reject', 'issue', 'suspend', 'resume', 'cancel', 'archive'] as const
type StateAction = (typeof STATE_ACTIONS)[number]
const NEEDS_COMMENT: readonly string[] = ['reject', 'cancel']
const DANGER: readonly string[] = ['reject', 'cancel']

function ifMatch(version: number | undefined) {
  return `"${version ?? 0}"`
}

function runStateAction(id: string, action: StateAction, version: number | undefined, comment: string) {
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

function ActionModal({
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
  const [form] = Form.useForm<{ comment?: string }>()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'action-ok' }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => {
          setBusy(true)
          onSubmit(v.comment?.trim() ?? '')
            .then(onClose)
            .catch((e: unknown) => setError(applyFormError(form, e, t)))
            .finally(() => setBusy(false))
        }}
      >
        <Form.Item
          name="comment"
          label={commentLabel ?? (needsComment ? t('items.reason') : t('items.commentOptional'))}
          rules={needsComment ? [{ required: true, whitespace: true, message: t('rules.required') }] : []}
        >
          <Input.TextArea rows={3} maxLength={5000} data-testid="action-comment" />
        </Form.Item>
      </Form>
    </Modal>
  )
}

function ActionBar({ item, assignments }: { item: Item; assignments: Assignment[] }) {
  const { t } = useTranslation()
  const tree = useOrgTree()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const navigate = useNavigate()
  const [pending, setPending] = useState<StateAction | null>(null)
  const allowed = item.allowed_actions ?? []
  const id = item.id ?? ''
  const refresh = async (updated?: Item) => {
    if (updated) qc.setQueryData(itemKey(id), updated)
    await qc.invalidateQueries({ queryKey: ['items'] })
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
  const mine = (action: string) => assignments.find((a) => (a.allowed_actions ?? []).includes(action))
  const accept = mine('accept')
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
          type={DANGER.includes(a) ? 'default' : 'primary'}
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
          <Form.Item name="responsible_user_id" label={t('items.responsible')}>
            <UserSelect />
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

function AssignmentAcceptButton({ itemId, asg, primary = false }: { itemId: string; asg: Assignment; primary?: boolean }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const m = useMutation({
    mutationFn: () =>
      call(api.POST('/assignments/{id}/accept', { params: { path: { id: asg.id ?? '' }, header: { 'If-Match': ifMatch(asg.version) } } })),
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

function Assignments({ itemId, assignments, loading }: { itemId: string; assignments: Assignment[]; loading: boolean }) {
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
        rowKey={(r) => r.id ?? ''}
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
                {(r.allowed_actions ?? []).includes('accept') && <AssignmentAcceptButton itemId={itemId} asg={r} />}
                {(r.allowed_actions ?? []).includes('update') && (
                  <Button type="link" size="small" onClick={() => setResponsible(r)}>
                    {t('items.setResponsible')}
                  </Button>
                )}
                {(r.allowed_actions ?? []).includes('return') && (
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
          initialValues={{ responsible_user_id: responsible.responsible_user_id }}
          onClose={() => setResponsible(null)}
          onSubmit={async (v) => {
            await call(
              api.PATCH('/assignments/{id}', {
                params: { path: { id: responsible.id ?? '' }, header: { 'If-Match': ifMatch(responsible.version) } },
                body: { responsible_user_id: v.responsible_user_id },
              }),
            )
            void message.success(t('common.saved'))
            void qc.invalidateQueries({ queryKey: ['assignments', itemId] })
          }}
        >
          <Form.Item name="responsible_user_id" label={t('items.responsible')} rules={[{ required: true, message: t('rules.required') }]}>
            <UserSelect />
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
                params: { path: { id: returning.id ?? '' }, header: { 'If-Match': ifMatch(returning.version) } },
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

function Milestones({ item }: { item: Item }) {
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

function Events({ id }: { id: string }) {
  const { t } = useTranslation()
  const events = useQuery({
    queryKey: ['items', 'events', id],
    queryFn: () => call(api.GET('/items/{id}/events', { params: { path: { id }, query: { page_size: 100 } } })),
  })
  if (events.isPending) return <Loading />
  if (events.isError) return <ErrorState error={events.error} onRetry={() => void events.refetch()} />
  const list = events.data.data ?? []
  if (list.length === 0) return <EmptyState description={t('items.noEvents')} />
  return (
    <Timeline
      data-testid="item-timeline"
      items={list.map((e) => ({
        key: e.id,
        content: (
          <Space orientation="vertical" size={0}>
            <Space wrap>
              <Typography.Text strong>{t(`items.actions.${e.action ?? ''}`, { defaultValue: e.action ?? '' })}</Typography.Text>
              <Typography.Text type="secondary">
                <UserName id={e.actor_id} /> · {formatDateTime(e.at)}
              </Typography.Text>
            </Space>
            {e.state_before && e.state_after && e.state_before !== e.state_after && (
              <Typography.Text type="secondary">
                {t('items.stateChange', {
                  from: t(`items.states.${e.state_before}`, { defaultValue: e.state_before }),
                  to: t(`items.states.${e.state_after}`, { defaultValue: e.state_after }),
                })}
              </Typography.Text>
            )}
            {e.comment && <Typography.Text>{e.comment}</Typography.Text>}
          </Space>
        ),
      }))}
    />
  )
}

function Details({ item }: { item: Item }) {
  const { t } = useTranslation()
  const tree = useOrgTree()
  const names = unitNameMap(tree.data?.data)
  const unit = (id?: string) => (id ? (names.get(id) ?? '…') : '—')
  const enumText = (group: string, v?: string) => (v ? t(`items.${group}.${v}`, { defaultValue: v }) : '—')
  type Entry = NonNullable<DescriptionsProps['items']>[number]
  const entries: (Entry | null)[] = [
    { key: 'category', label: t('items.category'), children: enumText('categories', item.category) },
    { key: 'source', label: t('items.source'), children: enumText('sources', item.source) },
    item.meeting_type ? { key: 'meeting', label: t('items.meetingType'), children: enumText('meetingTypes', item.meeting_type) } : null,
    item.source_ref ? { key: 'ref', label: t('items.sourceRef'), children: item.source_ref } : null,
    item.basis ? { key: 'basis', label: t('items.basis'), children: item.basis } : null,
    { key: 'method', label: t('items.method'), children: enumText('methods', item.method) },
    { key: 'urgency', label: t('items.urgency'), children: enumText('urgencies', item.urgency) },
    { key: 'lead', label: t('items.leadUnit'), children: unit(item.lead_unit_id) },
    {
      key: 'coop',
      label: t('items.cooperatingUnits'),
      children: (item.cooperating_unit_ids ?? []).length > 0 ? (item.cooperating_unit_ids ?? []).map((u) => <Tag key={u}>{unit(u)}</Tag>) : '—',
    },
    { key: 'leader', label: t('items.supervisingLeader'), children: <UserName id={item.supervising_leader_id} /> },
    {
      key: 'assist',
      label: t('items.assistingLeaders'),
      children:
        (item.assisting_leader_ids ?? []).length > 0
          ? (item.assisting_leader_ids ?? []).map((u) => (
              <Tag key={u}>
                <UserName id={u} />
              </Tag>
            ))
          : '—',
    },
    { key: 'deadline', label: t('items.deadline'), children: <Deadline item={item} /> },
    { key: 'original', label: t('items.originalDeadline'), children: formatDate(item.original_deadline) },
    { key: 'cadence', label: t('items.cadence'), children: enumText('cadences', item.feedback_cadence) },
    { key: 'progress', label: t('items.progress'), children: <ItemProgress value={item.progress} /> },
    item.parent_id
      ? { key: 'parent', label: t('items.parent'), children: <Link to={`/items/${item.parent_id}`}>{t('items.parent')}</Link> }
      : null,
    (item.children_count ?? 0) > 0
      ? { key: 'children', label: t('items.subItems'), children: <Link to={`/items?parent_id=${item.id ?? ''}`}>{item.children_count}</Link> }
      : null,
    (item.tags ?? []).length > 0 ? { key: 'tags', label: t('items.tags'), children: (item.tags ?? []).map((x) => <Tag key={x}>{x}</Tag>) } : null,
    item.suspend_reason ? { key: 'suspend', label: t('items.suspendReason'), children: item.suspend_reason } : null,
    item.cancel_reason ? { key: 'cancel', label: t('items.cancelReason'), children: item.cancel_reason } : null,
    { key: 'created', label: t('items.createdAt'), children: formatDateTime(item.created_at) },
    { key: 'issued', label: t('items.issuedAt'), children: formatDateTime(item.issued_at) },
    {
      key: 'content',
      label: t('items.content'),
      span: 'filled',
      children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{item.content}</Typography.Paragraph>,
    },
    {
      key: 'requirements',
      label: t('items.requirements'),
      span: 'filled',
      children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{item.requirements || '—'}</Typography.Paragraph>,
    },
  ]
  const items = entries.filter((x): x is Entry => x !== null)
  return <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" items={items} data-testid="item-details" />
}

export default function ItemDetailPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const [params, setParams] = useSearchParams()
  const tab = params.get('tab') ?? 'detail'
  const item = useQuery({
    queryKey: itemKey(id),
    queryFn: () => call(api.GET('/items/{id}', { params: { path: { id } } })),
  })
  const assignments = useQuery({
    queryKey: ['assignments', id],
    queryFn: () => call(api.GET('/items/{id}/assignments', { params: { path: { id } } })),
    enabled: item.isSuccess,
  })
  if (item.isPending) return <Loading />
  if (item.isError) {
    if (item.error instanceof ApiError && item.error.status === 404) return <NotFoundState />
    return <ErrorState error={item.error} onRetry={() => void item.refetch()} />
  }
  const it = item.data
  const asgs = assignments.data?.data ?? []
  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Link to="/items">
          <ArrowLeftOutlined /> {t('items.title')}
        </Link>
      </Space>
      <Card style={{ marginBottom: 16 }}>
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <Space wrap size={8}>
            {it.code && <Typography.Text code>{it.code}</Typography.Text>}
            <StateTag state={it.state} />
            {it.light && it.light !== 'none' && <Light light={it.light} />}
            {it.overdue && <Tag color="red">{t('items.overdue')}</Tag>}
            {it.verified && <Tag color="green">{t('items.verified')}</Tag>}
            {(it.reopened_count ?? 0) > 0 && <Tag color="orange">{t('items.reopened', { count: it.reopened_count })}</Tag>}
          </Space>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {it.title}
          </Typography.Title>
          <ActionBar item={it} assignments={asgs} />
        </Space>
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === 'detail' ? {} : { tab: k }, { replace: true })}
          items={[
            { key: 'detail', label: t('items.detail'), children: <Details item={it} /> },
            {
              key: 'assignments',
              label: `${t('items.assignments')}${asgs.length ? ` (${asgs.length})` : ''}`,
              children: assignments.isError ? (
                <ErrorState error={assignments.error} onRetry={() => void assignments.refetch()} />
              ) : (
                <Assignments itemId={id} assignments={asgs} loading={assignments.isPending} />
              ),
            },
            { key: 'milestones', label: t('items.milestones'), children: <Milestones item={it} /> },
            ...followUpTabs(it, asgs, t),
            { key: 'timeline', label: t('items.timeline'), children: <Events id={id} /> },
          ]}
        />
      </Card>
    </>
  )
}
