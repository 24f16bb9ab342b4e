import { ApartmentOutlined, ArrowLeftOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Tree,
  TreeSelect,
  Typography,
} from 'antd'
import type { DataNode } from 'antd/es/tree'
import { useDeferredValue, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, type Schemas } from '../../api/client'
import { flattenUnits, useOrgTree, type OrgUnit } from '../../api/org'
import { ApiError, call, errorMessage } from '../../api/problem'
import { hasRole, useMe } from '../../auth/auth'
import { PageHeader } from '../../components/PageHeader'
import { ForbiddenState } from '../../components/ResultStates'
import { ErrorState, Loading } from '../../components/States'
import { postsFromTree, roleLabels } from '../../lib/roleLabels'
import { HandoverFields } from './HandoverFields'
import { unitTreeSelectData } from './UnitsPanel'

type User = Schemas['User']
type BulkRequest = Schemas['BulkUsersRequest']
type Role = NonNullable<BulkRequest['roles']>[number]
const ROLES: Role[] = ['admin', 'supervisor', 'leader', 'member', 'auditor']
/** the most people one bulk action takes (the API's limit) */
export const MAX_BULK = 1000
const PAGE_SIZE = 50

/** The unit tree as antd Tree nodes, keeping the units whose name (or a
 * descendant's) contains filter. */
export function unitNodes(units: readonly OrgUnit[] | undefined, filter: string, t: (k: string) => string): DataNode[] {
  const f = filter.trim().toLowerCase()
  const walk = (us: readonly OrgUnit[]): DataNode[] =>
    us.flatMap((u) => {
      const children = walk(u.children ?? [])
      const hit = !f || u.name.toLowerCase().includes(f) || u.short_name.toLowerCase().includes(f)
      if (!hit && children.length === 0) return []
      return [
        {
          key: u.id,
          title: (
            <span data-testid={`chart-unit-${u.name}`}>
              {u.name} {u.kind !== 'department' && <Tag style={{ marginInlineStart: 4 }}>{t(`org.kind_${u.kind}`)}</Tag>}
            </span>
          ),
          children,
        },
      ]
    })
  return walk(units ?? [])
}

interface Filters {
  unit?: string
  subtree: boolean
  q: string
  role?: Role
  active: 'true' | 'false' | 'all'
}

function usersQuery(f: Filters, page: number, pageSize = PAGE_SIZE) {
  return call(
    api.GET('/users', {
      params: {
        query: {
          org_unit_id: f.unit,
          subtree: f.unit ? f.subtree : undefined,
          q: f.q || undefined,
          role: f.role,
          active: f.active === 'all' ? undefined : f.active === 'true',
          page,
          page_size: pageSize,
          sort: 'display_name',
        },
      },
    }),
  )
}

/** Everyone matching the filters (at most MAX_BULK), for "select all". */
async function allMatching(f: Filters, total: number): Promise<string[]> {
  const pages = Math.ceil(Math.min(total, MAX_BULK) / 100)
  const lists = await Promise.all(Array.from({ length: pages }, (_, i) => usersQuery(f, i + 1, 100)))
  return lists.flatMap((l) => l.data.map((u) => u.id)).filter(Boolean)
}

type Action = 'move' | 'deactivate' | 'activate' | 'set_roles'
interface BulkValues {
  org_unit_id?: string
  roles?: Role[]
  roles_mode?: 'replace' | 'add' | 'remove'
  handover?: Schemas['HandoverSuccessors']
}

function BulkModal({ action, ids, roots, onClose, onDone }: { action: Action; ids: string[]; roots?: OrgUnit[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<BulkValues>()
  const moveTo = Form.useWatch('org_unit_id', form)
  const [error, setError] = useState<string | null>(null)
  const run = useMutation({
    mutationFn: (v: BulkValues) =>
      call(api.POST('/users/bulk', { body: { user_ids: ids, action, ...v } })),
    onSuccess: (res) => {
      void message.success(t('orgAdmin.done', { changed: res.changed?.length, unchanged: res.unchanged?.length }))
      onDone()
    },
    onError: (e) => {
      let who = errorMessage(e, t)
      if (e instanceof ApiError) {
        const idx = (e.problem as { index?: number }).index
        const field = e.problem.errors?.[0]?.field ?? ''
        const m = /^user_ids\[(\d+)\]/.exec(field)
        const i = typeof idx === 'number' ? idx : m ? Number(m[1]) : undefined
        if (i !== undefined) who = `${t('orgAdmin.personAt', { index: i + 1 })}: ${who}`
      }
      setError(t('orgAdmin.bulkFailed', { who }))
    },
  })
  const title =
    action === 'move'
      ? t('orgAdmin.moveTitle', { count: ids.length })
      : action === 'set_roles'
        ? t('orgAdmin.setRolesTitle', { count: ids.length })
        : action === 'deactivate'
          ? t('orgAdmin.deactivate')
          : t('orgAdmin.activate')
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={run.isPending}
      okButtonProps={{ danger: action === 'deactivate', 'data-testid': 'bulk-ok' }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="bulk-error" />}
      <Form form={form} layout="vertical" initialValues={{ roles_mode: 'add' }} onFinish={(v) => run.mutate(v)}>
        {action === 'move' && (
          <Form.Item name="org_unit_id" label={t('orgAdmin.moveTarget')} rules={[{ required: true, message: t('rules.required') }]}>
            <TreeSelect treeData={unitTreeSelectData(roots)} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="bulk-unit" />
          </Form.Item>
        )}
        {action === 'set_roles' && (
          <>
            <Form.Item name="roles_mode" label={t('orgAdmin.rolesMode')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'add', label: t('orgAdmin.modeAdd') },
                  { value: 'remove', label: t('orgAdmin.modeRemove') },
                  { value: 'replace', label: t('orgAdmin.modeReplace') },
                ]}
              />
            </Form.Item>
            <Form.Item name="roles" label={t('orgAdmin.roles')} rules={[{ required: true, message: t('rules.required') }]}>
              <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} data-testid="bulk-roles" />
            </Form.Item>
          </>
        )}
        {action === 'deactivate' && <Typography.Paragraph>{t('orgAdmin.deactivateConfirm', { count: ids.length })}</Typography.Paragraph>}
        {action === 'deactivate' && <HandoverFields userIds={ids} />}
        {action === 'move' && moveTo && <HandoverFields userIds={ids} toUnit={moveTo} />}
        {action === 'activate' && <Typography.Paragraph>{t('orgAdmin.activateConfirm', { count: ids.length })}</Typography.Paragraph>}
      </Form>
    </Modal>
  )
}

function UnitCard({ unit, count }: { unit: OrgUnit; count?: number }) {
  const { t } = useTranslation()
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="chart-unit-card">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        title={
          <Space>
            <ApartmentOutlined />
            {unit.name}
            <Tag>{t(`org.kind_${unit.kind}`)}</Tag>
          </Space>
        }
        items={[
          { key: 'head', label: t('orgAdmin.head'), children: unit.head?.display_name ?? t('orgAdmin.noHead') },
          {
            key: 'liaisons',
            label: t('orgAdmin.liaisons'),
            children: unit.liaisons?.length ? unit.liaisons.map((l) => l.display_name).join('、') : t('common.none'),
          },
          { key: 'count', label: t('orgAdmin.people'), children: count === undefined ? '…' : t('orgAdmin.peopleCount', { count }) },
        ]}
      />
    </Card>
  )
}

export default function OrgChartPage() {
  const { t } = useTranslation()
  const me = useMe()
  const qc = useQueryClient()
  const tree = useOrgTree()
  const postsOf = useMemo(() => postsFromTree(tree.data?.data), [tree.data])
  const [unitFilter, setUnitFilter] = useState('')
  const [filters, setFilters] = useState<Filters>({ subtree: true, q: '', active: 'true' })
  const q = useDeferredValue(filters.q)
  const [page, setPage] = useState(1)
  const [selected, setSelected] = useState<string[]>([])
  const [action, setAction] = useState<Action | null>(null)
  const [selectingAll, setSelectingAll] = useState(false)
  const effective = { ...filters, q }
  const list = useQuery({
    queryKey: ['users', 'chart', effective, page],
    queryFn: () => usersQuery(effective, page),
    placeholderData: keepPreviousData,
    enabled: hasRole(me.data, 'admin'),
  })
  const units = useMemo(() => new Map(flattenUnits(tree.data?.data).map(({ unit }) => [unit.id, unit])), [tree.data])
  const nodes = useMemo(() => unitNodes(tree.data?.data, unitFilter, t), [tree.data, unitFilter, t])

  if (me.isPending) return <Loading />
  if (!hasRole(me.data, 'admin')) return <ForbiddenState />
  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }))
    setPage(1)
  }
  const total = list.data?.total ?? 0
  const unit = filters.unit ? units.get(filters.unit) : undefined
  const done = () => {
    setAction(null)
    setSelected([])
    void qc.invalidateQueries({ queryKey: ['users'] })
    void qc.invalidateQueries({ queryKey: ['org-units'] })
  }

  return (
    <>
      <PageHeader
        title={t('orgAdmin.chart')}
        extra={
          <Space wrap>
            <Link to="/org">
              <Button icon={<ArrowLeftOutlined />}>{t('orgAdmin.backToOrg')}</Button>
            </Link>
            <Link to="/org/import">
              <Button icon={<UploadOutlined />}>{t('orgAdmin.import')}</Button>
            </Link>
          </Space>
        }
      />
      <Flex gap={16} align="flex-start" wrap>
        <Card size="small" style={{ flex: '1 1 260px', maxWidth: 360 }} title={t('org.units')}>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('orgAdmin.searchUnits')}
            value={unitFilter}
            onChange={(e) => setUnitFilter(e.target.value)}
            style={{ marginBottom: 8 }}
            aria-label={t('orgAdmin.searchUnits')}
          />
          <Button type={filters.unit ? 'link' : 'primary'} size="small" onClick={() => set({ unit: undefined })} style={{ marginBottom: 8 }}>
            {t('orgAdmin.allUnits')}
          </Button>
          {tree.isPending ? (
            <Loading />
          ) : tree.isError ? (
            <ErrorState error={tree.error} onRetry={() => void tree.refetch()} />
          ) : (
            <Tree
              treeData={nodes}
              defaultExpandAll
              blockNode
              selectedKeys={filters.unit ? [filters.unit] : []}
              onSelect={(keys) => set({ unit: keys[0] ? String(keys[0]) : undefined })}
              style={{ maxHeight: '65vh', overflow: 'auto' }}
              data-testid="chart-tree"
            />
          )}
        </Card>
        <div style={{ flex: '3 1 480px', minWidth: 0 }}>
          {unit && <UnitCard unit={unit} count={list.isFetching ? undefined : total} />}
          <Flex gap={8} wrap style={{ marginBottom: 12 }}>
            <Input
              allowClear
              prefix={<SearchOutlined />}
              placeholder={t('orgAdmin.searchPeople')}
              aria-label={t('orgAdmin.searchPeople')}
              value={filters.q}
              onChange={(e) => set({ q: e.target.value })}
              style={{ width: 260 }}
              data-testid="chart-search"
            />
            <Select
              allowClear
              placeholder={t('orgAdmin.anyRole')}
              value={filters.role}
              onChange={(v: Role | undefined) => set({ role: v })}
              options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              style={{ width: 140 }}
              aria-label={t('orgAdmin.roleFilter')}
            />
            <Select
              value={filters.active}
              onChange={(v: Filters['active']) => set({ active: v })}
              options={[
                { value: 'true', label: t('orgAdmin.statusActive') },
                { value: 'false', label: t('orgAdmin.statusInactive') },
                { value: 'all', label: t('orgAdmin.statusAll') },
              ]}
              style={{ width: 110 }}
              aria-label={t('orgAdmin.statusFilter')}
            />
            {filters.unit && (
              <Checkbox checked={filters.subtree} onChange={(e) => set({ subtree: e.target.checked })}>
                {t('orgAdmin.includeSub')}
              </Checkbox>
            )}
          </Flex>
          {selected.length > 0 && (
            <Alert
              type="info"
              style={{ marginBottom: 12 }}
              data-testid="bulk-bar"
              title={
                <Flex gap={8} wrap align="center">
                  <span data-testid="bulk-count">{t('orgAdmin.selected', { count: selected.length })}</span>
                  <Button size="small" onClick={() => setAction('move')} data-testid="bulk-move">
                    {t('orgAdmin.move')}
                  </Button>
                  <Button size="small" onClick={() => setAction('set_roles')} data-testid="bulk-set-roles">
                    {t('orgAdmin.setRoles')}
                  </Button>
                  <Button size="small" danger onClick={() => setAction('deactivate')} data-testid="bulk-deactivate">
                    {t('orgAdmin.deactivate')}
                  </Button>
                  <Button size="small" onClick={() => setAction('activate')} data-testid="bulk-activate">
                    {t('orgAdmin.activate')}
                  </Button>
                  <Button size="small" type="link" onClick={() => setSelected([])}>
                    {t('orgAdmin.clearSelection')}
                  </Button>
                </Flex>
              }
            />
          )}
          {total > PAGE_SIZE && selected.length < Math.min(total, MAX_BULK) && (
            <Typography.Paragraph style={{ marginBottom: 8 }}>
              {total <= MAX_BULK ? (
                <Button
                  size="small"
                  type="link"
                  loading={selectingAll}
                  style={{ padding: 0 }}
                  data-testid="select-all"
                  onClick={() => {
                    setSelectingAll(true)
                    void allMatching(effective, total)
                      .then(setSelected)
                      .finally(() => setSelectingAll(false))
                  }}
                >
                  {t('orgAdmin.selectAll', { count: total })}
                </Button>
              ) : (
                <Typography.Text type="secondary">{t('orgAdmin.selectAllTooMany', { max: MAX_BULK })}</Typography.Text>
              )}
            </Typography.Paragraph>
          )}
          {list.isError ? (
            <ErrorState error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <Table<User>
              rowKey={(u) => u.id}
              size="small"
              loading={list.isFetching}
              dataSource={list.data?.data ?? []}
              locale={{ emptyText: <Empty description={t('common.empty')} /> }}
              scroll={{ x: 720 }}
              data-testid="chart-people"
              rowSelection={{
                selectedRowKeys: selected,
                preserveSelectedRowKeys: true,
                onChange: (keys) => setSelected(keys.map(String).slice(0, MAX_BULK)),
              }}
              pagination={{
                current: page,
                pageSize: PAGE_SIZE,
                total,
                showSizeChanger: false,
                showTotal: (n) => t('common.total', { count: n }),
                onChange: setPage,
              }}
              columns={[
                { key: 'employee_no', title: t('orgAdmin.employeeNo'), render: (_, u) => u.employee_no ?? '—', width: 110 },
                {
                  key: 'name',
                  title: t('orgAdmin.name'),
                  render: (_, u) => (
                    <span>
                      {u.display_name} {!u.active && <Tag color="default">{t('orgAdmin.statusInactive')}</Tag>}
                    </span>
                  ),
                },
                { key: 'username', title: t('orgAdmin.username'), dataIndex: 'username' },
                { key: 'unit', title: t('orgAdmin.unit'), dataIndex: 'org_unit_name' },
                {
                  key: 'roles',
                  title: t('orgAdmin.roles'),
                  render: (_, u) => roleLabels(u.roles, postsOf(u.id), t).map((label) => <Tag key={label}>{label}</Tag>),
                },
              ]}
            />
          )}
        </div>
      </Flex>
      {action && <BulkModal action={action} ids={selected} roots={tree.data?.data} onClose={() => setAction(null)} onDone={done} />}
    </>
  )
}
