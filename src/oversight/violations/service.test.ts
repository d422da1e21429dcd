/**
 * The register end to end on the database: a citizen's report proven by code + secret, a refused R3 attempt
 * imported once, and an entry worked to a finding; every step audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { createSignedInUser } from '../../identity/testing.ts';
import { refuseDossier, returnForCompletion } from '../../dossiers/service.ts';
import { COMPONENTS as C } from '../../dossiers/testing.ts';
import { seedOversightWorld, type OversightWorld } from '../testing.ts';
import { actOnViolation, listRegister, reportPaperRequest } from './service.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
let world: OversightWorld;
let supervisor: Awaited<ReturnType<typeof createSignedInUser>>;
let inspector: Awaited<ReturnType<typeof createSignedInUser>>;
const vn = (local: string) => new Date(`${local}+07:00`);

beforeAll(async () => {
  ctx = await createTestContext();
  world = await seedOversightWorld(ctx, { submitted: 2, received: 1, submitAt: vn('2027-03-10T09:00'), receiveAt: vn('2027-03-10T09:30') });
  supervisor = await createSignedInUser(ctx, { role: 'supervisor', agencyCode: '000.00.00.H26' });
  inspector = await createSignedInUser(ctx, { role: 'inspector', agencyCode: '000.00.00.H26' });
});
afterAll(async () => {
  await ctx?.cleanup();
});

const auditTypes = async () => (await ctx.db.query<{ type: string }>('SELECT type FROM audit_event ORDER BY seq')).rows.map((r) => r.type);

describe('violations register', () => {
  it("a citizen's report needs the dossier's code and secret; a wrong secret stores nothing", async () => {
    const d = world.dossiers[0]!;
    await expect(reportPaperRequest(ctx, { code: d.code!, secret: 'wrong', description: 'x' })).rejects.toMatchObject({ code: 'DOSSIER_STATUS_NOT_FOUND' });
    expect((await ctx.db.query('SELECT 1 FROM violation')).rowCount).toBe(0);
    const r = await reportPaperRequest(ctx, {
      code: d.code!,
      secret: d.secret,
      description: 'Cán bộ một cửa yêu cầu nộp bản sao giấy khai sinh có chứng thực dù đã nộp bản điện tử.',
      contact: '0912 345 678',
    });
    expect(r.dossierCode).toBe(d.code);
    const list = await listRegister(ctx, supervisor.principal, { state: 'active', limit: 10, offset: 0 });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ source: 'citizen_report', rule: 'R3', state: 'open', dossier: { code: d.code } });
    const stored = await ctx.db.query<{ reporter: Record<string, unknown> }>('SELECT reporter FROM violation');
    expect(JSON.stringify(stored.rows[0]!.reporter)).not.toContain(d.secret);
    expect(await auditTypes()).toEqual(expect.arrayContaining(['violation.reported', 'violation.register.read']));
  });

  it('a refused request for a component with a valid e-version is opened as an entry, once', async () => {
    const online = world.dossiers[1]!;
    await expect(
      returnForCompletion(ctx, world.counter.principal, online.id, [{ componentKey: C.diploma, reason: 'Nộp bản giấy có công chứng' }]),
    ).rejects.toMatchObject({ status: 422 });
    const first = await listRegister(ctx, supervisor.principal, { source: 'refused_attempt', limit: 10, offset: 0 });
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ source: 'refused_attempt', rule: 'R3', dossier: { id: online.id } });
    const again = await listRegister(ctx, supervisor.principal, { source: 'refused_attempt', limit: 10, offset: 0 });
    expect(again.total).toBe(1);
    expect(again.counts.refused_attempt).toEqual({ open: 1, closed: 0, confirmed: 0 });
  });

  it('assigned, investigated and closed with a finding by the assignee only', async () => {
    const [entry] = (await listRegister(ctx, supervisor.principal, { source: 'citizen_report', limit: 1, offset: 0 })).items;
    await expect(actOnViolation(ctx, inspector.principal, entry!.id, { type: 'assign', assigneeUsername: inspector.principal.username })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(actOnViolation(ctx, supervisor.principal, entry!.id, { type: 'assign', assigneeUsername: world.citizen.principal.username })).rejects.toMatchObject({ code: 'VIOLATION_ASSIGNEE_INVALID' });
    await expect(actOnViolation(ctx, inspector.principal, entry!.id, { type: 'start_investigation' })).rejects.toMatchObject({ code: 'VIOLATION_NOT_ASSIGNED' });
    expect(await actOnViolation(ctx, supervisor.principal, entry!.id, { type: 'assign', assigneeUsername: inspector.principal.username })).toMatchObject({ state: 'assigned', assignee: { id: inspector.principal.userId } });
    await expect(actOnViolation(ctx, supervisor.principal, entry!.id, { type: 'start_investigation' })).rejects.toMatchObject({ code: 'VIOLATION_NOT_ASSIGNEE' });
    await actOnViolation(ctx, inspector.principal, entry!.id, { type: 'start_investigation' });
    await expect(actOnViolation(ctx, inspector.principal, entry!.id, { type: 'close', finding: 'confirmed', note: ' ' })).rejects.toMatchObject({ code: 'VIOLATION_NOTE_REQUIRED' });
    const closed = await actOnViolation(ctx, inspector.principal, entry!.id, { type: 'close', finding: 'confirmed', note: 'Đã xác minh với công dân và cán bộ.' });
    expect(closed).toMatchObject({ state: 'closed', finding: 'confirmed' });
    await expect(actOnViolation(ctx, supervisor.principal, entry!.id, { type: 'assign', assigneeUsername: supervisor.principal.username })).rejects.toMatchObject({ code: 'VIOLATION_CLOSED' });
    expect(await auditTypes()).toEqual(expect.arrayContaining(['violation.assign', 'violation.start_investigation', 'violation.close']));
  });

  it('refusing a dossier is not a violation', async () => {
    await refuseDossier(ctx, world.counter.principal, world.dossiers[1]!.id, 'Không thuộc thẩm quyền');
    expect((await listRegister(ctx, supervisor.principal, { limit: 50, offset: 0 })).total).toBe(2);
  });
});
