import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import type { Principal } from '../identity/access.ts';
import { accessPlugin } from '../identity/plugin.ts';
import { isRole } from '../identity/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { buildApp } from '../platform/http/app.ts';
import { DEMO_AGENCY_CODES as C } from './demo-codes.ts';
import { catalogRoutes } from './routes.ts';
import { seedCatalog } from './seed.ts';

/** The caller's role comes from a test header, so these tests exercise the catalog routes without sessions. */
const headerIdentity = fp<{ ctx: AppContext }>(async (app, { ctx }) => {
  await app.register(accessPlugin, {
    ctx,
    resolvePrincipal: async (request) => {
      const role = request.headers['x-test-role'];
      if (!isRole(role)) return null;
      const p: Principal = { userId: `u-${role}`, username: role, displayName: role, role, agencyId: null, agencyCode: null, subjectId: null, sessionId: 's' };
      return p;
    },
  });
});

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
let app: FastifyInstance;
const admin = { 'x-test-role': 'admin' };

beforeAll(async () => {
  // No web bundle: these tests are about the API (and a built web/dist must not change their outcome).
  ctx = await createTestContext({ webDist: '/nonexistent-web-dist' });
  await seedCatalog(ctx);
  app = await buildApp(ctx, { rooms: [headerIdentity, catalogRoutes], logger: false });
});
afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

describe('public catalog', () => {
  test('search without diacritics finds "cấp … phép" procedures', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/catalog/procedures?q=cap%20phep' });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { items: { key: string; name: string }[]; total: number };
    expect(body.total).toBeGreaterThan(0);
    expect(body.items.map((p) => p.key)).toContain('syt-gphn-kcb-cap-moi');
    expect(body.items.every((p) => /cấp/i.test(p.name) && /phép/i.test(p.name))).toBe(true);
  });

  test('filters by field and agency; agencies as a tree', async () => {
    const byField = (await app.inject({ method: 'GET', url: `/api/catalog/procedures?field=${encodeURIComponent('Mỹ phẩm')}` })).json() as { total: number };
    expect(byField.total).toBe(4);
    const byAgency = (await app.inject({ method: 'GET', url: `/api/catalog/procedures?agency=${C.departmentOfJustice}` })).json() as { items: { key: string }[] };
    expect(byAgency.items.map((p) => p.key)).toEqual(['stp-ly-lich-tu-phap']);
    const fields = (await app.inject({ method: 'GET', url: '/api/catalog/fields' })).json() as { items: { field: string; count: number }[] };
    expect(fields.items.find((f) => f.field === 'Hộ tịch')!.count).toBe(5);
    const tree = (await app.inject({ method: 'GET', url: '/api/catalog/agencies?tree=true' })).json() as {
      tree: { code: string; children: { code: string; children: unknown[] }[] }[];
    };
    expect(tree.tree.map((n) => n.code)).toEqual([C.cityPeoplesCommittee]);
    expect(tree.tree[0]!.children).toHaveLength(126 + 4);
    expect(tree.tree[0]!.children.find((c) => c.code === C.serviceCenter)!.children).toHaveLength(2);
    const communes = (await app.inject({ method: 'GET', url: '/api/catalog/agencies?kind=commune' })).json() as { items: unknown[] };
    expect(communes.items).toHaveLength(126);
  });

  test('detail with components and process; unknown gives problem+json', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/catalog/procedures/syt-cchn-duoc-xet-ho-so' });
    expect(r.statusCode).toBe(200);
    const d = r.json() as { procedure: { deadline: { value: number } }; components: { acceptedBases: string[] }[]; processes: { steps: unknown[] }[] };
    expect(d.procedure.deadline.value).toBe(20);
    expect(d.components.length).toBe(8);
    expect(d.processes[0]!.steps).toHaveLength(6);
    const missing = await app.inject({ method: 'GET', url: '/api/catalog/procedures/khong-co', headers: { 'accept-language': 'en' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
    expect(missing.json()).toMatchObject({ code: 'PROCEDURE_NOT_FOUND', title: 'Procedure not found' });
  });
});

describe('promised date', () => {
  test('the legal deadline counted on the calendar, across Tết 2026', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/catalog/procedures/stp-ly-lich-tu-phap/due?receivedAt=2026-02-12T10:00%2B07:00' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ receivedAt: '2026-02-12T10:00:00+07:00', due: '2026-03-05T10:00:00+07:00' });
    const hours = await app.inject({ method: 'GET', url: '/api/catalog/procedures/syt-cfs-my-pham/due?receivedAt=2026-02-11T10:00' });
    expect(hours.json()).toMatchObject({ due: '2026-02-23T10:00:00+07:00' });
    expect((await app.inject({ method: 'GET', url: '/api/catalog/procedures/stp-ly-lich-tu-phap/due?receivedAt=hom-nay' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/catalog/procedures/khong-co/due' })).statusCode).toBe(404);
  });
});

describe('administration', () => {
  test('needs the admin role', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/admin/catalog/export' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/admin/catalog/export', headers: { 'x-test-role': 'leader' } })).statusCode).toBe(403);
  });

  test('agency and procedure CRUD with validation errors', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/admin/catalog/agencies', headers: admin, payload: { code: '00.00.01.H26', name: 'X', kind: 'other', parentCode: null } });
    expect(bad.statusCode).toBe(400);
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/catalog/agencies',
      headers: admin,
      payload: { code: '000.01.14.H26', name: 'Phòng Cấp phép xây dựng', kind: 'other', parentCode: C.departmentOfConstruction },
    });
    expect(created.statusCode).toBe(201);
    const agency = created.json() as { id: string };
    const updated = await app.inject({
      method: 'PUT',
      url: `/api/admin/catalog/agencies/${agency.id}`,
      headers: admin,
      payload: { code: '000.01.14.H26', name: 'Phòng Quản lý cấp phép', kind: 'other', parentCode: C.departmentOfConstruction },
    });
    expect(updated.json()).toMatchObject({ name: 'Phòng Quản lý cấp phép' });

    const procedure = {
      key: 'sxd-giay-phep-thu',
      nationalCode: null,
      name: 'Cấp giấy phép thử',
      field: 'Xây dựng',
      level: 'province',
      competentAgency: C.departmentOfConstruction,
      receivingAgencies: [C.serviceCenterBranch1],
      channels: ['counter'],
      deadline: { value: 1, unit: 'working_days' },
      cutoff: '15:00',
      fees: [{ kind: 'charge', case: 'Lệ phí', amountVnd: 75000 }],
      result: { name: 'Giấy phép', paperAlsoRequiredByLaw: false },
      postAudit: { sampleRate: 0.1, riskRules: [] },
    };
    const p = await app.inject({ method: 'POST', url: '/api/admin/catalog/procedures', headers: admin, payload: procedure });
    expect(p.statusCode).toBe(201);
    const id = (p.json() as { id: string }).id;
    const comp = await app.inject({
      method: 'POST',
      url: `/api/admin/catalog/procedures/${id}/components`,
      headers: admin,
      payload: { key: 'don', name: 'Đơn', required: true, input: 'upload', copies: 1, acceptedBases: ['DIGITIZED_SIGNED', 'E_CERTIFIED'] },
    });
    expect(comp.statusCode).toBe(201);
    const compId = (comp.json() as { id: string }).id;
    const compPut = await app.inject({
      method: 'PUT',
      url: `/api/admin/catalog/components/${compId}`,
      headers: admin,
      payload: { key: 'don', name: 'Đơn đề nghị', required: true, input: 'upload', copies: 2, acceptedBases: ['DIGITIZED_SIGNED'], position: 3 },
    });
    expect(compPut.json()).toMatchObject({ name: 'Đơn đề nghị', copies: 2, position: 3 });
    const proc = await app.inject({
      method: 'POST',
      url: `/api/admin/catalog/procedures/${id}/processes`,
      headers: admin,
      payload: {
        agency: C.departmentOfConstruction,
        steps: [
          { kind: 'reception', name: 'Tiếp nhận', role: 'counter_officer', agency: C.serviceCenter, quotaHours: 1 },
          { kind: 'appraisal', name: 'Thẩm định', role: 'specialist', agency: null, quotaHours: 5 },
          { kind: 'result_return', name: 'Trả kết quả', role: 'counter_officer', agency: C.serviceCenter, quotaHours: 1 },
        ],
      },
    });
    expect(proc.statusCode).toBe(422);
    expect(proc.json()).toMatchObject({ code: 'CATALOG_INVALID', issues: [{ path: '/steps', reason: expect.stringMatching(/7 working hours .* 8/) }] });
    const versions = await app.inject({ method: 'GET', url: `/api/admin/catalog/procedures/${id}/processes`, headers: admin });
    expect(versions.json()).toEqual({ items: [] });
    const off = await app.inject({ method: 'PATCH', url: `/api/admin/catalog/procedures/${id}`, headers: admin, payload: { active: false } });
    expect(off.json()).toMatchObject({ active: false });
    expect((await app.inject({ method: 'GET', url: '/api/catalog/procedures/sxd-giay-phep-thu' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/admin/catalog/procedures/${id}`, headers: admin })).statusCode).toBe(200);
    const del = await app.inject({ method: 'DELETE', url: `/api/admin/catalog/components/${compId}`, headers: admin });
    expect(del.statusCode).toBe(204);
  });

  test('import reports errors with paths and export returns the file', async () => {
    const exported = await app.inject({ method: 'GET', url: '/api/admin/catalog/export', headers: admin });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/attachment/);
    const file = exported.json() as { procedures: { deadline: { unit: string } }[] };
    file.procedures[2]!.deadline.unit = 'days';
    const r = await app.inject({ method: 'POST', url: '/api/admin/catalog/import', headers: admin, payload: file });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'CATALOG_INVALID', issues: [{ path: '/procedures/2/deadline/unit' }] });
    file.procedures[2]!.deadline.unit = 'working_days';
    const ok = await app.inject({ method: 'POST', url: '/api/admin/catalog/import', headers: admin, payload: file });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ report: { agencies: { created: 0, updated: 0 }, processVersions: { created: 0 } } });
  });
});
