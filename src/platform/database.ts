import { join } from 'node:path';
import type { Config } from './config.ts';
import { openDb, type Db } from './db/db.ts';
import { migrate } from './db/migrate.ts';

/** Opens the configured database (server via DATABASE_URL, else embedded PGlite under the data dir) and migrates it. */
export async function openMigratedDb(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<{ db: Db; applied: string[] }> {
  const db = await openDb({ url: config.databaseUrl, pgliteDir: config.databaseUrl ? undefined : join(config.dataDir, 'pglite') });
  try {
    const { applied } = await migrate(db);
    return { db, applied };
  } catch (err) {
    await db.close();
    throw err;
  }
}
