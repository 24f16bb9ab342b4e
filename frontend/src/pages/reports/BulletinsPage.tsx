import { PlusOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, DatePicker, Form, Modal, Segmented, Table, Tag } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { api } from '../../api/client'
import { call, errorMessage } from '../../api/problem'
import { hasRole, useMe } from '../../auth/auth'
import { PageHeader } from '../../components/PageHeader'
import { EmptyState, ErrorState } from '../../components/States'
import { companyToday, dayjs, formatDate } from '../../lib/time'
import { periodOf } from './period'
import type { Bulletin } from './BulletinBody'

type Kind = 'monthly' | 'quarterly' | 'special'

function NewBulletin({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const [kind, setKind] = useState<Kind>('monthly')
  const [day, setDay] = useState(companyToday())
  const [range, setRange] = useState<[string, string]>([periodOf('month', companyToday()).from, companyToday()])
  const create = useMutation({
    mutationFn: () => {
      const body =
        kind === 'special'
          ? { kind, from: range[0], to: range[1] }
          : { kind, period: periodOf(kind === 'monthly' ? 'month' : 'quarter', day).key }
      return call(api.POST('/bulletins', { body }))
    },
    onSuccess: (b) => {
      void qc.invalidateQueries({ queryKey: ['bulletins'] })
      void message.success(t('reports.bulletins.created'))
      onClose()
      void navigate(`/bulletins/${b.id}`)
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  return (
    <Modal
      open={open}
      title={t('reports.bulletins.new')}
      onCancel={onClose}
      okText={t('reports.bulletins.create')}
      confirmLoading={create.isPending}
      onOk={() => create.mutate()}
      okButtonProps={{ 'data-testid': 'bulletin-create-ok' }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('reports.bulletins.kind')}>
          <Segmented
            value={kind}
            onChange={(v) => setKind(v as Kind)}
            options={(['monthly', 'quarterly', 'special'] as const).map((k) => ({ value: k, label: t(`reports.bulletins.kinds.${k}`) }))}
            data-testid="bulletin-kind"
          />
        </Form.Item>
        <Form.Item label={t('reports.bulletins.period')}>
          {kind === 'special' ? (
            <DatePicker.RangePicker
              value={[dayjs(range[0]), dayjs(range[1])]}
              onChange={(r) => r?.[0] && r[1] && setRange([r[0].format('YYYY-MM-DD'), r[1].format('YYYY-MM-DD')])}
              allowClear={false}
            />
          ) : (
            <DatePicker
              picker={kind === 'monthly' ? 'month' : 'quarter'}
              value={dayjs(day)}
              allowClear={false}
              onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))}
              data-testid="bulletin-period"
            />
          )}
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** The bulletins of the scope: published ones for everyone, drafts for the office. */
export default function BulletinsPage() {
  const { t } = useTranslation()
  const me = useMe()
  const [open, setOpen] = useState(false)
  const [page, setPage] = useState(1)
  const list = useQuery({
    queryKey: ['bulletins', 'list', page],
    queryFn: () => call(api.GET('/bulletins', { params: { query: { page, page_size: 20 } } })),
  })
  const office = hasRole(me.data, 'supervisor')
  return (
    <>
      <PageHeader
        title={t('reports.bulletins.title')}
        extra={
          office && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="bulletin-new">
              {t('reports.bulletins.new')}
            </Button>
          )
        }
      />
      <Card>
        {list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<Bulletin>
            rowKey={(b) => b.id}
            loading={list.isPending}
            dataSource={list.data?.data ?? []}
            scroll={{ x: 700 }}
            locale={{ emptyText: <EmptyState description={t('reports.bulletins.empty')} /> }}
            data-testid="bulletin-table"
            pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true }}
            columns={[
              { key: 'doc', title: t('reports.bulletins.docNo'), dataIndex: 'doc_no', width: 200, render: (v?: string) => v || '—' },
              { key: 'title', title: t('reports.bulletins.titleLabel'), render: (_, b) => <Link to={`/bulletins/${b.id}`}>{b.title}</Link> },
              { key: 'kind', title: t('reports.bulletins.kind'), width: 110, render: (_, b) => t(`reports.bulletins.kinds.${b.kind ?? 'special'}`) },
              { key: 'period', title: t('reports.bulletins.period'), width: 200, render: (_, b) => `${b.period_from} ~ ${b.period_to}` },
              {
                key: 'state',
                title: t('items.state'),
                width: 100,
                render: (_, b) => <Tag color={b.state === 'published' ? 'green' : 'default'}>{t(`reports.bulletins.states.${b.state ?? 'draft'}`)}</Tag>,
              },
              { key: 'at', title: t('reports.bulletins.publishedAt'), width: 120, render: (_, b) => (b.published_at ? formatDate(b.published_at) : '—') },
            ]}
          />
        )}
      </Card>
      <NewBulletin open={open} onClose={() => setOpen(false)} />
    </>
  )
}
