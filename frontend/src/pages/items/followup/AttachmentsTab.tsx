import { useQuery } from '@tanstack/react-query'
import { Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api } from '../../../api/client'
import { call } from '../../../api/problem'
import { AttachmentList, ownerTab } from '../../../components/attachments/AttachmentList'
import { EmptyState, ErrorState, Loading } from '../../../components/States'
import type { Item } from '../ui'

/** Every file linked to the item's records that the caller may see, newest first,
 * each with the record it comes from (a link to that tab). */
export function AttachmentsTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const id = item.id
  const list = useQuery({
    queryKey: ['followup', id, 'attachments'],
    queryFn: () => call(api.GET('/items/{id}/attachments', { params: { path: { id } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  const files = [...(list.data.data)].reverse()
  return (
    <div data-testid="attachments-tab">
      {files.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('attachments.total', { count: files.length })}
        </Typography.Paragraph>
      )}
      <AttachmentList
        files={files}
        source
        empty={<EmptyState description={t('attachments.none')} />}
        renderSource={(f, name) => {
          const tab = ownerTab(f.owner_type)
          return tab ? (
            <Link to={{ search: `?tab=${tab}` }} replace>
              {name}
            </Link>
          ) : (
            name
          )
        }}
      />
    </div>
  )
}
