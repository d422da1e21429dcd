import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { Problems } from '../platform/http/problem.ts';
import type { Principal, RouteAccess } from './access.ts';

export type PrincipalResolver = (request: FastifyRequest) => Promise<Principal | null>;

/**
 * Sets `request.principal` and enforces each route's declared access before its handler runs.
 * Sign-in itself (sessions) lives in the identity routes; this plugin only asks the resolver who is calling.
 */
export const accessPlugin = fp<{ ctx: AppContext; resolvePrincipal: PrincipalResolver }>(
  async (app, { resolvePrincipal }) => {
    app.decorateRequest('principal', null);
    // onRequest: refuse before the body is read or validated, so unauthorised callers cannot make us parse 50 MB.
    app.addHook('onRequest', async (request) => {
      // Unknown routes fall through to the not-found handler, which answers 404 for everyone.
      if (request.is404) return;
      request.principal = await resolvePrincipal(request);
      const access = request.routeOptions.config.access as RouteAccess | undefined;
      checkAccess(access, request.principal);
    });
  },
  { name: 'hoso-access' },
);

export function checkAccess(access: RouteAccess | undefined, principal: Principal | null): void {
  if (!access) throw Problems.forbidden();
  if ('public' in access) return;
  if (!principal) throw Problems.unauthenticated();
  if (!access.roles.includes(principal.role)) throw Problems.forbidden({ role: principal.role });
}
