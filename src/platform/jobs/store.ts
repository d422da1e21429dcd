/** SQL of the `job` table. */
import type { Queryable } from '../db/db.ts';

export type JobState = 'pending' | 'running' | 'done' | 'failed';

export interface JobRow {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lockedUntil: Date | null;
  lastError: string | null;
  dedupeKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

interface DbRow {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_until: Date | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const COLUMNS = 'id, type, payload, state, attempts, max_attempts, run_at, locked_until, last_error, dedupe_key, created_at, updated_at, finished_at';

function toRow(r: DbRow): JobRow {
  return {
    id: r.id,
    type: r.type,
    payload: r.payload,
    state: r.state,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: new Date(r.run_at),
    lockedUntil: r.locked_until ? new Date(r.locked_until) : null,
    lastError: r.last_error,
    dedupeKey: r.dedupe_key,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    finishedAt: r.finished_at ? new Date(r.finished_at) : null,
  };
}

export async function insertJob(
  q: Queryable,
  j: { type: string; payload: Record<string, unknown>; runAt: Date; maxAttempts: number; dedupeKey: string | null; at: Date },
): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO job (type, payload, state, max_attempts, run_at, dedupe_key, created_at, updated_at)
     VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6)
     ON CONFLICT (type, dedupe_key) WHERE dedupe_key IS NOT NULL AND state IN ('pending', 'running') DO NOTHING
     RETURNING id`,
    [j.type, JSON.stringify(j.payload), j.maxAttempts, j.runAt, j.dedupeKey, j.at],
  );
  if (r.rows[0]) return r.rows[0].id;
  const existing = await q.query<{ id: string }>(
    `SELECT id FROM job WHERE type = $1 AND dedupe_key = $2 AND state IN ('pending', 'running')`,
    [j.type, j.dedupeKey],
  );
  return existing.rows[0]!.id;
}

/** Claims up to `limit` due jobs of the given types (pending and due, or running with an expired lease). */
export async function claimJobs(q: Queryable, types: readonly string[], now: Date, leaseMs: number, limit: number): Promise<JobRow[]> {
  const r = await q.query<DbRow>(
    `UPDATE job SET state = 'running', attempts = attempts + 1, locked_until = $2, updated_at = $1
     WHERE id IN (
       SELECT id FROM job
       WHERE type = ANY($3::text[]) AND run_at <= $1
         AND (state = 'pending' OR (state = 'running' AND locked_until < $1))
       ORDER BY run_at, created_at
       LIMIT $4
       FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [now, new Date(now.getTime() + leaseMs), [...types], limit],
  );
  return r.rows.map(toRow);
}

export async function finishJob(q: Queryable, id: string, attempt: number, at: Date): Promise<void> {
  // Only the claim that is still current may finish the job (a lease taken over by another process wins).
  await q.query(`UPDATE job SET state = 'done', locked_until = NULL, finished_at = $2, updated_at = $2 WHERE id = $1 AND attempts = $3 AND state = 'running'`, [
    id,
    at,
    attempt,
  ]);
}

export async function failJob(
  q: Queryable,
  id: string,
  attempt: number,
  next: { state: 'failed' } | { state: 'pending'; runAt: Date },
  error: string,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE job SET state = $2::text, run_at = COALESCE($3::timestamptz, run_at), locked_until = NULL, last_error = $4::text,
       updated_at = $5::timestamptz, finished_at = CASE WHEN $2::text = 'failed' THEN $5::timestamptz ELSE NULL END
     WHERE id = $1 AND attempts = $6 AND state = 'running'`,
    [id, next.state, next.state === 'pending' ? next.runAt : null, error, at, attempt],
  );
}

export async function getJob(q: Queryable, id: string): Promise<JobRow | null> {
  const r = await q.query<DbRow>(`SELECT ${COLUMNS} FROM job WHERE id = $1`, [id]);
  return r.rows[0] ? toRow(r.rows[0]) : null;
}

export async function listJobs(
  q: Queryable,
  filter: { state?: JobState; type?: string; limit: number; offset: number },
): Promise<JobRow[]> {
  const r = await q.query<DbRow>(
    `SELECT ${COLUMNS} FROM job
     WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR type = $2)
     ORDER BY updated_at DESC, id LIMIT $3 OFFSET $4`,
    [filter.state ?? null, filter.type ?? null, filter.limit, filter.offset],
  );
  return r.rows.map(toRow);
}

export async function countJobsByState(q: Queryable): Promise<Record<JobState, number>> {
  const r = await q.query<{ state: JobState; n: number }>('SELECT state, count(*)::int AS n FROM job GROUP BY state');
  const out: Record<JobState, number> = { pending: 0, running: 0, done: 0, failed: 0 };
  for (const row of r.rows) out[row.state] = row.n;
  return out;
}

/** Puts a failed job back in the queue now, with a fresh attempt budget. */
export async function retryJob(q: Queryable, id: string, at: Date): Promise<boolean> {
  const r = await q.query(
    `UPDATE job SET state = 'pending', attempts = 0, run_at = $2, finished_at = NULL, updated_at = $2 WHERE id = $1 AND state = 'failed'`,
    [id, at],
  );
  return r.rowCount > 0;
}
