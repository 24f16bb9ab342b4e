import { ApartmentOutlined, ArrowLeftOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Alert, Button, Card, Checkbox, Flex, Progress, Space, Steps, Table, Tag, Typography, Upload } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { downloadTemplate, sortErrors, uploadWorkbook, type ImportChange, type ImportError, type ImportReport } from '../../api/orgImport'
import { errorMessage } from '../../api/problem'
import { hasRole, useMe } from '../../auth/auth'
import { PageHeader } from '../../components/PageHeader'
import { ForbiddenState } from '../../components/ResultStates'
import { Loading } from '../../components/States'

type Phase = { kind: 'idle' } | { kind: 'uploading'; percent: number; dryRun: boolean } | { kind: 'done'; report: ImportReport }

export function ReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation()
  const errors = sortErrors(report.errors).map((e, i) => ({ ...e, rowId: i }))
  const changes = report.changes.map((c, i) => ({ ...c, rowId: i }))
  const u = report.units
  const p = report.users
  let status: { type: 'success' | 'error' | 'info'; text: string }
  if (errors.length > 0) status = { type: 'error', text: t('orgAdmin.checkErrors', { count: errors.length }) }
  else if (report.applied) status = { type: 'success', text: t('orgAdmin.applied') }
  else if (changes.length === 0) status = { type: 'info', text: t('orgAdmin.nothingToDo') }
  else status = { type: 'success', text: t('orgAdmin.checkOk') }
  return (
    <div data-testid="import-report">
      <Alert
        type={status.type}
        showIcon
        title={status.text}
        description={t('orgAdmin.summary', {
          uc: u?.created,
          uu: u?.updated,
          un: u?.unchanged,
          pc: p?.created,
          pu: p?.updated,
          pd: p?.deactivated,
          pr: p?.reactivated,
          pn: p?.unchanged,
        })}
        style={{ marginBottom: 16 }}
        data-testid="import-status"
      />
      {errors.length > 0 && (
        <Card size="small" title={t('orgAdmin.errorsTitle')} style={{ marginBottom: 16 }}>
          <Table<ImportError & { rowId: number }>
            size="small"
            rowKey="rowId"
            dataSource={errors}
            pagination={errors.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 640 }}
            data-testid="import-errors"
            columns={[
              { key: 'sheet', title: t('orgAdmin.sheet'), render: (_, e) => t(`orgAdmin.sheet_${e.sheet}`), width: 70 },
              { key: 'row', title: t('orgAdmin.row'), render: (_, e) => (e.row ? e.row : '—'), width: 60 },
              { key: 'column', title: t('orgAdmin.column'), render: (_, e) => e.column || '—', width: 60 },
              { key: 'value', title: t('orgAdmin.value'), render: (_, e) => e.value || '', ellipsis: true, width: 140 },
              {
                key: 'message',
                title: t('orgAdmin.message'),
                // the rule in the user's language; the server's own words say which value or row
                render: (_, e) => (
                  <span title={e.message}>
                    {t(`orgAdmin.rule.${e.rule}`, { defaultValue: e.message })}
                    {e.rule === 'unique' || e.rule === 'oneof' ? <Typography.Text type="secondary">（{e.message}）</Typography.Text> : null}
                  </span>
                ),
              },
            ]}
          />
        </Card>
      )}
      {report.warnings.length > 0 && (
        <Alert type="warning" showIcon title={t('orgAdmin.warningsTitle')} description={report.warnings.join('；')} style={{ marginBottom: 16 }} />
      )}
      {errors.length === 0 && changes.length > 0 && (
        <Card size="small" title={t('orgAdmin.changesTitle')}>
          <Table<ImportChange & { rowId: number }>
            size="small"
            rowKey="rowId"
            dataSource={changes}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            scroll={{ x: 640 }}
            data-testid="import-changes"
            columns={[
              { key: 'action', title: t('orgAdmin.action'), render: (_, c) => <Tag>{t(`orgAdmin.action_${c.action}`)}</Tag>, width: 80 },
              { key: 'entity', title: t('orgAdmin.entity'), render: (_, c) => t(`orgAdmin.entity_${c.entity}`), width: 70 },
              { key: 'key', title: t('orgAdmin.key'), dataIndex: 'key', width: 120 },
              { key: 'name', title: t('orgAdmin.name'), dataIndex: 'name' },
              { key: 'fields', title: t('orgAdmin.fields'), render: (_, c) => (c.fields ?? []).join(', ') },
            ]}
          />
        </Card>
      )}
    </div>
  )
}

export default function OrgImportPage() {
  const { t } = useTranslation()
  const me = useMe()
  const qc = useQueryClient()
  const [file, setFile] = useState<File | null>(null)
  const [deactivateMissing, setDeactivateMissing] = useState(false)
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })
  const [checked, setChecked] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [downloading, setDownloading] = useState(false)
  if (me.isPending) return <Loading />
  if (!hasRole(me.data, 'admin')) return <ForbiddenState />

  const run = async (dryRun: boolean) => {
    if (!file) return
    setError(null)
    setPhase({ kind: 'uploading', percent: 0, dryRun })
    try {
      const report = await uploadWorkbook(file, {
        dryRun,
        deactivateMissing,
        onProgress: (percent) => setPhase({ kind: 'uploading', percent, dryRun }),
      })
      setPhase({ kind: 'done', report })
      setChecked(dryRun && report.errors.length === 0)
      if (report.applied) {
        void qc.invalidateQueries({ queryKey: ['users'] })
        void qc.invalidateQueries({ queryKey: ['org-units'] })
      }
    } catch (e) {
      setError(errorMessage(e, t))
      setPhase({ kind: 'idle' })
    }
  }
  const busy = phase.kind === 'uploading'
  const current = phase.kind === 'done' && phase.report.applied ? 3 : checked ? 2 : file ? 1 : 0

  return (
    <>
      <PageHeader
        title={t('orgAdmin.import')}
        extra={
          <Space wrap>
            <Link to="/org">
              <Button icon={<ArrowLeftOutlined />}>{t('orgAdmin.backToOrg')}</Button>
            </Link>
            <Link to="/org/chart">
              <Button icon={<ApartmentOutlined />}>{t('orgAdmin.chart')}</Button>
            </Link>
          </Space>
        }
      />
      <Steps
        current={current}
        style={{ marginBottom: 16 }}
        items={[
          { title: t('orgAdmin.steps.template') },
          { title: t('orgAdmin.steps.file') },
          { title: t('orgAdmin.steps.check') },
          { title: t('orgAdmin.steps.apply') },
        ]}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Typography.Paragraph>{t('orgAdmin.steps.templateHint')}</Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('orgAdmin.passwordNote')}</Typography.Paragraph>
        <Button
          icon={<DownloadOutlined />}
          loading={downloading}
          data-testid="import-template"
          onClick={() => {
            setDownloading(true)
            void downloadTemplate()
              .catch((e: unknown) => setError(errorMessage(e, t)))
              .finally(() => setDownloading(false))
          }}
        >
          {t('orgAdmin.steps.download')}
        </Button>
      </Card>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Upload.Dragger
          accept=".xlsx"
          maxCount={1}
          disabled={busy}
          beforeUpload={(f) => {
            setFile(f)
            setChecked(false)
            setPhase({ kind: 'idle' })
            return false // uploaded by the buttons below, with progress
          }}
          onRemove={() => {
            setFile(null)
            setChecked(false)
            setPhase({ kind: 'idle' })
          }}
          fileList={file ? [{ uid: 'workbook', name: file.name, status: 'done' }] : []}
          data-testid="import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{t('orgAdmin.steps.fileHint')}</p>
        </Upload.Dragger>
        <Checkbox
          checked={deactivateMissing}
          onChange={(e) => {
            setDeactivateMissing(e.target.checked)
            setChecked(false)
          }}
          style={{ marginTop: 12 }}
          data-testid="import-deactivate-missing"
        >
          {t('orgAdmin.deactivateMissing')}
        </Checkbox>
        <Flex gap={8} style={{ marginTop: 12 }} wrap>
          <Button disabled={!file || busy} loading={busy && phase.dryRun} onClick={() => void run(true)} data-testid="import-check">
            {t('orgAdmin.steps.check')}
          </Button>
          <Button
            type="primary"
            disabled={!file || busy || !checked}
            loading={busy && !phase.dryRun}
            onClick={() => void run(false)}
            data-testid="import-apply"
          >
            {t('orgAdmin.steps.apply')}
          </Button>
        </Flex>
        {busy && (
          <div style={{ marginTop: 12 }} data-testid="import-progress">
            <Progress percent={phase.percent} status="active" />
            <Typography.Text type="secondary">
              {phase.percent < 100 ? t('orgAdmin.uploading', { percent: phase.percent }) : t('orgAdmin.processing')}
            </Typography.Text>
          </div>
        )}
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="import-error" />}
      {phase.kind === 'done' && <ReportView report={phase.report} />}
    </>
  )
}
