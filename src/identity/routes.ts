import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.ts';
import { Problems } from '../platform/http/problem.ts';
import type { Principal } from './access.ts';
import { IdentityErrors } from './errors.ts';
import { accessPlugin, type ResolvedCaller } from './plugin.ts';
import { ROLES, type Role } from './roles.ts';
import {
  LOGIN_RATE_PER_IP,
  LOGIN_RATE_PER_USERNAME,
  PASSWORD_MAX_LENGTH,
  checkRateWindow,
  hitRateWindow,
  normalizeUsername,
  type RateLimit,
  type RateWindow,
} from './rules.ts';
import * as service from './service.ts';

export const SESSION_COOKIE = 'hoso_session';

const ALL_ROLES = ROLES;
const ADMIN: readonly Role[] = ['admin'];

const RoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] });
const Uuid = Type.String({ pattern: '^[0-9a-fA-F-]{36}$' });
const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH });

const LocalizedSchema = Type.Object({ vi: Type.String(), en: Type.String() });
const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  roleLabel: LocalizedSchema,
  agencyId: Type.Union([Type.String(), Type.Null()]),
  agencyCode: Type.Union([Type.String(), Type.Null()]),
  agencyName: Type.Union([Type.String(), Type.Null()]),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  locked: Type.Boolean(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const MeSchema = Type.Object({ user: UserSchema, csrfToken: Type.String() });
const UserWithPasswordSchema = Type.Object({ user: UserSchema, password: Type.Union([Type.String(), Type.Null()]) });

/** Small in-process fixed-window limiter for the sign-in route (the durable control is the DB lockout). */
class RateLimiter {
  private readonly windows = new Map<string, RateWindow>();
  constructor(private readonly limit: RateLimit) {}

  check(key: string, nowMs: number): { allowed: boolean; retryAfterSeconds: number } {
    return checkRateWindow(this.windows.get(key), nowMs, this.limit);
  }

  fail(key: string, nowMs: number): void {
    if (this.windows.size > 10_000) this.prune(nowMs);
    this.windows.set(key, hitRateWindow(this.windows.get(key), nowMs, this.limit).window);
  }

  private prune(nowMs: number): void {
    for (const [key, w] of this.windows) {
      if (nowMs - w.windowStart >= this.limit.windowSeconds * 1000) this.windows.delete(key);
    }
    // A flood of distinct keys must not exhaust memory: forget them all (the DB lockout still holds).
    if (this.windows.size > 50_000) this.windows.clear();
  }
}

function cookieOptions(ctx: AppContext, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.publicUrl.startsWith('https://'),
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw Problems.unauthenticated();
  return request.principal;
}

async function resolveFromCookie(ctx: AppContext, request: FastifyRequest): Promise<ResolvedCaller | null> {
  const token = request.cookies?.[SESSION_COOKIE];
  if (!token) return null;
  return service.resolveSession(ctx, token);
}

/** Identity room: who is calling (sessions) and what they may call (declared access). */
export const identityRoutes = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    await app.register(accessPlugin, { ctx, resolvePrincipal: (request) => resolveFromCookie(ctx, request) });
    // Encapsulated so the routes' type provider and limiter state stay local to the room.
    await app.register(async (child) => registerRoutes(child.withTypeProvider<TypeBoxTypeProvider>(), ctx));
  },
  { name: 'hoso-identity' },
);

function registerRoutes(app: FastifyInstance<any, any, any, any, TypeBoxTypeProvider>, ctx: AppContext): void {
  const perIp = new RateLimiter(LOGIN_RATE_PER_IP);
  const perUsername = new RateLimiter(LOGIN_RATE_PER_USERNAME);

  app.post(
    '/api/auth/login',
    {
      // Sign-in writes before any session exists; SameSite=Lax on the cookie is the cross-site defence here.
      config: { access: { public: true }, scope: 'none', csrf: false },
      schema: {
        tags: ['identity'],
        summary: 'Sign in with username and password; sets the hoso_session cookie',
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 200 }), password: Password },
          { additionalProperties: false },
        ),
        response: { 200: MeSchema },
      },
    },
    async (request, reply) => {
      const nowMs = ctx.now().getTime();
      const ipKey = `ip:${request.ip}`;
      const userKey = `u:${normalizeUsername(request.body.username)}`;
      const blocked = [perIp.check(ipKey, nowMs), perUsername.check(userKey, nowMs)].find((r) => !r.allowed);
      if (blocked) {
        reply.header('retry-after', String(blocked.retryAfterSeconds));
        throw IdentityErrors.loginRateLimited({ retryAfterSeconds: blocked.retryAfterSeconds });
      }
      const result = await service.login(ctx, request.body);
      if (!result.ok) {
        perIp.fail(ipKey, nowMs);
        perUsername.fail(userKey, nowMs);
        if (result.reason === 'disabled') throw IdentityErrors.accountDisabled();
        throw IdentityErrors.invalidCredentials();
      }
      reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(ctx, ctx.config.sessionTtlSeconds));
      return service.me(ctx, { principal: result.principal, csrfToken: result.csrfToken });
    },
  );

  app.post(
    '/api/auth/logout',
    {
      // Public so that a client with an expired session can still clear its cookie; a live session needs CSRF.
      config: { access: { public: true }, scope: 'self' },
      schema: { tags: ['identity'], summary: 'Sign out: ends the session and clears the cookie' },
    },
    async (request, reply: FastifyReply) => {
      if (request.principal) await service.logout(ctx, request.principal);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(ctx));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: { roles: ALL_ROLES }, scope: 'self' },
      schema: {
        tags: ['identity'],
        summary: 'The signed-in user, role label (vi/en) and the CSRF token for writes',
        response: { 200: MeSchema },
      },
    },
    async (request) => service.me(ctx, { principal: requirePrincipal(request), csrfToken: request.csrfToken ?? '' }),
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: { roles: ALL_ROLES }, scope: 'self' },
      schema: {
        tags: ['identity'],
        summary: 'Change one’s own password (current password required; other sessions end)',
        body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      await service.changeOwnPassword(ctx, requirePrincipal(request), request.body);
      return reply.status(204).send();
    },
  );

  // ---- user administration (administrators, inside their agency subtree) ----

  app.get(
    '/api/admin/users',
    {
      config: { access: { roles: ADMIN }, scope: 'own-agency' },
      schema: {
        tags: ['identity'],
        summary: 'List users in the administrator’s scope (paginated, filter by role/agency/status/text)',
        querystring: Type.Object(
          {
            role: Type.Optional(RoleSchema),
            agency: Type.Optional(Type.String({ maxLength: 64 })),
            disabled: Type.Optional(Type.Boolean()),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(UserSchema), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }),
        },
      },
    },
    async (request) =>
      service.listUsers(ctx, requirePrincipal(request), {
        role: request.query.role,
        agencyCode: request.query.agency,
        disabled: request.query.disabled,
        search: request.query.q,
        limit: request.query.limit,
        offset: request.query.offset,
      }),
  );

  app.post(
    '/api/admin/users',
    {
      config: { access: { roles: ADMIN }, scope: 'own-agency' },
      schema: {
        tags: ['identity'],
        summary: 'Create a user; a strong password is generated and returned once when none is given',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            role: RoleSchema,
            agencyCode: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
            subjectId: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
            email: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
            password: Type.Optional(Password),
          },
          { additionalProperties: false },
        ),
        response: { 201: UserWithPasswordSchema },
      },
    },
    async (request, reply) => {
      const r = await service.createUser(ctx, requirePrincipal(request), request.body);
      return reply.status(201).send({ user: r.user, password: r.generatedPassword });
    },
  );

  const UserParams = Type.Object({ userId: Uuid });

  app.get(
    '/api/admin/users/:userId',
    {
      config: { access: { roles: ADMIN }, scope: 'own-agency' },
      schema: { tags: ['identity'], summary: 'One user in the administrator’s scope', params: UserParams, response: { 200: UserSchema } },
    },
    async (request) => service.getUser(ctx, requirePrincipal(request), request.params.userId),
  );

  app.patch(
    '/api/admin/users/:userId',
    {
      config: { access: { roles: ADMIN }, scope: 'own-agency' },
      schema: {
        tags: ['identity'],
        summary: 'Change display name, role, agency, identifier or e-mail (role/agency changes end the user’s sessions)',
        params: UserParams,
        body: Type.Object(
          {
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            role: Type.Optional(RoleSchema),
            agencyCode: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
            subjectId: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
            email: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserSchema },
      },
    },
    async (request) => service.updateUser(ctx, requirePrincipal(request), request.params.userId, request.body),
  );

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/api/admin/users/:userId/${action}`,
      {
        config: { access: { roles: ADMIN }, scope: 'own-agency' },
        schema: {
          tags: ['identity'],
          summary: disabled ? 'Disable a user (ends their sessions)' : 'Enable a disabled user',
          params: UserParams,
          response: { 200: UserSchema },
        },
      },
      async (request) => service.setUserDisabled(ctx, requirePrincipal(request), request.params.userId, disabled),
    );
  }

  app.post(
    '/api/admin/users/:userId/password',
    {
      config: { access: { roles: ADMIN }, scope: 'own-agency' },
      schema: {
        tags: ['identity'],
        summary: 'Reset a user’s password (generated when none is given; ends their sessions and lifts a lockout)',
        params: UserParams,
        body: Type.Optional(Type.Object({ password: Type.Optional(Password) }, { additionalProperties: false })),
        response: { 200: UserWithPasswordSchema },
      },
    },
    async (request) => {
      const r = await service.resetPassword(ctx, requirePrincipal(request), request.params.userId, request.body?.password);
      return { user: r.user, password: r.generatedPassword };
    },
  );
}
