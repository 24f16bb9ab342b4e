import { PlusOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { Button, Space, Table, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { api } from '../../../api/client'
import { unitNameMap, useOrgTree } from '../../../api/org'
import { call } from '../../../api/problem'
import { ErrorState } from '../../../components/States'
import { Deadline, ItemProgress, StateTag, type Item } from '../ui'

/** The item's sub-items (分解) and, when the API allows it, the way to add one. */
export function SubItems({ item }: { item: Item }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const id = item.id
  const tree = useOrgTree()
  const names = unitNameMap(tree.data?.data)
  const kids = useQuery({
    queryKey: ['items', 'list', { parent_id: id }],
    queryFn: () => call(api.GET('/items', { params: { query: { parent_id: id, page_size: 100, sort: 'deadline' } } })),
  })
  const canAdd = item.allowed_actions.includes('add_sub_item')
  return (
    <section aria-labelledby="sub-items-title" style={{ marginTop: 24 }} data-testid="sub-items">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={5} id="sub-items-title" style={{ margin: 0 }}>
          {t('notice.subItems')}
        </Typography.Title>
        {canAdd && (
          <Button icon={<PlusOutlined />} data-testid="sub-item-add" onClick={() => void navigate(`/items/new?parent_id=${id}`)}>
            {t('notice.addSubItem')}
          </Button>
        )}
      </Space>
      <Typography.Paragraph type="secondary">{t('notice.subItemsHelp')}</Typography.Paragraph>
      {kids.isError ? (
        <ErrorState error={kids.error} onRetry={() => void kids.refetch()} />
      ) : (
        <Table<Item>
          rowKey={(r) => r.id}
          size="small"
          loading={kids.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={kids.data?.data ?? []}
          locale={{ emptyText: t('notice.noSubItems') }}
          columns={[
            { key: 'code', title: t('items.code'), render: (_, r) => r.code ?? '—' },
            { key: 'title', title: t('items.itemTitle'), render: (_, r) => <Link to={`/items/${r.id}`}>{r.title}</Link> },
            { key: 'state', title: t('items.state'), render: (_, r) => <StateTag state={r.state} /> },
            { key: 'lead', title: t('items.leadUnit'), render: (_, r) => (r.lead_unit_id ? (names.get(r.lead_unit_id) ?? '…') : '—') },
            { key: 'deadline', title: t('items.deadline'), render: (_, r) => <Deadline item={r} /> },
            { key: 'progress', title: t('items.progress'), width: 160, render: (_, r) => <ItemProgress value={r.progress} /> },
          ]}
        />
      )}
    </section>
  )
}
