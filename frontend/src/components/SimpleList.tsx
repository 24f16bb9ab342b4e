import { Empty } from 'antd'
import type { ReactNode } from 'react'

/** A plain divided list (antd's List is deprecated in v6). */
export function SimpleList<T>({
  items,
  keyOf,
  render,
  empty,
  size = 'default',
}: {
  items: readonly T[]
  keyOf: (item: T, index: number) => string
  render: (item: T) => ReactNode
  empty?: ReactNode
  size?: 'small' | 'default'
}) {
  if (items.length === 0) return <>{empty ?? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}</>
  return (
    <div className={`simple-list simple-list-${size}`}>
      {items.map((item, i) => (
        <div className="simple-list-item" key={keyOf(item, i)}>
          {render(item)}
        </div>
      ))}
    </div>
  )
}
