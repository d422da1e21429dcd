import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '../../identity/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { defineError, pickLang } from '../../platform/http/problem.ts';
import { createCheckpoint, listCheckpoints, type CheckpointSigner, type CheckpointTrust } from './checkpoint.ts';
import { checkpointJson, verificationJson } from './report.ts';
import { appendAuditEvent, toAuditEventRow, type AuditEventDbRow } from './store.ts';
import { verifyAuditLog } from './verify.ts';

const READERS: readonly Role[] = ['supervisor', 'inspector', 'admin'];
const OPERATORS: readonly Role[] = ['supervisor', 'admin'];
/**
 * The audit log is one chain for the whole installation and these roles oversee it as a whole (the Center's
 * supervisors and post-audit inspectors, the administrator): no per-agency or per-person filtering applies, which
 * is what scope `none` declares to the access matrix. The events do carry personal data, so each read is recorded.
 */
const CENTER_WIDE = 'none' as const;

export const AuditErrors = {
  sealNotConfigured: defineError('AUDIT_SEAL_NOT_CONFIGURED', 503, {
    vi: 'Chưa cấu hình con dấu hệ thống để ký điểm kiểm tra nhật ký',
    en: 'No system seal is configured to sign audit checkpoints',
  }),
};

export interface AuditRoutesOptions {
  ctx: AppContext;
  /** The system seal; without it POST /api/audit/checkpoints answers 503. */
  signer?: CheckpointSigner | null;
  /** Roots for checkpoint verification (seal and TSA). */
  trust?: CheckpointTrust;
}

/**
 * Audit log over HTTP: the events about a subject (paginated by seq), the signed checkpoints, taking a checkpoint
 * now, and a full verification. Reading events is itself recorded, since events carry personal data.
 */
export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (app, { ctx, signer, trust }) => {
  app.get(
    '/api/audit/events',
    {
      config: { access: { roles: READERS }, scope: CENTER_WIDE },
      schema: {
        tags: ['audit'],
        summary: 'Audit events, optionally about one subject, in seq order (keyset pagination with afterSeq)',
        querystring: Type.Object(
          {
            subjectType: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            subjectId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            type: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            afterSeq: Type.Optional(Type.Integer({ minimum: 0 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const q = request.query as { subjectType?: string; subjectId?: string; type?: string; afterSeq?: number; limit?: number };
      const limit = q.limit ?? 100;
      const rows = await ctx.db.tx(async (tx) => {
        const r = await tx.query<AuditEventDbRow>(
          `SELECT * FROM audit_event
            WHERE seq > $1 AND ($2::text IS NULL OR subject_type = $2) AND ($3::text IS NULL OR subject_id = $3)
              AND ($4::text IS NULL OR type = $4)
            ORDER BY seq LIMIT $5`,
          [q.afterSeq ?? 0, q.subjectType ?? null, q.subjectId ?? null, q.type ?? null, limit + 1],
        );
        const p = request.principal!;
        await appendAuditEvent(tx, {
          type: 'audit.events.read',
          at: ctx.now(),
          actor: { userId: p.userId, role: p.role },
          agencyId: p.agencyId,
          subjectType: q.subjectType ?? null,
          subjectId: q.subjectId ?? null,
          data: { afterSeq: q.afterSeq ?? 0, limit, type: q.type ?? null, returned: Math.min(r.rows.length, limit) },
        });
        return r.rows;
      });
      const page = rows.slice(0, limit);
      return {
        items: page.map(toAuditEventRow).map((e) => ({ ...e, at: e.at.toISOString() })),
        nextAfterSeq: rows.length > limit ? Number(page[page.length - 1]!.seq) : null,
      };
    },
  );

  app.get(
    '/api/audit/checkpoints',
    {
      config: { access: { roles: READERS }, scope: CENTER_WIDE },
      schema: { tags: ['audit'], summary: 'Every signed checkpoint (for offline verification)' },
    },
    async () => ({ items: (await listCheckpoints(ctx.db)).map(checkpointJson) }),
  );

  app.post(
    '/api/audit/checkpoints',
    {
      config: { access: { roles: OPERATORS }, scope: CENTER_WIDE },
      schema: {
        tags: ['audit'],
        summary: 'Sign a checkpoint of the chain head now (skipped when nothing changed, unless force)',
        body: Type.Optional(Type.Object({ force: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
      },
    },
    async (request, reply) => {
      if (!signer) throw AuditErrors.sealNotConfigured();
      const force = (request.body as { force?: boolean } | undefined)?.force ?? false;
      const { created, checkpoint } = await createCheckpoint(ctx.db, signer, ctx.now(), { force });
      return reply.status(created ? 201 : 200).send({ created, checkpoint: checkpoint ? checkpointJson(checkpoint) : null });
    },
  );

  app.get(
    '/api/audit/verify',
    {
      config: { access: { roles: OPERATORS }, scope: CENTER_WIDE },
      schema: {
        tags: ['audit'],
        summary: 'Recompute the chain and check the checkpoints; ok or the first broken link',
        querystring: Type.Object(
          {
            fromSeq: Type.Optional(Type.Integer({ minimum: 1 })),
            toSeq: Type.Optional(Type.Integer({ minimum: 1 })),
            lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const q = request.query as { fromSeq?: number; toSeq?: number; lang?: string };
      const lang = pickLang(request.headers['accept-language'], q.lang);
      const result = await verifyAuditLog(ctx.db, { fromSeq: q.fromSeq, toSeq: q.toSeq, trust });
      return verificationJson(result, lang);
    },
  );
};

/** The audit routes with the seal bound, as a room plugin for `roomPlugins` (the seal is loaded at start-up). */
export function auditRoutesWith(o: { signer?: CheckpointSigner | null; trust?: CheckpointTrust }): FastifyPluginAsync<{ ctx: AppContext }> {
  return async (app, { ctx }) => auditRoutes(app, { ctx, signer: o.signer, trust: o.trust });
}
