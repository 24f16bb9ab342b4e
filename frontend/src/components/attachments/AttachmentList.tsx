import {
  FileExcelOutlined,
  FileImageOutlined,
  FileOutlined,
  FilePdfOutlined,
  FilePptOutlined,
  FileTextOutlined,
  FileWordOutlined,
} from '@ant-design/icons'
import { App, Button, Flex, Tag, Typography } from 'antd'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../api/problem'
import { UserName } from '../../api/users'
import { formatDateTime } from '../../lib/time'
import { downloadAttachment } from './download'
import { formatSize, type Attachment } from './upload'

export type FileKind = 'pdf' | 'image' | 'word' | 'excel' | 'powerpoint' | 'office' | 'text' | 'ofd' | 'other'

/** The kind of a file, from the content type the server detected. */
export function kindOf(contentType: string | undefined): FileKind {
  const ct = contentType ?? ''
  if (ct === 'application/pdf') return 'pdf'
  if (ct.startsWith('image/')) return 'image'
  if (ct.startsWith('text/')) return 'text'
  if (ct === 'application/ofd') return 'ofd'
  if (ct.includes('wordprocessingml') || ct === 'application/msword') return 'word'
  if (ct.includes('spreadsheetml') || ct === 'application/vnd.ms-excel') return 'excel'
  if (ct.includes('presentationml') || ct === 'application/vnd.ms-powerpoint') return 'powerpoint'
  if (ct === 'application/x-ole-storage' || ct === 'application/vnd.ms-outlook') return 'office'
  return 'other'
}

const ICONS: Record<FileKind, ReactNode> = {
  pdf: <FilePdfOutlined style={{ color: '#cf1322' }} />,
  image: <FileImageOutlined style={{ color: '#389e0d' }} />,
  word: <FileWordOutlined style={{ color: '#1d39c4' }} />,
  excel: <FileExcelOutlined style={{ color: '#237804' }} />,
  powerpoint: <FilePptOutlined style={{ color: '#d4380d' }} />,
  office: <FileOutlined />,
  text: <FileTextOutlined />,
  ofd: <FileOutlined />,
  other: <FileOutlined />,
}

const OWNERS = ['item', 'feedback', 'completion_request', 'verification', 'comment'] as const

/** The follow-up tab that shows a record of the owner type. */
const OWNER_TABS: Record<string, string> = {
  feedback: 'feedback',
  completion_request: 'completion',
  verification: 'verifications',
  comment: 'comments',
}

export function ownerTab(ownerType: string | undefined): string | undefined {
  return ownerType ? OWNER_TABS[ownerType] : undefined
}

/** A file's name as a download link (through the session: the content needs the token). */
export function DownloadLink({ file }: { file: Attachment }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [busy, setBusy] = useState(false)
  return (
    <Button
      type="link"
      size="small"
      loading={busy}
      title={t('attachments.download')}
      data-testid="attachment-download"
      style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left', wordBreak: 'break-all' }}
      onClick={() => {
        setBusy(true)
        downloadAttachment(file)
          .catch((e: unknown) => void message.error(t('attachments.downloadFailed', { reason: errorMessage(e, t) })))
          .finally(() => setBusy(false))
      }}
    >
      {file.filename}
    </Button>
  )
}

/**
 * Files with name (a download link), kind, size, uploader and time; with source, also
 * the record each comes from (a link to its tab). labels add a tag per file id (a
 * completion material's kind, say). Nothing at all for no files, unless empty is given.
 */
export function AttachmentList({
  files,
  source,
  labels,
  empty,
  renderSource,
  actions,
}: {
  files: readonly Attachment[] | undefined
  source?: boolean
  labels?: Record<string, string>
  empty?: ReactNode
  /** how a source is shown; the owner type's name by default */
  renderSource?: (file: Attachment, name: string) => ReactNode
  /** what may be done to a file (beside its name), if anything */
  actions?: (file: Attachment) => ReactNode
}) {
  const { t } = useTranslation()
  if (!files || files.length === 0) return <>{empty ?? null}</>
  return (
    <div data-testid="attachment-list" style={{ width: '100%' }}>
      {files.map((f) => {
        const kind = kindOf(f.content_type)
        const owner = OWNERS.find((o) => o === f.owner_type) ?? 'other'
        const ownerName = t(`attachments.owners.${owner}`)
        return (
          <Flex key={f.id} gap={8} align="flex-start" style={{ padding: '4px 0' }} data-testid="attachment-row">
            <span style={{ fontSize: 18, lineHeight: '22px' }} aria-hidden>
              {ICONS[kind]}
            </span>
            <Flex vertical style={{ flex: 1, minWidth: 0 }}>
              <Flex wrap gap={4} align="center">
                <DownloadLink file={f} />
                {f.id && labels?.[f.id] && <Tag>{labels[f.id]}</Tag>}
                {actions?.(f)}
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`attachments.kinds.${kind}`)} · {formatSize(f.size)} · <UserName id={f.uploaded_by} /> · {formatDateTime(f.created_at)}
                {source && <> · {renderSource ? renderSource(f, ownerName) : ownerName}</>}
              </Typography.Text>
            </Flex>
          </Flex>
        )
      })}
    </div>
  )
}
