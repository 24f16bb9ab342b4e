import { ArrowLeftOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Progress, Row, Select, Space, TreeSelect, Upload } from 'antd'
import { UploadOutlined } from '@ant-design/icons'
import type { Dayjs } from 'dayjs'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router'
import { api, idempotencyKey, ifMatch, type Schemas } from '../../api/client'
import { useOrgTree } from '../../api/org'
import { useMe } from '../../auth/auth'
import { ACCEPT, uploadAttachment } from '../../components/attachments/upload'
import { AttachmentUpload, attachmentIds, uploadErrorMessage, uploadsDoneRule, type UploadEntry } from '../../components/attachments/AttachmentUpload'
import { ApiError, call, errorMessage } from '../../api/problem'
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
import { WorkdayDatePicker } from './WorkdayDatePicker'

type Create = Schemas['CreateItem']
type Source = NonNullable<Create['source']>

const CATEGORIES: NonNullable<Create['category']>[] = ['important_matter', 'document']
const SOURCES: Record<string, Source[]> = {
  important_matter: ['board', 'party_group', 'leader_activity', 'group_meeting', 'special_meeting', 'leader_instruction', 'other'],
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

const CLASSIFICATIONS: NonNullable<Create['doc_classification']>[] = ['non_secret', 'internal', 'secret', 'confidential']

type Values = Omit<Create, 'deadline' | 'doc_received_on' | 'instruction_date'> & {
  deadline?: Dayjs | null
  doc_received_on?: Dayjs | null
  instruction_date?: Dayjs | null
  /** edit: files uploaded at once for the item (linked with attachment_ids) */
  files?: UploadEntry[]
}

type OrgNode = NonNullable<ReturnType<typeof useOrgTree>['data']>['data'][number]

function findUnit(units: readonly OrgNode[] | undefined, id: string | undefined): OrgNode | undefined {
  if (!id) return undefined
  for (const u of units ?? []) {
    if (u.id === id) return u
    const c = findUnit(u.children, id)
    if (c) return c
  }
  return undefined
}

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined)

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
    source_url: it.source_url,
    doc_number: it.doc_number,
    doc_issuer: it.doc_issuer,
    doc_received_on: it.doc_received_on ? dayjs(it.doc_received_on) : null,
    doc_classification: (it.doc_classification || undefined) as Create['doc_classification'],
    instruction_text: it.instruction_text,
    instruction_leader_id: it.instruction_leader_id || undefined,
    instruction_date: it.instruction_date ? dayjs(it.instruction_date) : null,
  }
}

/** A coordination meeting's decision (组织协调) the new sub-item carries out: it
 * prefills the form and is linked to the sub-item once saved. */
interface FromDecision {
  id: string
  text: string
}

function ItemForm({ item, parent, decision, uploadError }: { item?: Item; parent?: Item; decision?: FromDecision; uploadError?: string | null }) {
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
  const me = useMe()
  // Hand-down (§11): a sub-item of a group item made by an enterprise's office
  // lives in the enterprise's scope; the group's office may hand it down to an
  // enterprise the parent names. Units and leaders are then the enterprise's own.
  const [chosenScope, setChosenScope] = useState<string | undefined>(undefined)
  const ownScope = me.data?.scope_id
  const enterpriseOffice = !!parent && !!ownScope && ownScope !== parent.scope_id
  const targetScope = item ? item.scope_id : enterpriseOffice ? ownScope : (chosenScope ?? parent?.scope_id ?? ownScope)
  const handDownChoices = !parent || enterpriseOffice
    ? []
    : [parent.lead_unit_id, ...(parent.cooperating_unit_ids ?? [])].flatMap((id) => {
        const u = findUnit(tree.data?.data, id ?? undefined)
        return u && u.kind === 'enterprise' ? [{ value: u.id, label: u.name }] : []
      })
  const scopeNode = findUnit(tree.data?.data, targetScope)
  const handedDown = !!scopeNode && scopeNode.kind === 'enterprise' && !!parent && targetScope !== parent.scope_id
  const units = handedDown && scopeNode ? unitTreeSelectData([scopeNode]) : unitTreeSelectData(tree.data?.data)
  const leaderUnit = scopeNode?.kind === 'enterprise' ? scopeNode.id : undefined
  // The caller's scope may arrive after the form was filled from the parent: the
  // group's leaders it prefilled are then taken out again (the server refuses them).
  useEffect(() => {
    if (!enterpriseOffice || !parent) return
    if (form.getFieldValue('supervising_leader_id') === (parent.supervising_leader_id || undefined))
      form.setFieldsValue({ supervising_leader_id: undefined, assisting_leader_ids: [] })
  }, [enterpriseOffice, parent, form])
  // After issue the server refuses some fields (editable_fields says which): they are shown, not offered.
  const locked = (f: string) => !!item && !(item.editable_fields ?? []).includes(f)
  // New items: files picked now are uploaded once the draft exists.
  const [picked, setPicked] = useState<File[]>([])
  const [progress, setProgress] = useState<{ name: string; percent: number } | null>(null)
  // One key per submission: a second Enter or click while the first create runs
  // is ignored, and a retried request is answered once (issue 11: two drafts from
  // a double submit). A refused submission gets a new key with the corrected form.
  const submission = useRef(idempotencyKey())
  const sending = useRef(false)
  const save = useMutation({
    mutationFn: async (v: Values): Promise<{ saved: Item; failed: string[] }> => {
      const { files, ...rest } = v
      const body = {
        ...rest,
        deadline: v.deadline ? v.deadline.format('YYYY-MM-DD') : '',
        meeting_type: v.meeting_type || undefined,
        supervising_leader_id: v.supervising_leader_id || undefined,
        doc_received_on: day(v.doc_received_on),
        instruction_date: day(v.instruction_date),
        instruction_leader_id: v.instruction_leader_id || undefined,
        doc_classification: v.doc_classification || undefined,
        parent_id: parent?.id,
        scope_id: !item && parent && targetScope !== parent.scope_id ? targetScope : undefined,
      }
      if (!item) {
        const created = await call(api.POST('/items', { body, params: { header: { 'Idempotency-Key': submission.current } } }))
        if (picked.length === 0) return { saved: created, failed: [] }
        // Upload one file after the other, then link the stored ones: a refused
        // file is named, the draft and the other files stay.
        const ids: string[] = []
        const failed: string[] = []
        for (const f of picked) {
          try {
            setProgress({ name: f.name, percent: 0 })
            const a = await uploadAttachment(created.id, f, { onProgress: (percent) => setProgress({ name: f.name, percent }) }).promise
            if (a.id) ids.push(a.id)
          } catch (e) {
            failed.push(`${f.name}（${uploadErrorMessage(e, t, 0)}）`)
          }
        }
        setProgress(null)
        if (ids.length === 0) return { saved: created, failed }
        try {
          const linked = await call(
            api.PATCH('/items/{id}', {
              params: { path: { id: created.id }, header: { 'If-Match': ifMatch(created.version) } },
              body: { attachment_ids: ids },
            }),
          )
          return { saved: linked, failed }
        } catch (e) {
          return { saved: created, failed: [...failed, errorMessage(e, t)] }
        }
      }
      const patch: Record<string, unknown> = { ...body, parent_id: undefined, scope_id: undefined, attachment_ids: attachmentIds(files) }
      for (const k of Object.keys(patch)) if (k !== 'attachment_ids' && locked(k)) delete patch[k]
      if ((patch.attachment_ids as string[]).length === 0) delete patch.attachment_ids
      const saved = await call(
        api.PATCH('/items/{id}', {
          params: { path: { id: item.id }, header: { 'If-Match': ifMatch(item.version) } },
          body: patch,
        }),
      )
      return { saved, failed: [] }
    },
    onSuccess: async ({ saved, failed }) => {
      if (!item && decision && saved.id) {
        try {
          await call(api.POST('/coordination-decisions/{id}/sub-item', { params: { path: { id: decision.id } }, body: { sub_item_id: saved.id } }))
        } catch (e) {
          void message.error(errorMessage(e, t))
        }
      }
      void message.success(item ? t('common.saved') : t('items.created'))
      if (saved.id) qc.setQueryData(itemKey(saved.id), saved)
      void qc.invalidateQueries({ queryKey: ['items', 'list'] })
      if (failed.length > 0) {
        void navigate(`/items/${saved.id}/edit`, { state: { uploadError: t('items.ref.uploadFailed', { names: failed.join('、') }) } })
        return
      }
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
      {decision && <Alert type="info" showIcon title={t('methods.fromDecision')} description={decision.text} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="item-form-error" />}
      {uploadError && <Alert type="warning" showIcon title={uploadError} style={{ marginBottom: 16 }} data-testid="item-upload-error" />}
      {handedDown && <Alert type="info" showIcon title={t('items.ref.handDownHint')} style={{ marginBottom: 16 }} data-testid="item-hand-down" />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          ...(!item && parent ? subItemPrefill<Values>(parent, toValues(undefined), enterpriseOffice) : toValues(item)),
          ...(decision ? { title: decision.text.slice(0, 100), content: decision.text } : {}),
        }}
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
                disabled={locked('category')}
                options={CATEGORIES.map((c) => ({ value: c, label: t(`items.categories.${c}`) }))}
                onChange={() => form.setFieldValue('source', undefined)}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="source" label={t('items.source')} rules={req}>
              <Select disabled={locked('source')} options={(SOURCES[category] ?? []).map((s) => ({ value: s, label: t(`items.sources.${s}`) }))} data-testid="item-source" />
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
        {parent && handDownChoices.length > 0 && !item && (
          <Form.Item label={t('items.ref.handDown')}>
            <Select
              value={chosenScope ?? parent.scope_id}
              onChange={(v: string) => {
                setChosenScope(v)
                form.setFieldsValue({ lead_unit_id: undefined, cooperating_unit_ids: [], supervising_leader_id: undefined, assisting_leader_ids: [] })
              }}
              options={[{ value: parent.scope_id, label: t('items.ref.handDownOwn') }, ...handDownChoices]}
              data-testid="item-hand-down-scope"
            />
          </Form.Item>
        )}
        {category === 'document' && (
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="doc_number" label={t('items.ref.docNumber')} rules={[{ max: 100 }]}>
                <Input disabled={locked('doc_number')} data-testid="item-doc-number" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="doc_issuer" label={t('items.ref.docIssuer')} rules={[{ max: 200 }]}>
                <Input disabled={locked('doc_issuer')} data-testid="item-doc-issuer" />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="doc_received_on" label={t('items.ref.docReceivedOn')}>
                <DatePicker style={{ width: '100%' }} disabled={locked('doc_received_on')} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="doc_classification" label={t('items.ref.docClassification')}>
                <Select
                  allowClear
                  disabled={locked('doc_classification')}
                  options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`items.ref.classifications.${c}`) }))}
                />
              </Form.Item>
            </Col>
          </Row>
        )}
        {source === 'leader_instruction' && (
          <>
            <Alert type="info" showIcon title={t('items.ref.instructionHint')} style={{ marginBottom: 16 }} />
            <Form.Item name="instruction_text" label={t('items.ref.instructionText')} rules={[...req, { max: 5000 }]}>
              <Input.TextArea rows={2} disabled={locked('instruction_text')} data-testid="item-instruction-text" />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="instruction_leader_id" label={t('items.ref.instructionLeader')} rules={req}>
                  <UserSelect role="leader" unitId={leaderUnit} disabled={locked('instruction_leader_id')} testId="item-instruction-leader" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="instruction_date" label={t('items.ref.instructionDate')} rules={req}>
                  <DatePicker style={{ width: '100%' }} disabled={locked('instruction_date')} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
                </Form.Item>
              </Col>
            </Row>
          </>
        )}
        <Form.Item name="source_ref" label={t('items.sourceRef')}>
          <Input placeholder={t('items.sourceRefPlaceholder')} disabled={locked('source_ref')} />
        </Form.Item>
        <Form.Item
          name="source_url"
          label={t('items.ref.sourceUrl')}
          rules={[{ max: 2000 }, { pattern: /^https?:\/\/[^\s/]+/i, message: t('items.ref.sourceUrlInvalid') }]}
        >
          <Input type="url" placeholder="https://" disabled={locked('source_url')} data-testid="item-source-url" />
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
              <TreeSelect treeData={units} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} disabled={locked('lead_unit_id')} data-testid="item-lead-unit" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="cooperating_unit_ids" label={t('items.cooperatingUnits')}>
              <TreeSelect treeData={units} multiple treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} allowClear disabled={locked('cooperating_unit_ids')} />
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
              <UserSelect role="leader" unitId={leaderUnit} disabled={locked('supervising_leader_id')} testId="item-supervising-leader" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="assisting_leader_ids" label={t('items.assistingLeaders')}>
              <UserSelect role="leader" unitId={leaderUnit} multiple disabled={locked('assisting_leader_ids')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="deadline" label={t('items.deadline')} rules={req}>
              <WorkdayDatePicker style={{ width: '100%' }} disabled={locked('deadline')} data-testid="item-deadline" />
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
        {item ? (
          <Form.Item name="files" label={t('items.ref.files')} rules={[uploadsDoneRule(t)]}>
            <AttachmentUpload itemId={item.id} />
          </Form.Item>
        ) : (
          <Form.Item label={t('items.ref.files')} extra={t('items.ref.filesHint')}>
            <Upload
              multiple
              accept={ACCEPT}
              fileList={picked.map((f, i) => ({ uid: `${i}-${f.name}`, name: f.name, status: 'done' as const }))}
              beforeUpload={(f) => {
                setPicked((p) => [...p, f])
                return false
              }}
              onRemove={(f) => setPicked((p) => p.filter((x, i) => `${i}-${x.name}` !== f.uid))}
            >
              <Button icon={<UploadOutlined />} data-testid="item-files">
                {t('items.ref.files')}
              </Button>
            </Upload>
            {progress && (
              <div data-testid="item-files-progress">
                {t('items.ref.uploading', { name: progress.name, percent: progress.percent })}
                <Progress percent={progress.percent} size="small" />
              </div>
            )}
          </Form.Item>
        )}
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
  const location = useLocation()
  const uploadError = (location.state as { uploadError?: string } | null)?.uploadError ?? null
  const parentId = id ? null : search.get('parent_id')
  const decisionId = id ? null : search.get('decision')
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
  else if (!id) body = <ItemForm parent={parent.data} decision={decisionId && parentId ? { id: decisionId, text: search.get('decision_text') ?? '' } : undefined} />
  else if (item.isPending) body = <Loading />
  else if (item.isError)
    body = item.error instanceof ApiError && item.error.status === 404 ? <NotFoundState /> : <ErrorState error={item.error} onRetry={() => void item.refetch()} />
  else body = <ItemForm key={item.data.version} item={item.data} uploadError={uploadError} />
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
