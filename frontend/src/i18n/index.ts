import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import { setDayjsLocale } from '../lib/time'
import en from './en'
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

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
})
setDayjsLocale(initial)
document.documentElement.lang = initial

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh-CN'
}

/** Switches the language and remembers the choice in localStorage. */
export async function setLanguage(lang: Language) {
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
