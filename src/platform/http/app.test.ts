import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/context.ts';
import type { Principal } from '../../identity/access.ts';
import { accessPlugin } from '../../identity/plugin.ts';
import { isRole } from '../../identity/roles.ts';
import type { AppContext } from '../context.ts';
import { buildApp } from './app.ts';

type RoomPlugin = FastifyPluginAsync<{ ctx: AppContext }>;

/** A principal named by a test header, so these tests exercise the platform without the identity room's sessions. */
const headerIdentity = fp<{ ctx: AppContext }>(async (app, { ctx }) => {
  await app.register(accessPlugin, {
    ctx,
    resolvePrincipal: async (request) => {
      const role = request.headers['x-test-role'];
      if (!isRole(role)) return null;
      const p: Principal = {
        userId: 'u1',
        username: 'test',
        displayName: 'Test',
        role,
        agencyId: null,
        agencyCode: null,
        subjectId: null,
        sessionId: 's1',
      };
      return p;
    },
  });
});

const probeRoom: RoomPlugin = async (app, { ctx }) => {
  await ctx.db.exec('CREATE TABLE IF NOT EXISTS probe_note (id serial PRIMARY KEY, text text NOT NULL)');
  app.post(
    '/api/probe/notes',
    {
      config: { access: { roles: ['admin'] } },
      schema: { body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }) },
    },
    async (request, reply) => {
      const { text } = request.body as { text: string };
      await ctx.db.query('INSERT INTO probe_note (text) VALUES ($1)', [text]);
      return reply.status(201).send({ ok: true });
    },
  );
};

describe('HTTP platform', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const notes = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM probe_note')).rows[0]!.n;

  beforeAll(async () => {
    ctx = await createTestContext({ jsonBodyLimit: 1024 });
    app = await buildApp(ctx, { rooms: [headerIdentity, probeRoom], logger: false });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await ctx.cleanup();
  });

  it('answers liveness, readiness, metrics and OpenAPI 3.1', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual({ database: 'ok', blobStore: 'ok' });
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toContain('hoso_http_request_duration_seconds');
    const spec = (await app.inject('/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toContain('/api/probe/notes');
    expect((await app.inject('/docs')).statusCode).toBeLessThan(400);
  });

  it('gives an unknown route a 404 problem in the language asked for', async () => {
    const vi = await app.inject({ url: '/api/nothing-here' });
    expect(vi.statusCode).toBe(404);
    expect(vi.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(vi.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', status: 404, title: 'Không có địa chỉ này' });
    const en = await app.inject({ url: '/api/nothing-here', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.json().title).toBe('No such route');
  });

  it('refuses invalid JSON, schema violations and oversize bodies, writing nothing', async () => {
    const headers = { 'content-type': 'application/json', 'x-test-role': 'admin' };
    const bad = await app.inject({ method: 'POST', url: '/api/probe/notes', headers, payload: '{"text":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('INVALID_JSON');
    const invalid = await app.inject({ method: 'POST', url: '/api/probe/notes', headers, payload: { text: '', extra: 1 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('VALIDATION_FAILED');
    expect(invalid.json().errors.length).toBeGreaterThan(0);
    const big = await app.inject({ method: 'POST', url: '/api/probe/notes', headers, payload: { text: 'x'.repeat(5000) } });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('BODY_TOO_LARGE');
    expect(await notes()).toBe(0);
  });

  it('refuses the wrong role (403) and anonymous callers (401) before anything is written', async () => {
    const payload = { text: 'ghi chú' };
    const anon = await app.inject({ method: 'POST', url: '/api/probe/notes', payload });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().code).toBe('UNAUTHENTICATED');
    const citizen = await app.inject({ method: 'POST', url: '/api/probe/notes', payload, headers: { 'x-test-role': 'citizen' } });
    expect(citizen.statusCode).toBe(403);
    expect(citizen.json().code).toBe('FORBIDDEN');
    expect(await notes()).toBe(0);
    const ok = await app.inject({ method: 'POST', url: '/api/probe/notes', payload, headers: { 'x-test-role': 'admin' } });
    expect(ok.statusCode).toBe(201);
    expect(await notes()).toBe(1);
  });

  it('echoes a request id and generates one when none is given', async () => {
    const given = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const generated = await app.inject({ url: '/healthz' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an upload over the configured limit with 413, storing nothing', async () => {
    const small = await createTestContext({ uploadBodyLimit: 1000 });
    const uploads: RoomPlugin = async (a, { ctx: c }) => {
      a.post('/api/probe/upload', { config: { access: { public: true } } }, async (request, reply) => {
        const file = await request.file();
        const bytes = await file!.toBuffer();
        await c.blobs.put(bytes);
        return reply.status(201).send({ size: bytes.length });
      });
    };
    const a = await buildApp(small, { rooms: [headerIdentity, uploads], logger: false });
    const body = (size: number) =>
      Buffer.concat([
        Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n'),
        Buffer.alloc(size, 0x25),
        Buffer.from('\r\n--b--\r\n'),
      ]);
    const headers = { 'content-type': 'multipart/form-data; boundary=b' };
    const ok = await a.inject({ method: 'POST', url: '/api/probe/upload', headers, payload: body(500) });
    expect(ok.statusCode).toBe(201);
    const tooBig = await a.inject({ method: 'POST', url: '/api/probe/upload', headers, payload: body(5000) });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('BODY_TOO_LARGE');
    const stored = [];
    for await (const b of small.blobs.list()) stored.push(b);
    expect(stored).toHaveLength(1);
    await a.close();
    await small.cleanup();
  });

  it('serves the web app shell for HTML navigations but problems for API paths', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const webDist = await mkdtemp(join(tmpdir(), 'hoso-web-'));
    await writeFile(join(webDist, 'index.html'), '<!doctype html><title>hoso</title>');
    const withWeb = await buildApp({ ...ctx, config: { ...ctx.config, webDist } }, { rooms: [headerIdentity], logger: false });
    const page = await withWeb.inject({ url: '/thu-tuc/1.000001', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>hoso</title>');
    const api = await withWeb.inject({ url: '/api/missing', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('ROUTE_NOT_FOUND');
    const asset = await withWeb.inject({ url: '/index.html' });
    expect(asset.statusCode).toBe(200);
    const root = await withWeb.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('<title>hoso</title>');
    await withWeb.close();
  });

  it('refuses to start with a route that declares no access policy', async () => {
    const careless: RoomPlugin = async (a) => {
      a.get('/api/careless', async () => ({}));
    };
    await expect(buildApp(ctx, { rooms: [careless], logger: false })).rejects.toThrow(/declares no access policy/);
  });
});
