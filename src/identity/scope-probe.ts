import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import type { Role } from './roles.ts';
import type { TestSession } from './testing.ts';

/**
 * Scope probes: how the route × role access test (access-matrix.test.ts) proves that a scoped route refuses data
 * outside the caller's scope. Every route declaring `scope: 'own-agency'` or `'own-applicant'` needs one, in its
 * room's `scope-probes.ts` (`export const scopeProbes: ScopeProbe[]`); the test finds those files by itself.
 *
 * For each role the route allows, the probe builds two requests for the same route: `own` touches something in
 * the caller's scope and must succeed (2xx) — this proves the probe is not refused for another reason — and
 * `foreign` touches the same kind of thing owned by someone else (the `others` of the world) and must be refused
 * with 403 or 404 — or, for lists, answer without the other's data (`excludes`) — without writing anything. `foreign` is sent first.
 */
export interface ScopeProbe {
  /** `METHOD /url/:pattern`, exactly as the route is registered, e.g. `POST /api/admin/users/:userId/disable`. */
  route: string;
  build(world: ScopeWorld, role: Role): Promise<{ own: ProbeRequest; foreign: ProbeRequest }>;
}

export interface ProbeRequest {
  /** Concrete URL, query string included. */
  url: string;
  /** JSON by default; raw bytes (e.g. a multipart body) with `contentType`. */
  payload?: unknown;
  contentType?: string;
  /**
   * For reads whose answer to an out-of-scope request is a filtered 2xx (a list) rather than 403/404: the `own`
   * answer must contain each of `contains`, and a 2xx `foreign` answer must contain none of `excludes`.
   */
  contains?: string[];
  excludes?: string[];
}

export interface WorldAgency {
  id: string;
  code: string;
}

export type WorldUser = TestSession & { userId: string };

/**
 * The population the access test runs against. `mine` and `other` are sibling agencies under `root`.
 * `callers[role]`: officers in `mine`, applicants with their own CCCD / tax code.
 * `others[role]`: the same roles in `other` / with another identifier — whose data callers must not reach.
 */
export interface ScopeWorld {
  ctx: AppContext;
  app: FastifyInstance;
  agencies: { root: WorldAgency; mine: WorldAgency; other: WorldAgency };
  callers: Record<Role, WorldUser>;
  others: Record<Role, WorldUser>;
}
