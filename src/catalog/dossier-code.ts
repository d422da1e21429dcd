/**
 * Dossier codes `<agency e-ID>-<YYMMDD>-<sequence>` (TT 03/2025 Art. 13 as observed): one counter row per agency
 * and civil day in Asia/Ho_Chi_Minh.
 */
import type { Queryable } from '../platform/db/db.ts';
import { defineError } from '../platform/http/problem.ts';
import { formatDossierCode, isAgencyCode, vnCivilDay } from './rules.ts';

export const UnknownAgency = defineError('AGENCY_NOT_FOUND', 404, { vi: 'Không tìm thấy cơ quan', en: 'Agency not found' });

export interface AllocatedDossierCode {
  code: string;
  agencyId: string;
  agencyCode: string;
  /** Civil day of reception, `YYYY-MM-DD` (Asia/Ho_Chi_Minh). */
  day: string;
  sequence: number;
}

/**
 * Allocates the next code of `agency` (id or e-ID code) for the civil day of `receivedAt`.
 *
 * Call it inside the intake transaction (`db.tx(q => …)`): the upsert takes the counter row's lock until that
 * transaction ends, so concurrent intakes of one agency queue on it, and a rolled-back intake gives its number
 * back. Committed codes of a day are therefore 1, 2, 3… with no gap and no duplicate. Other agencies and other
 * days use other rows and do not wait.
 */
export async function allocateDossierCode(q: Queryable, agency: string, receivedAt: Date): Promise<AllocatedDossierCode> {
  const byCode = isAgencyCode(agency);
  const a = await q.query<{ id: string; code: string }>(
    `SELECT id, code FROM agency WHERE ${byCode ? 'code = $1' : 'id = $1::uuid'}`,
    [agency],
  );
  const row = a.rows[0];
  if (!row) throw UnknownAgency({ agency });
  const { isoDay, yymmdd } = vnCivilDay(receivedAt);
  const r = await q.query<{ last_seq: number }>(
    `INSERT INTO dossier_code_counter (agency_id, day, last_seq) VALUES ($1, $2::date, 1)
     ON CONFLICT (agency_id, day) DO UPDATE SET last_seq = dossier_code_counter.last_seq + 1
     RETURNING last_seq`,
    [row.id, isoDay],
  );
  const sequence = Number(r.rows[0]!.last_seq);
  return { code: formatDossierCode(row.code, yymmdd, sequence), agencyId: row.id, agencyCode: row.code, day: isoDay, sequence };
}
