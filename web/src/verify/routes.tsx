import type { RouteObject } from 'react-router';
import { VerifyPage } from './VerifyPage.tsx';

/** Public verification of any signed PDF (no sign-in). */
export const verifyRoutes: RouteObject[] = [
  { path: 'xac-thuc', element: <VerifyPage /> },
  // Where the QR code of an issued result points: the register's entry, then the same check of a chosen file.
  { path: 'xac-thuc/kq/:id', element: <VerifyPage /> },
];
