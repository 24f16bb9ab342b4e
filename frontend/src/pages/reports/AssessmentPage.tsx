import { DownloadOutlined, SendOutlined, SettingOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Form, InputNumber, Modal, Space, Table, Tag } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, ifMatch, type Schemas } from '../../api/client'
import { ApiError, call, errorMessage } from '../../api/problem'
import { hasRole, useMe } from '../../auth/auth'
import { PageHeader } from '../../components/PageHeader'
import { EmptyState, ErrorState } from '../../components/States'
import { formatDate } from '../../lib/time'
import { downloadAPI } from './download'
import { PeriodPicker } from './PeriodPicker'
import { useStatsParams } from './stats'

type UnitScore = Schemas['AssessmentUnitScore']
type Rules = Schemas['AssessmentRules']
const FIELDS = ['base', 'overdue_item', 'overdue_day', 'overdue_day_cap', 'urge', 'auto_urge', 'returned_feedback', 'verification_failure',
  'extension', 'early_bonus', 'early_bonus_cap', 'excellent', 'pass'] as const
const GRADE_COLORS: Record<string, string> = { excellent: 'green', pass: 'blue', fail: 'red' }

function RulesModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm<Rules>()
  const rules = useQuery({ queryKey: ['settings', 'assessment'], queryFn: () => call(api.GET('/settings/assessment')), enabled: open })
  const save = useMutation({
    mutationFn: (body: Rules) =>
      call(api.PUT('/settings/assessment', { params: { header: { 'If-Match': ifMatch(rules.data?.version) } }, body: { ...rules.data, ...body } })),
    onSuccess: (r) => {
      qc.setQueryData(['settings', 'assessment'], r)
      void qc.invalidateQueries({ queryKey: ['assessments'] })
      void message.success(t('reports.assessment.settingsSaved'))
      onClose()
    },
    onError: (e) => void message.error(e instanceof ApiError && e.status === 412 ? t('reports.assessment.stale') : errorMessage(e, t)),
  })
  return (
    <Modal
      open={open}
      title={t('reports.assessment.settingsTitle')}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
      confirmLoading={save.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'rules-save' }}
    >
      {rules.data && (
        <Form form={form} layout="horizontal" labelCol={{ span: 14 }} initialValues={rules.data} data-testid="rules-form">
          {FIELDS.map((k) => (
            <Form.Item key={k} name={k} label={t(`reports.assessment.fields.${k}`)} rules={[{ required: true }]} style={{ marginBottom: 8 }}>
              <InputNumber min={0} max={k === 'base' ? 1000 : 200} step={0.1} style={{ width: 120 }} />
            </Form.Item>
          ))}
        </Form>
      )}
      {rules.isError && <ErrorState error={rules.error} />}
    </Modal>
  )
}

/** Unit scores of a period with every point explained; the office publishes and sets the rules. */
export default function AssessmentPage() {
  const { t } = useTranslation()
  const { message, modal } = App.useApp()
  const me = useMe()
  const qc = useQueryClient()
  const { period, update } = useStatsParams('quarter')
  const [rulesOpen, setRulesOpen] = useState(false)
  const q = useQuery({
    queryKey: ['assessments', period.key],
    queryFn: () => call(api.GET('/assessments', { params: { query: { period: period.key } } })),
  })
  const office = hasRole(me.data, 'supervisor')
  const mayRules = office || hasRole(me.data, 'admin')
  const publish = useMutation({
    mutationFn: () => call(api.POST('/assessments/{period}/publish', { params: { path: { period: period.key } } })),
    onSuccess: (r) => {
      qc.setQueryData(['assessments', period.key], r)
      void message.success(t('reports.assessment.published', { date: formatDate(r.published_at) }))
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  const res = q.data
  return (
    <>
      <PageHeader
        title={t('reports.assessment.title')}
        extra={
          <Space wrap>
            <PeriodPicker value={period} onChange={(p) => update({ period: p.key })} />
            {mayRules && (
              <Button icon={<SettingOutlined />} onClick={() => setRulesOpen(true)} data-testid="assessment-rules">
                {t('reports.assessment.settings')}
              </Button>
            )}
            <Button
              icon={<DownloadOutlined />}
              onClick={() => void downloadAPI(`/assessments/${period.key}.xlsx`, undefined, `${period.key}.xlsx`).catch((e: unknown) => void message.error(errorMessage(e, t)))}
              data-testid="assessment-export"
            >
              {t('reports.assessment.export')}
            </Button>
            {office && res && !res.published && (
              <Button
                type="primary"
                icon={<SendOutlined />}
                loading={publish.isPending}
                data-testid="assessment-publish"
                onClick={() =>
                  void modal.confirm({ title: t('reports.assessment.publish'), content: t('reports.assessment.publishConfirm'), onOk: () => publish.mutateAsync() })
                }
              >
                {t('reports.assessment.publish')}
              </Button>
            )}
          </Space>
        }
      />
      {res && (
        <Alert
          style={{ marginBottom: 12 }}
          type={res.published ? 'success' : 'info'}
          title={res.published ? t('reports.assessment.published', { date: formatDate(res.published_at) }) : t('reports.assessment.live')}
          data-testid="assessment-status"
        />
      )}
      <Card>
        {q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Table<UnitScore>
            rowKey={(u) => u.unit_id}
            loading={q.isPending}
            dataSource={res?.units ?? []}
            pagination={false}
            scroll={{ x: 600 }}
            data-testid="assessment-table"
            locale={{ emptyText: <EmptyState description={t('reports.assessment.empty')} /> }}
            expandable={{
              rowExpandable: (u) => u.points.length > 0,
              expandedRowRender: (u) => (
                <Table
                  size="small"
                  pagination={false}
                  rowKey={(_, i) => String(i)}
                  dataSource={u.points}
                  data-testid="assessment-points"
                  columns={[
                    { key: 'item', title: t('items.itemTitle'), render: (_, p) => <Link to={`/items/${p.item_id}`}>{`${p.code ? `${p.code} · ` : ''}${p.title}`}</Link> },
                    { key: 'rule', title: t('reports.assessment.rule'), width: 130, render: (_, p) => t(`reports.assessment.rules.${p.rule ?? 'urge'}`) },
                    { key: 'detail', title: t('reports.assessment.detail'), dataIndex: 'detail' },
                    { key: 'points', title: t('reports.assessment.pointsValue'), width: 80, align: 'right' as const, dataIndex: 'points' },
                  ]}
                />
              ),
            }}
            columns={[
              { key: 'rank', title: t('reports.assessment.rank'), dataIndex: 'rank', width: 70 },
              { key: 'unit', title: t('reports.unit'), dataIndex: 'unit_name' },
              { key: 'score', title: t('reports.assessment.score'), dataIndex: 'score', width: 90, align: 'right' as const },
              {
                key: 'grade',
                title: t('reports.assessment.grade'),
                width: 100,
                render: (_, u) => <Tag color={GRADE_COLORS[u.grade ?? 'pass']}>{t(`reports.assessment.grades.${u.grade ?? 'pass'}`)}</Tag>,
              },
              { key: 'deductions', title: t('reports.assessment.deductions'), dataIndex: 'deductions', width: 90, align: 'right' as const },
              { key: 'bonus', title: t('reports.assessment.bonus'), dataIndex: 'bonus', width: 80, align: 'right' as const },
            ]}
          />
        )}
      </Card>
      <RulesModal open={rulesOpen} onClose={() => setRulesOpen(false)} />
    </>
  )
}
