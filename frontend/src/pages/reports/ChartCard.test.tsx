import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import '../../i18n'
import { ChartCard } from './ChartCard'

describe('ChartCard', () => {
  const series = [{ name: '超期未办结', values: [3, 1], color: '#cf1322' }]

  it('shows the same numbers as a table, and a number drills down', async () => {
    const onSelect = vi.fn()
    render(<ChartCard testId="c" title="各单位超期" summary="各单位超期：甲 3，乙 1" categories={['甲', '乙']} series={series} onSelect={onSelect} />)
    fireEvent.click(screen.getByText('表格'))
    await waitFor(() => expect(screen.getByTestId('c-table')).toBeInTheDocument())
    expect(screen.getByText('甲')).toBeInTheDocument()
    fireEvent.click(screen.getByRole('button', { name: '1' }))
    expect(onSelect).toHaveBeenCalledWith(1, 0)
  })

  it('says so when there is nothing to show', () => {
    render(<ChartCard testId="e" title="空" summary="" categories={[]} series={series} />)
    expect(screen.getByText('暂无数据')).toBeInTheDocument()
  })
})
