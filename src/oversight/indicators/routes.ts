/**
 * Indicators for the Public Administrative Service Center: the QĐ 766 index and the directive's indicators for a
 * month or quarter, overall and per agency, commune/ward or procedure, and the dossiers behind every number.
 * Supervisors, inspectors and the administrator oversee the whole installation (scope `none`, as the audit room).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Role } from '../../identity/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { Problems } from '../../platform/http/problem.ts';
import { appendAuditEvent } from '../audit/store.ts';
import { DRILL_INDICATORS, drillDown, indicatorReport, todayReport } from './service.ts';

const OVERSEERS: readonly Role[] = ['supervisor', 'inspector', 'admin'];
const enumOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
const PeriodParam = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2]|Q[1-4])$', description: '2026-03 (month) or 2026-Q1 (quarter), Vietnam time' });
const Filters = {
  agency: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Receiving agency e-ID code' })),
  procedure: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'Procedure key' })),
  commune: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Commune/ward e-ID code: its own dossiers and its branches\'' })),
};

export const indicatorRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/oversight/indicators',
    {
      config: { access: { roles: OVERSEERS }, scope: 'none' },
      schema: {
        tags: ['oversight'],
        summary: "QĐ 766 index and the directive's indicators for a period, optionally broken down",
        querystring: Type.Object(
          { period: PeriodParam, dimension: Type.Optional(enumOf(['agency', 'commune', 'procedure'] as const)), ...Filters },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { period, dimension, agency, procedure, commune } = request.query;
      const report = await indicatorReport(ctx, {
        period,
        ...(dimension ? { dimension } : {}),
        agencyCodes: agency ? [agency] : null,
        procedure: procedure ?? null,
        commune: commune ?? null,
      });
      return report;
    },
  );

  app.get(
    '/api/oversight/today',
    {
      config: { access: { roles: OVERSEERS }, scope: 'none' },
      schema: { tags: ['oversight'], summary: "Today's intake by channel, the counter's queue, open dossiers late and due soon (numbers only)" },
    },
    () => todayReport(ctx),
  );

  app.get(
    '/api/oversight/indicators/dossiers',
    {
      config: { access: { roles: OVERSEERS }, scope: 'none' },
      schema: {
        tags: ['oversight'],
        summary: 'The dossiers behind one indicator: its numerator (in), the rest of its denominator (out) or all',
        querystring: Type.Object(
          {
            period: PeriodParam,
            indicator: enumOf(DRILL_INDICATORS),
            part: Type.Optional(enumOf(['in', 'out', 'all'] as const)),
            ...Filters,
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const principal = request.principal;
      if (!principal) throw Problems.unauthenticated();
      const q = request.query;
      const result = await drillDown(ctx, {
        period: q.period,
        indicator: q.indicator,
        part: q.part ?? 'all',
        agencyCodes: q.agency ? [q.agency] : null,
        procedure: q.procedure ?? null,
        commune: q.commune ?? null,
        limit: q.limit ?? 100,
        offset: q.offset ?? 0,
      });
      // Dossier codes name cases about people: who looked at which list is recorded.
      await ctx.db.tx((tx) => appendAuditEvent(tx, {
        type: 'oversight.indicator_dossiers.read',
        at: ctx.now(),
        actor: { userId: principal.userId, role: principal.role },
        subjectType: 'indicator',
        subjectId: `${q.indicator}:${q.period}`,
        data: { part: q.part ?? 'all', agency: q.agency ?? null, procedure: q.procedure ?? null, commune: q.commune ?? null, offset: q.offset ?? 0, returned: result.items.length },
      }));
      return result;
    },
  );
};
