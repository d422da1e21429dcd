import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { Spinner } from '../ui/index.ts';
import { ForbiddenPage } from './pages.tsx';
import { PATHS } from './paths.ts';
import { useSession, type Role } from './session.tsx';

/**
 * Guards a page for the roles that may use it. The server enforces access on every API call; this only spares
 * users a page that would fail: anonymous visitors go to sign-in (and come back), other roles see a plain refusal.
 */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Spinner label={t('common.loading')} />;
  if (state.status === 'anonymous') {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`${PATHS.login}?next=${encodeURIComponent(next)}`} replace />;
  }
  if (!roles.includes(state.user.role)) return <ForbiddenPage />;
  return <>{children}</>;
}
