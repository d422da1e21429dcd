import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/support/db.ts';
import { listMigrations, migrate } from './migrate.ts';

describe('database and migrations', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('applies every migration once; a second run applies nothing', async () => {
    const versions = (await t.db.query<{ version: string }>('SELECT version FROM schema_migration ORDER BY version')).rows.map(
      (r) => r.version,
    );
    expect(versions).toEqual(listMigrations().map((m) => m.version));
    expect((await migrate(t.db)).applied).toEqual([]);
  });

  it('commits a transaction as a whole or not at all', async () => {
    await t.db.exec('CREATE TABLE tx_probe (id int PRIMARY KEY)');
    await expect(
      t.db.tx(async (q) => {
        await q.query('INSERT INTO tx_probe VALUES (1)');
        await q.query('INSERT INTO tx_probe VALUES (1)'); // duplicate key: the whole transaction must roll back
      }),
    ).rejects.toThrow();
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tx_probe')).rows[0]!.n).toBe(0);
    await t.db.tx(async (q) => {
      await q.query('INSERT INTO tx_probe VALUES (1)');
      await q.query('INSERT INTO tx_probe VALUES (2)');
    });
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tx_probe')).rows[0]!.n).toBe(2);
  });

  it('reports affected or returned rows as rowCount on both engines', async () => {
    await t.db.exec('CREATE TABLE rc_probe (id int)');
    expect((await t.db.query('INSERT INTO rc_probe VALUES (1), (2), (3)')).rowCount).toBe(3);
    expect((await t.db.query('SELECT * FROM rc_probe')).rowCount).toBe(3);
    expect((await t.db.query('UPDATE rc_probe SET id = id WHERE id > 1')).rowCount).toBe(2);
    expect((await t.db.query('DELETE FROM rc_probe WHERE id > 5')).rowCount).toBe(0);
  });

  it('returns int8 as number, timestamptz as Date and jsonb parsed on both engines', async () => {
    const r = await t.db.query<{ a: number; t: Date; j: { x: number } }>(
      `SELECT 9007199254740::int8 AS a, '2026-02-05T03:00:00Z'::timestamptz AS t, '{"x":1}'::jsonb AS j`,
    );
    expect(r.rows[0]).toEqual({ a: 9007199254740, t: new Date('2026-02-05T03:00:00Z'), j: { x: 1 } });
  });

  it('runs one statement many times with changing parameters, inside and outside transactions', async () => {
    // On PostgreSQL data statements are prepared once per pooled connection; the answers must not depend on it.
    await t.db.exec('CREATE TABLE prep_probe (id int PRIMARY KEY, label text)');
    const insert = 'INSERT INTO prep_probe (id, label) VALUES ($1, $2) RETURNING id';
    await Promise.all(Array.from({ length: 30 }, (_, i) => t.db.query(insert, [i, `n${i}`])));
    await t.db.tx(async (q) => {
      for (let i = 30; i < 40; i++) await q.query(insert, [i, null]);
    });
    const byLabel = 'SELECT count(*)::int AS n FROM prep_probe WHERE ($1::text IS NULL AND label IS NULL) OR label = $1';
    for (let round = 0; round < 8; round++) {
      expect((await t.db.query<{ n: number }>(byLabel, [null])).rows[0]!.n).toBe(10);
      expect((await t.db.query<{ n: number }>(byLabel, ['n3'])).rows[0]!.n).toBe(1);
    }
    // A failing statement leaves nothing behind that breaks its next run.
    await expect(t.db.query(insert, [1, 'again'])).rejects.toThrow();
    expect((await t.db.query(insert, [40, 'ok'])).rowCount).toBe(1);
    expect((await t.db.query('SHOW TimeZone')).rows).toHaveLength(1);
  });

  it('refuses a migration file changed after it was applied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hoso-mig-'));
    await writeFile(join(dir, '0001_probe.sql'), 'CREATE TABLE mig_probe (id int);');
    expect((await migrate(t.db, dir)).applied).toEqual(['0001_probe']);
    await writeFile(join(dir, '0001_probe.sql'), 'CREATE TABLE mig_probe (id bigint);');
    await expect(migrate(t.db, dir)).rejects.toThrow(/changed after it was applied/);
  });
});
