import { GlobalOutlined } from '@ant-design/icons'
import { Button } from 'antd'
import { useTranslation } from 'react-i18next'
import { currentLanguage, setLanguage } from '../i18n'

/**
 * A one-button language switch for the login pages: it shows the other language and
 * switches to it. (The shell's LanguageSwitch is a menu; antd's Dropdown would add
 * the whole Menu to the login page's bundle.)
 */
export function LanguageToggle() {
  const { t } = useTranslation()
  const other = currentLanguage() === 'en' ? 'zh-CN' : 'en'
  return (
    <Button type="text" icon={<GlobalOutlined />} onClick={() => void setLanguage(other)} aria-label={t('common.language')} data-testid="lang-toggle" lang={other}>
      {t(`lang.${other}`)}
    </Button>
  )
}
