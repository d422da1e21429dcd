import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { listAuditEvents } from '../oversight/audit/store.ts';
import { AppError } from '../platform/http/problem.ts';
import { DEMO_AGENCY_CODES as C } from './demo-codes.ts';
import { seedCatalog } from './seed.ts';
import { seedCatalogFile } from './seed-data.ts';
import {
  addComponent,
  createAgency,
  createProcedure,
  createProcessVersion,
  exportCatalog,
  getProcedureDetail,
  importCatalog,
  retireComponent,
  searchProcedures,
  setProcedureActive,
  updateAgency,
  updateProcedure,
} from './service.ts';
import * as store from './store.ts';
import type { ProcedureFields } from './schema.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
const admin = { userId: 'u-admin', role: 'admin' };

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date('2026-03-02T03:00:00Z'));
  await seedCatalog(ctx);
});
afterAll(async () => ctx?.cleanup());

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function counts() {
  const r = await ctx.db.query<{ a: number; p: number; c: number; ip: number; e: number }>(
    `SELECT (SELECT count(*)::int FROM agency) a, (SELECT count(*)::int FROM procedure) p, (SELECT count(*)::int FROM procedure_component) c,
            (SELECT count(*)::int FROM internal_process) ip, (SELECT count(*)::int FROM audit_event) e`,
  );
  return r.rows[0]!;
}

describe('seed', () => {
  test('seeds the organisation and at least 15 procedures, each with a valid process', async () => {
    const agencies = await store.listAgencies(ctx.db);
    expect(agencies.filter((a) => a.kind === 'commune')).toHaveLength(126);
    for (const code of Object.values(C)) expect(agencies.some((a) => a.code === code)).toBe(true);
    const baDinh = agencies.find((a) => a.gsoCode === '00004')!;
    expect(baDinh).toMatchObject({ code: '004.00.90.H26', name: 'Ủy ban nhân dân phường Ba Đình', parentCode: C.cityPeoplesCommittee, effectiveFrom: '2025-07-01' });
    const { items, total } = await searchProcedures(ctx.db, { limit: 500 });
    expect(total).toBeGreaterThanOrEqual(15);
    for (const p of items) {
      const d = await getProcedureDetail(ctx.db, p.key);
      expect(d.processes.length, p.key).toBeGreaterThan(0);
      expect(d.processes.every((x) => x.matchesDeadline)).toBe(true);
      expect(d.components.length).toBeGreaterThan(0);
    }
  });

  test('is idempotent', async () => {
    const before = await counts();
    expect(await seedCatalog(ctx)).toEqual(['catalog: demo agencies and procedures already present']);
    expect(await counts()).toEqual(before);
  });
});

describe('search', () => {
  test('with or without diacritics, by field and by agency', async () => {
    const withMarks = await searchProcedures(ctx.db, { q: 'cấp phép' });
    const without = await searchProcedures(ctx.db, { q: 'cap phep' });
    expect(without.total).toBeGreaterThan(0);
    expect(without.items.map((p) => p.key)).toEqual(withMarks.items.map((p) => p.key));
    expect(without.items.some((p) => p.key === 'syt-gphn-kcb-cap-moi')).toBe(true);
    const byCode = await searchProcedures(ctx.db, { q: '1.014076' });
    expect(byCode.items.map((p) => p.key)).toEqual(['syt-gcn-dkkd-duoc']);
    const civil = await searchProcedures(ctx.db, { field: 'Hộ tịch' });
    expect(civil.total).toBeGreaterThanOrEqual(4);
    expect(civil.items.every((p) => p.level === 'commune')).toBe(true);
    const justice = await searchProcedures(ctx.db, { agency: C.departmentOfJustice });
    expect(justice.items.map((p) => p.key)).toEqual(['stp-ly-lich-tu-phap']);
    const branch = await searchProcedures(ctx.db, { agency: C.serviceCenterBranch1, limit: 500 });
    expect(branch.items.every((p) => p.level === 'province')).toBe(true);
    const ward = await searchProcedures(ctx.db, { agency: '004.00.90.H26', q: 'khai sinh' });
    expect(ward.total).toBeGreaterThanOrEqual(2);
    expect((await searchProcedures(ctx.db, { agency: '999.99.99.H26' })).total).toBe(0);
  });
});

describe('agencies', () => {
  test('create, update, refuse loops and taken codes, with audit events', async () => {
    const a = await createAgency(ctx, admin, { code: '000.01.12.H26', name: 'Phòng Nghiệp vụ Dược', kind: 'other', parentCode: C.departmentOfHealth });
    expect(a.parentCode).toBe(C.departmentOfHealth);
    const taken = await rejection(createAgency(ctx, admin, { code: '000.01.12.H26', name: 'X', kind: 'other', parentCode: null }));
    expect(taken.code).toBe('AGENCY_CODE_TAKEN');
    const health = (await store.getAgency(ctx.db, C.departmentOfHealth))!;
    const loop = await rejection(
      updateAgency(ctx, admin, health.id, { code: health.code, name: health.name, kind: 'department', parentCode: '000.01.12.H26' }),
    );
    expect(loop.code).toBe('CATALOG_INVALID');
    expect(loop.extensions.issues).toEqual([{ path: '/parentCode', reason: expect.stringMatching(/descendants/) }]);
    const badCode = await rejection(createAgency(ctx, admin, { code: '000.1.12.H26', name: 'X', kind: 'other', parentCode: null }));
    expect(badCode.extensions.issues).toEqual([{ path: '/code', reason: expect.stringMatching(/level 3/) }]);
    const updated = await updateAgency(ctx, admin, a.id, { code: a.code, name: 'Phòng Quản lý Dược', kind: 'other', parentCode: C.departmentOfHealth, effectiveTo: '2030-12-31' });
    expect(updated).toMatchObject({ name: 'Phòng Quản lý Dược', effectiveTo: '2030-12-31' });
    const events = (await listAuditEvents(ctx.db)).filter((e) => e.subjectId === a.id);
    expect(events.map((e) => e.type)).toEqual(['catalog.agency.created', 'catalog.agency.updated']);
    expect(events[0]!.actorId).toBe('u-admin');
  });
});

const newProcedure: ProcedureFields = {
  key: 'sxd-thu-nghiem',
  nationalCode: null,
  name: 'Thủ tục thử nghiệm của Sở Xây dựng',
  field: 'Xây dựng',
  level: 'province',
  competentAgency: C.departmentOfConstruction,
  receivingAgencies: [C.serviceCenterBranch2],
  channels: ['full_online', 'counter'],
  deadline: { value: 2, unit: 'working_days' },
  cutoff: '15:00',
  fees: [],
  result: { name: 'Văn bản trả lời', paperAlsoRequiredByLaw: false },
  postAudit: { sampleRate: 0, riskRules: [] },
};

describe('procedures, components, processes', () => {
  test('create and update with audit; key and national code must be free', async () => {
    const p = await createProcedure(ctx, admin, newProcedure);
    expect(p).toMatchObject({ key: 'sxd-thu-nghiem', competentAgency: C.departmentOfConstruction, receivingAgencies: [C.serviceCenterBranch2] });
    expect((await rejection(createProcedure(ctx, admin, newProcedure))).code).toBe('PROCEDURE_KEY_TAKEN');
    expect((await rejection(createProcedure(ctx, admin, { ...newProcedure, key: 'sxd-khac', nationalCode: '1.014076' }))).code).toBe('PROCEDURE_KEY_TAKEN');
    const unknownAgency = await rejection(createProcedure(ctx, admin, { ...newProcedure, key: 'sxd-khac', competentAgency: '999.99.99.H26' }));
    expect(unknownAgency.extensions.issues).toEqual([{ path: '/competentAgency', reason: 'unknown agency code "999.99.99.H26"' }]);
    const u = await updateProcedure(ctx, admin, p.id, { ...newProcedure, name: 'Cấp phép thử nghiệm', receivingAgencies: [] });
    expect(u).toMatchObject({ name: 'Cấp phép thử nghiệm', receivingAgencies: [] });
    expect((await rejection(updateProcedure(ctx, admin, p.id, { ...newProcedure, key: 'other-key' }))).code).toBe('CATALOG_INVALID');
    expect((await searchProcedures(ctx.db, { q: 'cap phep thu nghiem' })).items.map((x) => x.key)).toEqual(['sxd-thu-nghiem']);
    await setProcedureActive(ctx, admin, p.id, false);
    expect((await searchProcedures(ctx.db, { q: 'cap phep thu nghiem' })).total).toBe(0);
    expect((await rejection(getProcedureDetail(ctx.db, p.key))).code).toBe('PROCEDURE_NOT_FOUND');
    await setProcedureActive(ctx, admin, p.id, true);
    const types = (await listAuditEvents(ctx.db)).filter((e) => e.subjectId === p.id).map((e) => e.type);
    expect(types).toEqual(['catalog.procedure.created', 'catalog.procedure.updated', 'catalog.procedure.deactivated', 'catalog.procedure.activated']);
  });

  test('components: add, refuse invalid, retire', async () => {
    const p = (await store.getProcedure(ctx.db, 'sxd-thu-nghiem'))!;
    const c = await addComponent(ctx, admin, p.id, { key: 'ban-ve', name: 'Bản vẽ', required: true, input: 'upload', copies: 2, acceptedBases: ['DIGITIZED_SIGNED'] });
    expect(c).toMatchObject({ key: 'ban-ve', position: 1, copies: 2, active: true });
    const bad = await rejection(addComponent(ctx, admin, p.id, { key: 'to-khai', name: 'Tờ khai', required: true, input: 'upload', copies: 1, acceptedBases: ['SELF_DECLARED'] }));
    expect(bad.extensions.issues).toEqual([{ path: '/acceptedBases', reason: expect.stringMatching(/form/) }]);
    await retireComponent(ctx, admin, c.id);
    expect((await getProcedureDetail(ctx.db, p.key)).components).toEqual([]);
  });

  test('process versions: quotas must add up; a new version leaves the old one untouched', async () => {
    const p = (await store.getProcedure(ctx.db, 'sxd-thu-nghiem'))!;
    const steps = (appraisal: number) => [
      { kind: 'reception' as const, name: 'Tiếp nhận', role: 'counter_officer' as const, agency: C.serviceCenter, quotaHours: 1 },
      { kind: 'appraisal' as const, name: 'Thẩm định', role: 'specialist' as const, agency: null, quotaHours: appraisal },
      { kind: 'approval' as const, name: 'Ký', role: 'leader' as const, agency: null, quotaHours: 2 },
      { kind: 'result_return' as const, name: 'Trả', role: 'counter_officer' as const, agency: C.serviceCenter, quotaHours: 1 },
    ];
    const wrong = await rejection(createProcessVersion(ctx, admin, p.id, { agency: C.departmentOfConstruction, steps: steps(11) }));
    expect(wrong.extensions.issues).toEqual([{ path: '/steps', reason: expect.stringMatching(/add up to 15 .* is 16/) }]);
    const v1 = await createProcessVersion(ctx, admin, p.id, { agency: C.departmentOfConstruction, steps: steps(12) });
    const v2 = await createProcessVersion(ctx, admin, p.id, { agency: C.departmentOfConstruction, steps: [...steps(10).slice(0, 2), { ...steps(10)[2]!, quotaHours: 4 }, steps(10)[3]!] });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const again = (await store.getProcess(ctx.db, v1.id))!;
    expect(again.steps.map((s) => s.quotaHours)).toEqual([1, 12, 2, 1]);
    const all = await store.listProcesses(ctx.db, p.id);
    expect(all.map((x) => x.version)).toEqual([2, 1]);
    const agency = (await store.getAgency(ctx.db, C.departmentOfConstruction))!;
    expect((await store.currentProcessFor(ctx.db, p.id, agency.id))!.id).toBe(v2.id);
    // The database itself refuses to rewrite a version.
    await expect(ctx.db.query('UPDATE process_step SET quota_hours = 5 WHERE process_id = $1', [v1.id])).rejects.toThrow(/immutable/);
    await expect(ctx.db.query('DELETE FROM internal_process WHERE id = $1', [v1.id])).rejects.toThrow(/immutable/);
  });

  test('commune procedures use the default process unless the commune has its own', async () => {
    const p = (await store.getProcedure(ctx.db, 'xa-xac-nhan-thong-tin-ho-tich'))!;
    const ward = (await store.getAgency(ctx.db, '004.00.90.H26'))!;
    const def = (await store.currentProcessFor(ctx.db, p.id, ward.id))!;
    expect(def.agency).toBeNull();
    const own = await createProcessVersion(ctx, admin, p.id, { agency: ward.code, steps: def.steps.map(({ position: _p, ...s }) => s) });
    expect((await store.currentProcessFor(ctx.db, p.id, ward.id))!.id).toBe(own.id);
    const other = (await store.getAgency(ctx.db, '489.10.90.H26'))!;
    expect((await store.currentProcessFor(ctx.db, p.id, other.id))!.id).toBe(def.id);
  });
});

describe('import and export', () => {
  test('export → import round-trips without changes', async () => {
    const file = await exportCatalog(ctx.db, ctx.now());
    const before = await counts();
    const report = await importCatalog(ctx, admin, JSON.parse(JSON.stringify(file)));
    expect(report.agencies).toMatchObject({ created: 0, updated: 0 });
    expect(report.processVersions.created).toBe(0);
    expect(report.components.retired).toBe(0);
    const after = await counts();
    expect({ ...after, e: 0 }).toEqual({ ...before, e: 0 });
    expect(after.e).toBe(before.e + 1);
    const again = await exportCatalog(ctx.db, ctx.now());
    expect(again.procedures).toEqual(file.procedures);
    expect(again.agencies).toEqual(file.agencies);
  });

  test('a malformed file lists every problem with its path and changes nothing', async () => {
    const file = structuredClone(seedCatalogFile()) as unknown as { agencies: any[]; procedures: any[] };
    file.agencies.push({ code: '000.09.12.H26', name: 'Đơn vị mới', kind: 'other', parentCode: C.departmentOfHealth });
    file.procedures[0].name = 'Đổi tên — không được lưu';
    file.procedures[4].processes[0].steps[1].quotaHours = 999;
    file.procedures[5].components[1].acceptedBases = [];
    const before = await counts();
    const err = await rejection(importCatalog(ctx, admin, file));
    expect(err.code).toBe('CATALOG_INVALID');
    expect(err.extensions.issues).toEqual([
      { path: '/procedures/4/processes/0/steps', reason: expect.stringMatching(/add up to/) },
      { path: '/procedures/5/components/1/acceptedBases', reason: expect.stringMatching(/at least one validity basis/) },
    ]);
    expect(await counts()).toEqual(before);
    expect((await store.getProcedure(ctx.db, file.procedures[0].key))!.name).not.toBe('Đổi tên — không được lưu');
    expect(await store.getAgency(ctx.db, '000.09.12.H26')).toBeNull();
  });

  test('an import that changes steps makes a new version and retires missing components', async () => {
    const file = await exportCatalog(ctx.db, ctx.now());
    const p = file.procedures.find((x) => x.key === 'syt-cchn-duoc-cap-lai')!;
    const steps = p.processes[0]!.steps;
    steps[2]!.quotaHours -= 1;
    steps[3]!.quotaHours += 1;
    p.components = p.components.slice(0, 1);
    const report = await importCatalog(ctx, admin, { ...file, procedures: [p], agencies: [] });
    expect(report).toMatchObject({ procedures: { updated: 1 }, processVersions: { created: 1 }, components: { retired: 1 } });
    const detail = await getProcedureDetail(ctx.db, p.key);
    expect(detail.processes[0]!.version).toBe(2);
    expect(detail.components.map((c) => c.key)).toEqual(['application']);
  });
});
