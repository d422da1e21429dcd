import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { onPostgres, openTestDb, type TestDb } from '../../test/support/db.ts';
import { AppError } from '../platform/http/problem.ts';
import { DEMO_AGENCY_CODES as C } from './demo-codes.ts';
import { allocateDossierCode } from './dossier-code.ts';
import { parseDossierCode } from './rules.ts';

let t: TestDb;
let agencyId: string;

beforeAll(async () => {
  t = await openTestDb();
  const r = await t.db.query<{ id: string }>(
    `INSERT INTO agency (code, name, kind) VALUES ($1, 'Chi nhánh 1', 'branch'), ($2, 'Chi nhánh 2', 'branch') RETURNING id`,
    [C.serviceCenterBranch1, C.serviceCenterBranch2],
  );
  agencyId = r.rows[0]!.id;
});
afterAll(async () => t?.cleanup());

describe('allocateDossierCode', () => {
  test('per agency and Vietnamese civil day, starting at 0001', async () => {
    const at = new Date('2026-09-30T02:00:00Z');
    const a = await t.db.tx((q) => allocateDossierCode(q, C.serviceCenterBranch1, at));
    const b = await t.db.tx((q) => allocateDossierCode(q, agencyId, at));
    const other = await t.db.tx((q) => allocateDossierCode(q, C.serviceCenterBranch2, at));
    // 23:30 in Hà Nội on 30/09 is still the 30th; 17:00 UTC is already 01/10.
    const late = await t.db.tx((q) => allocateDossierCode(q, C.serviceCenterBranch1, new Date('2026-09-30T16:30:00Z')));
    const next = await t.db.tx((q) => allocateDossierCode(q, C.serviceCenterBranch1, new Date('2026-09-30T17:00:00Z')));
    expect([a.code, b.code, other.code, late.code, next.code]).toEqual([
      '000.01.30.H26-260930-0001',
      '000.01.30.H26-260930-0002',
      '000.02.30.H26-260930-0001',
      '000.01.30.H26-260930-0003',
      '000.01.30.H26-261001-0001',
    ]);
    expect(a).toMatchObject({ agencyId, agencyCode: C.serviceCenterBranch1, day: '2026-09-30', sequence: 1 });
  });

  test('a rolled-back intake gives its number back', async () => {
    const at = new Date('2026-10-05T02:00:00Z');
    await expect(
      t.db.tx(async (q) => {
        await allocateDossierCode(q, C.serviceCenterBranch1, at);
        throw new Error('intake failed');
      }),
    ).rejects.toThrow('intake failed');
    const r = await t.db.tx((q) => allocateDossierCode(q, C.serviceCenterBranch1, at));
    expect(r.sequence).toBe(1);
  });

  test('grows past 9999 without collision', async () => {
    await t.db.query(`INSERT INTO dossier_code_counter (agency_id, day, last_seq) VALUES ($1, '2026-11-02', 9998)`, [agencyId]);
    const at = new Date('2026-11-02T03:00:00Z');
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await t.db.tx((q) => allocateDossierCode(q, agencyId, at))).code);
    expect(codes).toEqual(['000.01.30.H26-261102-9999', '000.01.30.H26-261102-10000', '000.01.30.H26-261102-10001']);
    expect(codes.map((c) => parseDossierCode(c)!.sequence)).toEqual([9999, 10000, 10001]);
  });

  test('an unknown agency is refused', async () => {
    const err = await t.db.tx((q) => allocateDossierCode(q, '999.99.99.H26', new Date())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('AGENCY_NOT_FOUND');
  });

  // PGlite has a single connection, so real concurrency needs the PostgreSQL server.
  test.skipIf(!onPostgres)('gap-free and duplicate-free under 200 concurrent intakes, some rolled back', async () => {
    const at = new Date('2026-12-01T04:00:00Z');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        t.db.tx(async (q) => {
          const code = await allocateDossierCode(q, C.serviceCenterBranch2, at);
          // Some work inside the intake transaction, so transactions overlap while holding their number.
          await q.query('SELECT pg_sleep(0.002)');
          if (i % 7 === 3) throw new Error(`rollback ${i}`);
          return code;
        }),
      ),
    );
    const committed = outcomes.filter((o): o is PromiseFulfilledResult<Awaited<ReturnType<typeof allocateDossierCode>>> => o.status === 'fulfilled');
    const rolledBack = outcomes.filter((o) => o.status === 'rejected');
    expect(rolledBack.length).toBe(Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 7 === 3).length);
    const seqs = committed.map((o) => o.value.sequence).sort((a, b) => a - b);
    expect(new Set(committed.map((o) => o.value.code)).size).toBe(committed.length);
    expect(seqs).toEqual(Array.from({ length: committed.length }, (_, i) => i + 1));
    const counter = await t.db.query<{ last_seq: number }>(
      `SELECT c.last_seq FROM dossier_code_counter c JOIN agency a ON a.id = c.agency_id WHERE a.code = $1 AND c.day = '2026-12-01'`,
      [C.serviceCenterBranch2],
    );
    expect(counter.rows[0]!.last_seq).toBe(committed.length);
  });
});
