import { Badge, Progress, Space, Tag, Tooltip, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { formatDate } from '../../lib/time'
import type { Item } from './types'

export type { Item }

export const itemKey = (id: string) => ['items', 'one', id] as const

const STATE_COLORS: Record<string, string> = {
  draft: 'default',
  pending_approval: 'gold',
  approved: 'cyan',
  issued: 'geekblue',
  in_progress: 'processing',
  suspended: 'warning',
  completion_requested: 'purple',
  closed: 'success',
  archived: 'default',
  cancelled: 'error',
}

export const ITEM_STATES = [
  'draft',
  'pending_approval',
  'approved',
  'issued',
  'in_progress',
  'suspended',
  'completion_requested',
  'closed',
  'archived',
  'cancelled',
] as const

export function StateTag({ state }: { state?: string }) {
  const { t } = useTranslation()
  if (!state) return null
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-testid="item-state">
      {t(`items.states.${state}`, { defaultValue: state })}
    </Tag>
  )
}

/** The warning lights' colours: the ledger, the workbench and its chart use these. */
export const LIGHT_COLORS: Record<string, string> = { red: '#f5222d', yellow: '#faad14', blue: '#1677ff', green: '#52c41a' }

export function Light({ light }: { light?: string }) {
  const { t } = useTranslation()
  if (!light || light === 'none') return <Typography.Text type="secondary">—</Typography.Text>
  return (
    <Tooltip title={t(`items.lights.${light}`, { defaultValue: light })}>
      <Badge color={LIGHT_COLORS[light]} text={t(`items.lights.${light}`, { defaultValue: light })} />
    </Tooltip>
  )
}

/**
 * What the state alone does not tell: a unit returned its assignment and the office
 * has not reassigned it (退回), and the stored overdue record against the original
 * deadline that a later deadline never clears (§14(d)).
 */
export function ItemFlags({ item }: { item: Item }) {
  const { t } = useTranslation()
  return (
    <>
      {item.has_returned_assignment && (
        <Tooltip title={t('items.returnedAssignmentHint')}>
          <Tag color="orange" data-testid="item-returned-flag">
            {t('items.returnedTag')}
          </Tag>
        </Tooltip>
      )}
      {item.was_overdue && (
        <Tooltip title={t('items.wasOverdueText', { count: item.overdue_workdays ?? 0 })}>
          <Tag color="volcano" data-testid="item-was-overdue-flag">
            {t('items.wasOverdueTag')}
          </Tag>
        </Tooltip>
      )}
    </>
  )
}

export function Deadline({ item }: { item: Item }) {
  const { t } = useTranslation()
  const days = item.days_remaining
  const open = item.light && item.light !== 'none'
  return (
    <Space orientation="vertical" size={0}>
      <span>{formatDate(item.deadline)}</span>
      {open && typeof days === 'number' && (
        <Typography.Text type={item.overdue ? 'danger' : days <= 3 ? 'warning' : 'secondary'} style={{ fontSize: 12 }}>
          {item.overdue ? t('items.daysOver', { count: Math.abs(days) }) : t('items.daysLeft', { count: days })}
        </Typography.Text>
      )}
    </Space>
  )
}

export function ItemProgress({ value }: { value?: number }) {
  const { t } = useTranslation()
  return <Progress percent={value ?? 0} size="small" style={{ minWidth: 90, margin: 0 }} aria-label={t('items.progress')} />
}
