import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import type { BlobStore } from './blobs/blob-store.ts';

/** What every room's services get: configuration and the shared infrastructure. Nothing else is global. */
export interface AppContext {
  config: Config;
  db: Db;
  blobs: BlobStore;
  log: Logger;
  /** The clock, injectable so tests can run the system at a chosen instant. */
  now(): Date;
}
