import type { RouteObject } from 'react-router';
import { RequireRole } from '../app/RequireRole.tsx';
import { AdminAgenciesPage } from './AdminAgenciesPage.tsx';
import { AdminCalendarPage } from './AdminCalendarPage.tsx';
import { AdminProcedurePage } from './AdminProcedurePage.tsx';
import { AdminProceduresPage } from './AdminProceduresPage.tsx';
import { OperationsPage } from './OperationsPage.tsx';

const ADMIN = ['admin'] as const;
/** The job queue's operations view: administrators and the Center's supervisors (as the API allows). */
const OPERATORS = ['admin', 'supervisor'] as const;

/**
 * Catalog administration (admin role; the API enforces it too): procedures with components and internal
 * processes, import/export, the agency tree, and the working calendar's yearly announcements. Children of the shell's layout route.
 */
export const adminRoutes: RouteObject[] = [
  { path: 'quan-tri/thu-tuc', element: <RequireRole roles={ADMIN}><AdminProceduresPage /></RequireRole> },
  { path: 'quan-tri/thu-tuc/:id', element: <RequireRole roles={ADMIN}><AdminProcedurePage /></RequireRole> },
  { path: 'quan-tri/co-quan', element: <RequireRole roles={ADMIN}><AdminAgenciesPage /></RequireRole> },
  { path: 'quan-tri/lich', element: <RequireRole roles={ADMIN}><AdminCalendarPage /></RequireRole> },
  { path: 'van-hanh', element: <RequireRole roles={OPERATORS}><OperationsPage /></RequireRole> },
];
