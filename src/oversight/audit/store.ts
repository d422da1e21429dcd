import type { Queryable } from '../../platform/db/db.ts';
import { chainHash, type AuditEventContent } from './rules.ts';

export interface AuditEventInput {
  type: string;
  at: Date;
  actor?: { userId: string; role: string } | null;
  agencyId?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  data?: Record<string, unknown>;
}

export interface AuditEventRow extends AuditEventContent {
  prevHash: string;
  hash: string;
}

/**
 * Appends one event to the chain. Call it inside the transaction of the change it records, so the change and its
 * event commit together; the head row lock orders concurrent appends. (Called on the bare pool instead, the lock
 * would end with its own statement and two concurrent appends could compete for the same seq; one then fails.)
 */
export async function appendAuditEvent(q: Queryable, input: AuditEventInput): Promise<{ seq: number; hash: string }> {
  const head = await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE');
  const prev = head.rows[0];
  if (!prev) throw new Error('audit_head row is missing: the audit log was not initialised');
  const event: AuditEventContent = {
    seq: Number(prev.seq) + 1,
    at: input.at,
    type: input.type,
    actorId: input.actor?.userId ?? null,
    actorRole: input.actor?.role ?? null,
    agencyId: input.agencyId ?? null,
    subjectType: input.subjectType ?? null,
    subjectId: input.subjectId ?? null,
    data: input.data ?? {},
  };
  const hash = chainHash(prev.hash, event);
  // One statement inserts the event and advances the head: the head lock taken above is held until the caller's
  // transaction commits, so every round trip saved here shortens the time other writers wait (bench/audit.ts).
  await q.query(
    `WITH appended AS (
       INSERT INTO audit_event (seq, at, type, actor_id, actor_role, agency_id, subject_type, subject_id, data, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING seq, hash)
     UPDATE audit_head SET seq = appended.seq, hash = appended.hash FROM appended WHERE audit_head.id = 1`,
    [
      event.seq,
      event.at,
      event.type,
      event.actorId,
      event.actorRole,
      event.agencyId,
      event.subjectType,
      event.subjectId,
      JSON.stringify(event.data),
      prev.hash,
      hash,
    ],
  );
  return { seq: event.seq, hash };
}

/** An `audit_event` row as the drivers return it. */
export interface AuditEventDbRow {
  seq: number;
  at: Date | string;
  type: string;
  actor_id: string | null;
  actor_role: string | null;
  agency_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export function toAuditEventRow(row: AuditEventDbRow): AuditEventRow {
  return {
    seq: Number(row.seq),
    at: new Date(row.at),
    type: row.type,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    agencyId: row.agency_id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Events with `fromSeq <= seq <= toSeq`, in seq order: the verifier reads the whole log this way, batch by batch. */
export async function listAuditEvents(
  q: Queryable,
  range: { fromSeq?: number; toSeq?: number; limit?: number } = {},
): Promise<AuditEventRow[]> {
  const r = await q.query<AuditEventDbRow>(
    `SELECT * FROM audit_event WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
    [range.fromSeq ?? 0, range.toSeq ?? Number.MAX_SAFE_INTEGER, range.limit ?? 100_000],
  );
  return r.rows.map(toAuditEventRow);
}
