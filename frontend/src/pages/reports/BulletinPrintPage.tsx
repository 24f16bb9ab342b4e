import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons'
import { Button } from 'antd'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useParams } from 'react-router'
import { ApiError } from '../../api/problem'
import { LanguageToggle } from '../../components/LanguageToggle'
import { NotFoundState } from '../../components/ResultStates'
import { ErrorState, Loading } from '../../components/States'
import { formatDate } from '../../lib/time'
import '../items/print/print.css'
import './bulletin-print.css'
import { BulletinBody } from './BulletinBody'
import { useBulletin } from './BulletinDetailPage'

/** 督查督办通报 on A4, in the red-header document style, page numbers at the foot. */
export default function BulletinPrintPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { id = '' } = useParams()
  const q = useBulletin(id)
  const b = q.data
  useEffect(() => {
    if (!b) return
    const before = document.title
    document.title = `${b.doc_no} ${b.title}`.trim()
    return () => {
      document.title = before
    }
  }, [b])
  return (
    <div className="print-root" data-testid="print-bulletin">
      <div className="print-toolbar" data-testid="print-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(`/bulletins/${id}`)} data-testid="print-back">
          {t('print.toolbar.back')}
        </Button>
        <Button type="primary" icon={<PrinterOutlined />} disabled={!b} onClick={() => window.print()} data-testid="print-button">
          {t('print.toolbar.print')}
        </Button>
        <LanguageToggle />
        <span className="print-hint">{t('print.toolbar.hint')}</span>
      </div>
      {q.isPending && <Loading />}
      {q.isError && (
        <div className="print-state">
          {q.error instanceof ApiError && q.error.status === 404 ? <NotFoundState /> : <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
        </div>
      )}
      {b && (
        <div className="print-paper bulletin-paper" data-testid="print-paper">
          <div className="bulletin-redhead" data-testid="print-title">
            {t('reports.bulletins.title')}
          </div>
          <div className="bulletin-docno" data-testid="print-number">
            {b.doc_no || t(`reports.bulletins.states.${b.state ?? 'draft'}`)}
          </div>
          <hr className="bulletin-rule" />
          <h1 className="print-title">{b.title}</h1>
          <div className="print-subtitle">
            {b.period_from} ~ {b.period_to} · {t('reports.bulletins.generatedAt', { date: formatDate(b.data?.generated_at) })}
          </div>
          <BulletinBody b={b} section={(k) => <p className="print-para">{b.sections?.[k] || t('print.common.none')}</p>} />
          <div className="print-closing">
            <div>{t('reports.bulletins.issuer', { org: b.data?.scope_name ?? '' })}</div>
            <div>{formatDate(b.published_at ?? b.updated_at)}</div>
          </div>
          <div className="bulletin-copyto">{t('reports.bulletins.copyTo')}</div>
        </div>
      )}
    </div>
  )
}
