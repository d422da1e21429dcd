/**
 * SQL of the catalog room. Every function takes a `Queryable`, so it runs on the database or inside a caller's
 * transaction. Rows are returned in the import/export vocabulary (agency codes, not ids) plus their ids.
 */
import type { Queryable } from '../platform/db/db.ts';
import { procedureSearchText } from './rules.ts';
import type {
  AgencyInput,
  AgencyKind,
  Channel,
  ComponentInput,
  Deadline,
  ProcedureFields,
  ProcedureLevel,
  StepInput,
  ValidityBasis,
} from './schema.ts';

export interface AgencyView {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  kind: AgencyKind;
  parentId: string | null;
  parentCode: string | null;
  gsoCode: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  address: string | null;
}

const AGENCY_SELECT = `SELECT a.id, a.code, a.name, a.name_en AS "nameEn", a.kind, a.parent_id AS "parentId", p.code AS "parentCode",
  a.gso_code AS "gsoCode", to_char(a.effective_from, 'YYYY-MM-DD') AS "effectiveFrom",
  to_char(a.effective_to, 'YYYY-MM-DD') AS "effectiveTo", a.address
  FROM agency a LEFT JOIN agency p ON p.id = a.parent_id`;

export async function listAgencies(q: Queryable, filter: { kind?: string; activeOn?: string } = {}): Promise<AgencyView[]> {
  const r = await q.query<AgencyView>(
    `${AGENCY_SELECT}
     WHERE ($1::text IS NULL OR a.kind = $1)
       AND ($2::date IS NULL OR ((a.effective_from IS NULL OR a.effective_from <= $2::date) AND (a.effective_to IS NULL OR a.effective_to >= $2::date)))
     ORDER BY a.code`,
    [filter.kind ?? null, filter.activeOn ?? null],
  );
  return r.rows;
}

export async function getAgency(q: Queryable, idOrCode: string): Promise<AgencyView | null> {
  const byId = /^[0-9a-f-]{36}$/i.test(idOrCode);
  const r = await q.query<AgencyView>(`${AGENCY_SELECT} WHERE ${byId ? 'a.id = $1::uuid' : 'a.code = $1'}`, [idOrCode]);
  return r.rows[0] ?? null;
}

/** Agencies by code, in one query; codes not found are absent from the map. */
export async function getAgenciesByCode(q: Queryable, codes: readonly string[]): Promise<Map<string, AgencyView>> {
  const r = await q.query<AgencyView>(`${AGENCY_SELECT} WHERE a.code = ANY($1::text[])`, [[...new Set(codes)]]);
  return new Map(r.rows.map((a) => [a.code, a]));
}

/** code → id of every agency. */
export async function agencyIdsByCode(q: Queryable): Promise<Map<string, string>> {
  const r = await q.query<{ id: string; code: string }>('SELECT id, code FROM agency');
  return new Map(r.rows.map((x) => [x.code, x.id]));
}

export async function insertAgency(q: Queryable, a: AgencyInput, parentId: string | null, now: Date): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO agency (code, name, name_en, kind, parent_id, gso_code, effective_from, effective_to, address, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
    [a.code, a.name, a.nameEn ?? null, a.kind, parentId, a.gsoCode ?? null, a.effectiveFrom ?? null, a.effectiveTo ?? null, a.address ?? null, now],
  );
  return r.rows[0]!.id;
}

export async function updateAgency(q: Queryable, id: string, a: AgencyInput, parentId: string | null, now: Date): Promise<void> {
  await q.query(
    `UPDATE agency SET code = $2, name = $3, name_en = $4, kind = $5, parent_id = $6, gso_code = $7, effective_from = $8,
       effective_to = $9, address = $10, updated_at = $11 WHERE id = $1`,
    [id, a.code, a.name, a.nameEn ?? null, a.kind, parentId, a.gsoCode ?? null, a.effectiveFrom ?? null, a.effectiveTo ?? null, a.address ?? null, now],
  );
}

/** True when `ancestorId` is `id` itself or above it in the tree (a parent change would create a loop). */
export async function isSelfOrDescendant(q: Queryable, id: string, candidateParentId: string): Promise<boolean> {
  const r = await q.query<{ found: boolean }>(
    `WITH RECURSIVE up(id, parent_id, depth) AS (
       SELECT id, parent_id, 0 FROM agency WHERE id = $2::uuid
       UNION ALL SELECT a.id, a.parent_id, up.depth + 1 FROM agency a JOIN up ON a.id = up.parent_id WHERE up.depth < 64)
     SELECT EXISTS (SELECT 1 FROM up WHERE id = $1::uuid) AS found`,
    [id, candidateParentId],
  );
  return Boolean(r.rows[0]?.found);
}

// ---------------------------------------------------------------------------------------------------------------
// Procedures

export interface ProcedureView extends ProcedureFields {
  id: string;
  active: boolean;
  competentAgencyName: string | null;
  updatedAt: Date;
}

interface ProcedureRow {
  id: string;
  key: string;
  national_code: string | null;
  name: string;
  field: string;
  level: ProcedureLevel;
  competent_code: string | null;
  competent_name: string | null;
  receiving: string[] | null;
  channels: Channel[];
  deadline_value: number;
  deadline_unit: Deadline['unit'];
  deadline_note: string | null;
  cutoff: string;
  fees: ProcedureFields['fees'];
  result: ProcedureFields['result'];
  post_audit: ProcedureFields['postAudit'];
  legal_basis: string | null;
  source_url: string | null;
  active: boolean;
  updated_at: Date;
}

const PROCEDURE_SELECT = `SELECT p.id, p.key, p.national_code, p.name, p.field, p.level, ca.code AS competent_code, ca.name AS competent_name,
  (SELECT array_agg(a.code ORDER BY a.code) FROM procedure_receiving_agency r JOIN agency a ON a.id = r.agency_id WHERE r.procedure_id = p.id) AS receiving,
  p.channels, p.deadline_value::float8 AS deadline_value, p.deadline_unit, p.deadline_note, p.cutoff, p.fees, p.result, p.post_audit,
  p.legal_basis, p.source_url, p.active, p.updated_at
  FROM procedure p LEFT JOIN agency ca ON ca.id = p.competent_agency_id`;

function toProcedure(r: ProcedureRow): ProcedureView {
  return {
    id: r.id,
    key: r.key,
    nationalCode: r.national_code,
    name: r.name,
    field: r.field,
    level: r.level,
    competentAgency: r.competent_code,
    competentAgencyName: r.competent_name,
    receivingAgencies: r.receiving ?? [],
    channels: r.channels,
    deadline: { value: Number(r.deadline_value), unit: r.deadline_unit, note: r.deadline_note },
    cutoff: r.cutoff,
    fees: r.fees,
    result: r.result,
    postAudit: r.post_audit,
    legalBasis: r.legal_basis,
    sourceUrl: r.source_url,
    active: r.active,
    updatedAt: new Date(r.updated_at),
  };
}

export interface ProcedureFilter {
  /** Folded search terms (every one must occur). */
  terms?: string[];
  field?: string;
  /** Agency id: competent or receiving. */
  agencyId?: string;
  level?: ProcedureLevel;
  includeInactive?: boolean;
  limit?: number;
  offset?: number;
}

export async function listProcedures(q: Queryable, f: ProcedureFilter = {}): Promise<{ items: ProcedureView[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (!f.includeInactive) where.push('p.active');
  // Terms are folded a–z/0–9 words, so LIKE metacharacters cannot occur in them.
  for (const t of f.terms ?? []) where.push(`p.search_text LIKE '%' || ${p(t)} || '%'`);
  if (f.field) where.push(`p.field = ${p(f.field)}`);
  if (f.level) where.push(`p.level = ${p(f.level)}`);
  if (f.agencyId) {
    const a = p(f.agencyId);
    // A commune-level procedure (no fixed competent agency) is offered by every commune.
    where.push(`(p.competent_agency_id = ${a}::uuid OR EXISTS (SELECT 1 FROM procedure_receiving_agency r WHERE r.procedure_id = p.id AND r.agency_id = ${a}::uuid)
      OR (p.level = 'commune' AND p.competent_agency_id IS NULL AND EXISTS (SELECT 1 FROM agency c WHERE c.id = ${a}::uuid AND c.kind = 'commune')))`);
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM procedure p ${whereSql}`, params);
  const limit = p(Math.min(Math.max(f.limit ?? 50, 1), 500));
  const offset = p(Math.max(f.offset ?? 0, 0));
  const r = await q.query<ProcedureRow>(`${PROCEDURE_SELECT} ${whereSql} ORDER BY p.field, p.name, p.key LIMIT ${limit} OFFSET ${offset}`, params);
  return { items: r.rows.map(toProcedure), total: total.rows[0]?.n ?? 0 };
}

export async function getProcedure(q: Queryable, idOrKey: string): Promise<ProcedureView | null> {
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrKey);
  const r = await q.query<ProcedureRow>(`${PROCEDURE_SELECT} WHERE ${byId ? 'p.id = $1::uuid' : 'p.key = $1'}`, [idOrKey]);
  return r.rows[0] ? toProcedure(r.rows[0]) : null;
}

export async function listFields(q: Queryable): Promise<{ field: string; count: number }[]> {
  const r = await q.query<{ field: string; count: number }>(
    'SELECT field, count(*)::int AS count FROM procedure WHERE active GROUP BY field ORDER BY field',
  );
  return r.rows;
}

/** Inserts or updates (by key) a procedure's own fields and its receiving agencies; returns its id. */
export async function upsertProcedure(
  q: Queryable,
  p: ProcedureFields,
  ids: { competentAgencyId: string | null; receivingAgencyIds: string[] },
  now: Date,
): Promise<{ id: string; created: boolean }> {
  const r = await q.query<{ id: string; created: boolean }>(
    `INSERT INTO procedure (key, national_code, name, field, level, competent_agency_id, channels, deadline_value, deadline_unit,
       deadline_note, cutoff, fees, result, post_audit, legal_basis, source_url, active, search_text, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)
     ON CONFLICT (key) DO UPDATE SET national_code = EXCLUDED.national_code, name = EXCLUDED.name, field = EXCLUDED.field,
       level = EXCLUDED.level, competent_agency_id = EXCLUDED.competent_agency_id, channels = EXCLUDED.channels,
       deadline_value = EXCLUDED.deadline_value, deadline_unit = EXCLUDED.deadline_unit, deadline_note = EXCLUDED.deadline_note,
       cutoff = EXCLUDED.cutoff, fees = EXCLUDED.fees, result = EXCLUDED.result, post_audit = EXCLUDED.post_audit,
       legal_basis = EXCLUDED.legal_basis, source_url = EXCLUDED.source_url, active = EXCLUDED.active,
       search_text = EXCLUDED.search_text, updated_at = EXCLUDED.updated_at
     RETURNING id, (xmax = 0) AS created`,
    [
      p.key,
      p.nationalCode,
      p.name,
      p.field,
      p.level,
      ids.competentAgencyId,
      p.channels,
      p.deadline.value,
      p.deadline.unit,
      p.deadline.note ?? null,
      p.cutoff,
      JSON.stringify(p.fees),
      JSON.stringify(p.result),
      JSON.stringify(p.postAudit),
      p.legalBasis ?? null,
      p.sourceUrl ?? null,
      p.active ?? true,
      procedureSearchText(p),
      now,
    ],
  );
  const row = r.rows[0]!;
  await q.query('DELETE FROM procedure_receiving_agency WHERE procedure_id = $1', [row.id]);
  if (ids.receivingAgencyIds.length) {
    await q.query(
      'INSERT INTO procedure_receiving_agency (procedure_id, agency_id) SELECT $1, unnest($2::uuid[])',
      [row.id, ids.receivingAgencyIds],
    );
  }
  return { id: row.id, created: Boolean(row.created) };
}

export async function setProcedureActive(q: Queryable, id: string, active: boolean, now: Date): Promise<void> {
  await q.query('UPDATE procedure SET active = $2, updated_at = $3 WHERE id = $1', [id, active, now]);
}

// ---------------------------------------------------------------------------------------------------------------
// Components

export interface ComponentView extends ComponentInput {
  id: string;
  position: number;
  active: boolean;
}

interface ComponentRow {
  id: string;
  key: string;
  position: number;
  name: string;
  required: boolean;
  input: 'upload' | 'form';
  form_template: ComponentInput['formTemplate'];
  copies: number;
  document_type: string | null;
  accepted_bases: ValidityBasis[];
  exempt_reason: NonNullable<ComponentInput['exempt']>['reason'] | null;
  exempt_note: string | null;
  note: string | null;
  active: boolean;
}

function toComponent(r: ComponentRow): ComponentView {
  return {
    id: r.id,
    key: r.key,
    position: r.position,
    name: r.name,
    required: r.required,
    input: r.input,
    formTemplate: r.form_template ?? null,
    copies: r.copies,
    documentType: r.document_type,
    acceptedBases: r.accepted_bases,
    exempt: r.exempt_reason ? { reason: r.exempt_reason, note: r.exempt_note } : null,
    note: r.note,
    active: r.active,
  };
}

export async function listComponents(q: Queryable, procedureId: string, includeInactive = false): Promise<ComponentView[]> {
  const r = await q.query<ComponentRow>(
    `SELECT id, key, position, name, required, input, form_template, copies, document_type, accepted_bases, exempt_reason, exempt_note, note, active
     FROM procedure_component WHERE procedure_id = $1 AND ($2 OR active) ORDER BY position, key`,
    [procedureId, includeInactive],
  );
  return r.rows.map(toComponent);
}

export async function getComponent(q: Queryable, id: string): Promise<(ComponentView & { procedureId: string }) | null> {
  const r = await q.query<ComponentRow & { procedure_id: string }>(
    `SELECT id, procedure_id, key, position, name, required, input, form_template, copies, document_type, accepted_bases, exempt_reason, exempt_note, note, active
     FROM procedure_component WHERE id = $1::uuid`,
    [id],
  );
  const row = r.rows[0];
  return row ? { ...toComponent(row), procedureId: row.procedure_id } : null;
}

/** Inserts or updates (by procedure and key) one component, which becomes active again if it was retired. */
export async function upsertComponent(q: Queryable, procedureId: string, c: ComponentInput, position: number): Promise<{ id: string; created: boolean }> {
  const r = await q.query<{ id: string; created: boolean }>(
    `INSERT INTO procedure_component (procedure_id, key, position, name, required, input, form_template, copies, document_type,
       accepted_bases, exempt_reason, exempt_note, note, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, true)
     ON CONFLICT (procedure_id, key) DO UPDATE SET position = EXCLUDED.position, name = EXCLUDED.name, required = EXCLUDED.required,
       input = EXCLUDED.input, form_template = EXCLUDED.form_template, copies = EXCLUDED.copies, document_type = EXCLUDED.document_type,
       accepted_bases = EXCLUDED.accepted_bases, exempt_reason = EXCLUDED.exempt_reason, exempt_note = EXCLUDED.exempt_note,
       note = EXCLUDED.note, active = true
     RETURNING id, (xmax = 0) AS created`,
    [
      procedureId,
      c.key,
      position,
      c.name,
      c.required,
      c.input,
      c.formTemplate ? JSON.stringify(c.formTemplate) : null,
      c.copies,
      c.documentType ?? null,
      c.acceptedBases,
      c.exempt?.reason ?? null,
      c.exempt?.note ?? null,
      c.note ?? null,
    ],
  );
  return { id: r.rows[0]!.id, created: Boolean(r.rows[0]!.created) };
}

/** Retires the components of a procedure whose keys are not in `keep`; returns the retired keys. */
export async function retireComponentsExcept(q: Queryable, procedureId: string, keep: string[]): Promise<string[]> {
  const r = await q.query<{ key: string }>(
    'UPDATE procedure_component SET active = false WHERE procedure_id = $1 AND active AND NOT (key = ANY($2::text[])) RETURNING key',
    [procedureId, keep],
  );
  return r.rows.map((x) => x.key);
}

export async function setComponentActive(q: Queryable, id: string, active: boolean): Promise<void> {
  await q.query('UPDATE procedure_component SET active = $2 WHERE id = $1', [id, active]);
}

export async function nextComponentPosition(q: Queryable, procedureId: string): Promise<number> {
  const r = await q.query<{ n: number }>('SELECT COALESCE(max(position), 0)::int + 1 AS n FROM procedure_component WHERE procedure_id = $1', [procedureId]);
  return r.rows[0]?.n ?? 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Internal processes (immutable versions)

export interface ProcessView {
  id: string;
  procedureId: string;
  /** Agency code; null = default process of a commune-level procedure. */
  agency: string | null;
  agencyName: string | null;
  version: number;
  deadline: { value: number; unit: Deadline['unit'] };
  totalHours: number;
  note: string | null;
  createdAt: Date;
  steps: (StepInput & { position: number })[];
}

interface ProcessRow {
  id: string;
  procedure_id: string;
  agency_code: string | null;
  agency_name: string | null;
  version: number;
  deadline_value: number;
  deadline_unit: Deadline['unit'];
  total_hours: number;
  note: string | null;
  created_at: Date;
  steps: ProcessView['steps'];
}

/** A process row with its steps, which PROCESS_SELECT gathers in the same query. */
function toProcess(r: ProcessRow): ProcessView {
  return {
    id: r.id,
    procedureId: r.procedure_id,
    agency: r.agency_code,
    agencyName: r.agency_name,
    version: r.version,
    deadline: { value: Number(r.deadline_value), unit: r.deadline_unit },
    totalHours: Number(r.total_hours),
    note: r.note,
    createdAt: new Date(r.created_at),
    steps: r.steps.map((st) => ({ ...st, quotaHours: Number(st.quotaHours) })),
  };
}

const PROCESS_SELECT = `SELECT ip.id, ip.procedure_id, a.code AS agency_code, a.name AS agency_name, ip.version,
  ip.deadline_value::float8 AS deadline_value, ip.deadline_unit, ip.total_hours::float8 AS total_hours, ip.note, ip.created_at,
  coalesce((SELECT jsonb_agg(jsonb_build_object('position', s.position, 'kind', s.kind, 'name', s.name, 'role', s.role,
      'agency', sa.code, 'quotaHours', s.quota_hours::float8) ORDER BY s.position)
    FROM process_step s LEFT JOIN agency sa ON sa.id = s.agency_id WHERE s.process_id = ip.id), '[]'::jsonb) AS steps
  FROM internal_process ip LEFT JOIN agency a ON a.id = ip.agency_id`;

/** Every version of every agency's process for a procedure, newest version first per agency. */
export async function listProcesses(q: Queryable, procedureId: string, latestOnly = false): Promise<ProcessView[]> {
  const r = await q.query<ProcessRow>(
    `${PROCESS_SELECT} WHERE ip.procedure_id = $1
       AND (NOT $2 OR ip.version = (SELECT max(v.version) FROM internal_process v WHERE v.procedure_id = ip.procedure_id
            AND v.agency_id IS NOT DISTINCT FROM ip.agency_id))
     ORDER BY a.code NULLS FIRST, ip.version DESC`,
    [procedureId, latestOnly],
  );
  return r.rows.map(toProcess);
}

export async function getProcess(q: Queryable, id: string): Promise<ProcessView | null> {
  const r = await q.query<ProcessRow>(`${PROCESS_SELECT} WHERE ip.id = $1::uuid`, [id]);
  return r.rows[0] ? toProcess(r.rows[0]) : null;
}

/**
 * The process a dossier received now by `agencyId` follows: that agency's latest version, else (commune-level
 * procedures) the latest default version. Intake stores the returned id with the dossier.
 */
export async function currentProcessFor(q: Queryable, procedureId: string, agencyId: string): Promise<ProcessView | null> {
  const r = await q.query<ProcessRow>(
    `${PROCESS_SELECT} WHERE ip.procedure_id = $1::uuid AND (ip.agency_id = $2::uuid OR ip.agency_id IS NULL)
     ORDER BY (ip.agency_id IS NULL), ip.version DESC LIMIT 1`,
    [procedureId, agencyId],
  );
  return r.rows[0] ? toProcess(r.rows[0]) : null;
}

/**
 * Writes the next version of the process of (procedure, agency). The version number is taken under a lock on the
 * procedure row, so two administrators saving at once get versions n+1 and n+2, never a clash.
 */
export async function insertProcessVersion(
  q: Queryable,
  input: {
    procedureId: string;
    agencyId: string | null;
    deadline: { value: number; unit: Deadline['unit'] };
    totalHours: number;
    note: string | null;
    steps: { kind: StepInput['kind']; name: string; role: StepInput['role']; agencyId: string | null; quotaHours: number }[];
  },
  now: Date,
): Promise<{ id: string; version: number }> {
  await q.query('SELECT 1 FROM procedure WHERE id = $1 FOR UPDATE', [input.procedureId]);
  const v = await q.query<{ v: number }>(
    'SELECT COALESCE(max(version), 0)::int + 1 AS v FROM internal_process WHERE procedure_id = $1 AND agency_id IS NOT DISTINCT FROM $2::uuid',
    [input.procedureId, input.agencyId],
  );
  const version = v.rows[0]!.v;
  const r = await q.query<{ id: string }>(
    `INSERT INTO internal_process (procedure_id, agency_id, version, deadline_value, deadline_unit, total_hours, note, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [input.procedureId, input.agencyId, version, input.deadline.value, input.deadline.unit, input.totalHours, input.note, now],
  );
  const id = r.rows[0]!.id;
  await q.query(
    `INSERT INTO process_step (process_id, position, kind, name, role, agency_id, quota_hours)
     SELECT $1, ord, kind, name, role, agency_id, quota FROM unnest($2::text[], $3::text[], $4::text[], $5::uuid[], $6::numeric[])
       WITH ORDINALITY AS s(kind, name, role, agency_id, quota, ord)`,
    [
      id,
      input.steps.map((s) => s.kind),
      input.steps.map((s) => s.name),
      input.steps.map((s) => s.role),
      input.steps.map((s) => s.agencyId),
      input.steps.map((s) => s.quotaHours),
    ],
  );
  return { id, version };
}
