import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons'
import { Button } from 'antd'
import type { TFunction } from 'i18next'
import { useEffect, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { LanguageToggle } from '../../../components/LanguageToggle'
import { NotFoundState } from '../../../components/ResultStates'
import { ErrorState, Loading } from '../../../components/States'
import type { PrintData, PrintKind, PrintState } from './data'
import './print.css'

/**
 * A plain page (no app shell) for one printed form: the screen-only toolbar and the
 * A4 sheet. The loading, error and 404 states sit in the same frame so that the
 * toolbar's way back is always there.
 */
export function PrintFrame({
  id,
  kind,
  state,
  docTitle,
  children,
}: {
  id: string
  kind: PrintKind
  state: PrintState
  /** the browser's title while the form is shown: it names the PDF on "save as PDF" */
  docTitle?: string
  children: (data: PrintData) => ReactNode
}) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const ready = state.status === 'ready'
  useEffect(() => {
    if (!docTitle) return
    const before = document.title
    document.title = docTitle
    return () => {
      document.title = before
    }
  }, [docTitle])
  const other: Exclude<PrintKind, 'urge'> = kind === 'notice' ? 'sheet' : 'notice'
  return (
    <div className="print-root" data-testid={`print-${kind}`}>
      <div className="print-toolbar" data-testid="print-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(`/items/${id}`)} data-testid="print-back">
          {t('print.toolbar.back')}
        </Button>
        <Button type="primary" icon={<PrinterOutlined />} disabled={!ready} onClick={() => window.print()} data-testid="print-button">
          {t('print.toolbar.print')}
        </Button>
        <Button type="link" onClick={() => void navigate(`/items/${id}/print/${other}`, { replace: true })} data-testid={`print-switch-${other}`}>
          {t(`print.toolbar.${other}`)}
        </Button>
        <LanguageToggle />
        <span className="print-hint">{t('print.toolbar.hint')}</span>
      </div>
      {state.status === 'loading' && <Loading />}
      {state.status === 'notfound' && (
        <div className="print-state">
          <NotFoundState />
        </div>
      )}
      {state.status === 'error' && (
        <div className="print-state">
          <ErrorState error={state.error} onRetry={state.retry} />
        </div>
      )}
      {state.status === 'ready' && (
        <div className="print-paper" data-testid="print-paper">
          {children(state.data)}
        </div>
      )}
    </div>
  )
}

/** A label cell and its value, as on a paper form. */
export function Field({ label, children, span = 1, tall }: { label: ReactNode; children?: ReactNode; span?: number; tall?: boolean }) {
  return (
    <>
      <th scope="row">{label}</th>
      <td colSpan={span} className={tall ? 'print-tall' : undefined}>
        {children}
      </td>
    </>
  )
}

/**
 * A record table: column heads repeated on every page, one row per record, and a
 * single "none" row when empty so the form keeps its shape.
 */
export function RecordTable<R>({
  heads,
  widths,
  rows,
  keyOf,
  cells,
  testId,
}: {
  heads: ReactNode[]
  /** percentages of the columns, in order */
  widths: number[]
  rows: readonly R[]
  keyOf: (r: R) => string
  cells: (r: R) => ReactNode[]
  testId?: string
}) {
  const { t } = useTranslation()
  return (
    <table className="print-table print-records" data-testid={testId}>
      <colgroup>
        {widths.map((w, i) => (
          <col key={i} style={{ width: `${w}%` }} />
        ))}
      </colgroup>
      <thead>
        <tr>
          {heads.map((h, i) => (
            <th key={i} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={heads.length} className="print-center">
              {t('print.common.none')}
            </td>
          </tr>
        ) : (
          rows.map((r) => (
            <tr key={keyOf(r)}>
              {cells(r).map((c, i) => (
                <td key={i}>{c}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  )
}

/** The group's or enterprise's name that heads the form ("中国XX集团公司督查督办…"). */
export function scopeName(data: PrintData): string {
  return data.names.unit(data.item.scope_id)
}

/** An enum value in the items' own words (items.sources.board …), '' for none. */
export function enumText(t: TFunction, group: string, v?: string | null): string {
  return v ? t(`items.${group}.${v}`, { defaultValue: v }) : ''
}

/** The rows both forms share: what is to be done, by which units, under which leaders. */
export function CoreRows({ item, names }: { item: PrintData['item']; names: PrintData['names'] }) {
  const { t } = useTranslation()
  const list = (xs: string[]) => xs.filter(Boolean).join(t('print.common.listSep')) || t('print.common.none')
  return (
    <>
      <tr>
        <Field label={t('items.content')} span={3} tall>
          {item.content}
        </Field>
      </tr>
      <tr>
        <Field label={t('items.requirements')} span={3} tall>
          {item.requirements}
        </Field>
      </tr>
      <tr>
        <Field label={t('items.leadUnit')}>{names.unit(item.lead_unit_id)}</Field>
        <Field label={t('items.cooperatingUnits')}>{list(item.cooperating_unit_ids.map((u) => names.unit(u)))}</Field>
      </tr>
      <tr>
        <Field label={t('items.supervisingLeader')}>{names.user(item.supervising_leader_id)}</Field>
        <Field label={t('items.assistingLeaders')}>{list(item.assisting_leader_ids.map((u) => names.user(u)))}</Field>
      </tr>
    </>
  )
}

/** The column widths of the two-pair form tables (label, value, label, value). */
export function FormCols() {
  return (
    <colgroup>
      <col style={{ width: '18%' }} />
      <col style={{ width: '32%' }} />
      <col style={{ width: '18%' }} />
      <col style={{ width: '32%' }} />
    </colgroup>
  )
}
