/**
 * Crash safety of online submission (issue 4): the real server (`hoso serve`) is killed with SIGKILL in the middle
 * of a burst of submissions. After the kill, and again after a restart, every acknowledged submission must be
 * complete (dossier, all its components, documents, blobs readable and matching their hash, its event and audit
 * rows) and nothing half-written may exist. Re-sending every request with its Idempotency-Key then yields exactly
 * one dossier per key. Runs on PGlite by default and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type TestSession } from '../identity/testing.ts';
import { openBlobStore } from '../platform/blobs/index.ts';
import { sweepOrphanBlobs } from '../platform/blobs/sweeper.ts';
import { loadConfig, type Config } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import { openMigratedDb } from '../platform/database.ts';
import { createServerDatabase } from '../../test/support/db.ts';
import { COMPONENTS as C, WORLD, createTestSigning, seedIntakeCatalog, usualComponents } from './testing.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BURST = 48;
const CONCURRENCY = 6;
/** Kill after this many acknowledgements, so some requests are acknowledged, some in flight, some not yet sent. */
const KILL_AFTER_ACKS = 12;

interface Request {
  key: string;
  who: TestSession;
  body: Buffer;
  contentType: string;
}

describe('crash safety of online submission (SIGKILL during a burst)', () => {
  let dataDir: string;
  let config: Config;
  let env: NodeJS.ProcessEnv;
  let dropDatabase: (() => Promise<void>) | null = null;
  const citizens: TestSession[] = [];
  let pdf: Uint8Array;
  let child: ChildProcess | null = null;

  /** Opens the system of record as the server does; only while no server process holds the PGlite files. */
  async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
    const { db } = await openMigratedDb(config);
    const ctx: AppContext = { config, db, blobs: openBlobStore(config), log: pino({ level: 'silent' }), now: () => new Date() };
    try {
      return await fn(ctx);
    } finally {
      await db.close();
    }
  }

  async function startChild(): Promise<string> {
    const proc = spawn(process.execPath, [join(ROOT, 'bin', 'hoso.mjs'), 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let out = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        const m = /is running at: (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code}) before listening:\n${out}`));
      });
    });
  }

  async function stopChild(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
    child = null;
  }

  function request(who: TestSession): Request {
    const boundary = `----hoso${randomUUID()}`;
    const dossier = {
      procedure: WORLD.procedure,
      receivingAgency: WORLD.branch,
      components: usualComponents(who.principal.subjectId!),
    };
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="dossier"\r\n\r\n${JSON.stringify(dossier)}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="component:${C.diploma}"; filename="van-bang.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      Buffer.from(pdf),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { key: `crash-${randomBytes(8).toString('hex')}`, who, body, contentType: `multipart/form-data; boundary=${boundary}` };
  }

  async function send(url: string, r: Request): Promise<{ status: number; id?: string; replayed: boolean }> {
    const res = await fetch(`${url}/api/dossiers`, {
      method: 'POST',
      headers: { ...r.who.headers, 'content-type': r.contentType, 'idempotency-key': r.key, origin: url },
      body: new Uint8Array(r.body),
    });
    const json = (await res.json()) as { id?: string };
    return { status: res.status, id: json.id, replayed: res.headers.get('idempotent-replayed') === 'true' };
  }

  /** Everything the database says must hold whatever the moment of the crash. */
  async function checkNothingHalfWritten(ctx: AppContext, acknowledged: Map<string, string>): Promise<{ dossiers: number }> {
    const q = ctx.db;
    const dossiers = (await q.query<{ id: string; status: string; n_components: number; n_events: number; n_audit: number }>(
      `SELECT d.id, d.status,
              (SELECT count(*)::int FROM dossier_component c WHERE c.dossier_id = d.id) AS n_components,
              (SELECT count(*)::int FROM dossier_event e WHERE e.dossier_id = d.id) AS n_events,
              (SELECT count(*)::int FROM audit_event a WHERE a.subject_type = 'dossier' AND a.subject_id = d.id::text AND a.type = 'dossier.submitted') AS n_audit
         FROM dossier d`,
    )).rows;
    for (const d of dossiers) {
      expect(d, `dossier ${d.id} is complete`).toMatchObject({ status: 'new', n_components: 3, n_events: 1, n_audit: 1 });
    }
    const ids = new Set(dossiers.map((d) => d.id));
    for (const [key, id] of acknowledged) expect(ids.has(id), `acknowledged ${key} → ${id} exists`).toBe(true);

    // Every idempotency key names a finished answer whose dossier exists; no key was left "in progress".
    const keys = (await q.query<{ status_code: number | null; id: string | null }>(`SELECT status_code, response->>'id' AS id FROM idempotency_key WHERE route = 'POST /api/dossiers'`)).rows;
    expect(keys.length).toBe(dossiers.length);
    for (const k of keys) {
      expect(k.status_code).toBe(201);
      expect(ids.has(k.id!)).toBe(true);
    }

    // No document without a component that uses it, no component pointing at nothing, no blob row without bytes.
    const orphanDocuments = await q.query(
      `SELECT id FROM document doc WHERE NOT EXISTS (SELECT 1 FROM dossier_component c WHERE c.document_id = doc.id)`,
    );
    expect(orphanDocuments.rows).toEqual([]);
    const documents = (await q.query<{ blob_sha256: string; signed_blob_sha256: string | null; validation_report_id: string | null }>(
      `SELECT doc.blob_sha256, doc.signed_blob_sha256, doc.validation_report_id FROM document doc`,
    )).rows;
    // Per dossier: the declared form and the uploaded e-certified copy (validated, report kept); the card is exempt.
    expect(documents.length).toBe(dossiers.length * 2);
    expect(documents.filter((d) => d.validation_report_id !== null).length).toBe(dossiers.length);
    const orphanReports = await q.query(`SELECT id FROM validation_report r WHERE NOT EXISTS (SELECT 1 FROM document d WHERE d.validation_report_id = r.id)`);
    expect(orphanReports.rows).toEqual([]);
    for (const b of (await q.query<{ sha256: string }>('SELECT sha256 FROM blob')).rows) {
      // get() re-hashes the bytes: a truncated or torn file would throw here.
      expect((await ctx.blobs.get(b.sha256)).byteLength).toBeGreaterThan(0);
    }
    return { dossiers: dossiers.length };
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hoso-crash-'));
    let databaseUrl: string | undefined;
    const serverUrl = process.env.TEST_DATABASE_URL;
    if (serverUrl) {
      const server = await createServerDatabase(serverUrl, 'hoso_crash');
      databaseUrl = server.url;
      dropDatabase = server.drop;
    }
    const signing = await createTestSigning('crash');
    pdf = await signing.signed('Bản sao văn bằng chứng thực điện tử');
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      PORT: '0',
      HOST: '127.0.0.1',
      HOSO_DEMO: 'false',
      HOSO_JOBS: 'false',
      LOG_LEVEL: 'warn',
      HOSO_TRUST: signing.pki.root.certPath,
    };
    config = loadConfig(env);
    await withContext(async (ctx) => {
      await seedIntakeCatalog(ctx);
      for (let i = 0; i < CONCURRENCY; i++) citizens.push(await createSignedInUser(ctx, { role: 'citizen' }));
    });
  }, 180_000);

  afterAll(async () => {
    await stopChild('SIGKILL');
    await dropDatabase?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged dossier whole, leaves nothing partial, and replays by key after a restart', async () => {
    const requests = Array.from({ length: BURST }, (_, i) => request(citizens[i % citizens.length]!));
    const acknowledged = new Map<string, string>();
    let url = await startChild();

    // The burst: CONCURRENCY clients in a closed loop; the server dies under them after KILL_AFTER_ACKS answers.
    let next = 0;
    let killed = false;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length && !killed) {
          const r = requests[next++]!;
          try {
            const res = await send(url, r);
            if (res.status === 201 && res.id) acknowledged.set(r.key, res.id);
            else throw new Error(`unexpected answer ${res.status}`);
          } catch (err) {
            // A connection reset is what a client sees of the crash; nothing else is acceptable.
            if (!killed) throw err;
          }
          if (!killed && acknowledged.size >= KILL_AFTER_ACKS) {
            killed = true;
            child!.kill('SIGKILL');
          }
        }
      }),
    );
    await stopChild('SIGKILL');
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acknowledged.size).toBeLessThan(BURST);

    const afterCrash = await withContext((ctx) => checkNothingHalfWritten(ctx, acknowledged));
    expect(afterCrash.dossiers).toBeGreaterThanOrEqual(acknowledged.size);

    // Restart and re-send everything with its key: acknowledged ones replay the same dossier, the rest land once.
    url = await startChild();
    for (const r of requests) {
      const res = await send(url, r);
      expect([200, 201]).toContain(res.status);
      const before = acknowledged.get(r.key);
      if (before) {
        expect(res.id).toBe(before);
        expect(res.replayed).toBe(true);
      }
      acknowledged.set(r.key, res.id!);
    }
    // Re-sending the whole burst once more changes nothing.
    for (const r of requests.slice(0, 6)) expect((await send(url, r)).id).toBe(acknowledged.get(r.key));
    await stopChild('SIGTERM');

    await withContext(async (ctx) => {
      const final = await checkNothingHalfWritten(ctx, acknowledged);
      expect(final.dossiers).toBe(BURST);
      expect(new Set(acknowledged.values()).size).toBe(BURST);
      // Bytes written by requests that died before commit have no row; the sweeper removes them, and only them.
      const referenced = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM blob')).rows[0]!.n;
      await sweepOrphanBlobs(ctx.db, ctx.blobs, { graceSeconds: 0, now: new Date(Date.now() + 1000) });
      let files = 0;
      for await (const _ of ctx.blobs.list()) files++;
      expect(files).toBe(referenced);
      // No half-written temporary file is left behind either.
      const leftovers = (await readdir(join(dataDir, 'blobs'))).filter((n) => n.startsWith('.tmp-'));
      expect(leftovers).toEqual([]);
      await checkNothingHalfWritten(ctx, acknowledged);
    });
  }, 300_000);
});
