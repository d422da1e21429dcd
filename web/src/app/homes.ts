import type { PathName } from './paths.ts';
import type { Role } from './session.tsx';

/** One home card: what the role does there (i18n key under home.cards) and where it lives. */
export interface HomeCard {
  key: string;
  path: PathName;
}

const APPLICANT: HomeCard[] = [
  { key: 'submit', path: 'submit' },
  { key: 'myDossiers', path: 'myDossiers' },
  { key: 'eStore', path: 'eStore' },
  { key: 'lookup', path: 'lookup' },
  { key: 'verify', path: 'verify' },
  { key: 'paperReport', path: 'paperReport' },
  { key: 'catalog', path: 'procedures' },
];

/** What each role's home offers (product spec §1). Order is the order of daily use. */
export const HOME_CARDS: Record<Role, HomeCard[]> = {
  citizen: APPLICANT,
  business: APPLICANT,
  agent: [...APPLICANT.slice(0, 1), { key: 'consents', path: 'consents' }, ...APPLICANT.slice(1)],
  counter_officer: [
    { key: 'reception', path: 'reception' },
    { key: 'walkIn', path: 'walkIn' },
    { key: 'handover', path: 'handover' },
    { key: 'lookup', path: 'lookup' },
    { key: 'catalog', path: 'procedures' },
  ],
  specialist: [
    { key: 'inbox', path: 'inbox' },
    { key: 'lookup', path: 'lookup' },
    { key: 'catalog', path: 'procedures' },
  ],
  leader: [
    { key: 'approvals', path: 'approvals' },
    { key: 'inbox', path: 'inbox' },
    { key: 'dashboard', path: 'dashboard' },
  ],
  supervisor: [
    { key: 'dashboard', path: 'dashboard' },
    { key: 'violations', path: 'violations' },
    { key: 'reports', path: 'reports' },
    { key: 'postAudit', path: 'postAudit' },
    { key: 'operations', path: 'operations' },
  ],
  inspector: [
    { key: 'postAudit', path: 'postAudit' },
    { key: 'lookup', path: 'lookup' },
  ],
  admin: [
    { key: 'adminCatalog', path: 'adminCatalog' },
    { key: 'adminAgencies', path: 'adminAgencies' },
    { key: 'adminUsers', path: 'adminUsers' },
    { key: 'adminCalendar', path: 'adminCalendar' },
    { key: 'adminTrust', path: 'adminTrust' },
    { key: 'operations', path: 'operations' },
  ],
};
