import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Form, Input } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../api/client'
import { call } from '../api/problem'
import { ME_KEY } from '../auth/auth'
import { applyFormError } from './formErrors'

interface Values {
  current_password: string
  new_password: string
  confirm: string
}

/** PUT /me/password with the current and the new password. */
export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const qc = useQueryClient()
  const [error, setError] = useState<string | null>(null)
  const m = useMutation({
    mutationFn: (v: Values) =>
      call(api.PUT('/me/password', { body: { current_password: v.current_password, new_password: v.new_password } })),
    onSuccess: async () => {
      setError(null)
      form.resetFields()
      void message.success(t('auth.passwordChanged'))
      await qc.invalidateQueries({ queryKey: ME_KEY })
      onDone?.()
    },
    onError: (e) => setError(applyFormError(form, e, t)),
  })
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) => m.mutate(v)}
      style={{ maxWidth: 420 }}
      data-testid="change-password-form"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form.Item name="current_password" label={t('auth.currentPassword')} rules={[{ required: true, message: t('rules.required') }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="new_password"
        label={t('auth.newPassword')}
        extra={t('auth.passwordHint')}
        dependencies={['current_password']}
        rules={[
          { required: true, message: t('rules.required') },
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) =>
              v && v === getFieldValue('current_password')
                ? Promise.reject(new Error(t('auth.passwordSameAsOld')))
                : Promise.resolve(),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('auth.confirmPassword')}
        dependencies={['new_password']}
        rules={[
          { required: true, message: t('rules.required') },
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) =>
              !v || v === getFieldValue('new_password')
                ? Promise.resolve()
                : Promise.reject(new Error(t('auth.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={m.isPending} data-testid="change-password-submit">
        {t('auth.changePassword')}
      </Button>
    </Form>
  )
}
