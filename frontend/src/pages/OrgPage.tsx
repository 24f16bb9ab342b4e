import { ApartmentOutlined, UploadOutlined } from '@ant-design/icons'
import { Button, Space } from 'antd'
import { Link } from 'react-router'
import { Tabs } from '../components/Tabs'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { hasRole, useMe } from '../auth/auth'
import { PageHeader } from '../components/PageHeader'
import { Loading } from '../components/States'
import { ForbiddenState } from '../components/ResultStates'
import { UnitsPanel } from './org/UnitsPanel'
import { UsersPanel } from './org/UsersPanel'

export default function OrgPage() {
  const { t } = useTranslation()
  const me = useMe()
  const [params, setParams] = useSearchParams()
  if (me.isPending) return <Loading />
  const admin = hasRole(me.data, 'admin')
  if (!admin) return <ForbiddenState />
  const tab = params.get('tab') === 'users' ? 'users' : 'units'
  return (
    <>
      <PageHeader
        title={t('org.title')}
        extra={
          <Space wrap>
            <Link to="/org/chart">
              <Button icon={<ApartmentOutlined />} data-testid="open-org-chart">
                {t('orgAdmin.chart')}
              </Button>
            </Link>
            <Link to="/org/import">
              <Button icon={<UploadOutlined />} data-testid="open-org-import">
                {t('orgAdmin.import')}
              </Button>
            </Link>
          </Space>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'users' ? { tab: 'users' } : {}, { replace: true })}
        items={[
          { key: 'units', label: t('org.units'), children: <UnitsPanel canCreate={admin} /> },
          { key: 'users', label: t('org.users'), children: <UsersPanel canCreate={admin} /> },
        ]}
      />
    </>
  )
}
