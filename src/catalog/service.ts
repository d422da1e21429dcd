/**
 * Use cases of the catalog room. Each change runs in one transaction together with its audit event (R8); reads
 * take any `Queryable`.
 */
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db/db.ts';
import { defineError } from '../platform/http/problem.ts';
import { appendAuditEvent } from '../oversight/audit/store.ts';
import { dueDate, type Pause } from '../calendar/rules.ts';
import { loadCalendarConfig } from '../calendar/store.ts';
import {
  agencyCodeProblem,
  parentsFirst,
  quotaTargetHours,
  sameSteps,
  searchTerms,
  sumQuotaHours,
  validateCatalogFile,
  validateComponent,
  validateProcedureFields,
  validateProcessSteps,
  type CatalogIssue,
} from './rules.ts';
import {
  CATALOG_FORMAT,
  CATALOG_FORMAT_VERSION,
  type AgencyInput,
  type CatalogFile,
  type ComponentInput,
  type ProcedureFields,
  type ProcedureInput,
  type ProcessInput,
} from './schema.ts';
import * as store from './store.ts';

export const CatalogErrors = {
  invalid: defineError('CATALOG_INVALID', 422, { vi: 'Dữ liệu danh mục không hợp lệ', en: 'The catalog data is not valid' }),
  agencyNotFound: defineError('AGENCY_NOT_FOUND', 404, { vi: 'Không tìm thấy cơ quan', en: 'Agency not found' }),
  procedureNotFound: defineError('PROCEDURE_NOT_FOUND', 404, { vi: 'Không tìm thấy thủ tục hành chính', en: 'Procedure not found' }),
  componentNotFound: defineError('COMPONENT_NOT_FOUND', 404, { vi: 'Không tìm thấy thành phần hồ sơ', en: 'Component not found' }),
  agencyCodeTaken: defineError('AGENCY_CODE_TAKEN', 409, { vi: 'Mã định danh cơ quan đã được sử dụng', en: 'The agency code is already used' }),
  procedureKeyTaken: defineError('PROCEDURE_KEY_TAKEN', 409, { vi: 'Mã thủ tục đã được sử dụng', en: 'The procedure key or national code is already used' }),
};

export type Actor = { userId: string; role: string } | null;

function invalid(issues: CatalogIssue[]): never {
  throw CatalogErrors.invalid({ issues });
}

// ---------------------------------------------------------------------------------------------------------------
// Agencies

export interface AgencyNode extends store.AgencyView {
  children: AgencyNode[];
}

/** The agencies as a forest (roots: agencies without a parent), children ordered by code. */
export function buildAgencyTree(agencies: store.AgencyView[]): AgencyNode[] {
  const nodes = new Map(agencies.map((a) => [a.id, { ...a, children: [] as AgencyNode[] }]));
  const roots: AgencyNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId ? nodes.get(n.parentId) : undefined;
    (parent ? parent.children : roots).push(n);
  }
  return roots;
}

async function checkAgencyInput(q: Queryable, a: AgencyInput, selfId: string | null): Promise<string | null> {
  const issues: CatalogIssue[] = [];
  const codeProblem = agencyCodeProblem(a.code);
  if (codeProblem) issues.push({ path: '/code', reason: codeProblem });
  if (a.effectiveFrom && a.effectiveTo && a.effectiveTo < a.effectiveFrom) issues.push({ path: '/effectiveTo', reason: 'effectiveTo is before effectiveFrom' });
  let parentId: string | null = null;
  if (a.parentCode) {
    const parent = await store.getAgency(q, a.parentCode);
    if (!parent) issues.push({ path: '/parentCode', reason: `unknown agency code "${a.parentCode}"` });
    else if (selfId && (await store.isSelfOrDescendant(q, selfId, parent.id))) {
      issues.push({ path: '/parentCode', reason: 'the parent would be the agency itself or one of its descendants' });
    } else parentId = parent.id;
  }
  if (issues.length) invalid(issues);
  const same = await store.getAgency(q, a.code);
  if (same && same.id !== selfId) throw CatalogErrors.agencyCodeTaken({ code: a.code });
  return parentId;
}

export async function createAgency(ctx: AppContext, actor: Actor, a: AgencyInput): Promise<store.AgencyView> {
  return ctx.db.tx(async (q) => {
    const parentId = await checkAgencyInput(q, a, null);
    const now = ctx.now();
    const id = await store.insertAgency(q, a, parentId, now);
    await appendAuditEvent(q, { type: 'catalog.agency.created', at: now, actor, agencyId: id, subjectType: 'agency', subjectId: id, data: { agency: a } });
    return (await store.getAgency(q, id))!;
  });
}

export async function updateAgency(ctx: AppContext, actor: Actor, id: string, a: AgencyInput): Promise<store.AgencyView> {
  return ctx.db.tx(async (q) => {
    const before = await store.getAgency(q, id);
    if (!before) throw CatalogErrors.agencyNotFound({ id });
    const parentId = await checkAgencyInput(q, a, id);
    const now = ctx.now();
    await store.updateAgency(q, id, a, parentId, now);
    await appendAuditEvent(q, {
      type: 'catalog.agency.updated',
      at: now,
      actor,
      agencyId: id,
      subjectType: 'agency',
      subjectId: id,
      data: { before: toAgencyInput(before), after: a },
    });
    return (await store.getAgency(q, id))!;
  });
}

function toAgencyInput(a: store.AgencyView): AgencyInput {
  return {
    code: a.code,
    name: a.name,
    nameEn: a.nameEn,
    kind: a.kind,
    parentCode: a.parentCode,
    gsoCode: a.gsoCode,
    effectiveFrom: a.effectiveFrom,
    effectiveTo: a.effectiveTo,
    address: a.address,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Procedures

async function resolveProcedureAgencies(q: Queryable, p: ProcedureFields): Promise<{ competentAgencyId: string | null; receivingAgencyIds: string[] }> {
  const ids = await store.agencyIdsByCode(q);
  const issues: CatalogIssue[] = [];
  const competentAgencyId = p.competentAgency ? (ids.get(p.competentAgency) ?? null) : null;
  if (p.competentAgency && !competentAgencyId) issues.push({ path: '/competentAgency', reason: `unknown agency code "${p.competentAgency}"` });
  const receivingAgencyIds: string[] = [];
  p.receivingAgencies.forEach((code, i) => {
    const id = ids.get(code);
    if (!id) issues.push({ path: `/receivingAgencies/${i}`, reason: `unknown agency code "${code}"` });
    else receivingAgencyIds.push(id);
  });
  if (issues.length) invalid(issues);
  return { competentAgencyId, receivingAgencyIds };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === '23505';
}

export async function createProcedure(ctx: AppContext, actor: Actor, p: ProcedureFields): Promise<store.ProcedureView> {
  const issues = validateProcedureFields(p);
  if (issues.length) invalid(issues);
  try {
    return await ctx.db.tx(async (q) => {
      if (await store.getProcedure(q, p.key)) throw CatalogErrors.procedureKeyTaken({ key: p.key });
      const ids = await resolveProcedureAgencies(q, p);
      const now = ctx.now();
      const { id } = await store.upsertProcedure(q, p, ids, now);
      await appendAuditEvent(q, { type: 'catalog.procedure.created', at: now, actor, subjectType: 'procedure', subjectId: id, data: { procedure: p } });
      return (await store.getProcedure(q, id))!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw CatalogErrors.procedureKeyTaken({ key: p.key, nationalCode: p.nationalCode });
    throw err;
  }
}

/** Replaces a procedure's own fields. The key is its identity and cannot change. */
export async function updateProcedure(ctx: AppContext, actor: Actor, id: string, p: ProcedureFields): Promise<store.ProcedureView> {
  const issues = validateProcedureFields(p);
  if (issues.length) invalid(issues);
  try {
    return await ctx.db.tx(async (q) => {
      const before = await store.getProcedure(q, id);
      if (!before) throw CatalogErrors.procedureNotFound({ id });
      if (before.key !== p.key) invalid([{ path: '/key', reason: `the key of a procedure cannot change (is "${before.key}")` }]);
      const ids = await resolveProcedureAgencies(q, p);
      const now = ctx.now();
      await store.upsertProcedure(q, p, ids, now);
      const { id: _id, competentAgencyName: _n, updatedAt: _u, ...beforeFields } = before;
      await appendAuditEvent(q, {
        type: 'catalog.procedure.updated',
        at: now,
        actor,
        subjectType: 'procedure',
        subjectId: id,
        data: { before: beforeFields, after: p },
      });
      return (await store.getProcedure(q, id))!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw CatalogErrors.procedureKeyTaken({ key: p.key, nationalCode: p.nationalCode });
    throw err;
  }
}

/** Withdraws a procedure from the public catalog (or restores it). Procedures are never deleted: dossiers refer to them. */
export async function setProcedureActive(ctx: AppContext, actor: Actor, id: string, active: boolean): Promise<store.ProcedureView> {
  return ctx.db.tx(async (q) => {
    const before = await store.getProcedure(q, id);
    if (!before) throw CatalogErrors.procedureNotFound({ id });
    const now = ctx.now();
    await store.setProcedureActive(q, before.id, active, now);
    await appendAuditEvent(q, {
      type: active ? 'catalog.procedure.activated' : 'catalog.procedure.deactivated',
      at: now,
      actor,
      subjectType: 'procedure',
      subjectId: before.id,
      data: { key: before.key },
    });
    return (await store.getProcedure(q, before.id))!;
  });
}

export interface ProcedureDetail {
  procedure: store.ProcedureView;
  components: store.ComponentView[];
  /** The current version of each agency's process; `matchesDeadline` is false when the legal deadline changed since. */
  processes: (store.ProcessView & { matchesDeadline: boolean })[];
}

export async function getProcedureDetail(
  q: Queryable,
  idOrKey: string,
  opts: { includeInactive?: boolean; withProcesses?: boolean } = {},
): Promise<ProcedureDetail> {
  const procedure = await store.getProcedure(q, idOrKey);
  if (!procedure || (!procedure.active && !opts.includeInactive)) throw CatalogErrors.procedureNotFound({ procedure: idOrKey });
  const target = quotaTargetHours(procedure.deadline, procedure.cutoff);
  // Intake asks for the one process its dossier follows (currentProcessFor) and skips the list of every agency's.
  const processes = opts.withProcesses === false ? [] : await store.listProcesses(q, procedure.id, true);
  return {
    procedure,
    components: await store.listComponents(q, procedure.id),
    processes: processes.map((p) => ({ ...p, matchesDeadline: Math.round(p.totalHours * 100) === Math.round(target * 100) })),
  };
}

/**
 * The promised date (ngày hẹn trả) of a dossier of this procedure received at `receivedAt` (R5): the legal
 * deadline counted on the working-day calendar in force, with the procedure's cut-off; pauses (waiting for the
 * applicant's supplement) do not count.
 */
export async function procedureDueDate(
  q: Queryable,
  idOrKey: string,
  receivedAt: Date,
  pauses: readonly Pause[] = [],
): Promise<{ due: Date; procedure: store.ProcedureView }> {
  const procedure = await store.getProcedure(q, idOrKey);
  if (!procedure) throw CatalogErrors.procedureNotFound({ procedure: idOrKey });
  const cfg = await loadCalendarConfig(q, { cutoff: procedure.cutoff });
  const d = procedure.deadline;
  const due = dueDate(receivedAt, d.unit === 'working_days' ? { days: d.value } : { hours: d.value }, cfg, { pauses });
  return { due, procedure };
}

export async function searchProcedures(
  q: Queryable,
  query: { q?: string; field?: string; agency?: string; level?: 'province' | 'commune'; limit?: number; offset?: number; includeInactive?: boolean },
): Promise<{ items: store.ProcedureView[]; total: number }> {
  let agencyId: string | undefined;
  if (query.agency) {
    const a = await store.getAgency(q, query.agency);
    if (!a) return { items: [], total: 0 };
    agencyId = a.id;
  }
  return store.listProcedures(q, {
    terms: query.q ? searchTerms(query.q) : [],
    field: query.field,
    agencyId,
    level: query.level,
    limit: query.limit,
    offset: query.offset,
    includeInactive: query.includeInactive,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Components

export async function addComponent(ctx: AppContext, actor: Actor, procedureId: string, c: ComponentInput): Promise<store.ComponentView> {
  const issues = validateComponent(c);
  if (issues.length) invalid(issues);
  return ctx.db.tx(async (q) => {
    const p = await store.getProcedure(q, procedureId);
    if (!p) throw CatalogErrors.procedureNotFound({ id: procedureId });
    const existing = (await store.listComponents(q, p.id, true)).find((x) => x.key === c.key);
    if (existing?.active) invalid([{ path: '/key', reason: `the procedure already has a component "${c.key}"` }]);
    const now = ctx.now();
    const { id } = await store.upsertComponent(q, p.id, c, existing?.position ?? (await store.nextComponentPosition(q, p.id)));
    await appendAuditEvent(q, { type: 'catalog.component.added', at: now, actor, subjectType: 'procedure', subjectId: p.id, data: { componentId: id, component: c } });
    return (await store.getComponent(q, id))!;
  });
}

export async function updateComponent(ctx: AppContext, actor: Actor, componentId: string, c: ComponentInput & { position?: number }): Promise<store.ComponentView> {
  const { position, ...component } = c;
  const issues = validateComponent(component);
  if (issues.length) invalid(issues);
  return ctx.db.tx(async (q) => {
    const before = await store.getComponent(q, componentId);
    if (!before) throw CatalogErrors.componentNotFound({ id: componentId });
    if (before.key !== component.key) invalid([{ path: '/key', reason: `the key of a component cannot change (is "${before.key}")` }]);
    const now = ctx.now();
    await store.upsertComponent(q, before.procedureId, component, position ?? before.position);
    await appendAuditEvent(q, {
      type: 'catalog.component.updated',
      at: now,
      actor,
      subjectType: 'procedure',
      subjectId: before.procedureId,
      data: { componentId, before, after: component },
    });
    return (await store.getComponent(q, componentId))!;
  });
}

export async function retireComponent(ctx: AppContext, actor: Actor, componentId: string): Promise<void> {
  await ctx.db.tx(async (q) => {
    const before = await store.getComponent(q, componentId);
    if (!before) throw CatalogErrors.componentNotFound({ id: componentId });
    await store.setComponentActive(q, componentId, false);
    await appendAuditEvent(q, {
      type: 'catalog.component.retired',
      at: ctx.now(),
      actor,
      subjectType: 'procedure',
      subjectId: before.procedureId,
      data: { componentId, key: before.key },
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Internal processes

async function writeProcessVersion(
  q: Queryable,
  procedure: store.ProcedureView,
  proc: ProcessInput,
  ids: Map<string, string>,
  now: Date,
): Promise<{ id: string; version: number }> {
  const issues: CatalogIssue[] = validateProcessSteps(proc.steps, procedure.deadline, procedure.cutoff);
  if (proc.agency === null && procedure.level !== 'commune') {
    issues.push({ path: '/agency', reason: 'only commune-level procedures have a default (agency null) process' });
  }
  const agencyId = proc.agency === null ? null : (ids.get(proc.agency) ?? null);
  if (proc.agency !== null && !agencyId) issues.push({ path: '/agency', reason: `unknown agency code "${proc.agency}"` });
  const steps = proc.steps.map((s, i) => {
    const id = s.agency === null ? null : ids.get(s.agency);
    if (s.agency !== null && !id) issues.push({ path: `/steps/${i}/agency`, reason: `unknown agency code "${s.agency}"` });
    return { kind: s.kind, name: s.name, role: s.role, agencyId: id ?? null, quotaHours: s.quotaHours };
  });
  if (issues.length) invalid(issues);
  return store.insertProcessVersion(
    q,
    {
      procedureId: procedure.id,
      agencyId,
      deadline: { value: procedure.deadline.value, unit: procedure.deadline.unit },
      totalHours: sumQuotaHours(proc.steps),
      note: proc.note ?? null,
      steps,
    },
    now,
  );
}

/** Saves a new version of an agency's internal process; earlier versions stay as they were. */
export async function createProcessVersion(ctx: AppContext, actor: Actor, procedureId: string, proc: ProcessInput): Promise<store.ProcessView> {
  return ctx.db.tx(async (q) => {
    const procedure = await store.getProcedure(q, procedureId);
    if (!procedure) throw CatalogErrors.procedureNotFound({ id: procedureId });
    const now = ctx.now();
    const { id, version } = await writeProcessVersion(q, procedure, proc, await store.agencyIdsByCode(q), now);
    await appendAuditEvent(q, {
      type: 'catalog.process.version_created',
      at: now,
      actor,
      subjectType: 'procedure',
      subjectId: procedure.id,
      data: { processId: id, agency: proc.agency, version, steps: proc.steps },
    });
    return (await store.getProcess(q, id))!;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Import / export

export interface ImportReport {
  agencies: { created: number; updated: number; unchanged: number };
  procedures: { created: number; updated: number };
  components: { upserted: number; retired: number };
  processVersions: { created: number; unchanged: number };
}

function sameAgency(a: store.AgencyView, b: AgencyInput): boolean {
  const x = toAgencyInput(a);
  return (
    x.name === b.name &&
    (x.nameEn ?? null) === (b.nameEn ?? null) &&
    x.kind === b.kind &&
    x.parentCode === b.parentCode &&
    (x.gsoCode ?? null) === (b.gsoCode ?? null) &&
    (x.effectiveFrom ?? null) === (b.effectiveFrom ?? null) &&
    (x.effectiveTo ?? null) === (b.effectiveTo ?? null) &&
    (x.address ?? null) === (b.address ?? null)
  );
}

/**
 * Imports a whole catalog file in one transaction: agencies by code, procedures by key, components by key (those
 * missing from the file are retired), and a new process version wherever the steps differ from the current one.
 * A file with any problem changes nothing and the error lists every problem with its JSON-pointer path.
 * Things not in the file are left alone (an import adds and updates; it never deletes).
 */
export async function importCatalog(ctx: AppContext, actor: Actor, input: unknown): Promise<ImportReport> {
  return ctx.db.tx(async (q) => {
    const existing = await store.listAgencies(q);
    const checked = validateCatalogFile(input, new Set(existing.map((a) => a.code)));
    if (!checked.ok) invalid(checked.issues);
    const file = checked.file;
    const now = ctx.now();
    const report: ImportReport = {
      agencies: { created: 0, updated: 0, unchanged: 0 },
      procedures: { created: 0, updated: 0 },
      components: { upserted: 0, retired: 0 },
      processVersions: { created: 0, unchanged: 0 },
    };
    const byCode = new Map(existing.map((a) => [a.code, a]));
    const ids = new Map(existing.map((a) => [a.code, a.id]));
    for (const a of parentsFirst(file.agencies)) {
      const parentId = a.parentCode ? ids.get(a.parentCode)! : null;
      const before = byCode.get(a.code);
      if (!before) {
        ids.set(a.code, await store.insertAgency(q, a, parentId, now));
        report.agencies.created++;
      } else if (!sameAgency(before, a)) {
        await store.updateAgency(q, before.id, a, parentId, now);
        report.agencies.updated++;
      } else report.agencies.unchanged++;
    }
    const changedProcedures: string[] = [];
    for (const [i, p] of file.procedures.entries()) {
      const { components, processes, ...fields } = p;
      let saved: { id: string; created: boolean };
      try {
        saved = await store.upsertProcedure(
          q,
          fields,
          {
            competentAgencyId: p.competentAgency ? ids.get(p.competentAgency)! : null,
            receivingAgencyIds: p.receivingAgencies.map((c) => ids.get(c)!),
          },
          now,
        );
      } catch (err) {
        if (isUniqueViolation(err)) invalid([{ path: `/procedures/${i}/nationalCode`, reason: `national code "${p.nationalCode}" belongs to another procedure` }]);
        throw err;
      }
      if (saved.created) report.procedures.created++;
      else report.procedures.updated++;
      changedProcedures.push(p.key);
      for (const [pos, c] of components.entries()) {
        await store.upsertComponent(q, saved.id, c, pos + 1);
        report.components.upserted++;
      }
      report.components.retired += (await store.retireComponentsExcept(q, saved.id, components.map((c) => c.key))).length;
      const procedure = (await store.getProcedure(q, saved.id))!;
      const current = await store.listProcesses(q, saved.id, true);
      for (const proc of processes) {
        const latest = current.find((c) => c.agency === proc.agency);
        const unchanged =
          latest && sameSteps(latest.steps, proc.steps) && (latest.note ?? null) === (proc.note ?? null) &&
          latest.deadline.value === procedure.deadline.value && latest.deadline.unit === procedure.deadline.unit;
        if (unchanged) {
          report.processVersions.unchanged++;
          continue;
        }
        await writeProcessVersion(q, procedure, proc, ids, now);
        report.processVersions.created++;
      }
    }
    await appendAuditEvent(q, {
      type: 'catalog.imported',
      at: now,
      actor,
      subjectType: 'catalog',
      subjectId: 'catalog',
      data: { report: { ...report }, procedures: changedProcedures, agencies: file.agencies.map((a) => a.code) },
    });
    return report;
  });
}

/** The whole catalog in the import format: every agency, every procedure (inactive ones too) with its current processes. */
export async function exportCatalog(q: Queryable, now: Date): Promise<CatalogFile> {
  const agencies = parentsFirst((await store.listAgencies(q)).map(toAgencyInput));
  let all: store.ProcedureView[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await store.listProcedures(q, { includeInactive: true, limit: 500, offset });
    all = all.concat(page.items);
    if (page.items.length < 500) break;
  }
  const procedures: ProcedureInput[] = [];
  for (const p of all) {
    const components = await store.listComponents(q, p.id);
    const processes = await store.listProcesses(q, p.id, true);
    const { id: _id, competentAgencyName: _n, updatedAt: _u, ...fields } = p;
    procedures.push({
      ...fields,
      components: components.map(({ id: _c, position: _p, active: _a, ...c }) => c),
      processes: processes.map((proc) => ({
        agency: proc.agency,
        note: proc.note,
        steps: proc.steps.map(({ position: _s, ...s }) => s),
      })),
    });
  }
  return { format: CATALOG_FORMAT, formatVersion: CATALOG_FORMAT_VERSION, exportedAt: now.toISOString(), agencies, procedures };
}
