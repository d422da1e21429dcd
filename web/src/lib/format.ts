/**
 * Shared formatters. Vietnamese public administration writes dates as dd/mm/yyyy and amounts in đồng with dots
 * as thousands separators, whatever the UI language, so these do not follow the language switch.
 * Every date is shown in Asia/Ho_Chi_Minh: officers and applicants read the same clock as the legal deadlines.
 */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const dateParts = new Intl.DateTimeFormat('vi-VN', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const vnd = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 });
const integer = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });

export type DateInput = Date | string | number;

function toDate(value: DateInput): Date {
  // A bare ISO date (yyyy-mm-dd) names a civil day, not an instant: pin it to noon in Vietnam so no zone shifts it.
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T12:00:00+07:00`);
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(value)}`);
  return date;
}

function parts(value: DateInput): Record<'day' | 'month' | 'year' | 'hour' | 'minute', string> {
  const out = { day: '', month: '', year: '', hour: '', minute: '' };
  for (const p of dateParts.formatToParts(toDate(value))) {
    if (p.type in out) out[p.type as keyof typeof out] = p.value;
  }
  return out;
}

/** 17/02/2026 */
export function formatDate(value: DateInput): string {
  const p = parts(value);
  return `${p.day}/${p.month}/${p.year}`;
}

/** 17/02/2026 10:04 (24-hour clock, Vietnam time). */
export function formatDateTime(value: DateInput): string {
  const p = parts(value);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** 1.500.000 ₫ (a no-break space before the sign keeps the amount on one line). */
export function formatVnd(amount: number): string {
  if (!Number.isFinite(amount)) throw new RangeError(`not an amount: ${amount}`);
  return vnd.format(amount);
}

/** 1.234.567 */
export function formatInteger(value: number): string {
  return integer.format(value);
}
