import { StrictMode } from 'react';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { RouterProvider, type createBrowserRouter, type RouteObject } from 'react-router';
import { ToastProvider } from '../ui/index.ts';
import { RouteRegistryProvider } from './route-registry.tsx';
import { SessionProvider, type SessionState } from './session.tsx';

export interface AppProps {
  i18n: I18n;
  router: ReturnType<typeof createBrowserRouter>;
  routes: RouteObject[];
  /** Tests start from a known session instead of asking the server. */
  session?: SessionState;
}

export function App({ i18n, router, routes, session }: AppProps) {
  return (
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <SessionProvider initial={session}>
          <ToastProvider>
            <RouteRegistryProvider routes={routes}>
              <RouterProvider router={router} />
            </RouteRegistryProvider>
          </ToastProvider>
        </SessionProvider>
      </I18nextProvider>
    </StrictMode>
  );
}
