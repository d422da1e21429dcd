/**
 * HTTP API of processing (issue 5): inboxes, the dossier workspace, step actions, assignment, comments, working
 * documents, the control sheet (form 06) and the documents of a dossier for the officers holding it.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { Principal } from '../../identity/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { Problems } from '../../platform/http/problem.ts';
import { readDossierDocument } from '../service.ts';
import { sendDocument } from '../routes.ts';
import * as service from './service.ts';
import { draftingForm, draftResult } from '../../results/drafting.ts';
import { scanPaperResult } from './paper-result.ts';
import type { UploadedFile } from '../../documents/uploads.ts';
import { revokeResult } from '../../results/revocation.ts';
import { confirmGatewayPayment, PaymentErrors, type PaymentGateway } from './payments.ts';
import { fileBytes } from '../../platform/http/multipart.ts';

const STEP_ROLES = ['counter_officer', 'specialist', 'leader'] as const;
const LEADERS = ['leader'] as const;
const DRAFTERS = ['specialist', 'leader'] as const;

const enumOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Version = Type.Optional(Type.Integer({ minimum: 1, description: 'The dossier version the officer saw (optimistic concurrency)' }));
const Reason = Type.String({ maxLength: 2000 });
const Items = Type.Array(
  Type.Object({ componentKey: Type.String({ maxLength: 80 }), reason: Reason }, { additionalProperties: false }),
  { maxItems: 100 },
);
const Amount = Type.Object({ value: Type.Number({ exclusiveMinimum: 0, maximum: 365 }), unit: enumOf(['working_days', 'working_hours'] as const) }, { additionalProperties: false });
const Step = Type.Object(
  {
    kind: enumOf(['reception', 'assignment', 'appraisal', 'review', 'approval', 'result_return', 'transfer'] as const),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: enumOf(STEP_ROLES),
    // Left out: the agency the dossier is transferred to.
    agency: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    quotaHours: Type.Number({ minimum: 0, maximum: 10000 }),
  },
  { additionalProperties: false },
);

const obj = <P extends Record<string, import('typebox').TSchema>>(p: P) => Type.Object(p, { additionalProperties: false });

export const ActionSchema = Type.Union([
  obj({ type: Type.Literal('start_processing') }),
  obj({ type: Type.Literal('complete_step'), note: Type.Optional(Type.String({ maxLength: 2000 })) }),
  obj({ type: Type.Literal('request_supplement'), items: Items }),
  obj({ type: Type.Literal('transfer'), toAgency: Type.String({ maxLength: 40 }), steps: Type.Array(Step, { minItems: 1, maxItems: 20 }), reason: Reason, returnAfter: Type.Boolean() }),
  obj({
    type: Type.Literal('request_financial_obligation'),
    notice: obj({ kind: enumOf(['fee', 'charge', 'tax'] as const), amountVnd: Type.Integer({ minimum: 1 }), reference: Type.String({ maxLength: 100 }) }),
  }),
  obj({ type: Type.Literal('confirm_payment'), paymentRef: Type.String({ maxLength: 100 }), amountVnd: Type.Integer({ minimum: 1 }) }),
  obj({ type: Type.Literal('approve'), note: Type.Optional(Type.String({ maxLength: 2000 })) }),
  obj({ type: Type.Literal('mark_processed'), workingDocumentId: Type.String({ format: 'uuid' }) }),
  obj({ type: Type.Literal('return_result') }),
  obj({ type: Type.Literal('stop'), reason: Reason }),
  obj({ type: Type.Literal('issue_apology'), reason: Reason, extension: Amount }),
]);

const ActBody = obj({ action: ActionSchema, version: Version, assignTo: Type.Optional(Type.String({ format: 'uuid' })) });

/** A PDF rendered for this request (personal data: never cached by shared caches). */
function sendGeneratedPdf(reply: FastifyReply, bytes: Uint8Array, filename: string) {
  return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).header('cache-control', 'private, no-store').send(Buffer.from(bytes));
}

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw Problems.unauthenticated();
  return request.principal;
}

export const processingRoutes: FastifyPluginAsync<{ ctx: AppContext; paymentGateways?: readonly PaymentGateway[] }> = async (base, { ctx, paymentGateways = [] }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  // The gateway proves the callback itself (no session): raw bytes, so a signature over the body can be checked.
  app.register(async (scoped) => {
    scoped.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scoped.post(
      '/api/payments/:gateway/callback',
      {
        config: { access: { public: true } },
        schema: { tags: ['processing'], summary: 'A payment gateway confirms a payment (verified by the gateway adapter)', params: Type.Object({ gateway: Type.String({ maxLength: 40 }) }) },
      },
      async (request) => {
        const { gateway } = request.params as { gateway: string };
        const g = paymentGateways.find((x) => x.id === gateway);
        if (!g) throw PaymentErrors.unknownGateway({ gateway });
        const raw = request.body;
        const bytes = Buffer.isBuffer(raw) ? new Uint8Array(raw) : new TextEncoder().encode(typeof raw === 'string' ? raw : JSON.stringify(raw ?? {}));
        const cb = await g.verifyCallback(request.headers, bytes);
        if (!cb) throw PaymentErrors.unverified({ gateway });
        return confirmGatewayPayment(ctx, cb);
      },
    );
  });

  app.get(
    '/api/processing/inbox',
    {
      config: { access: { roles: STEP_ROLES }, scope: 'own-agency' },
      schema: {
        tags: ['processing'],
        summary: "The caller's inbox (mine), their agency's open dossiers or the approval queue (leaders), most urgent first, with SLA counts",
        querystring: obj({
          view: Type.Optional(enumOf(['mine', 'agency', 'approval'] as const)),
          sla: Type.Optional(enumOf(['late', 'due_soon', 'on_time', 'paused'] as const)),
          procedure: Type.Optional(Type.String({ maxLength: 80 })),
          code: Type.Optional(Type.String({ maxLength: 40 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
        }),
      },
    },
    async (request) => service.inbox(ctx, principalOf(request), request.query),
  );

  app.get(
    '/api/processing/register',
    {
      config: { access: { roles: STEP_ROLES }, scope: 'own-agency' },
      schema: {
        tags: ['processing'],
        summary: "The dossier register (form 07) of the caller's agency for a period: JSON rows, or the PDF with format=pdf",
        querystring: obj({
          from: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
          to: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
          format: Type.Optional(enumOf(['json', 'pdf'] as const)),
        }),
      },
    },
    async (request, reply) => {
      const { from, to, format } = request.query;
      const r = await service.register(ctx, principalOf(request), { from, to }, format ?? 'json');
      if (!r.pdf) return { from, to, items: r.entries };
      return sendGeneratedPdf(reply, r.pdf, `so-theo-doi-ho-so-${from}-${to}.pdf`);
    },
  );

  app.get(
    '/api/processing/dossiers/:id',
    {
      config: { access: { roles: STEP_ROLES }, scope: 'own-agency' },
      schema: {
        tags: ['processing'],
        summary: 'The dossier workspace: components with bases and reports, route with SLA, actions allowed now, comments, drafts, control sheet',
        params: IdParams,
      },
    },
    async (request) => service.workspace(ctx, principalOf(request), request.params.id),
  );

  app.post(
    '/api/processing/dossiers/:id/actions',
    {
      config: { access: { roles: STEP_ROLES }, scope: 'own-agency' },
      schema: {
        tags: ['processing'],
        summary: 'Take a step action through the lifecycle rules (refusals carry a stable code; a second supplement or one naming a valid component is refused)',
        params: IdParams,
        body: ActBody,
      },
    },
    async (request) => {
      const b = request.body as Static<typeof ActBody>;
      const action = b.action.type === 'transfer' ? { ...b.action, steps: b.action.steps.map((x) => ({ ...x, agency: x.agency ?? null })) } : b.action;
      return service.act(ctx, principalOf(request), request.params.id, action as service.ProcessingAction, {
        ...(b.version !== undefined ? { version: b.version } : {}),
        ...(b.assignTo ? { assignTo: b.assignTo } : {}),
      });
    },
  );

  app.post(
    '/api/processing/dossiers/:id/assign',
    {
      config: { access: { roles: LEADERS }, scope: 'own-agency' },
      schema: {
        tags: ['processing'],
        summary: "Assign or re-assign the current step to an officer of the step's agency",
        params: IdParams,
        body: obj({ assigneeId: Type.String({ format: 'uuid' }), note: Type.Optional(Type.String({ maxLength: 2000 })), version: Version }),
      },
    },
    async (request) => service.assign(ctx, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/processing/dossiers/:id/paper-result',
    {
      config: { access: { roles: STEP_ROLES }, scope: 'own-agency' },
      schema: {
        tags: ['processing'],
        summary:
          'Where the law also requires a paper result: scan the printed, wet-signed result back in (multipart `file` parts, pages in order: images or a PDF); marked as converted and sealed by the issuing agency as an e-copy',
        params: IdParams,
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw Problems.validation({ errors: [{ path: 'body', message: 'multipart/form-data with `file` parts' }] });
      const files: UploadedFile[] = [];
      for await (const part of request.parts()) {
        if (part.type === 'file' && part.fieldname === 'file') {
          files.push({ componentKey: 'paper-result', filename: part.filename ?? '', declaredType: part.mimetype ?? '', bytes: await fileBytes(part) });
        } else {
          if (part.type === 'file') await part.toBuffer();
          throw Problems.validation({ errors: [{ path: `multipart/${part.fieldname}`, message: 'unknown field' }] });
        }
      }
      return reply.code(201).send(await scanPaperResult(ctx, principalOf(request), request.params.id, files));
    },
  );

  app.post(
    '/api/processing/dossiers/:id/revoke-result',
    {
      config: { access: { roles: LEADERS }, scope: 'own-agency' },
      schema: {
        tags: ['processing'],
        summary: 'Revoke the signed result (a leader of the agency that issued it), with the reason; verification and the e-store show it at once',
        params: IdParams,
        body: obj({ reason: Type.String({ maxLength: 2000 }) }),
      },
    },
    async (request) => revokeResult(ctx, principalOf(request), request.params.id, request.body.reason),
  );

  app.post(
    '/api/processing/dossiers/:id/comments',
    {
      config: { access: { roles: STEP_ROLES }, scope: 'own-agency' },
      schema: { tags: ['processing'], summary: 'An internal comment on the dossier (officers only)', params: IdParams, body: obj({ body: Type.String({ maxLength: 4000 }) }) },
    },
    async (request, reply) => reply.code(201).send(await service.addComment(ctx, principalOf(request), request.params.id, request.body.body)),
  );

  app.post(
    '/api/processing/dossiers/:id/working-documents',
    {
      config: { access: { roles: STEP_ROLES }, scope: 'own-agency' },
      schema: { tags: ['processing'], summary: 'Attach a PDF working document (e.g. the result draft) to the current step (multipart: `title` + `file`)', params: IdParams },
    },
    async (request, reply) => {
      let title: string | undefined;
      let file: { filename: string; declaredType: string; bytes: Uint8Array } | undefined;
      if (!request.isMultipart()) throw Problems.validation({ errors: [{ path: 'body', message: 'multipart/form-data with `title` and `file`' }] });
      for await (const part of request.parts()) {
        if (part.type === 'file' && part.fieldname === 'file') {
          file = { filename: part.filename ?? '', declaredType: part.mimetype ?? '', bytes: await fileBytes(part) };
        } else if (part.type === 'field' && part.fieldname === 'title') {
          title = String(part.value);
        } else {
          if (part.type === 'file') await part.toBuffer();
          throw Problems.validation({ errors: [{ path: `multipart/${part.fieldname}`, message: 'unknown field' }] });
        }
      }
      if (!file) throw Problems.validation({ errors: [{ path: 'multipart/file', message: 'the file field is required' }] });
      const r = await service.addWorkingDocument(ctx, principalOf(request), request.params.id, { title: title ?? '', file: { componentKey: 'working-document', ...file } });
      return reply.code(201).send(r);
    },
  );

  app.get(
    '/api/processing/dossiers/:id/result-draft',
    {
      config: { access: { roles: DRAFTERS }, scope: 'own-agency' },
      schema: { tags: ['processing'], summary: 'The result template in force for the dossier: its name, whether it is the standard one, the inputs to fill', params: IdParams },
    },
    async (request) => draftingForm(ctx, principalOf(request), request.params.id),
  );

  app.post(
    '/api/processing/dossiers/:id/result-draft',
    {
      config: { access: { roles: DRAFTERS }, scope: 'own-agency' },
      schema: {
        tags: ['processing'],
        summary: 'Draft the result from the procedure’s template and the dossier’s data (ND 30 layout, no number yet); it becomes a working document to preview and approve',
        params: IdParams,
        body: obj({ inputs: Type.Optional(Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 5000 }))) }),
      },
    },
    async (request, reply) => reply.code(201).send(await draftResult(ctx, principalOf(request), request.params.id, request.body.inputs ?? {})),
  );

  app.get(
    '/api/processing/dossiers/:id/control-sheet.pdf',
    {
      config: { access: { roles: STEP_ROLES }, scope: 'own-agency' },
      schema: { tags: ['processing'], summary: 'The control sheet (form 06) as a PDF, from the events now', params: IdParams },
    },
    async (request, reply) => {
      const r = await service.controlSheetPdf(ctx, principalOf(request), request.params.id);
      return sendGeneratedPdf(reply, r.bytes, `phieu-kiem-soat-${r.code}.pdf`);
    },
  );

  app.get(
    '/api/processing/dossiers/:id/documents/:documentId',
    {
      config: { access: { roles: STEP_ROLES }, scope: 'own-agency' },
      schema: {
        tags: ['processing'],
        summary: 'A document of a dossier the caller holds: component (signed copy when there is one), form, result or working document',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), documentId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const d = await readDossierDocument(ctx, principalOf(request), request.params.id, request.params.documentId, 'officer');
      return sendDocument(reply, d);
    },
  );
};
