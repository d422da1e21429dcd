import type { RouteObject } from 'react-router';
import { RequireRole } from '../app/RequireRole.tsx';
import { InboxPage } from './InboxPage.tsx';
import { WorkspacePage } from './WorkspacePage.tsx';

/** Officers' inboxes, the approval queue, the counter's hand-back list and the dossier workspace. The API enforces scope. */
export const processingRoutes: RouteObject[] = [
  { path: 'xu-ly', element: <RequireRole roles={['counter_officer', 'specialist', 'leader']}><InboxPage mode="inbox" /></RequireRole> },
  { path: 'phe-duyet', element: <RequireRole roles={['leader']}><InboxPage mode="approvals" /></RequireRole> },
  { path: 'tra-ket-qua', element: <RequireRole roles={['counter_officer']}><InboxPage mode="handover" /></RequireRole> },
  { path: 'xu-ly/ho-so/:id', element: <RequireRole roles={['counter_officer', 'specialist', 'leader']}><WorkspacePage /></RequireRole> },
];
