// Inbox latency on PostgreSQL (BENCH_DATABASE_URL, default the local server), one JSON line per figure: an agency
// holding INBOX_BENCH_DOSSIERS (1 000 000) open and closed dossiers, INBOX_BENCH_OPEN_SHARE (0.15) of them open at
// its steps; p50/p99 over INBOX_BENCH_QUERIES (300) calls of the inbox service (page of 50 + the SLA counts) for:
// a specialist's own inbox, the same filtered to late dossiers, a leader's whole-agency view and the approval queue.
// The rows are cloned in SQL from one dossier submitted and received through the service (its real state), with
// due instants spread over ±10 working days, and a share assigned to the measured specialist.
import { performance } from 'node:perf_hooks';
import { createTestContext } from '../test/support/context.ts';
import { createSignedInUser } from '../src/identity/testing.ts';
import { inbox, type InboxQuery } from '../src/dossiers/processing/service.ts';
import { seedProcessingCatalog, submitAndReceiveProcessingDossier } from '../src/dossiers/processing/testing.ts';
import { WORLD, createTestSigning } from '../src/dossiers/testing.ts';
import { percentile } from './_support.ts';

process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DOSSIERS = Number(process.env.INBOX_BENCH_DOSSIERS ?? 1_000_000);
const OPEN_SHARE = Number(process.env.INBOX_BENCH_OPEN_SHARE ?? 0.15);
const QUERIES = Number(process.env.INBOX_BENCH_QUERIES ?? 300);
const BATCH = 100_000;


async function main(): Promise<void> {
  const ctx = await createTestContext();
  try {
    await seedProcessingCatalog(ctx);
    const signing = await createTestSigning('bench-inbox');
    const citizen = await createSignedInUser(ctx, { role: 'citizen' });
    const counter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch });
    const specialist = await createSignedInUser(ctx, { role: 'specialist', agencyCode: WORLD.health });
    const leader = await createSignedInUser(ctx, { role: 'leader', agencyCode: WORLD.health });
    const templateId = await submitAndReceiveProcessingDossier(ctx, citizen, counter, signing);

    // Clone: open rows at steps 1–3 (assignment/leader, appraisal/specialist, approval/leader), the rest closed.
    const started = performance.now();
    for (let from = 1; from <= DOSSIERS; from += BATCH) {
      const to = Math.min(DOSSIERS, from + BATCH - 1);
      await ctx.db.query(
        `INSERT INTO dossier (id, code, procedure_id, process_id, applicant_subject_id, applicant_kind, submitted_by, consent_id, channel, status,
           portal_status, receiving_agency_id, current_agency_id, submitted_at, received_at, due_at, state, version, status_secret_hash,
           created_at, updated_at, step_index, step_kind, step_role, step_due_at, step_soon_at, assignee_id)
         SELECT gen_random_uuid(), 'BENCH-' || i, t.procedure_id, t.process_id, t.applicant_subject_id, t.applicant_kind, t.submitted_by, NULL, t.channel,
                CASE WHEN open THEN (CASE WHEN i % 11 = 0 THEN 'supplement_requested' ELSE 'processing' END) ELSE 'result_returned' END,
                CASE WHEN open THEN (CASE WHEN i % 11 = 0 THEN 5 ELSE 4 END) ELSE 10 END,
                t.receiving_agency_id, t.current_agency_id, t.submitted_at - (i || ' minutes')::interval, t.received_at - (i || ' minutes')::interval,
                t.due_at, jsonb_build_object('route', t.state->'route'), 2, t.status_secret_hash, t.created_at, t.updated_at,
                CASE WHEN open THEN step END,
                CASE WHEN open THEN (ARRAY['assignment', 'appraisal', 'approval'])[step] END,
                CASE WHEN open THEN (ARRAY['leader', 'specialist', 'leader'])[step] END,
                CASE WHEN open AND i % 11 <> 0 THEN now() + ((i % 160) - 80) * interval '1 hour' END,
                CASE WHEN open AND i % 11 <> 0 THEN now() + ((i % 160) - 84) * interval '1 hour' END,
                CASE WHEN open AND step = 2 AND i % 20 = 0 THEN $4::uuid END
           FROM dossier t, generate_series($2::int, $3::int) AS i,
                LATERAL (SELECT (i % 1000) < $5::int AS open, 1 + (i % 3) AS step) x
          WHERE t.id = $1`,
        [templateId, from, to, specialist.userId, Math.round(OPEN_SHARE * 1000)],
      );
    }
    // What autovacuum does to a long-lived table (and what lets the SLA counts read the index alone).
    await ctx.db.query('VACUUM ANALYZE dossier');
    const loadSeconds = (performance.now() - started) / 1000;
    const open = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossier WHERE status IN ('processing', 'supplement_requested')`);
    console.log(JSON.stringify({ figure: 'inbox.load', dossiers: DOSSIERS + 1, open: open.rows[0]!.n, seconds: Number(loadSeconds.toFixed(1)) }));

    const cases: { name: string; who: typeof specialist; query: InboxQuery }[] = [
      { name: 'specialist.mine', who: specialist, query: { view: 'mine', limit: 50 } },
      { name: 'specialist.mine.late', who: specialist, query: { view: 'mine', sla: 'late', limit: 50 } },
      { name: 'leader.agency', who: leader, query: { view: 'agency', limit: 50 } },
      { name: 'leader.approval', who: leader, query: { view: 'approval', limit: 50 } },
    ];
    for (const c of cases) {
      for (let i = 0; i < 10; i++) await inbox(ctx, c.who.principal, c.query); // warm-up
      const ms: number[] = [];
      let total = 0;
      for (let i = 0; i < QUERIES; i++) {
        const t0 = performance.now();
        const r = await inbox(ctx, c.who.principal, { ...c.query, offset: (i % 5) * 50 });
        ms.push(performance.now() - t0);
        total = r.counts.total;
      }
      ms.sort((a, b) => a - b);
      console.log(
        JSON.stringify({
          figure: `inbox.${c.name}`,
          selection: total,
          queries: QUERIES,
          p50_ms: Number(percentile(ms, 50).toFixed(1)),
          p99_ms: Number(percentile(ms, 99).toFixed(1)),
          target_p99_ms: 100,
        }),
      );
    }
  } finally {
    await ctx.cleanup();
  }
}

await main();
