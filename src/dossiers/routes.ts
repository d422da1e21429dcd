/**
 * HTTP API of intake (issue 4): online submission, the counter's reception queue and decisions, the public status
 * page and the applicant's own dossiers. Scope is enforced by the service with the principal; each route declares
 * who may call it and what it touches.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Principal } from '../identity/access.ts';
import type { RateLimit } from '../identity/rules.ts';
import type { AppContext } from '../platform/context.ts';
import { Problems } from '../platform/http/problem.ts';
import { checkIdempotencyKey } from '../platform/http/idempotency.ts';
import { FixedWindowLimiter } from '../platform/http/rate-limiter.ts';
import { VALIDITY_BASES } from '../catalog/schema.ts';
import type { UploadedFile } from '../documents/uploads.ts';
import * as counter from './counter.ts';
import * as service from './service.ts';
import { fileBytes } from '../platform/http/multipart.ts';

const APPLICANTS = ['citizen', 'business', 'agent'] as const;
const COUNTER = ['counter_officer'] as const;

const enumOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Page = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
const Version = Type.Optional(Type.Integer({ minimum: 1, description: 'The dossier version the officer saw (optimistic concurrency)' }));

export const SubmissionSchema = Type.Object(
  {
    procedure: Type.String({ minLength: 1, maxLength: 80, description: 'Procedure key or id' }),
    receivingAgency: Type.Optional(Type.String({ maxLength: 40, description: 'E-ID code of the one-stop branch' })),
    applicant: Type.Optional(
      Type.Object(
        { subjectId: Type.String({ maxLength: 20 }), kind: enumOf(['citizen', 'business'] as const) },
        { additionalProperties: false, description: 'Public-service agents only: whose dossier it is' },
      ),
    ),
    components: Type.Array(
      Type.Object(
        {
          key: Type.String({ minLength: 1, maxLength: 80 }),
          basis: Type.Optional(enumOf(VALIDITY_BASES)),
          form: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          exempt: Type.Optional(
            Type.Object(
              { reason: enumOf(['SHOWN_ONLY', 'CLASSIFIED', 'OTHER'] as const), note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])) },
              { additionalProperties: false },
            ),
          ),
          reuse: Type.Optional(Type.Object({ estoreItemId: Type.String({ maxLength: 40 }) }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw Problems.unauthenticated();
  return request.principal;
}

/**
 * The checker of a request's JSON (the body, or a multipart request's JSON field), compiled once: a value that does
 * not fit answers VALIDATION_FAILED with the first 20 problems. (Compiled, a check costs microseconds instead of the
 * ~0.1 ms of interpreting the schema on every submission.)
 */
function jsonChecker<T extends TSchema>(schema: T): (raw: unknown) => Static<T> {
  const compiled = Compile(schema);
  return (raw) => {
    if (!compiled.Check(raw)) {
      const errors = [...compiled.Errors(raw)]
        .filter((e) => e.keyword !== 'boolean')
        .slice(0, 20)
        .map((e) => ({ path: `body${e.instancePath}`, message: e.message }));
      throw Problems.validation({ errors });
    }
    return raw as Static<T>;
  };
}

const parseSubmission = jsonChecker(SubmissionSchema) as (raw: unknown) => service.SubmissionInput;

/** Multipart: one JSON field (`dossier` or `completion`) and file fields named `component:<key>` (several images per key). */
async function readMultipart(request: FastifyRequest, jsonField: string): Promise<{ json: unknown; files: UploadedFile[] }> {
  let raw: string | undefined;
  const files: UploadedFile[] = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const m = /^component:([a-z0-9][a-z0-9-]{0,79})$/.exec(part.fieldname);
      const bytes = await fileBytes(part);
      if (!m) throw Problems.validation({ errors: [{ path: `multipart/${part.fieldname}`, message: 'file fields are named component:<key>' }] });
      files.push({ componentKey: m[1]!, filename: part.filename ?? '', declaredType: part.mimetype ?? '', bytes });
    } else if (part.fieldname === jsonField) {
      raw = String(part.value);
    } else {
      throw Problems.validation({ errors: [{ path: `multipart/${part.fieldname}`, message: 'unknown field' }] });
    }
  }
  if (raw === undefined) throw Problems.validation({ errors: [{ path: `multipart/${jsonField}`, message: `the ${jsonField} JSON field is required` }] });
  try {
    return { json: JSON.parse(raw) as unknown, files };
  } catch {
    throw Problems.invalidJson();
  }
}

export const WalkInSchema = Type.Object(
  {
    procedure: SubmissionSchema.properties.procedure,
    applicant: Type.Object(
      {
        kind: enumOf(['citizen', 'business'] as const),
        subjectId: Type.String({ minLength: 10, maxLength: 20, description: 'CCCD (12 digits) or tax code (MST)' }),
        fullName: Type.String({ minLength: 1, maxLength: 200 }),
        email: Type.Optional(Type.String({ maxLength: 254 })),
        phone: Type.Optional(Type.String({ maxLength: 20 })),
        address: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false },
    ),
    components: SubmissionSchema.properties.components,
  },
  { additionalProperties: false },
);

const parseWalkIn = jsonChecker(WalkInSchema) as (raw: unknown) => counter.WalkInInput;

const CompletionSchema = Type.Object({ components: SubmissionSchema.properties.components }, { additionalProperties: false });

const checkCompletion = jsonChecker(CompletionSchema);
const parseCompletion = (raw: unknown) => (checkCompletion(raw) as { components: service.SubmittedComponent[] }).components;

export interface DossierRoutesOptions extends service.IntakeOptions {
  /** Public status look-ups allowed per client IP and window. */
  statusRateLimit?: RateLimit;
}

export const PUBLIC_STATUS_RATE: RateLimit = { max: 30, windowSeconds: 60 };

const DocumentParams = Type.Object({ id: Type.String({ format: 'uuid' }), documentId: Type.String({ format: 'uuid' }) });

/** Document bytes are personal data: never cached by shared caches; the content hash is a strong ETag. */
export function sendDocument(reply: FastifyReply, d: { mediaType: string; sha256: string; bytes: Uint8Array }) {
  return reply.type(d.mediaType).header('etag', `"${d.sha256}"`).header('cache-control', 'private, no-store').send(Buffer.from(d.bytes));
}

/** The receipt PDF; while it is still being signed, the RECEIPT_NOT_READY problem carries Retry-After. */
async function sendReceipt(reply: FastifyReply, read: Promise<{ mediaType: string; sha256: string; bytes: Uint8Array }>) {
  try {
    const d = await read;
    reply.header('content-disposition', `inline; filename="giay-tiep-nhan-${d.sha256.slice(0, 8)}.pdf"`);
    return sendDocument(reply, d);
  } catch (err) {
    if ((err as { code?: string }).code === 'RECEIPT_NOT_READY') reply.header('retry-after', '5');
    throw err;
  }
}

export const dossierRoutes: FastifyPluginAsync<{ ctx: AppContext; intake?: DossierRoutesOptions }> = async (fastify, { ctx, intake }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const statusLimiter = new FixedWindowLimiter(intake?.statusRateLimit ?? PUBLIC_STATUS_RATE);

  // ---- applicants ------------------------------------------------------------------------------------------

  app.post(
    '/api/dossiers',
    {
      config: { access: { roles: APPLICANTS }, scope: 'own-applicant' },
      schema: {
        tags: ['dossiers'],
        summary: 'Submit a dossier online (multipart: `dossier` JSON + `component:<key>` files; or JSON alone)',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 128 })) }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const key = checkIdempotencyKey(request.headers['idempotency-key'] as string | undefined);
      const { input, files } = request.isMultipart()
        ? await readMultipart(request, 'dossier').then((m) => ({ input: parseSubmission(m.json), files: m.files }))
        : { input: parseSubmission(request.body), files: [] };
      const r = await service.submitOnline(ctx, principal, input, files, { ...intake, idempotencyKey: key });
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(r.status).send(r.body);
    },
  );

  app.post(
    '/api/my/consents',
    {
      config: { access: { roles: ['citizen', 'business'] as const }, scope: 'self' },
      schema: {
        tags: ['dossiers'],
        summary: 'Record consent that a public-service agent may submit dossiers on my behalf',
        body: Type.Object({ agentUsername: Type.String({ minLength: 3, maxLength: 64 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => reply.status(201).send(await service.grantConsent(ctx, principalOf(request), request.body.agentUsername)),
  );

  app.get(
    '/api/my/dossiers',
    { config: { access: { roles: APPLICANTS }, scope: 'own-applicant' }, schema: { tags: ['dossiers'], summary: 'My dossiers', querystring: Page } },
    async (request) => ({ items: await service.listMyDossiers(ctx, principalOf(request), request.query) }),
  );

  app.get(
    '/api/my/dossiers/:id',
    {
      config: { access: { roles: APPLICANTS }, scope: 'own-applicant' },
      schema: { tags: ['dossiers'], summary: 'One of my dossiers, with components, bases and evidence', params: IdParams },
    },
    async (request) => service.getMyDossier(ctx, principalOf(request), request.params.id),
  );

  app.post(
    '/api/my/dossiers/:id/completion',
    {
      config: { access: { roles: APPLICANTS }, scope: 'own-applicant' },
      schema: {
        tags: ['dossiers'],
        summary: 'Supply the components named in the return for completion (multipart: `completion` JSON + files; or JSON)',
        params: IdParams,
      },
    },
    async (request) => {
      const { components, files } = request.isMultipart()
        ? await readMultipart(request, 'completion').then((m) => ({ components: parseCompletion(m.json), files: m.files }))
        : { components: parseCompletion(request.body), files: [] };
      return service.supplyCompletion(ctx, principalOf(request), request.params.id, components, files, intake ?? {});
    },
  );

  app.post(
    '/api/my/dossiers/:id/withdraw',
    {
      config: { access: { roles: APPLICANTS }, scope: 'own-applicant' },
      schema: {
        tags: ['dossiers'],
        summary: 'Withdraw the dossier (status 7) while no result exists',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }), version: Version }, { additionalProperties: false }),
      },
    },
    async (request) => service.withdrawDossier(ctx, principalOf(request), request.params.id, request.body.reason, request.body.version),
  );

  app.get(
    '/api/my/dossiers/:id/documents/:documentId',
    {
      config: { access: { roles: APPLICANTS }, scope: 'own-applicant' },
      schema: {
        tags: ['dossiers'],
        summary: 'A document of one of my dossiers (bytes)',
        params: DocumentParams,
      },
    },
    async (request, reply) => {
      const d = await service.readDossierDocument(ctx, principalOf(request), request.params.id, request.params.documentId, 'applicant');
      return sendDocument(reply, d);
    },
  );

  app.get(
    '/api/my/dossiers/:id/receipt',
    {
      config: { access: { roles: APPLICANTS }, scope: 'own-applicant' },
      schema: { tags: ['dossiers'], summary: 'The signed receipt (form 01) of one of my dossiers (PDF); 404 RECEIPT_NOT_READY while it is signed', params: IdParams },
    },
    async (request, reply) => sendReceipt(reply, service.readReceipt(ctx, principalOf(request), request.params.id, 'applicant')),
  );

  // ---- counter ---------------------------------------------------------------------------------------------

  app.post(
    '/api/reception/walk-in',
    {
      // Creates at the caller's own branch only: no request field names an agency or an existing dossier, so there
      // is nothing out of scope to probe (the access world's agencies have no e-ID codes a procedure could name).
      config: { access: { roles: COUNTER }, scope: 'none' },
      schema: {
        tags: ['reception'],
        summary:
          'Receive a walk-in dossier in one act (multipart: `dossier` JSON + `component:<key>` scans): scans marked as converted from paper and signed, status 2, code, promised date, receipt',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 128 })) }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const key = checkIdempotencyKey(request.headers['idempotency-key'] as string | undefined);
      const { input, files } = request.isMultipart()
        ? await readMultipart(request, 'dossier').then((m) => ({ input: parseWalkIn(m.json), files: m.files }))
        : { input: parseWalkIn(request.body), files: [] };
      const r = await counter.receiveWalkIn(ctx, principal, input, files, { ...intake, idempotencyKey: key });
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(r.status).send(r.body);
    },
  );

  app.post(
    '/api/reception/dossiers/:id/supplement',
    {
      config: { access: { roles: COUNTER }, scope: 'own-agency' },
      schema: {
        tags: ['reception'],
        summary:
          'The applicant answers the completion or supplement request at the counter (multipart: `completion` JSON + `component:<key>` scans, signed at reception again)',
        params: IdParams,
      },
    },
    async (request) => {
      const { components, files } = request.isMultipart()
        ? await readMultipart(request, 'completion').then((m) => ({ components: parseCompletion(m.json), files: m.files }))
        : { components: parseCompletion(request.body), files: [] };
      return counter.supplyAtCounter(ctx, principalOf(request), request.params.id, components, files, intake ?? {});
    },
  );

  app.get(
    '/api/reception/dossiers/:id/receipt',
    {
      config: { access: { roles: COUNTER }, scope: 'own-agency' },
      schema: { tags: ['reception'], summary: 'The signed receipt (form 01) of a dossier of this agency (PDF)', params: IdParams },
    },
    async (request, reply) => sendReceipt(reply, service.readReceipt(ctx, principalOf(request), request.params.id, 'officer')),
  );

  app.get(
    '/api/reception/queue',
    {
      config: { access: { roles: COUNTER }, scope: 'own-agency' },
      schema: { tags: ['reception'], summary: "Online dossiers waiting for this counter's reception decision", querystring: Page },
    },
    async (request) => ({ items: await service.receptionQueue(ctx, principalOf(request), request.query) }),
  );

  app.get(
    '/api/reception/dossiers/:id',
    {
      config: { access: { roles: COUNTER }, scope: 'own-agency' },
      schema: { tags: ['reception'], summary: 'A dossier of this agency, with components, bases and evidence', params: IdParams },
    },
    async (request) => service.getDossierForOfficer(ctx, principalOf(request), request.params.id),
  );

  app.get(
    '/api/reception/dossiers/:id/documents/:documentId',
    {
      config: { access: { roles: COUNTER }, scope: 'own-agency' },
      schema: {
        tags: ['reception'],
        summary: 'A document of a dossier of this agency (bytes)',
        params: DocumentParams,
      },
    },
    async (request, reply) => {
      const d = await service.readDossierDocument(ctx, principalOf(request), request.params.id, request.params.documentId, 'officer');
      return sendDocument(reply, d);
    },
  );

  app.post(
    '/api/dossiers/:id/receive',
    {
      config: { access: { roles: COUNTER }, scope: 'own-agency' },
      schema: {
        tags: ['reception'],
        summary: 'Receive an online dossier (status 2): the clock starts, the code is allocated, the promised date set',
        params: IdParams,
        body: Type.Optional(Type.Object({ version: Version }, { additionalProperties: false })),
      },
    },
    async (request) => service.receiveDossier(ctx, principalOf(request), request.params.id, request.body?.version),
  );

  app.post(
    '/api/dossiers/:id/return-for-completion',
    {
      config: { access: { roles: COUNTER }, scope: 'own-agency' },
      schema: {
        tags: ['reception'],
        summary: 'Return the dossier once for completion: only missing or invalid components, each with a reason (form 02)',
        params: IdParams,
        body: Type.Object(
          {
            items: Type.Array(
              Type.Object({ componentKey: Type.String({ maxLength: 80 }), reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
              { maxItems: 100 },
            ),
            version: Version,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => service.returnForCompletion(ctx, principalOf(request), request.params.id, request.body.items, request.body.version),
  );

  app.post(
    '/api/dossiers/:id/refuse',
    {
      config: { access: { roles: COUNTER }, scope: 'own-agency' },
      schema: {
        tags: ['reception'],
        summary: 'Refuse to receive the dossier (status 3, form 03)',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }), version: Version }, { additionalProperties: false }),
      },
    },
    async (request) => service.refuseDossier(ctx, principalOf(request), request.params.id, request.body.reason, request.body.version),
  );

  // ---- public ----------------------------------------------------------------------------------------------

  app.get(
    '/api/public/dossiers/:code/status',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['public'],
        summary: 'Status of a dossier by its code (or id) and the secret from the receipt; no sign-in',
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 80 }) }),
        querystring: Type.Object({ secret: Type.String({ minLength: 1, maxLength: 100 }) }),
      },
    },
    async (request, reply) => {
      const limited = statusLimiter.hit(request.ip, ctx.now().getTime());
      if (!limited.allowed) {
        reply.header('retry-after', String(limited.retryAfterSeconds));
        throw Problems.rateLimited({ retryAfterSeconds: limited.retryAfterSeconds });
      }
      reply.header('cache-control', 'no-store');
      return service.publicStatus(ctx, request.params.code, request.query.secret);
    },
  );
};
