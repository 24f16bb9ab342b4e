import { Alert, Form, Modal } from 'antd'
import type { FormInstance } from 'antd'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { applyFormError } from '../../components/formErrors'

/**
 * A modal with a form: onSubmit's rejection (an ApiError) lands on the fields, the
 * rest above them; success closes it.
 */
export function FormModal<V extends object>({
  title,
  initialValues,
  onSubmit,
  onClose,
  children,
  okText,
  testId,
}: {
  title: ReactNode
  initialValues?: Partial<V>
  onSubmit: (values: V, form: FormInstance<V>) => Promise<unknown>
  onClose: () => void
  children: ReactNode | ((form: FormInstance<V>) => ReactNode)
  okText?: string
  testId?: string
}) {
  const { t } = useTranslation()
  const [form] = Form.useForm<V>()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={okText}
      confirmLoading={busy}
      destroyOnHidden
      width={600}
      okButtonProps={{ 'data-testid': testId ? `${testId}-ok` : 'form-modal-ok' }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(v) => {
          setBusy(true)
          setError(null)
          onSubmit(v, form)
            .then(onClose)
            .catch((e: unknown) => setError(applyFormError(form, e, t)))
            .finally(() => setBusy(false))
        }}
      >
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  )
}
