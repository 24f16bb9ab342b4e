import { Flex, Typography } from 'antd'
import type { ReactNode } from 'react'

export function PageHeader({ title, extra }: { title: ReactNode; extra?: ReactNode }) {
  return (
    <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
      {/* the page's one h1, at the size of an h3 */}
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24, lineHeight: 1.33 }} data-testid="page-title">
        {title}
      </Typography.Title>
      {extra}
    </Flex>
  )
}
