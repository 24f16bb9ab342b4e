import { KeyOutlined, PlusOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../api/client'
import { unitNameMap, useOrgTree } from '../api/org'
import { call, errorMessage } from '../api/problem'
import { useMe } from '../auth/auth'
import { ChangePasswordForm } from '../components/ChangePasswordForm'
import { PageHeader } from '../components/PageHeader'
import { EmptyState, ErrorState, Loading } from '../components/States'
import { roleLabels } from '../lib/roleLabels'
import { formatDateTime } from '../lib/time'
import { DelegationsCard } from './me/DelegationsCard'
import { CreateTokenModal, SecretModal, TOKENS_KEY } from './me/TokenModals'

type APIToken = Schemas['APIToken']
type CreatedAPIToken = Schemas['CreatedAPIToken']

function Profile() {
  const { t } = useTranslation()
  const me = useMe()
  const tree = useOrgTree()
  if (me.isPending) return <Loading />
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />
  const names = unitNameMap(tree.data?.data)
  const unitList = (ids: string[] | undefined) =>
    ids && ids.length > 0 ? ids.map((id) => <Tag key={id}>{names.get(id) ?? id.slice(0, 8)}</Tag>) : t('common.none')
  const u = me.data
  return (
    <Descriptions column={{ xs: 1, sm: 1, md: 2 }} bordered size="small" data-testid="profile">
      <Descriptions.Item label={t('users.username')}>{u.username}</Descriptions.Item>
      <Descriptions.Item label={t('me.displayName')}>{u.display_name}</Descriptions.Item>
      <Descriptions.Item label={t('me.unit')}>
        {u.org_unit_name}
        {u.is_supervision_office && (
          <Tag color="red" style={{ marginLeft: 8 }}>
            {t('me.supervisionOffice')}
          </Tag>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('me.roles')}>
        {roleLabels(u.roles, { head: u.head_of.length > 0, liaison: u.liaison_of.length > 0 }, t).map((label) => (
          <Tag key={label} color="blue">
            {label}
          </Tag>
        ))}
      </Descriptions.Item>
      <Descriptions.Item label={t('me.jobTitle')}>{u.title || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('me.email')}>{u.email || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('me.phone')}>{u.phone || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('me.headOf')}>{unitList(u.head_of)}</Descriptions.Item>
      <Descriptions.Item label={t('me.liaisonOf')}>{unitList(u.liaison_of)}</Descriptions.Item>
    </Descriptions>
  )
}

function Tokens() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [page, setPage] = useState(1)
  const [creating, setCreating] = useState(false)
  // the secret lives only in this state, until its dialog has closed
  const [created, setCreated] = useState<CreatedAPIToken | null>(null)
  const [secretOpen, setSecretOpen] = useState(false)
  const list = useQuery({
    queryKey: [...TOKENS_KEY, page],
    queryFn: () => call(api.GET('/me/tokens', { params: { query: { page, page_size: 20 } } })),
  })
  const revoke = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/me/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      void message.success(t('tokens.revoked'))
      void qc.invalidateQueries({ queryKey: TOKENS_KEY })
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  return (
    <Card
      title={
        <Space>
          <KeyOutlined />
          {t('tokens.title')}
        </Space>
      }
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
          {t('tokens.create')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('tokens.hint')}</Typography.Paragraph>
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<APIToken>
          rowKey={(r) => r.id}
          loading={list.isPending}
          dataSource={list.data?.data ?? []}
          scroll={{ x: 700 }}
          size="middle"
          data-testid="token-table"
          locale={{ emptyText: <EmptyState description={t('tokens.empty')} /> }}
          pagination={{
            current: page,
            pageSize: 20,
            total: list.data?.total ?? 0,
            onChange: setPage,
            hideOnSinglePage: true,
          }}
          columns={[
            { title: t('tokens.name'), dataIndex: 'name' },
            { title: t('tokens.prefix'), dataIndex: 'prefix', render: (v: string) => <Typography.Text code>{v}…</Typography.Text> },
            {
              title: t('tokens.scopes'),
              dataIndex: 'scopes',
              render: (v: string[] | undefined) => (v ?? []).map((s) => <Tag key={s}>{t(`tokens.scope_${s}`, { defaultValue: s })}</Tag>),
            },
            { title: t('tokens.expiresAt'), dataIndex: 'expires_at', render: (v?: string | null) => (v ? formatDateTime(v) : t('tokens.never')) },
            { title: t('tokens.lastUsed'), dataIndex: 'last_used_at', render: (v?: string | null) => formatDateTime(v) },
            { title: t('tokens.createdAt'), dataIndex: 'created_at', render: (v?: string) => formatDateTime(v) },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right',
              render: (_, r) => (
                <Popconfirm
                  title={t('tokens.revokeConfirm', { name: r.name })}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => r.id && revoke.mutateAsync(r.id).catch(() => undefined)}
                >
                  <Button danger type="link" size="small" data-testid={`token-revoke-${r.name}`}>
                    {t('tokens.revoke')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
      <CreateTokenModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(tok) => {
          setCreating(false)
          setCreated(tok)
          setSecretOpen(true)
        }}
      />
      <SecretModal token={created} open={secretOpen} onClose={() => setSecretOpen(false)} afterClose={() => setCreated(null)} />
    </Card>
  )
}

export default function MePage() {
  const { t } = useTranslation()
  // Personal API tokens are for the roles the server allows them (may_have_tokens).
  const me = useMe()
  return (
    <>
      <PageHeader title={t('me.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('me.profile')}>
            <Profile />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('me.security')}>
            <ChangePasswordForm />
          </Card>
        </Col>
        <Col span={24}>
          <DelegationsCard />
        </Col>
        {me.data?.may_have_tokens && (
          <Col span={24}>
            <Tokens />
          </Col>
        )}
      </Row>
    </>
  )
}
