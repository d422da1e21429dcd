import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { openBlobStore } from './blobs/index.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { openMigratedDb } from './database.ts';
import { buildApp } from './http/app.ts';
import { SYSTEM_SEAL_AGENCY_CODE, demoSeeders, roomJobHandlers, roomPlugins } from './rooms.ts';
import { ensureReportSchedule } from '../oversight/reports/service.ts';
import { ensureDeadlineWatch } from '../dossiers/processing/deadline-watch.ts';
import { startJobRunner } from './jobs/index.ts';
import { startAuditCheckpointerFromEnv, systemSeal } from '../oversight/audit/seal.ts';
import { startIndicatorRefresher } from '../oversight/indicators/service.ts';

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  close(): Promise<void>;
}

/** Opens everything the configuration names, migrates, seeds demo data on an empty demo install, and listens. */
export async function startServer(config: Config, options: { logger?: boolean | object } = {}): Promise<RunningServer> {
  const log = pino({ level: config.logLevel });
  const { db, applied } = await openMigratedDb(config);
  if (applied.length) log.info({ applied }, 'database migrated');
  const blobs = openBlobStore(config);
  const ctx: AppContext = { config, db, blobs, log, now: () => new Date() };
  try {
    if (config.demo) await seedDemo(ctx);
    const app = await buildApp(ctx, { rooms: roomPlugins, logger: options.logger });
    // Signed audit checkpoints at a fixed interval (HOSO_AUDIT_CHECKPOINT_SECONDS) with the system seal.
    const checkpointer = await startAuditCheckpointerFromEnv(ctx, process.env, (await systemSeal(ctx, SYSTEM_SEAL_AGENCY_CODE)).signer);
    // The indicators' fact rows derived again shortly after their dossiers change (HOSO_INDICATOR_REFRESH_SECONDS).
    const indicatorRefresher = config.jobs ? startIndicatorRefresher(ctx) : null;
    // Background jobs (receipts, signing, OCR, mail, reports); every process runs them, claims never overlap.
    const jobs = config.jobs ? startJobRunner(ctx, roomJobHandlers()) : null;
    // Monthly and quarterly reports for the Center, queued once (idempotent on every start).
    if (config.jobs) await ensureReportSchedule(ctx);
    // The deadline watch warns before due dates and registers lateness without apology, every 15 minutes.
    if (config.jobs) await ensureDeadlineWatch(ctx);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    return {
      app,
      ctx,
      url,
      close: async () => {
        await checkpointer?.stop();
        await indicatorRefresher?.stop();
        await jobs?.stop();
        await app.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** Runs every room's demo seeder; each is idempotent, so a restart changes nothing. */
export async function seedDemo(ctx: AppContext): Promise<string[]> {
  const lines: string[] = [];
  for (const seeder of await demoSeeders()) {
    lines.push(...(await seeder.seed(ctx)));
  }
  return lines;
}

/** The demo credentials file written by the identity seeder (outside the repository, mode 0600). */
export async function readDemoCredentials(config: Config): Promise<string | null> {
  try {
    return await readFile(join(config.dataDir, 'demo-credentials.txt'), 'utf8');
  } catch {
    return null;
  }
}
