import type { CliCommand } from '../cli/command.ts';
import { UsageError, parseFlags } from '../cli/command.ts';
import { openBlobStore, sweepOrphanBlobs } from './blobs/index.ts';
import { loadConfig } from './config.ts';
import { openMigratedDb } from './database.ts';
import { readDemoCredentials, seedDemo, startServer } from './server.ts';
import pino from 'pino';

const serve: CliCommand = {
  name: ['serve'],
  summary: 'Start the web server (migrates the database; seeds demo data on first start in demo mode)',
  usage: `Usage: hoso serve [--port N] [--host H]

Configuration comes from the environment (see README): DATABASE_URL, BLOB_STORE, DATA_DIR, PORT, HOST, HOSO_DEMO, …`,
  async run(argv, io) {
    const { flags, positionals } = parseFlags(argv, { string: ['port', 'host'] });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const env = { ...process.env };
    if (flags.port) env.PORT = String(flags.port);
    if (flags.host) env.HOST = String(flags.host);
    const config = loadConfig(env);
    const started = Date.now();
    const server = await startServer(config);
    io.out('');
    io.out(`hoso đang chạy tại / is running at: ${server.url}`);
    io.out(`  API docs: ${server.url}/docs   health: ${server.url}/healthz`);
    io.out(`  database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite (${config.dataDir}/pglite)`}; blobs: ${config.blobStore === 'file' ? `${config.dataDir}/blobs` : config.blobStore}`);
    io.out(`  started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (config.demo) {
      const creds = await readDemoCredentials(config);
      if (creds) {
        io.out('');
        io.out(creds.trimEnd());
      }
    }
    io.out('');
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};

const migrateCommand: CliCommand = {
  name: ['migrate'],
  summary: 'Apply pending database migrations and exit',
  usage: 'Usage: hoso migrate\n\nMigrates the database named by DATABASE_URL (or the embedded PGlite under DATA_DIR).',
  async run(argv, io) {
    const { positionals } = parseFlags(argv, {});
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const config = loadConfig();
    const { db, applied } = await openMigratedDb(config);
    await db.close();
    io.out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    return 0;
  },
};

const seed: CliCommand = {
  name: ['seed'],
  summary: 'Seed the demo data (agencies, demo PKI, one user per role); idempotent',
  usage: 'Usage: hoso seed\n\nRuns every demo seeder against the configured database and data dir. Safe to run twice.',
  async run(argv, io) {
    const { positionals } = parseFlags(argv, {});
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const config = loadConfig();
    const { db } = await openMigratedDb(config);
    try {
      const lines = await seedDemo({ config, db, blobs: openBlobStore(config), log: pino({ level: 'warn' }), now: () => new Date() });
      for (const line of lines) io.out(line);
      const creds = await readDemoCredentials(config);
      if (creds) io.out(creds.trimEnd());
    } finally {
      await db.close();
    }
    return 0;
  },
};

const sweep: CliCommand = {
  name: ['blobs', 'sweep'],
  summary: 'Remove stored blobs that no row references, older than the grace period',
  usage: 'Usage: hoso blobs sweep [--grace-seconds N]\n\nDefault grace period: BLOB_GRACE_SECONDS (24 h).',
  async run(argv, io) {
    const { flags } = parseFlags(argv, { string: ['grace-seconds'] });
    const config = loadConfig();
    const grace = flags['grace-seconds'] === undefined ? config.blobGraceSeconds : Number(flags['grace-seconds']);
    if (!Number.isFinite(grace) || grace < 0) throw new UsageError('--grace-seconds must be a non-negative number');
    const { db } = await openMigratedDb(config);
    try {
      const r = await sweepOrphanBlobs(db, openBlobStore(config), { graceSeconds: grace, now: new Date() });
      io.out(`scanned ${r.scanned} blobs, removed ${r.removed.length}, removed ${r.temporaries} stale temporary files`);
    } finally {
      await db.close();
    }
    return 0;
  },
};

export const commands: CliCommand[] = [serve, migrateCommand, seed, sweep];
