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

const within = (t: Date | null, p: Period): t is Date => t !== null && t >= p.from && t < p.to;

// ---------------------------------------------------------------------------------------------------------------
// Results

export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator, null when the denominator is 0 (nothing to judge: no score is given). */
  rate: number | null;
  /** The dossiers behind each number. */
  numeratorIds: string[];
  denominatorIds: string[];
}

function ratio(denominator: DossierFacts[], inNumerator: (d: DossierFacts) => boolean): Ratio {
  const num = denominator.filter(inNumerator);
  return {
    numerator: num.length,
    denominator: denominator.length,
    rate: denominator.length ? num.length / denominator.length : null,
    numeratorIds: num.map((d) => d.id),
    denominatorIds: denominator.map((d) => d.id),
  };
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

/**
 * On time (766 2.1): more than one supplement request ⇒ late; otherwise the end (or `asOf` for one still in
 * progress at `asOf`) is not after the due instant, which already excludes the supplement wait.
 */
export function isOnTime(d: DossierFacts, asOf: Date): boolean {
  if (d.supplementRequests.length > 1) return false;
  if (!d.dueAt) return true;
  // Judged as of `asOf`: an end reached only later (a past period seen today) counts as still in progress then.
  const end = handlingEnd(d);
  const at = end && end <= asOf ? end : asOf;
  return at.getTime() <= d.dueAt.getTime();
}

/** Handled in the period: received before its end and not finished before its start. Withdrawn ones are left out. */
function handledIn(d: DossierFacts, p: Period): boolean {
  if (!d.receivedAt || d.receivedAt >= p.to) return false;
  if (d.withdrawnAt && d.withdrawnAt < p.to) return false;
  const end = handlingEnd(d);
  return end === null || end >= p.from;
}

const E_BASES: readonly ComponentBasisFact[] = ['DIGITIZED_SIGNED', 'ECOPY_FROM_REGISTER', 'E_CERTIFIED', 'SELF_DECLARED', 'REUSED'];

/** Every non-exempt component is an e-document with a validity basis (R1), and there is at least one. */
function fullyDigitized(d: DossierFacts): boolean {
  const real = d.components.filter((c) => c !== 'EXEMPT');
  return real.length > 0 && real.every((c) => E_BASES.includes(c));
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
 * The QĐ 766 indicators hoso can compute from its own records, for the dossiers given (already filtered to an
 * agency, commune or procedure) in `period`; `asOf` judges dossiers still in progress (usually min(period end, now)).
 */
export function index766(facts: readonly DossierFacts[], period: Period, asOf: Date, points: Readonly<Record<Index766Code, number>> = DEFAULT_766_POINTS): Index766 {
  const handled = facts.filter((d) => handledIn(d, period));
  const received = facts.filter((d) => within(d.receivedAt, period));
  const resulted = facts.filter((d) => within(d.processedAt, period));
  const onTime = ratio(handled, (d) => isOnTime(d, asOf));

  // 5.4: 100 % − (late rate + complaint rate) over the dossiers handled in the period.
  const complaints = handled.filter((d) => d.complaint || (d.rating !== null && d.rating <= 2));
  const satisfied = ratio(handled, (d) => isOnTime(d, asOf) && !complaints.includes(d));
  const satisfactionValue = handled.length ? 1 - (1 - onTime.rate!) - complaints.length / handled.length : null;

  const indicators: Record<Index766Code, Index766Indicator> = {
    '2.1': indicator('2.1', onTime, points),
    '3.3': indicator('3.3', ratio(received, (d) => d.channel === 'online'), points),
    '4.1': indicator('4.1', ratio(resulted, (d) => d.electronicResult), points),
    '4.2': indicator('4.2', ratio(resulted, (d) => fullyDigitized(d) && d.electronicResult), points),
    '4.3': indicator('4.3', ratio(received, (d) => d.components.includes('REUSED')), points),
    '5.4': indicator('5.4', satisfied, points, satisfactionValue === null ? null : Math.max(0, satisfactionValue)),
  };
  const scored = Object.values(indicators).filter((i) => i.points !== null);
  return {
    period,
    indicators,
    points: Math.round(scored.reduce((s, i) => s + i.points!, 0) * 100) / 100,
    maxPoints: scored.reduce((s, i) => s + i.maxPoints, 0),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Directive 08/CT-UBND indicators

/** The directive's target for the share of dossiers submitted online. */
export const ONLINE_TARGET = 0.8;

export interface ComponentShare {
  numerator: number;
  denominator: number;
  rate: number | null;
  /** Dossiers with at least one component outside the numerator (the ones to look at). */
  shortfallIds: string[];
  denominatorIds: string[];
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
  /**
   * Requests for paper the system refused and recorded (R3, `violation_attempt`). Citizens' reports and their
   * confirmation join these when the violations register is built.
   */
  paperRequests: { refusedAttempts: number };
}

export function directiveIndicators(
  facts: readonly DossierFacts[],
  period: Period,
  paperRequests: { refusedAttempts: number },
): DirectiveIndicators {
  const received = facts.filter((d) => within(d.receivedAt, period));
  const counter = received.filter((d) => d.channel === 'counter');
  let num = 0;
  let den = 0;
  const shortfall: string[] = [];
  for (const d of counter) {
    const real = d.components.filter((c) => c !== 'EXEMPT');
    const ok = real.filter((c) => E_BASES.includes(c)).length;
    num += ok;
    den += real.length;
    if (ok < real.length) shortfall.push(d.id);
  }
  const online = ratio(received, (d) => d.channel === 'online');
  return {
    period,
    inputsDigitizedAtReception: { numerator: num, denominator: den, rate: den ? num / den : null, shortfallIds: shortfall, denominatorIds: counter.map((d) => d.id) },
    signedElectronicResults: ratio(
      facts.filter((d) => within(d.processedAt, period)),
      (d) => d.electronicResult,
    ),
    processingStartedAtEReception: ratio(received, fullyDigitized),
    onlineShare: { ...online, target: ONLINE_TARGET, meetsTarget: online.rate === null ? null : online.rate >= ONLINE_TARGET },
    paperRequests,
  };
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
    out.push(index766(facts, p, new Date(Math.min(p.to.getTime() - 1, now.getTime()))));
  }
  return out;
}

/** Whole days in a period, for reports. */
export function periodDays(p: Period): number {
  return Math.round((p.to.getTime() - p.from.getTime()) / DAY_MS);
}
