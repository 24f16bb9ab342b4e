import { useQuery } from '@tanstack/react-query'
import { Descriptions, Tag, Typography } from 'antd'
import type { DescriptionsProps } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { unitNameMap, useOrgTree } from '../../../api/org'
import { UserName } from '../../../api/users'
import { formatDate, formatDateTime } from '../../../lib/time'
import { api } from '../../../api/client'
import { call } from '../../../api/problem'
import { Deadline, itemKey, ItemProgress, type Item } from '../ui'

/** The parent item by its code and title (the words 上级事项 only while it loads or when hidden). */
function ParentLink({ id }: { id: string }) {
  const { t } = useTranslation()
  const parent = useQuery({
    queryKey: itemKey(id),
    queryFn: () => call(api.GET('/items/{id}', { params: { path: { id } } })),
    retry: false,
  })
  const p = parent.data
  return (
    <Link to={`/items/${id}`} data-testid="item-parent-link">
      {p ? `${p.code ? `${p.code} · ` : ''}${p.title}` : t('items.parent')}
    </Link>
  )
}

/** Why the item shows its light; a cleared warning (摘牌) as cleared, by whom, when and why. */
function LightWhy({ item }: { item: Item }) {
  const { t } = useTranslation()
  if (item.warning_cleared) {
    return (
      <Typography.Text data-testid="item-light-why">
        {t('items.lightCleared', {
          light: t(`items.lights.${item.warning_cleared_light ?? ''}`, { defaultValue: '' }),
          reason: item.warning_clear_reason ?? '',
        })}{' '}
        <Typography.Text type="secondary">
          <UserName id={item.warning_cleared_by} /> · {formatDateTime(item.warning_cleared_at)}
        </Typography.Text>
      </Typography.Text>
    )
  }
  return (
    <Typography.Text data-testid="item-light-why">
      {t(`items.lightWhys.${item.light ?? 'green'}`, { deadline: formatDate(item.deadline), days: item.days_remaining ?? 0 })}
    </Typography.Text>
  )
}

export function Details({ item }: { item: Item }) {
  const { t } = useTranslation()
  const tree = useOrgTree()
  const names = unitNameMap(tree.data?.data)
  const unit = (id?: string) => (id ? (names.get(id) ?? '…') : '—')
  const enumText = (group: string, v?: string) => (v ? t(`items.${group}.${v}`, { defaultValue: v }) : '—')
  type Entry = NonNullable<DescriptionsProps['items']>[number]
  const entries: (Entry | null)[] = [
    { key: 'category', label: t('items.category'), children: enumText('categories', item.category) },
    { key: 'source', label: t('items.source'), children: enumText('sources', item.source) },
    item.meeting_type ? { key: 'meeting', label: t('items.meetingType'), children: enumText('meetingTypes', item.meeting_type) } : null,
    item.source_ref ? { key: 'ref', label: t('items.sourceRef'), children: item.source_ref } : null,
    item.doc_number ? { key: 'docNumber', label: t('items.ref.docNumber'), children: <span data-testid="item-doc-number">{item.doc_number}</span> } : null,
    item.doc_issuer ? { key: 'docIssuer', label: t('items.ref.docIssuer'), children: item.doc_issuer } : null,
    item.doc_received_on ? { key: 'docReceived', label: t('items.ref.docReceivedOn'), children: formatDate(item.doc_received_on) } : null,
    item.doc_classification
      ? { key: 'docClass', label: t('items.ref.docClassification'), children: t(`items.ref.classifications.${item.doc_classification}`, { defaultValue: item.doc_classification }) }
      : null,
    item.instruction_text ? { key: 'instruction', label: t('items.ref.instructionText'), span: 'filled', children: item.instruction_text } : null,
    item.instruction_leader_id ? { key: 'instructionLeader', label: t('items.ref.instructionLeader'), children: <UserName id={item.instruction_leader_id} /> } : null,
    item.instruction_date ? { key: 'instructionDate', label: t('items.ref.instructionDate'), children: formatDate(item.instruction_date) } : null,
    item.source_url && /^https?:\/\//i.test(item.source_url)
      ? {
          key: 'sourceUrl',
          label: t('items.ref.sourceUrl'),
          children: (
            <a href={item.source_url} target="_blank" rel="noopener noreferrer" data-testid="item-source-url">
              {item.source_url}
            </a>
          ),
        }
      : null,
    item.basis ? { key: 'basis', label: t('items.basis'), children: item.basis } : null,
    { key: 'method', label: t('items.method'), children: enumText('methods', item.method) },
    { key: 'urgency', label: t('items.urgency'), children: enumText('urgencies', item.urgency) },
    { key: 'lead', label: t('items.leadUnit'), children: unit(item.lead_unit_id ?? undefined) },
    {
      key: 'coop',
      label: t('items.cooperatingUnits'),
      children: item.cooperating_unit_ids.length > 0 ? item.cooperating_unit_ids.map((u) => <Tag key={u}>{unit(u)}</Tag>) : '—',
    },
    { key: 'leader', label: t('items.supervisingLeader'), children: <UserName id={item.supervising_leader_id} /> },
    {
      key: 'assist',
      label: t('items.assistingLeaders'),
      children:
        item.assisting_leader_ids.length > 0
          ? item.assisting_leader_ids.map((u) => (
              <Tag key={u}>
                <UserName id={u} />
              </Tag>
            ))
          : '—',
    },
    { key: 'deadline', label: t('items.deadline'), children: <Deadline item={item} /> },
    { key: 'original', label: t('items.originalDeadline'), children: formatDate(item.original_deadline) },
    item.light && item.light !== 'none'
      ? { key: 'lightWhy', label: t('items.lightWhy'), span: 'filled', children: <LightWhy item={item} /> }
      : null,
    item.was_overdue
      ? {
          key: 'wasOverdue',
          label: t('items.wasOverdue'),
          children: (
            <Typography.Text type="danger" data-testid="item-was-overdue">
              {t('items.wasOverdueText', { count: item.overdue_workdays ?? 0 })}
            </Typography.Text>
          ),
        }
      : null,
    { key: 'cadence', label: t('items.cadence'), children: enumText('cadences', item.feedback_cadence) },
    { key: 'progress', label: t('items.progress'), children: <ItemProgress value={item.progress} /> },
    item.parent_id
      ? { key: 'parent', label: t('items.parent'), children: <ParentLink id={item.parent_id} /> }
      : null,
    item.children_count > 0
      ? { key: 'children', label: t('items.subItems'), children: <Link to={`/items?parent_id=${item.id}`}>{item.children_count}</Link> }
      : null,
    item.tags.length > 0 ? { key: 'tags', label: t('items.tags'), children: item.tags.map((x) => <Tag key={x}>{x}</Tag>) } : null,
    item.suspend_reason ? { key: 'suspend', label: t('items.suspendReason'), children: item.suspend_reason } : null,
    item.cancel_reason ? { key: 'cancel', label: t('items.cancelReason'), children: item.cancel_reason } : null,
    { key: 'created', label: t('items.createdAt'), children: formatDateTime(item.created_at) },
    { key: 'issued', label: t('items.issuedAt'), children: formatDateTime(item.issued_at) },
    {
      key: 'content',
      label: t('items.content'),
      span: 'filled',
      children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{item.content}</Typography.Paragraph>,
    },
    {
      key: 'requirements',
      label: t('items.requirements'),
      span: 'filled',
      children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{item.requirements || '—'}</Typography.Paragraph>,
    },
  ]
  const items = entries.filter((x): x is Entry => x !== null)
  return <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" items={items} data-testid="item-details" />
}
