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

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}
