import { CheckCircleFilled, CloseOutlined, DeleteOutlined, InboxOutlined, PaperClipOutlined } from '@ant-design/icons'
import { Button, Flex, Progress, Tooltip, Typography, Upload } from 'antd'
import type { FormRule } from 'antd'
import type { TFunction } from 'i18next'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client'
import { ApiError, call, errorMessage, type Problem } from '../../api/problem'
import { ACCEPT, DEFAULT_MAX_BYTES, formatSize, uploadAttachment, UploadAborted, type Attachment, type UploadTask } from './upload'

/** One file of the form: on its way, stored (with the API's answer) or refused. */
export interface UploadEntry {
  uid: string
  name: string
  size: number
  status: 'uploading' | 'done' | 'error'
  percent: number
  attachment?: Attachment
  error?: string
}

/** The ids to send as attachment_ids: the stored files only. */
export function attachmentIds(entries: readonly UploadEntry[] | undefined): string[] {
  return (entries ?? []).flatMap((e) => (e.status === 'done' && e.attachment?.id ? [e.attachment.id] : []))
}

/** A form rule that holds the submit back while a file is still uploading (it would
 * otherwise be left out silently). */
export function uploadsDoneRule(t: TFunction): FormRule {
  return {
    // Only when the form is submitted (no field change fires this trigger); any
    // change of the list clears the message again.
    validateTrigger: 'submit',
    validator: (_, value: UploadEntry[] | undefined) =>
      (value ?? []).some((e) => e.status === 'uploading')
        ? Promise.reject(new Error(t('attachments.stillUploading')))
        : Promise.resolve(),
  }
}

function extension(p: Problem, key: string): unknown {
  return (p as Record<string, unknown>)[key]
}

/** The reason a file was refused, in the user's language. */
export function uploadErrorMessage(err: unknown, t: TFunction, limit: number): string {
  if (err instanceof ApiError) {
    if (err.status === 413) {
      const max = extension(err.problem, 'max_bytes')
      return t('attachments.tooLarge', { size: formatSize(typeof max === 'number' ? max : limit) })
    }
    if (err.status === 415) {
      const type = extension(err.problem, 'detected_type')
      return typeof type === 'string' && type ? t('attachments.badType', { type }) : t('attachments.badTypeUnknown')
    }
    const fileError = err.problem.errors?.find((e) => e.field === 'file')
    if (fileError?.rule === 'required') return t('attachments.emptyFile')
  }
  return errorMessage(err, t)
}

let seq = 0

/**
 * Picks or takes dropped files and uploads each at once, with its progress; a file
 * can be cancelled while it uploads and removed afterwards. The value (for a
 * Form.Item) is the list of entries; send attachmentIds(value). The component owns
 * the list once mounted (progress arrives long after the render that started it), so
 * a later value from outside is not taken over: give it a new key to clear it.
 */
export function AttachmentUpload({
  itemId,
  value,
  onChange,
  maxBytes: givenMax,
  disabled,
}: {
  itemId: string
  value?: UploadEntry[]
  onChange?: (entries: UploadEntry[]) => void
  maxBytes?: number
  disabled?: boolean
}) {
  const { t } = useTranslation()
  // The server's limit (DUBAN_UPLOAD_LIMIT) from GET /attachments/policy, so that a
  // file it would refuse is refused before it is sent.
  const policy = useQuery({
    queryKey: ['attachments', 'policy'],
    queryFn: () => call(api.GET('/attachments/policy')),
    staleTime: 10 * 60_000,
    enabled: givenMax === undefined,
  })
  const maxBytes = givenMax ?? policy.data?.max_bytes ?? DEFAULT_MAX_BYTES
  const [entries, setEntries] = useState<UploadEntry[]>(value ?? [])
  const current = useRef(entries)
  const tasks = useRef(new Map<string, UploadTask>())

  useEffect(() => {
    const running = tasks.current
    // A closed form must not keep sending files nobody will link.
    return () => running.forEach((task) => task.abort())
  }, [])

  const update = (fn: (list: UploadEntry[]) => UploadEntry[]) => {
    const next = fn(current.current)
    current.current = next
    setEntries(next)
    onChange?.(next)
  }
  const patch = (uid: string, p: Partial<UploadEntry>) => update((list) => list.map((e) => (e.uid === uid ? { ...e, ...p } : e)))

  const start = (file: File) => {
    const uid = `upload-${++seq}`
    const entry: UploadEntry = { uid, name: file.name, size: file.size, status: 'uploading', percent: 0 }
    if (file.size > maxBytes || file.size === 0) {
      const error = file.size === 0 ? t('attachments.emptyFile') : t('attachments.tooLarge', { size: formatSize(maxBytes) })
      update((list) => [...list, { ...entry, status: 'error', error }])
      return
    }
    update((list) => [...list, entry])
    const task = uploadAttachment(itemId, file, { onProgress: (percent) => patch(uid, { percent }) })
    tasks.current.set(uid, task)
    task.promise
      .then((attachment) => patch(uid, { status: 'done', percent: 100, attachment }))
      .catch((e: unknown) => {
        if (!(e instanceof UploadAborted)) patch(uid, { status: 'error', error: uploadErrorMessage(e, t, maxBytes) })
      })
      .finally(() => tasks.current.delete(uid))
  }

  const remove = (uid: string) => {
    tasks.current.get(uid)?.abort()
    tasks.current.delete(uid)
    update((list) => list.filter((e) => e.uid !== uid))
  }

  return (
    <div data-testid="attachment-upload">
      <Upload.Dragger
        multiple
        accept={ACCEPT}
        disabled={disabled}
        showUploadList={false}
        beforeUpload={(file) => {
          start(file)
          // The component sends the file itself (with the session's token).
          return Upload.LIST_IGNORE
        }}
      >
        <p className="ant-upload-text" style={{ fontSize: 14 }}>
          <InboxOutlined style={{ marginInlineEnd: 8 }} />
          {t('attachments.drop')}
        </p>
        <p className="ant-upload-hint" style={{ fontSize: 12 }}>
          {t('attachments.hint', { size: formatSize(maxBytes) })}
        </p>
      </Upload.Dragger>
      {entries.map((e) => (
        <div key={e.uid} data-testid="upload-entry" data-status={e.status} style={{ marginTop: 8 }}>
          <Flex align="center" gap={8}>
            <PaperClipOutlined />
            <Typography.Text ellipsis style={{ flex: 1, minWidth: 0 }} title={e.name}>
              {e.name}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
              {formatSize(e.size)}
            </Typography.Text>
            {e.status === 'done' && (
              <Tooltip title={t('attachments.uploaded')}>
                <CheckCircleFilled style={{ color: '#52c41a' }} aria-label={t('attachments.uploaded')} />
              </Tooltip>
            )}
            <Tooltip title={e.status === 'uploading' ? t('attachments.cancel') : t('attachments.remove')}>
              <Button
                size="small"
                type="text"
                icon={e.status === 'uploading' ? <CloseOutlined /> : <DeleteOutlined />}
                aria-label={e.status === 'uploading' ? t('attachments.cancel') : t('attachments.remove')}
                data-testid="upload-remove"
                onClick={() => remove(e.uid)}
              />
            </Tooltip>
          </Flex>
          {e.status === 'uploading' && (
            <Progress percent={e.percent} size="small" status="active" data-testid="upload-progress" aria-label={t('attachments.uploading')} />
          )}
          {e.status === 'error' && (
            <Typography.Text type="danger" data-testid="upload-error">
              {t('attachments.failed', { reason: e.error })}
            </Typography.Text>
          )}
        </div>
      ))}
    </div>
  )
}
