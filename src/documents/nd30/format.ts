/**
 * Vietnamese formatting for administrative documents: the ND 30/2020 place-and-date line, VND amounts and amounts in
 * words. Pure and independent of the machine's time zone and ICU data, so the same input gives the same bytes in a
 * PDF on every host.
 */

import { VN_OFFSET_MS, dayToVn, formatInstantVn, localDay } from '../../calendar/time.ts';

/** Calendar fields of an instant as seen in Asia/Ho_Chi_Minh. */
export interface VietnamDateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function vietnamDateParts(instant: Date): VietnamDateParts {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid date');
  // The calendar's fixed UTC+7 offset: Vietnam has kept it without daylight saving since 1975.
  const shifted = new Date(ms + VN_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Day and month as ND 30/2020 Phụ lục I writes them: days below 10 and the months 1 and 2 take a leading zero,
 * months 3–12 do not ("ngày 05 tháng 02", "ngày 17 tháng 3") — reference/vn-data.md §6. The zero on January and
 * February keeps a handwritten "1" or "2" from being extended to "11"/"12" on paper.
 */
export function formatDayMonth(instant: Date): { day: string; month: string; year: string } {
  const p = vietnamDateParts(instant);
  return { day: pad2(p.day), month: p.month <= 2 ? pad2(p.month) : String(p.month), year: String(p.year) };
}

/** "ngày 05 tháng 02 năm 2026" in Asia/Ho_Chi_Minh. */
export function formatVietnameseDateWords(instant: Date): string {
  const { day, month, year } = formatDayMonth(instant);
  return `ngày ${day} tháng ${month} năm ${year}`;
}

/** The place-and-date line of an administrative document: "Hà Nội, ngày 05 tháng 02 năm 2026". */
export function formatVietnameseDate(instant: Date, place: string): string {
  const name = place.normalize('NFC').trim();
  if (name === '') throw new RangeError('The place name of the date line is empty');
  return `${name}, ${formatVietnameseDateWords(instant)}`;
}

/** "14 giờ 05 phút, ngày 05 tháng 02 năm 2026": the instant wording of the one-stop forms (reception, hand-over). */
export function formatVietnameseInstant(instant: Date): string {
  const p = vietnamDateParts(instant);
  return `${pad2(p.hour)} giờ ${pad2(p.minute)} phút, ${formatVietnameseDateWords(instant)}`;
}

/** dd/mm/yyyy in Asia/Ho_Chi_Minh, for tables where the long wording does not fit. */
export function formatShortDate(instant: Date): string {
  return dayToVn(localDay(instant));
}

/** "14:05 05/02/2026" in Asia/Ho_Chi_Minh (the calendar's listing format). */
export function formatShortDateTime(instant: Date): string {
  return formatInstantVn(instant);
}

function checkAmount(amount: number | bigint): bigint {
  if (typeof amount === 'number' && !Number.isSafeInteger(amount)) {
    throw new RangeError(`A VND amount must be a whole number of đồng, got ${amount}`);
  }
  const value = BigInt(amount);
  if (value < 0n) throw new RangeError('A VND amount cannot be negative');
  return value;
}

/** Digits grouped by dots, the Vietnamese convention: 1500000 → "1.500.000". */
export function formatGroupedInteger(amount: number | bigint): string {
  return checkAmount(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/**
 * "1.500.000 đồng" (the word, as administrative prose writes it) or "1.500.000 ₫" (the symbol, for tables). The
 * đồng has no subunit in use, so fractions are refused rather than rounded silently.
 */
export function formatVnd(amount: number | bigint, unit: 'word' | 'symbol' = 'word'): string {
  return `${formatGroupedInteger(amount)} ${unit === 'word' ? 'đồng' : '₫'}`;
}

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];

/** Reads 0–999. `full` is set when a higher group precedes, so "005" reads "không trăm linh năm". */
function readTriple(n: number, full: boolean): string[] {
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const units = n % 10;
  const words: string[] = [];
  if (hundreds > 0 || full) words.push(DIGITS[hundreds], 'trăm');
  if (tens === 0) {
    if (units > 0 && (hundreds > 0 || full)) words.push('linh');
  } else if (tens === 1) {
    words.push('mười');
  } else {
    words.push(DIGITS[tens], 'mươi');
  }
  if (units > 0) {
    if (units === 1 && tens >= 2) words.push('mốt');
    else if (units === 5 && tens >= 1) words.push('lăm');
    else words.push(DIGITS[units]);
  }
  return words;
}

/** Reads 0 ≤ n < 10^9 with the groups triệu, nghìn and units; zero groups are skipped. */
function readBelowBillion(n: number, full: boolean): string[] {
  const groups: Array<[number, string | null]> = [
    [Math.floor(n / 1_000_000), 'triệu'],
    [Math.floor((n % 1_000_000) / 1000), 'nghìn'],
    [n % 1000, null],
  ];
  const words: string[] = [];
  let started = full;
  for (const [value, unit] of groups) {
    if (value === 0) continue;
    words.push(...readTriple(value, started));
    if (unit) words.push(unit);
    started = true;
  }
  return words;
}

function readNumber(n: bigint, full: boolean): string[] {
  const billion = 1_000_000_000n;
  if (n < billion) return readBelowBillion(Number(n), full);
  const high = n / billion;
  const low = Number(n % billion);
  const words = [...readNumber(high, full), 'tỷ'];
  if (low > 0) words.push(...readBelowBillion(low, true));
  return words;
}

/**
 * A whole number in Vietnamese words, capitalised: 1500000 → "Một triệu năm trăm nghìn". Uses "nghìn" and "linh"
 * (the northern forms used in Hanoi's documents) and "tỷ" repeated for larger groups ("một nghìn tỷ").
 */
export function numberToVietnameseWords(amount: number | bigint): string {
  const value = checkAmount(amount);
  const text = value === 0n ? 'không' : readNumber(value, false).join(' ');
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

/** "Một triệu năm trăm nghìn đồng": the "Bằng chữ" line of a fee. */
export function vndInWords(amount: number | bigint): string {
  return `${numberToVietnameseWords(amount)} đồng`;
}

/**
 * The number-and-symbol line "Số: 05/GTN-TTPVHCC". ND 30/2020 writes numbers below 10 with a leading zero. A draft
 * not yet registered by the records office has no number: the space is left for it, as on paper.
 */
export function formatDocumentNumber(value: number | null, symbol: string): string {
  const sym = symbol.normalize('NFC').trim();
  if (value === null) return `Số:        /${sym}`;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`A document number must be a positive integer, got ${value}`);
  return `Số: ${pad2(value)}/${sym}`;
}
