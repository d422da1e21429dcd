/**
 * HTTP API of the results room: public verification of any PDF (no sign-in, rate-limited, stores nothing).
 */
import type { FastifyPluginAsync } from 'fastify';
import { Problems } from '../platform/http/problem.ts';
import type { AppContext } from '../platform/context.ts';
import { FixedWindowLimiter } from '../platform/http/rate-limiter.ts';
import type { RateLimit } from '../identity/rules.ts';
import { Type } from 'typebox';
import type { Principal } from '../identity/access.ts';
import { listMine, readMine } from './estore.ts';
import { publicResult } from './register.ts';
import { MAX_VERIFY_BYTES, VerificationErrors, verifyPdf } from './verification.ts';
import { fileBytes } from '../platform/http/multipart.ts';

const APPLICANTS = ['citizen', 'business', 'agent'] as const;

function principalOf(p: Principal | null | undefined): Principal {
  if (!p) throw Problems.unauthenticated();
  return p;
}

export const VERIFY_RATE: RateLimit = { max: 30, windowSeconds: 60 };

export interface ResultRoutesOptions {
  ctx: AppContext;
  verifyRate?: RateLimit;
  /** Trust anchors for verification; the configured ones (HOSO_TRUST, the demo root in demo mode) by default. */
  trustAnchors?: () => Promise<Uint8Array[]>;
}

export const resultRoutes: FastifyPluginAsync<ResultRoutesOptions> = async (app, { ctx, verifyRate, trustAnchors }) => {
  const limiter = new FixedWindowLimiter(verifyRate ?? VERIFY_RATE);
  app.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: MAX_VERIFY_BYTES + 1 }, (_req, body, done) => done(null, body));

  app.post(
    '/api/public/verify',
    {
      config: { access: { public: true } },
      bodyLimit: MAX_VERIFY_BYTES + 64 * 1024,
      schema: {
        tags: ['public'],
        summary: 'Validate the signatures of any PDF (body application/pdf, or multipart field `file`) and say whether hoso issued it; nothing is stored',
      },
    },
    async (request, reply) => {
      const limited = limiter.hit(request.ip, ctx.now().getTime());
      if (!limited.allowed) {
        reply.header('retry-after', String(limited.retryAfterSeconds));
        throw Problems.rateLimited({ retryAfterSeconds: limited.retryAfterSeconds });
      }
      let bytes: Uint8Array | null = null;
      if (request.isMultipart()) {
        for await (const part of request.parts()) {
          if (part.type === 'file' && part.fieldname === 'file' && !bytes) bytes = await fileBytes(part);
          else if (part.type === 'file') await part.toBuffer();
        }
      } else if (Buffer.isBuffer(request.body)) {
        bytes = new Uint8Array(request.body);
      }
      if (!bytes) throw VerificationErrors.empty();
      reply.header('cache-control', 'no-store');
      return verifyPdf(ctx, bytes, trustAnchors ? { trustAnchors } : {});
    },
  );

  app.get(
    '/api/public/results/:id',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['public'],
        summary: 'What the QR code of a result opens: the issued result’s title, number, issuer, date, fingerprint and status (valid or revoked); nothing about the applicant',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const limited = limiter.hit(request.ip, ctx.now().getTime());
      if (!limited.allowed) {
        reply.header('retry-after', String(limited.retryAfterSeconds));
        throw Problems.rateLimited({ retryAfterSeconds: limited.retryAfterSeconds });
      }
      const found = await publicResult(ctx.db, (request.params as { id: string }).id);
      if (!found) throw VerificationErrors.unknownResult();
      // A revocation must show at once: no caching.
      reply.header('cache-control', 'no-store');
      return found;
    },
  );

  app.get(
    '/api/my/estore',
    {
      config: { access: { roles: APPLICANTS }, scope: 'own-applicant' },
      schema: {
        tags: ['estore'],
        summary: 'My e-store: results issued to me (and reusable documents), optionally of one document type',
        querystring: Type.Object({ documentType: Type.Optional(Type.String({ maxLength: 80 })) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const q = request.query as { documentType?: string };
      return { items: await listMine(ctx, principalOf(request.principal), q.documentType ? { documentType: q.documentType } : {}) };
    },
  );

  app.get(
    '/api/my/estore/:id/document',
    {
      config: { access: { roles: APPLICANTS }, scope: 'own-applicant' },
      schema: { tags: ['estore'], summary: 'The signed document of one of my e-store items', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
    },
    async (request, reply) => {
      const d = await readMine(ctx, principalOf(request.principal), (request.params as { id: string }).id);
      return reply.type(d.mediaType).header('etag', `"${d.sha256}"`).header('cache-control', 'private, no-store').send(Buffer.from(d.bytes));
    },
  );
};
