import { SaveOutlined } from '@ant-design/icons'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Form, Input, Space } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ifMatch } from '../../api/client'
import { officeContactKey, useOfficeContact, type OfficeContact } from '../../api/officeContact'
import { ApiError, call } from '../../api/problem'
import { applyFormError } from '../../components/formErrors'
import { ErrorState, Loading } from '../../components/States'

interface Values {
  phone: string
  person: string
}

function ContactForm({ data, canEdit }: { data: OfficeContact; canEdit: boolean }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm<Values>()
  const [error, setError] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (v: Values) =>
      call(api.PUT('/settings/office-contact', { params: { header: { 'If-Match': ifMatch(data.version) } }, body: v })),
    onSuccess: (c) => {
      qc.setQueryData(officeContactKey, c)
      void message.success(t('common.saved'))
    },
    onError: (e) => {
      const stale = e instanceof ApiError && e.status === 412
      setError(stale ? t('reminderSettings.contact.stale') : applyFormError(form, e, t))
      if (stale) void qc.invalidateQueries({ queryKey: officeContactKey })
    },
  })
  const max = { max: 40, message: t('reminderSettings.contact.max') }
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      disabled={!canEdit}
      initialValues={{ phone: data.phone, person: data.person }}
      onFinish={(v) => {
        setError(null)
        save.mutate(v)
      }}
      style={{ maxWidth: 640 }}
      data-testid="office-contact-form"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form.Item name="phone" label={t('reminderSettings.contact.phone')} extra={t('reminderSettings.contact.phoneHelp')} rules={[max]}>
        <Input data-testid="office-contact-phone" />
      </Form.Item>
      <Form.Item name="person" label={t('reminderSettings.contact.person')} rules={[max]}>
        <Input data-testid="office-contact-person" />
      </Form.Item>
      {canEdit && (
        <Space>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} data-testid="office-contact-save">
            {t('common.save')}
          </Button>
        </Space>
      )}
    </Form>
  )
}

/** The supervision office's contact phone and person, printed on the task notice. */
export function OfficeContactCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation()
  const q = useOfficeContact()
  return (
    <Card title={t('reminderSettings.contact.title')} style={{ marginBottom: 16 }} data-testid="office-contact">
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <ContactForm key={q.data.version} data={q.data} canEdit={canEdit} />
      )}
    </Card>
  )
}
