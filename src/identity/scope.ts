import type { Queryable } from '../platform/db/db.ts';
import type { Principal } from './access.ts';
import { isOfficer } from './roles.ts';
import { agencySubtree } from './store.ts';

/**
 * Scope helpers for every room's services, so "own dossier" and "own agency" mean the same thing everywhere.
 * Routes declare the scope kind (config.scope); services call these with the principal.
 */

/** An applicant's resource is theirs when it carries their user id or their CCCD / tax code. */
export function ownsApplicantResource(principal: Principal, owner: { userId?: string | null; subjectId?: string | null }): boolean {
  if (isOfficer(principal.role)) return false;
  if (owner.userId && owner.userId === principal.userId) return true;
  return Boolean(owner.subjectId && principal.subjectId && owner.subjectId === principal.subjectId);
}

/** The agencies an officer acts for: their own and every agency below it in the tree. Empty for applicants. */
export async function officerAgencyIds(q: Queryable, principal: Principal): Promise<string[]> {
  if (!isOfficer(principal.role) || !principal.agencyId) return [];
  return agencySubtree(q, principal.agencyId);
}

/** Whether an officer may act on a resource of `agencyId` (their agency or one below it). */
export async function actsForAgency(q: Queryable, principal: Principal, agencyId: string | null | undefined): Promise<boolean> {
  if (!agencyId) return false;
  return (await officerAgencyIds(q, principal)).includes(agencyId);
}
