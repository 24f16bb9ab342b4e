import { KeyOutlined, PlusOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../api/client'
import { flattenUnits, useOrgTree } from '../../api/org'
import { call, errorMessage } from '../../api/problem'
import { applyFormError } from '../../components/formErrors'
import { PageHeader } from '../../components/PageHeader'
import { EmptyState, ErrorState } from '../../components/States'
import { formatDateTime } from '../../lib/time'
import { CreateTokenModal, SecretModal } from '../me/TokenModals'

type Account = Schemas['ServiceAccount']
type APIToken = Schemas['APIToken']
type CreatedAPIToken = Schemas['CreatedAPIToken']
type CreateBody = Schemas['CreateServiceAccountRequest']
const ACCOUNTS_KEY = ['service-accounts'] as const
const ALL_TOKENS_KEY = ['tokens', 'all'] as const

function CreateAccountModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const [form] = Form.useForm<CreateBody>()
  const [error, setError] = useState<string | null>(null)
  const qc = useQueryClient()
  const tree = useOrgTree(open)
  const m = useMutation({
    mutationFn: (body: CreateBody) => call(api.POST('/service-accounts', { body })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ACCOUNTS_KEY })
      setError(null)
      onClose()
    },
    onError: (e) => setError(applyFormError(form, e, t)),
  })
  return (
    <Modal
      open={open}
      title={t('svc.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      confirmLoading={m.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'svc-create-ok' }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">{t('svc.createHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ role: 'member' }} onFinish={(v) => m.mutate(v)} preserve={false}>
        <Form.Item name="username" label={t('svc.username')} rules={[{ required: true, message: t('rules.required') }, { max: 64 }]}>
          <Input placeholder="oa-sync" data-testid="svc-username" />
        </Form.Item>
        <Form.Item name="display_name" label={t('svc.displayName')} rules={[{ required: true, message: t('rules.required') }, { max: 100 }]}>
          <Input data-testid="svc-display-name" />
        </Form.Item>
        <Form.Item name="org_unit_id" label={t('svc.unit')} extra={t('svc.unitHint')} rules={[{ required: true, message: t('rules.required') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="svc-unit"
            options={flattenUnits(tree.data?.data).map(({ unit, depth }) => ({
              value: unit.id,
              label: `${'　'.repeat(depth)}${unit.name}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="role" label={t('svc.role')}>
          <Select options={(['member', 'supervisor', 'leader', 'auditor'] as const).map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        <Form.Item name="description" label={t('svc.description')} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  )
}

function Accounts() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [page, setPage] = useState(1)
  const [creating, setCreating] = useState(false)
  const [issuing, setIssuing] = useState<Account | null>(null)
  // the secret lives only in this state, until its dialog has closed
  const [created, setCreated] = useState<CreatedAPIToken | null>(null)
  const list = useQuery({
    queryKey: [...ACCOUNTS_KEY, page],
    queryFn: () => call(api.GET('/service-accounts', { params: { query: { page, page_size: 20 } } })),
  })
  const done = () => {
    void qc.invalidateQueries({ queryKey: ACCOUNTS_KEY })
    void qc.invalidateQueries({ queryKey: ALL_TOKENS_KEY })
  }
  const setActive = useMutation({
    mutationFn: (v: { id: string; active: boolean }) =>
      call(api.PATCH('/service-accounts/{id}', { params: { path: { id: v.id } }, body: { active: v.active } })),
    onSuccess: done,
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  const remove = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/service-accounts/{id}', { params: { path: { id } } })),
    onSuccess: done,
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  return (
    <Card
      title={t('svc.accounts')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="svc-create">
          {t('svc.create')}
        </Button>
      }
    >
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<Account>
          rowKey="id"
          size="small"
          loading={list.isPending}
          dataSource={list.data?.data}
          data-testid="svc-table"
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <EmptyState description={t('svc.empty')} /> }}
          pagination={{ current: page, total: list.data?.total ?? 0, pageSize: 20, onChange: setPage }}
          columns={[
            { title: t('svc.username'), dataIndex: 'username' },
            { title: t('svc.displayName'), dataIndex: 'display_name' },
            {
              title: t('svc.unit'),
              key: 'unit',
              render: (_, a) => (
                <>
                  {a.org_unit_name} <Tag>{t(`svc.owner_${a.owner}`)}</Tag>
                </>
              ),
            },
            { title: t('svc.role'), dataIndex: 'roles', render: (v: string[]) => v.map((r) => <Tag key={r}>{t(`roles.${r}`, { defaultValue: r })}</Tag>) },
            {
              title: t('svc.status'),
              dataIndex: 'active',
              render: (v: boolean) => (v ? <Tag color="green">{t('svc.active')}</Tag> : <Tag>{t('svc.disabled')}</Tag>),
            },
            { title: t('svc.tokens'), dataIndex: 'tokens' },
            { title: t('tokens.lastUsed'), dataIndex: 'last_used_at', render: (v?: string | null) => formatDateTime(v) },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, a) => (
                <Space size={0}>
                  <Button type="link" size="small" icon={<KeyOutlined />} disabled={!a.active} onClick={() => setIssuing(a)} data-testid={`svc-issue-${a.username}`}>
                    {t('svc.issue')}
                  </Button>
                  <Button type="link" size="small" onClick={() => setActive.mutate({ id: a.id, active: !a.active })}>
                    {a.active ? t('svc.disable') : t('svc.enable')}
                  </Button>
                  <Popconfirm title={t('svc.deleteConfirm', { name: a.username })} okButtonProps={{ danger: true }} onConfirm={() => remove.mutateAsync(a.id).catch(() => undefined)}>
                    <Button type="link" size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      <CreateAccountModal open={creating} onClose={() => setCreating(false)} />
      <CreateTokenModal
        open={!!issuing}
        onClose={() => setIssuing(null)}
        invalidate={ACCOUNTS_KEY}
        create={(body) => call(api.POST('/service-accounts/{id}/tokens', { params: { path: { id: issuing?.id ?? '' } }, body }))}
        onCreated={(tok) => {
          setIssuing(null)
          setCreated(tok)
          done()
        }}
      />
      <SecretModal token={created} open={!!created} onClose={() => setCreated(null)} afterClose={() => undefined} />
    </Card>
  )
}

function AllTokens() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [page, setPage] = useState(1)
  const [kind, setKind] = useState<'person' | 'service' | undefined>(undefined)
  const [expired, setExpired] = useState<boolean | undefined>(undefined)
  const list = useQuery({
    queryKey: [...ALL_TOKENS_KEY, page, kind, expired],
    queryFn: () => call(api.GET('/tokens', { params: { query: { page, page_size: 20, kind, expired } } })),
  })
  const revoke = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      void message.success(t('tokens.revoked'))
      void qc.invalidateQueries({ queryKey: ALL_TOKENS_KEY })
      void qc.invalidateQueries({ queryKey: ACCOUNTS_KEY })
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  return (
    <Card
      title={t('svc.allTokens')}
      extra={
        <Space>
          <Select
            allowClear
            placeholder={t('svc.kind')}
            style={{ width: 140 }}
            value={kind}
            onChange={(v: 'person' | 'service' | undefined) => setKind(v)}
            options={[
              { value: 'person', label: t('svc.kind_person') },
              { value: 'service', label: t('svc.kind_service') },
            ]}
          />
          <Select
            allowClear
            placeholder={t('svc.expiry')}
            style={{ width: 140 }}
            value={expired === undefined ? undefined : String(expired)}
            onChange={(v?: string) => setExpired(v === undefined ? undefined : v === 'true')}
            options={[
              { value: 'false', label: t('svc.unexpired') },
              { value: 'true', label: t('svc.expired') },
            ]}
          />
        </Space>
      }
    >
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<APIToken>
          rowKey="id"
          size="small"
          loading={list.isPending}
          dataSource={list.data?.data}
          data-testid="all-tokens-table"
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <EmptyState description={t('tokens.empty')} /> }}
          pagination={{ current: page, total: list.data?.total ?? 0, pageSize: 20, onChange: setPage }}
          columns={[
            { title: t('tokens.name'), dataIndex: 'name' },
            {
              title: t('tokens.owner'),
              key: 'owner',
              render: (_, r) =>
                r.owner && (
                  <>
                    {r.owner.display_name} <Tag color={r.owner.kind === 'service' ? 'purple' : undefined}>{t(`svc.kind_${r.owner.kind}`)}</Tag>
                  </>
                ),
            },
            { title: t('tokens.prefix'), dataIndex: 'prefix', render: (v: string) => <Typography.Text code>{v}…</Typography.Text> },
            { title: t('tokens.scopes'), dataIndex: 'scopes', render: (v: string[]) => v.map((s) => <Tag key={s}>{s}</Tag>) },
            { title: t('tokens.expiresAt'), dataIndex: 'expires_at', render: (v?: string | null) => (v ? formatDateTime(v) : t('tokens.never')) },
            { title: t('tokens.lastUsed'), dataIndex: 'last_used_at', render: (v?: string | null) => formatDateTime(v) },
            { title: t('tokens.lastUsedIp'), dataIndex: 'last_used_ip' },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, r) => (
                <Popconfirm title={t('tokens.revokeConfirm', { name: r.name })} okButtonProps={{ danger: true }} onConfirm={() => revoke.mutateAsync(r.id).catch(() => undefined)}>
                  <Button danger type="link" size="small" data-testid={`all-token-revoke-${r.name}`}>
                    {t('tokens.revoke')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
    </Card>
  )
}

export default function ServiceAccountsPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('svc.title')} />
      <Typography.Paragraph type="secondary">{t('svc.hint')}</Typography.Paragraph>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Accounts />
        <AllTokens />
      </Space>
    </>
  )
}
