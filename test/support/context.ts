import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { FileBlobStore } from '../../src/platform/blobs/index.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { openTestDb, type TestDbOptions } from './db.ts';

export interface TestContext extends AppContext {
  cleanup(): Promise<void>;
}

/** A complete AppContext on a throw-away database and data dir; `now` is settable through `setNow`. */
export async function createTestContext(overrides: Partial<Config> = {}, database: TestDbOptions = {}): Promise<TestContext & { setNow(d: Date | null): void }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hoso-test-'));
  const { db, cleanup } = await openTestDb(database);
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv, overrides);
  let fixedNow: Date | null = null;
  return {
    config,
    db,
    blobs: new FileBlobStore(join(dataDir, 'blobs')),
    log: pino({ level: 'silent' }),
    now: () => fixedNow ?? new Date(),
    setNow: (d) => {
      fixedNow = d;
    },
    cleanup: async () => {
      await cleanup();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
