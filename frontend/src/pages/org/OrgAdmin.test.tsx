import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ReportView } from './OrgImportPage'
import { unitNodes } from './OrgChartPage'
import { fixture } from '../../test/fixture'

describe('import report', () => {
  it('lists the errors by sheet, row and column', () => {
    render(
      <ReportView
        report={{
          dry_run: true,
          applied: false,
          errors: [
            { sheet: 'users', row: 12, column: 'H', field: 'email', value: 'zhang@', message: 'must be an email address', rule: 'email' },
            { sheet: 'units', row: 4, column: 'D', field: 'kind', value: '科室', message: 'must be 集团, 企业 or 部门', rule: 'oneof' },
          ],
          units: { created: 0, updated: 0, unchanged: 0, deactivated: 0, reactivated: 0 },
          users: { created: 0, updated: 0, unchanged: 0, deactivated: 0, reactivated: 0 },
          changes: [],
          warnings: [],
        }}
      />,
    )
    expect(screen.getByTestId('import-status')).toHaveTextContent('发现 2 处错误')
    const rows = within(screen.getByTestId('import-errors')).getAllByRole('row').slice(1)
    expect(rows[0]).toHaveTextContent('单位4D科室')
    expect(rows[1]).toHaveTextContent('人员12Hzhang@邮箱格式不正确')
  })

  it('lists the changes of a clean file', () => {
    render(
      <ReportView
        report={{
          dry_run: true,
          applied: false,
          errors: [],
          units: { created: 1, updated: 0, unchanged: 3, deactivated: 0, reactivated: 0 },
          users: { created: 0, updated: 1, unchanged: 9, deactivated: 0, reactivated: 0 },
          changes: [
            { entity: 'unit', action: 'create', key: 'G-NEW', name: '新部门' },
            { entity: 'user', action: 'update', key: 'E001', name: '张伟', fields: ['org_unit_id', 'roles'] },
          ],
          warnings: [],
        }}
      />,
    )
    expect(screen.getByTestId('import-status')).toHaveTextContent('预检通过')
    expect(screen.getByTestId('import-status')).toHaveTextContent('单位：新增 1，变更 0，不变 3')
    expect(within(screen.getByTestId('import-changes')).getByText('org_unit_id, roles')).toBeInTheDocument()
  })
})

describe('org chart tree', () => {
  const tree = [
    {
      id: 'g',
      name: '集团公司',
      short_name: '',
      kind: 'group' as const,
      children: [
        { id: 'a', name: '规划发展部', short_name: '', kind: 'department' as const, children: [] },
        { id: 'e', name: '华东公司', short_name: '', kind: 'enterprise' as const, children: [{ id: 'ep', name: '生产部', short_name: '', kind: 'department' as const, children: [] }] },
      ],
    },
  ]
  const t = (k: string) => k
  it('keeps the units that match and the path to them', () => {
    const nodes = unitNodes(fixture(tree), '生产', t)
    expect(nodes).toHaveLength(1)
    expect(nodes[0].children?.map((n) => n.key)).toEqual(['e'])
    expect(nodes[0].children?.[0].children?.map((n) => n.key)).toEqual(['ep'])
    expect(unitNodes(fixture(tree), '', t)[0].children).toHaveLength(2)
    expect(unitNodes(fixture(tree), '没有', t)).toHaveLength(0)
  })
})
