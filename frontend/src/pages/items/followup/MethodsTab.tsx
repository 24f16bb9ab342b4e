import { useQuery } from '@tanstack/react-query'
import { App, Button, DatePicker, Divider, Form, Input, Space, Tag, TreeSelect, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, type Schemas } from '../../../api/client'
import { useOrgTree } from '../../../api/org'
import { call, errorMessage } from '../../../api/problem'
import { UserName } from '../../../api/users'
import { useMe } from '../../../auth/auth'
import { SimpleList } from '../../../components/SimpleList'
import { AttachmentList } from '../../../components/attachments/AttachmentList'
import { AttachmentUpload, attachmentIds, uploadsDoneRule, type UploadEntry } from '../../../components/attachments/AttachmentUpload'
import { ErrorState, Loading } from '../../../components/States'
import { dayjs, formatDate } from '../../../lib/time'
import { unitTreeSelectData } from '../../org/UnitsPanel'
import { UserSelect } from '../../org/UserSelect'
import { FormModal } from '../FormModal'
import type { Item } from '../ui'
import { useRefresh, useUnitNames } from './shared'

type Decision = Schemas['CoordinationDecision']
type VisitValues = Omit<Schemas['NewVisit'], 'visited_on' | 'attachment_ids'> & { visited_on?: Dayjs | null; attachment_ids?: UploadEntry[] }
type MeetingValues = Omit<Schemas['NewCoordination'], 'held_on' | 'decisions' | 'attachment_ids'> & {
  held_on?: Dayjs | null
  decisions?: string
  attachment_ids?: UploadEntry[]
}

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : '')

/** 督办方式: the other methods of §13 — the joint supervision team (联合督办), visits on
 * site (现场督办) and coordination meetings (组织协调) whose decisions become
 * milestones or sub-items. */
export function MethodsTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const navigate = useNavigate()
  const id = item.id
  const refresh = useRefresh(id)
  const me = useMe()
  const tree = useOrgTree()
  const unitName = useUnitNames()
  const [form, setForm] = useState<'visit' | 'meeting' | null>(null)
  const [unit, setUnit] = useState<string | undefined>(undefined)
  const [milestoneOf, setMilestoneOf] = useState<Decision | null>(null)
  const data = useQuery({
    queryKey: ['followup', id, 'methods'],
    queryFn: () => call(api.GET('/items/{id}/methods', { params: { path: { id } } })),
  })
  if (data.isPending) return <Loading />
  if (data.isError) return <ErrorState error={data.error} onRetry={() => void data.refetch()} />
  const m = data.data
  const can = (a: string) => m.allowed_actions.includes(a)
  const fail = (e: unknown) => void message.error(errorMessage(e, t))
  const setJoint = async (unitId: string, add: boolean) => {
    const params = { params: { path: { id, unit_id: unitId } } }
    await call(add ? api.PUT('/items/{id}/joint-units/{unit_id}', params) : api.DELETE('/items/{id}/joint-units/{unit_id}', params))
    void message.success(t('common.saved'))
    setUnit(undefined)
    refresh()
  }
  const subItemFrom = (d: Decision) =>
    void navigate(`/items/new?parent_id=${id}&decision=${d.id}&decision_text=${encodeURIComponent(d.text)}`)

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="methods-tab">
      <Typography.Title level={5}>{t('methods.joint')}</Typography.Title>
      <Typography.Text type="secondary">{t('methods.jointHint')}</Typography.Text>
      <Space wrap data-testid="methods-joint-units">
        {m.joint_units.length === 0 && <Typography.Text type="secondary">{t('methods.jointEmpty')}</Typography.Text>}
        {m.joint_units.map((j) => (
          <Tag key={j.unit_id} closable={can('manage_joint_units')} onClose={(e) => { e.preventDefault(); void setJoint(j.unit_id, false).catch(fail) }}>
            {unitName(j.unit_id)}
          </Tag>
        ))}
      </Space>
      {can('manage_joint_units') && (
        <Space wrap>
          <TreeSelect
            style={{ minWidth: 240 }}
            value={unit}
            onChange={(v: string) => setUnit(v)}
            placeholder={t('methods.unit')}
            treeData={unitTreeSelectData(tree.data?.data)}
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            data-testid="methods-joint-unit"
          />
          <Button disabled={!unit} onClick={() => unit && void setJoint(unit, true).catch(fail)} data-testid="methods-joint-add">
            {t('methods.addUnit')}
          </Button>
        </Space>
      )}

      <Divider />
      <Space>
        <Typography.Title level={5} style={{ margin: 0 }}>{t('methods.visits')}</Typography.Title>
        {can('record_visit') && (
          <Button type="primary" size="small" onClick={() => setForm('visit')} data-testid="methods-record-visit">
            {t('methods.recordVisit')}
          </Button>
        )}
      </Space>
      <SimpleList
        items={m.visits}
        keyOf={(v) => v.id}
        empty={t('methods.visitsEmpty')}
        render={(v) => (
          <Space orientation="vertical" size={2} data-testid="methods-visit">
            <Space wrap>
              <Typography.Text strong>{formatDate(v.visited_on)}</Typography.Text>
              <Typography.Text>{v.place}</Typography.Text>
              <Tag color="blue">
                {t('methods.authorisedBy')}：<UserName id={v.authorised_by} />
              </Tag>
            </Space>
            <Typography.Text type="secondary">
              {t('methods.visitors')}：
              {v.visitor_ids.map((u, i) => (
                <span key={u}>
                  {i > 0 && '、'}
                  <UserName id={u} />
                </span>
              ))}
            </Typography.Text>
            <Typography.Text>{v.findings}</Typography.Text>
            <AttachmentList files={v.attachments} />
          </Space>
        )}
      />

      <Divider />
      <Space>
        <Typography.Title level={5} style={{ margin: 0 }}>{t('methods.coordinations')}</Typography.Title>
        {can('record_coordination') && (
          <Button type="primary" size="small" onClick={() => setForm('meeting')} data-testid="methods-record-coordination">
            {t('methods.recordCoordination')}
          </Button>
        )}
      </Space>
      <SimpleList
        items={m.coordinations}
        keyOf={(c) => c.id}
        empty={t('methods.coordinationsEmpty')}
        render={(c) => (
          <Space orientation="vertical" size={2} style={{ width: '100%' }} data-testid="methods-coordination">
            <Space wrap>
              <Typography.Text strong>{formatDate(c.held_on)}</Typography.Text>
              <Typography.Text>{c.place}</Typography.Text>
            </Space>
            <Typography.Text type="secondary">
              {[...c.attendee_unit_ids.map(unitName)].join('、')}
              {c.attendee_user_ids.map((u, i) => (
                <span key={u}>
                  {(i > 0 || c.attendee_unit_ids.length > 0) && '、'}
                  <UserName id={u} />
                </span>
              ))}
            </Typography.Text>
            <Typography.Text strong>{t('methods.decisions')}</Typography.Text>
            <ol style={{ margin: 0, paddingInlineStart: 20 }}>
              {c.decisions.map((d) => (
                <li key={d.id} data-testid="methods-decision">
                  <Space wrap>
                    <span>{d.text}</span>
                    {d.milestone_id && <Tag color="green">{t('methods.milestoneMade')}</Tag>}
                    {d.sub_item_id && (
                      <Button type="link" size="small" onClick={() => void navigate(`/items/${d.sub_item_id}`)}>
                        {t('methods.viewSubItem')}
                      </Button>
                    )}
                    {d.allowed_actions.includes('make_milestone') && (
                      <Button size="small" onClick={() => setMilestoneOf(d)} data-testid="methods-make-milestone">
                        {t('methods.makeMilestone')}
                      </Button>
                    )}
                    {d.allowed_actions.includes('make_sub_item') && (
                      <Button size="small" onClick={() => subItemFrom(d)} data-testid="methods-make-sub-item">
                        {t('methods.makeSubItem')}
                      </Button>
                    )}
                  </Space>
                </li>
              ))}
            </ol>
            {c.minutes && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{c.minutes}</Typography.Paragraph>}
            <AttachmentList files={c.attachments} />
          </Space>
        )}
      />

      {form === 'visit' && (
        <FormModal<VisitValues>
          title={t('methods.recordVisit')}
          testId="methods-visit-form"
          initialValues={{
            visited_on: dayjs(),
            visitor_ids: me.data?.id ? [me.data.id] : [],
            authorised_by: item.supervising_leader_id ?? undefined,
          }}
          onClose={() => setForm(null)}
          onSubmit={async (v) => {
            await call(
              api.POST('/items/{id}/visits', {
                params: { path: { id } },
                body: { ...v, visited_on: day(v.visited_on), attachment_ids: attachmentIds(v.attachment_ids) },
              }),
            )
            void message.success(t('common.saved'))
            refresh()
          }}
        >
          <Form.Item name="visited_on" label={t('methods.visitedOn')} rules={[{ required: true, message: t('rules.required') }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="place" label={t('methods.place')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input data-testid="methods-visit-place" />
          </Form.Item>
          <Form.Item name="visitor_ids" label={t('methods.visitors')} rules={[{ required: true, message: t('rules.required') }]}>
            <UserSelect multiple known={me.data ? [me.data] : []} />
          </Form.Item>
          <Form.Item name="authorised_by" label={t('methods.authorisedBy')} rules={[{ required: true, message: t('rules.required') }]}>
            <UserSelect role="leader" />
          </Form.Item>
          <Form.Item name="findings" label={t('methods.findings')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input.TextArea rows={4} data-testid="methods-visit-findings" />
          </Form.Item>
          <Form.Item name="attachment_ids" label={t('methods.photos')} rules={[uploadsDoneRule(t)]}>
            <AttachmentUpload itemId={id} />
          </Form.Item>
        </FormModal>
      )}

      {form === 'meeting' && (
        <FormModal<MeetingValues>
          title={t('methods.recordCoordination')}
          testId="methods-coordination-form"
          initialValues={{ held_on: dayjs(), attendee_unit_ids: item.lead_unit_id ? [item.lead_unit_id, ...item.cooperating_unit_ids] : [] }}
          onClose={() => setForm(null)}
          onSubmit={async (v) => {
            const decisions = (v.decisions ?? '').split('\n').map((s) => s.trim()).filter(Boolean)
            await call(
              api.POST('/items/{id}/coordinations', {
                params: { path: { id } },
                body: { ...v, held_on: day(v.held_on), decisions, attachment_ids: attachmentIds(v.attachment_ids) },
              }),
            )
            void message.success(t('common.saved'))
            refresh()
          }}
        >
          <Form.Item name="held_on" label={t('methods.heldOn')} rules={[{ required: true, message: t('rules.required') }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="place" label={t('methods.place')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input data-testid="methods-coordination-place" />
          </Form.Item>
          <Form.Item name="attendee_unit_ids" label={t('methods.attendeeUnits')}>
            <TreeSelect multiple treeData={unitTreeSelectData(tree.data?.data)} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} />
          </Form.Item>
          <Form.Item name="attendee_user_ids" label={t('methods.attendeeUsers')}>
            <UserSelect multiple />
          </Form.Item>
          <Form.Item
            name="decisions"
            label={t('methods.decisions')}
            extra={t('methods.decisionsHint')}
            rules={[{ required: true, whitespace: true, message: t('rules.required') }]}
          >
            <Input.TextArea rows={4} data-testid="methods-coordination-decisions" />
          </Form.Item>
          <Form.Item name="minutes" label={t('methods.minutes')}>
            <Input.TextArea rows={4} />
          </Form.Item>
          <Form.Item name="attachment_ids" label={t('methods.minutesFiles')} rules={[uploadsDoneRule(t)]}>
            <AttachmentUpload itemId={id} />
          </Form.Item>
        </FormModal>
      )}

      {milestoneOf && (
        <FormModal<{ title?: string; due_date?: Dayjs | null }>
          title={t('methods.makeMilestone')}
          testId="methods-milestone-form"
          initialValues={{ title: milestoneOf.text.slice(0, 300), due_date: null }}
          onClose={() => setMilestoneOf(null)}
          onSubmit={async (v) => {
            await call(
              api.POST('/coordination-decisions/{id}/milestone', {
                params: { path: { id: milestoneOf.id } },
                body: { title: v.title, due_date: day(v.due_date) },
              }),
            )
            void message.success(t('methods.milestoneMade'))
            refresh()
          }}
        >
          <Form.Item name="title" label={t('items.milestoneTitle')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="due_date" label={t('methods.dueDate')} rules={[{ required: true, message: t('rules.required') }]}>
            <DatePicker data-testid="methods-milestone-due" />
          </Form.Item>
        </FormModal>
      )}
    </Space>
  )
}
