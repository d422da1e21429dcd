/**
 * Background jobs on PostgreSQL. A room enqueues work inside the transaction that makes it necessary (so the job
 * exists exactly when the change committed), and exports its handlers; the server runs them with a lease, retries
 * failures with backoff and leaves a job it gave up on in state `failed` for the operations view.
 *
 *   await enqueueJob(q, { type: 'receipt.issue', payload: { dossierId } }, now);   // in your transaction
 *   export const jobHandlers: Record<string, JobHandler> = { 'receipt.issue': async (ctx, job) => { … } };
 */
import { EventEmitter } from 'node:events';
import type { AppContext } from '../context.ts';
import type { Queryable } from '../db/db.ts';
import { afterFailure, errorText } from './rules.ts';
import * as store from './store.ts';

export type { JobRow, JobState } from './store.ts';

export interface Job {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  /** 1 for the first run. */
  attempt: number;
  maxAttempts: number;
}

/** Does the work; throws to fail this attempt. Must be safe to run again (a lease can expire mid-run). */
export type JobHandler = (ctx: AppContext, job: Job) => Promise<void>;

export interface JobSpec {
  type: string;
  payload: Record<string, unknown>;
  /** Not before this instant (default: now). */
  runAt?: Date;
  /** Default 5. */
  maxAttempts?: number;
  /** At most one pending or running job per (type, dedupeKey); enqueueing again returns the existing job's id. */
  dedupeKey?: string;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

const enqueued = new EventEmitter();

/** Adds a job in the caller's transaction. Call `pokeJobs()` after commit to have this process start it at once. */
export async function enqueueJob(q: Queryable, spec: JobSpec, now: Date): Promise<string> {
  return store.insertJob(q, {
    type: spec.type,
    payload: spec.payload,
    runAt: spec.runAt ?? now,
    maxAttempts: spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    dedupeKey: spec.dedupeKey ?? null,
    at: now,
  });
}

/** Wakes this process's runner (other processes find the job at their next poll). */
export function pokeJobs(): void {
  enqueued.emit('job');
}

export interface RunOptions {
  /** How long a claim lasts before another process may take the job over. Default 5 minutes. */
  leaseMs?: number;
  /** Jobs claimed per round. Default 4. */
  batch?: number;
  /** First retry delay (doubling). Default 5 s. */
  retryBaseMs?: number;
}

/** Claims one batch of due jobs and runs them; returns how many ran. */
export async function runDueJobs(ctx: AppContext, handlers: Readonly<Record<string, JobHandler>>, opts: RunOptions = {}): Promise<number> {
  const types = Object.keys(handlers);
  if (!types.length) return 0;
  const claimed = await ctx.db.tx((q) => store.claimJobs(q, types, ctx.now(), opts.leaseMs ?? 300_000, opts.batch ?? 4));
  for (const row of claimed) {
    const job: Job = { id: row.id, type: row.type, payload: row.payload, attempt: row.attempts, maxAttempts: row.maxAttempts };
    try {
      await handlers[row.type]!(ctx, job);
      await store.finishJob(ctx.db, row.id, row.attempts, ctx.now());
    } catch (error) {
      const next = afterFailure(row.attempts, row.maxAttempts, ctx.now(), opts.retryBaseMs);
      // The message only: payloads may name people, and errors must not carry secrets into the logs.
      ctx.log.warn({ jobId: row.id, jobType: row.type, attempt: row.attempts, next: next.state, err: errorText(error) }, 'job attempt failed');
      await store.failJob(ctx.db, row.id, row.attempts, next, errorText(error), ctx.now());
    }
  }
  return claimed.length;
}

/** Runs due jobs until none is left (tests, CLI). Jobs rescheduled for later are not waited for. */
export async function runJobsUntilIdle(
  ctx: AppContext,
  handlers: Readonly<Record<string, JobHandler>>,
  opts: RunOptions & { maxRounds?: number } = {},
): Promise<number> {
  let total = 0;
  for (let round = 0; round < (opts.maxRounds ?? 1000); round++) {
    const n = await runDueJobs(ctx, handlers, opts);
    if (n === 0) break;
    total += n;
  }
  return total;
}

export interface JobRunner {
  stop(): Promise<void>;
}

/** Polls for due jobs every `pollMs` (and at once when poked) until stopped. One round at a time per process. */
export function startJobRunner(
  ctx: AppContext,
  handlers: Readonly<Record<string, JobHandler>>,
  opts: RunOptions & { pollMs?: number } = {},
): JobRunner {
  const pollMs = opts.pollMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  const tick = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    running = (async () => {
      try {
        while (!stopped && (await runDueJobs(ctx, handlers, opts)) > 0) {
          // Keep going while there is work; a full queue drains without waiting for the poll.
        }
      } catch (error) {
        ctx.log.error({ err: errorText(error) }, 'job runner round failed');
      }
    })().finally(() => {
      running = null;
      if (stopped) return;
      if (again) {
        again = false;
        setImmediate(tick);
      } else timer = setTimeout(tick, pollMs);
    });
  };
  enqueued.on('job', tick);
  timer = setTimeout(tick, 0);
  return {
    stop: async () => {
      stopped = true;
      enqueued.off('job', tick);
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export { listJobs, getJob, retryJob, countJobsByState } from './store.ts';
