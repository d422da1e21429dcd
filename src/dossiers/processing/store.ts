/**
 * SQL of processing: the inboxes (open dossiers by agency, step role and assignee, most urgent first, with SLA
 * counts), assignment history, comments and working documents of steps.
 */
import type { Queryable } from '../../platform/db/db.ts';
import type { StepRole } from '../rules.ts';
import { OPEN_STATUSES } from './rules.ts';

export type InboxView = 'mine' | 'agency' | 'approval';
export type InboxSlaFilter = 'late' | 'due_soon' | 'on_time' | 'paused';

export interface InboxFilter {
  agencyIds: readonly string[];
  view: InboxView;
  userId: string;
  role: StepRole;
  sla?: InboxSlaFilter;
  procedureId?: string;
  /** Prefix of a dossier code. */
  code?: string;
  now: Date;
  limit: number;
  offset: number;
}

export interface InboxRow {
  id: string;
  code: string | null;
  procedureKey: string;
  procedureName: string;
  status: string;
  stepIndex: number | null;
  stepKind: string | null;
  stepRole: string | null;
  stepName: string | null;
  stepAgency: string | null;
  stepDueAt: Date | null;
  stepSoonAt: Date | null;
  dueAt: Date | null;
  receivedAt: Date | null;
  assigneeId: string | null;
  assigneeName: string | null;
  version: number;
}

export interface InboxCounts {
  total: number;
  late: number;
  dueSoon: number;
  onTime: number;
  paused: number;
}

const SLA_SQL: Record<InboxSlaFilter, string> = {
  late: `d.status <> 'supplement_requested' AND d.step_due_at < $NOW`,
  due_soon: `d.status <> 'supplement_requested' AND d.step_due_at >= $NOW AND d.step_soon_at <= $NOW`,
  on_time: `d.status <> 'supplement_requested' AND (d.step_due_at IS NULL OR (d.step_due_at >= $NOW AND d.step_soon_at > $NOW))`,
  paused: `d.status = 'supplement_requested'`,
};

/**
 * - `mine`: the caller's role holds the current step in their agencies, assigned to them or to nobody yet; a counter
 *   officer also sees processed dossiers of their branch waiting to be handed back;
 * - `agency`: every open dossier held by their agencies;
 * - `approval`: (leaders) dossiers at an approval step of their agencies.
 */
function where(f: InboxFilter, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  // One agency (the usual case) as a plain equality: `= ANY(array)` would keep PostgreSQL from reading the inbox index
  // in due order, and it would sort every matching row before the LIMIT.
  const inAgencies = (column: string) => (f.agencyIds.length === 1 ? `${column} = ${p(f.agencyIds[0])}::uuid` : `${column} = ANY(${p(f.agencyIds)}::uuid[])`);
  const clauses = [`d.status = ANY(${p([...OPEN_STATUSES])}::text[])`];
  if (f.view === 'mine') {
    const mine = `(${inAgencies('d.current_agency_id')} AND d.step_role = ${p(f.role)} AND (d.assignee_id IS NULL OR d.assignee_id = ${p(f.userId)}))`;
    clauses.push(f.role === 'counter_officer' ? `(${mine} OR (d.status = 'processed' AND ${inAgencies('d.receiving_agency_id')}))` : mine);
  } else if (f.view === 'approval') {
    clauses.push(`${inAgencies('d.current_agency_id')} AND d.step_kind = 'approval'`);
  } else {
    clauses.push(inAgencies('d.current_agency_id'));
  }
  if (f.procedureId) clauses.push(`d.procedure_id = ${p(f.procedureId)}`);
  if (f.code) clauses.push(`d.code LIKE ${p(`${f.code.replace(/[\\%_]/g, '\\$&')}%`)}`);
  if (f.sla) clauses.push(SLA_SQL[f.sla].replaceAll('$NOW', `${p(f.now)}::timestamptz`));
  return clauses.join(' AND ');
}

export async function listInbox(q: Queryable, f: InboxFilter): Promise<InboxRow[]> {
  const params: unknown[] = [];
  const w = where(f, params);
  params.push(f.limit, f.offset);
  const r = await q.query<{
    id: string;
    code: string | null;
    procedure_key: string;
    procedure_name: string;
    status: string;
    step_index: number | null;
    step_kind: string | null;
    step_role: string | null;
    step_name: string | null;
    step_agency: string | null;
    step_due_at: Date | null;
    step_soon_at: Date | null;
    due_at: Date | null;
    received_at: Date | null;
    assignee_id: string | null;
    assignee_name: string | null;
    version: number;
  }>(
    `SELECT d.id, d.code, p.key AS procedure_key, p.name AS procedure_name, d.status, d.step_index, d.step_kind, d.step_role,
            d.state->'route'->d.step_index->>'name' AS step_name, d.state->'route'->d.step_index->>'agency' AS step_agency,
            d.step_due_at, d.step_soon_at, d.due_at, d.received_at, d.assignee_id, u.display_name AS assignee_name, d.version
       FROM dossier d
       JOIN procedure p ON p.id = d.procedure_id
       LEFT JOIN app_user u ON u.id = d.assignee_id
      WHERE ${w}
      ORDER BY d.step_due_at ASC NULLS LAST, d.received_at ASC, d.id
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return r.rows.map((x) => ({
    id: x.id,
    code: x.code,
    procedureKey: x.procedure_key,
    procedureName: x.procedure_name,
    status: x.status,
    stepIndex: x.step_index,
    stepKind: x.step_kind,
    stepRole: x.step_role,
    stepName: x.step_name,
    stepAgency: x.step_agency,
    stepDueAt: x.step_due_at ? new Date(x.step_due_at) : null,
    stepSoonAt: x.step_soon_at ? new Date(x.step_soon_at) : null,
    dueAt: x.due_at ? new Date(x.due_at) : null,
    receivedAt: x.received_at ? new Date(x.received_at) : null,
    assigneeId: x.assignee_id,
    assigneeName: x.assignee_name,
    version: x.version,
  }));
}

/** Counts of the same selection by SLA state (the filter's own SLA choice left out, so the tabs show all four). */
export async function countInbox(q: Queryable, f: InboxFilter): Promise<InboxCounts> {
  const params: unknown[] = [];
  const w = where({ ...f, sla: undefined } as InboxFilter, params);
  params.push(f.now);
  const now = `$${params.length}::timestamptz`;
  const r = await q.query<{ total: number; late: number; due_soon: number; on_time: number; paused: number }>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE ${SLA_SQL.late.replaceAll('$NOW', now)})::int AS late,
            count(*) FILTER (WHERE ${SLA_SQL.due_soon.replaceAll('$NOW', now)})::int AS due_soon,
            count(*) FILTER (WHERE ${SLA_SQL.on_time.replaceAll('$NOW', now)})::int AS on_time,
            count(*) FILTER (WHERE ${SLA_SQL.paused})::int AS paused
       FROM dossier d WHERE ${w}`,
    params,
  );
  const x = r.rows[0]!;
  return { total: x.total, late: x.late, dueSoon: x.due_soon, onTime: x.on_time, paused: x.paused };
}

// ---------------------------------------------------------------------------------------------------------------
// Assignment, comments, working documents

export async function setAssignee(q: Queryable, dossierId: string, assigneeId: string | null): Promise<void> {
  await q.query('UPDATE dossier SET assignee_id = $2 WHERE id = $1', [dossierId, assigneeId]);
}

export interface AssignmentView {
  stepIndex: number;
  assigneeId: string;
  assigneeName: string;
  assignedById: string;
  assignedByName: string;
  note: string | null;
  at: Date;
}

export async function listAssignments(q: Queryable, dossierId: string): Promise<AssignmentView[]> {
  const r = await q.query<{ step_index: number; assignee_id: string; assignee: string; assigned_by: string; by_name: string; note: string | null; at: Date }>(
    `SELECT a.step_index, a.assignee_id, u.display_name AS assignee, a.assigned_by, b.display_name AS by_name, a.note, a.at
       FROM dossier_assignment a JOIN app_user u ON u.id = a.assignee_id JOIN app_user b ON b.id = a.assigned_by
      WHERE a.dossier_id = $1 ORDER BY a.at`,
    [dossierId],
  );
  return r.rows.map((x) => ({
    stepIndex: x.step_index,
    assigneeId: x.assignee_id,
    assigneeName: x.assignee,
    assignedById: x.assigned_by,
    assignedByName: x.by_name,
    note: x.note,
    at: new Date(x.at),
  }));
}

export interface CommentView {
  id: string;
  stepIndex: number | null;
  authorId: string;
  authorName: string;
  body: string;
  at: Date;
}

export async function insertComment(q: Queryable, c: { dossierId: string; stepIndex: number | null; authorId: string; body: string; at: Date }): Promise<string> {
  const r = await q.query<{ id: string }>(
    'INSERT INTO dossier_comment (dossier_id, step_index, author_id, body, at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [c.dossierId, c.stepIndex, c.authorId, c.body, c.at],
  );
  return r.rows[0]!.id;
}

export async function listComments(q: Queryable, dossierId: string): Promise<CommentView[]> {
  const r = await q.query<{ id: string; step_index: number | null; author_id: string; author: string; body: string; at: Date }>(
    `SELECT c.id, c.step_index, c.author_id, u.display_name AS author, c.body, c.at
       FROM dossier_comment c JOIN app_user u ON u.id = c.author_id WHERE c.dossier_id = $1 ORDER BY c.at, c.id`,
    [dossierId],
  );
  return r.rows.map((x) => ({ id: x.id, stepIndex: x.step_index, authorId: x.author_id, authorName: x.author, body: x.body, at: new Date(x.at) }));
}

export interface WorkingDocumentView {
  id: string;
  stepIndex: number | null;
  documentId: string;
  title: string;
  addedById: string;
  addedByName: string;
  pages: number | null;
  size: number;
  at: Date;
  /** Drafted from the procedure's result template (re-rendered with number and QR when signed). */
  fromTemplate: boolean;
}

export async function insertWorkingDocument(
  q: Queryable,
  w: { dossierId: string; stepIndex: number | null; documentId: string; title: string; addedBy: string; at: Date; draft?: unknown },
): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO dossier_working_document (dossier_id, step_index, document_id, title, added_by, at, draft)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [w.dossierId, w.stepIndex, w.documentId, w.title, w.addedBy, w.at, w.draft === undefined ? null : JSON.stringify(w.draft)],
  );
  return r.rows[0]!.id;
}

export async function listWorkingDocuments(q: Queryable, dossierId: string): Promise<WorkingDocumentView[]> {
  const r = await q.query<{
    id: string;
    step_index: number | null;
    document_id: string;
    title: string;
    added_by: string;
    by_name: string;
    pages: number | null;
    size: string | number;
    at: Date;
    from_template: boolean;
  }>(
    `SELECT w.id, w.step_index, w.document_id, w.title, w.added_by, u.display_name AS by_name, d.pages, b.size, w.at, w.draft IS NOT NULL AS from_template
       FROM dossier_working_document w JOIN app_user u ON u.id = w.added_by
       JOIN document d ON d.id = w.document_id JOIN blob b ON b.sha256 = d.blob_sha256
      WHERE w.dossier_id = $1 ORDER BY w.at, w.id`,
    [dossierId],
  );
  return r.rows.map((x) => ({
    id: x.id,
    stepIndex: x.step_index,
    documentId: x.document_id,
    title: x.title,
    addedById: x.added_by,
    addedByName: x.by_name,
    pages: x.pages,
    size: Number(x.size),
    at: new Date(x.at),
    fromTemplate: x.from_template,
  }));
}

/** Officers who may be given a step held by `agencyId` with `role` (leaders may take any step of their agency). */
export async function eligibleAssignees(q: Queryable, agencyId: string, role: StepRole): Promise<{ id: string; displayName: string; role: string }[]> {
  const r = await q.query<{ id: string; display_name: string; role: string }>(
    `SELECT id, display_name, role FROM app_user WHERE agency_id = $1 AND NOT disabled AND role = ANY($2::text[]) ORDER BY display_name`,
    [agencyId, role === 'leader' ? ['leader'] : [role, 'leader']],
  );
  return r.rows.map((x) => ({ id: x.id, displayName: x.display_name, role: x.role }));
}
