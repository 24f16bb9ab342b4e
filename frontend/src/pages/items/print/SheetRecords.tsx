import { useTranslation } from 'react-i18next'
import type { PrintData } from './data'
import { RecordTable } from './PrintFrame'
import { SheetMethods } from './SheetMethods'
import {
  commentRows,
  completionRows,
  deadlineHistory,
  extensionRows,
  feedbackRows,
  signOffRows,
  urgeRows,
  verificationRows,
  type Step,
} from './rows'

/** The handling records of the processing sheet (四 to 十), oldest first in each table. */
export function SheetRecords({ data }: { data: PrintData }) {
  const { t } = useTranslation()
  const { item, names } = data
  // an agreeing comment says so itself ("同意办结。"); a refusal keeps its label before the reason
  const opinion = (s: Step) => (s.verdict === 'agree' && s.comment ? s.comment : [t(`print.verdicts.${s.verdict}`), s.comment].filter(Boolean).join(t('print.common.colon')))
  const stepText = (s: Step | null) => (s ? [opinion(s), [s.by, s.at].filter(Boolean).join(' ')].filter(Boolean).join('\n') : '')
  const requestState = (s: string) => (s ? t(`followup.states.${s}`, { defaultValue: s }) : '')
  const signoff = signOffRows(item, data.completions, data.units, names)
  return (
    <>
      <h2 className="print-section">{t('print.sheet.feedback')}</h2>
      <RecordTable
        testId="sheet-feedback"
        heads={[t('print.sheet.reportedAt'), t('items.unit'), t('print.sheet.progress'), t('print.sheet.handling'), t('print.sheet.reporter'), t('print.sheet.review')]}
        widths={[13, 15, 8, 36, 11, 17]}
        rows={feedbackRows(data.feedback, names)}
        keyOf={(r) => r.id}
        cells={(r) => [
          r.at,
          r.unit,
          `${r.progress}%`,
          [r.content, r.problems && `${t('print.sheet.problems')}${r.problems}`, r.nextSteps && `${t('print.sheet.nextSteps')}${r.nextSteps}`]
            .filter(Boolean)
            .join('\n'),
          r.reporter,
          [requestState(r.state), r.reviewComment, [r.reviewer, r.reviewedAt].filter(Boolean).join(' ')].filter(Boolean).join('\n'),
        ]}
      />

      <h2 className="print-section">{t('print.sheet.urges')}</h2>
      <RecordTable
        testId="sheet-urges"
        heads={[t('print.sheet.urgeAt'), t('items.unit'), t('print.sheet.urgeKind'), t('print.sheet.urgeBy'), t('print.sheet.urgeMessage'), t('print.sheet.ackAt')]}
        widths={[15, 15, 9, 11, 32, 18]}
        rows={urgeRows(data.urges, names)}
        keyOf={(r) => r.id}
        cells={(r) => [r.at, r.unit, t(`followup.${r.kind}`), r.by, r.message, r.acknowledged]}
      />

      <h2 className="print-section">{t('print.sheet.deadlines')}</h2>
      <RecordTable
        testId="sheet-deadlines"
        heads={[
          t('print.sheet.deadlineNo'),
          t('print.sheet.deadlineKind'),
          t('print.sheet.deadlineFrom'),
          t('print.sheet.deadlineTo'),
          t('print.sheet.deadlineLeader'),
          t('print.sheet.deadlineNote'),
          t('print.sheet.deadlineAt'),
        ]}
        widths={[7, 14, 14, 14, 12, 25, 14]}
        rows={deadlineHistory(item, data.deadlineChanges, names)}
        keyOf={(r) => String(r.no)}
        cells={(r) => [String(r.no), t(`print.sheet.deadlineKinds.${r.kind}`), r.from, r.to, r.leader, r.note, r.at]}
      />
      <h3 className="print-section print-subsection">{t('print.sheet.extensions')}</h3>
      <RecordTable
        testId="sheet-extensions"
        heads={[
          t('print.sheet.requestedAt'),
          t('print.sheet.requestedTo'),
          t('print.sheet.reason'),
          t('print.sheet.officeReview'),
          t('print.sheet.leaderDecision'),
          t('print.sheet.result'),
        ]}
        widths={[13, 15, 28, 17, 17, 10]}
        rows={extensionRows(data.extensions, names)}
        keyOf={(r) => r.id}
        cells={(r) => [
          [r.at, r.unit].filter(Boolean).join('\n'),
          `${r.from} → ${r.to}`,
          [r.reason, r.progress !== null && t('print.sheet.progressOf', { progress: r.progress })].filter(Boolean).join('\n'),
          stepText(r.review),
          stepText(r.decision),
          requestState(r.state),
        ]}
      />

      <h2 className="print-section">{t('print.sheet.completion')}</h2>
      <RecordTable
        testId="sheet-completion"
        heads={[
          t('print.sheet.requestedAt'),
          t('print.sheet.summary'),
          t('print.sheet.materials'),
          t('print.sheet.officeReview'),
          t('print.sheet.leaderDecision'),
          t('print.sheet.result'),
        ]}
        widths={[13, 30, 13, 17, 17, 10]}
        rows={completionRows(data.completions, names)}
        keyOf={(r) => r.id}
        cells={(r) => [
          [r.at, r.by].filter(Boolean).join('\n'),
          r.summary,
          [r.materials.map((k) => t(`print.sheet.materialKinds.${k}`, { defaultValue: k })).join(t('print.common.listSep')), r.files > 0 && t('print.sheet.files', { count: r.files })]
            .filter(Boolean)
            .join('\n'),
          stepText(r.review),
          stepText(r.decision),
          requestState(r.state),
        ]}
      />

      <h2 className="print-section">{t('print.sheet.comments')}</h2>
      <RecordTable
        testId="sheet-comments"
        heads={[t('print.sheet.commentAt'), t('followup.kind'), t('print.sheet.commentBy'), t('followup.body')]}
        widths={[14, 12, 14, 60]}
        rows={commentRows(data.comments, names)}
        keyOf={(r) => r.id}
        cells={(r) => [r.at, t(`followup.kinds.${r.kind}`, { defaultValue: r.kind }), r.by, r.body]}
      />

      <h2 className="print-section">{t('print.sheet.verifications')}</h2>
      <RecordTable
        testId="sheet-verifications"
        heads={[t('print.sheet.verifiedAt'), t('followup.method'), t('followup.result'), t('followup.findings'), t('print.sheet.verifiedBy')]}
        widths={[14, 14, 16, 42, 14]}
        rows={verificationRows(data.verifications, names)}
        keyOf={(r) => r.id}
        cells={(r) => [
          r.at,
          t(`followup.methods.${r.method}`, { defaultValue: r.method }),
          t(`followup.results.${r.result}`, { defaultValue: r.result }),
          r.findings,
          r.by,
        ]}
      />

      <SheetMethods data={data} />

      <div className="print-signoff">
        <h2 className="print-section">{t('print.sheet.signoff')}</h2>
        <table className="print-table" data-testid="sheet-signoff">
          <colgroup>
            <col style={{ width: '18%' }} />
            <col style={{ width: '46%' }} />
            <col style={{ width: '18%' }} />
            <col style={{ width: '18%' }} />
          </colgroup>
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">{t('print.common.opinion')}</th>
              <th scope="col">{t('print.common.sign')}</th>
              <th scope="col">{t('print.common.date')}</th>
            </tr>
          </thead>
          <tbody>
            {signoff.map((r) => (
              <tr key={r.role} data-testid={`signoff-${r.role}`}>
                <th scope="row">{t(`print.sheet.signRoles.${r.role}`)}</th>
                <td>
                  {r.recorded && <div>{opinion(r.recorded)}</div>}
                  {r.expected && <div className="print-small">{t('print.sheet.expected', { name: r.expected })}</div>}
                </td>
                <td>{r.recorded?.by && <div className="print-small">{t('print.common.system', { name: r.recorded.by })}</div>}</td>
                <td className="print-center">{r.recorded?.at || t('print.common.yearMonthDay')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
