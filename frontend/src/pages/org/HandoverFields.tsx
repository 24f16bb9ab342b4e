import { useQueries } from '@tanstack/react-query'
import { Alert, Form, Table, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../api/client'
import { call } from '../../api/problem'
import { UserSelect } from './UserSelect'

type Holding = Schemas['HandoverHolding']
type Role = NonNullable<Holding['role']>

/** the roles in the order the dialog lists their successor pickers */
const ROLES: Role[] = ['supervising_leader', 'assisting_leader', 'responsible', 'head', 'liaison']
/** people whose holdings the dialog reads (a bulk action may take 1000) */
const MAX_PEOPLE = 20

/**
 * What the people being deactivated (toUnit undefined) or moved to toUnit hold,
 * with a successor picker per kind of post. It lives inside the caller's Form:
 * the pickers are the fields handover.<role>, which the caller sends as the
 * request's `handover`. An empty picker takes the default successor shown.
 */
export function HandoverFields({ userIds, toUnit }: { userIds: string[]; toUnit?: string }) {
  const { t } = useTranslation()
  const ids = userIds.slice(0, MAX_PEOPLE)
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['users', id, 'holdings', toUnit ?? 'deactivate'],
      queryFn: () =>
        call(api.GET('/users/{id}/holdings', { params: { path: { id }, query: { unit_id: toUnit } } })),
    })),
  })
  const rows: (Holding & { key: string })[] = []
  let required = false
  results.forEach((r, i) => {
    if (r.data?.successor_required) required = true
    for (const [j, h] of (r.data?.holdings ?? []).entries()) {
      if (h.handed_over) rows.push({ ...h, key: `${ids[i]}-${j}` })
    }
  })
  if (results.some((r) => r.isPending)) return <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
  if (rows.length === 0) {
    return (
      <Typography.Paragraph type="secondary" data-testid="handover-none">
        {t('handover.none')}
      </Typography.Paragraph>
    )
  }
  const roles = ROLES.filter((r) => rows.some((h) => h.role === r))
  return (
    <div data-testid="handover">
      <Typography.Paragraph strong>{t('handover.title')}</Typography.Paragraph>
      {userIds.length > MAX_PEOPLE && (
        <Typography.Paragraph type="secondary">{t('handover.firstOnly', { count: MAX_PEOPLE })}</Typography.Paragraph>
      )}
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        style={{ marginBottom: 16 }}
        columns={[
          { title: t('handover.role'), dataIndex: 'role', render: (r: Role) => <Tag>{t(`handover.roles.${r}`)}</Tag> },
          {
            title: t('handover.what'),
            key: 'what',
            render: (_, h) =>
              h.item_title ? (
                <span>
                  {h.item_code ? `${h.item_code} ` : ''}
                  {h.item_title}
                  {h.unit_name ? `（${h.unit_name}）` : ''}
                  {(h.pending_decisions ?? 0) > 0 && (
                    <Tag color="orange" style={{ marginLeft: 4 }}>
                      {t('handover.pending', { count: h.pending_decisions })}
                    </Tag>
                  )}
                </span>
              ) : (
                h.unit_name
              ),
          },
          {
            title: t('handover.default'),
            key: 'default',
            render: (_, h) => h.default_successor?.display_name ?? <Typography.Text type="secondary">{t(`handover.noDefault.${h.role ?? 'head'}`)}</Typography.Text>,
          },
        ]}
      />
      {required && <Alert type="warning" showIcon title={t('handover.required')} style={{ marginBottom: 16 }} data-testid="handover-required" />}
      {roles.map((r) => (
        <Form.Item
          key={r}
          name={['handover', r]}
          label={t('handover.successor', { role: t(`handover.roles.${r}`) })}
          rules={r === 'supervising_leader' && required ? [{ required: true, message: t('rules.required') }] : undefined}
        >
          <UserSelect
            role={r === 'supervising_leader' || r === 'assisting_leader' ? 'leader' : undefined}
            placeholder={t('handover.useDefault')}
            testId={`handover-${r}`}
          />
        </Form.Item>
      ))}
    </div>
  )
}
