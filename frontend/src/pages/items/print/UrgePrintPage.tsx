import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import { formatDate } from '../../../lib/time'
import { usePrintData, type PrintData } from './data'
import { enumText, Field, PrintFrame, scopeName, FormCols } from './PrintFrame'
import { noticeDeadline, type Urge } from './rows'

/** 催办通知: the supervision office's written urge to one unit, with a receipt. */
export default function UrgePrintPage() {
  const { t } = useTranslation()
  const { id = '', urgeId = '' } = useParams()
  const state = usePrintData(id, 'urge')
  // an urge id that is not the item's is a 404, like an item one may not see
  const urge = state.status === 'ready' ? state.data.urges.find((u) => u.id === urgeId) : undefined
  const shown = state.status === 'ready' && !urge ? { status: 'notfound' as const } : state
  const code = state.status === 'ready' ? (state.data.item.code ?? '') : ''
  return (
    <PrintFrame id={id} kind="urge" state={shown} docTitle={`${t('print.urge.titleNoOrg')} ${code}`.trim()}>
      {(data) => urge && <UrgeNotice data={data} urge={urge} />}
    </PrintFrame>
  )
}

/** The number of the urge among the item's urges to the same unit, oldest first (第 N 次催办). */
export function urgeOrdinal(urges: readonly Urge[], urge: Urge): number {
  const same = urges.filter((u) => u.unit_id === urge.unit_id).sort((a, b) => a.created_at.localeCompare(b.created_at))
  return same.findIndex((u) => u.id === urge.id) + 1
}

export function UrgeNotice({ data, urge }: { data: PrintData; urge: Urge }) {
  const { t } = useTranslation()
  const { item, names } = data
  const org = scopeName(data)
  const office = data.units.find((u) => u.is_supervision_office && u.scope_id === item.scope_id)
  const dl = noticeDeadline(item)
  const n = urgeOrdinal(data.urges, urge)
  return (
    <>
      <h1 className="print-title" data-testid="print-title">
        {org ? t('print.urge.title', { org }) : t('print.urge.titleNoOrg')}
      </h1>
      <div className="print-number" data-testid="print-number">
        {t('print.urge.number', { code: item.code ?? '', n })}
      </div>
      <div className="print-line" data-testid="urge-to">
        {t('print.urge.to', { unit: names.unit(urge.unit_id) })}
      </div>
      <p className="print-para">{t('print.urge.intro', { title: item.title, deadline: dl.deadline })}</p>
      <table className="print-table" data-testid="urge-table">
        <FormCols />
        <tbody>
          <tr>
            <Field label={t('items.code')}>{item.code}</Field>
            <Field label={t('items.deadline')}>
              <strong>{dl.deadline}</strong>
              {dl.original && <span className="print-small">{t('print.notice.extended', { date: dl.original })}</span>}
            </Field>
          </tr>
          <tr>
            <Field label={t('items.itemTitle')} span={3}>
              <strong>{item.title}</strong>
            </Field>
          </tr>
          <tr>
            <Field label={t('items.leadUnit')}>{names.unit(item.lead_unit_id)}</Field>
            <Field label={t('items.progress')}>{`${item.progress}%`}</Field>
          </tr>
          <tr>
            <Field label={t('print.urge.kind')}>{urge.kind === 'auto' ? t('followup.auto') : t('followup.manual')}</Field>
            <Field label={t('print.urge.state')}>{enumText(t, 'states', item.state)}</Field>
          </tr>
          <tr>
            <Field label={t('print.urge.message')} span={3} tall>
              <span data-testid="urge-message">{urge.message}</span>
            </Field>
          </tr>
          <tr>
            <Field label={t('print.urge.request')} span={3}>
              {t('print.urge.requestText')}
            </Field>
          </tr>
        </tbody>
      </table>
      <div className="print-closing">
        <div>
          {office?.name ?? ''}
          {t('print.common.seal')}
        </div>
        <div>
          {names.user(urge.created_by)} {formatDate(urge.created_at)}
        </div>
      </div>
      <h2 className="print-section">{t('print.urge.receipt')}</h2>
      <table className="print-table" data-testid="urge-receipt">
        <FormCols />
        <tbody>
          <tr>
            <Field label={t('print.notice.receiptUnit')}>{names.unit(urge.unit_id)}</Field>
            <Field label={t('print.notice.receiptBy')}>
              <span data-testid="urge-acknowledged-by">{names.user(urge.acknowledged_by)}</span>
            </Field>
          </tr>
          <tr>
            <Field label={t('print.notice.receiptAt')}>{urge.acknowledged_at ? formatDate(urge.acknowledged_at) : ''}</Field>
            <Field label={t('print.notice.receiptNote')} />
          </tr>
        </tbody>
      </table>
    </>
  )
}
