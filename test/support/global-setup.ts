import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { wrapPglite } from '../../src/platform/db/db.ts';
import { listMigrations, migrate } from '../../src/platform/db/migrate.ts';

/**
 * Builds one migrated PGlite data directory per test run and saves it as a tarball; each test file restores it
 * (~1 s) instead of initialising and migrating a fresh PGlite (~5–9 s on this machine kind).
 */
export default async function setup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const dir = join(process.cwd(), '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `pglite-snapshot-${process.pid}.tar.gz`);
  const pglite = new PGlite();
  await pglite.waitReady;
  await migrate(wrapPglite(pglite));
  const dump = await pglite.dumpDataDir('gzip');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  process.env.HOSO_TEST_PGLITE_SNAPSHOT = file;
  process.env.HOSO_TEST_MIGRATIONS = String(listMigrations().length);
}
