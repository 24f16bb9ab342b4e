import { Button, Result } from 'antd'
import { Component, type ErrorInfo, type ReactNode } from 'react'
import i18n from '../i18n'

interface State {
  error: Error | null
}

/** Shows a page-level error with a reload button instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('render error', error, info.componentStack)
  }

  override render() {
    if (!this.state.error) return this.props.children
    return (
      <Result
        status="error"
        title={i18n.t('problem.unknown')}
        subTitle={this.state.error.message}
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            {i18n.t('common.refresh')}
          </Button>
        }
      />
    )
  }
}
