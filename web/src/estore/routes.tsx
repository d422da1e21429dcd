import type { RouteObject } from 'react-router';
import { RequireRole } from '../app/RequireRole.tsx';
import { EstorePage } from './EstorePage.tsx';

/** The applicant's e-store of results (once-only reuse in new dossiers). */
export const estoreRoutes: RouteObject[] = [{ path: 'kho-du-lieu', element: <RequireRole roles={['citizen', 'business', 'agent']}><EstorePage /></RequireRole> }];
