import type { RouteObject } from 'react-router';
import { RequireRole } from '../app/RequireRole.tsx';
import { ConsentsPage } from './ConsentsPage.tsx';
import { DossierDetailPage } from './DossierDetailPage.tsx';
import { MyDossiersPage } from './MyDossiersPage.tsx';
import { RatePage } from './RatePage.tsx';
import { SubmitPage } from './SubmitPage.tsx';

const APPLICANTS = ['citizen', 'business', 'agent'] as const;

/** The applicant portal: submission, my dossiers and their detail, consents to agents. The API enforces the same roles. */
export const portalRoutes: RouteObject[] = [
  { path: 'nop-ho-so', element: <RequireRole roles={APPLICANTS}><SubmitPage /></RequireRole> },
  { path: 'ho-so-cua-toi', element: <RequireRole roles={APPLICANTS}><MyDossiersPage /></RequireRole> },
  { path: 'ho-so-cua-toi/:id', element: <RequireRole roles={APPLICANTS}><DossierDetailPage /></RequireRole> },
  // Satisfaction after delivery (QĐ 766 indicator 5.4).
  { path: 'ho-so-cua-toi/:id/danh-gia', element: <RequireRole roles={APPLICANTS}><RatePage /></RequireRole> },
  { path: 'uy-quyen', element: <RequireRole roles={['citizen', 'business']}><ConsentsPage /></RequireRole> },
];
