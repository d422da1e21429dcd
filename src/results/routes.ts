/**
 * HTTP API of the results room: public verification of any PDF (no sign-in, rate-limited, stores nothing).
 */
import type { FastifyPluginAsync } from 'fastify';
import { Problems } from '../platform/http/problem.ts';
import type { AppContext } from '../platform/context.ts';
import { FixedWindowLimiter } from '../platform/http/rate-limiter.ts';
import type { RateLimit } from '../identity/rules.ts';
import { MAX_VERIFY_BYTES, VerificationErrors, verifyPdf } from './verification.ts';

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
          if (part.type === 'file' && part.fieldname === 'file' && !bytes) bytes = new Uint8Array(await part.toBuffer());
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
};
