/**
 * HTTP API of the catalog room: the public catalog (procedures with Vietnamese search, fields, agencies) and the
 * administrator's CRUD, import and export under /api/admin/catalog.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.ts';
import { Problems } from '../platform/http/problem.ts';
import { formatInstant, parseInstant } from '../calendar/time.ts';
import { buildAgencyTree, CatalogErrors } from './service.ts';
import * as service from './service.ts';
import * as store from './store.ts';
import { AgencySchema, ComponentSchema, PROCEDURE_LEVELS, ProcedureFieldsSchema, ProcessSchema, AGENCY_KINDS } from './schema.ts';

// The catalog is system-wide configuration, bound to no person or agency: scope 'none'.
const ADMIN = { access: { roles: ['admin'] as const }, scope: 'none' as const };
const PUBLIC = { access: { public: true as const } };

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const enumOf = (values: readonly string[]) => Type.Unsafe<string>({ type: 'string', enum: [...values] });

const ProcedureQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Search words, with or without Vietnamese diacritics' })),
  field: Type.Optional(Type.String({ maxLength: 200 })),
  agency: Type.Optional(Type.String({ maxLength: 64, description: 'Agency e-ID code or id (competent or receiving)' })),
  level: Type.Optional(enumOf(PROCEDURE_LEVELS)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

function actorOf(request: FastifyRequest): service.Actor {
  const p = request.principal;
  return p ? { userId: p.userId, role: p.role } : null;
}

export const catalogRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (fastify, { ctx }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // ---- public catalog -------------------------------------------------------------------------------------

  app.get(
    '/api/catalog/procedures',
    { config: PUBLIC, schema: { tags: ['catalog'], summary: 'Search the procedure catalog', querystring: ProcedureQuery } },
    async (request) => service.searchProcedures(ctx.db, { ...request.query, level: request.query.level as 'province' | 'commune' | undefined }),
  );

  app.get(
    '/api/catalog/procedures/:key',
    { config: PUBLIC, schema: { tags: ['catalog'], summary: 'One procedure with its components and internal processes', params: Type.Object({ key: Type.String({ maxLength: 80 }) }) } },
    async (request) => service.getProcedureDetail(ctx.db, request.params.key),
  );

  app.get(
    '/api/catalog/procedures/:key/due',
    {
      config: PUBLIC,
      schema: {
        tags: ['catalog'],
        summary: 'Promised date for a dossier of this procedure received at an instant (working-day calendar, cut-off)',
        params: Type.Object({ key: Type.String({ maxLength: 80 }) }),
        querystring: Type.Object({ receivedAt: Type.Optional(Type.String({ maxLength: 40, description: 'ISO-8601; default now' })) }),
      },
    },
    async (request) => {
      const at = request.query.receivedAt ? parseInstant(request.query.receivedAt) : ctx.now();
      if (!at) throw Problems.validation({ errors: [{ path: 'querystring/receivedAt', message: 'not an ISO-8601 instant' }] });
      const { due } = await service.procedureDueDate(ctx.db, request.params.key, at);
      return { receivedAt: formatInstant(at), due: formatInstant(due) };
    },
  );

  app.get('/api/catalog/fields', { config: PUBLIC, schema: { tags: ['catalog'], summary: 'Fields (lĩnh vực) with their procedure counts' } }, async () => ({
    items: await store.listFields(ctx.db),
  }));

  app.get(
    '/api/catalog/agencies',
    {
      config: PUBLIC,
      schema: {
        tags: ['catalog'],
        summary: 'Agencies, as a list or as a tree',
        querystring: Type.Object({
          kind: Type.Optional(enumOf(AGENCY_KINDS)),
          activeOn: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
          tree: Type.Optional(Type.Boolean({ default: false })),
        }),
      },
    },
    async (request) => {
      const agencies = await store.listAgencies(ctx.db, { kind: request.query.kind, activeOn: request.query.activeOn });
      return request.query.tree ? { tree: buildAgencyTree(agencies) } : { items: agencies };
    },
  );

  app.get(
    '/api/catalog/agencies/:code',
    { config: PUBLIC, schema: { tags: ['catalog'], summary: 'One agency by e-ID code or id', params: Type.Object({ code: Type.String({ maxLength: 64 }) }) } },
    async (request) => {
      const a = await store.getAgency(ctx.db, request.params.code);
      if (!a) throw CatalogErrors.agencyNotFound({ agency: request.params.code });
      return a;
    },
  );

  // ---- administration -------------------------------------------------------------------------------------

  app.get(
    '/api/admin/catalog/procedures',
    { config: ADMIN, schema: { tags: ['catalog-admin'], summary: 'Search procedures, inactive ones included', querystring: ProcedureQuery } },
    async (request) =>
      service.searchProcedures(ctx.db, { ...request.query, level: request.query.level as 'province' | 'commune' | undefined, includeInactive: true }),
  );

  app.get(
    '/api/admin/catalog/procedures/:id',
    { config: ADMIN, schema: { tags: ['catalog-admin'], params: Type.Object({ id: Type.String({ maxLength: 80 }) }) } },
    async (request) => service.getProcedureDetail(ctx.db, request.params.id, { includeInactive: true }),
  );

  app.post(
    '/api/admin/catalog/agencies',
    { config: ADMIN, schema: { tags: ['catalog-admin'], summary: 'Create an agency', body: AgencySchema } },
    async (request, reply) => reply.status(201).send(await service.createAgency(ctx, actorOf(request), request.body)),
  );

  app.put(
    '/api/admin/catalog/agencies/:id',
    { config: ADMIN, schema: { tags: ['catalog-admin'], summary: 'Replace an agency', params: Id, body: AgencySchema } },
    async (request) => service.updateAgency(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/admin/catalog/procedures',
    { config: ADMIN, schema: { tags: ['catalog-admin'], summary: 'Create a procedure (without components)', body: ProcedureFieldsSchema } },
    async (request, reply) => reply.status(201).send(await service.createProcedure(ctx, actorOf(request), request.body)),
  );

  app.put(
    '/api/admin/catalog/procedures/:id',
    { config: ADMIN, schema: { tags: ['catalog-admin'], summary: "Replace a procedure's own fields", params: Id, body: ProcedureFieldsSchema } },
    async (request) => service.updateProcedure(ctx, actorOf(request), request.params.id, request.body),
  );

  app.patch(
    '/api/admin/catalog/procedures/:id',
    {
      config: ADMIN,
      schema: { tags: ['catalog-admin'], summary: 'Withdraw or restore a procedure', params: Id, body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }) },
    },
    async (request) => service.setProcedureActive(ctx, actorOf(request), request.params.id, request.body.active),
  );

  app.post(
    '/api/admin/catalog/procedures/:id/components',
    { config: ADMIN, schema: { tags: ['catalog-admin'], summary: 'Add a component', params: Id, body: ComponentSchema } },
    async (request, reply) => reply.status(201).send(await service.addComponent(ctx, actorOf(request), request.params.id, request.body)),
  );

  app.put(
    '/api/admin/catalog/components/:id',
    {
      config: ADMIN,
      schema: {
        tags: ['catalog-admin'],
        summary: 'Replace a component',
        params: Id,
        body: Type.Object({ ...ComponentSchema.properties, position: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false }),
      },
    },
    async (request) => service.updateComponent(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/admin/catalog/components/:id',
    { config: ADMIN, schema: { tags: ['catalog-admin'], summary: 'Retire a component (kept for dossiers that used it)', params: Id } },
    async (request, reply) => {
      await service.retireComponent(ctx, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/admin/catalog/procedures/:id/processes',
    { config: ADMIN, schema: { tags: ['catalog-admin'], summary: 'Every version of every internal process of a procedure', params: Id } },
    async (request) => {
      const p = await store.getProcedure(ctx.db, request.params.id);
      if (!p) throw CatalogErrors.procedureNotFound({ id: request.params.id });
      return { items: await store.listProcesses(ctx.db, p.id) };
    },
  );

  app.post(
    '/api/admin/catalog/procedures/:id/processes',
    { config: ADMIN, schema: { tags: ['catalog-admin'], summary: 'Save a new version of an internal process', params: Id, body: ProcessSchema } },
    async (request, reply) => reply.status(201).send(await service.createProcessVersion(ctx, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/admin/catalog/import',
    {
      config: ADMIN,
      bodyLimit: 50 * 1024 * 1024,
      schema: { tags: ['catalog-admin'], summary: 'Import a whole catalog file (all or nothing; errors list every problem with its path)' },
    },
    async (request) => ({ report: await service.importCatalog(ctx, actorOf(request), request.body) }),
  );

  app.get(
    '/api/admin/catalog/export',
    { config: ADMIN, schema: { tags: ['catalog-admin'], summary: 'Export the whole catalog (import format)' } },
    async (_request, reply) => {
      const file = await service.exportCatalog(ctx.db, ctx.now());
      return reply.header('content-disposition', 'attachment; filename="hoso-catalog.json"').send(file);
    },
  );
};
