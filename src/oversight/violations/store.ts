/** SQL of the violations register (`violation`). */
import type { Queryable } from '../../platform/db/db.ts';
import type { ViolationSource, ViolationState } from './rules.ts';

export interface ViolationRow {
  id: string;
  source: ViolationSource;
  rule: string;
  dossierId: string | null;
  dossierCode: string | null;
  agencyId: string | null;
  agencyCode: string | null;
  agencyName: string | null;
  attemptId: string | null;
  description: string;
  reporter: Record<string, unknown>;
  state: ViolationState;
  assigneeId: string | null;
  assigneeName: string | null;
  assigneeUsername: string | null;
  finding: 'confirmed' | 'unfounded' | null;
  findingNote: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

const SELECT = `SELECT v.*, d.code AS dossier_code, a.code AS agency_code, a.name AS agency_name, u.display_name AS assignee_name, u.username AS assignee_username
  FROM violation v LEFT JOIN dossier d ON d.id = v.dossier_id LEFT JOIN agency a ON a.id = v.agency_id
  LEFT JOIN app_user u ON u.id = v.assignee_id`;

function toRow(r: Record<string, unknown>): ViolationRow {
  const t = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    id: r.id as string,
    source: r.source as ViolationSource,
    rule: r.rule as string,
    dossierId: (r.dossier_id as string) ?? null,
    dossierCode: (r.dossier_code as string) ?? null,
    agencyId: (r.agency_id as string) ?? null,
    agencyCode: (r.agency_code as string) ?? null,
    agencyName: (r.agency_name as string) ?? null,
    attemptId: (r.attempt_id as string) ?? null,
    description: r.description as string,
    reporter: r.reporter as Record<string, unknown>,
    state: r.state as ViolationState,
    assigneeId: (r.assignee_id as string) ?? null,
    assigneeName: (r.assignee_name as string) ?? null,
    assigneeUsername: (r.assignee_username as string) ?? null,
    finding: (r.finding as ViolationRow['finding']) ?? null,
    findingNote: (r.finding_note as string) ?? null,
    createdAt: t(r.created_at)!,
    updatedAt: t(r.updated_at)!,
    closedAt: t(r.closed_at),
  };
}

export async function insertViolation(
  q: Queryable,
  v: { source: ViolationSource; rule: string; dossierId: string | null; agencyId: string | null; description: string; reporter: Record<string, unknown>; at: Date },
): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO violation (source, rule, dossier_id, agency_id, description, reporter, state, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7) RETURNING id`,
    [v.source, v.rule, v.dossierId, v.agencyId, v.description, JSON.stringify(v.reporter), v.at],
  );
  return r.rows[0]!.id;
}

/**
 * Opens one entry per refused R3 attempt not yet in the register (idempotent: the attempt id is unique).
 * Returns the ids of the entries opened.
 */
export async function importRefusedAttempts(q: Queryable, at: Date): Promise<string[]> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO violation (source, rule, dossier_id, agency_id, attempt_id, description, reporter, state, created_at, updated_at)
     SELECT 'refused_attempt', va.rule, va.dossier_id, va.agency_id, va.id,
            'Yêu cầu ' || va.action || ' bị từ chối (' || va.code || ')', jsonb_build_object('kind', 'system', 'actorId', va.actor_id), 'open', va.at, $1
       FROM violation_attempt va
      WHERE NOT EXISTS (SELECT 1 FROM violation v WHERE v.attempt_id = va.id)
     ON CONFLICT (attempt_id) DO NOTHING
     RETURNING id`,
    [at],
  );
  return r.rows.map((x) => x.id);
}

export async function getViolation(q: Queryable, id: string, forUpdate = false): Promise<ViolationRow | null> {
  const r = await q.query(`${SELECT} WHERE v.id = $1${forUpdate ? ' FOR UPDATE OF v' : ''}`, [id]);
  return r.rows[0] ? toRow(r.rows[0]) : null;
}

export async function listViolations(
  q: Queryable,
  f: { state?: ViolationState | 'active'; source?: ViolationSource; limit: number; offset: number },
): Promise<{ items: ViolationRow[]; total: number }> {
  const where = `WHERE ($1::text IS NULL OR ($1 = 'active' AND v.state <> 'closed') OR v.state = $1) AND ($2::text IS NULL OR v.source = $2)`;
  const params = [f.state ?? null, f.source ?? null];
  const [rows, count] = await Promise.all([
    q.query(`${SELECT} ${where} ORDER BY v.created_at DESC, v.id LIMIT $3 OFFSET $4`, [...params, f.limit, f.offset]),
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM violation v ${where}`, params),
  ]);
  return { items: rows.rows.map(toRow), total: count.rows[0]?.n ?? 0 };
}

export async function updateViolation(
  q: Queryable,
  id: string,
  v: { state: ViolationState; assigneeId: string | null; finding: string | null; findingNote: string | null; closedAt: Date | null; at: Date },
): Promise<void> {
  await q.query(
    `UPDATE violation SET state = $2, assignee_id = $3, finding = $4, finding_note = $5, closed_at = $6, updated_at = $7 WHERE id = $1`,
    [id, v.state, v.assigneeId, v.finding, v.findingNote, v.closedAt, v.at],
  );
}

export async function countBySource(q: Queryable): Promise<Record<string, { open: number; closed: number; confirmed: number }>> {
  const r = await q.query<{ source: string; open: number; closed: number; confirmed: number }>(
    `SELECT source, count(*) FILTER (WHERE state <> 'closed')::int AS open, count(*) FILTER (WHERE state = 'closed')::int AS closed,
            count(*) FILTER (WHERE finding = 'confirmed')::int AS confirmed FROM violation GROUP BY source`,
  );
  return Object.fromEntries(r.rows.map((x) => [x.source, { open: x.open, closed: x.closed, confirmed: x.confirmed }]));
}
