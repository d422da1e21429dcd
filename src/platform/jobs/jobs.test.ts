import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { afterFailure, errorText, retryDelayMs } from './rules.ts';
import { enqueueJob, getJob, listJobs, retryJob, runDueJobs, runJobsUntilIdle, startJobRunner, pokeJobs, type JobHandler } from './index.ts';

describe('job rules', () => {
  it('backs off exponentially from the base, capped at one hour', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(30)).toBe(3_600_000);
  });
  it('retries until the last attempt, then fails', () => {
    const now = new Date('2026-02-10T03:00:00Z');
    expect(afterFailure(1, 3, now)).toEqual({ state: 'pending', runAt: new Date('2026-02-10T03:00:05Z') });
    expect(afterFailure(3, 3, now)).toEqual({ state: 'failed' });
  });
  it('keeps the message only, bounded', () => {
    expect(errorText(new TypeError('boom'))).toBe('TypeError: boom');
    expect(errorText('x'.repeat(5000))).toHaveLength(2000);
  });
});

describe('job queue', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  const t0 = new Date('2026-02-10T03:00:00Z');
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx.cleanup();
  });
  beforeEach(async () => {
    ctx.setNow(t0);
    await ctx.db.query('DELETE FROM job');
  });

  it('runs a job enqueued in a committed transaction, and not one whose transaction rolled back', async () => {
    const seen: string[] = [];
    const handlers: Record<string, JobHandler> = { 'test.echo': async (_c, job) => void seen.push(String(job.payload.n)) };
    await ctx.db.tx((q) => enqueueJob(q, { type: 'test.echo', payload: { n: 1 } }, t0));
    await expect(
      ctx.db.tx(async (q) => {
        await enqueueJob(q, { type: 'test.echo', payload: { n: 2 } }, t0);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await runJobsUntilIdle(ctx, handlers)).toBe(1);
    expect(seen).toEqual(['1']);
    const [job] = await listJobs(ctx.db, { limit: 10, offset: 0 });
    expect(job).toMatchObject({ state: 'done', attempts: 1, lastError: null });
  });

  it('does not run a job before its time', async () => {
    const handlers: Record<string, JobHandler> = { 'test.later': async () => undefined };
    const id = await enqueueJob(ctx.db, { type: 'test.later', payload: {}, runAt: new Date(t0.getTime() + 60_000) }, t0);
    expect(await runDueJobs(ctx, handlers)).toBe(0);
    ctx.setNow(new Date(t0.getTime() + 60_000));
    expect(await runDueJobs(ctx, handlers)).toBe(1);
    expect((await getJob(ctx.db, id))?.state).toBe('done');
  });

  it('retries a failing job with backoff, then leaves it failed with its error; an operator can retry it', async () => {
    let calls = 0;
    const handlers: Record<string, JobHandler> = {
      'test.flaky': async () => {
        calls++;
        throw new Error(`TSA unreachable (${calls})`);
      },
    };
    const id = await enqueueJob(ctx.db, { type: 'test.flaky', payload: {}, maxAttempts: 3 }, t0);
    await runDueJobs(ctx, handlers);
    let job = await getJob(ctx.db, id);
    expect(job).toMatchObject({ state: 'pending', attempts: 1, lastError: 'Error: TSA unreachable (1)' });
    expect(job!.runAt).toEqual(new Date(t0.getTime() + 5_000));
    expect(await runDueJobs(ctx, handlers)).toBe(0); // not due yet
    ctx.setNow(new Date(t0.getTime() + 5_000));
    await runDueJobs(ctx, handlers);
    ctx.setNow(new Date(t0.getTime() + 15_000));
    await runDueJobs(ctx, handlers);
    job = await getJob(ctx.db, id);
    expect(job).toMatchObject({ state: 'failed', attempts: 3, lastError: 'Error: TSA unreachable (3)' });
    expect(calls).toBe(3);
    expect(await runJobsUntilIdle(ctx, handlers)).toBe(0);

    expect(await retryJob(ctx.db, id, ctx.now())).toBe(true);
    expect(await retryJob(ctx.db, id, ctx.now())).toBe(false); // only failed jobs
    await runDueJobs(ctx, handlers);
    expect((await getJob(ctx.db, id))?.attempts).toBe(1);
  });

  it('enqueues the same work once per dedupe key while it is pending', async () => {
    const a = await enqueueJob(ctx.db, { type: 'test.echo', payload: { n: 1 }, dedupeKey: 'dossier-1' }, t0);
    const b = await enqueueJob(ctx.db, { type: 'test.echo', payload: { n: 2 }, dedupeKey: 'dossier-1' }, t0);
    expect(b).toBe(a);
    await runJobsUntilIdle(ctx, { 'test.echo': async () => undefined });
    const c = await enqueueJob(ctx.db, { type: 'test.echo', payload: { n: 3 }, dedupeKey: 'dossier-1' }, t0);
    expect(c).not.toBe(a);
  });

  it('takes over a job whose process died (lease expired); the dead claim cannot finish it afterwards', async () => {
    const id = await enqueueJob(ctx.db, { type: 'test.echo', payload: {} }, t0);
    // A process claims it and dies: simulate with a handler that never records completion.
    await ctx.db.query(`UPDATE job SET state = 'running', attempts = 1, locked_until = $2 WHERE id = $1`, [id, new Date(t0.getTime() + 1000)]);
    const handlers: Record<string, JobHandler> = { 'test.echo': async () => undefined };
    expect(await runDueJobs(ctx, handlers)).toBe(0); // lease still held
    ctx.setNow(new Date(t0.getTime() + 2000));
    expect(await runDueJobs(ctx, handlers)).toBe(1);
    expect(await getJob(ctx.db, id)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('ignores types this process has no handler for', async () => {
    await enqueueJob(ctx.db, { type: 'other.room', payload: {} }, t0);
    expect(await runJobsUntilIdle(ctx, { 'test.echo': async () => undefined })).toBe(0);
    expect((await listJobs(ctx.db, { state: 'pending', limit: 10, offset: 0 })).map((j) => j.type)).toEqual(['other.room']);
  });

  it('the runner starts a poked job without waiting for its poll, and stops cleanly', async () => {
    ctx.setNow(null);
    let done!: () => void;
    const ran = new Promise<void>((resolve) => (done = resolve));
    const runner = startJobRunner(ctx, { 'test.echo': async () => done() }, { pollMs: 60_000 });
    await new Promise((r) => setTimeout(r, 50));
    await enqueueJob(ctx.db, { type: 'test.echo', payload: {} }, ctx.now());
    pokeJobs();
    await ran;
    await runner.stop();
  });
});
