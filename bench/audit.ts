// Audit log throughput on PostgreSQL (BENCH_DATABASE_URL, default the local server), one JSON line per figure:
//  - transactions/s (each with one audit append) with 8 concurrent writers, each append in its own transaction (the head-row lock serialises them
//    from the append to the commit), bare and with work after the append in the same transaction (a room's tail);
//  - `hoso audit verify` speed (rows/s) over a bulk-loaded chain, to show it streams at constant memory.
// Options (environment): AUDIT_BENCH_WRITERS (8), AUDIT_BENCH_APPENDS (per writer, 300), AUDIT_BENCH_VERIFY_ROWS (300000).
import pg from 'pg';
import { openDb, type Db, type Queryable } from '../src/platform/db/db.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createCheckpoint } from '../src/oversight/audit/checkpoint.ts';
import { GENESIS_HASH, chainHash, type AuditEventContent } from '../src/oversight/audit/rules.ts';
import { appendAuditEvent } from '../src/oversight/audit/store.ts';
import { makeTestSeal } from '../src/oversight/audit/testing.ts';
import { verifyAuditLog } from '../src/oversight/audit/verify.ts';
import { percentile } from './_support.ts';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const WRITERS = Number(process.env.AUDIT_BENCH_WRITERS ?? 8);
const APPENDS = Number(process.env.AUDIT_BENCH_APPENDS ?? 300);
const VERIFY_ROWS = Number(process.env.AUDIT_BENCH_VERIFY_ROWS ?? 300_000);


function eventInput(writer: number, i: number) {
  return {
    type: 'dossier.status_changed',
    at: new Date(),
    actor: { userId: `officer-${writer}`, role: 'specialist' },
    subjectType: 'dossier',
    subjectId: `000.00.01.H26-261122-${String(writer * 100_000 + i).padStart(6, '0')}`,
    data: { from: 2, to: 4, note: 'Chuyển xử lý', step: i % 7 },
  };
}

/** `tail` runs inside the transaction after the append, holding the head lock as a room's remaining work would. */
async function appendRun(
  db: Db,
  label: string,
  tail: (q: Queryable, writer: number, i: number) => Promise<void>,
  audit = true,
): Promise<void> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < APPENDS; i++) {
        const t0 = performance.now();
        await db.tx(async (q) => {
          await q.query('INSERT INTO bench_work (writer, n) VALUES ($1, $2)', [w, i]);
          if (audit) await appendAuditEvent(q, eventInput(w, i));
          await tail(q, w, i);
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: 'audit',
      run: label,
      writers: WRITERS,
      appends: audit ? WRITERS * APPENDS : 0,
      transactionsPerSecond: Math.round((WRITERS * APPENDS) / seconds),
      txP50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      txP95Ms: Math.round(percentile(latencies, 95) * 10) / 10,
    }),
  );
}

/** Bulk-loads `n` chained events after the current head (unnest, 10k per statement), then moves the head once. */
async function bulkChain(db: Db, n: number): Promise<void> {
  const head = (await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1')).rows[0]!;
  let prev = head.hash;
  let seq = Number(head.seq);
  const base = Date.now();
  for (let done = 0; done < n; ) {
    const size = Math.min(10_000, n - done);
    const cols: unknown[][] = Array.from({ length: 11 }, () => []);
    for (let k = 0; k < size; k++) {
      seq++;
      const e: AuditEventContent = {
        seq,
        at: new Date(base + seq),
        type: 'document.read',
        actorId: `officer-${seq % 50}`,
        actorRole: 'specialist',
        agencyId: null,
        subjectType: 'dossier',
        subjectId: `D-${seq % 100_000}`,
        data: { document: `doc-${seq}`, purpose: 'xử lý hồ sơ' },
      };
      const hash = chainHash(prev, e);
      const row = [e.seq, e.at, e.type, e.actorId, e.actorRole, e.agencyId, e.subjectType, e.subjectId, JSON.stringify(e.data), prev, hash];
      row.forEach((v, c) => cols[c]!.push(v));
      prev = hash;
    }
    await db.query(
      `INSERT INTO audit_event (seq, at, type, actor_id, actor_role, agency_id, subject_type, subject_id, data, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[],
                            $8::text[], $9::jsonb[], $10::text[], $11::text[])`,
      cols,
    );
    done += size;
  }
  await db.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [seq, prev]);
}

const dbName = `hoso_bench_audit_${Date.now()}`;
const admin = new pg.Client({ connectionString: serverUrl });
try {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
} catch (err) {
  console.log(JSON.stringify({ bench: 'audit', skipped: `no PostgreSQL at ${serverUrl}: ${(err as Error).message}` }));
  process.exit(0);
}
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
const db = await openDb({ url: url.toString(), poolSize: WRITERS + 2 });
try {
  await migrate(db);
  await db.exec('CREATE TABLE bench_work (id bigserial PRIMARY KEY, writer int NOT NULL, n int NOT NULL)');
  // Warm-up: connections opened, plans cached.
  await appendRun(db, 'warm-up', async () => undefined);
  // Ceiling: the same transactions without the audit append (no shared lock), on this machine at this moment.
  await appendRun(db, 'baseline-no-audit', async () => undefined, false);
  await appendRun(db, 'append-then-commit', async () => undefined);
  await appendRun(db, 'append-then-2-statements', async (q, w, i) => {
    await q.query('INSERT INTO bench_work (writer, n) VALUES ($1, $2)', [w, -i]);
    await q.query('SELECT count(*) FROM bench_work WHERE id > (SELECT max(id) - 10 FROM bench_work)');
  });

  const seal = makeTestSeal();
  const t0 = performance.now();
  await bulkChain(db, VERIFY_ROWS);
  const loadSeconds = (performance.now() - t0) / 1000;
  await createCheckpoint(db, seal.signer, new Date());
  const rssBefore = process.memoryUsage().rss;
  const t1 = performance.now();
  const result = await verifyAuditLog(db, { trust: { sealAnchors: [seal.root], tsaAnchors: [seal.root] } });
  const verifySeconds = (performance.now() - t1) / 1000;
  console.log(
    JSON.stringify({
      bench: 'audit',
      run: 'verify',
      ok: result.ok,
      rows: result.rowsChecked,
      bulkLoadRowsPerSecond: Math.round(VERIFY_ROWS / loadSeconds),
      verifySeconds: Math.round(verifySeconds * 10) / 10,
      verifyRowsPerSecond: Math.round(result.rowsChecked / verifySeconds),
      rssGrowthMiB: Math.round((process.memoryUsage().rss - rssBefore) / 1048576),
    }),
  );
} finally {
  await db.close();
  // Without FORCE: the pool has closed its connections, and FORCE would race their last goodbye.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
      break;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await admin.end();
}
