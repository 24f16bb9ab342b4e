import { QueryClientProvider } from '@tanstack/react-query'
import { ConfigProvider } from 'antd'
import enUS from 'antd/es/locale/en_US'
import zhCN from 'antd/es/locale/zh_CN'
import { lazy, Suspense, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { BrowserRouter, Navigate, Route, Routes } from 'react-router'
import { SessionEvents, useSessionRestore } from '../auth/auth'
import { RequireAuth } from '../auth/RequireAuth'
import { Loading } from '../components/States'
import LoginPage from '../pages/LoginPage'
import { makeQueryClient } from './queryClient'
import { theme } from './theme'

const AppShell = lazy(() => import('../shell/AppShell'))
const ChangePasswordPage = lazy(() => import('../pages/ChangePasswordPage'))
const WorkbenchPage = lazy(() => import('../pages/WorkbenchPage'))
const ItemsPage = lazy(() => import('../pages/ItemsPage'))
const MePage = lazy(() => import('../pages/MePage'))
const OrgPage = lazy(() => import('../pages/OrgPage'))
const CalendarPage = lazy(() => import('../pages/CalendarPage'))
const WarningSettingsPage = lazy(() => import('../pages/settings/WarningSettingsPage'))
const WebhooksPage = lazy(() => import('../pages/settings/WebhooksPage'))
const RobotsPage = lazy(() => import('../pages/settings/RobotsPage'))
const ReminderSettingsPage = lazy(() => import('../pages/settings/ReminderSettingsPage'))
const NotFoundPage = lazy(() => import('../pages/NotFoundPage'))
const SsoLandingPage = lazy(() => import('../pages/SsoLandingPage'))
const OrgChartPage = lazy(() => import('../pages/org/OrgChartPage'))
const OrgImportPage = lazy(() => import('../pages/org/OrgImportPage'))
const ServiceAccountsPage = lazy(() => import('../pages/org/ServiceAccountsPage'))
const NotificationsPage = lazy(() => import('../pages/NotificationsPage'))
const NotificationSettingsPage = lazy(() => import('../pages/NotificationSettingsPage'))
const NoticePrintPage = lazy(() => import('../pages/items/print/NoticePrintPage'))
const SheetPrintPage = lazy(() => import('../pages/items/print/SheetPrintPage'))
const UrgePrintPage = lazy(() => import('../pages/items/print/UrgePrintPage'))
const CockpitPage = lazy(() => import('../pages/reports/CockpitPage'))
const UnitStatsPage = lazy(() => import('../pages/reports/UnitStatsPage'))
const BulletinsPage = lazy(() => import('../pages/reports/BulletinsPage'))
const BulletinDetailPage = lazy(() => import('../pages/reports/BulletinDetailPage'))
const BulletinPrintPage = lazy(() => import('../pages/reports/BulletinPrintPage'))
const AssessmentPage = lazy(() => import('../pages/reports/AssessmentPage'))

function AppRoutes() {
  const { t } = useTranslation()
  const restoring = useSessionRestore()
  if (restoring) return <Loading tip={t('auth.checkingSession')} />
  return (
    <Suspense fallback={<Loading />}>
      <SessionEvents />
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/login/sso" element={<SsoLandingPage />} />
        <Route
          path="/change-password"
          element={
            <RequireAuth allowPasswordChange>
              <ChangePasswordPage />
            </RequireAuth>
          }
        />
        {/* the printable forms are plain pages: no shell on screen or on paper */}
        <Route
          path="/items/:id/print/notice"
          element={
            <RequireAuth>
              <NoticePrintPage />
            </RequireAuth>
          }
        />
        <Route
          path="/items/:id/print/sheet"
          element={
            <RequireAuth>
              <SheetPrintPage />
            </RequireAuth>
          }
        />
        <Route
          path="/items/:id/print/urge/:urgeId"
          element={
            <RequireAuth>
              <UrgePrintPage />
            </RequireAuth>
          }
        />
        <Route
          path="/bulletins/:id/print"
          element={
            <RequireAuth>
              <BulletinPrintPage />
            </RequireAuth>
          }
        />
        <Route
          element={
            <RequireAuth>
              <AppShell />
            </RequireAuth>
          }
        >
          <Route index element={<Navigate to="/workbench" replace />} />
          <Route path="workbench" element={<WorkbenchPage />} />
          <Route path="items/*" element={<ItemsPage />} />
          <Route path="org" element={<OrgPage />} />
          <Route path="org/chart" element={<OrgChartPage />} />
          <Route path="org/import" element={<OrgImportPage />} />
          <Route path="calendar" element={<CalendarPage />} />
          <Route path="settings/warnings" element={<WarningSettingsPage />} />
          <Route path="settings/webhooks" element={<WebhooksPage />} />
          <Route path="service-accounts" element={<ServiceAccountsPage />} />
          <Route path="settings/robots" element={<RobotsPage />} />
          <Route path="settings/reminders" element={<ReminderSettingsPage />} />
          <Route path="cockpit" element={<CockpitPage />} />
          <Route path="my-unit" element={<UnitStatsPage />} />
          <Route path="bulletins" element={<BulletinsPage />} />
          <Route path="bulletins/:id" element={<BulletinDetailPage />} />
          <Route path="assessments" element={<AssessmentPage />} />
          <Route path="me" element={<MePage />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="me/notifications" element={<NotificationSettingsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  )
}

export default function App() {
  const [queryClient] = useState(makeQueryClient)
  const { i18n } = useTranslation()
  const locale = i18n.language === 'en' ? enUS : zhCN
  return (
    <ConfigProvider locale={locale} theme={theme}>
      {/* antd's <App> (message, modal) is mounted by the shell and the password page:
          the login page does without it and stays small */}
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </QueryClientProvider>
    </ConfigProvider>
  )
}
