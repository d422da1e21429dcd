import { useTranslation } from 'react-i18next';
import { currentLang } from '../i18n/index.ts';
import type { Lang } from '../lib/api.ts';

/** The UI language, following the shell's switch. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return currentLang(i18n);
}

/** Picks this room's own text in the UI language (the shell's dictionaries belong to the web engineer). */
export function useText<T>(dictionary: { vi: T; en: T }): T {
  return dictionary[useLang()];
}
