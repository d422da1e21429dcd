/**
 * Periodic reports (tháng, quý) for the Public Administrative Service Center, as plain data: which rows a report
 * has, in which order, with which numbers — taken from an indicator report, never typed by hand. The workbook and
 * the signed PDF are two renderings of this one model, so they always say the same thing.
 */
import { VN_OFFSET_MS } from '../../calendar/time.ts';
import type { LocalizedText } from '../../platform/http/problem.ts';
import type { IndicatorReport } from '../indicators/service.ts';
import { DIRECTIVE_INDICATOR_NAMES, INDICATOR_766_NAMES, type Index766, type Index766Code } from '../indicators/rules.ts';

export interface ReportRow {
  /** Indicator code ('2.1' …) or directive key; stable, for tests and machine readers. */
  key: string;
  name: LocalizedText;
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator; null when nothing was there to judge. */
  rate: number | null;
  /** QĐ 766 rows only. */
  points?: number | null;
  maxPoints?: number;
}

export interface ReportGroup {
  key: string;
  name: string;
  points: number;
  maxPoints: number;
  /** Processed on time (2.1) in this group, the figure the Center follows most closely. */
  onTime: { numerator: number; denominator: number; rate: number | null };
}

/** A stored report as the API lists it (the web app reads the same shape). */
export interface ReportSummary {
  id: string;
  period: string;
  agencyCode: string | null;
  scopeName: string;
  asOf: string;
  generatedAt: string;
  generatedBy: { id: string; name: string | null } | null;
  downloads: number;
  files: { xlsx: string; pdf: string };
}

export interface ReportModel {
  period: { label: string; from: Date; to: Date; kind: 'month' | 'quarter' };
  asOf: Date;
  scope: { agencyCode: string | null; name: string };
  index766: { rows: ReportRow[]; points: number; maxPoints: number };
  directive: { rows: ReportRow[]; onlineTarget: number; refusedPaperRequests: number };
  /** Per agency (whole installation) or per procedure (one agency); ordered by Vietnamese name. */
  groups: { dimension: 'agency' | 'procedure'; items: ReportGroup[] };
}

const index766Rows = (index: Pick<Index766, 'indicators'>): ReportRow[] =>
  (Object.keys(INDICATOR_766_NAMES) as Index766Code[]).map((code) => {
    const i = index.indicators[code];
    return { key: code, name: INDICATOR_766_NAMES[code], numerator: i.numerator, denominator: i.denominator, rate: i.rate, points: i.points, maxPoints: i.maxPoints };
  });

/**
 * The report's model from an indicator report computed for the period (with its breakdown). `groupNames` names the
 * breakdown's keys where the indicator report has no name (procedures).
 */
export function reportModel(
  report: IndicatorReport,
  scope: { agencyCode: string | null; name: string },
  groupNames: ReadonlyMap<string, string> = new Map(),
): ReportModel {
  const d = report.directive;
  const ratio = (key: keyof typeof DIRECTIVE_INDICATOR_NAMES, r: { numerator: number; denominator: number; rate: number | null }): ReportRow => ({
    key,
    name: DIRECTIVE_INDICATOR_NAMES[key],
    numerator: r.numerator,
    denominator: r.denominator,
    rate: r.rate,
  });
  const collator = new Intl.Collator('vi');
  const items: ReportGroup[] = (report.groups?.items ?? [])
    .map((g) => {
      const onTime = g.index766.indicators['2.1'];
      return {
        key: g.key,
        name: g.name ?? groupNames.get(g.key) ?? g.key,
        points: g.index766.points,
        maxPoints: g.index766.maxPoints,
        onTime: { numerator: onTime.numerator, denominator: onTime.denominator, rate: onTime.rate },
      };
    })
    .sort((a, b) => collator.compare(a.name, b.name) || a.key.localeCompare(b.key));
  return {
    period: { label: report.period.label, from: new Date(report.period.from), to: new Date(report.period.to), kind: report.period.label.includes('Q') ? 'quarter' : 'month' },
    asOf: new Date(report.asOf),
    scope,
    index766: { rows: index766Rows(report.index766), points: report.index766.points, maxPoints: report.index766.maxPoints },
    directive: {
      rows: [
        ratio('inputsDigitizedAtReception', d.inputsDigitizedAtReception),
        ratio('signedElectronicResults', d.signedElectronicResults),
        ratio('processingStartedAtEReception', d.processingStartedAtEReception),
        ratio('onlineShare', d.onlineShare),
      ],
      onlineTarget: d.onlineShare.target,
      refusedPaperRequests: d.paperRequests.refusedAttempts,
    },
    groups: { dimension: scope.agencyCode ? 'procedure' : 'agency', items },
  };
}

/** "tháng 11/2026" or "quý IV/2026", as the report's title says it. */
export function periodText(label: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(label);
  if (q) return `quý ${['I', 'II', 'III', 'IV'][Number(q[2]) - 1]}/${q[1]}`;
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) return `tháng ${m[2]}/${m[1]}`;
  throw new RangeError(`not a report period: ${label}`);
}

const PERCENT = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const NUMBER = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

/** "85,0 %" (Vietnamese decimal comma, a space before the sign as in official documents); "—" for no rate. */
export function percentText(rate: number | null): string {
  return rate === null ? '—' : `${PERCENT.format(rate * 100)} %`;
}

export function numberText(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : NUMBER.format(value);
}

/** A file name without diacritics or spaces: bao-cao-2026-11-toan-thanh-pho.xlsx. */
export function reportFileName(model: Pick<ReportModel, 'period' | 'scope'>, format: 'xlsx' | 'pdf'): string {
  const scope = model.scope.agencyCode ? model.scope.agencyCode.replace(/[^0-9A-Za-z]+/g, '-') : 'toan-he-thong';
  return `bao-cao-${model.period.label.toLowerCase()}-${scope}.${format}`;
}

/**
 * The periods a schedule generates at `now`: the month that ended last, and the quarter when one ended with it,
 * each due from the first instant of the next period (Vietnam time) — what a monthly run on the 1st reports on.
 */
export function periodEndingBefore(now: Date): { month: string; quarter: string | null } {
  const local = new Date(now.getTime() + VN_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth(); // 0-based: the current month; the previous one is the report's
  const prev = y * 12 + m - 1;
  const py = Math.floor(prev / 12);
  const pm = (prev % 12) + 1;
  return { month: `${py}-${String(pm).padStart(2, '0')}`, quarter: pm % 3 === 0 ? `${py}-Q${pm / 3}` : null };
}

/** First instant (UTC) of the month after `now`'s month in Vietnam time: when the next scheduled run is due. */
export function nextMonthStart(now: Date): Date {
  const local = new Date(now.getTime() + VN_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - VN_OFFSET_MS);
}
