import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/support/db.ts';
import { checkIdempotencyKey, requestFingerprint, runIdempotent } from './idempotency.ts';

describe('idempotent writes', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
    await t.db.exec('CREATE TABLE idem_probe (id serial PRIMARY KEY, v text)');
  });
  afterAll(async () => {
    await t.cleanup();
  });
  const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM idem_probe')).rows[0]!.n;
  const insert = (v: string) => async (q: import('../db/db.ts').Queryable) => {
    const r = await q.query<{ id: number }>('INSERT INTO idem_probe (v) VALUES ($1) RETURNING id', [v]);
    return { status: 201, body: { id: r.rows[0]!.id } };
  };

  it('does the work once and replays the stored answer for the same key', async () => {
    const args = { key: 'key-00000001', principalId: 'p1', route: 'POST /x', fingerprint: requestFingerprint({ v: 'a' }) };
    const first = await runIdempotent(t.db, args, insert('a'));
    const second = await runIdempotent(t.db, args, insert('a'));
    expect(first.replayed).toBe(false);
    expect(second).toEqual({ status: 201, body: first.body, replayed: true });
    expect(await count()).toBe(1);
  });

  it('refuses the same key with a different body, and scopes keys per principal', async () => {
    const args = { key: 'key-00000002', principalId: 'p1', route: 'POST /x', fingerprint: requestFingerprint({ v: 'b' }) };
    await runIdempotent(t.db, args, insert('b'));
    await expect(
      runIdempotent(t.db, { ...args, fingerprint: requestFingerprint({ v: 'other' }) }, insert('other')),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const other = await runIdempotent(t.db, { ...args, principalId: 'p2' }, insert('b'));
    expect(other.replayed).toBe(false);
  });

  it('leaves neither the work nor the key behind when the work fails', async () => {
    const before = await count();
    const args = { key: 'key-00000003', principalId: 'p1', route: 'POST /x', fingerprint: 'f' };
    await expect(
      runIdempotent(t.db, args, async (q) => {
        await insert('c')(q);
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await count()).toBe(before);
    const retry = await runIdempotent(t.db, args, insert('c'));
    expect(retry.replayed).toBe(false);
  });

  it('runs concurrent duplicates once', async () => {
    const before = await count();
    const args = { key: 'key-00000004', principalId: 'p1', route: 'POST /x', fingerprint: 'g' };
    const results = await Promise.all(Array.from({ length: 5 }, () => runIdempotent(t.db, args, insert('d'))));
    expect(await count()).toBe(before + 1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
  });

  it('validates the key format', () => {
    expect(checkIdempotencyKey(undefined)).toBeUndefined();
    expect(checkIdempotencyKey('abcDEF-123_x')).toBe('abcDEF-123_x');
    expect(() => checkIdempotencyKey('short')).toThrow();
    expect(() => checkIdempotencyKey('has space in it')).toThrow();
  });
});
