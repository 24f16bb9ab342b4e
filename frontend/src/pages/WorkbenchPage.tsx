import { AppstoreOutlined, CalendarOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons'
import { Card, Col, Row, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { hasRole, useMe } from '../auth/auth'
import { EmptyState } from '../components/States'
import { companyToday } from '../lib/time'

export default function WorkbenchPage() {
  const { t } = useTranslation()
  const me = useMe()
  const admin = hasRole(me.data, 'admin')
  const links = [
    { to: '/items', icon: <AppstoreOutlined />, label: t('nav.items') },
    ...(admin
      ? [
          { to: '/org', icon: <TeamOutlined />, label: t('nav.org') },
          { to: '/calendar', icon: <CalendarOutlined />, label: t('nav.calendar') },
        ]
      : []),
    { to: '/me', icon: <UserOutlined />, label: t('nav.me') },
  ]
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="page-title">
        {t('workbench.welcome', { name: me.data?.display_name || me.data?.username || '' })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('workbench.today', { date: companyToday() })}
        {me.data?.org_unit_name ? ` · ${me.data.org_unit_name}` : ''}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card title={t('workbench.todo')}>
            <EmptyState description={t('workbench.todoSoon')} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('workbench.quickLinks')}>
            <Row gutter={[8, 8]}>
              {links.map((l) => (
                <Col span={12} key={l.to}>
                  <Link to={l.to}>
                    <Card size="small" hoverable styles={{ body: { textAlign: 'center' } }}>
                      <div style={{ fontSize: 22 }}>{l.icon}</div>
                      <div>{l.label}</div>
                    </Card>
                  </Link>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      </Row>
    </>
  )
}
