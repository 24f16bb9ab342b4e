import { GlobalOutlined } from '@ant-design/icons'
import { Button, Dropdown } from 'antd'
import { useTranslation } from 'react-i18next'
import { currentLanguage, LANGUAGES, setLanguage } from '../i18n'

/** The language menu: 中文 / English, remembered in localStorage. */
export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { t } = useTranslation()
  const lang = currentLanguage()
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [lang],
        items: LANGUAGES.map((l) => ({ key: l, label: t(`lang.${l}`), 'data-testid': `lang-${l}` })),
        onClick: ({ key }) => void setLanguage(key === 'en' ? 'en' : 'zh-CN'),
      }}
    >
      <Button
        type="text"
        icon={<GlobalOutlined />}
        aria-label={t('common.language')}
        data-testid="lang-switch"
        style={dark ? { color: '#fff' } : undefined}
      >
        {t(`lang.${lang}`)}
      </Button>
    </Dropdown>
  )
}
