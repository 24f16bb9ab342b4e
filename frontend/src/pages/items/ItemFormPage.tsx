import { ArrowLeftOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Row, Select, Space, TreeSelect } from 'antd'
import type { Dayjs } from 'dayjs'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { api, idempotencyKey, ifMatch, type Schemas } from '../../api/client'
import { useOrgTree } from '../../api/org'
import { ApiError, call } from '../../api/problem'
import { applyFormError } from '../../components/formErrors'
import { PageHeader } from '../../components/PageHeader'
import { ErrorState, Loading } from '../../components/States'
import { NotFoundState } from '../../components/ResultStates'
import { dayjs } from '../../lib/time'
import { unitTreeSelectData } from '../org/UnitsPanel'
import { UserSelect } from '../org/UserSelect'
import { SourceRouteHint, useSourceRoute } from './SourceRoute'
import { itemKey, type Item } from './ui'
import { subItemPrefill } from './subItemPrefill'

type Create = Schemas['CreateItem']
type Source = NonNullable<Create['source']>

const CATEGORIES: NonNullable<Create['category']>[] = ['important_matter', 'document']
const SOURCES: Record<string, Source[]> = {
  important_matter: ['board', 'party_group', 'leader_activity', 'group_meeting', 'special_meeting', 'other'],
  document: ['superior_instruction', 'subsidiary_request', 'emergency', 'other'],
}
const MEETING_SOURCES: readonly string[] = ['board', 'party_group', 'group_meeting', 'special_meeting']
const MEETINGS: NonNullable<Create['meeting_type']>[] = [
  'board',
  'party_group',
  'gm_office',
  'annual_work',
  'midyear_work',
  'monthly',
  'production_coordination',
  'special_topic',
]
const METHODS: NonNullable<Create['method']>[] = ['special', 'tracking', 'on_site', 'joint']
const URGENCIES: NonNullable<Create['urgency']>[] = ['normal', 'urgent', 'very_urgent']
const CADENCES: NonNullable<Create['feedback_cadence']>[] = ['none', 'weekly', 'biweekly', 'monthly', 'quarterly', 'milestones']

type Values = Omit<Create, 'deadline'> & { deadline?: Dayjs | null }

function toValues(it: Item | undefined): Partial<Values> {
  if (!it) return { category: 'important_matter', method: 'special', urgency: 'normal', feedback_cadence: 'none' }
  return {
    title: it.title,
    content: it.content,
    requirements: it.requirements,
    category: it.category,
    source: it.source as Source | undefined,
    basis: it.basis,
    meeting_type: (it.meeting_type || undefined) as Create['meeting_type'],
    source_ref: it.source_ref,
    method: it.method as Create['method'],
    urgency: it.urgency as Create['urgency'],
    lead_unit_id: it.lead_unit_id ?? undefined,
    cooperating_unit_ids: it.cooperating_unit_ids,
    supervising_leader_id: it.supervising_leader_id || undefined,
    assisting_leader_ids: it.assisting_leader_ids,
    deadline: it.deadline ? dayjs(it.deadline) : null,
    feedback_cadence: it.feedback_cadence as Create['feedback_cadence'],
    tags: it.tags,
  }
}

function ItemForm({ item, parent }: { item?: Item; parent?: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const tree = useOrgTree()
  const [form] = Form.useForm<Values>()
  const [error, setError] = useState<string | null>(null)
  const category = Form.useWatch('category', form) ?? item?.category ?? 'important_matter'
  const source = Form.useWatch('source', form)
  const route = useSourceRoute(category, source)
  const units = unitTreeSelectData(tree.data?.data)
  // One key per submission: a second Enter or click while the first create runs
  // is ignored, and a retried request is answered once (issue 11: two drafts from
  // a double submit). A refused submission gets a new key with the corrected form.
  const submission = useRef(idempotencyKey())
  const sending = useRef(false)
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        ...v,
        deadline: v.deadline ? v.deadline.format('YYYY-MM-DD') : '',
        meeting_type: v.meeting_type || undefined,
        supervising_leader_id: v.supervising_leader_id || undefined,
        parent_id: parent?.id,
      }
      if (!item) return call(api.POST('/items', { body, params: { header: { 'Idempotency-Key': submission.current } } }))
      return call(
        api.PATCH('/items/{id}', {
          params: { path: { id: item.id }, header: { 'If-Match': ifMatch(item.version) } },
          body,
        }),
      )
    },
    onSuccess: (saved) => {
      void message.success(item ? t('common.saved') : t('items.created'))
      if (saved.id) qc.setQueryData(itemKey(saved.id), saved)
      void qc.invalidateQueries({ queryKey: ['items', 'list'] })
      void navigate(`/items/${saved.id}`, { replace: !!item })
    },
    onError: (e) => {
      submission.current = idempotencyKey()
      setError(applyFormError(form, e, t))
      window.scrollTo({ top: 0, behavior: 'smooth' })
    },
  })
  const req = [{ required: true, message: t('rules.required') }]
  return (
    <Card>
      {parent && <Alert type="info" showIcon title={t('notice.parentOf', { title: parent.title })} style={{ marginBottom: 16 }} data-testid="item-parent" />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="item-form-error" />}
      <Form
        form={form}
        layout="vertical"
        initialValues={!item && parent ? subItemPrefill<Values>(parent, toValues(undefined)) : toValues(item)}
        onKeyDown={(e) => {
          // Enter in a date field picks the date; it must not also submit the form.
          if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('.ant-picker')) e.preventDefault()
        }}
        onFinish={(v) => {
          if (sending.current) return
          sending.current = true
          save.mutate(v, { onSettled: () => (sending.current = false) })
        }}
        data-testid="item-form"
        scrollToFirstError
      >
        <Form.Item name="title" label={t('items.itemTitle')} rules={[...req, { max: 200 }]}>
          <Input data-testid="item-title" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="category" label={t('items.category')} rules={req}>
              <Select
                options={CATEGORIES.map((c) => ({ value: c, label: t(`items.categories.${c}`) }))}
                onChange={() => form.setFieldValue('source', undefined)}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="source" label={t('items.source')} rules={req}>
              <Select options={(SOURCES[category] ?? []).map((s) => ({ value: s, label: t(`items.sources.${s}`) }))} data-testid="item-source" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            {source && MEETING_SOURCES.includes(source) ? (
              <Form.Item name="meeting_type" label={t('items.meetingType')}>
                <Select allowClear options={MEETINGS.map((m) => ({ value: m, label: t(`items.meetingTypes.${m}`) }))} />
              </Form.Item>
            ) : (
              <Form.Item name="basis" label={t('items.basis')}>
                <Input />
              </Form.Item>
            )}
          </Col>
        </Row>
        <SourceRouteHint route={route} />
        <Form.Item name="source_ref" label={t('items.sourceRef')}>
          <Input placeholder={t('items.sourceRefPlaceholder')} />
        </Form.Item>
        <Form.Item name="content" label={t('items.content')} rules={req}>
          <Input.TextArea rows={4} data-testid="item-content" />
        </Form.Item>
        <Form.Item name="requirements" label={t('items.requirements')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="lead_unit_id" label={t('items.leadUnit')} rules={req}>
              <TreeSelect treeData={units} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="item-lead-unit" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="cooperating_unit_ids" label={t('items.cooperatingUnits')}>
              <TreeSelect treeData={units} multiple treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} allowClear />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="supervising_leader_id"
              label={t('items.supervisingLeader')}
              // a draft may be saved without one; submit and issue need one (the
              // leader decides extensions and closing), so the form says so
              rules={route?.needs_approval ? [{ required: true, message: t('notice.leaderRequired') }] : []}
              extra={route?.needs_approval ? undefined : t('notice.leaderAlwaysRequired')}
            >
              <UserSelect role="leader" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="assisting_leader_ids" label={t('items.assistingLeaders')}>
              <UserSelect role="leader" multiple />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="deadline" label={t('items.deadline')} rules={req}>
              <DatePicker style={{ width: '100%' }} data-testid="item-deadline" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="method" label={t('items.method')}>
              <Select options={METHODS.map((m) => ({ value: m, label: t(`items.methods.${m}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="urgency" label={t('items.urgency')}>
              <Select options={URGENCIES.map((u) => ({ value: u, label: t(`items.urgencies.${u}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="feedback_cadence" label={t('items.cadence')}>
              <Select options={CADENCES.map((c) => ({ value: c, label: t(`items.cadences.${c}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="tags" label={t('items.tags')}>
          <Select mode="tags" tokenSeparators={[',', '，']} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="item-save">
            {item ? t('common.save') : t('items.saveDraft')}
          </Button>
          <Button onClick={() => void navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  )
}

/** /items/new and /items/:id/edit */
export default function ItemFormPage() {
  const { t } = useTranslation()
  const { id } = useParams()
  const [search] = useSearchParams()
  const parentId = id ? null : search.get('parent_id')
  const parent = useQuery({
    queryKey: itemKey(parentId ?? ''),
    queryFn: () => call(api.GET('/items/{id}', { params: { path: { id: parentId ?? '' } } })),
    enabled: !!parentId,
  })
  const item = useQuery({
    queryKey: itemKey(id ?? ''),
    queryFn: () => call(api.GET('/items/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
  })
  const back = id ? `/items/${id}` : parentId ? `/items/${parentId}` : '/items'
  let body
  if (parentId && parent.isPending) body = <Loading />
  else if (parentId && parent.isError)
    body =
      parent.error instanceof ApiError && parent.error.status === 404 ? (
        <Alert type="error" showIcon title={t('notice.parentMissing')} />
      ) : (
        <ErrorState error={parent.error} onRetry={() => void parent.refetch()} />
      )
  else if (!id) body = <ItemForm parent={parent.data} />
  else if (item.isPending) body = <Loading />
  else if (item.isError)
    body = item.error instanceof ApiError && item.error.status === 404 ? <NotFoundState /> : <ErrorState error={item.error} onRetry={() => void item.refetch()} />
  else body = <ItemForm key={item.data.version} item={item.data} />
  return (
    <>
      <Link to={back}>
        <ArrowLeftOutlined /> {t('common.back')}
      </Link>
      <PageHeader title={id ? t('items.edit') : parentId ? t('notice.parentTitle') : t('items.new')} />
      {body}
    </>
  )
}
