import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets the tab title "<page> — Hồ sơ điện tử"; screen-reader users hear it first after a navigation. */
export function useDocumentTitle(pageTitle: string | null | undefined): void {
  const { t } = useTranslation();
  const app = t('app.name');
  useEffect(() => {
    document.title = pageTitle ? `${pageTitle} — ${app}` : app;
  }, [pageTitle, app]);
}
