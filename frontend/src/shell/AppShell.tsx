import {
  AlertOutlined,
  ApiOutlined,
  KeyOutlined,
  RobotOutlined,
  AppstoreOutlined,
  BarChartOutlined,
  FundOutlined,
  NotificationOutlined,
  TrophyOutlined,
  BellOutlined,
  CalendarOutlined,
  DashboardOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuOutlined,
  MenuUnfoldOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons'
import type { MenuProps } from 'antd'
import { App, Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, Typography } from 'antd'
import { Suspense, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, Outlet, useLocation, useNavigate } from 'react-router'
import { hasRole, useMe } from '../auth/auth'
import { session } from '../auth/session'
import { LanguageSwitch } from '../components/LanguageSwitch'
import { ErrorBoundary } from '../components/ErrorBoundary'
import { Loading } from '../components/States'
import { NotificationBell } from '../notifications/NotificationBell'

const { Header, Sider, Content } = Layout

function useNavItems(): MenuProps['items'] {
  const { t } = useTranslation()
  const me = useMe()
  const admin = hasRole(me.data, 'admin')
  const seesScope = ['admin', 'supervisor', 'leader', 'auditor'].some((r) => hasRole(me.data, r))
  const items: NonNullable<MenuProps['items']> = [
    { key: '/workbench', icon: <DashboardOutlined />, label: <Link to="/workbench">{t('nav.workbench')}</Link> },
    { key: '/items', icon: <AppstoreOutlined />, label: <Link to="/items">{t('nav.items')}</Link> },
    ...(seesScope ? [{ key: '/cockpit', icon: <FundOutlined />, label: <Link to="/cockpit">{t('reports.nav.cockpit')}</Link> }] : []),
    { key: '/my-unit', icon: <BarChartOutlined />, label: <Link to="/my-unit">{t('reports.nav.unit')}</Link> },
    { key: '/bulletins', icon: <NotificationOutlined />, label: <Link to="/bulletins">{t('reports.nav.bulletins')}</Link> },
    { key: '/assessments', icon: <TrophyOutlined />, label: <Link to="/assessments">{t('reports.nav.assessments')}</Link> },
  ]
  if (admin) {
    items.push(
      { key: '/org', icon: <TeamOutlined />, label: <Link to="/org">{t('nav.org')}</Link> },
      { key: '/calendar', icon: <CalendarOutlined />, label: <Link to="/calendar">{t('nav.calendar')}</Link> },
      { key: '/settings/warnings', icon: <AlertOutlined />, label: <Link to="/settings/warnings">{t('settings.nav')}</Link> },
      { key: '/settings/robots', icon: <RobotOutlined />, label: <Link to="/settings/robots">{t('delivery.robots.nav')}</Link> },
      { key: '/settings/webhooks', icon: <ApiOutlined />, label: <Link to="/settings/webhooks">{t('delivery.webhooks.nav')}</Link> },
      { key: '/service-accounts', icon: <KeyOutlined />, label: <Link to="/service-accounts">{t('svc.nav')}</Link> },
    )
  }
  // The reminder rules are the supervision office's as much as the admins'.
  if (['admin', 'supervisor', 'auditor'].some((r) => hasRole(me.data, r))) {
    items.push({
      key: '/settings/reminders',
      icon: <BellOutlined />,
      label: <Link to="/settings/reminders">{t('reminderSettings.nav')}</Link>,
    })
  }
  items.push({ key: '/me', icon: <UserOutlined />, label: <Link to="/me">{t('nav.me')}</Link> })
  return items
}

function selectedKey(pathname: string): string {
  // settings pages are entries of their own; elsewhere the first segment picks the entry
  if (pathname.startsWith('/settings/')) return pathname.split('/').slice(0, 3).join('/')
  const first = '/' + (pathname.split('/')[1] ?? '')
  return first
}

function Brand({ collapsed }: { collapsed?: boolean }) {
  const { t } = useTranslation()
  return (
    <Link to="/workbench" style={{ display: 'flex', alignItems: 'center', gap: 10, padding: '0 20px', height: 56 }}>
      <span
        aria-hidden
        style={{
          width: 28,
          height: 28,
          borderRadius: 6,
          background: '#b7202e',
          color: '#fff',
          display: 'inline-flex',
          alignItems: 'center',
          justifyContent: 'center',
          fontWeight: 700,
          flex: 'none',
        }}
      >
        督
      </span>
      {!collapsed && (
        <span style={{ color: '#fff', fontSize: 17, fontWeight: 600, whiteSpace: 'nowrap' }} data-testid="brand">
          {t('app.name')}
        </span>
      )}
    </Link>
  )
}

function UserMenu() {
  const { t } = useTranslation()
  const me = useMe()
  const navigate = useNavigate()
  const screens = Grid.useBreakpoint()
  const name = me.data?.display_name || me.data?.username || ''
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'me', icon: <UserOutlined />, label: t('nav.me') },
          { key: 'notifications', icon: <BellOutlined />, label: t('notificationSettings.title') },
          { type: 'divider' },
          { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout'), danger: true },
        ],
        onClick: ({ key }) => {
          if (key === 'me') void navigate('/me')
          if (key === 'notifications') void navigate('/me/notifications')
          if (key === 'logout') void session.logout().then(() => navigate('/login', { replace: true }))
        },
      }}
    >
      <Button type="text" data-testid="user-menu" style={{ height: 40 }}>
        <Avatar size="small" style={{ background: '#b7202e' }}>
          {name.slice(0, 1).toUpperCase()}
        </Avatar>
        {screens.sm && <span>{name}</span>}
      </Button>
    </Dropdown>
  )
}

export default function AppShell() {
  const { t } = useTranslation()
  const screens = Grid.useBreakpoint()
  const location = useLocation()
  const items = useNavItems()
  const [collapsed, setCollapsed] = useState(false)
  const [drawerOpen, setDrawerOpen] = useState(false)
  // antd's breakpoints are unknown (all false) on the first render: treat that as wide.
  const known = Object.keys(screens).length > 0
  const mobile = known && !screens.md
  const selected = [selectedKey(location.pathname)]

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={selected}
      items={items}
      onClick={() => setDrawerOpen(false)}
      data-testid="nav-menu"
    />
  )

  return (
    <App>
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Sider collapsible collapsed={collapsed} trigger={null} width={220} style={{ position: 'sticky', top: 0, height: '100vh' }}>
          <Brand collapsed={collapsed} />
          {menu}
        </Sider>
      )}
      {mobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={240}
          closable={false}
          styles={{ body: { padding: 0, background: '#1f2329' }, header: { display: 'none' } }}
          data-testid="nav-drawer"
        >
          <Brand />
          {menu}
        </Drawer>
      )}
      <Layout>
        <Header
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            position: 'sticky',
            top: 0,
            zIndex: 10,
            borderBottom: '1px solid #f0f0f0',
            height: 56,
            lineHeight: '56px',
          }}
        >
          {mobile ? (
            <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.menu')} onClick={() => setDrawerOpen(true)} data-testid="nav-toggle" />
          ) : (
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              aria-label={t('nav.menu')}
              onClick={() => setCollapsed((c) => !c)}
            />
          )}
          {mobile && (
            <Typography.Text strong style={{ fontSize: 16 }}>
              {t('app.name')}
            </Typography.Text>
          )}
          <div style={{ flex: 1 }} />
          <NotificationBell />
          <LanguageSwitch />
          <UserMenu />
        </Header>
        <Content>
          <div className="page-content">
            <ErrorBoundary key={location.pathname}>
              <Suspense fallback={<Loading />}>
                <Outlet />
              </Suspense>
            </ErrorBoundary>
          </div>
        </Content>
      </Layout>
    </Layout>
    </App>
  )
}
