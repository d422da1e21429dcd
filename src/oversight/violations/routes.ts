/**
 * The violations register over HTTP: the public "I was asked for paper" report (no sign-in; dossier code + receipt
 * secret; rate-limited per IP), and the Center's register — list, assign, investigate, close with a finding.
 * The register covers the whole installation (scope `none`, as the audit room).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Role } from '../../identity/roles.ts';
import type { RateLimit } from '../../identity/rules.ts';
import type { AppContext } from '../../platform/context.ts';
import { Problems } from '../../platform/http/problem.ts';
import { FixedWindowLimiter } from '../../platform/http/rate-limiter.ts';
import { VIOLATION_SOURCES, VIOLATION_STATES } from './rules.ts';
import { actOnViolation, listRegister, reportPaperRequest, type RegisterCommand } from './service.ts';

const READERS: readonly Role[] = ['supervisor', 'inspector', 'admin'];
const WORKERS: readonly Role[] = ['supervisor', 'inspector', 'admin'];
const enumOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const PAPER_REPORT_RATE: RateLimit = { max: 10, windowSeconds: 600 };

export const violationRoutes: FastifyPluginAsync<{ ctx: AppContext; reportRateLimit?: RateLimit }> = async (base, { ctx, reportRateLimit }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const limiter = new FixedWindowLimiter(reportRateLimit ?? PAPER_REPORT_RATE);

  app.post(
    '/api/public/paper-reports',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['public'],
        summary: 'Report being asked for a paper document (dossier code + the secret from the receipt); no sign-in',
        body: Type.Object(
          {
            code: Type.String({ minLength: 1, maxLength: 80 }),
            secret: Type.String({ minLength: 1, maxLength: 100 }),
            description: Type.String({ minLength: 1, maxLength: 4000, description: 'What was asked, by whom, when' }),
            contact: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const limited = limiter.hit(request.ip, ctx.now().getTime());
      if (!limited.allowed) {
        reply.header('retry-after', String(limited.retryAfterSeconds));
        throw Problems.rateLimited({ retryAfterSeconds: limited.retryAfterSeconds });
      }
      const r = await reportPaperRequest(ctx, request.body);
      reply.code(201);
      return { reference: r.id, dossierCode: r.dossierCode };
    },
  );

  app.get(
    '/api/oversight/violations',
    {
      config: { access: { roles: READERS }, scope: 'none' },
      schema: {
        tags: ['oversight'],
        summary: 'The violations register, newest first, with counts per source',
        querystring: Type.Object(
          {
            state: Type.Optional(enumOf([...VIOLATION_STATES, 'active'] as const)),
            source: Type.Optional(enumOf(VIOLATION_SOURCES)),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      if (!request.principal) throw Problems.unauthenticated();
      const { state, source, limit = 50, offset = 0 } = request.query;
      return listRegister(ctx, request.principal, { ...(state ? { state } : {}), ...(source ? { source } : {}), limit, offset });
    },
  );

  const act = (path: string, summary: string, body: ReturnType<typeof Type.Object> | null, toCommand: (b: Record<string, unknown>) => RegisterCommand) =>
    app.post(
      `/api/oversight/violations/:id/${path}`,
      {
        config: { access: { roles: WORKERS }, scope: 'none' },
        schema: { tags: ['oversight'], summary, params: IdParams, ...(body ? { body } : {}) },
      },
      async (request) => {
        if (!request.principal) throw Problems.unauthenticated();
        const { id } = request.params as { id: string };
        return actOnViolation(ctx, request.principal, id, toCommand((request.body ?? {}) as Record<string, unknown>));
      },
    );

  act('assign', 'Assign (or re-assign) the entry to a supervisor or inspector', Type.Object({ assignee: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }), (b) => ({
    type: 'assign',
    assigneeUsername: String(b.assignee),
  }));
  act('investigate', 'The assignee starts investigating', null, () => ({ type: 'start_investigation' }));
  act(
    'close',
    'The assignee closes the entry with a finding and its reasons',
    Type.Object({ finding: enumOf(['confirmed', 'unfounded'] as const), note: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
    (b) => ({ type: 'close', finding: b.finding as 'confirmed' | 'unfounded', note: String(b.note) }),
  );
};
