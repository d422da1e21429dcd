/**
 * Periodic reports over HTTP, for those who oversee the installation (supervisors, inspectors, the administrator):
 * list, generate now, download (XLSX or the signed PDF; each download recorded) and the download history.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Role } from '../../identity/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { Problems } from '../../platform/http/problem.ts';
import { downloadReport, generateReport, listReports, reportDownloads } from './service.ts';

const OVERSEERS: readonly Role[] = ['supervisor', 'inspector', 'admin'];
const PeriodParam = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2]|Q[1-4])$', description: '2026-03 (month) or 2026-Q1 (quarter), Vietnam time' });
const AgencyParam = Type.String({ minLength: 1, maxLength: 40, description: 'Receiving agency e-ID code; absent = the whole installation' });

export const reportRoutes: FastifyPluginAsync<{ ctx: AppContext; sealAgencyCode: string }> = async (base, { ctx, sealAgencyCode }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/oversight/reports',
    {
      config: { access: { roles: OVERSEERS }, scope: 'none' },
      schema: {
        tags: ['oversight'],
        summary: 'Generated reports, newest first',
        querystring: Type.Object(
          {
            period: Type.Optional(PeriodParam),
            agency: Type.Optional(AgencyParam),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const q = request.query;
      return { items: await listReports(ctx, { ...(q.period ? { period: q.period } : {}), ...(q.agency ? { agencyCode: q.agency } : {}), limit: q.limit ?? 50, offset: q.offset ?? 0 }) };
    },
  );

  app.post(
    '/api/oversight/reports',
    {
      config: { access: { roles: ['supervisor', 'admin'] }, scope: 'none' },
      schema: {
        tags: ['oversight'],
        summary: 'Generate a report now (XLSX and a PDF signed by the Center seal)',
        body: Type.Object({ period: PeriodParam, agency: Type.Optional(AgencyParam) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw Problems.unauthenticated();
      const report = await generateReport(ctx, principal, { period: request.body.period, agencyCode: request.body.agency ?? null }, { agencyCode: sealAgencyCode });
      reply.code(201);
      return report;
    },
  );

  app.get(
    '/api/oversight/reports/:id/files/:format',
    {
      config: { access: { roles: OVERSEERS }, scope: 'none' },
      schema: {
        tags: ['oversight'],
        summary: 'Download a report (recorded in its download history)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), format: Type.Unsafe<'xlsx' | 'pdf'>({ type: 'string', enum: ['xlsx', 'pdf'] }) }),
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw Problems.unauthenticated();
      const file = await downloadReport(ctx, principal, request.params.id, request.params.format);
      reply.header('content-type', file.mediaType);
      reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
      reply.header('cache-control', 'no-store');
      return reply.send(Buffer.from(file.bytes));
    },
  );

  app.get(
    '/api/oversight/reports/:id/downloads',
    {
      config: { access: { roles: OVERSEERS }, scope: 'none' },
      schema: { tags: ['oversight'], summary: "A report's download history, newest first", params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
    },
    async (request) => ({
      items: (await reportDownloads(ctx, request.params.id)).map((d) => ({ user: { id: d.userId, username: d.username, name: d.displayName }, format: d.format, at: d.at.toISOString() })),
    }),
  );
};
