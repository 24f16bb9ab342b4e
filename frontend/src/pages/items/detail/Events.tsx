import { useQuery } from '@tanstack/react-query'
import { Space, Timeline, Typography } from 'antd'
import type { TFunction } from 'i18next'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api/client'
import { call } from '../../../api/problem'
import { UserName } from '../../../api/users'
import { EmptyState, ErrorState, Loading } from '../../../components/States'
import { formatDate, formatDateTime } from '../../../lib/time'

/** One changed field of a timeline event: {from, to} as the API records it. */
interface Change {
  from?: unknown
  to?: unknown
}

function changeOf(changes: unknown, key: string): Change | undefined {
  if (typeof changes !== 'object' || changes === null) return undefined
  const c: unknown = (changes as Record<string, unknown>)[key]
  return typeof c === 'object' && c !== null ? (c as Change) : undefined
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '')
const titleOf = (v: unknown): string =>
  typeof v === 'object' && v !== null ? text((v as Record<string, unknown>).title) : ''

/**
 * What an event changed, in words: a moved deadline with both dates, the responsible
 * person named, the milestone concerned, the item's files linked or taken off. Events of other kinds say it by their name.
 */
export function eventDetails(changes: unknown, t: TFunction): ReactNode[] {
  const out: ReactNode[] = []
  const deadline = changeOf(changes, 'deadline')
  if (deadline && text(deadline.to)) {
    out.push(t('items.deadlineMoved', { from: formatDate(text(deadline.from)) || '—', to: formatDate(text(deadline.to)) }))
  }
  const responsible = changeOf(changes, 'responsible_user_id')
  if (responsible && text(responsible.to)) {
    out.push(
      <span key="responsible">
        {t('items.responsibleNamed')}
        <UserName id={text(responsible.to)} />
      </span>,
    )
  }
  const milestone = changeOf(changes, 'milestone')
  const title = titleOf(milestone?.to) || titleOf(milestone?.from) || text(changeOf(changes, 'title')?.to)
  if (title) out.push(t('items.milestoneNamed', { title }))
  // the item's own files: how many were linked or taken off (the list is on the attachments tab)
  const linked = changeOf(changes, 'attachments')?.to
  if (Array.isArray(linked) && linked.length > 0) out.push(t('items.filesLinked', { count: linked.length }))
  const removed = changeOf(changes, 'attachments_removed')?.from
  if (Array.isArray(removed) && removed.length > 0) out.push(t('items.filesRemoved', { count: removed.length }))
  return out
}

export function Events({ id }: { id: string }) {
  const { t } = useTranslation()
  const events = useQuery({
    queryKey: ['items', 'events', id],
    queryFn: () => call(api.GET('/items/{id}/events', { params: { path: { id }, query: { page_size: 100 } } })),
  })
  if (events.isPending) return <Loading />
  if (events.isError) return <ErrorState error={events.error} onRetry={() => void events.refetch()} />
  const list = events.data.data
  if (list.length === 0) return <EmptyState description={t('items.noEvents')} />
  return (
    <Timeline
      data-testid="item-timeline"
      items={list.map((e) => ({
        key: e.id,
        content: (
          <Space orientation="vertical" size={0}>
            <Space wrap>
              {/* never the raw action name: an action the SPA does not know yet reads "other change" */}
              <Typography.Text strong>{t(`items.actions.${e.action}`, { defaultValue: t('items.unknownAction') })}</Typography.Text>
              <Typography.Text type="secondary">
                <UserName id={e.actor_id} /> · {formatDateTime(e.at)}
              </Typography.Text>
            </Space>
            {e.state_before && e.state_after && e.state_before !== e.state_after && (
              <Typography.Text type="secondary">
                {t('items.stateChange', {
                  from: t(`items.states.${e.state_before}`, { defaultValue: e.state_before }),
                  to: t(`items.states.${e.state_after}`, { defaultValue: e.state_after }),
                })}
              </Typography.Text>
            )}
            {eventDetails(e.changes, t).map((d, i) => (
              <Typography.Text key={i} type="secondary" data-testid="event-detail">
                {d}
              </Typography.Text>
            ))}
            {e.comment && <Typography.Text>{e.comment}</Typography.Text>}
          </Space>
        ),
      }))}
    />
  )
}
