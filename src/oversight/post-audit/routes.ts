/**
 * Post-audit over HTTP: draw a day's sample (supervisors), list draws, re-draw one to check it (anyone overseeing),
 * the inspectors' queue and their findings.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Role } from '../../identity/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { Problems } from '../../platform/http/problem.ts';
import { concludeInspection, drawDay, inspectionQueue, listDraws, verifyDraw } from './service.ts';

const OVERSEERS: readonly Role[] = ['supervisor', 'inspector', 'admin'];
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A day in Vietnam time, 2026-03-10' });

export const postAuditRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/post-audit/draws',
    {
      config: { access: { roles: ['supervisor', 'admin'] }, scope: 'none' },
      schema: { tags: ['oversight'], summary: "Draw an ended day's post-audit sample (once per day)", body: Type.Object({ day: Day }, { additionalProperties: false }) },
    },
    async (request, reply) => {
      reply.code(201);
      return drawDay(ctx, request.principal, request.body.day);
    },
  );

  app.get(
    '/api/post-audit/draws',
    { config: { access: { roles: OVERSEERS }, scope: 'none' }, schema: { tags: ['oversight'], summary: 'Recorded draws, newest day first' } },
    async () => ({ items: (await listDraws(ctx)).map(({ policies: _p, ...d }) => ({ ...d, createdAt: d.createdAt.toISOString() })) }),
  );

  app.get(
    '/api/post-audit/draws/:id/verify',
    {
      config: { access: { roles: OVERSEERS }, scope: 'none' },
      schema: { tags: ['oversight'], summary: 'Re-draw from the recorded seed and policies and compare with the stored sample', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
    },
    async (request) => verifyDraw(ctx, request.params.id),
  );

  app.get(
    '/api/post-audit/items',
    {
      config: { access: { roles: OVERSEERS }, scope: 'none' },
      schema: {
        tags: ['oversight'],
        summary: "The inspectors' queue",
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Unsafe<'open' | 'concluded'>({ type: 'string', enum: ['open', 'concluded'] })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      if (!request.principal) throw Problems.unauthenticated();
      const { state, limit = 50, offset = 0 } = request.query;
      return { items: await inspectionQueue(ctx, request.principal, { ...(state ? { state } : {}), limit, offset }) };
    },
  );

  app.post(
    '/api/post-audit/items/:id/conclude',
    {
      config: { access: { roles: ['inspector'] }, scope: 'none' },
      schema: {
        tags: ['oversight'],
        summary: 'An inspector concludes a sampled dossier (a discrepancy requests revocation of its result)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { finding: Type.Unsafe<'consistent' | 'discrepancy'>({ type: 'string', enum: ['consistent', 'discrepancy'] }), note: Type.String({ minLength: 1, maxLength: 4000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      if (!request.principal) throw Problems.unauthenticated();
      return concludeInspection(ctx, request.principal, request.params.id, request.body);
    },
  );
};
