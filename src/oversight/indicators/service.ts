/**
 * Indicators over HTTP and CLI. Each received dossier has a judged fact row (derived from its records with the
 * dossier rules' due instant, whenever a trigger marks it stale); a period's QĐ 766 index and the directive's
 * indicators, overall and per agency, commune/ward or procedure, are counts over those rows scored by `rules.ts`,
 * kept per period once counted and moved by every later change (docs/oversight.md §1.1).
 */
import { frozenCalendarConfig } from '../../calendar/rules.ts';
import { loadCalendarConfig } from '../../calendar/store.ts';
import { dayToIso, instantMs, localDay } from '../../calendar/time.ts';
import { dossierDeadline, dueSoonAt, procedureCalendar, type RulesEnv } from '../../dossiers/rules.ts';
import { reviveState } from '../../dossiers/store.ts';
import type { AppContext } from '../../platform/context.ts';
import { defineError } from '../../platform/http/problem.ts';
import { startPeriodic, type Periodic } from '../../platform/periodic.ts';
import {
  DRILL_SETS,
  directiveFromTallies,
  drillTotal,
  judge,
  judgedAt,
  monthPeriod,
  periodsToKeep,
  quarterPeriod,
  scoreIndex766,
  type ComponentBasisFact,
  type Dimension,
  type DirectiveIndicators,
  type DossierFacts,
  type DrillIndicator,
  type DrillPart,
  type Index766,
  type Period,
  type Tallies,
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

/**
 * One dossier's facts. The due instant is the rules' deadline without apology extensions (a late dossier stays
 * late) and with the supplement waits that ended; an open wait is left out: the dossier is then judged at its
 * request instant (`handlingEnd`), and a pause can only move the due instant if it starts before it, so the
 * judgement is the same at every later instant and the row stays true until the dossier changes again.
 */
export function factsOf(row: store.FactsRow, env: RulesEnv, now: Date): DossierFacts {
  const state = reviveState(row.state);
  const deadline = dossierDeadline({ ...state, apologies: [], pauses: state.pauses.filter((p) => p.end !== null) }, env, now);
  const supplementOpen = state.supplementRequest !== null && state.supplementRequest.answeredAt === null;
  // The clock runs until the result is ready or the dossier is closed (`finished`), and stops while the applicant holds it.
  const running = deadline !== null && !deadline.finished && !supplementOpen;
  return {
    id: row.id,
    code: row.code,
    agency: row.agencyCode,
    commune: row.communeCode,
    procedure: row.procedureKey,
    channel: row.channel,
    receivedAt: row.receivedAt,
    dueAt: deadline?.due ?? null,
    dueSoonAt: running ? dueSoonAt(deadline, now, procedureCalendar(env.calendar, state.procedure.cutoff)) : null,
    processedAt: row.processedAt,
    returnedAt: row.returnedAt,
    stoppedAt: row.stoppedAt,
    withdrawnAt: row.withdrawnAt,
    supplementRequests: row.supplementRequests,
    supplementOpen,
    components: row.bases.map((b) => (BASES.has(b) ? (b as ComponentBasisFact) : 'PAPER')),
    electronicResult: row.electronicResult,
    // The applicant's rating after delivery, and a citizen's report about the dossier confirmed by the Center.
    rating: row.rating,
    complaint: row.complaint,
  };
}

const REFRESH_BATCH = 2000;

/**
 * Derives again the fact rows of the dossiers marked stale, a batch per transaction, until none is left (or
 * `maxBatches`). Called before every answer, so numbers include the last change, and in the background so that
 * call finds little to do. Returns how many dossiers were derived.
 */
export async function refreshIndicatorFacts(ctx: AppContext, options: { batch?: number; maxBatches?: number } = {}): Promise<number> {
  const batch = options.batch ?? REFRESH_BATCH;
  let env: RulesEnv | null = null;
  let done = 0;
  for (let i = 0; i < (options.maxBatches ?? Infinity); i++) {
    const n = await ctx.db.tx(async (q) => {
      const ids = await store.claimStale(q, batch);
      if (!ids.length) return 0;
      env ??= { calendar: frozenCalendarConfig(await loadCalendarConfig(q)) };
      const now = ctx.now();
      const rows = (await store.loadFactsOf(q, ids)).map((r) => ({ ...judge(factsOf(r, env!, now)), code: r.code }));
      await store.replaceFacts(q, ids, rows, now);
      return ids.length;
    });
    done += n;
    if (n < batch) break;
  }
  return done;
}

export interface IndicatorReport {
  period: { label: string; from: string; to: string };
  asOf: string;
  index766: Index766;
  directive: DirectiveIndicators;
  groups: { dimension: Dimension; items: { key: string; name: string | null; index766: Index766 }[] } | null;
}

export interface IndicatorFilter {
  agencyCodes?: string[] | null;
  procedure?: string | null;
  commune?: string | null;
}

const factsFilter = (f: IndicatorFilter): store.FactsFilter => ({ agencyCodes: f.agencyCodes ?? null, procedureKey: f.procedure ?? null, communeCode: f.commune ?? null });

/**
 * A period's counts. Once begun, a period is counted from the rows once and kept (`keepPeriod`); every later change
 * to its dossiers' rows moves the kept counts, so a question reads the kept counts (a few hundred rows), plus, while
 * the period runs, the dossiers not yet late that the kept counts (judged at the end) already count late.
 */
async function periodTallies(ctx: AppContext, period: Period, now: Date, filter: store.FactsFilter, dimension: Dimension | null) {
  const asOf = judgedAt(period, now);
  if (period.from.getTime() > now.getTime()) return store.tallies(ctx.db, period, asOf, filter, dimension);
  await keepPeriod(ctx, period);
  return store.keptTallies(ctx.db, period, asOf, filter, dimension);
}

/** Counts a period that has begun once and keeps its counts (true), unless they are kept already (false). */
export async function keepPeriod(ctx: AppContext, period: Period): Promise<boolean> {
  const now = ctx.now();
  if (period.from.getTime() > now.getTime()) throw new Error('only a period that has begun can be kept');
  if (await store.hasRollup(ctx.db, period)) return false;
  return ctx.db.tx((q) => store.buildRollup(q, period, now));
}

export async function indicatorReport(ctx: AppContext, input: { period: string; dimension?: Dimension } & IndicatorFilter): Promise<IndicatorReport> {
  const now = ctx.now();
  const period = parsePeriod(input.period);
  const asOf = judgedAt(period, now);
  const filter = factsFilter(input);
  await refreshIndicatorFacts(ctx);
  const rows = await periodTallies(ctx, period, now, filter, input.dimension ?? null);
  const refused = await store.countRefusedPaperAttempts(ctx.db, period, filter.agencyCodes ?? null);
  const overall = rows.find((r) => r.key === null)!.tallies;
  let groups: IndicatorReport['groups'] = null;
  if (input.dimension) {
    const keyed = rows.filter((r): r is { key: string; tallies: Tallies } => r.key !== null);
    const names = input.dimension === 'procedure' ? new Map<string, string>() : await store.agencyNames(ctx.db, keyed.map((r) => r.key));
    const collator = new Intl.Collator('vi');
    groups = {
      dimension: input.dimension,
      items: keyed
        .map((r) => ({ key: r.key, name: names.get(r.key) ?? null, index766: scoreIndex766(r.tallies, period) }))
        .sort((a, b) => collator.compare(a.name ?? a.key, b.name ?? b.key)),
    };
  }
  return {
    period: { label: period.label, from: period.from.toISOString(), to: period.to.toISOString() },
    asOf: asOf.toISOString(),
    index766: scoreIndex766(overall, period),
    directive: directiveFromTallies(overall, period, { refusedAttempts: refused }),
    groups,
  };
}

export { DRILL_INDICATORS, type DrillIndicator } from './rules.ts';
export type DrillItem = store.DrillRow;

/**
 * The dossiers behind one number: `in` = the numerator, `out` = the denominator's rest (the late ones for 2.1, the
 * ones with a component short of an e-version for the inputs indicator).
 */
export async function drillDown(
  ctx: AppContext,
  input: { period: string; indicator: DrillIndicator; part: DrillPart; limit: number; offset: number } & IndicatorFilter,
): Promise<{ total: number; items: DrillItem[] }> {
  const now = ctx.now();
  const period = parsePeriod(input.period);
  const asOf = judgedAt(period, now);
  const filter = factsFilter(input);
  const sets = DRILL_SETS[input.indicator];
  await refreshIndicatorFacts(ctx);
  const total = drillTotal((await periodTallies(ctx, period, now, filter, null))[0]!.tallies, input.indicator, input.part);
  const items = await store.drillPage(ctx.db, period, asOf, filter, sets, input.part, { limit: input.limit, offset: input.offset });
  return { total, items };
}

/** Seconds between background derivations of stale fact rows (HOSO_INDICATOR_REFRESH_SECONDS, 0 = only on demand). */
export const DEFAULT_REFRESH_SECONDS = 5;

/**
 * Keeps the fact rows close to the records in the server process, so an answer finds few stale rows to derive
 * first. Several processes may each run one: batches are claimed with SKIP LOCKED.
 */
export function startIndicatorRefresher(ctx: AppContext, env: NodeJS.ProcessEnv = process.env): Periodic<number> | null {
  const raw = env.HOSO_INDICATOR_REFRESH_SECONDS;
  const seconds = raw === undefined || raw === '' ? DEFAULT_REFRESH_SECONDS : Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`HOSO_INDICATOR_REFRESH_SECONDS must be a non-negative number, got "${raw}"`);
  if (seconds === 0) return null;
  return startPeriodic(
    'indicator refresh',
    seconds * 1000,
    async () => {
      const n = await refreshIndicatorFacts(ctx);
      if (n) ctx.log.debug({ dossiers: n }, 'indicator facts derived');
      // The running and the last month and quarter are counted here, not by the first supervisor who asks for them.
      for (const p of periodsToKeep(ctx.now())) if (await keepPeriod(ctx, p)) ctx.log.info({ from: p.from, to: p.to }, 'indicator period kept');
      return n;
    },
    (err) => ctx.log.error({ err }, 'deriving indicator facts failed; retrying at the next interval'),
  );
}

export interface TodayReport extends store.TodayCounts {
  /** The day in Vietnam time, yyyy-mm-dd, and the instant the counts were taken at. */
  day: string;
  asOf: string;
}

/** Today at a glance for supervisors: intake by channel, the counter's queue, open dossiers late and due soon. */
export async function todayReport(ctx: AppContext): Promise<TodayReport> {
  const now = ctx.now();
  const day = localDay(now);
  await refreshIndicatorFacts(ctx);
  const counts = await store.todayCounts(ctx.db, new Date(instantMs(day, 0)), now);
  return { day: dayToIso(day), asOf: now.toISOString(), ...counts };
}
