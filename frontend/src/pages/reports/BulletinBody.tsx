import { useTranslation } from 'react-i18next'
import type { Schemas } from '../../api/client'
import { pct } from './stats'

export type Bulletin = Schemas['Bulletin']
type Line = Schemas['BulletinItemLine']

const SECTIONS = ['summary', 'highlights', 'problems', 'next_steps'] as const
export { SECTIONS }

function Lines({ rows, note, testId }: { rows: Line[]; note?: boolean; testId: string }) {
  const { t } = useTranslation()
  return (
    <table className="print-table print-records" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col" style={{ width: '18%' }}>{t('items.code')}</th>
          <th scope="col">{t('items.itemTitle')}</th>
          <th scope="col" style={{ width: '16%' }}>{t('items.leadUnit')}</th>
          <th scope="col" style={{ width: '13%' }}>{t('items.deadline')}</th>
          <th scope="col" style={{ width: note ? '22%' : '11%' }}>{note ? t('reports.bulletins.findings') : t('reports.bulletins.daysOverdue')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={5} className="print-center">
              {t('print.common.none')}
            </td>
          </tr>
        ) : (
          rows.map((l) => (
            <tr key={`${l.item_id}-${l.note ?? ''}`}>
              <td>{l.code}</td>
              <td>{l.title}</td>
              <td>{l.lead_unit}</td>
              <td>{l.deadline}</td>
              <td>{note ? l.note : l.days_overdue}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  )
}

/**
 * The figures and lists of a bulletin as a document (the detail page and the
 * print view share it); sections renders the office's texts (editable or not).
 */
export function BulletinBody({ b, section }: { b: Bulletin; section: (key: (typeof SECTIONS)[number]) => React.ReactNode }) {
  const { t } = useTranslation()
  const d = b.data
  const f = d?.overview
  const head = ['assigned', 'in_progress', 'closed', 'closed_on_time', 'on_time_rate', 'overdue_now', 'urges', 'verification_failures'] as const
  const cell = (k: (typeof head)[number], x: typeof f) => (k === 'on_time_rate' ? pct(x?.on_time_rate) : (x?.[k] ?? 0))
  return (
    <div className="bulletin-body">
      {SECTIONS.map((k) => (
        <section key={k}>
          <h2 className="print-section">{t(`reports.bulletins.sections.${k}`)}</h2>
          {section(k)}
        </section>
      ))}
      <h2 className="print-section">{t('reports.bulletins.overview')}</h2>
      <table className="print-table print-records" data-testid="bulletin-overview">
        <thead>
          <tr>
            {head.map((k) => (
              <th key={k} scope="col">
                {t(`reports.figures.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {head.map((k) => (
              <td key={k} className="print-center">
                {cell(k, f)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      <h2 className="print-section">{t('reports.bulletins.units')}</h2>
      <table className="print-table print-records" data-testid="bulletin-units">
        <thead>
          <tr>
            <th scope="col" style={{ width: '22%' }}>{t('reports.unit')}</th>
            {head.map((k) => (
              <th key={k} scope="col">
                {t(`reports.figures.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(d?.units ?? []).length === 0 ? (
            <tr>
              <td colSpan={head.length + 1} className="print-center">
                {t('print.common.none')}
              </td>
            </tr>
          ) : (
            (d?.units ?? []).map((u) => (
              <tr key={u.unit_id}>
                <td>{u.unit_name}</td>
                {head.map((k) => (
                  <td key={k} className="print-center">
                    {cell(k, u)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
      <h2 className="print-section">{t('reports.bulletins.overdue')}</h2>
      <Lines rows={d?.overdue ?? []} testId="bulletin-overdue" />
      <h2 className="print-section">{t('reports.bulletins.warnings')}</h2>
      <Lines rows={d?.warnings ?? []} testId="bulletin-warnings" />
      <h2 className="print-section">{t('reports.bulletins.failures')}</h2>
      <Lines rows={d?.verification_failures ?? []} note testId="bulletin-failures" />
      <h2 className="print-section">{t('reports.bulletins.commended')}</h2>
      <p className="print-para" data-testid="bulletin-commended">
        {(d?.commended ?? []).map((u) => `${u.unit_name}（${u.reason}）`).join('；') || t('print.common.none')}
      </p>
      <h2 className="print-section">{t('reports.bulletins.criticised')}</h2>
      <p className="print-para" data-testid="bulletin-criticised">
        {(d?.criticised ?? []).map((u) => `${u.unit_name}（${u.reason}）`).join('；') || t('print.common.none')}
      </p>
    </div>
  )
}
