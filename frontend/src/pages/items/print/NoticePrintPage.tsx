import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import { formatDate } from '../../../lib/time'
import { usePrintData, type PrintData } from './data'
import { CoreRows, enumText, Field, PrintFrame, RecordTable, scopeName, FormCols } from './PrintFrame'
import { noticeContact, noticeDeadline, noticeGround, noticeSender, receiptRows } from './rows'

/** 附件1《督查督办任务通知》: what the issuer sends to the undertaking units. */
export default function NoticePrintPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const state = usePrintData(id, 'notice')
  const code = state.status === 'ready' ? (state.data.item.code ?? '') : ''
  return (
    <PrintFrame id={id} kind="notice" state={state} docTitle={`${t('print.notice.titleNoOrg')} ${code}`.trim()}>
      {(data) => <Notice data={data} />}
    </PrintFrame>
  )
}

export function Notice({ data }: { data: PrintData }) {
  const { t } = useTranslation()
  const { item, names } = data
  const org = scopeName(data)
  const issuerText = noticeSender(item, names, data.route, data.units)
  const dl = noticeDeadline(item)
  const coop = item.cooperating_unit_ids.map((u) => names.unit(u)).filter(Boolean)
  const source = [enumText(t, 'sources', item.source), enumText(t, 'meetingTypes', item.meeting_type)].filter(Boolean).join(' · ')
  const milestones = [...data.milestones].sort((a, b) => a.sort - b.sort || a.due_date.localeCompare(b.due_date))
  const issued = !!item.issued_at
  const initiator = names.user(item.initiator_user_id)
  const initiatorUnit = names.unit(item.initiator_unit_id)
  const receipts = receiptRows(item, data.assignments, names)
  const contact = noticeContact(data.office, { unit: initiatorUnit, name: initiator, phone: data.initiatorPhone })
  return (
    <>
      <div className="print-annex">{t('print.notice.annex')}</div>
      <h1 className="print-title" data-testid="print-title">
        {org ? t('print.notice.title', { org }) : t('print.notice.titleNoOrg')}
      </h1>
      {t('print.notice.subtitle') && <div className="print-subtitle">{t('print.notice.subtitle')}</div>}
      <div className="print-number" data-testid="print-number">
        {item.code ? t('print.notice.number', { code: item.code }) : t('print.notice.unnumbered')}
      </div>
      {!issued && <div className="print-banner">{t('print.common.notIssued')}</div>}
      <div className="print-line">{t('print.notice.to', { units: names.unit(item.lead_unit_id) || '—' })}</div>
      {coop.length > 0 && <div className="print-line">{t('print.notice.cc', { units: coop.join(t('print.common.listSep')) })}</div>}
      <p className="print-para">{t('print.notice.intro', { source: noticeGround(item.source_ref || source) || '—' })}</p>

      <table className="print-table" data-testid="notice-table">
        <FormCols />
        <tbody>
          <tr>
            <Field label={t('items.code')}>{item.code || ''}</Field>
            <Field label={t('print.notice.issueDate')}>{issued ? formatDate(item.issued_at) : ''}</Field>
          </tr>
          <tr>
            <Field label={t('items.itemTitle')} span={3}>
              <strong data-testid="notice-item-title">{item.title}</strong>
            </Field>
          </tr>
          <tr>
            <Field label={t('items.source')}>{source}</Field>
            <Field label={t('print.notice.issuer')}>
              <span data-testid="notice-issuer">{issuerText}</span>
            </Field>
          </tr>
          {item.source_ref && (
            <tr>
              <Field label={t('items.sourceRef')} span={3}>
                {item.source_ref}
              </Field>
            </tr>
          )}
          {item.basis && (
            <tr>
              <Field label={t('items.basis')} span={3}>
                {item.basis}
              </Field>
            </tr>
          )}
          <CoreRows item={item} names={names} />
          <tr>
            <Field label={t('items.deadline')}>
              <strong data-testid="notice-deadline">{dl.deadline}</strong>
              {dl.original && <span className="print-small">{t('print.notice.extended', { date: dl.original })}</span>}
            </Field>
            <Field label={t('print.notice.feedback')}>{enumText(t, 'cadences', item.feedback_cadence)}</Field>
          </tr>
          <tr>
            <Field label={t('items.method')}>{enumText(t, 'methods', item.method)}</Field>
            <Field label={t('items.urgency')}>{enumText(t, 'urgencies', item.urgency)}</Field>
          </tr>
          {milestones.length > 0 && (
            <tr>
              <Field label={t('items.milestones')} span={3}>
                {milestones.map((m, i) => `${i + 1}. ${formatDate(m.due_date)}\u3000${m.title}`).join('\n')}
              </Field>
            </tr>
          )}
          <tr>
            <Field label={t('print.notice.contact')}>
              <span data-testid="notice-contact">{contact.contact}</span>
            </Field>
            <Field label={t('print.notice.phone')}>
              <span data-testid="notice-phone">{contact.phone}</span>
            </Field>
          </tr>
        </tbody>
      </table>

      <div className="print-closing">
        <div>
          {issuerText}
          {t('print.common.seal')}
        </div>
        <div>{issued ? formatDate(item.issued_at) : t('print.common.yearMonthDay')}</div>
      </div>

      <h2 className="print-section">{t('print.notice.receipt')}</h2>
      <RecordTable
        testId="notice-receipt"
        heads={[t('print.notice.receiptUnit'), t('print.notice.receiptRole'), t('print.notice.receiptBy'), t('print.notice.receiptAt'), t('print.notice.receiptNote')]}
        widths={[28, 12, 18, 22, 20]}
        rows={receipts}
        keyOf={(r) => r.id}
        cells={(r) => [
          r.unit,
          t(`items.role_${r.role}`),
          r.acceptedBy,
          r.acceptedAt,
          r.state === 'returned' ? t('print.notice.returned', { reason: r.returnReason }) : '',
        ]}
      />
    </>
  )
}
