import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '../lib/api.ts';
import { en } from './en.ts';
import { vi } from './vi.ts';

export const LANGUAGES: readonly Lang[] = ['vi', 'en'];
export const LANGUAGE_STORAGE_KEY = 'hoso.lang';

export function isLang(value: unknown): value is Lang {
  return value === 'vi' || value === 'en';
}

/** Vietnamese first: English only when the user chose it earlier on this device. */
export function storedLanguage(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): Lang {
  const saved = storage?.getItem(LANGUAGE_STORAGE_KEY);
  return isLang(saved) ? saved : 'vi';
}

function safeStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    // Storage can be disabled (privacy settings); the app then simply starts in Vietnamese.
    return undefined;
  }
}

/** Creates and initialises an i18next instance (a fresh one per test; the app makes one at start). */
export function createI18n(lang: Lang = storedLanguage()): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { vi: { translation: vi }, en: { translation: en } },
    lng: lang,
    fallbackLng: 'vi',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  instance.on('languageChanged', (next) => {
    if (!isLang(next)) return;
    safeStorage()?.setItem(LANGUAGE_STORAGE_KEY, next);
    if (typeof document !== 'undefined') document.documentElement.lang = next;
  });
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  return instance;
}

export function currentLang(instance: I18n): Lang {
  return isLang(instance.language) ? instance.language : 'vi';
}
