/** Shapes of the oversight API (src/oversight/*) as the web app reads them, and small pure helpers. */
import { TIME_ZONE } from '../lib/format.ts';

export type Index766Code = '2.1' | '3.3' | '4.1' | '4.2' | '4.3' | '5.4';

export interface RatioJson {
  numerator: number;
  denominator: number;
  rate: number | null;
}

export interface IndicatorJson extends RatioJson {
  code: Index766Code;
  value: number | null;
  fullMarksAt: number;
  maxPoints: number;
  points: number | null;
}

export interface Index766Json {
  indicators: Record<Index766Code, IndicatorJson>;
  points: number;
  maxPoints: number;
}

export interface IndicatorReportJson {
  period: { label: string; from: string; to: string };
  asOf: string;
  index766: Index766Json;
  directive: {
    inputsDigitizedAtReception: RatioJson;
    signedElectronicResults: RatioJson;
    processingStartedAtEReception: RatioJson;
    onlineShare: RatioJson & { target: number; meetsTarget: boolean | null };
    paperRequests: { refusedAttempts: number };
  };
  groups: { dimension: string; items: { key: string; name: string | null; index766: Index766Json }[] } | null;
}

export interface ViolationJson {
  id: string;
  source: 'refused_attempt' | 'citizen_report' | 'late_without_apology' | 'extra_supplement';
  rule: string;
  dossier: { id: string; code: string | null } | null;
  agency: { code: string; name: string | null } | null;
  description: string;
  state: 'open' | 'assigned' | 'investigating' | 'closed';
  assignee: { id: string; username: string | null; name: string | null } | null;
  finding: 'confirmed' | 'unfounded' | null;
  findingNote: string | null;
  createdAt: string;
  closedAt: string | null;
}

export const INDICATOR_CODES: readonly Index766Code[] = ['2.1', '3.3', '4.1', '4.2', '4.3', '5.4'];

/** The month containing `now` in Vietnam time, as the API's period (`2026-03`). */
export function currentMonth(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit' }).formatToParts(now);
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}

/** The `count` months ending with `period`, oldest first. */
export function previousMonths(period: string, count: number): string[] {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const n = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** A share as Vietnamese or English percent text (one decimal), or an em dash when there is nothing to judge. */
export function percent(rate: number | null, lang: 'vi' | 'en'): string {
  if (rate === null) return '—';
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rate);
}

export function points(value: number | null, lang: 'vi' | 'en'): string {
  if (value === null) return '—';
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 }).format(value);
}

export type { ReportSummary as ReportJson } from '../../../src/oversight/reports/rules.ts';

const ROMAN = ['I', 'II', 'III', 'IV'];

/** A report period (`2026-11`, `2026-Q4`) as words: "Tháng 11/2026", "Quý IV/2026" / "11/2026", "Q4 2026". */
export function periodLabel(period: string, lang: 'vi' | 'en'): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) return lang === 'vi' ? `Quý ${ROMAN[Number(q[2]) - 1]}/${q[1]}` : `Q${q[2]} ${q[1]}`;
  const [y, m] = period.split('-');
  return lang === 'vi' ? `Tháng ${m}/${y}` : `${m}/${y}`;
}

/** Periods a report can be made for at `now`: the last 12 months and the last 4 quarters, newest first (all started). */
export function reportPeriods(now: Date = new Date()): string[] {
  const months = previousMonths(currentMonth(now), 12).reverse();
  const [y, m] = months[0]!.split('-').map(Number) as [number, number];
  const quarters: string[] = [];
  for (let i = 0; i < 4; i++) {
    const n = y * 4 + Math.floor((m - 1) / 3) - i;
    quarters.push(`${Math.floor(n / 4)}-Q${(n % 4) + 1}`);
  }
  return [...months, ...quarters];
}
