import { useTranslation } from 'react-i18next'
import { formatDate } from '../../../lib/time'
import type { PrintData } from './data'
import { RecordTable } from './PrintFrame'

/** The other supervision methods of §13 on the processing sheet: the joint supervision
 * team (联合督办), visits on site (现场督办) and coordination meetings (组织协调). */
export function SheetMethods({ data }: { data: PrintData }) {
  const { t } = useTranslation()
  const { names } = data
  const m = data.methods
  if (!m || (m.joint_units.length === 0 && m.visits.length === 0 && m.coordinations.length === 0)) return null
  const visits = [...m.visits].reverse()
  const meetings = [...m.coordinations].reverse()
  const sep = t('print.common.colon')
  return (
    <>
      <h2 className="print-section">{t('methods.tab')}</h2>
      {m.joint_units.length > 0 && (
        <p data-testid="sheet-joint-units">
          {t('methods.joint')}
          {sep}
          {m.joint_units.map((j) => names.unit(j.unit_id)).join('、')}
        </p>
      )}
      {visits.length > 0 && (
        <>
          <h3 className="print-section print-subsection">{t('methods.visits')}</h3>
          <RecordTable
            testId="sheet-visits"
            heads={[t('methods.visitedOn'), t('methods.place'), t('methods.visitors'), t('methods.findings'), t('methods.authorisedBy')]}
            widths={[13, 17, 18, 36, 16]}
            rows={visits}
            keyOf={(v) => v.id}
            cells={(v) => [
              formatDate(v.visited_on),
              v.place,
              v.visitor_ids.map((u) => names.user(u)).join('、'),
              [v.findings, v.attachments.length > 0 && t('print.sheet.files', { count: v.attachments.length })].filter(Boolean).join('\n'),
              t('methods.authorisedNote', { leader: names.user(v.authorised_by) }),
            ]}
          />
        </>
      )}
      {meetings.length > 0 && (
        <>
          <h3 className="print-section print-subsection">{t('methods.coordinations')}</h3>
          <RecordTable
            testId="sheet-coordinations"
            heads={[t('methods.heldOn'), t('methods.place'), t('methods.attendeeUnits'), t('methods.decisions'), t('methods.minutes')]}
            widths={[13, 15, 20, 32, 20]}
            rows={meetings}
            keyOf={(c) => c.id}
            cells={(c) => [
              formatDate(c.held_on),
              c.place,
              [...c.attendee_unit_ids.map((u) => names.unit(u)), ...c.attendee_user_ids.map((u) => names.user(u))].join('、'),
              c.decisions
                .map((d, i) => `${i + 1}. ${d.text}${d.milestone_id ? `（${t('methods.milestoneMade')}）` : ''}${d.sub_item_id ? `（${t('methods.subItemMade')}）` : ''}`)
                .join('\n'),
              [c.minutes, c.attachments.length > 0 && t('print.sheet.files', { count: c.attachments.length })].filter(Boolean).join('\n'),
            ]}
          />
        </>
      )}
    </>
  )
}
