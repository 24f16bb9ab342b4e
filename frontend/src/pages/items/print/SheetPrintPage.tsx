import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import { formatDate } from '../../../lib/time'
import { usePrintData, type PrintData } from './data'
import { CoreRows, enumText, Field, PrintFrame, RecordTable, scopeName, FormCols } from './PrintFrame'
import { assignmentRows, noticeDeadline, registration } from './rows'
import { SheetRecords } from './SheetRecords'

/** 附件2《督查督办事项处理单》: the supervision office's record of the whole handling. */
export default function SheetPrintPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const state = usePrintData(id, 'sheet')
  const code = state.status === 'ready' ? (state.data.item.code ?? '') : ''
  return (
    <PrintFrame id={id} kind="sheet" state={state} docTitle={`${t('print.sheet.titleNoOrg')} ${code}`.trim()}>
      {(data) => <Sheet data={data} />}
    </PrintFrame>
  )
}

export function Sheet({ data }: { data: PrintData }) {
  const { t } = useTranslation()
  const { item, names } = data
  const org = scopeName(data)
  const reg = registration(item, data.events, names, data.route)
  const dl = noticeDeadline(item)
  const source = [enumText(t, 'sources', item.source), enumText(t, 'meetingTypes', item.meeting_type)].filter(Boolean).join(' · ')
  const approval = reg.approval
  const approvalText = !approval
    ? t('print.sheet.approvalPending')
    : approval.skipped
      ? t(item.category === 'document' ? 'print.sheet.approvalDocument' : 'print.sheet.approvalSkipped')
      : [approval.comment || t('print.verdicts.agree'), [approval.by, approval.at].filter(Boolean).join(' ')].filter(Boolean).join('\n')
  const milestones = [...data.milestones].sort((a, b) => a.sort - b.sort || a.due_date.localeCompare(b.due_date))
  return (
    <>
      <div className="print-annex">{t('print.sheet.annex')}</div>
      <h1 className="print-title" data-testid="print-title">
        {org ? t('print.sheet.title', { org }) : t('print.sheet.titleNoOrg')}
      </h1>
      {t('print.sheet.subtitle') && <div className="print-subtitle">{t('print.sheet.subtitle')}</div>}
      <div className="print-number" data-testid="print-number">
        {t('print.sheet.number', { code: item.code || '—' })}
      </div>
      {!item.issued_at && <div className="print-banner">{t('print.common.notIssued')}</div>}

      <h2 className="print-section">{t('print.sheet.registration')}</h2>
      <table className="print-table" data-testid="sheet-registration">
        <FormCols />
        <tbody>
          <tr>
            <Field label={t('items.code')}>{item.code || ''}</Field>
            <Field label={t('items.category')}>{enumText(t, 'categories', item.category)}</Field>
          </tr>
          <tr>
            <Field label={t('items.itemTitle')} span={3}>
              <strong data-testid="sheet-item-title">{item.title}</strong>
            </Field>
          </tr>
          <tr>
            <Field label={t('items.source')}>{source}</Field>
            <Field label={t('items.basis')}>{item.basis || ''}</Field>
          </tr>
          {item.source_ref && (
            <tr>
              <Field label={t('items.sourceRef')} span={3}>
                {item.source_ref}
              </Field>
            </tr>
          )}
          {item.doc_number && (
            <tr>
              <Field label={t('items.ref.docNumber')}>
                <span data-testid="sheet-doc-number">{item.doc_number}</span>
              </Field>
              <Field label={t('items.ref.docIssuer')}>{item.doc_issuer || ''}</Field>
            </tr>
          )}
          {item.instruction_text && (
            <tr>
              <Field label={t('items.ref.instructionText')} span={3}>
                {item.instruction_text}
              </Field>
            </tr>
          )}
          <CoreRows item={item} names={names} />
          <tr>
            <Field label={t('print.sheet.initiator')}>{reg.initiator}</Field>
            <Field label={t('items.method')}>{enumText(t, 'methods', item.method)}</Field>
          </tr>
          <tr>
            <Field label={t('items.deadline')}>
              <strong data-testid="sheet-deadline">{dl.deadline}</strong>
              {dl.original && <span className="print-small">{t('print.notice.extended', { date: dl.original })}</span>}
            </Field>
            <Field label={t('items.cadence')}>{enumText(t, 'cadences', item.feedback_cadence)}</Field>
          </tr>
          <tr>
            <Field label={t('items.urgency')}>{enumText(t, 'urgencies', item.urgency)}</Field>
            <Field label={t('print.sheet.state')}>
              <span data-testid="sheet-state">{enumText(t, 'states', item.state)}</span>
              {t('print.sheet.progressOf', { progress: item.progress })}
            </Field>
          </tr>
          <tr>
            <Field label={t('print.sheet.approval')}>{approvalText}</Field>
            <Field label={t('print.sheet.registrar')}>{[reg.registrar, reg.registeredAt === '—' ? '' : reg.registeredAt].filter(Boolean).join(' ')}</Field>
          </tr>
          {(item.closed_at || item.archived_at) && (
            <tr>
              <Field label={t('print.sheet.closedAt')}>{item.closed_at ? formatDate(item.closed_at) : ''}</Field>
              <Field label={t('print.sheet.archivedAt')}>{item.archived_at ? formatDate(item.archived_at) : ''}</Field>
            </tr>
          )}
          {item.cancel_reason && (
            <tr>
              <Field label={t('items.cancelReason')} span={3}>
                {item.cancel_reason}
              </Field>
            </tr>
          )}
        </tbody>
      </table>

      <h2 className="print-section">{t('print.sheet.assignments')}</h2>
      <RecordTable
        testId="sheet-assignments"
        heads={[t('items.unit'), t('items.role'), t('print.sheet.responsible'), t('items.assignmentState'), t('print.sheet.acceptedBy')]}
        widths={[28, 11, 17, 20, 24]}
        rows={assignmentRows(data.assignments, names)}
        keyOf={(r) => r.id}
        cells={(r) => [
          r.unit,
          t(`items.role_${r.role}`),
          r.responsible,
          r.state === 'returned' ? `${t('items.asg_returned')}${t('print.common.colon')}${r.returnReason}` : t(`items.asg_${r.state}`),
          [r.acceptedBy, r.acceptedAt].filter(Boolean).join('\n'),
        ]}
      />

      <h2 className="print-section">{t('print.sheet.milestones')}</h2>
      <RecordTable
        testId="sheet-milestones"
        heads={[t('print.sheet.deadlineNo'), t('items.milestoneTitle'), t('items.dueDate'), t('print.sheet.doneAt')]}
        widths={[8, 52, 18, 22]}
        rows={milestones}
        keyOf={(m) => m.id}
        cells={(m) => [
          String(milestones.indexOf(m) + 1),
          m.title,
          formatDate(m.due_date),
          m.done ? `${t('items.done')} ${formatDate(m.done_at)}` : t('items.notDone'),
        ]}
      />

      <SheetRecords data={data} />
    </>
  )
}
