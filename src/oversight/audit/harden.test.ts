import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../platform/db/db.ts';
import { onPostgres, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { createCheckpoint } from './checkpoint.ts';
import { hardenSql } from './harden.ts';
import { appendAuditEvent } from './store.ts';
import { makeTestSeal } from './testing.ts';
import { verifyAuditLog } from './verify.ts';

describe('hardenSql', () => {
  it('refuses role names that would need escaping', () => {
    for (const bad of ['app; DROP TABLE x', 'a"b', "o'neil", '', '1app']) expect(() => hardenSql(bad)).toThrow(/invalid role name/);
  });
  it('grants append and read only on the audit tables', () => {
    const sql = hardenSql('hoso_app');
    expect(sql).toContain('REVOKE UPDATE, DELETE ON "public".audit_event FROM "hoso_app";');
    expect(sql).toContain('REVOKE UPDATE, DELETE ON "public".audit_checkpoint FROM "hoso_app";');
    expect(sql).toContain('REVOKE INSERT, DELETE ON "public".audit_head FROM "hoso_app";');
  });
});

/** The operator's set-up, for real: the app connects as a non-owner role and cannot change or unprotect audit rows. */
describe.runIf(onPostgres)('the app role on PostgreSQL after `hoso audit harden`', () => {
  let t: TestDb;
  let app: Db;
  const role = `hoso_app_${randomBytes(4).toString('hex')}`;
  const seal = makeTestSeal();

  beforeAll(async () => {
    t = await openTestDb();
    await t.db.tx((q) => appendAuditEvent(q, { type: 'config.changed', at: new Date(), data: { by: 'owner' } }));
    await t.db.exec(`CREATE ROLE ${role} LOGIN`);
    await t.db.exec(hardenSql(role));
    const url = new URL((await t.db.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db, process.env.TEST_DATABASE_URL);
    const appUrl = new URL(process.env.TEST_DATABASE_URL!);
    appUrl.username = role;
    appUrl.pathname = url.pathname;
    app = await openDb({ url: appUrl.toString(), poolSize: 2 });
  });

  afterAll(async () => {
    await app?.close();
    await t?.db.exec(`DROP OWNED BY ${role}`);
    await t?.cleanup();
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it('reads the migration history, appends and checkpoints', async () => {
    // The owner applied the migrations; the app role may read the history but not write it.
    expect((await app.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migration')).rows[0]!.n).toBeGreaterThan(0);
    await expect(app.query(`INSERT INTO schema_migration (version, checksum) VALUES ('9999_x', 'x')`)).rejects.toThrow(/permission denied/);
    await app.tx((q) => appendAuditEvent(q, { type: 'user.login', at: new Date(), actor: { userId: 'u1', role: 'admin' } }));
    expect((await createCheckpoint(app, seal.signer, new Date())).created).toBe(true);
    expect(await verifyAuditLog(app)).toMatchObject({ ok: true, rowsChecked: 2, checkpoints: { matched: 1 } });
  });

  it.each([
    ['UPDATE an event', `UPDATE audit_event SET type = 'x'`, /permission denied/],
    ['DELETE an event', 'DELETE FROM audit_event', /permission denied/],
    ['TRUNCATE the log', 'TRUNCATE audit_event', /permission denied/],
    ['DELETE a checkpoint', 'DELETE FROM audit_checkpoint', /permission denied/],
    ['disable the trigger', 'ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only', /must be owner/],
    ['bypass triggers', 'SET session_replication_role = replica', /permission denied/],
    ['roll the head back', 'UPDATE audit_head SET seq = seq - 1', /only move forward/],
    ['create its own tables', 'CREATE TABLE evil (x int)', /permission denied/],
  ])('cannot %s', async (_what, sql, error) => {
    await expect(app.query(sql)).rejects.toThrow(error);
  });

  it('refuses to harden a superuser role', async () => {
    await expect(t.db.exec(hardenSql('postgres'))).rejects.toThrow(/superuser/);
  });
});
