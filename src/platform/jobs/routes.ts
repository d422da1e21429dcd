/**
 * The operations view of background jobs: what is queued, running, done or failed (with the last error), and a
 * retry for a failed job. Administrators and the Center's supervisors see the whole installation's queue; payloads
 * are ids, not personal data, and are shown as stored.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Role } from '../../identity/roles.ts';
import { appendAuditEvent } from '../../oversight/audit/store.ts';
import type { AppContext } from '../context.ts';
import { defineError, Problems } from '../http/problem.ts';
import { pokeJobs } from './index.ts';
import * as store from './store.ts';

const OPERATORS: readonly Role[] = ['admin', 'supervisor'];

export const JobErrors = {
  notFound: defineError('JOB_NOT_FOUND', 404, { vi: 'Không tìm thấy tác vụ', en: 'Job not found' }),
  notFailed: defineError('JOB_NOT_FAILED', 409, {
    vi: 'Chỉ chạy lại được tác vụ đã thất bại',
    en: 'Only a failed job can be retried',
  }),
};

const STATES = ['pending', 'running', 'done', 'failed'] as const;

function jobJson(j: store.JobRow) {
  return {
    id: j.id,
    type: j.type,
    payload: j.payload,
    state: j.state,
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    runAt: j.runAt.toISOString(),
    lastError: j.lastError,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

export const jobRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/ops/jobs',
    {
      config: { access: { roles: OPERATORS }, scope: 'none' },
      schema: {
        tags: ['operations'],
        summary: 'Background jobs, newest change first, with counts per state',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Unsafe<(typeof STATES)[number]>({ type: 'string', enum: [...STATES] })),
            type: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { state, type, limit = 50, offset = 0 } = request.query;
      const [items, counts] = await Promise.all([
        store.listJobs(ctx.db, { ...(state ? { state } : {}), ...(type ? { type } : {}), limit, offset }),
        store.countJobsByState(ctx.db),
      ]);
      return { items: items.map(jobJson), counts };
    },
  );

  app.post(
    '/api/ops/jobs/:id/retry',
    {
      config: { access: { roles: OPERATORS }, scope: 'none' },
      schema: {
        tags: ['operations'],
        summary: 'Queue a failed job again now, with a fresh attempt budget',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request) => {
      const principal = request.principal;
      if (!principal) throw Problems.unauthenticated();
      const now = ctx.now();
      const job = await ctx.db.tx(async (q) => {
        const found = await store.getJob(q, request.params.id);
        if (!found) throw JobErrors.notFound();
        if (!(await store.retryJob(q, found.id, now))) throw JobErrors.notFailed({ state: found.state });
        await appendAuditEvent(q, {
          type: 'job.retried',
          at: now,
          actor: { userId: principal.userId, role: principal.role },
          subjectType: 'job',
          subjectId: found.id,
          data: { jobType: found.type, lastError: found.lastError },
        });
        return (await store.getJob(q, found.id))!;
      });
      pokeJobs();
      return jobJson(job);
    },
  );
};
