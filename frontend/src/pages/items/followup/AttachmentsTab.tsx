import { useMutation, useQuery } from '@tanstack/react-query'
import { App, Button, Popconfirm, Typography, type ButtonProps } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, ifMatch } from '../../../api/client'
import { call, errorMessage } from '../../../api/problem'
import { AttachmentList, ownerTab } from '../../../components/attachments/AttachmentList'
import { EmptyState, ErrorState, Loading } from '../../../components/States'
import type { Item } from '../ui'
import { useRefresh } from './shared'

/** Every file linked to the item's records that the caller may see, newest first,
 * each with the record it comes from (a link to that tab). */
export function AttachmentsTab({ item }: { item: Item }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const refresh = useRefresh(item.id)
  const id = item.id
  const list = useQuery({
    queryKey: ['followup', id, 'attachments'],
    queryFn: () => call(api.GET('/items/{id}/attachments', { params: { path: { id } } })),
  })
  // The item's own files (the document, the 批示件) may be taken off by whoever may
  // edit the item; the files of its records belong to those records.
  const mayEdit = item.allowed_actions.includes('update')
  const takeOff = useMutation({
    mutationFn: (fileId: string) =>
      call(
        api.PATCH('/items/{id}', {
          params: { path: { id }, header: { 'If-Match': ifMatch(item.version) } },
          body: { remove_attachment_ids: [fileId] },
        }),
      ),
    onSuccess: () => {
      void message.success(t('attachments.takenOff'))
      refresh()
    },
    onError: (e) => void message.error(errorMessage(e, t)),
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
        actions={(f) =>
          mayEdit && f.owner_type === 'item' && f.id ? (
            <Popconfirm
              title={t('attachments.takeOffConfirm', { name: f.filename })}
              onConfirm={() => takeOff.mutate(f.id ?? '')}
              okButtonProps={{ 'data-testid': 'attachment-take-off-ok' } as ButtonProps}
            >
              <Button type="link" size="small" danger loading={takeOff.isPending} data-testid="attachment-take-off">
                {t('attachments.takeOff')}
              </Button>
            </Popconfirm>
          ) : null
        }
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
