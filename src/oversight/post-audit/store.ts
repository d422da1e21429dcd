/** SQL of post-audit: the candidates of a day (read from intake's records), draws and sampled items. */
import type { Queryable } from '../../platform/db/db.ts';
import type { Candidate, Draw, PostAuditPolicy } from './rules.ts';

/**
 * Dossiers received on `day` (Vietnam time) with at least one self-declared component, with the facts the
 * evaluable risk rules need. Deterministic for a given database state.
 */
export async function loadCandidates(q: Queryable, from: Date, to: Date): Promise<{ candidates: Candidate[]; policies: Record<string, PostAuditPolicy> }> {
  const r = await q.query<{ id: string; procedure: string; post_audit: PostAuditPolicy; first_time: boolean; agent: boolean }>(
    `SELECT d.id, p.key AS procedure, p.post_audit,
            NOT EXISTS (SELECT 1 FROM dossier e WHERE e.applicant_subject_id = d.applicant_subject_id AND e.received_at < d.received_at) AS first_time,
            d.consent_id IS NOT NULL AS agent
       FROM dossier d JOIN procedure p ON p.id = d.procedure_id
      WHERE d.received_at >= $1 AND d.received_at < $2
        AND EXISTS (SELECT 1 FROM dossier_component c WHERE c.dossier_id = d.id AND c.basis = 'SELF_DECLARED')
      ORDER BY d.id`,
    [from, to],
  );
  const policies: Record<string, PostAuditPolicy> = {};
  for (const row of r.rows) policies[row.procedure] = row.post_audit;
  return {
    candidates: r.rows.map((x) => ({ dossierId: x.id, procedure: x.procedure, firstTimeApplicant: x.first_time, agentSubmitted: x.agent })),
    policies,
  };
}

export interface DrawRow {
  id: string;
  day: string;
  seed: string;
  auditHeadSeq: number;
  auditHeadHash: string;
  policies: Record<string, PostAuditPolicy>;
  candidateCount: number;
  candidatesSha256: string;
  notEvaluated: string[];
  createdAt: Date;
}

export async function insertDraw(
  q: Queryable,
  d: { day: string; seed: string; head: { seq: number; hash: string }; policies: Record<string, PostAuditPolicy>; draw: Draw; by: string | null; at: Date },
): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO post_audit_draw (day, seed, audit_head_seq, audit_head_hash, policies, candidate_count, candidates_sha256, not_evaluated, drawn_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [d.day, d.seed, d.head.seq, d.head.hash, JSON.stringify(d.policies), d.draw.candidateCount, d.draw.candidatesSha256, JSON.stringify(d.draw.notEvaluated), d.by, d.at],
  );
  const id = r.rows[0]!.id;
  if (d.draw.items.length) {
    await q.query(
      `INSERT INTO post_audit_item (draw_id, dossier_id, score, rate, reason, state)
       SELECT $1, x.dossier_id, x.score, x.rate, x.reason, 'open'
         FROM unnest($2::uuid[], $3::float8[], $4::float8[], $5::text[]) AS x(dossier_id, score, rate, reason)`,
      [id, d.draw.items.map((i) => i.dossierId), d.draw.items.map((i) => i.score), d.draw.items.map((i) => i.rate), d.draw.items.map((i) => i.reason)],
    );
  }
  return id;
}

function toDraw(r: Record<string, unknown>): DrawRow {
  const day = r.day instanceof Date ? r.day.toISOString().slice(0, 10) : String(r.day).slice(0, 10);
  return {
    id: r.id as string,
    day,
    seed: r.seed as string,
    auditHeadSeq: Number(r.audit_head_seq),
    auditHeadHash: r.audit_head_hash as string,
    policies: r.policies as Record<string, PostAuditPolicy>,
    candidateCount: r.candidate_count as number,
    candidatesSha256: r.candidates_sha256 as string,
    notEvaluated: r.not_evaluated as string[],
    createdAt: new Date(r.created_at as string),
  };
}

export async function getDraw(q: Queryable, id: string): Promise<DrawRow | null> {
  const r = await q.query(`SELECT *, to_char(day, 'YYYY-MM-DD') AS day FROM post_audit_draw WHERE id = $1`, [id]);
  return r.rows[0] ? toDraw(r.rows[0]) : null;
}

export async function findDrawByDay(q: Queryable, day: string): Promise<DrawRow | null> {
  const r = await q.query(`SELECT *, to_char(day, 'YYYY-MM-DD') AS day FROM post_audit_draw WHERE day = $1::date`, [day]);
  return r.rows[0] ? toDraw(r.rows[0]) : null;
}

export async function listDraws(q: Queryable, limit: number): Promise<(DrawRow & { sampled: number; open: number })[]> {
  const r = await q.query(
    `SELECT d.*, to_char(d.day, 'YYYY-MM-DD') AS day, count(i.id)::int AS sampled, count(i.id) FILTER (WHERE i.state = 'open')::int AS open
       FROM post_audit_draw d LEFT JOIN post_audit_item i ON i.draw_id = d.id GROUP BY d.id ORDER BY d.day DESC LIMIT $1`,
    [limit],
  );
  return r.rows.map((x) => ({ ...toDraw(x), sampled: x.sampled as number, open: x.open as number }));
}

export interface ItemRow {
  id: string;
  drawId: string;
  day: string;
  dossierId: string;
  dossierCode: string | null;
  procedure: string;
  score: number;
  rate: number;
  reason: string;
  state: 'open' | 'concluded';
  finding: 'consistent' | 'discrepancy' | null;
  note: string | null;
}

export async function listItems(q: Queryable, f: { drawId?: string; state?: 'open' | 'concluded'; limit: number; offset: number }): Promise<ItemRow[]> {
  const r = await q.query<Record<string, unknown>>(
    `SELECT i.*, to_char(d.day, 'YYYY-MM-DD') AS day, s.code AS dossier_code, p.key AS procedure
       FROM post_audit_item i JOIN post_audit_draw d ON d.id = i.draw_id JOIN dossier s ON s.id = i.dossier_id JOIN procedure p ON p.id = s.procedure_id
      WHERE ($1::uuid IS NULL OR i.draw_id = $1) AND ($2::text IS NULL OR i.state = $2)
      ORDER BY d.day DESC, i.dossier_id LIMIT $3 OFFSET $4`,
    [f.drawId ?? null, f.state ?? null, f.limit, f.offset],
  );
  return r.rows.map((x) => ({
    id: x.id as string,
    drawId: x.draw_id as string,
    day: x.day as string,
    dossierId: x.dossier_id as string,
    dossierCode: (x.dossier_code as string) ?? null,
    procedure: x.procedure as string,
    score: Number(x.score),
    rate: Number(x.rate),
    reason: x.reason as string,
    state: x.state as ItemRow['state'],
    finding: (x.finding as ItemRow['finding']) ?? null,
    note: (x.note as string) ?? null,
  }));
}

export async function concludeItem(q: Queryable, id: string, v: { finding: 'consistent' | 'discrepancy'; note: string; inspectorId: string; at: Date }): Promise<boolean> {
  const r = await q.query(
    `UPDATE post_audit_item SET state = 'concluded', finding = $2, note = $3, inspector_id = $4, concluded_at = $5 WHERE id = $1 AND state = 'open'`,
    [id, v.finding, v.note, v.inspectorId, v.at],
  );
  return r.rowCount > 0;
}

export async function getItemDossier(q: Queryable, id: string): Promise<{ dossierId: string; state: string; agencyId: string } | null> {
  const r = await q.query<{ dossier_id: string; state: string; agency_id: string }>(
    'SELECT i.dossier_id, i.state, d.current_agency_id AS agency_id FROM post_audit_item i JOIN dossier d ON d.id = i.dossier_id WHERE i.id = $1',
    [id],
  );
  return r.rows[0] ? { dossierId: r.rows[0].dossier_id, state: r.rows[0].state, agencyId: r.rows[0].agency_id } : null;
}
