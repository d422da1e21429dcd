/** Every role of the system (product spec §1). Officers are bound to an agency; applicants are not. */
export const ROLES = [
  'citizen',
  'business',
  'agent',
  'counter_officer',
  'specialist',
  'leader',
  'supervisor',
  'inspector',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export const APPLICANT_ROLES = ['citizen', 'business', 'agent'] as const satisfies readonly Role[];
export const OFFICER_ROLES = [
  'counter_officer',
  'specialist',
  'leader',
  'supervisor',
  'inspector',
  'admin',
] as const satisfies readonly Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isOfficer(role: Role): boolean {
  return (OFFICER_ROLES as readonly Role[]).includes(role);
}

export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  citizen: { vi: 'Công dân', en: 'Citizen' },
  business: { vi: 'Đại diện doanh nghiệp', en: 'Business representative' },
  agent: { vi: 'Đại lý dịch vụ công', en: 'Public-service agent' },
  counter_officer: { vi: 'Cán bộ một cửa', en: 'Counter officer' },
  specialist: { vi: 'Chuyên viên', en: 'Specialist' },
  leader: { vi: 'Lãnh đạo', en: 'Leader' },
  supervisor: { vi: 'Giám sát (TTPVHCC)', en: 'Supervisor' },
  inspector: { vi: 'Hậu kiểm', en: 'Inspector' },
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
};
