/**
 * The web app's addresses, in Vietnamese like the public portals. A home card links to one of these only when
 * a route for it is registered (see route-registry.tsx); the rooms that build the pages register the routes.
 */
export const PATHS = {
  home: '/',
  login: '/dang-nhap',
  // Public
  procedures: '/thu-tuc',
  lookup: '/tra-cuu',
  verify: '/xac-thuc',
  paperReport: '/phan-anh-giay-to',
  // Applicants
  submit: '/nop-ho-so',
  myDossiers: '/ho-so-cua-toi',
  eStore: '/kho-du-lieu',
  consents: '/uy-quyen',
  // Counter
  reception: '/tiep-nhan',
  walkIn: '/tiep-nhan/truc-tiep',
  handover: '/tra-ket-qua',
  // Processing
  inbox: '/xu-ly',
  approvals: '/phe-duyet',
  // Oversight
  dashboard: '/giam-sat',
  violations: '/giam-sat/vi-pham',
  reports: '/giam-sat/bao-cao',
  postAudit: '/hau-kiem',
  // Administration
  adminCatalog: '/quan-tri/thu-tuc',
  adminAgencies: '/quan-tri/co-quan',
  adminUsers: '/quan-tri/nguoi-dung',
  adminCalendar: '/quan-tri/lich',
  adminTrust: '/quan-tri/tin-cay',
  operations: '/van-hanh',
} as const;

export type PathName = keyof typeof PATHS;

/** Only same-site paths may be a post-login destination (no open redirect to another host). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return PATHS.home;
  if (next === PATHS.login || next.startsWith(`${PATHS.login}?`)) return PATHS.home;
  return next;
}
