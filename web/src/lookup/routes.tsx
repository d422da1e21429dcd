import type { RouteObject } from 'react-router';
import { LookupPage } from './LookupPage.tsx';

/** The public status page (no sign-in): dossier code + the secret printed on the receipt. */
export const lookupRoutes: RouteObject[] = [{ path: 'tra-cuu', element: <LookupPage /> }];
