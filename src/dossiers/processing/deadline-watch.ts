/**
 * The deadline watch (issue 5, late handling): every quarter of an hour, open dossiers close to or past their
 * deadline are looked at with the rules' `lateHandling`. Due soon: the responsible officer is warned (a notice the
 * inbox and workspace show, so form 04 can go out before the deadline). Past the deadline without an apology sent
 * before it: the lateness is entered in the violations register (R5), once per due instant.
 */
import { appendAuditEvent } from '../../oversight/audit/store.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/db.ts';
import { enqueueJob, type JobHandler } from '../../platform/jobs/index.ts';
import { dossierDeadline, lateHandling } from '../rules.ts';
import { rulesEnv } from '../service.ts';
import * as dossierStore from '../store.ts';

export const DEADLINE_WATCH_JOB = 'dossier.deadline_watch';
const INTERVAL_MS = 15 * 60_000;
/** Rows looked at: due within this wall-clock horizon (due soon is at most a few working days before). */
const HORIZON_DAYS = 10;

export interface WatchReport {
  looked: number;
  warned: number;
  late: number;
}

export async function watchDeadlines(ctx: AppContext): Promise<WatchReport> {
  const now = ctx.now();
  const env = await rulesEnv(ctx.db);
  const r = await ctx.db.query<{ id: string }>(
    `SELECT id FROM dossier WHERE status IN ('received', 'processing', 'awaiting_financial_obligation')
       AND due_at IS NOT NULL AND due_at < $1::timestamptz + ($2 || ' days')::interval`,
    [now, HORIZON_DAYS],
  );
  const report: WatchReport = { looked: r.rows.length, warned: 0, late: 0 };
  for (const { id } of r.rows) {
    const row = await dossierStore.getDossier(ctx.db, id);
    if (!row) continue;
    const handling = lateHandling(row.state, env, now);
    const due = dossierDeadline(row.state, env, now)?.due;
    if (!due || (handling !== 'warn' && handling !== 'late_without_apology')) continue;
    const kind = handling === 'warn' ? 'due_soon' : 'late';
    const added = await ctx.db.tx(async (q) => {
      const ins = await q.query('INSERT INTO dossier_deadline_notice (dossier_id, kind, due_at, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [id, kind, due, now]);
      if (ins.rowCount !== 1) return false;
      let violationId: string | null = null;
      if (kind === 'late') violationId = await registerLateness(q, row, due, now);
      await appendAuditEvent(q, {
        type: kind === 'late' ? 'dossier.late_without_apology' : 'dossier.due_soon_warning',
        at: now,
        actor: null,
        agencyId: row.currentAgencyId,
        subjectType: 'dossier',
        subjectId: id,
        data: { due: due.toISOString(), assignee: row.assigneeId, ...(violationId ? { violationId } : {}) },
      });
      return true;
    });
    if (added) report[kind === 'late' ? 'late' : 'warned'] += 1;
  }
  return report;
}

async function registerLateness(q: Queryable, row: dossierStore.DossierRow, due: Date, now: Date): Promise<string> {
  const v = await q.query<{ id: string }>(
    `INSERT INTO violation (source, rule, dossier_id, agency_id, description, reporter, state, created_at, updated_at)
     VALUES ('late_without_apology', 'R5', $1, $2, $3, '{"kind":"system"}', 'open', $4, $4) RETURNING id`,
    [row.id, row.currentAgencyId, `Hồ sơ ${row.code ?? row.id} quá hạn giải quyết (hạn ${due.toISOString()}) mà không có thư xin lỗi (Mẫu 04) gửi trước hạn.`, now],
  );
  return v.rows[0]!.id;
}

export interface DeadlineNotice {
  kind: 'due_soon' | 'late';
  dueAt: string;
  at: string;
}

/** The notices of the dossier's current due instant (older ones concern a deadline since extended). */
export async function currentNotices(q: Queryable, dossierId: string, due: Date | null): Promise<DeadlineNotice[]> {
  if (!due) return [];
  const r = await q.query<{ kind: 'due_soon' | 'late'; due_at: Date; at: Date }>(
    'SELECT kind, due_at, at FROM dossier_deadline_notice WHERE dossier_id = $1 AND due_at = $2 ORDER BY at',
    [dossierId, due],
  );
  return r.rows.map((x) => ({ kind: x.kind, dueAt: new Date(x.due_at).toISOString(), at: new Date(x.at).toISOString() }));
}

function nextSlot(after: Date): Date {
  return new Date(Math.floor(after.getTime() / INTERVAL_MS) * INTERVAL_MS + INTERVAL_MS);
}

/** Queues the next watch run (idempotent: one job per slot). */
export async function ensureDeadlineWatch(ctx: AppContext): Promise<void> {
  const runAt = nextSlot(ctx.now());
  await enqueueJob(ctx.db, { type: DEADLINE_WATCH_JOB, payload: {}, runAt, dedupeKey: runAt.toISOString() }, ctx.now());
}

export const deadlineWatchHandlers: Record<string, JobHandler> = {
  [DEADLINE_WATCH_JOB]: async (ctx) => {
    const r = await watchDeadlines(ctx);
    if (r.warned || r.late) ctx.log.info(r, 'deadline watch');
    await ensureDeadlineWatch(ctx);
  },
};
