import type { RouteObject } from 'react-router';
import { RequireRole } from '../app/RequireRole.tsx';
import { DashboardPage } from './DashboardPage.tsx';
import { PaperReportPage } from './PaperReportPage.tsx';
import { ReportsPage } from './ReportsPage.tsx';
import { ViolationsPage } from './ViolationsPage.tsx';

const OVERSEERS = ['supervisor', 'inspector', 'admin'] as const;

/**
 * Oversight (the Public Administrative Service Center): the indicators dashboard and the violations register, and
 * the public page where a citizen reports being asked for paper. The API enforces the same roles.
 */
export const oversightRoutes: RouteObject[] = [
  { path: 'giam-sat', element: <RequireRole roles={OVERSEERS}><DashboardPage /></RequireRole> },
  { path: 'giam-sat/vi-pham', element: <RequireRole roles={OVERSEERS}><ViolationsPage /></RequireRole> },
  { path: 'giam-sat/bao-cao', element: <RequireRole roles={OVERSEERS}><ReportsPage /></RequireRole> },
  { path: 'phan-anh-giay-to', element: <PaperReportPage /> },
];
