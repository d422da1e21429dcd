// Oversight at city scale on PostgreSQL (BENCH_DATABASE_URL, default the local server), one JSON line per figure.
// Loads OVERSIGHT_BENCH_DOSSIERS (10 000 000) dossiers received over the 24 months to November 2026 across 126
// communes/wards, with their events (received, supplement requests and answers, processed, returned, stopped,
// withdrawn) and components, in SQL batches (generate_series + unnest) cloned from one dossier received through the
// service (its real rules state, cut to what the rules read); the statement-level triggers mark them stale as in
// production; then derives every dossier's fact row with the production refresher (figure: dossiers/s), and times,
// over OVERSIGHT_BENCH_QUERIES (20) runs each (p50/p95): the QĐ 766 index for one month of the whole province, the
// same for one commune, and the dashboard's queries (the month by agency, each month of the 6-month trend, the open
// violations count, the first page of late dossiers), after keeping the ended periods' counts (figure: ms per period),
// and the running month. OVERSIGHT_BENCH_KEEP=1 keeps the loaded database (its URL is printed) and
// OVERSIGHT_BENCH_REUSE=<url> times the queries on it again without loading. Targets: < 500 ms per index, p95 < 300 ms per dashboard query.
import { performance } from 'node:perf_hooks';
import { createTestContext } from '../test/support/context.ts';
import { createSignedInUser } from '../src/identity/testing.ts';
import { seedProcessingCatalog, submitAndReceiveProcessingDossier } from '../src/dossiers/processing/testing.ts';
import { WORLD, createTestSigning } from '../src/dossiers/testing.ts';
import { drillDown, indicatorReport, keepPeriod, parsePeriod, refreshIndicatorFacts } from '../src/oversight/indicators/service.ts';
import { insertDocument } from '../src/documents/store.ts';

process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DOSSIERS = Number(process.env.OVERSIGHT_BENCH_DOSSIERS ?? 10_000_000);
const QUERIES = Number(process.env.OVERSIGHT_BENCH_QUERIES ?? 20);
const COMMUNES = 126;
const BATCH = 250_000;
// 24 months received, 01/12/2024 – 30/11/2026 (Vietnam time); judged on 07/12/2026.
const FIRST_DAY = new Date('2024-12-01T00:00:00+07:00');
const DAYS = 730;
const NOW = new Date('2026-12-07T10:00:00+07:00');

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const line = (o: Record<string, unknown>) => console.log(JSON.stringify(o));

async function timed(figure: string, run: () => Promise<unknown>, target: { target_p95_ms?: number; target_max_ms?: number }, extra: () => Record<string, unknown> = () => ({})): Promise<void> {
  await run(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  line({ figure, runs: QUERIES, p50_ms: Number(percentile(ms, 50).toFixed(1)), p95_ms: Number(percentile(ms, 95).toFixed(1)), max_ms: Number(ms[ms.length - 1]!.toFixed(1)), ...target, ...extra() });
}

type Ctx = Awaited<ReturnType<typeof createTestContext>>;

async function main(): Promise<void> {
  // OVERSIGHT_BENCH_REUSE=<url>: time the queries on a database an earlier run loaded (OVERSIGHT_BENCH_KEEP=1 keeps it).
  const reuse = process.env.OVERSIGHT_BENCH_REUSE;
  const ctx = await createTestContext({}, reuse ? { existingUrl: reuse } : { keep: process.env.OVERSIGHT_BENCH_KEEP === '1' });
  try {
    ctx.setNow(NOW);
    if (!reuse) await load(ctx);
    await measure(ctx);
  } finally {
    await ctx.cleanup();
  }
}

/** Loads the dossiers and derives every fact row (figures: dossiers/s for each). */
async function load(ctx: Ctx): Promise<void> {
  ctx.setNow(null);
  await seedProcessingCatalog(ctx);
  const signing = await createTestSigning('bench-oversight');
  const citizen = await createSignedInUser(ctx, { role: 'citizen' });
  const counter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch });
  const templateId = await submitAndReceiveProcessingDossier(ctx, citizen, counter, signing);
  ctx.setNow(NOW);

  // 126 communes/wards under the city, and one issued PDF the results point to (its bytes do not matter here).
  const root = await ctx.db.query<{ id: string }>('SELECT id FROM agency WHERE code = $1', [WORLD.root]);
  await ctx.db.query(
    `INSERT INTO agency (code, name, kind, parent_id) SELECT 'BENCH.X' || lpad(n::text, 3, '0'), 'Phường thử nghiệm ' || n, 'commune', $1
       FROM generate_series(1, $2::int) n`,
    [root.rows[0]!.id, COMMUNES],
  );
  const communes = (await ctx.db.query<{ id: string; code: string }>(`SELECT id, code FROM agency WHERE code LIKE 'BENCH.X%' ORDER BY code`)).rows;
  const blob = await ctx.blobs.put(Buffer.from('%PDF-1.7 bench result'));
  const resultDoc = await insertDocument(ctx.db, { id: crypto.randomUUID(), blob: { sha256: blob.sha256, size: blob.size, mediaType: 'application/pdf' }, pages: 1, origin: 'issued', createdBy: null, at: NOW });

  const started = performance.now();
  for (let from = 1; from <= DOSSIERS; from += BATCH) {
    const to = Math.min(DOSSIERS, from + BATCH - 1);
    // One row per dossier with its instants, then the dossier, its events and components from that row.
    await ctx.db.tx(async (q) => {
      await q.query(`CREATE TEMP TABLE g ON COMMIT DROP AS
        SELECT i, gen_random_uuid() AS id, (ARRAY[$5::uuid[]])[1][1 + (i * 11) % $6::int] AS agency_id,
               CASE WHEN i % 10 < 8 THEN 'online' ELSE 'counter' END AS channel,
               i % 100 AS kind, r AS received_at,
               -- 0–1 stopped, 2 withdrawn, 3–11 one supplement (2 → 4 days), 12 two supplements, 13–19 late, rest on time.
               CASE WHEN i % 100 BETWEEN 3 AND 12 THEN r + interval '2 days' END AS sup1,
               CASE WHEN i % 100 = 12 THEN r + interval '5 days' END AS sup2,
               CASE WHEN i % 100 BETWEEN 3 AND 12 THEN r + interval '4 days' END AS sup1_answered,
               CASE WHEN i % 100 < 2 THEN r + interval '3 days' END AS stopped,
               CASE WHEN i % 100 = 2 THEN r + interval '1 day' END AS withdrawn,
               CASE WHEN i % 100 < 3 THEN NULL
                    WHEN i % 100 BETWEEN 13 AND 19 THEN r + interval '40 days'
                    WHEN i % 100 BETWEEN 3 AND 12 THEN r + interval '12 days'
                    ELSE r + ((1 + i % 9) || ' days')::interval END AS processed
          FROM generate_series($1::int, $2::int) AS i,
               LATERAL (SELECT $3::timestamptz + ((i::bigint * $4::int) / $7::bigint) * interval '1 day'
                               + interval '1 hour' + (i % 540) * interval '1 minute' AS r) x`,
        [from, to, FIRST_DAY, DAYS, communes.map((c) => c.id), communes.length, DOSSIERS]);
      // Results not ready by "now" stay in progress.
      await q.query(`UPDATE g SET processed = NULL, sup1_answered = CASE WHEN sup1_answered > $1 THEN NULL ELSE sup1_answered END WHERE processed > $1`, [NOW]);
      await q.query(
        `INSERT INTO dossier (id, code, procedure_id, process_id, applicant_subject_id, applicant_kind, submitted_by, consent_id, channel, status,
           portal_status, receiving_agency_id, current_agency_id, submitted_at, received_at, due_at, state, version, status_secret_hash, created_at, updated_at)
         SELECT g.id, 'BENCH-' || g.i, t.procedure_id, t.process_id, t.applicant_subject_id, t.applicant_kind, t.submitted_by, NULL, g.channel,
                CASE WHEN g.stopped IS NOT NULL THEN 'stopped' WHEN g.withdrawn IS NOT NULL THEN 'withdrawn' WHEN g.processed IS NOT NULL THEN 'result_returned'
                     WHEN g.sup1 IS NOT NULL AND g.sup1_answered IS NULL THEN 'supplement_requested' ELSE 'processing' END,
                CASE WHEN g.stopped IS NOT NULL THEN 8 WHEN g.withdrawn IS NOT NULL THEN 7 WHEN g.processed IS NOT NULL THEN 10
                     WHEN g.sup1 IS NOT NULL AND g.sup1_answered IS NULL THEN 5 ELSE 4 END,
                g.agency_id, g.agency_id, g.received_at - interval '30 minutes', g.received_at, NULL,
                (t.state - 'route' - 'components' - 'process') || jsonb_build_object(
                  'id', g.id, 'channel', g.channel, 'route', '[]'::jsonb, 'components', '{}'::jsonb, 'apologies', '[]'::jsonb,
                  'submittedAt', g.received_at - interval '30 minutes', 'receivedAt', g.received_at,
                  'pauses', CASE WHEN g.sup1 IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('start', g.sup1, 'end', g.sup1_answered)) END,
                  'supplementRequest', CASE WHEN g.sup1 IS NULL THEN NULL
                    ELSE jsonb_build_object('at', coalesce(g.sup2, g.sup1), 'answeredAt', g.sup1_answered, 'items', '[]'::jsonb) END,
                  'result', CASE WHEN g.processed IS NULL THEN NULL ELSE jsonb_build_object('documentId', $2::text, 'readyAt', g.processed) END,
                  'resultReturnedAt', g.processed + interval '1 day',
                  'closure', CASE WHEN g.stopped IS NOT NULL THEN jsonb_build_object('kind', 'stopped', 'at', g.stopped, 'by', 'bench', 'reason', 'Dừng')
                                  WHEN g.withdrawn IS NOT NULL THEN jsonb_build_object('kind', 'withdrawn', 'at', g.withdrawn, 'by', 'bench', 'reason', 'Rút') END),
                2, t.status_secret_hash, g.received_at, g.received_at
           FROM g, dossier t WHERE t.id = $1`,
        [templateId, resultDoc],
      );
      await q.query(
        `INSERT INTO dossier_event (dossier_id, seq, type, at, actor, from_status, to_status, form, detail)
         SELECT g.id, row_number() OVER (PARTITION BY g.id ORDER BY e.at), e.type, e.at, '{"kind":"bench"}', NULL, e.to_status, NULL, '{}'
           FROM g, LATERAL (VALUES ('received', g.received_at, 'received'), ('supplement_requested', g.sup1, 'supplement_requested'),
                                   ('supplemented', g.sup1_answered, 'processing'), ('supplement_requested', g.sup2, 'supplement_requested'),
                                   ('stopped', g.stopped, 'stopped'), ('withdrawn', g.withdrawn, 'withdrawn'),
                                   ('processed', g.processed, 'processed'), ('result_returned', g.processed + interval '1 day', 'result_returned')) AS e(type, at, to_status)
          WHERE e.at IS NOT NULL AND (e.type <> 'result_returned' OR e.at <= $1)`,
        [NOW],
      );
      await q.query(
        `INSERT INTO dossier_component (dossier_id, component_key, basis, exempt_reason, evidence, document_id, created_at)
         SELECT g.id, c.key, c.basis, NULL, '{}', NULL, g.received_at
           FROM g, LATERAL (VALUES ('don', 'SELF_DECLARED'),
                                   ('giay-to', CASE WHEN g.channel = 'counter' THEN 'DIGITIZED_SIGNED' WHEN g.i % 7 = 0 THEN 'REUSED' ELSE 'E_CERTIFIED' END)) AS c(key, basis)`,
      );
    });
    if (to % 1_000_000 === 0 || to === DOSSIERS) console.error(`# loaded ${to} dossiers`);
  }
  await ctx.db.query('VACUUM ANALYZE dossier, dossier_event, dossier_component, dossier_indicator_stale');
  const loadSeconds = (performance.now() - started) / 1000;
  const events = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dossier_event');
  line({ figure: 'oversight.load', dossiers: DOSSIERS, events: events.rows[0]!.n, components: DOSSIERS * 2, seconds: Number(loadSeconds.toFixed(1)), dossiers_per_s: Math.round(DOSSIERS / loadSeconds) });

  // Every dossier's fact row, by the refresher the server runs in the background.
  const t0 = performance.now();
  let derived = 0;
  let reported = 0;
  // Two refreshers side by side, as two server processes would run them (they skip each other's batches).
  const refresher = async () => {
    for (;;) {
      const n = await refreshIndicatorFacts(ctx, { batch: 5000, maxBatches: 20 });
      derived += n;
      if (n === 0) return;
      if (derived - reported >= 1_000_000) console.error(`# derived ${(reported = derived)} fact rows`);
    }
  };
  await Promise.all([refresher(), refresher()]);
  // Deriving emptied the staleness table of 10 M rows; autovacuum would reclaim them soon, the bench does it now.
  await ctx.db.query('VACUUM ANALYZE dossier_indicator_fact, dossier_indicator_stale');
  const deriveSeconds = (performance.now() - t0) / 1000;
  line({ figure: 'oversight.derive', fact_rows: derived, seconds: Number(deriveSeconds.toFixed(1)), dossiers_per_s: Math.round(derived / deriveSeconds) });
}

/** Times the index and the dashboard's queries. */
async function measure(ctx: Ctx): Promise<void> {
  const communes = (await ctx.db.query<{ code: string }>(`SELECT code FROM agency WHERE code LIKE 'BENCH.X%' ORDER BY code`)).rows;

  // Each period asked below is counted from the rows once and kept (the server's refresher does this for the running
  // and the last month and quarter); the index queries then read the kept counts.
  const kept = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-Q3', '2026-12'];
  const keepMs: number[] = [];
  for (const label of kept) {
    const t1 = performance.now();
    await keepPeriod(ctx, parsePeriod(label));
    keepMs.push(performance.now() - t1);
  }
  const groups = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM indicator_rollup');
  line({ figure: 'oversight.keep_period', periods: kept.length, kept_rows: groups.rows[0]!.n, mean_ms: Math.round(keepMs.reduce((a, b) => a + b, 0) / keepMs.length), max_ms: Math.round(Math.max(...keepMs)) });

  let selection = 0;
  const month = '2026-10';
  await timed('oversight.index766.month.province', async () => {
    const r = await indicatorReport(ctx, { period: month });
    selection = r.index766.indicators['2.1'].denominator;
  }, { target_max_ms: 500 }, () => ({ period: month, handled: selection }));
  await timed('oversight.index766.quarter.province', async () => {
    const r = await indicatorReport(ctx, { period: '2026-Q3' });
    selection = r.index766.indicators['2.1'].denominator;
  }, { target_max_ms: 500 }, () => ({ period: '2026-Q3', handled: selection }));
  await timed('oversight.index766.month.commune', async () => {
    const r = await indicatorReport(ctx, { period: month, agencyCodes: [communes[0]!.code] });
    selection = r.index766.indicators['2.1'].denominator;
  }, { target_max_ms: 500 }, () => ({ period: month, handled: selection }));
  await timed('oversight.dashboard.month_by_agency', async () => {
    const r = await indicatorReport(ctx, { period: month, dimension: 'agency' });
    selection = r.groups?.items.length ?? 0;
  }, { target_p95_ms: 300 }, () => ({ groups: selection }));
  for (const m of ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09']) {
    await timed(`oversight.dashboard.trend.${m}`, () => indicatorReport(ctx, { period: m }), { target_p95_ms: 300 });
  }
  // The running month, judged now: its kept counts plus the dossiers not late yet that they count late.
  await timed('oversight.index766.running_month.province', async () => {
    const r = await indicatorReport(ctx, { period: '2026-12' });
    selection = r.index766.indicators['2.1'].denominator;
  }, { target_max_ms: 500 }, () => ({ period: '2026-12', handled: selection }));
  await timed('oversight.dashboard.violations_open', () => ctx.db.query(`SELECT count(*) FROM violation WHERE state <> 'closed'`), { target_p95_ms: 300 });
  await timed('oversight.dashboard.late_first_page', async () => {
    const r = await drillDown(ctx, { period: month, indicator: '766-2.1', part: 'out', limit: 100, offset: 0 });
    selection = r.total;
  }, { target_p95_ms: 300 }, () => ({ late: selection }));
  await timed('oversight.dashboard.late_first_page.running_month', async () => {
    const r = await drillDown(ctx, { period: '2026-12', indicator: '766-2.1', part: 'out', limit: 100, offset: 0 });
    selection = r.total;
  }, { target_p95_ms: 300 }, () => ({ late: selection }));
}

await main();
