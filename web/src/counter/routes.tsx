import type { RouteObject } from 'react-router';
import { RequireRole } from '../app/RequireRole.tsx';
import { WalkInPage } from './WalkInPage.tsx';

/** The counter's walk-in reception (the online reception queue /tiep-nhan is the portal's). The API enforces the role. */
export const counterRoutes: RouteObject[] = [{ path: 'tiep-nhan/truc-tiep', element: <RequireRole roles={['counter_officer']}><WalkInPage /></RequireRole> }];
