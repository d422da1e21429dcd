import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { Problems } from '../platform/http/problem.ts';
import type { Principal, RouteAccess } from './access.ts';
import { tokensEqual } from './passwords.ts';

/** A signed-in caller and, when the caller came with a session cookie, that session's CSRF token. */
export interface ResolvedCaller {
  principal: Principal;
  csrfToken: string | null;
}

export type PrincipalResolver = (request: FastifyRequest) => Promise<ResolvedCaller | Principal | null>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sets `request.principal` and enforces each route's declared access before its handler runs.
 * Sign-in itself (sessions) lives in the identity routes; this plugin only asks the resolver who is calling.
 */
export const accessPlugin = fp<{ ctx: AppContext; resolvePrincipal: PrincipalResolver }>(
  async (app, { resolvePrincipal }) => {
    app.decorateRequest('principal', null);
    app.decorateRequest('csrfToken', null);
    // onRequest: refuse before the body is read or validated, so unauthorised callers cannot make us parse 50 MB.
    app.addHook('onRequest', async (request) => {
      // Unknown routes fall through to the not-found handler, which answers 404 for everyone.
      if (request.is404) return;
      const resolved = await resolvePrincipal(request);
      const caller: ResolvedCaller | null =
        resolved === null ? null : 'principal' in resolved ? resolved : { principal: resolved, csrfToken: null };
      request.principal = caller?.principal ?? null;
      request.csrfToken = caller?.csrfToken ?? null;
      const config = request.routeOptions.config;
      checkAccess(config.access as RouteAccess | undefined, request.principal);
      if (config.csrf !== false) checkCsrf(request.method, request.csrfToken, request.headers['x-csrf-token']);
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

/**
 * Cookie-authenticated writes must echo the session's CSRF token: a cross-site form or fetch can make the browser
 * send the cookie, but cannot read the token (it is only in /api/auth/me and the sign-in response).
 */
export function checkCsrf(method: string, sessionToken: string | null, header: string | string[] | undefined): void {
  if (SAFE_METHODS.has(method.toUpperCase()) || sessionToken === null) return;
  const given = Array.isArray(header) ? header[0] : header;
  if (!given || !tokensEqual(given, sessionToken)) throw Problems.csrf();
}
