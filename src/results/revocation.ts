/**
 * Revocation of a result (issue 6; e.g. after a post-audit finding): a leader of the competent agency revokes the
 * signed result of a dossier with a reason. The e-store item stops being usable and the verification page says
 * "revoked" with the reason and date, at once. The signed bytes are untouched (they remain cryptographically valid).
 */
import type { Principal } from '../identity/access.ts';
import { officerAgencyIds } from '../identity/scope.ts';
import { appendAuditEvent } from '../oversight/audit/store.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db/db.ts';
import { defineError } from '../platform/http/problem.ts';

export const RevocationErrors = {
  noResult: defineError('NO_RESULT_TO_REVOKE', 409, { vi: 'Hồ sơ chưa có kết quả để thu hồi', en: 'The dossier has no result to revoke' }),
  notCompetent: defineError('NOT_COMPETENT_TO_REVOKE', 403, {
    vi: 'Chỉ lãnh đạo của cơ quan đã ban hành kết quả mới được thu hồi',
    en: 'Only a leader of the agency that issued the result may revoke it',
  }),
  alreadyRevoked: defineError('RESULT_ALREADY_REVOKED', 409, { vi: 'Kết quả đã bị thu hồi trước đó', en: 'The result was already revoked' }),
  reasonRequired: defineError('REVOCATION_REASON_REQUIRED', 400, { vi: 'Hãy ghi lý do thu hồi', en: 'Give the reason for the revocation' }),
};

export interface Revocation {
  reason: string;
  at: string;
}

export async function revocationOf(q: Queryable, documentId: string): Promise<Revocation | null> {
  const r = await q.query<{ reason: string; at: Date }>('SELECT reason, at FROM document_revocation WHERE document_id = $1', [documentId]);
  const x = r.rows[0];
  return x ? { reason: x.reason, at: new Date(x.at).toISOString() } : null;
}

/** Revokes the result of dossier `dossierId`; the caller must be a leader of the agency running its process. */
export async function revokeResult(ctx: AppContext, principal: Principal, dossierId: string, reasonText: string): Promise<Revocation & { documentId: string }> {
  const reason = reasonText.normalize('NFC').trim();
  if (!reason) throw RevocationErrors.reasonRequired();
  const now = ctx.now();
  return ctx.db.tx(async (q) => {
    const r = await q.query<{ document_id: string | null; process_agency: string }>(
      `SELECT state->'result'->>'documentId' AS document_id, state->'process'->>'agency' AS process_agency FROM dossier WHERE id = $1 FOR UPDATE`,
      [dossierId],
    );
    const row = r.rows[0];
    if (!row?.document_id) throw RevocationErrors.noResult({ dossierId });
    const competent = await q.query<{ id: string }>('SELECT id FROM agency WHERE code = $1', [row.process_agency]);
    const mine = await officerAgencyIds(q, principal);
    if (principal.role !== 'leader' || !competent.rows[0] || !mine.includes(competent.rows[0].id)) throw RevocationErrors.notCompetent();
    const ins = await q.query(
      'INSERT INTO document_revocation (document_id, reason, revoked_by, agency_id, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [row.document_id, reason, principal.userId, principal.agencyId, now],
    );
    if (ins.rowCount !== 1) throw RevocationErrors.alreadyRevoked();
    await q.query(`UPDATE estore_item SET status = 'revoked' WHERE document_id = $1`, [row.document_id]);
    await appendAuditEvent(q, {
      type: 'document.result_revoked',
      at: now,
      actor: { userId: principal.userId, role: principal.role },
      agencyId: principal.agencyId,
      subjectType: 'dossier',
      subjectId: dossierId,
      data: { documentId: row.document_id, reason },
    });
    return { documentId: row.document_id, reason, at: now.toISOString() };
  });
}
