/**
 * The directive's indicators and the QĐ 766/QĐ-TTg index, as pure formulas over per-dossier facts that the store
 * derives from events (never from hand-entered figures). Each indicator returns its numerator and denominator as
 * dossier ids, so every number drills down to the dossiers behind it. Formulas and their sources:
 * docs/oversight.md and `../shared/reference/regulations.md` §4 (the 766 formula document).
 */
import { DAY_MS, VN_OFFSET_MS } from '../../calendar/time.ts';
import type { LocalizedText } from '../../platform/http/problem.ts';

// ---------------------------------------------------------------------------------------------------------------
// Inputs

/**
 * A component's validity basis (R2), 'EXEMPT' for a recorded exemption, or 'PAPER' for a component that has no
 * e-version — impossible for dossiers hoso received (R1 refuses it), possible in data synced from older systems,
 * and exactly what the directive's digitisation indicators must expose.
 */
export type ComponentBasisFact = 'DIGITIZED_SIGNED' | 'ECOPY_FROM_REGISTER' | 'E_CERTIFIED' | 'SELF_DECLARED' | 'REUSED' | 'EXEMPT' | 'PAPER';

/** What the formulas need to know about one dossier; instants are absolute. */
export interface DossierFacts {
  id: string;
  code: string | null;
  agency: string;
  /** Commune/ward code the dossier belongs to (receiving branch's commune), null when it is a city-level unit. */
  commune: string | null;
  procedure: string;
  channel: 'online' | 'counter';
  /** E-reception instant (R5); null when never received (refused at reception, withdrawn before). */
  receivedAt: Date | null;
  /**
   * Due instant for on-time judgement: the promised date moved by the supplement waits (the clock stops while the
   * applicant holds the dossier). An apology's new date does not move it: a late dossier stays late (766 2.1).
   */
  dueAt: Date | null;
  /** While the clock runs (not finished, not waiting for a supplement): when "due soon" starts (dashboard). */
  dueSoonAt: Date | null;
  /** Result ready (status 9), result returned (10), stopped (8): the first end state reached, if any. */
  processedAt: Date | null;
  returnedAt: Date | null;
  stoppedAt: Date | null;
  withdrawnAt: Date | null;
  /** Instants of supplement requests after reception (the rules allow one; attempts beyond it are still counted). */
  supplementRequests: Date[];
  /** Whether the last supplement request is still waiting for the applicant. */
  supplementOpen: boolean;
  /** Components with their basis; exempt components carry 'EXEMPT'. */
  components: ComponentBasisFact[];
  /** The result is an electronic document signed by the competent agency (R6). */
  electronicResult: boolean;
  /** Satisfaction rating 1–5 given after delivery, null when not rated. */
  rating: number | null;
  /** A complaint or "asked for paper" report about the dossier was confirmed. */
  complaint: boolean;
}

export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** A calendar month in Vietnam time (UTC+7): 1 = January. */
export function monthPeriod(year: number, month: number): Period {
  return { from: vnMidnight(year, month, 1), to: month === 12 ? vnMidnight(year + 1, 1, 1) : vnMidnight(year, month + 1, 1) };
}

/** A calendar quarter in Vietnam time: 1–4. */
export function quarterPeriod(year: number, quarter: number): Period {
  const first = (quarter - 1) * 3 + 1;
  return { from: vnMidnight(year, first, 1), to: quarter === 4 ? vnMidnight(year + 1, 1, 1) : vnMidnight(year, first + 3, 1) };
}

function vnMidnight(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day) - VN_OFFSET_MS);
}

/** A period's last instant (its end is exclusive): an ended period is judged there. */
export const lastInstant = (p: Period): Date => new Date(p.to.getTime() - 1);

/** The instant a period is judged at: its last instant, or `now` while it runs. */
export const judgedAt = (p: Period, now: Date): Date => new Date(Math.min(lastInstant(p).getTime(), now.getTime()));

/** The periods whose counts are kept ahead of questions at `now` (Vietnam time): the running and the last month and quarter. */
export function periodsToKeep(now: Date): Period[] {
  const local = new Date(now.getTime() + VN_OFFSET_MS);
  const month = local.getUTCFullYear() * 12 + local.getUTCMonth();
  const quarter = local.getUTCFullYear() * 4 + Math.floor(local.getUTCMonth() / 3);
  const m = (n: number) => monthPeriod(Math.floor(n / 12), (n % 12) + 1);
  const q = (n: number) => quarterPeriod(Math.floor(n / 4), (n % 4) + 1);
  return [m(month), q(quarter), m(month - 1), q(quarter - 1)];
}

const within = (t: Date | null, p: Period): boolean => t !== null && t >= p.from && t < p.to;

// ---------------------------------------------------------------------------------------------------------------
// Results

export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator, null when the denominator is 0 (nothing to judge: no score is given). */
  rate: number | null;
}

function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator ? numerator / denominator : null };
}

// ---------------------------------------------------------------------------------------------------------------
// Shared judgements

/**
 * End of handling for 766 2.1: the first of processed, returned, stopped. When the agency is waiting for the
 * applicant's supplement, the request instant is the end (the dossier is in the applicant's hands).
 */
export function handlingEnd(d: DossierFacts): Date | null {
  const ends = [d.processedAt, d.returnedAt, d.stoppedAt].filter((t): t is Date => t !== null);
  if (ends.length) return new Date(Math.min(...ends.map((t) => t.getTime())));
  if (d.supplementOpen && d.supplementRequests.length) return d.supplementRequests[d.supplementRequests.length - 1]!;
  return null;
}

/** Before any instant a dossier can be judged at: more than one supplement request is late whatever the dates. */
const ALWAYS_LATE = new Date(0);

/**
 * The instant after which the dossier counts as late when judged (766 2.1), null when it never does. Judged at
 * `asOf`, the end (if reached by then) or `asOf` itself is compared with the due instant, which already excludes
 * the supplement wait; so it is late exactly when `asOf` is past the due instant and the end, if any, is too.
 * More than one supplement request ⇒ late from the start.
 */
export function lateFrom(d: DossierFacts): Date | null {
  if (d.supplementRequests.length > 1) return ALWAYS_LATE;
  if (!d.dueAt) return null;
  const end = handlingEnd(d);
  return end === null || end.getTime() > d.dueAt.getTime() ? d.dueAt : null;
}

/** On time (766 2.1) when judged at `asOf` (for a past period, its last instant: an end reached later is still open then). */
export function isOnTime(d: DossierFacts, asOf: Date): boolean {
  const late = lateFrom(d);
  return late === null || asOf.getTime() <= late.getTime();
}

const E_BASES: readonly ComponentBasisFact[] = ['DIGITIZED_SIGNED', 'ECOPY_FROM_REGISTER', 'E_CERTIFIED', 'SELF_DECLARED', 'REUSED'];

/** Components that count (exempt ones left out), and how many of them are e-documents with a basis (R1). */
export function componentCounts(d: DossierFacts): { real: number; electronic: number } {
  const real = d.components.filter((c) => c !== 'EXEMPT');
  return { real: real.length, electronic: real.filter((c) => E_BASES.includes(c)).length };
}

/** A confirmed complaint, or a rating of 1–2 (very dissatisfied, dissatisfied), counts against 5.4. */
export function isComplaint(d: DossierFacts): boolean {
  return d.complaint || (d.rating !== null && d.rating <= 2);
}

/**
 * What a dossier is judged by, whatever the period: the facts reduced to instants and flags. The database keeps one
 * such row per dossier (`dossier_indicator_fact`), so a period's numbers are counts over rows (store.ts).
 */
export interface JudgedDossier {
  id: string;
  agency: string;
  commune: string | null;
  procedure: string;
  channel: 'online' | 'counter';
  receivedAt: Date | null;
  processedAt: Date | null;
  withdrawnAt: Date | null;
  handlingEnd: Date | null;
  lateFrom: Date | null;
  dueSoonAt: Date | null;
  componentsReal: number;
  componentsElectronic: number;
  reused: boolean;
  fullyDigitized: boolean;
  electronicResult: boolean;
  complaint: boolean;
}

export function judge(d: DossierFacts): JudgedDossier {
  const c = componentCounts(d);
  return {
    id: d.id,
    agency: d.agency,
    commune: d.commune,
    procedure: d.procedure,
    channel: d.channel,
    receivedAt: d.receivedAt,
    processedAt: d.processedAt,
    withdrawnAt: d.withdrawnAt,
    handlingEnd: handlingEnd(d),
    lateFrom: lateFrom(d),
    dueSoonAt: d.dueSoonAt,
    componentsReal: c.real,
    componentsElectronic: c.electronic,
    reused: d.components.includes('REUSED'),
    // Every non-exempt component an e-document with a basis, and at least one.
    fullyDigitized: c.real > 0 && c.electronic === c.real,
    electronicResult: d.electronicResult,
    complaint: isComplaint(d),
  };
}

/**
 * The sets a period's formulas count, for one judged dossier. `store.ts` writes each as a SQL predicate over
 * `dossier_indicator_fact`; a test holds the two to the same answers on the hand-computed fixture.
 */
export const SETS = [
  'received', // received in the period
  'online', // … online
  'counter', // … at the counter
  'counterComplete', // … at the counter, every non-exempt component an e-document
  'reused', // … reusing an e-store document
  'eReception', // … every input an e-document at the reception instant
  'handled', // received before the period's end, not finished before its start, not withdrawn (766 2.1, 5.4)
  'onTime', // handled, on time
  'complaint', // handled, with a complaint or a low rating
  'satisfied', // handled, on time and no complaint
  'resulted', // result ready in the period
  'electronicResult', // … as an agency-signed e-document
  'digitizedResult', // … and every input an e-document
] as const;
export type IndicatorSet = (typeof SETS)[number];

/** Which of the sets the dossier belongs to in `period`, judged at `asOf`. */
export function membership(d: JudgedDossier, p: Period, asOf: Date): Record<IndicatorSet, boolean> {
  const received = within(d.receivedAt, p);
  const counter = received && d.channel === 'counter';
  const handled =
    d.receivedAt !== null && d.receivedAt < p.to && !(d.withdrawnAt !== null && d.withdrawnAt < p.to) && (d.handlingEnd === null || d.handlingEnd >= p.from);
  const onTime = handled && (d.lateFrom === null || asOf.getTime() <= d.lateFrom.getTime());
  const resulted = within(d.processedAt, p);
  return {
    received,
    online: received && d.channel === 'online',
    counter,
    counterComplete: counter && d.componentsElectronic === d.componentsReal,
    reused: received && d.reused,
    eReception: received && d.fullyDigitized,
    handled,
    onTime,
    complaint: handled && d.complaint,
    satisfied: onTime && !d.complaint,
    resulted,
    electronicResult: resulted && d.electronicResult,
    digitizedResult: resulted && d.electronicResult && d.fullyDigitized,
  };
}

/** A period's counts: each set's size, and the components of counter dossiers received (all, and e-documents). */
export type Tallies = Record<IndicatorSet, number> & { counterComponents: number; counterComponentsElectronic: number };

export function addTallies(a: Tallies, b: Tallies): Tallies {
  const t = emptyTallies();
  for (const k of Object.keys(t) as (keyof Tallies)[]) t[k] = a[k] + b[k];
  return t;
}

export function emptyTallies(): Tallies {
  return { ...(Object.fromEntries(SETS.map((s) => [s, 0])) as Record<IndicatorSet, number>), counterComponents: 0, counterComponentsElectronic: 0 };
}

export function tally(facts: readonly DossierFacts[], p: Period, asOf: Date): Tallies {
  const t = emptyTallies();
  for (const f of facts) {
    const d = judge(f);
    const m = membership(d, p, asOf);
    for (const s of SETS) if (m[s]) t[s]++;
    if (m.counter) {
      t.counterComponents += d.componentsReal;
      t.counterComponentsElectronic += d.componentsElectronic;
    }
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// QĐ 766 indicators

export type Index766Code = '2.1' | '3.3' | '4.1' | '4.2' | '4.3' | '5.4';

/** What each QĐ 766 indicator measures, as the dashboard and the periodic reports name it. */
export const INDICATOR_766_NAMES: Readonly<Record<Index766Code, LocalizedText>> = Object.freeze({
  '2.1': { vi: 'Giải quyết đúng hạn', en: 'Processed on time' },
  '3.3': { vi: 'Hồ sơ nộp trực tuyến', en: 'Submitted online' },
  '4.1': { vi: 'Kết quả điện tử', en: 'Electronic results' },
  '4.2': { vi: 'Số hóa hồ sơ và kết quả', en: 'Digitised dossiers and results' },
  '4.3': { vi: 'Tái sử dụng dữ liệu số hóa', en: 'Reuse of digitised data' },
  '5.4': { vi: 'Mức độ hài lòng', en: 'Satisfaction' },
});

/** The directive's indicators by their key in `DirectiveIndicators`. */
export const DIRECTIVE_INDICATOR_NAMES = Object.freeze({
  inputsDigitizedAtReception: { vi: 'Thành phần hồ sơ tại quầy được số hóa, ký số khi tiếp nhận', en: 'Counter components digitised and signed at reception' },
  signedElectronicResults: { vi: 'Kết quả cấp dưới dạng điện tử có ký số', en: 'Results issued as signed e-documents' },
  processingStartedAtEReception: { vi: 'Hồ sơ bắt đầu xử lý ngay khi tiếp nhận điện tử', en: 'Dossiers processed from e-reception on' },
  onlineShare: { vi: 'Tỷ lệ hồ sơ trực tuyến', en: 'Online share' },
  paperRequests: { vi: 'Yêu cầu giấy tờ bị hệ thống từ chối', en: 'Paper requests refused by the system' },
} satisfies Record<string, LocalizedText>);

export interface Index766Indicator extends Ratio {
  code: Index766Code;
  /** The value the score is computed from (equals `rate`, except 5.4 which is 1 − late − complaints). */
  value: number | null;
  /** The rate at which full marks are reached. */
  fullMarksAt: number;
  maxPoints: number;
  points: number | null;
}

/**
 * Points per indicator. QĐ 766 fixes the group maxima (progress 20, digitisation 22, online 22, satisfaction 18);
 * the split of a group among its indicators is configuration, with these defaults (docs/oversight.md).
 */
export const DEFAULT_766_POINTS: Readonly<Record<Index766Code, number>> = Object.freeze({
  '2.1': 20,
  '3.3': 8,
  '4.1': 6,
  '4.2': 8,
  '4.3': 8,
  '5.4': 6,
});

const FULL_MARKS_AT: Readonly<Record<Index766Code, number>> = Object.freeze({
  '2.1': 1,
  '3.3': 0.5,
  '4.1': 1,
  '4.2': 0.8,
  '4.3': 0.8,
  '5.4': 0.9,
});

/** Linear up to the full-marks rate, full marks above it; rounded to hundredths of a point. */
export function scorePoints(value: number | null, fullMarksAt: number, maxPoints: number): number | null {
  if (value === null) return null;
  const share = Math.min(1, Math.max(0, value) / fullMarksAt);
  return Math.round(share * maxPoints * 100) / 100;
}

function indicator(code: Index766Code, r: Ratio, points: Readonly<Record<Index766Code, number>>, value: number | null = r.rate): Index766Indicator {
  return { code, ...r, value, fullMarksAt: FULL_MARKS_AT[code], maxPoints: points[code], points: scorePoints(value, FULL_MARKS_AT[code], points[code]) };
}

export interface Index766 {
  period: Period;
  indicators: Record<Index766Code, Index766Indicator>;
  /** Sum of the points that could be computed, and of their maxima (an indicator without dossiers scores nothing). */
  points: number;
  maxPoints: number;
}

/**
 * The QĐ 766 indicators hoso can compute from its own records, from a period's counts (`tally`, or the same counts
 * from the database): on time (2.1) over the handled dossiers; online (3.3) and reuse (4.3) over those received;
 * e-results (4.1) and digitisation (4.2) over the results of the period; satisfaction (5.4) = 100 % − (late rate +
 * complaint rate) over the handled dossiers, a late complaint counting twice.
 */
export function scoreIndex766(t: Tallies, period: Period, points: Readonly<Record<Index766Code, number>> = DEFAULT_766_POINTS): Index766 {
  const onTime = ratio(t.onTime, t.handled);
  const satisfactionValue = t.handled ? 1 - (1 - onTime.rate!) - t.complaint / t.handled : null;
  const indicators: Record<Index766Code, Index766Indicator> = {
    '2.1': indicator('2.1', onTime, points),
    '3.3': indicator('3.3', ratio(t.online, t.received), points),
    '4.1': indicator('4.1', ratio(t.electronicResult, t.resulted), points),
    '4.2': indicator('4.2', ratio(t.digitizedResult, t.resulted), points),
    '4.3': indicator('4.3', ratio(t.reused, t.received), points),
    '5.4': indicator('5.4', ratio(t.satisfied, t.handled), points, satisfactionValue === null ? null : Math.max(0, satisfactionValue)),
  };
  const scored = Object.values(indicators).filter((i) => i.points !== null);
  return {
    period,
    indicators,
    points: Math.round(scored.reduce((s, i) => s + i.points!, 0) * 100) / 100,
    maxPoints: scored.reduce((s, i) => s + i.maxPoints, 0),
  };
}

/** The index for the dossiers given (already filtered to an agency, commune or procedure); `asOf` judges those in progress. */
export function index766(facts: readonly DossierFacts[], period: Period, asOf: Date, points: Readonly<Record<Index766Code, number>> = DEFAULT_766_POINTS): Index766 {
  return scoreIndex766(tally(facts, period, asOf), period, points);
}

// ---------------------------------------------------------------------------------------------------------------
// Directive 08/CT-UBND indicators

/** The directive's target for the share of dossiers submitted online. */
export const ONLINE_TARGET = 0.8;

export interface ComponentShare {
  numerator: number;
  denominator: number;
  rate: number | null;
  /** Counter dossiers received in the period, and how many have a component outside the numerator (to look at). */
  dossiers: number;
  shortfallDossiers: number;
}

export interface DirectiveIndicators {
  period: Period;
  /** Components of counter dossiers received in the period that are e-documents with a basis (exempt ones left out). */
  inputsDigitizedAtReception: ComponentShare;
  /** Results issued in the period as agency-signed e-documents. */
  signedElectronicResults: Ratio;
  /** Dossiers received in the period whose every input was an e-document at the reception instant (R1, R5). */
  processingStartedAtEReception: Ratio;
  /** Online share of the dossiers received in the period, against the 80 % target. */
  onlineShare: Ratio & { target: number; meetsTarget: boolean | null };
  /** Requests for paper the system refused and recorded (R3, `violation_attempt`). */
  paperRequests: { refusedAttempts: number };
}

export function directiveFromTallies(t: Tallies, period: Period, paperRequests: { refusedAttempts: number }): DirectiveIndicators {
  const online = ratio(t.online, t.received);
  const inputs = ratio(t.counterComponentsElectronic, t.counterComponents);
  return {
    period,
    inputsDigitizedAtReception: { ...inputs, dossiers: t.counter, shortfallDossiers: t.counter - t.counterComplete },
    signedElectronicResults: ratio(t.electronicResult, t.resulted),
    processingStartedAtEReception: ratio(t.eReception, t.received),
    onlineShare: { ...online, target: ONLINE_TARGET, meetsTarget: online.rate === null ? null : online.rate >= ONLINE_TARGET },
    paperRequests,
  };
}

/** The directive's indicators for the dossiers given (none of them depends on the instant of judgement). */
export function directiveIndicators(facts: readonly DossierFacts[], period: Period, paperRequests: { refusedAttempts: number }): DirectiveIndicators {
  return directiveFromTallies(tally(facts, period, period.to), period, paperRequests);
}

// ---------------------------------------------------------------------------------------------------------------
// Drill-down

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

/** The denominator's set and the numerator's set behind each number. */
export const DRILL_SETS: Readonly<Record<DrillIndicator, { all: IndicatorSet; in: IndicatorSet }>> = Object.freeze({
  '766-2.1': { all: 'handled', in: 'onTime' },
  '766-3.3': { all: 'received', in: 'online' },
  '766-4.1': { all: 'resulted', in: 'electronicResult' },
  '766-4.2': { all: 'resulted', in: 'digitizedResult' },
  '766-4.3': { all: 'received', in: 'reused' },
  '766-5.4': { all: 'handled', in: 'satisfied' },
  // For the inputs indicator, `out` = counter dossiers with a component short of an e-version.
  'directive-inputs': { all: 'counter', in: 'counterComplete' },
  'directive-results': { all: 'resulted', in: 'electronicResult' },
  'directive-ereception': { all: 'received', in: 'eReception' },
  'directive-online': { all: 'received', in: 'online' },
});

export type DrillPart = 'in' | 'out' | 'all';

/** The dossiers behind one number: `in` = the numerator, `out` = the rest of the denominator, `all` = the denominator. */
export function inDrill(m: Readonly<Record<IndicatorSet, boolean>>, indicator: DrillIndicator, part: DrillPart): boolean {
  const sets = DRILL_SETS[indicator];
  if (!m[sets.all]) return false;
  return part === 'all' ? true : part === 'in' ? m[sets.in] : !m[sets.in];
}

/** How many dossiers `inDrill` lists, from the period's counts (each numerator's set lies within its denominator's). */
export function drillTotal(t: Tallies, indicator: DrillIndicator, part: DrillPart): number {
  const sets = DRILL_SETS[indicator];
  return part === 'all' ? t[sets.all] : part === 'in' ? t[sets.in] : t[sets.all] - t[sets.in];
}

/** `inDrill` over a list of facts, in their order: the ids. */
export function drillIds(facts: readonly DossierFacts[], p: Period, asOf: Date, indicator: DrillIndicator, part: DrillPart): string[] {
  return facts.filter((f) => inDrill(membership(judge(f), p, asOf), indicator, part)).map((f) => f.id);
}

// ---------------------------------------------------------------------------------------------------------------
// Breakdowns

export type Dimension = 'agency' | 'commune' | 'procedure';

/** Groups facts by agency, commune/ward or procedure (dossiers without a commune are left out of that breakdown). */
export function groupBy(facts: readonly DossierFacts[], dimension: Dimension): Map<string, DossierFacts[]> {
  const groups = new Map<string, DossierFacts[]>();
  for (const d of facts) {
    const key = dimension === 'agency' ? d.agency : dimension === 'commune' ? d.commune : d.procedure;
    if (key === null) continue;
    const list = groups.get(key);
    if (list) list.push(d);
    else groups.set(key, [d]);
  }
  return groups;
}

/** Monthly trend: the index for each of `months` consecutive months ending with (year, month). */
export function monthlyTrend(facts: readonly DossierFacts[], year: number, month: number, months: number, now: Date): Index766[] {
  const out: Index766[] = [];
  for (let i = months - 1; i >= 0; i--) {
    const m0 = year * 12 + (month - 1) - i;
    const p = monthPeriod(Math.floor(m0 / 12), (m0 % 12) + 1);
    out.push(index766(facts, p, judgedAt(p, now)));
  }
  return out;
}

/** Whole days in a period, for reports. */
export function periodDays(p: Period): number {
  return Math.round((p.to.getTime() - p.from.getTime()) / DAY_MS);
}
