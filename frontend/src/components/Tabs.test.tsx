import { render, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Tabs } from './Tabs'

describe('Tabs', () => {
  it('puts the tablist role on the list of tabs, not on the bar that also holds the overflow button', async () => {
    const { container } = render(
      <Tabs
        items={[
          { key: 'a', label: '基本信息', children: 'A' },
          { key: 'b', label: '进展反馈', children: 'B' },
        ]}
      />,
    )
    await waitFor(() => expect(screen.getByRole('tablist')).toHaveClass('ant-tabs-nav-list'))
    expect(screen.getAllByRole('tablist')).toHaveLength(1)
    expect(container.querySelector('.ant-tabs-nav')).not.toHaveAttribute('role')
    expect(screen.getByRole('tablist')).toHaveAttribute('aria-orientation', 'horizontal')
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['基本信息', '进展反馈'])
  })
})
