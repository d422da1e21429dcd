import type { RouteObject } from 'react-router';
import { VerifyPage } from './VerifyPage.tsx';

/** Public verification of any signed PDF (no sign-in). */
export const verifyRoutes: RouteObject[] = [{ path: 'xac-thuc', element: <VerifyPage /> }];
