import { Flex, Typography } from 'antd'
import type { ReactNode } from 'react'

export function PageHeader({ title, extra }: { title: ReactNode; extra?: ReactNode }) {
  return (
    <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {title}
      </Typography.Title>
      {extra}
    </Flex>
  )
}
