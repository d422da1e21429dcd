import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Arbitrary constant: one migrator at a time across all app processes sharing a PostgreSQL server. */
const LOCK_KEY = 7_260_429;

export interface Migration {
  version: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies pending migrations in order, each in its own transaction. A migration already applied whose file has
 * changed is an error: history is append-only, fixes go into a new file.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<{ applied: string[] }> {
  // Checked first: an app role hardened to the minimum (docs/audit-log.md) may not CREATE in the schema at all.
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('schema_migration')::text AS t`);
  if (!exists.rows[0]?.t) {
    await db.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      version text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  }
  const applied: string[] = [];
  for (const m of listMigrations(dir)) {
    // The transaction-scoped lock serialises concurrent migrators (several app processes starting at once);
    // the applied-check runs under the lock so each migration is applied exactly once.
    const didApply = await db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const prev = await q.query<{ checksum: string }>('SELECT checksum FROM schema_migration WHERE version = $1', [
        m.version,
      ]);
      if (prev.rows[0]) {
        if (prev.rows[0].checksum !== m.checksum) {
          throw new Error(`migration ${m.version} was changed after it was applied; add a new migration instead`);
        }
        return false;
      }
      await q.exec(m.sql);
      await q.query('INSERT INTO schema_migration (version, checksum) VALUES ($1, $2)', [m.version, m.checksum]);
      return true;
    });
    if (didApply) applied.push(m.version);
  }
  return { applied };
}
