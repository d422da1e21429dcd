import { useTranslation } from 'react-i18next';
import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { Alert, PageHeader } from '../ui/index.ts';
import { useDocumentTitle } from './document-title.ts';
import { PATHS } from './paths.ts';

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('notFound.title'));
  return (
    <div data-testid="not-found">
      <PageHeader title={t('notFound.title')} lead={t('notFound.body')} />
      <p>
        <Link to={PATHS.home}>{t('notFound.back')}</Link>
      </p>
    </div>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('forbidden.title'));
  return (
    <div data-testid="forbidden">
      <PageHeader title={t('forbidden.title')} lead={t('forbidden.body')} />
      <p>
        <Link to={PATHS.home}>{t('notFound.back')}</Link>
      </p>
    </div>
  );
}

/** Shown in place of a page whose rendering or loader failed; the rest of the shell keeps working. */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  useDocumentTitle(t('errorPage.title'));
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  console.error(error);
  return (
    <div>
      <PageHeader title={t('errorPage.title')} />
      <Alert tone="error">
        <p>{t('errorPage.body')}</p>
      </Alert>
      <p>
        <a href={PATHS.home}>{t('notFound.back')}</a>
      </p>
    </div>
  );
}
