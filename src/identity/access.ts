import type { Role } from './roles.ts';

/** Who is calling: set on every request by the identity plugin (null when nobody is signed in). */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  /** The officer's agency; null for applicants. Scope checks use it: officers act only inside their agency. */
  agencyId: string | null;
  agencyCode: string | null;
  /** Applicant identifier (CCCD 12 digits or tax code), for citizens and businesses. */
  subjectId: string | null;
  sessionId: string;
}

/**
 * Every route declares who may call it. `public` routes need no sign-in; `roles` lists who may call;
 * finer scope (own dossier, own agency) is enforced by the service with the principal.
 */
export type RouteAccess = { public: true } | { roles: readonly Role[] };

/**
 * What data a signed-in route touches, declared next to its roles so the route × role access test knows how to
 * prove the service's scope check (src/identity/access-matrix.test.ts). Required on every non-public route.
 * - `self`: only the caller's own account or session (e.g. /api/auth/me).
 * - `own-applicant`: an applicant's own dossiers/documents (matched on the principal's user or subject id).
 * - `own-agency`: resources of the officer's agency (and, where the room says so, the agencies below it).
 * - `none`: nothing person- or agency-bound (e.g. the procedure catalogue, reference data).
 */
export const ROUTE_SCOPES = ['self', 'own-applicant', 'own-agency', 'none'] as const;
export type RouteScope = (typeof ROUTE_SCOPES)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** One kind, or several for routes shared by applicants and officers (e.g. ['own-applicant', 'own-agency']). */
    scope?: RouteScope | readonly RouteScope[];
    /**
     * `false` only on routes that must accept a write before a session exists (sign-in). Every other unsafe
     * method called with a session cookie must carry the session's CSRF token in `x-csrf-token`.
     */
    csrf?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The session's CSRF token (returned by /api/auth/me and sign-in); null without a session. */
    csrfToken: string | null;
  }
}
