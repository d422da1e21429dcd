// Start-up time (process spawn → /healthz 200) and idle RSS of `hoso serve`, on embedded PGlite and on
// PostgreSQL (BENCH_DATABASE_URL, default the local server), for a first start (empty data: migrations + demo
// seed) and a restart (data kept). Prints one JSON line per measurement.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

async function measure(label: string, env: NodeJS.ProcessEnv, port: number): Promise<void> {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/hoso.mjs', 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let readyMs = -1;
  for (let i = 0; i < 1200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) {
        readyMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 5000));
  const rss = child.pid ? await rssMiB(child.pid) : -1;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  console.log(JSON.stringify({ bench: 'startup', run: label, startupMs: Math.round(readyMs), idleRssMiB: rss }));
}

const dataDir = await mkdtemp(join(tmpdir(), 'hoso-bench-start-'));
await measure('pglite-first-start', { DATA_DIR: dataDir }, 3901);
await measure('pglite-restart', { DATA_DIR: dataDir }, 3901);

const dbName = `hoso_bench_${Date.now()}`;
let pgAvailable = true;
const admin = new pg.Client({ connectionString: serverUrl });
try {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
} catch (err) {
  pgAvailable = false;
  console.log(JSON.stringify({ bench: 'startup', run: 'postgres', skipped: `no PostgreSQL at ${serverUrl}: ${(err as Error).message}` }));
}
if (pgAvailable) {
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const pgDataDir = await mkdtemp(join(tmpdir(), 'hoso-bench-start-pg-'));
  await measure('postgres-first-start', { DATA_DIR: pgDataDir, DATABASE_URL: url.toString() }, 3902);
  await measure('postgres-restart', { DATA_DIR: pgDataDir, DATABASE_URL: url.toString() }, 3902);
  await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
  await rm(pgDataDir, { recursive: true, force: true });
}
await admin.end().catch(() => undefined);
await rm(dataDir, { recursive: true, force: true });
