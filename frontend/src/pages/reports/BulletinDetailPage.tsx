import { DownloadOutlined, PrinterOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Input, Space, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useParams } from 'react-router'
import { api, ifMatch } from '../../api/client'
import { ApiError, call, errorMessage } from '../../api/problem'
import { PageHeader } from '../../components/PageHeader'
import { NotFoundState } from '../../components/ResultStates'
import { ErrorState, Loading } from '../../components/States'
import { formatDate } from '../../lib/time'
import '../items/print/print.css'
import { BulletinBody, SECTIONS, type Bulletin } from './BulletinBody'
import { downloadAPI } from './download'

type Sections = NonNullable<Bulletin['sections']>

/** The texts of a bulletin that has none yet (the document's sections are all required). */
const NO_SECTIONS: Sections = { summary: '', highlights: '', problems: '', next_steps: '' }

export function useBulletin(id: string) {
  return useQuery({
    queryKey: ['bulletins', id],
    queryFn: () => call(api.GET('/bulletins/{id}', { params: { path: { id } } })),
  })
}

/** A bulletin: the office edits a draft's texts, refreshes its figures, publishes it. */
export default function BulletinDetailPage() {
  const { t } = useTranslation()
  const { message, modal } = App.useApp()
  const navigate = useNavigate()
  const { id = '' } = useParams()
  const qc = useQueryClient()
  const q = useBulletin(id)
  const b = q.data
  const editable = !!b?.allowed_actions?.includes('update')
  // the office's unsaved texts; null while they are the bulletin's own
  const [edits, setEdits] = useState<Sections | null>(null)
  const dirty = edits !== null
  const draft: Sections = edits ?? b?.sections ?? NO_SECTIONS
  const onDone = (next: Bulletin, msg: string) => {
    qc.setQueryData(['bulletins', id], next)
    void qc.invalidateQueries({ queryKey: ['bulletins', 'list'] })
    setEdits(null)
    void message.success(msg)
  }
  const onError = (e: unknown) => {
    if (e instanceof ApiError && e.status === 412) void message.error(t('reports.bulletins.stale'))
    else void message.error(errorMessage(e, t))
  }
  const save = useMutation({
    mutationFn: (refresh: boolean) =>
      call(
        api.PATCH('/bulletins/{id}', {
          params: { path: { id }, header: { 'If-Match': ifMatch(b?.version) } },
          body: refresh ? { refresh: true, sections: draft } : { sections: draft },
        }),
      ),
    onSuccess: (next, refresh) => onDone(next, refresh ? t('reports.bulletins.refreshed') : t('reports.bulletins.saved')),
    onError,
  })
  const publish = useMutation({
    mutationFn: async () => {
      if (dirty) {
        const saved = await call(
          api.PATCH('/bulletins/{id}', { params: { path: { id }, header: { 'If-Match': ifMatch(b?.version) } }, body: { sections: draft } }),
        )
        return call(api.POST('/bulletins/{id}/publish', { params: { path: { id }, header: { 'If-Match': ifMatch(saved.version) } } }))
      }
      return call(api.POST('/bulletins/{id}/publish', { params: { path: { id }, header: { 'If-Match': ifMatch(b?.version) } } }))
    },
    onSuccess: (next) => onDone(next, t('reports.bulletins.published', { docNo: next.doc_no })),
    onError,
  })
  if (q.isPending) return <Loading />
  if (q.isError) return q.error instanceof ApiError && q.error.status === 404 ? <NotFoundState /> : <ErrorState error={q.error} onRetry={() => void q.refetch()} />
  if (!b) return null
  return (
    <>
      <PageHeader
        title={
          <Space wrap>
            {b.title}
            <Tag color={b.state === 'published' ? 'green' : 'default'} data-testid="bulletin-state">
              {t(`reports.bulletins.states.${b.state ?? 'draft'}`)}
            </Tag>
          </Space>
        }
        extra={
          <Space wrap>
            {editable && (
              <>
                <Button onClick={() => save.mutate(false)} loading={save.isPending} disabled={!dirty} data-testid="bulletin-save">
                  {t('reports.bulletins.save')}
                </Button>
                <Button icon={<ReloadOutlined />} onClick={() => save.mutate(true)} loading={save.isPending} data-testid="bulletin-refresh">
                  {t('reports.bulletins.refresh')}
                </Button>
                <Button
                  type="primary"
                  icon={<SendOutlined />}
                  loading={publish.isPending}
                  data-testid="bulletin-publish"
                  onClick={() =>
                    void modal.confirm({
                      title: t('reports.bulletins.publish'),
                      content: t('reports.bulletins.publishConfirm'),
                      okButtonProps: { 'data-testid': 'bulletin-publish-ok' },
                      onOk: () => publish.mutateAsync(),
                    })
                  }
                >
                  {t('reports.bulletins.publish')}
                </Button>
              </>
            )}
            <Button icon={<PrinterOutlined />} onClick={() => void navigate(`/bulletins/${id}/print`)} data-testid="bulletin-print">
              {t('reports.bulletins.print')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => void downloadAPI(`/bulletins/${id}/appendix.xlsx`, undefined, 'appendix.xlsx').catch((e: unknown) => void message.error(errorMessage(e, t)))}
              data-testid="bulletin-appendix"
            >
              {t('reports.bulletins.appendix')}
            </Button>
          </Space>
        }
      />
      <Card>
        <Typography.Paragraph type="secondary" data-testid="bulletin-meta">
          {b.doc_no ? <strong data-testid="bulletin-docno">{b.doc_no}</strong> : null} {b.period_from} ~ {b.period_to} ·{' '}
          {t('reports.bulletins.generatedAt', { date: formatDate(b.data?.generated_at) })}
        </Typography.Paragraph>
        <BulletinBody
          b={b}
          section={(k) =>
            editable ? (
              <Input.TextArea
                aria-label={t(`reports.bulletins.sections.${k}`)}
                autoSize={{ minRows: 2, maxRows: 12 }}
                maxLength={20000}
                value={draft[k]}
                onChange={(e) => setEdits({ ...draft, [k]: e.target.value })}
                data-testid={`bulletin-section-${k}`}
              />
            ) : (
              <p className="print-para" data-testid={`bulletin-section-${k}`}>
                {b.sections?.[k] || t('print.common.none')}
              </p>
            )
          }
        />
      </Card>
    </>
  )
}

export { SECTIONS }
