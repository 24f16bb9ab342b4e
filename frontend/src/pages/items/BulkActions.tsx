import { useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Input, Modal, Space, Typography, type ButtonProps } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ifMatch } from '../../api/client'
import { call, errorMessage } from '../../api/problem'
import { downloadAPI } from '../reports/download'
import type { Item } from './ui'

/** The outcome of one item of a bulk action. */
interface Outcome {
  item: Item
  error?: string
}

/**
 * The supervision office's bulk actions on the selected rows of the list (issue 11,
 * point 13): urge (催办) every selected item, issue (下达) the approved ones, export
 * the selection to the ledger. Each item goes through its own route, so the server
 * authorises each one; the result names every item that failed and why.
 */
export function BulkActions({ selected, onDone }: { selected: Item[]; onDone: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [busy, setBusy] = useState(false)
  const [urgeOpen, setUrgeOpen] = useState(false)
  const [urgeText, setUrgeText] = useState('')
  const [results, setResults] = useState<{ action: string; outcomes: Outcome[] } | null>(null)
  // The result stays on screen after the run has cleared the selection.
  if (selected.length === 0 && !results) return null

  const run = async (action: 'urge' | 'issue', fn: (it: Item) => Promise<unknown>) => {
    setBusy(true)
    const outcomes: Outcome[] = []
    for (const it of selected) {
      try {
        await fn(it)
        outcomes.push({ item: it })
      } catch (e) {
        outcomes.push({ item: it, error: errorMessage(e, t) })
      }
    }
    setBusy(false)
    setResults({ action, outcomes })
    void qc.invalidateQueries({ queryKey: ['items'] })
    onDone()
  }
  const issuable = selected.filter((it) => it.allowed_actions.includes('issue'))
  const exportSelection = () => {
    const q = new URLSearchParams({ ids: selected.map((it) => it.id).join(',') })
    void downloadAPI('/items/export.xlsx', q, 'ledger.xlsx').catch((e: unknown) => void message.error(errorMessage(e, t)))
  }
  const failed = results?.outcomes.filter((o) => o.error) ?? []
  return (
    <>
      {selected.length > 0 && (
      <Space wrap style={{ marginBottom: 12 }} data-testid="item-bulk">
        <Typography.Text>{t('items.bulk.selected', { count: selected.length })}</Typography.Text>
        <Button loading={busy} onClick={() => setUrgeOpen(true)} data-testid="item-bulk-urge">
          {t('items.bulk.urge')}
        </Button>
        <Button
          loading={busy}
          disabled={issuable.length === 0}
          onClick={() =>
            void run('issue', (it) =>
              call(api.POST('/items/{id}/issue', { params: { path: { id: it.id }, header: { 'If-Match': ifMatch(it.version) } }, body: {} })),
            )
          }
          data-testid="item-bulk-issue"
        >
          {t('items.bulk.issue', { count: issuable.length })}
        </Button>
        <Button onClick={exportSelection} data-testid="item-bulk-export">
          {t('items.bulk.export')}
        </Button>
      </Space>
      )}
      {results && (
        <Alert
          style={{ marginBottom: 12 }}
          type={failed.length === 0 ? 'success' : 'warning'}
          showIcon
          closable
          onClose={() => setResults(null)}
          data-testid="item-bulk-result"
          title={t('items.bulk.result', { ok: results.outcomes.length - failed.length, failed: failed.length })}
          description={
            failed.length > 0 ? (
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {failed.map((o) => (
                  <li key={o.item.id}>
                    {o.item.code ?? o.item.title}：{o.error}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <Modal
        open={urgeOpen}
        title={t('items.bulk.urgeTitle', { count: selected.length })}
        okButtonProps={{ disabled: !urgeText.trim(), loading: busy, 'data-testid': 'item-bulk-urge-ok' } as ButtonProps}
        onCancel={() => setUrgeOpen(false)}
        onOk={() => {
          setUrgeOpen(false)
          void run('urge', (it) => call(api.POST('/items/{id}/urges', { params: { path: { id: it.id } }, body: { message: urgeText.trim() } })))
        }}
      >
        <Input.TextArea rows={3} value={urgeText} onChange={(e) => setUrgeText(e.target.value)} placeholder={t('items.bulk.urgeMessage')} />
      </Modal>
    </>
  )
}
