import { PlusOutlined } from '@ant-design/icons'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Button, Card, Checkbox, DatePicker, Grid, Input, Pagination, Select, Space, Table, TreeSelect, Typography } from 'antd'
import type { SorterResult } from 'antd/es/table/interface'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { api } from '../../api/client'
import { unitNameMap, useOrgTree } from '../../api/org'
import { call } from '../../api/problem'
import { hasRole, useMe } from '../../auth/auth'
import { PageHeader } from '../../components/PageHeader'
import { SimpleList } from '../../components/SimpleList'
import { EmptyState, ErrorState, Loading } from '../../components/States'
import { dayjs } from '../../lib/time'
import { unitTreeSelectData } from '../org/UnitsPanel'
import { activeFilterCount, DEFAULT_PAGE_SIZE, filtersFromSearch, filtersToSearch, toApiQuery, withFilter, type ItemQuery } from './filters'
import { BulkActions } from './BulkActions'
import { LedgerActions } from './LedgerActions'
import { UserSelect } from '../org/UserSelect'
import { Deadline, ItemFlags, ItemProgress, ITEM_STATES, Light, StateTag, type Item } from './ui'

function sortOrder(sort: string | undefined, key: string): 'ascend' | 'descend' | null {
  const first = (sort ?? '').split(',')[0]
  if (first === key) return 'ascend'
  if (first === `-${key}`) return 'descend'
  return null
}

export default function ItemsListPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const me = useMe()
  const [params, setParams] = useSearchParams()
  const filters = useMemo(() => filtersFromSearch(params), [params])
  const tree = useOrgTree()
  const names = useMemo(() => unitNameMap(tree.data?.data), [tree.data])
  const set = (patch: Partial<ItemQuery>) => setParams(filtersToSearch(withFilter(filters, patch)), { replace: true })
  const list = useQuery({
    queryKey: ['items', 'list', filters],
    queryFn: () => call(api.GET('/items', { params: { query: toApiQuery(filters) } })),
    placeholderData: keepPreviousData,
  })
  // Creating has no object to carry allowed_actions: POST /items is open to
  // members, supervisors and leaders (admins and auditors may not).
  const mayCreate = ['member', 'supervisor', 'leader'].some((r) => hasRole(me.data, r))
  const states = filters.state ? filters.state.split(',') : []
  // phones get cards instead of a wide table
  const office = hasRole(me.data, 'supervisor')
  const [selectedIds, setSelectedIds] = useState<string[]>([])
  // the selection column is shown on demand: the everyday list stays a plain table
  const [selecting, setSelecting] = useState(false)
  const selected = (list.data?.data ?? []).filter((r) => selectedIds.includes(r.id))
  const pageAll = (list.data?.data ?? []).length > 0 && selected.length === (list.data?.data ?? []).length
  const screens = Grid.useBreakpoint()
  const phone = Object.keys(screens).length > 0 && !screens.md

  return (
    <>
      <PageHeader
        title={t('items.title')}
        extra={
          <Space wrap>
            <LedgerActions filters={filters} mayImport={mayCreate} />
            {mayCreate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/items/new')} data-testid="item-create">
                {t('items.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Card styles={{ body: { paddingBottom: 8 } }}>
        <Space wrap style={{ marginBottom: 12 }} data-testid="item-filters">
          <Input.Search
            key={`q-${filters.q ?? ''}`}
            defaultValue={filters.q}
            allowClear
            placeholder={t('items.searchPlaceholder')}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            style={{ width: 240 }}
            data-testid="item-search"
          />
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            allowClear
            maxTagCount="responsive"
            placeholder={t('items.allStates')}
            aria-label={t('items.state')}
            value={states}
            onChange={(v: string[]) => set({ state: v.length ? v.join(',') : undefined })}
            options={ITEM_STATES.map((s) => ({ value: s, label: t(`items.states.${s}`) }))}
            style={{ width: 220 }}
            data-testid="item-state-filter"
          />
          <Select
            allowClear
            placeholder={t('items.category')}
            aria-label={t('items.category')}
            value={filters.category}
            onChange={(v?: ItemQuery['category']) => set({ category: v })}
            options={(['important_matter', 'document'] as const).map((c) => ({ value: c, label: t(`items.categories.${c}`) }))}
            style={{ width: 120 }}
          />
          <Select
            allowClear
            placeholder={t('items.light')}
            aria-label={t('items.light')}
            value={filters.light}
            onChange={(v?: ItemQuery['light']) => set({ light: v })}
            options={(['red', 'yellow', 'blue', 'green'] as const).map((l) => ({ value: l, label: <Light light={l} /> }))}
            style={{ width: 110 }}
            data-testid="item-light-filter"
          />
          <TreeSelect
            allowClear
            placeholder={t('items.leadUnit')}
            aria-label={t('items.leadUnit')}
            value={filters.lead_unit_id}
            onChange={(v?: string) => set({ lead_unit_id: v })}
            treeData={unitTreeSelectData(tree.data?.data)}
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            style={{ width: 180 }}
          />
          <DatePicker.RangePicker
            value={[filters.deadline_from ? dayjs(filters.deadline_from) : null, filters.deadline_to ? dayjs(filters.deadline_to) : null]}
            onChange={(r) => set({ deadline_from: r?.[0]?.format('YYYY-MM-DD'), deadline_to: r?.[1]?.format('YYYY-MM-DD') })}
            allowEmpty={[true, true]}
            placeholder={[t('items.deadline'), t('items.deadline')]}
            style={{ width: 250 }}
          />
          <Select
            allowClear
            placeholder={t('items.filtersMore.source')}
            aria-label={t('items.filtersMore.source')}
            value={filters.source}
            onChange={(v?: string) => set({ source: v })}
            options={(
              ['board', 'party_group', 'leader_activity', 'group_meeting', 'special_meeting', 'leader_instruction', 'other', 'superior_instruction', 'subsidiary_request', 'emergency'] as const
            ).map((v) => ({ value: v, label: t(`items.sources.${v}`) }))}
            style={{ width: 140 }}
            data-testid="item-source-filter"
          />
          <div style={{ width: 160 }}>
            <UserSelect
              role="leader"
              placeholder={t('items.filtersMore.supervisingLeader')}
              value={filters.supervising_leader_id}
              onChange={(v) => set({ supervising_leader_id: typeof v === 'string' ? v : undefined })}
            />
          </div>
          <TreeSelect
            allowClear
            placeholder={t('items.filtersMore.cooperatingUnit')}
            aria-label={t('items.filtersMore.cooperatingUnit')}
            value={filters.cooperating_unit_id}
            onChange={(v?: string) => set({ cooperating_unit_id: v })}
            treeData={unitTreeSelectData(tree.data?.data)}
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            style={{ width: 180 }}
          />
          <Input.Search
            key={`doc-${filters.doc_number ?? ''}`}
            allowClear
            defaultValue={filters.doc_number}
            placeholder={t('items.filtersMore.docNumber')}
            aria-label={t('items.filtersMore.docNumber')}
            onSearch={(v) => set({ doc_number: v.trim() || undefined })}
            style={{ width: 180 }}
            data-testid="item-doc-number-filter"
          />
          <Input.Search
            key={`tag-${filters.tag ?? ''}`}
            allowClear
            defaultValue={filters.tag}
            placeholder={t('items.filtersMore.tag')}
            aria-label={t('items.filtersMore.tag')}
            onSearch={(v) => set({ tag: v.trim() || undefined })}
            style={{ width: 130 }}
          />
          <Checkbox checked={filters.overdue === true} onChange={(e) => set({ overdue: e.target.checked ? true : undefined })} data-testid="item-overdue-filter">
            {t('items.onlyOverdue')}
          </Checkbox>
          <Checkbox
            checked={filters.was_overdue === true}
            onChange={(e) => set({ was_overdue: e.target.checked ? true : undefined })}
            data-testid="item-was-overdue-filter"
          >
            {t('items.wasOverdueFilter')}
          </Checkbox>
          {activeFilterCount(filters) > 0 && (
            <Button type="link" onClick={() => setParams({}, { replace: true })} data-testid="item-clear-filters">
              {t('items.clearFilters')}
            </Button>
          )}
        </Space>
        {list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : phone ? (
          <>
            {list.isPending ? (
              <Loading />
            ) : (
              <SimpleList
                items={list.data?.data}
                keyOf={(r) => r.id}
                empty={<EmptyState />}
                render={(r) => (
                  <Space orientation="vertical" size={4} style={{ width: '100%' }} data-testid="item-card">
                    <Space wrap size={6}>
                      {r.code && <Typography.Text code>{r.code}</Typography.Text>}
                      <StateTag state={r.state} />
                      <Light light={r.light} />
                      <ItemFlags item={r} />
                    </Space>
                    <Link to={`/items/${r.id}`} style={{ fontSize: 15, fontWeight: 500 }}>
                      {r.title}
                    </Link>
                    <Space wrap size={12}>
                      <Typography.Text type="secondary">{r.lead_unit_id ? (names.get(r.lead_unit_id) ?? '…') : '—'}</Typography.Text>
                      <Deadline item={r} />
                    </Space>
                    <ItemProgress value={r.progress} />
                  </Space>
                )}
              />
            )}
            <Pagination
              style={{ marginTop: 12, textAlign: 'center' }}
              simple
              current={filters.page ?? 1}
              pageSize={filters.page_size ?? DEFAULT_PAGE_SIZE}
              total={list.data?.total ?? 0}
              hideOnSinglePage
              onChange={(page) => setParams(filtersToSearch({ ...filters, page }), { replace: true })}
            />
          </>
        ) : (
          <>
          {office && (
            <Space wrap style={{ marginBottom: 12 }}>
              <Button
                size="small"
                data-testid="item-bulk-toggle"
                onClick={() => {
                  setSelecting(!selecting)
                  setSelectedIds([])
                }}
              >
                {selecting ? t('items.bulk.stop') : t('items.bulk.start')}
              </Button>
            </Space>
          )}
          {office && selecting && <BulkActions selected={selected} onDone={() => setSelectedIds([])} />}
          <Table<Item>
            rowKey={(r) => r.id}
            rowSelection={
              office && selecting
                ? {
                    selectedRowKeys: selectedIds,
                    onChange: (keys) => setSelectedIds(keys.map(String)),
                    // every checkbox names its row for screen readers
                    getCheckboxProps: (r) => ({ 'aria-label': t('items.bulk.selectRow', { title: r.title }) }),
                    // antd's own select-all box is named "Select all" in every language
                    columnTitle: (
                      <Checkbox
                        aria-label={t('items.bulk.selectAll')}
                        data-testid="item-bulk-select-all"
                        checked={pageAll}
                        indeterminate={selected.length > 0 && !pageAll}
                        onChange={(e) => setSelectedIds(e.target.checked ? (list.data?.data ?? []).map((r) => r.id) : [])}
                      />
                    ),
                  }
                : undefined
            }
            loading={list.isFetching}
            dataSource={list.data?.data ?? []}
            size="middle"
            scroll={{ x: 1000 }}
            data-testid="item-table"
            locale={{ emptyText: <EmptyState /> }}
            onChange={(_p, _f, sorter) => {
              const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<Item> | undefined
              const key = typeof s?.columnKey === 'string' ? s.columnKey : undefined
              set({ sort: key && s?.order ? `${s.order === 'descend' ? '-' : ''}${key}` : undefined })
            }}
            pagination={{
              current: filters.page ?? 1,
              pageSize: filters.page_size ?? DEFAULT_PAGE_SIZE,
              total: list.data?.total ?? 0,
              // Above 10,000 matches the server estimates the total (total_is_estimate).
              showTotal: (n) => t(list.data?.total_is_estimate ? 'common.totalEstimate' : 'common.total', { count: n }),
              showSizeChanger: true,
              onChange: (page, size) =>
                setParams(filtersToSearch({ ...filters, page, page_size: size === DEFAULT_PAGE_SIZE ? undefined : size }), { replace: true }),
            }}
            columns={[
              {
                key: 'code',
                title: t('items.code'),
                dataIndex: 'code',
                width: 150,
                sorter: true,
                sortOrder: sortOrder(filters.sort, 'code'),
                render: (v?: string) => v || <Typography.Text type="secondary">—</Typography.Text>,
              },
              {
                key: 'title',
                title: t('items.itemTitle'),
                dataIndex: 'title',
                sorter: true,
                sortOrder: sortOrder(filters.sort, 'title'),
                render: (v: string | undefined, r) => <Link to={`/items/${r.id}`}>{v}</Link>,
              },
              {
                key: 'state',
                title: t('items.state'),
                dataIndex: 'state',
                width: 120,
                sorter: true,
                sortOrder: sortOrder(filters.sort, 'state'),
                render: (v: string | undefined, r: Item) => (
                  <Space size={4} wrap>
                    <StateTag state={v} />
                    <ItemFlags item={r} />
                  </Space>
                ),
              },
              { key: 'light', title: t('items.light'), dataIndex: 'light', width: 90, render: (v?: string) => <Light light={v} /> },
              {
                key: 'lead_unit',
                title: t('items.leadUnit'),
                dataIndex: 'lead_unit_id',
                width: 150,
                render: (v?: string) => (v ? (names.get(v) ?? '…') : '—'),
              },
              {
                key: 'deadline',
                title: t('items.deadline'),
                width: 160,
                sorter: true,
                sortOrder: sortOrder(filters.sort, 'deadline'),
                render: (_, r) => <Deadline item={r} />,
              },
              {
                key: 'progress',
                title: t('items.progress'),
                dataIndex: 'progress',
                width: 130,
                sorter: true,
                sortOrder: sortOrder(filters.sort, 'progress'),
                render: (v?: number) => <ItemProgress value={v} />,
              },
            ]}
          />
          </>
        )}
      </Card>
    </>
  )
}
