import type { RouteObject } from 'react-router';
import { CatalogPage } from './CatalogPage.tsx';
import { ProcedurePage } from './ProcedurePage.tsx';

/** Public procedure catalog (no sign-in): /thu-tuc and /thu-tuc/:key. Children of the shell's layout route. */
export const catalogRoutes: RouteObject[] = [
  { path: 'thu-tuc', element: <CatalogPage /> },
  { path: 'thu-tuc/:key', element: <ProcedurePage /> },
];
