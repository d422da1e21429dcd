import type { RouteObject } from 'react-router';
import { RequireRole } from '../app/RequireRole.tsx';
import { ReceptionDossierPage } from './ReceptionDossierPage.tsx';
import { ReceptionQueuePage } from './ReceptionQueuePage.tsx';

/** The counter's queue of online dossiers and the reception decision on one of them. The API enforces the role. */
export const receptionRoutes: RouteObject[] = [
  { path: 'tiep-nhan', element: <RequireRole roles={['counter_officer']}><ReceptionQueuePage /></RequireRole> },
  { path: 'tiep-nhan/ho-so/:id', element: <RequireRole roles={['counter_officer']}><ReceptionDossierPage /></RequireRole> },
];
