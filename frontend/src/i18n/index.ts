import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import { setDayjsLocale } from '../lib/time'
import zhCN from './zh-CN'

export const LANGUAGES = ['zh-CN', 'en'] as const
export type Language = (typeof LANGUAGES)[number]
export const LANG_STORAGE_KEY = 'duban.lang'

function storedLanguage(): Language {
  try {
    const v = localStorage.getItem(LANG_STORAGE_KEY)
    if (v === 'en' || v === 'zh-CN') return v
  } catch {
    // storage unavailable (private mode, tests): fall back to the default
  }
  return 'zh-CN'
}

const initial = storedLanguage()

// Chinese is bundled; English loads when it is chosen (a lazy chunk), so that most
// users do not download strings they never see.
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN } },
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
})
setDayjsLocale('zh-CN')
document.documentElement.lang = 'zh-CN'

async function load(lang: Language) {
  if (lang === 'en' && !i18n.hasResourceBundle('en', 'translation')) {
    const en = (await import('./en')).default
    i18n.addResourceBundle('en', 'translation', en)
  }
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh-CN'
}

/** Switches the language and remembers the choice in localStorage. */
export async function setLanguage(lang: Language) {
  await load(lang)
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang)
  } catch {
    // not persisted, still switched
  }
  setDayjsLocale(lang)
  document.documentElement.lang = lang
  await i18n.changeLanguage(lang)
}

export default i18n

/** Resolves once the remembered language is loaded and switched to: render after it. */
export const ready: Promise<void> = initial === 'zh-CN' ? Promise.resolve() : setLanguage(initial).catch(() => undefined)
