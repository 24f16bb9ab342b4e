import { CopyOutlined } from '@ant-design/icons'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Checkbox, DatePicker, Form, Input, Modal, Space, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../api/client'
import { call } from '../../api/problem'
import { applyFormError } from '../../components/formErrors'
import { COMPANY_TZ } from '../../lib/time'

type CreatedAPIToken = Schemas['CreatedAPIToken']
export const TOKENS_KEY = ['me', 'tokens'] as const
type Scope = NonNullable<Schemas['CreateAPITokenRequest']['scopes']>[number]

// The fine scopes of API tokens, in the server's order (internal/access/scopes.go).
export const FINE_SCOPES: Scope[] = ['items:read', 'items:write', 'feedback:write', 'webhooks:manage', 'todo:read']

interface CreateValues {
  name: string
  scopes: NonNullable<Schemas['CreateAPITokenRequest']['scopes']>
  expires_at?: Dayjs | null
}

export type TokenBody = Schemas['CreateAPITokenRequest']

// CreateTokenModal asks for a token's name, scopes (checkboxes, each explained)
// and expiry; create sends it (POST /me/tokens by default, or a service
// account's POST /service-accounts/{id}/tokens).
export function CreateTokenModal({
  open,
  onClose,
  onCreated,
  create = (body) => call(api.POST('/me/tokens', { body })),
  invalidate = TOKENS_KEY,
}: {
  open: boolean
  onClose: () => void
  onCreated: (t: CreatedAPIToken) => void
  create?: (body: TokenBody) => Promise<CreatedAPIToken>
  invalidate?: readonly string[]
}) {
  const { t } = useTranslation()
  const [form] = Form.useForm<CreateValues>()
  const [error, setError] = useState<string | null>(null)
  const qc = useQueryClient()
  const m = useMutation({
    mutationFn: (v: CreateValues) =>
      create({
        name: v.name.trim(),
        scopes: v.scopes,
        ...(v.expires_at ? { expires_at: v.expires_at.tz(COMPANY_TZ, true).endOf('day').format() } : {}),
      }),
    onSuccess: (tok) => {
      void qc.invalidateQueries({ queryKey: invalidate })
      form.resetFields()
      setError(null)
      onCreated(tok)
    },
    onError: (e) => setError(applyFormError(form, e, t)),
  })
  return (
    <Modal
      open={open}
      title={t('tokens.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      confirmLoading={m.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'token-create-ok' }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={{ scopes: ['items:read'] }} onFinish={(v) => m.mutate(v)} preserve={false}>
        <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, message: t('rules.required') }, { max: 100 }]}>
          <Input placeholder={t('tokens.namePlaceholder')} data-testid="token-name" />
        </Form.Item>
        <Form.Item name="scopes" label={t('tokens.scopes')} rules={[{ required: true, message: t('rules.required') }]}>
          <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
            {FINE_SCOPES.map((sc) => (
              <Checkbox key={sc} value={sc} data-testid={`token-scope-${sc}`}>
                <Typography.Text code>{sc}</Typography.Text> {t(`tokens.scopeHelp.${sc.replace(':', '_')}`)}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Form.Item name="expires_at" label={t('tokens.expiresAt')} extra={t('tokens.never')}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(new Date(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  )
}

export function SecretModal({ token, open, onClose, afterClose }: { token: CreatedAPIToken | null; open: boolean; onClose: () => void; afterClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const copy = async () => {
    if (!token?.token) return
    try {
      await navigator.clipboard.writeText(token.token)
      void message.success(t('common.copied'))
    } catch {
      // no clipboard permission: the text stays selectable
    }
  }
  return (
    <Modal
      open={open && !!token}
      title={t('tokens.secretTitle')}
      onCancel={onClose}
      afterClose={afterClose}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <Space>
          <Button icon={<CopyOutlined />} onClick={() => void copy()} data-testid="token-copy">
            {t('common.copy')}
          </Button>
          <Button type="primary" onClick={onClose} data-testid="token-secret-close">
            {t('common.close')}
          </Button>
        </Space>
      }
    >
      <Alert type="warning" showIcon title={t('tokens.secretHint')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph code copyable={{ text: token?.token ?? '' }} style={{ wordBreak: 'break-all' }} data-testid="token-secret">
        {token?.token}
      </Typography.Paragraph>
    </Modal>
  )
}

