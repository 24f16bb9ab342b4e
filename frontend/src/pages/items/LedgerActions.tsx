import { DownloadOutlined, UploadOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Dropdown, Modal, Space, Table, Typography, Upload } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Schemas } from '../../api/client'
import { API_BASE, session } from '../../auth/session'
import { ApiError, errorMessage, isProblem } from '../../api/problem'
import { downloadAPI } from '../reports/download'
import { filtersToSearch, type ItemQuery } from './filters'

type Result = Schemas['ImportResult']
type RowError = Schemas['ImportRowError']

/** Sends the workbook as multipart (the typed client has no file bodies). */
async function sendImport(file: File, dryRun: boolean, key: string): Promise<Result> {
  const form = new FormData()
  form.append('file', file)
  const res = await session.fetch(
    new Request(`${API_BASE}/items/import${dryRun ? '?dry_run=true' : ''}`, { method: 'POST', body: form, headers: { 'Idempotency-Key': key } }),
  )
  const body: unknown = await res.json().catch(() => undefined)
  if (!res.ok) throw new ApiError(res, body)
  return body as Result
}

function rowErrorsOf(e: unknown): RowError[] {
  if (e instanceof ApiError && isProblem(e.problem)) {
    const rows = (e.problem as { row_errors?: RowError[] }).row_errors
    if (Array.isArray(rows)) return rows
  }
  return []
}

function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [file, setFile] = useState<File | null>(null)
  const [busy, setBusy] = useState(false)
  const [checked, setChecked] = useState<Result | null>(null)
  const [errors, setErrors] = useState<RowError[]>([])
  const [failure, setFailure] = useState<string>('')
  const reset = (f: File | null) => {
    setFile(f)
    setChecked(null)
    setErrors([])
    setFailure('')
  }
  const run = async (dry: boolean) => {
    if (!file) return
    setBusy(true)
    setFailure('')
    try {
      // one key per file and step: a retried request is answered once
      const key = `${dry ? 'check' : 'import'}-${file.name}-${file.size}-${file.lastModified}`
      const r = await sendImport(file, dry, key)
      if (dry) {
        setChecked(r)
        setErrors(r.errors)
      } else {
        void qc.invalidateQueries({ queryKey: ['items'] })
        void message.success(t('reports.ledger.imported', { count: r.created }))
        reset(null)
        onClose()
      }
    } catch (e) {
      const rows = rowErrorsOf(e)
      setErrors(rows)
      setChecked(null)
      setFailure(rows.length ? '' : errorMessage(e, t))
    } finally {
      setBusy(false)
    }
  }
  const ok = checked && checked.errors.length === 0
  // the rule in the user's language, with the value the message quotes
  const problemText = (r: RowError) => {
    const value = /"([^"]*)"/.exec(r.message)?.[1] ?? ''
    return r.rule && i18n.exists(`reports.ledger.rules.${r.rule}`) ? t(`reports.ledger.rules.${r.rule}`, { value }) : r.message
  }
  return (
    <Modal
      open={open}
      title={t('reports.ledger.importTitle')}
      onCancel={onClose}
      width={760}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={() => void run(true)} loading={busy} disabled={!file} data-testid="import-check">
            {t('reports.ledger.check')}
          </Button>
          <Button type="primary" onClick={() => void run(false)} loading={busy} disabled={!ok} data-testid="import-commit">
            {t('reports.ledger.commit')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('reports.ledger.hint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button
          icon={<DownloadOutlined />}
          onClick={() => void downloadAPI('/items/import-template.xlsx', undefined, 'template.xlsx').catch((e: unknown) => void message.error(errorMessage(e, t)))}
          data-testid="import-template"
        >
          {t('reports.ledger.template')}
        </Button>
        <Upload
          accept=".xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            reset(f)
            return false
          }}
          onRemove={() => reset(null)}
          data-testid="import-file"
        >
          <Button icon={<UploadOutlined />}>{t('reports.ledger.choose')}</Button>
        </Upload>
      </Space>
      {failure && <Alert type="error" title={failure} data-testid="import-failure" />}
      {ok && <Alert type="success" title={t('reports.ledger.checkOk', { count: checked.rows?.length })} data-testid="import-ok" style={{ marginBottom: 8 }} />}
      {ok && (
        <Table
          size="small"
          pagination={false}
          rowKey={(r) => String(r.row)}
          dataSource={checked.rows}
          scroll={{ y: 240 }}
          columns={[
            { key: 'row', title: t('reports.ledger.row'), dataIndex: 'row', width: 60 },
            { key: 'title', title: t('items.itemTitle'), dataIndex: 'title' },
            { key: 'lead', title: t('items.leadUnit'), dataIndex: 'lead_unit', width: 140 },
            { key: 'deadline', title: t('items.deadline'), dataIndex: 'deadline', width: 110 },
            { key: 'state', title: t('reports.ledger.states'), width: 110, render: (_, r) => t(`items.states.${r.state ?? 'draft'}`) },
          ]}
        />
      )}
      {errors.length > 0 && (
        <>
          <Alert type="warning" title={t('reports.ledger.checkErrors', { count: errors.length })} data-testid="import-errors" style={{ marginBottom: 8 }} />
          <Table
            size="small"
            pagination={false}
            rowKey={(r, i) => `${r.row}-${r.column}-${i ?? 0}`}
            dataSource={errors}
            scroll={{ y: 240 }}
            columns={[
              { key: 'row', title: t('reports.ledger.row'), dataIndex: 'row', width: 60 },
              { key: 'col', title: t('reports.ledger.column'), width: 160, render: (_, r) => `${r.column} ${r.header}` },
              { key: 'msg', title: t('reports.ledger.problem'), render: (_, r) => problemText(r) },
            ]}
          />
        </>
      )}
    </Modal>
  )
}

/** The ledger's buttons on the item list: export with the list's filters, import. */
export function LedgerActions({ filters, mayImport }: { filters: ItemQuery; mayImport: boolean }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const exportAs = (ext: 'xlsx' | 'csv') => {
    const q = filtersToSearch({ ...filters, page: undefined, page_size: undefined, sort: undefined })
    setBusy(true)
    const hide = message.loading(t('reports.ledger.exporting'), 0)
    void downloadAPI(`/items/export.${ext}`, q, `ledger.${ext}`)
      .catch((e: unknown) => void message.error(errorMessage(e, t)))
      .finally(() => {
        hide()
        setBusy(false)
      })
  }
  return (
    <Space wrap>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'xlsx', label: <span data-testid="export-xlsx">{t('reports.ledger.excel')}</span> },
            { key: 'csv', label: <span data-testid="export-csv">{t('reports.ledger.csv')}</span> },
          ],
          onClick: ({ key }) => exportAs(key as 'xlsx' | 'csv'),
        }}
      >
        <Button icon={<DownloadOutlined />} loading={busy} data-testid="ledger-export">
          {t('reports.ledger.export')}
        </Button>
      </Dropdown>
      {mayImport && (
        <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid="ledger-import">
          {t('reports.ledger.import')}
        </Button>
      )}
      <ImportModal open={open} onClose={() => setOpen(false)} />
    </Space>
  )
}
