/**
 * The route × role access test (issue 2, "Must show").
 *
 * It builds the app with every room of src/platform/rooms.ts, collects every route as it is registered, and:
 * 1. requires each signed-in route to declare a scope kind (config.scope), and each `own-agency` / `own-applicant`
 *    route to have a scope probe (src/<room>/scope-probes.ts, see scope-probe.ts);
 * 2. for every route × (anonymous + the 9 roles): an undeclared caller gets 401/403 from the access layer and
 *    nothing in the database changes (every table fingerprinted before/after); a declared caller gets past the
 *    access layer;
 * 3. for every cookie-authenticated unsafe route: no CSRF token → 403 and nothing written;
 * 4. scope: signed-in reads return nothing of the other principals (generic leak check), `self` writes leave
 *    everyone else's sessions alone, and every scope probe's foreign request is refused (403/404, or excluded
 *    from a list) with nothing written while its own request succeeds.
 * Routes added later by other rooms are enumerated automatically.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fp from 'fastify-plugin';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import type { Queryable } from '../platform/db/db.ts';
import { buildApp } from '../platform/http/app.ts';
import { roomPlugins } from '../platform/rooms.ts';
import { ROUTE_SCOPES, type RouteAccess, type RouteScope } from './access.ts';
import { ROLES, type Role } from './roles.ts';
import type { ScopeProbe, ScopeWorld, WorldUser } from './scope-probe.ts';
import * as service from './service.ts';
import { createSignedInUser, insertTestAgency, signInAs } from './testing.ts';

interface CollectedRoute {
  method: string;
  url: string;
  key: string;
  access: RouteAccess | undefined;
  scope: RouteScope | readonly RouteScope[] | undefined;
  csrf: boolean;
}

type Caller = 'anonymous' | Role;
const CALLERS: Caller[] = ['anonymous', ...ROLES];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const routes: CollectedRoute[] = [];
/** Request ids that got past every app-level onRequest hook, i.e. past the access layer. */
const passedAccess = new Set<string>();

const markPassed: onRequestHookHandler = async (request) => {
  passedAccess.add(request.id);
};

/**
 * Registered before the rooms: records each route, and appends a route-level onRequest hook — Fastify runs
 * route-level hooks after the shared ones, so reaching it means the identity plugin's checks let the request pass.
 */
const collector = fp(
  async (app) => {
    app.addHook('onRoute', (route) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
      for (const method of methods) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        const config = (route.config ?? {}) as { access?: RouteAccess; scope?: RouteScope | RouteScope[]; csrf?: boolean };
        routes.push({
          method,
          url: route.url,
          key: `${method} ${route.url}`,
          access: config.access,
          scope: config.scope,
          csrf: config.csrf !== false,
        });
      }
      const existing = route.onRequest ? (Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]) : [];
      route.onRequest = [...existing, markPassed];
    });
  },
  { name: 'access-matrix-collector' },
);

/** Platform infrastructure (API docs UI) is public by construction and not part of the matrix. */
function isInfrastructure(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/') || url === '/*' || url.startsWith('/assets/');
}

function scopesOf(r: CollectedRoute): RouteScope[] {
  if (r.scope === undefined) return [];
  return (Array.isArray(r.scope) ? r.scope : [r.scope]) as RouteScope[];
}

function allowed(r: CollectedRoute, caller: Caller): boolean {
  if (!r.access) return false;
  if ('public' in r.access) return true;
  return caller !== 'anonymous' && r.access.roles.includes(caller);
}

/** Placeholder values for path parameters: a random UUID for ids, a word otherwise. */
function concreteUrl(url: string): string {
  return url
    .replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, (_m, name: string) => (/id$/i.test(name) ? randomUUID() : 'x'))
    .replace(/\*$/, 'x');
}

// -----------------------------------------------------------------------------------------------------------------
// Database fingerprint: row count and content hash of every table. last_seen_at is left out: reading with a
// session may refresh it, which is not a change of data.

let fingerprintSql = '';

async function prepareFingerprint(q: Queryable): Promise<void> {
  const tables = await q.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  fingerprintSql = tables.rows
    .map(
      ({ table_name: t }) =>
        `SELECT '${t}' AS t, count(*)::int AS n, md5(coalesce(string_agg(x, ',' ORDER BY x), '')) AS h
         FROM (SELECT (to_jsonb(r) - 'last_seen_at')::text AS x FROM "${t}" r) s`,
    )
    .join(' UNION ALL ');
}

async function fingerprint(q: Queryable): Promise<Record<string, string>> {
  const r = await q.query<{ t: string; n: number; h: string }>(fingerprintSql);
  return Object.fromEntries(r.rows.map((row) => [row.t, `${row.n}:${row.h}`]));
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}

// -----------------------------------------------------------------------------------------------------------------

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let app: FastifyInstance;
let world: ScopeWorld;
let probes: Map<string, ScopeProbe>;
/** Signed-in routes: the matrix proper (public routes have no undeclared caller). */
let matrixRoutes: CollectedRoute[];

async function loadProbes(): Promise<Map<string, ScopeProbe>> {
  const srcDir = dirname(dirname(fileURLToPath(import.meta.url)));
  const found = new Map<string, ScopeProbe>();
  for (const room of readdirSync(srcDir)) {
    const file = join(srcDir, room, 'scope-probes.ts');
    if (!existsSync(file)) continue;
    const mod = (await import(pathToFileURL(file).href)) as { scopeProbes?: ScopeProbe[] };
    for (const probe of mod.scopeProbes ?? []) {
      if (found.has(probe.route)) throw new Error(`two scope probes for ${probe.route}`);
      found.set(probe.route, probe);
    }
  }
  return found;
}

async function buildWorld(): Promise<ScopeWorld> {
  const rootId = await insertTestAgency(ctx, { code: 'M.ROOT', kind: 'people_committee', name: 'Root' });
  const mineId = await insertTestAgency(ctx, { code: 'M.MINE', parentId: rootId, name: 'Mine' });
  const otherId = await insertTestAgency(ctx, { code: 'M.OTHER', parentId: rootId, name: 'Other' });
  const callers = {} as Record<Role, WorldUser>;
  const others = {} as Record<Role, WorldUser>;
  for (const role of ROLES) {
    callers[role] = await createSignedInUser(ctx, { role, agencyCode: 'M.MINE', username: `caller-${role.replace(/_/g, '-')}` });
    others[role] = await createSignedInUser(ctx, { role, agencyCode: 'M.OTHER', username: `other-${role.replace(/_/g, '-')}` });
  }
  return {
    ctx,
    app,
    agencies: {
      root: { id: rootId, code: 'M.ROOT' },
      mine: { id: mineId, code: 'M.MINE' },
      other: { id: otherId, code: 'M.OTHER' },
    },
    callers,
    others,
  };
}

interface Sent {
  status: number;
  body: string;
  passed: boolean;
  code: string | undefined;
  changed: string[];
}

async function send(
  method: string,
  url: string,
  options: { session?: WorldUser | null; csrf?: boolean; payload?: unknown; contentType?: string },
): Promise<Sent> {
  const id = randomUUID();
  const headers: Record<string, string> = { 'x-request-id': id, 'accept-language': 'en' };
  if (options.contentType) headers['content-type'] = options.contentType;
  if (options.session) {
    headers.cookie = options.session.cookie;
    if (options.csrf !== false) headers['x-csrf-token'] = options.session.csrfToken;
  }
  const before = await fingerprint(ctx.db);
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(UNSAFE.has(method) ? { payload: options.payload instanceof Uint8Array ? Buffer.from(options.payload) : ((options.payload ?? {}) as object) } : {}),
  });
  const after = await fingerprint(ctx.db);
  let code: string | undefined;
  try {
    code = (res.json() as { code?: string }).code;
  } catch {
    code = undefined;
  }
  return { status: res.statusCode, body: res.body, passed: passedAccess.has(id), code, changed: changedTables(before, after) };
}

/** A fresh session of the world user for requests that may end it (logout) or that the route could change. */
async function freshSession(user: WorldUser): Promise<WorldUser> {
  return { ...(await signInAs(ctx, user.userId)), userId: user.userId };
}

function everyoneElse(caller: WorldUser): WorldUser[] {
  return [...Object.values(world.callers), ...Object.values(world.others)].filter((u) => u.userId !== caller.userId);
}

beforeAll(async () => {
  // No web build: a built web/dist adds the platform's static-file routes, which are not the rooms' API.
  // Demo signing: probes of routes that sign (a paper result sealed by the agency) provision the demo PKI.
  ctx = await createTestContext({ webDist: '/nonexistent-web-dist', demo: true });
  app = await buildApp(ctx, { rooms: [collector, ...roomPlugins], logger: false });
  await app.ready();
  world = await buildWorld();
  probes = await loadProbes();
  await prepareFingerprint(ctx.db);
  matrixRoutes = routes.filter((r) => !isInfrastructure(r.url));
});

afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

describe('route × role access matrix', () => {
  it('enumerates the routes of every room', () => {
    const keys = matrixRoutes.map((r) => r.key);
    // The identity room's own routes must be among them; others appear as rooms register them.
    expect(keys).toEqual(expect.arrayContaining(['POST /api/auth/login', 'GET /api/auth/me', 'GET /api/admin/users']));
  });

  it('prints the matrix when HOSO_PRINT_ACCESS_MATRIX is set (for review notes)', () => {
    const rows = matrixRoutes.map((r) => {
      const cells = CALLERS.map((c) => (allowed(r, c) ? '✓' : '·'));
      return `| ${r.key} | ${scopesOf(r).join('+') || '—'} | ${cells.join(' | ')} |`;
    });
    const table = [
      `| route | scope | ${CALLERS.join(' | ')} |`,
      `|---|---|${CALLERS.map(() => ':-:').join('|')}|`,
      ...rows,
    ].join('\n');
    if (process.env.HOSO_PRINT_ACCESS_MATRIX) process.stdout.write(`\n${table}\n`);
    expect(rows.length).toBe(matrixRoutes.length);
  });

  it('every route declares access, every signed-in route a known scope, every own-* route a scope probe', () => {
    const problems: string[] = [];
    for (const r of matrixRoutes) {
      if (!r.access) problems.push(`${r.key}: no config.access`);
      const scopes = scopesOf(r);
      for (const s of scopes) if (!(ROUTE_SCOPES as readonly string[]).includes(s)) problems.push(`${r.key}: unknown scope "${s}"`);
      if (r.access && !('public' in r.access)) {
        if (!scopes.length) problems.push(`${r.key}: signed-in route without config.scope (one of ${ROUTE_SCOPES.join(', ')})`);
        if (r.access.roles.length === 0) problems.push(`${r.key}: declares no role at all`);
      }
      if (scopes.some((s) => s === 'own-agency' || s === 'own-applicant') && !probes.has(r.key)) {
        problems.push(`${r.key}: scope ${scopes.join('+')} needs a scope probe in src/<room>/scope-probes.ts`);
      }
    }
    for (const key of probes.keys()) {
      if (!matrixRoutes.some((r) => r.key === key)) problems.push(`scope probe for ${key}: no such route`);
    }
    expect(problems).toEqual([]);
  });

  it('undeclared callers get 401/403 before the handler and change nothing; declared callers pass the access layer', async () => {
    const failures: string[] = [];
    for (const r of matrixRoutes) {
      for (const caller of CALLERS) {
        const url = concreteUrl(r.url);
        if (!allowed(r, caller)) {
          const session = caller === 'anonymous' ? null : world.callers[caller];
          const res = await send(r.method, url, { session });
          const expected = caller === 'anonymous' ? 401 : 403;
          if (res.status !== expected || res.passed || res.changed.length) {
            failures.push(`${r.key} as ${caller}: status ${res.status} (want ${expected}), passed=${res.passed}, changed=${res.changed.join(',')}`);
          }
        } else {
          const session = caller === 'anonymous' ? null : UNSAFE.has(r.method) ? await freshSession(world.callers[caller]) : world.callers[caller];
          const res = await send(r.method, url, { session });
          if (!res.passed) {
            failures.push(`${r.key} as ${caller}: declared but refused by the access layer (status ${res.status}, ${res.code})`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('cookie-authenticated writes without the CSRF token are refused and change nothing', async () => {
    const failures: string[] = [];
    for (const r of matrixRoutes.filter((x) => UNSAFE.has(x.method) && x.csrf)) {
      for (const role of ROLES.filter((c) => allowed(r, c))) {
        const res = await send(r.method, concreteUrl(r.url), { session: await freshSession(world.callers[role]), csrf: false });
        if (res.status !== 403 || res.code !== 'CSRF_TOKEN_INVALID' || res.passed || res.changed.length) {
          failures.push(`${r.key} as ${role} without CSRF: status ${res.status} ${res.code}, changed=${res.changed.join(',')}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('scope', () => {
  it("signed-in reads never return another principal's identifiers", async () => {
    const failures: string[] = [];
    const reads = matrixRoutes.filter((r) => r.method === 'GET' && !r.url.includes(':') && !r.url.includes('*'));
    for (const r of reads) {
      const scopes = scopesOf(r);
      if (!scopes.length || scopes.every((s) => s === 'none')) continue;
      for (const role of ROLES.filter((c) => allowed(r, c))) {
        const caller = world.callers[role];
        const res = await send('GET', r.url, { session: caller });
        if (res.status >= 300) continue;
        // `self` routes show only the caller; scoped routes nothing of the other agency / other applicants.
        const forbidden = scopes.includes('self') ? everyoneElse(caller) : Object.values(world.others);
        const leaked = forbidden.filter((u) => res.body.includes(u.userId) || (u.principal.subjectId && res.body.includes(u.principal.subjectId)));
        if (leaked.length) failures.push(`${r.key} as ${role} shows ${leaked.map((u) => u.principal.username).join(', ')}`);
        if (res.body.includes(world.agencies.other.id)) failures.push(`${r.key} as ${role} shows the other agency`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("self-scoped writes leave everyone else's sessions alone", async () => {
    const failures: string[] = [];
    for (const r of matrixRoutes.filter((x) => UNSAFE.has(x.method) && scopesOf(x).includes('self'))) {
      for (const role of ROLES.filter((c) => allowed(r, c))) {
        const caller = await freshSession(world.callers[role]);
        await send(r.method, concreteUrl(r.url), { session: caller });
        for (const u of everyoneElse(caller)) {
          if (!(await service.resolveSession(ctx, u.cookie.split('=')[1]!))) {
            failures.push(`${r.key} as ${role} ended the session of ${u.principal.username}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('scope probes: out-of-scope requests are refused (or filtered) and change nothing; in-scope requests succeed', async () => {
    const failures: string[] = [];
    const checked: string[] = [];
    for (const r of matrixRoutes) {
      const probe = probes.get(r.key);
      if (!probe) continue;
      for (const role of ROLES.filter((c) => allowed(r, c))) {
        const { own, foreign } = await probe.build(world, role);
        const foreignRes = await send(r.method, foreign.url, {
          session: await freshSession(world.callers[role]),
          payload: foreign.payload,
          ...(foreign.contentType ? { contentType: foreign.contentType } : {}),
        });
        const refused = foreignRes.status === 403 || foreignRes.status === 404;
        const filtered =
          foreignRes.status >= 200 && foreignRes.status < 300 && (foreign.excludes?.length ?? 0) > 0 &&
          foreign.excludes!.every((s) => !foreignRes.body.includes(s));
        if (!(refused || filtered) || foreignRes.changed.length) {
          failures.push(
            `${r.key} as ${role} outside scope: status ${foreignRes.status} ${foreignRes.code ?? ''}, changed=${foreignRes.changed.join(',')}`,
          );
        }
        const ownRes = await send(r.method, own.url, {
          session: await freshSession(world.callers[role]),
          payload: own.payload,
          ...(own.contentType ? { contentType: own.contentType } : {}),
        });
        if (ownRes.status < 200 || ownRes.status >= 300) {
          failures.push(`${r.key} as ${role} inside scope: status ${ownRes.status} ${ownRes.code ?? ''} (the probe must succeed in scope)`);
        } else if (!(own.contains ?? []).every((s) => ownRes.body.includes(s))) {
          failures.push(`${r.key} as ${role} inside scope: answer lacks ${own.contains!.join(', ')}`);
        }
        checked.push(`${r.key} as ${role}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked.length).toBeGreaterThanOrEqual(probes.size);
  });
});
