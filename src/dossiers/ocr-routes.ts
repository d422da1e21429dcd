/**
 * Recognised text at the counter: the OCR text of a dossier's scanned components (derived copies, read-only), a
 * full-text search over the agency's dossiers, and reading a scanned CCCD to suggest the walk-in form's fields.
 * Every read of recognised text is a read of personal data and is audited.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { documentTexts, readCccd, searchQuery } from '../documents/ocr/service.ts';
import { UploadErrors } from '../documents/uploads.ts';
import { officerAgencyIds } from '../identity/scope.ts';
import type { AppContext } from '../platform/context.ts';
import { Problems } from '../platform/http/problem.ts';
import { FixedWindowLimiter } from '../platform/http/rate-limiter.ts';
import { appendAuditEvent } from '../oversight/audit/store.ts';
import { auditActor, loadForOfficer } from './service.ts';
import * as store from './store.ts';
import { fileBytes } from '../platform/http/multipart.ts';

const COUNTER = ['counter_officer'] as const;
const MAX_CARD_BYTES = 10 * 1024 * 1024;

/** The type the bytes say they are (never the declared one). */
function sniff(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

export const ocrRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (base, { ctx }) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  // OCR takes about a second of CPU per page: bounded per officer so one cannot starve the counter's server.
  const cardLimiter = new FixedWindowLimiter({ max: 20, windowSeconds: 60 });

  app.get(
    '/api/reception/dossiers/:id/text',
    {
      config: { access: { roles: COUNTER }, scope: 'own-agency' },
      schema: { tags: ['reception'], summary: "Recognised text (OCR) of a dossier's scanned components", params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
    },
    async (request) => {
      const principal = request.principal!;
      const row = await loadForOfficer(ctx.db, principal, request.params.id);
      const components = (await store.listComponents(ctx.db, row.id)).filter((c) => c.documentId && c.basis === 'DIGITIZED_SIGNED');
      const texts = await documentTexts(ctx.db, components.map((c) => c.documentId!));
      await appendAuditEvent(ctx.db, {
        type: 'dossier.text_read',
        at: ctx.now(),
        actor: auditActor(principal),
        agencyId: principal.agencyId,
        subjectType: 'dossier',
        subjectId: row.id,
        data: { documents: [...texts.keys()] },
      });
      return {
        items: components.map((c) => {
          const t = texts.get(c.documentId!);
          return t
            ? { componentKey: c.componentKey, documentId: c.documentId, status: 'done' as const, engine: t.engine, pages: t.pages, text: t.text, recognizedAt: t.createdAt.toISOString() }
            : { componentKey: c.componentKey, documentId: c.documentId, status: 'pending' as const };
        }),
      };
    },
  );

  app.get(
    '/api/reception/search',
    {
      config: { access: { roles: COUNTER }, scope: 'own-agency' },
      schema: {
        tags: ['reception'],
        summary: "Search the text of the agency's scanned dossiers (every word, accents optional)",
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const principal = request.principal!;
      const tsquery = searchQuery(request.query.q);
      if (!tsquery) throw Problems.validation({ errors: [{ path: '/q', message: 'a search needs at least one letter or digit' }] });
      const agencies = await officerAgencyIds(ctx.db, principal);
      const r = await ctx.db.query<{ id: string; code: string | null; status: string; procedure: string; components: string[]; received_at: Date | null }>(
        `SELECT d.id, d.code, d.status, p.key AS procedure, array_agg(DISTINCT c.component_key ORDER BY c.component_key) AS components, d.received_at
           FROM document_text t
           JOIN dossier_component c ON c.document_id = t.document_id
           JOIN dossier d ON d.id = c.dossier_id
           JOIN procedure p ON p.id = d.procedure_id
          WHERE t.search @@ to_tsquery('simple', $1) AND (d.receiving_agency_id = ANY($2::uuid[]) OR d.current_agency_id = ANY($2::uuid[]))
          GROUP BY d.id, p.key
          ORDER BY d.received_at DESC NULLS LAST, d.id
          LIMIT $3`,
        [tsquery, agencies, request.query.limit ?? 20],
      );
      // Audited when it revealed dossiers; the query itself may be a name, so only its size and the hits are kept.
      if (r.rows.length) await appendAuditEvent(ctx.db, {
        type: 'dossier.text_searched',
        at: ctx.now(),
        actor: auditActor(principal),
        agencyId: principal.agencyId,
        data: { words: tsquery.split(' & ').length, results: r.rows.map((x) => x.id) },
      });
      return {
        items: r.rows.map((x) => ({ id: x.id, code: x.code, status: x.status, procedure: x.procedure, components: x.components, receivedAt: x.received_at ? new Date(x.received_at).toISOString() : null })),
      };
    },
  );

  app.post(
    '/api/reception/ocr/cccd',
    {
      // Reads only the uploaded image; nothing of any dossier or agency is involved or stored.
      config: { access: { roles: COUNTER }, scope: 'none' },
      schema: { tags: ['reception'], summary: 'Read a scanned CCCD (multipart field `image`: JPEG, PNG or PDF) and suggest number, full name and date of birth' },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const limited = cardLimiter.hit(principal.userId, ctx.now().getTime());
      if (!limited.allowed) {
        reply.header('retry-after', String(limited.retryAfterSeconds));
        throw Problems.rateLimited({ retryAfterSeconds: limited.retryAfterSeconds });
      }
      if (!request.isMultipart()) throw Problems.validation({ errors: [{ path: '/image', message: 'send the scan as multipart field image' }] });
      const file = await request.file({ limits: { fileSize: MAX_CARD_BYTES, files: 1 } });
      if (!file || file.fieldname !== 'image') throw Problems.validation({ errors: [{ path: '/image', message: 'the image field is required' }] });
      const bytes = await fileBytes(file).catch((err: unknown) => {
        throw (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' ? UploadErrors.tooLarge({ limit: MAX_CARD_BYTES }) : err;
      });
      const type = sniff(bytes);
      const suggestion = await readCccd(bytes, type ?? 'unknown', ctx.now());
      await appendAuditEvent(ctx.db, {
        type: 'reception.cccd_read',
        at: ctx.now(),
        actor: auditActor(principal),
        agencyId: principal.agencyId,
        data: { found: { idNumber: suggestion.idNumber !== null, fullName: suggestion.fullName !== null, dateOfBirth: suggestion.dateOfBirth !== null }, engine: suggestion.engine },
      });
      return suggestion;
    },
  );
};
