/**
 * SQL of the dossiers room: dossier rows (the rules' state as JSON plus the columns queues and lists need), their
 * components with bases and evidence, the append-only history, consents and R3 violation attempts.
 */
import type { Queryable } from '../platform/db/db.ts';
import { PORTAL_STATUS_CODE, type DossierEvent, type DossierState, type DossierStatus } from './rules.ts';
import type { InboxFields } from './processing/rules.ts';

// ---------------------------------------------------------------------------------------------------------------
// State (de)serialisation: JSON keeps instants as ISO strings; the rules want Dates.

type Json = Record<string, unknown>;

const d = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

/** Rebuilds a DossierState from its stored JSON (every instant back to a Date). */
export function reviveState(raw: Json): DossierState {
  const s = raw as unknown as DossierState & Json;
  const req = (r: DossierState['completionRequest']) => (r ? { ...r, at: d(r.at)!, answeredAt: d(r.answeredAt) } : null);
  return {
    ...s,
    submittedAt: d(s.submittedAt),
    receivedAt: d(s.receivedAt),
    lastEventAt: d(s.lastEventAt),
    resultReturnedAt: d(s.resultReturnedAt),
    pauses: (s.pauses ?? []).map((p) => ({ start: d(p.start)!, end: d(p.end) })),
    completionRequest: req(s.completionRequest),
    supplementRequest: req(s.supplementRequest),
    route: (s.route ?? []).map((st) => ({ ...st, startedAt: d(st.startedAt), endedAt: d(st.endedAt) })),
    financialObligation: s.financialObligation
      ? { ...s.financialObligation, issuedAt: d(s.financialObligation.issuedAt)!, paidAt: d(s.financialObligation.paidAt) }
      : null,
    approval: s.approval ? { ...s.approval, at: d(s.approval.at)! } : null,
    result: s.result ? { ...s.result, readyAt: d(s.result.readyAt)! } : null,
    apologies: (s.apologies ?? []).map((a) => ({ ...a, at: d(a.at)! })),
    closure: s.closure ? { ...s.closure, at: d(s.closure.at)! } : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Dossier rows

export interface DossierRow {
  id: string;
  code: string | null;
  procedureId: string;
  processId: string;
  applicantSubjectId: string;
  applicantKind: 'citizen' | 'business';
  submittedBy: string;
  consentId: string | null;
  channel: 'online' | 'counter';
  status: DossierStatus;
  receivingAgencyId: string;
  currentAgencyId: string;
  submittedAt: Date | null;
  receivedAt: Date | null;
  dueAt: Date | null;
  state: DossierState;
  version: number;
  statusSecretHash: string;
  /** Typed at the counter for a walk-in; null online (the applicant's account has the name). */
  applicantName: string | null;
  applicantContact: ApplicantContact | null;
  assigneeId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApplicantContact {
  email?: string;
  phone?: string;
  address?: string;
}

interface RawRow {
  id: string;
  code: string | null;
  procedure_id: string;
  process_id: string;
  applicant_subject_id: string;
  applicant_kind: 'citizen' | 'business';
  submitted_by: string;
  consent_id: string | null;
  channel: 'online' | 'counter';
  status: DossierStatus;
  receiving_agency_id: string;
  current_agency_id: string;
  submitted_at: Date | null;
  received_at: Date | null;
  due_at: Date | null;
  state: Json;
  version: number;
  status_secret_hash: string;
  applicant_name: string | null;
  applicant_contact: Json | null;
  assignee_id: string | null;
  created_at: Date;
  updated_at: Date;
}

function toRow(r: RawRow): DossierRow {
  return {
    id: r.id,
    code: r.code,
    procedureId: r.procedure_id,
    processId: r.process_id,
    applicantSubjectId: r.applicant_subject_id,
    applicantKind: r.applicant_kind,
    submittedBy: r.submitted_by,
    consentId: r.consent_id,
    channel: r.channel,
    status: r.status,
    receivingAgencyId: r.receiving_agency_id,
    currentAgencyId: r.current_agency_id,
    submittedAt: d(r.submitted_at),
    receivedAt: d(r.received_at),
    dueAt: d(r.due_at),
    state: reviveState(typeof r.state === 'string' ? (JSON.parse(r.state) as Json) : r.state),
    version: r.version,
    statusSecretHash: r.status_secret_hash,
    applicantName: r.applicant_name ?? null,
    applicantContact: (typeof r.applicant_contact === 'string' ? JSON.parse(r.applicant_contact) : (r.applicant_contact ?? null)) as ApplicantContact | null,
    assigneeId: r.assignee_id ?? null,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

export interface DossierInsert {
  id: string;
  code: string | null;
  procedureId: string;
  processId: string;
  submittedBy: string;
  consentId: string | null;
  receivingAgencyId: string;
  currentAgencyId: string;
  dueAt: Date | null;
  inbox: InboxFields;
  state: DossierState;
  statusSecretHash: string;
  applicantName?: string | null;
  applicantContact?: ApplicantContact | null;
  at: Date;
}

export async function insertDossier(q: Queryable, x: DossierInsert): Promise<void> {
  const s = x.state;
  await q.query(
    `INSERT INTO dossier (id, code, procedure_id, process_id, applicant_subject_id, applicant_kind, submitted_by, consent_id, channel,
       status, portal_status, receiving_agency_id, current_agency_id, submitted_at, received_at, due_at, state, version,
       status_secret_hash, created_at, updated_at, applicant_name, applicant_contact, step_index, step_role, step_due_at, step_soon_at, step_kind)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, $21, $22, $23, $24, $25, $26, $27)`,
    [
      x.id,
      x.code,
      x.procedureId,
      x.processId,
      s.applicant.subjectId,
      s.applicant.kind,
      x.submittedBy,
      x.consentId,
      s.channel,
      s.status,
      PORTAL_STATUS_CODE[s.status],
      x.receivingAgencyId,
      x.currentAgencyId,
      s.submittedAt,
      s.receivedAt,
      x.dueAt,
      JSON.stringify(s),
      s.version,
      x.statusSecretHash,
      x.at,
      x.applicantName ?? null,
      x.applicantContact ? JSON.stringify(x.applicantContact) : null,
      x.inbox.stepIndex,
      x.inbox.stepRole,
      x.inbox.stepDueAt,
      x.inbox.stepSoonAt,
      x.inbox.stepKind,
    ],
  );
}

/**
 * Writes the state the rules decided, only if nobody changed the dossier since it was read (optimistic
 * concurrency). Returns false when the version moved on: the caller answers 409.
 */
export async function updateDossierState(
  q: Queryable,
  x: {
    id: string;
    expectedVersion: number;
    state: DossierState;
    currentAgencyId: string;
    dueAt: Date | null;
    inbox: InboxFields;
    /** The current step's assignee: kept, cleared (a new step) or set. */
    assignee: 'keep' | string | null;
    at: Date;
    code?: string;
  },
): Promise<boolean> {
  const s = x.state;
  const i = x.inbox;
  const r = await q.query(
    `UPDATE dossier SET status = $3, portal_status = $4, current_agency_id = $5, received_at = $6, due_at = $7, state = $8,
       version = $9, updated_at = $10, code = coalesce($11, code), step_index = $12, step_role = $13, step_due_at = $14,
       step_soon_at = $15, assignee_id = CASE WHEN $16::boolean THEN assignee_id ELSE $17::uuid END, step_kind = $18
     WHERE id = $1 AND version = $2 RETURNING id`,
    [
      x.id,
      x.expectedVersion,
      s.status,
      PORTAL_STATUS_CODE[s.status],
      x.currentAgencyId,
      s.receivedAt,
      x.dueAt,
      JSON.stringify(s),
      s.version,
      x.at,
      x.code ?? null,
      i.stepIndex,
      i.stepRole,
      i.stepDueAt,
      i.stepSoonAt,
      x.assignee === 'keep',
      x.assignee === 'keep' ? null : x.assignee,
      i.stepKind,
    ],
  );
  return r.rowCount === 1;
}

export async function setStatusSecretHash(q: Queryable, id: string, hash: string): Promise<void> {
  await q.query('UPDATE dossier SET status_secret_hash = $2 WHERE id = $1', [id, hash]);
}

const SELECT = 'SELECT * FROM dossier';

/**
 * One dossier by id. `forUpdate` locks the row until the transaction ends: a concurrent decision waits, then reads
 * the state the first one wrote (so the rules, not a lost update, decide what the second one may do).
 */
export async function getDossier(q: Queryable, id: string, forUpdate = false): Promise<DossierRow | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const r = await q.query<RawRow>(`${SELECT} WHERE id = $1::uuid${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ? toRow(r.rows[0]) : null;
}

export async function getDossierByCode(q: Queryable, code: string): Promise<DossierRow | null> {
  const r = await q.query<RawRow>(`${SELECT} WHERE code = $1`, [code]);
  return r.rows[0] ? toRow(r.rows[0]) : null;
}

/** Online dossiers waiting for a reception decision at these agencies, oldest first. */
export async function listQueue(q: Queryable, agencyIds: readonly string[], limit: number, offset: number): Promise<DossierRow[]> {
  if (!agencyIds.length) return [];
  const r = await q.query<RawRow>(
    `${SELECT} WHERE status = 'new' AND channel = 'online' AND receiving_agency_id = ANY($1::uuid[])
     ORDER BY submitted_at, id LIMIT $2 OFFSET $3`,
    [agencyIds, limit, offset],
  );
  return r.rows.map(toRow);
}

/** An applicant's dossiers: those of their subject id, and those they submitted (as an agent). */
export async function listForApplicant(
  q: Queryable,
  who: { userId: string; subjectId: string | null },
  limit: number,
  offset: number,
): Promise<DossierRow[]> {
  const r = await q.query<RawRow>(
    `${SELECT} WHERE submitted_by = $1::uuid OR ($2::text IS NOT NULL AND applicant_subject_id = $2::text)
     ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
    [who.userId, who.subjectId, limit, offset],
  );
  return r.rows.map(toRow);
}

// ---------------------------------------------------------------------------------------------------------------
// Components

export interface ComponentRow {
  componentKey: string;
  basis: string | null;
  exemptReason: string | null;
  evidence: Json;
  documentId: string | null;
}

/**
 * Inserts (or replaces) components of one dossier in one statement. A component supplied after a completion request
 * replaces what was there (missing or invalid); the dossier's history keeps what happened, the row holds the
 * evidence in force. Keys must be distinct within one call.
 */
export async function insertComponents(q: Queryable, dossierId: string, rows: readonly ComponentRow[], at: Date): Promise<void> {
  if (!rows.length) return;
  await q.query(
    `INSERT INTO dossier_component (dossier_id, component_key, basis, exempt_reason, evidence, document_id, created_at)
     SELECT $1, x.component_key, x.basis, x.exempt_reason, x.evidence, x.document_id, $3
     FROM jsonb_to_recordset($2::jsonb) AS x(component_key text, basis text, exempt_reason text, evidence jsonb, document_id uuid)
     ON CONFLICT (dossier_id, component_key) DO UPDATE SET basis = EXCLUDED.basis, exempt_reason = EXCLUDED.exempt_reason,
       evidence = EXCLUDED.evidence, document_id = EXCLUDED.document_id, created_at = EXCLUDED.created_at`,
    [
      dossierId,
      JSON.stringify(rows.map((c) => ({ component_key: c.componentKey, basis: c.basis, exempt_reason: c.exemptReason, evidence: c.evidence, document_id: c.documentId }))),
      at,
    ],
  );
}

export async function listComponents(q: Queryable, dossierId: string): Promise<ComponentRow[]> {
  const r = await q.query<{ component_key: string; basis: string | null; exempt_reason: string | null; evidence: Json; document_id: string | null }>(
    'SELECT component_key, basis, exempt_reason, evidence, document_id FROM dossier_component WHERE dossier_id = $1 ORDER BY component_key',
    [dossierId],
  );
  return r.rows.map((x) => ({
    componentKey: x.component_key,
    basis: x.basis,
    exemptReason: x.exempt_reason,
    evidence: x.evidence,
    documentId: x.document_id,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// History

/** Appends the events in order; returns the sequence number given to each. */
export async function appendEvents(q: Queryable, dossierId: string, events: readonly DossierEvent[]): Promise<number[]> {
  if (!events.length) return [];
  // One statement numbers the events after the dossier's last one (the caller holds the dossier's row lock).
  const r = await q.query<{ seq: number }>(
    `INSERT INTO dossier_event (dossier_id, seq, type, at, actor, from_status, to_status, form, detail)
     SELECT $1, last.n + x.ord, x.type, x.at, x.actor, x.from_status, x.to_status, x.form, x.detail
     FROM (SELECT coalesce(max(seq), 0)::int AS n FROM dossier_event WHERE dossier_id = $1) AS last,
       jsonb_to_recordset($2::jsonb) AS x(ord int, type text, at timestamptz, actor jsonb, from_status text, to_status text, form text, detail jsonb)
     ORDER BY x.ord
     RETURNING seq`,
    [
      dossierId,
      JSON.stringify(
        events.map((e, i) => ({ ord: i + 1, type: e.type, at: e.at.toISOString(), actor: e.actor, from_status: e.fromStatus, to_status: e.toStatus, form: e.form, detail: e.detail })),
      ),
    ],
  );
  return r.rows.map((x) => Number(x.seq)).sort((a, b) => a - b);
}

export interface EventRow {
  seq: number;
  type: string;
  at: Date;
  actor: Json;
  fromStatus: string | null;
  toStatus: string;
  form: string | null;
  detail: Json;
}

export async function listEvents(q: Queryable, dossierId: string): Promise<EventRow[]> {
  const r = await q.query<{ seq: number; type: string; at: Date; actor: Json; from_status: string | null; to_status: string; form: string | null; detail: Json }>(
    'SELECT seq, type, at, actor, from_status, to_status, form, detail FROM dossier_event WHERE dossier_id = $1 ORDER BY seq',
    [dossierId],
  );
  return r.rows.map((x) => ({
    seq: x.seq,
    type: x.type,
    at: new Date(x.at),
    actor: x.actor,
    fromStatus: x.from_status,
    toStatus: x.to_status,
    form: x.form,
    detail: x.detail,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Consents and violations

export async function insertConsent(
  q: Queryable,
  x: { applicantSubjectId: string; grantedBy: string; agentUserId: string; at: Date },
): Promise<string> {
  const r = await q.query<{ id: string }>(
    'INSERT INTO applicant_consent (applicant_subject_id, granted_by, agent_user_id, granted_at) VALUES ($1, $2, $3, $4) RETURNING id',
    [x.applicantSubjectId, x.grantedBy, x.agentUserId, x.at],
  );
  return r.rows[0]!.id;
}

export async function findActiveConsent(q: Queryable, agentUserId: string, applicantSubjectId: string): Promise<string | null> {
  const r = await q.query<{ id: string }>(
    `SELECT id FROM applicant_consent WHERE agent_user_id = $1 AND applicant_subject_id = $2 AND revoked_at IS NULL
     ORDER BY granted_at DESC LIMIT 1`,
    [agentUserId, applicantSubjectId],
  );
  return r.rows[0]?.id ?? null;
}

export async function insertViolationAttempt(
  q: Queryable,
  x: { rule: string; code: string; dossierId: string; actorId: string | null; agencyId: string | null; action: string; details: Json; at: Date },
): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO violation_attempt (rule, code, dossier_id, actor_id, agency_id, action, details, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [x.rule, x.code, x.dossierId, x.actorId, x.agencyId, x.action, JSON.stringify(x.details), x.at],
  );
  return r.rows[0]!.id;
}

// ---------------------------------------------------------------------------------------------------------------
// Receipts (form 01)

export interface ReceiptRef {
  documentId: string;
  sha256: string;
  issuedAt: Date;
}

export async function getReceipt(q: Queryable, dossierId: string): Promise<ReceiptRef | null> {
  const r = await q.query<{ document_id: string; blob_sha256: string; issued_at: Date }>(
    'SELECT r.document_id, d.blob_sha256, r.issued_at FROM dossier_receipt r JOIN document d ON d.id = r.document_id WHERE r.dossier_id = $1',
    [dossierId],
  );
  const x = r.rows[0];
  return x ? { documentId: x.document_id, sha256: x.blob_sha256, issuedAt: new Date(x.issued_at) } : null;
}

/** Records the receipt; false when the dossier already has one (a concurrent issuer won). */
export async function insertReceipt(q: Queryable, dossierId: string, documentId: string, at: Date): Promise<boolean> {
  const r = await q.query('INSERT INTO dossier_receipt (dossier_id, document_id, issued_at) VALUES ($1, $2, $3) ON CONFLICT (dossier_id) DO NOTHING RETURNING dossier_id', [
    dossierId,
    documentId,
    at,
  ]);
  return r.rowCount === 1;
}

const EVENT_INSTANTS = ['stepDue', 'due', 'promisedDue', 'previousDue', 'newDue'] as const;

/** A stored event as the rules' DossierEvent (instants back to Dates), e.g. for the control sheet. */
export function reviveEvent(dossierId: string, e: EventRow): DossierEvent {
  const detail: Json = { ...e.detail };
  for (const k of EVENT_INSTANTS) if (typeof detail[k] === 'string') detail[k] = new Date(detail[k]);
  return { type: e.type, dossierId, at: e.at, actor: e.actor, fromStatus: e.fromStatus, toStatus: e.toStatus, form: e.form, detail } as unknown as DossierEvent;
}

/** The e-copy of a paper result scanned back in (processing/paper-result.ts), with who converted it. */
export interface PaperResultCopy {
  documentId: string;
  at: string;
  convertedBy: string;
}

export async function getPaperResultCopy(q: Queryable, dossierId: string): Promise<PaperResultCopy | null> {
  const r = await q.query<{ document_id: string; at: Date; name: string }>(
    `SELECT p.document_id, p.at, u.display_name AS name FROM result_paper_copy p JOIN app_user u ON u.id = p.converted_by WHERE p.dossier_id = $1`,
    [dossierId],
  );
  const x = r.rows[0];
  return x ? { documentId: x.document_id, at: new Date(x.at).toISOString(), convertedBy: x.name } : null;
}
