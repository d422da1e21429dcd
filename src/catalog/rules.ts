/**
 * Pure rules of the catalog: agency codes, Vietnamese search folding, internal-process quotas, dossier codes and
 * the validation of a whole catalog file. Data in, data out: no I/O, no clock.
 */
import { unknownPlaceholders } from '../results/templates.ts';
import { Value } from 'typebox/value';
import { dayToIso, localDay } from '../calendar/time.ts';
import {
  CatalogFileSchema,
  type CatalogFile,
  type ComponentInput,
  type Deadline,
  type ProcedureFields,
  type ProcedureInput,
  type StepInput,
} from './schema.ts';

/** One problem found in input, located by a JSON pointer (`/procedures/3/components/0/acceptedBases`). */
export interface CatalogIssue {
  path: string;
  reason: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Agency electronic identifier codes (QĐ 20/2020/QĐ-TTg, QCVN 102:2016/BTTTT)

const AGENCY_CODE = /^([0-9A-Z]{3})\.([0-9A-Z]{2})\.([0-9A-Z]{2})\.([A-K])([0-9]{2})$/;

/**
 * Checks the four-level structure `L4.L3.L2.L1` (3.2.2.3 characters): levels 4–2 are digits or capital letters
 * (observed codes use both, e.g. `000.A0.01.H26`); level 1 is a letter A–K for the branch of the State followed by
 * two digits (H01–H63 provincial People's Committees; H26 = Hà Nội). Returns null when valid, else the reason.
 */
export function agencyCodeProblem(code: string): string | null {
  if (typeof code !== 'string') return 'must be a string';
  if (code !== code.trim()) return 'must not have surrounding spaces';
  const m = AGENCY_CODE.exec(code);
  if (!m) {
    const parts = code.split('.');
    if (parts.length !== 4) return `must have 4 dot-separated levels (e.g. 000.00.12.H26), found ${parts.length}`;
    const lengths = [3, 2, 2, 3];
    for (let i = 0; i < 4; i++) {
      if (parts[i]!.length !== lengths[i]) return `level ${4 - i} must have ${lengths[i]} characters, found "${parts[i]}"`;
    }
    if (!/^[A-K][0-9]{2}$/.test(parts[3]!)) return `level 1 must be a letter A–K and two digits (e.g. H26), found "${parts[3]}"`;
    return 'levels 4–2 may hold only digits and capital letters';
  }
  return null;
}

export function isAgencyCode(code: string): boolean {
  return agencyCodeProblem(code) === null;
}

/** Level-2 slot under H26 that groups the communes/wards (the demo's own numbering; see docs/catalog.md). */
export const COMMUNE_GROUP = '90';

/**
 * A commune's e-ID code derived from its 5-digit GSO code (Công văn 1027/CTK-CSCL): level 3 = the first two
 * digits, level 4 = the last three, under level-2 group 90 of the province. Reversible (see `gsoCodeOfCommune`),
 * stable across re-seeding, and unique because GSO codes are.
 */
export function communeAgencyCode(gsoCode: string, province = 'H26'): string {
  if (!/^[0-9]{5}$/.test(gsoCode)) throw new RangeError(`GSO commune code must be 5 digits, got "${gsoCode}"`);
  return `${gsoCode.slice(2)}.${gsoCode.slice(0, 2)}.${COMMUNE_GROUP}.${province}`;
}

export function gsoCodeOfCommune(agencyCode: string): string | null {
  const m = AGENCY_CODE.exec(agencyCode);
  if (!m || m[3] !== COMMUNE_GROUP || !/^[0-9]{3}$/.test(m[1]!) || !/^[0-9]{2}$/.test(m[2]!)) return null;
  return `${m[2]}${m[1]}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Vietnamese search

/**
 * Folds Vietnamese text for diacritic-insensitive search: NFD, combining marks removed, đ/Đ → d, lower case,
 * punctuation to spaces, spaces collapsed. "Cấp phép" and "cap phep" fold to the same string.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a query, folded; a procedure matches when its folded text contains every word. */
export function searchTerms(query: string): string[] {
  return [...new Set(foldVietnamese(query).split(' ').filter(Boolean))].slice(0, 10);
}

export function matchesSearch(foldedText: string, terms: readonly string[]): boolean {
  return terms.every((t) => foldedText.includes(t));
}

/** The text a procedure is found by: name, national code, key and field. */
export function procedureSearchText(p: Pick<ProcedureFields, 'name' | 'nationalCode' | 'key' | 'field'>): string {
  return foldVietnamese([p.name, p.nationalCode ?? '', p.key.replace(/-/g, ' '), p.field].join(' '));
}

// ---------------------------------------------------------------------------------------------------------------
// Internal processes

/** A working day is 8 office hours (08:00–12:00, 13:00–17:00); step quotas are in working hours. */
export const WORKING_DAY_HOURS = 8;
const OFFICE_CLOSES_HOUR = 17;

/**
 * The working hours the quotas of a process must add up to. N working days = N × 8 hours; H working hours = H.
 * 0 working days ("trong ngày": the same day, or the next working day after the cut-off) = the office time left
 * after the cut-off (17:00 − cut-off), the least any dossier received before the cut-off is guaranteed.
 */
export function quotaTargetHours(deadline: Pick<Deadline, 'value' | 'unit'>, cutoff: string): number {
  if (deadline.unit === 'working_hours') return deadline.value;
  if (deadline.value > 0) return deadline.value * WORKING_DAY_HOURS;
  const [h, m] = cutoff.split(':').map(Number) as [number, number];
  return Math.max(0, OFFICE_CLOSES_HOUR - h - m / 60);
}

/** Hundredths, so that 0.25-hour quotas add up without floating-point drift. */
const cents = (n: number) => Math.round(n * 100);

export function sumQuotaHours(steps: readonly Pick<StepInput, 'quotaHours'>[]): number {
  return steps.reduce((s, st) => s + cents(st.quotaHours), 0) / 100;
}

/**
 * Rules of an internal process: it starts with reception and ends with result return, step quotas are whole
 * quarter-hours ≥ 0, and they add up exactly to the legal deadline (R5: the promise to the applicant is the sum of
 * the internal promises). Paths are relative to the process (`/steps/2/quotaHours`).
 */
export function validateProcessSteps(
  steps: readonly StepInput[],
  deadline: Pick<Deadline, 'value' | 'unit'>,
  cutoff: string,
): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  if (steps.length < 2) {
    issues.push({ path: '/steps', reason: 'a process needs at least a reception and a result-return step' });
    return issues;
  }
  if (steps[0]!.kind !== 'reception') issues.push({ path: '/steps/0/kind', reason: 'the first step must be "reception"' });
  if (steps[steps.length - 1]!.kind !== 'result_return') {
    issues.push({ path: `/steps/${steps.length - 1}/kind`, reason: 'the last step must be "result_return"' });
  }
  steps.forEach((s, i) => {
    if (!Number.isFinite(s.quotaHours) || s.quotaHours < 0) issues.push({ path: `/steps/${i}/quotaHours`, reason: 'must be ≥ 0' });
    else if (cents(s.quotaHours) % 25 !== 0) issues.push({ path: `/steps/${i}/quotaHours`, reason: 'must be a multiple of 0.25 hour' });
    if (i > 0 && i < steps.length - 1 && (s.kind === 'reception' || s.kind === 'result_return')) {
      issues.push({ path: `/steps/${i}/kind`, reason: `"${s.kind}" may only be the first/last step` });
    }
  });
  const target = quotaTargetHours(deadline, cutoff);
  const sum = sumQuotaHours(steps);
  if (cents(sum) !== cents(target)) {
    issues.push({
      path: '/steps',
      reason: `step quotas add up to ${sum} working hours but the legal deadline (${deadline.value} ${deadline.unit.replace('_', ' ')}) is ${target} working hours`,
    });
  }
  return issues;
}

/**
 * Splits a legal deadline into the standard one-stop process (reception, assignment, appraisal, review, leader
 * approval and signing, result return) in quarter hours, the appraisal taking what the fixed steps leave. Used to
 * seed processes; administrators tune them afterwards.
 */
export function standardQuotas(targetHours: number): Record<'reception' | 'assignment' | 'appraisal' | 'review' | 'approval' | 'result_return', number> {
  const q = Math.round(targetHours * 4); // quarter hours
  const share = (w: number) => Math.max(1, Math.floor(q * w));
  let [reception, assignment, review, approval, resultReturn] = [share(0.03), share(0.03), share(0.1), share(0.07), share(0.02)];
  let appraisal = q - reception - assignment - review - approval - resultReturn;
  // Short deadlines (a few hours): appraisal keeps at least half, the five hand-over steps share the rest evenly.
  if (appraisal < Math.ceil(q / 2)) {
    reception = assignment = review = approval = resultReturn = Math.floor(q / 10);
    appraisal = q - 5 * reception;
  }
  return {
    reception: reception / 4,
    assignment: assignment / 4,
    appraisal: appraisal / 4,
    review: review / 4,
    approval: approval / 4,
    result_return: resultReturn / 4,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Procedures and components

/** R2/R1 rules of one component; paths are relative to the component. */
export function validateComponent(c: ComponentInput): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  if (c.input === 'form' && !c.formTemplate) issues.push({ path: '/formTemplate', reason: 'a form component needs a form template' });
  if (c.input === 'upload' && c.formTemplate) issues.push({ path: '/formTemplate', reason: 'only form components have a form template' });
  if (c.acceptedBases.includes('SELF_DECLARED') && c.input !== 'form') {
    issues.push({ path: '/acceptedBases', reason: 'SELF_DECLARED means a form the applicant fills in: input must be "form"' });
  }
  if (c.acceptedBases.includes('REUSED') && !c.documentType) {
    issues.push({ path: '/documentType', reason: 'REUSED needs the document type to look up in the e-store' });
  }
  if (c.exempt) {
    if (c.exempt.reason === 'OTHER' && !c.exempt.note) issues.push({ path: '/exempt/note', reason: 'an OTHER exemption needs a note' });
  } else if (c.acceptedBases.length === 0) {
    issues.push({ path: '/acceptedBases', reason: 'a component that is not exempt must accept at least one validity basis' });
  }
  if (c.formTemplate) {
    const seen = new Set<string>();
    c.formTemplate.fields.forEach((f, i) => {
      if (seen.has(f.name)) issues.push({ path: `/formTemplate/fields/${i}/name`, reason: `duplicate field name "${f.name}"` });
      seen.add(f.name);
      if (f.type === 'select' && !f.options?.length) issues.push({ path: `/formTemplate/fields/${i}/options`, reason: 'a select field needs options' });
    });
  }
  return issues;
}

/** Rules of a procedure's own fields; paths relative to the procedure. */
export function validateProcedureFields(p: ProcedureFields): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  if (p.level === 'province' && !p.competentAgency) {
    issues.push({ path: '/competentAgency', reason: 'a province-level procedure needs its competent agency' });
  }
  if (p.deadline.unit === 'working_days' && !Number.isInteger(p.deadline.value)) {
    issues.push({ path: '/deadline/value', reason: 'a deadline in working days is a whole number (use working_hours for parts of a day)' });
  }
  if (p.deadline.unit === 'working_hours' && p.deadline.value <= 0) {
    issues.push({ path: '/deadline/value', reason: 'a deadline in working hours must be > 0' });
  }
  const cases = new Set<string>();
  p.fees.forEach((f, i) => {
    const k = `${f.kind}:${foldVietnamese(f.case)}`;
    if (cases.has(k)) issues.push({ path: `/fees/${i}/case`, reason: 'duplicate fee case' });
    cases.add(k);
  });
  p.postAudit.riskRules.forEach((r, i) => {
    if (p.postAudit.riskRules.findIndex((o) => o.id === r.id) !== i) issues.push({ path: `/postAudit/riskRules/${i}/id`, reason: 'duplicate rule id' });
  });
  return issues;
}

/** Everything about one procedure that can be checked without the database. */
export function validateProcedure(p: ProcedureInput, agencyCodes: ReadonlySet<string>): CatalogIssue[] {
  const issues = validateProcedureFields(p);
  const agencyRef = (code: string | null, path: string) => {
    if (code !== null && !agencyCodes.has(code)) issues.push({ path, reason: `unknown agency code "${code}"` });
  };
  agencyRef(p.competentAgency, '/competentAgency');
  p.receivingAgencies.forEach((c, i) => agencyRef(c, `/receivingAgencies/${i}`));
  const keys = new Set<string>();
  p.components.forEach((c, i) => {
    if (keys.has(c.key)) issues.push({ path: `/components/${i}/key`, reason: `duplicate component key "${c.key}"` });
    keys.add(c.key);
    for (const x of validateComponent(c)) issues.push({ path: `/components/${i}${x.path}`, reason: x.reason });
  });
  if (p.result.template) {
    for (const path of unknownPlaceholders(p.result.template, p.components)) {
      issues.push({ path: '/result/template', reason: `placeholder {{${path}}} names no data of this procedure's dossiers (docs/results.md lists them)` });
    }
  }
  const processAgencies = new Set<string>();
  p.processes.forEach((proc, i) => {
    const who = proc.agency ?? '(default)';
    if (processAgencies.has(who)) issues.push({ path: `/processes/${i}/agency`, reason: `two processes for agency ${who}` });
    processAgencies.add(who);
    if (proc.agency === null && p.level !== 'commune') {
      issues.push({ path: `/processes/${i}/agency`, reason: 'only commune-level procedures have a default (agency null) process' });
    }
    agencyRef(proc.agency, `/processes/${i}/agency`);
    proc.steps.forEach((s, j) => agencyRef(s.agency, `/processes/${i}/steps/${j}/agency`));
    for (const x of validateProcessSteps(proc.steps, p.deadline, p.cutoff)) issues.push({ path: `/processes/${i}${x.path}`, reason: x.reason });
  });
  return issues;
}

// ---------------------------------------------------------------------------------------------------------------
// Whole catalog file

const MAX_ISSUES = 200;

/**
 * Validates a parsed catalog file: structure first (JSON-pointer paths from the schema), then references and
 * business rules. `knownAgencyCodes` are agencies already in the database that the file may refer to.
 * Returns every issue found (capped at 200), or the typed file when there are none.
 */
export function validateCatalogFile(
  input: unknown,
  knownAgencyCodes: ReadonlySet<string> = new Set(),
): { ok: true; file: CatalogFile } | { ok: false; issues: CatalogIssue[] } {
  const structural: CatalogIssue[] = [];
  for (const e of Value.Errors(CatalogFileSchema, input)) {
    // additionalProperties is reported twice by the checker (once as a false sub-schema); keep the named one.
    if (e.keyword === 'boolean') continue;
    const extra = (e.params as { additionalProperties?: string[] } | undefined)?.additionalProperties;
    const reason = extra ? `unknown property "${extra.join('", "')}"` : e.message;
    structural.push({ path: e.instancePath || '/', reason });
    if (structural.length >= MAX_ISSUES) break;
  }
  if (structural.length) return { ok: false, issues: structural };
  const file = input as CatalogFile;
  const issues: CatalogIssue[] = [];

  const codes = new Set<string>(knownAgencyCodes);
  const inFile = new Map<string, number>();
  file.agencies.forEach((a, i) => {
    if (inFile.has(a.code)) issues.push({ path: `/agencies/${i}/code`, reason: `duplicate agency code "${a.code}" (also at /agencies/${inFile.get(a.code)})` });
    inFile.set(a.code, i);
    codes.add(a.code);
  });
  file.agencies.forEach((a, i) => {
    if (a.parentCode !== null && !codes.has(a.parentCode)) issues.push({ path: `/agencies/${i}/parentCode`, reason: `unknown agency code "${a.parentCode}"` });
    if (a.parentCode === a.code) issues.push({ path: `/agencies/${i}/parentCode`, reason: 'an agency cannot be its own parent' });
    if (a.effectiveFrom && a.effectiveTo && a.effectiveTo < a.effectiveFrom) {
      issues.push({ path: `/agencies/${i}/effectiveTo`, reason: 'effectiveTo is before effectiveFrom' });
    }
    if (a.kind === 'commune' && a.gsoCode && !/^[0-9]{5}$/.test(a.gsoCode)) issues.push({ path: `/agencies/${i}/gsoCode`, reason: 'a commune GSO code has 5 digits' });
  });
  const cycle = parentCycle(file.agencies);
  if (cycle !== null) issues.push({ path: `/agencies/${cycle}/parentCode`, reason: 'the parent chain loops back to this agency' });

  const keys = new Map<string, number>();
  const national = new Map<string, number>();
  file.procedures.forEach((p, i) => {
    if (keys.has(p.key)) issues.push({ path: `/procedures/${i}/key`, reason: `duplicate procedure key "${p.key}" (also at /procedures/${keys.get(p.key)})` });
    keys.set(p.key, i);
    if (p.nationalCode) {
      if (national.has(p.nationalCode)) issues.push({ path: `/procedures/${i}/nationalCode`, reason: `duplicate national code "${p.nationalCode}"` });
      national.set(p.nationalCode, i);
    }
    for (const x of validateProcedure(p, codes)) issues.push({ path: `/procedures/${i}${x.path}`, reason: x.reason });
  });
  return issues.length ? { ok: false, issues: issues.slice(0, MAX_ISSUES) } : { ok: true, file };
}

/** Index of an agency whose parent chain (inside the file) returns to itself, or null. */
function parentCycle(agencies: readonly { code: string; parentCode: string | null }[]): number | null {
  const parent = new Map(agencies.map((a) => [a.code, a.parentCode]));
  for (let i = 0; i < agencies.length; i++) {
    const start = agencies[i]!.code;
    let cur = parent.get(start) ?? null;
    for (let steps = 0; cur !== null && steps <= agencies.length; steps++) {
      if (cur === start) return i;
      cur = parent.get(cur) ?? null;
    }
  }
  return null;
}

/** Agencies ordered parents first, so that an import can insert them in one pass. */
export function parentsFirst<T extends { code: string; parentCode: string | null }>(agencies: readonly T[]): T[] {
  const byCode = new Map(agencies.map((a) => [a.code, a]));
  const out: T[] = [];
  const done = new Set<string>();
  const visit = (a: T, depth: number) => {
    if (done.has(a.code) || depth > agencies.length) return;
    const p = a.parentCode ? byCode.get(a.parentCode) : undefined;
    if (p) visit(p, depth + 1);
    done.add(a.code);
    out.push(a);
  };
  for (const a of agencies) visit(a, 0);
  return out;
}

/** True when two step lists describe the same process (so an import need not create a new version). */
export function sameSteps(a: readonly StepInput[], b: readonly StepInput[]): boolean {
  return (
    a.length === b.length &&
    a.every((s, i) => {
      const t = b[i]!;
      return s.kind === t.kind && s.name === t.name && s.role === t.role && s.agency === t.agency && cents(s.quotaHours) === cents(t.quotaHours);
    })
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Dossier codes

/** The civil day (Asia/Ho_Chi_Minh, UTC+7 all year) of an instant: `YYYY-MM-DD` and its `YYMMDD` form. */
export function vnCivilDay(instant: Date): { isoDay: string; yymmdd: string } {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid instant');
  const isoDay = dayToIso(localDay(instant));
  return { isoDay, yymmdd: isoDay.slice(2).replace(/-/g, '') };
}

/** `<agency e-ID>-<YYMMDD>-<sequence>`: at least 4 digits, more once the day passes 9999. */
export function formatDossierCode(agencyCode: string, yymmdd: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a whole number ≥ 1, got ${sequence}`);
  return `${agencyCode}-${yymmdd}-${String(sequence).padStart(4, '0')}`;
}

const DOSSIER_CODE = /^([0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-K][0-9]{2})-([0-9]{6})-([0-9]{4,})$/;

export function parseDossierCode(code: string): { agencyCode: string; yymmdd: string; sequence: number } | null {
  const m = DOSSIER_CODE.exec(code);
  if (!m) return null;
  // A sequence of 5+ digits never starts with 0: padding stops at 4 digits.
  if (m[3]!.length > 4 && m[3]!.startsWith('0')) return null;
  return { agencyCode: m[1]!, yymmdd: m[2]!, sequence: Number(m[3]) };
}
