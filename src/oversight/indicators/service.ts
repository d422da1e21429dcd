/**
 * Indicators over HTTP and CLI: loads the facts of a period (store), turns each dossier's rules state into the
 * formulas' inputs (its due instant with supplement waits excluded, from the dossier rules), and computes the QĐ 766
 * index and the directive's indicators overall and per agency, commune/ward or procedure.
 */
import { frozenCalendarConfig } from '../../calendar/rules.ts';
import { loadCalendarConfig } from '../../calendar/store.ts';
import { dossierDeadline, type RulesEnv } from '../../dossiers/rules.ts';
import { reviveState } from '../../dossiers/store.ts';
import type { AppContext } from '../../platform/context.ts';
import { defineError } from '../../platform/http/problem.ts';
import {
  directiveIndicators,
  groupBy,
  index766,
  monthPeriod,
  quarterPeriod,
  type ComponentBasisFact,
  type Dimension,
  type DirectiveIndicators,
  type DossierFacts,
  type Index766,
  type Period,
} from './rules.ts';
import * as store from './store.ts';

export const IndicatorErrors = {
  badPeriod: defineError('PERIOD_INVALID', 400, {
    vi: 'Kỳ báo cáo không hợp lệ: dùng dạng 2026-03 (tháng) hoặc 2026-Q1 (quý)',
    en: 'Invalid period: use 2026-03 (month) or 2026-Q1 (quarter)',
  }),
};

export interface NamedPeriod extends Period {
  label: string;
}

/** `2026-03` (a month) or `2026-Q1` (a quarter), in Vietnam time. */
export function parsePeriod(text: string): NamedPeriod {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (m) return { ...monthPeriod(Number(m[1]), Number(m[2])), label: text };
  const q = /^(\d{4})-Q([1-4])$/.exec(text);
  if (q) return { ...quarterPeriod(Number(q[1]), Number(q[2])), label: text };
  throw IndicatorErrors.badPeriod({ period: text });
}

const BASES = new Set(['DIGITIZED_SIGNED', 'ECOPY_FROM_REGISTER', 'E_CERTIFIED', 'SELF_DECLARED', 'REUSED', 'EXEMPT']);

/** One dossier's facts: the due instant is the rules' deadline without apology extensions (a late dossier stays late). */
export function factsOf(row: store.FactsRow, env: RulesEnv, asOf: Date): DossierFacts {
  const state = reviveState(row.state);
  const deadline = dossierDeadline({ ...state, apologies: [] }, env, asOf);
  return {
    id: row.id,
    code: row.code,
    agency: row.agencyCode,
    commune: row.communeCode,
    procedure: row.procedureKey,
    channel: row.channel,
    receivedAt: row.receivedAt,
    dueAt: deadline?.due ?? null,
    processedAt: row.processedAt,
    returnedAt: row.returnedAt,
    stoppedAt: row.stoppedAt,
    withdrawnAt: row.withdrawnAt,
    supplementRequests: row.supplementRequests,
    supplementOpen: state.supplementRequest !== null && state.supplementRequest.answeredAt === null,
    components: row.bases.map((b) => (BASES.has(b) ? (b as ComponentBasisFact) : 'PAPER')),
    electronicResult: row.electronicResult,
    // The applicant's rating after delivery, and a citizen's report about the dossier confirmed by the Center.
    rating: row.rating,
    complaint: row.complaint,
  };
}

export interface IndicatorReport {
  period: { label: string; from: string; to: string };
  asOf: string;
  index766: Index766;
  directive: DirectiveIndicators;
  groups: { dimension: Dimension; items: { key: string; name: string | null; index766: Index766 }[] } | null;
}

export async function loadPeriodFacts(ctx: AppContext, period: Period, filter: store.FactsFilter, now: Date): Promise<{ facts: DossierFacts[]; asOf: Date }> {
  const asOf = new Date(Math.min(period.to.getTime() - 1, now.getTime()));
  const env: RulesEnv = { calendar: frozenCalendarConfig(await loadCalendarConfig(ctx.db)) };
  const rows = await store.loadFacts(ctx.db, period, filter);
  return { facts: rows.map((r) => factsOf(r, env, asOf)), asOf };
}

export async function indicatorReport(
  ctx: AppContext,
  input: { period: string; dimension?: Dimension; agencyCodes?: string[] | null; procedure?: string | null },
): Promise<IndicatorReport> {
  const now = ctx.now();
  const period = parsePeriod(input.period);
  const filter = { agencyCodes: input.agencyCodes ?? null, procedureKey: input.procedure ?? null };
  const { facts, asOf } = await loadPeriodFacts(ctx, period, filter, now);
  const refused = await store.countRefusedPaperAttempts(ctx.db, period, filter.agencyCodes);
  let groups: IndicatorReport['groups'] = null;
  if (input.dimension) {
    const byKey = groupBy(facts, input.dimension);
    const names = input.dimension === 'procedure' ? new Map<string, string>() : await store.agencyNames(ctx.db, [...byKey.keys()]);
    const collator = new Intl.Collator('vi');
    groups = {
      dimension: input.dimension,
      items: [...byKey.entries()]
        .map(([key, list]) => ({ key, name: names.get(key) ?? null, index766: index766(list, period, asOf) }))
        .sort((a, b) => collator.compare(a.name ?? a.key, b.name ?? b.key)),
    };
  }
  return {
    period: { label: period.label, from: period.from.toISOString(), to: period.to.toISOString() },
    asOf: asOf.toISOString(),
    index766: index766(facts, period, asOf),
    directive: directiveIndicators(facts, period, { refusedAttempts: refused }),
    groups,
  };
}

/** The report without the id lists (they can run to millions): the numbers only; `drillDown` gives the dossiers. */
export function withoutIds<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v) => (key.endsWith('Ids') ? undefined : v))) as T;
}

export const DRILL_INDICATORS = [
  '766-2.1',
  '766-3.3',
  '766-4.1',
  '766-4.2',
  '766-4.3',
  '766-5.4',
  'directive-inputs',
  'directive-results',
  'directive-ereception',
  'directive-online',
] as const;
export type DrillIndicator = (typeof DRILL_INDICATORS)[number];

export interface DrillItem {
  id: string;
  code: string | null;
  procedure: string;
  agency: string;
  channel: string;
  receivedAt: string | null;
}

/**
 * The dossiers behind one number: `in` = the numerator, `out` = the denominator's rest (the late ones for 2.1, the
 * ones with a component short of an e-version for the inputs indicator).
 */
export async function drillDown(
  ctx: AppContext,
  input: { period: string; indicator: DrillIndicator; part: 'in' | 'out' | 'all'; agencyCodes?: string[] | null; procedure?: string | null; limit: number; offset: number },
): Promise<{ total: number; items: DrillItem[] }> {
  const period = parsePeriod(input.period);
  const { facts, asOf } = await loadPeriodFacts(ctx, period, { agencyCodes: input.agencyCodes ?? null, procedureKey: input.procedure ?? null }, ctx.now());
  let inIds: string[];
  let allIds: string[];
  if (input.indicator.startsWith('766-')) {
    const ind = index766(facts, period, asOf).indicators[input.indicator.slice(4) as keyof Index766['indicators']];
    inIds = ind.numeratorIds;
    allIds = ind.denominatorIds;
  } else {
    const dir = directiveIndicators(facts, period, { refusedAttempts: 0 });
    if (input.indicator === 'directive-inputs') {
      const short = new Set(dir.inputsDigitizedAtReception.shortfallIds);
      allIds = dir.inputsDigitizedAtReception.denominatorIds;
      inIds = allIds.filter((id) => !short.has(id));
    } else {
      const r =
        input.indicator === 'directive-results'
          ? dir.signedElectronicResults
          : input.indicator === 'directive-ereception'
            ? dir.processingStartedAtEReception
            : dir.onlineShare;
      inIds = r.numeratorIds;
      allIds = r.denominatorIds;
    }
  }
  const inSet = new Set(inIds);
  const ids = input.part === 'in' ? inIds : input.part === 'out' ? allIds.filter((id) => !inSet.has(id)) : allIds;
  const byId = new Map(facts.map((f) => [f.id, f]));
  return {
    total: ids.length,
    items: ids.slice(input.offset, input.offset + input.limit).map((id) => {
      const f = byId.get(id)!;
      return { id, code: f.code, procedure: f.procedure, agency: f.agency, channel: f.channel, receivedAt: f.receivedAt?.toISOString() ?? null };
    }),
  };
}
