import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/support/db.ts';
import { appendAuditEvent, listAuditEvents } from './store.ts';
import { verifyAuditLog } from './verify.ts';

describe('appendAuditEvent round trip', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('hashes what the database gives back, whatever the data (JSONB reorders keys, normalises numbers)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: null }),
        async (data, at, subjectId) => {
          const r = await t.db.tx((q) => appendAuditEvent(q, { type: 'property.test', at, subjectType: 'x', subjectId, data }));
          const [row] = await listAuditEvents(t.db, { fromSeq: r.seq, toSeq: r.seq });
          expect(row?.hash).toBe(r.hash);
        },
      ),
      { numRuns: 60 },
    );
    const v = await verifyAuditLog(t.db);
    expect(v).toMatchObject({ ok: true, rowsChecked: 60 });
  });

  it('numbers events densely under concurrent writers', async () => {
    const before = (await verifyAuditLog(t.db)).head!.seq;
    await Promise.all(
      Array.from({ length: 4 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 10; i++) await t.db.tx((q) => appendAuditEvent(q, { type: 'concurrent', at: new Date(), data: { w, i } }));
        })(),
      ),
    );
    const v = await verifyAuditLog(t.db, { batchSize: 7 });
    expect(v).toMatchObject({ ok: true, head: { seq: before + 40 }, verifiedThrough: before + 40 });
  });
});
