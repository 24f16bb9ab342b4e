import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App as AntApp, ConfigProvider } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeQueryClient } from '../app/queryClient'
import { ChangePasswordForm } from './ChangePasswordForm'

afterEach(() => vi.unstubAllGlobals())

function renderForm() {
  return render(
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <QueryClientProvider client={makeQueryClient()}>
          <ChangePasswordForm />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  )
}

describe('ChangePasswordForm', () => {
  it("shows the API's field errors on the form fields", async () => {
    const fetchMock = vi.fn(async (req: Request) => {
      expect(new URL(req.url).pathname).toBe('/api/v1/me/password')
      expect(req.method).toBe('PUT')
      return new Response(
        JSON.stringify({
          type: 'https://duban.dev/problems/validation_failed',
          title: 'Validation failed',
          status: 422,
          code: 'validation_failed',
          detail: 'current_password：不是您当前的密码',
          errors: [
            { field: 'current_password', rule: 'current_password', message: '不是您当前的密码' },
            { field: 'new_password', rule: 'min', message: '至少 10 个字符' },
          ],
        }),
        { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
      )
    })
    vi.stubGlobal('fetch', fetchMock)
    renderForm()
    const user = userEvent.setup()
    await user.type(screen.getByLabelText('当前密码'), 'old-secret-1')
    await user.type(screen.getByLabelText('新密码'), 'short')
    await user.type(screen.getByLabelText('确认新密码'), 'short')
    await user.click(screen.getByTestId('change-password-submit'))
    await waitFor(() => expect(fetchMock).toHaveBeenCalledOnce())
    // the server's messages, in the language the SPA asked for, as they come
    expect(await screen.findByText('不是您当前的密码')).toBeInTheDocument()
    expect(screen.getByText('至少 10 个字符')).toBeInTheDocument()
    expect(screen.getByText('请检查并修正标红的字段')).toBeInTheDocument()
  })

  it('checks that the two new passwords match before sending', async () => {
    const fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
    renderForm()
    const user = userEvent.setup()
    await user.type(screen.getByLabelText('当前密码'), 'old-secret-1')
    await user.type(screen.getByLabelText('新密码'), 'new-secret-12')
    await user.type(screen.getByLabelText('确认新密码'), 'new-secret-13')
    await user.click(screen.getByTestId('change-password-submit'))
    expect(await screen.findByText('两次输入的新密码不一致')).toBeInTheDocument()
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
