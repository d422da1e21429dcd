import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDb, wrapPglite, type Db } from '../../src/platform/db/db.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

export interface TestDbOptions {
  /** Use this PostgreSQL database as it is (migrated, not dropped) instead of a new one. */
  existingUrl?: string;
  /** On PostgreSQL, keep the new database after cleanup (its URL is printed). */
  keep?: boolean;
}

export interface TestDb {
  db: Db;
  /** Closes the connection and, on PostgreSQL, drops the throw-away database. */
  cleanup(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (so the same tests run on both engines).
 */
export async function openTestDb(options: TestDbOptions = {}): Promise<TestDb> {
  if (options.existingUrl) {
    // A database kept from an earlier run (benchmarks load once, time many): migrated, never dropped here.
    const db = await openDb({ url: options.existingUrl, poolSize: 8 });
    await migrate(db);
    return { db, cleanup: () => db.close() };
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const snapshot = process.env.HOSO_TEST_PGLITE_SNAPSHOT;
    let db: Db;
    if (snapshot && existsSync(snapshot)) {
      const pglite = new PGlite({ loadDataDir: new Blob([readFileSync(snapshot)]) });
      await pglite.waitReady;
      db = wrapPglite(pglite);
    } else {
      db = await openDb({});
    }
    // Applies anything added since the snapshot was taken (and verifies checksums); a no-op normally.
    await migrate(db);
    return { db, cleanup: () => db.close() };
  }
  const server = await createServerDatabase(serverUrl, 'hoso_test');
  const db = await openDb({ url: server.url, poolSize: 8 });
  await migrate(db);
  if (options.keep) console.error(`# database kept: ${server.url}`);
  return {
    db,
    cleanup: async () => {
      await db.close();
      if (!options.keep) await server.drop();
    },
  };
}

/** A new, empty database on the PostgreSQL server of `serverUrl`: its URL, and a drop that waits for its clients. */
export async function createServerDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      // pool.end() resolves before the server has reaped every backend; forcing the drop while a client is still
      // closing makes that client emit an unhandled 57P01. Wait for the backends to go, then drop.
      for (let i = 0; i < 50; i++) {
        const r = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (r.rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
