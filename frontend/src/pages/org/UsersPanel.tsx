import { EditOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Col, Form, Input, Modal, Row, Select, Space, Switch, Table, Tag, TreeSelect } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { api, type Schemas } from '../../api/client'
import { useOrgTree } from '../../api/org'
import { call } from '../../api/problem'
import { applyFormError } from '../../components/formErrors'
import { EmptyState, ErrorState } from '../../components/States'
import { postsFromTree, roleLabels } from '../../lib/roleLabels'
import { HandoverFields } from './HandoverFields'
import { unitTreeSelectData } from './UnitsPanel'

type User = Schemas['User']
type Role = NonNullable<Schemas['CreateUserRequest']['roles']>[number]
const ROLES: Role[] = ['admin', 'supervisor', 'leader', 'member', 'auditor']
const USERS_KEY = ['users'] as const

interface UserValues {
  username: string
  display_name: string
  password?: string
  org_unit_id: string
  roles: Role[]
  email?: string
  phone?: string
  title?: string
  active?: boolean
  handover?: Schemas['HandoverSuccessors']
}

function UserModal({ user, onClose }: { user?: User; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const tree = useOrgTree()
  const [form] = Form.useForm<UserValues>()
  const activeNow = Form.useWatch('active', form)
  const unitNow = Form.useWatch('org_unit_id', form)
  const [error, setError] = useState<string | null>(null)
  const editing = !!user
  const save = useMutation({
    mutationFn: (v: UserValues) =>
      editing
        ? call(
            api.PATCH('/users/{id}', {
              params: { path: { id: user.id } },
              body: {
                display_name: v.display_name,
                org_unit_id: v.org_unit_id,
                roles: v.roles,
                email: v.email ?? '',
                phone: v.phone ?? '',
                title: v.title ?? '',
                active: v.active,
                handover: v.handover,
                version: user.version,
              },
            }),
          )
        : call(
            api.POST('/users', {
              body: {
                username: v.username.trim(),
                display_name: v.display_name,
                password: v.password ?? '',
                org_unit_id: v.org_unit_id,
                roles: v.roles,
                email: v.email || undefined,
                phone: v.phone || undefined,
                title: v.title || undefined,
              },
            }),
          ),
    onSuccess: () => {
      void message.success(t('common.saved'))
      void qc.invalidateQueries({ queryKey: USERS_KEY })
      onClose()
    },
    onError: (e) => setError(applyFormError(form, e, t)),
  })
  const initial: Partial<UserValues> = user
    ? {
        username: user.username,
        display_name: user.display_name,
        org_unit_id: user.org_unit_id,
        roles: user.roles as Role[],
        email: user.email,
        phone: user.phone,
        title: user.title,
        active: user.active,
      }
    : { roles: ['member'] }
  return (
    <Modal
      open
      title={editing ? t('users.editUser') : t('users.newUser')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={600}
      okButtonProps={{ 'data-testid': 'user-save' }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="username" label={t('users.username')} rules={[{ required: true, message: t('rules.required') }]}>
              <Input disabled={editing} autoComplete="off" data-testid="user-username" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="display_name" label={t('users.displayName')} rules={[{ required: true, message: t('rules.required') }]}>
              <Input data-testid="user-display-name" />
            </Form.Item>
          </Col>
        </Row>
        {!editing && (
          <Form.Item name="password" label={t('users.password')} extra={t('auth.passwordHint')} rules={[{ required: true, message: t('rules.required') }]}>
            <Input.Password autoComplete="new-password" data-testid="user-password" />
          </Form.Item>
        )}
        <Form.Item name="org_unit_id" label={t('users.unit')} rules={[{ required: true, message: t('rules.required') }]}>
          <TreeSelect treeData={unitTreeSelectData(tree.data?.data)} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} loading={tree.isPending} data-testid="user-unit" />
        </Form.Item>
        <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true, message: t('rules.required') }]}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item name="title" label={t('users.jobTitle')}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="email" label={t('users.email')}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="phone" label={t('users.phone')}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        {editing && (
          <Form.Item name="active" label={t('users.active')} valuePropName="checked">
            <Switch checkedChildren={t('users.activeOn')} unCheckedChildren={t('users.activeOff')} />
          </Form.Item>
        )}
        {editing && user.id && user.active && activeNow === false && <HandoverFields userIds={[user.id]} />}
        {editing && user.id && user.active && activeNow !== false && unitNow && unitNow !== user.org_unit_id && (
          <HandoverFields userIds={[user.id]} toUnit={unitNow} />
        )}
      </Form>
    </Modal>
  )
}

function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm<{ password: string }>()
  const [error, setError] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (v: { password: string }) =>
      call(api.PATCH('/users/{id}', { params: { path: { id: user.id } }, body: { password: v.password, version: user.version } })),
    onSuccess: () => {
      void message.success(t('users.passwordReset'))
      void qc.invalidateQueries({ queryKey: USERS_KEY })
      onClose()
    },
    onError: (e) => setError(applyFormError(form, e, t)),
  })
  return (
    <Modal
      open
      title={`${t('users.resetPassword')} · ${user.display_name ?? user.username}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('users.resetPasswordHint')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="password" label={t('users.newPassword')} extra={t('auth.passwordHint')} rules={[{ required: true, message: t('rules.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** Filters live in the URL: ?tab=users&q=&unit_filter=&role=&active=&page= */
export function UsersPanel({ canCreate }: { canCreate: boolean }) {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const tree = useOrgTree()
  const postsOf = postsFromTree(tree.data?.data)
  const [editing, setEditing] = useState<User | 'new' | null>(null)
  const [resetting, setResetting] = useState<User | null>(null)
  const q = params.get('q') ?? ''
  const unit = params.get('unit_filter') ?? undefined
  const role = (params.get('role') ?? undefined) as Role | undefined
  const activeParam = params.get('active')
  const active = activeParam === 'true' ? true : activeParam === 'false' ? false : undefined
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1)
  const pageSize = 20
  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    if (key !== 'page') next.delete('page')
    setParams(next, { replace: true })
  }
  const list = useQuery({
    queryKey: [...USERS_KEY, { q, unit, role, active, page }],
    queryFn: () =>
      call(
        api.GET('/users', {
          params: { query: { q: q || undefined, org_unit_id: unit, role, active, page, page_size: pageSize } },
        }),
      ),
    placeholderData: keepPreviousData,
  })
  return (
    <Card
      title={t('users.title')}
      extra={
        canCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="user-create">
            {t('users.newUser')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          key={`q-${q}`}
          defaultValue={q}
          allowClear
          placeholder={t('users.searchPlaceholder')}
          onSearch={(v) => setFilter('q', v.trim() || undefined)}
          style={{ width: 220 }}
          data-testid="user-search"
        />
        <TreeSelect
          value={unit}
          onChange={(v?: string) => setFilter('unit_filter', v)}
          treeData={unitTreeSelectData(tree.data?.data)}
          treeDefaultExpandAll
          allowClear
          placeholder={t('users.allUnits')}
          aria-label={t('users.filterUnit')}
          style={{ width: 200 }}
          showSearch={{ treeNodeFilterProp: 'title' }}
        />
        <Select
          value={role}
          onChange={(v?: string) => setFilter('role', v)}
          allowClear
          placeholder={t('users.roles')}
          aria-label={t('users.filterRole')}
          style={{ width: 140 }}
          options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        />
        <Select
          value={activeParam ?? undefined}
          onChange={(v?: string) => setFilter('active', v)}
          allowClear
          placeholder={t('users.active')}
          aria-label={t('users.filterActive')}
          style={{ width: 120 }}
          options={[
            { value: 'true', label: t('users.activeOn') },
            { value: 'false', label: t('users.activeOff') },
          ]}
        />
      </Space>
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<User>
          rowKey={(r) => r.id}
          loading={list.isFetching}
          dataSource={list.data?.data ?? []}
          size="middle"
          scroll={{ x: 860 }}
          data-testid="user-table"
          locale={{ emptyText: <EmptyState /> }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showTotal: (n) => t('common.total', { count: n }),
            showSizeChanger: false,
            onChange: (p) => setFilter('page', p > 1 ? String(p) : undefined),
          }}
          columns={[
            { title: t('users.username'), dataIndex: 'username' },
            { title: t('users.displayName'), dataIndex: 'display_name' },
            { title: t('users.unit'), dataIndex: 'org_unit_name' },
            {
              title: t('users.roles'),
              dataIndex: 'roles',
              render: (v: string[] | undefined, r: User) =>
                roleLabels(v ?? [], postsOf(r.id), t).map((label) => <Tag key={label}>{label}</Tag>),
            },
            { title: t('users.jobTitle'), dataIndex: 'title' },
            {
              title: t('users.active'),
              dataIndex: 'active',
              render: (v?: boolean) => (v ? <Tag color="green">{t('users.activeOn')}</Tag> : <Tag>{t('users.activeOff')}</Tag>),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right',
              render: (_, r) =>
                r.allowed_actions.includes('update') && (
                  <Space size={0}>
                    <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                      {t('common.edit')}
                    </Button>
                    <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => setResetting(r)}>
                      {t('users.resetPassword')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      )}
      {editing && <UserModal user={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      {resetting && <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />}
    </Card>
  )
}
