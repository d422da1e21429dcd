/**
 * Wall-time arithmetic for Asia/Ho_Chi_Minh, done explicitly on UTC+7 so that results never depend on the
 * machine's TZ. Vietnam has used UTC+7 without daylight saving since 1975.
 *
 * Vocabulary: a "day" is an integer count of local civil days since 1970-01-01 (local); "minutes" are minutes
 * after local midnight; an ISO date string is `YYYY-MM-DD` in local civil time.
 */

export const VN_OFFSET_MS = 7 * 3_600_000;
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** Local (UTC+7) civil day of an instant. */
export function localDay(instant: Date | number): number {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  return Math.floor((t + VN_OFFSET_MS) / DAY_MS);
}

/** Milliseconds since local midnight of an instant. */
export function localTimeOfDayMs(instant: Date | number): number {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  return t + VN_OFFSET_MS - localDay(t) * DAY_MS;
}

/** UTC epoch milliseconds of local day `day` at `ms` after local midnight. */
export function instantMs(day: number, msOfDay: number): number {
  return day * DAY_MS + msOfDay - VN_OFFSET_MS;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function dayToIso(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → local day, or null if the string is not a real calendar date. */
export function isoToDay(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

export function dayOfDate(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** `dd/mm/yyyy`, the Vietnamese administrative date format. */
export function dayToVn(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** `HH:MM` → minutes after midnight (00:00..24:00), or null when malformed. */
export function parseHhmm(text: string): number | null {
  if (!HHMM.test(text)) return null;
  const [h, m] = text.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** ISO-8601 with the +07:00 offset; milliseconds shown only when present. */
export function formatInstant(instant: Date): string {
  const t = instant.getTime();
  const day = localDay(t);
  const ms = localTimeOfDayMs(t);
  const h = Math.floor(ms / 3_600_000);
  const mi = Math.floor((ms % 3_600_000) / MINUTE_MS);
  const s = Math.floor((ms % MINUTE_MS) / 1000);
  const frac = ms % 1000;
  return `${dayToIso(day)}T${pad(h)}:${pad(mi)}:${pad(s)}${frac ? `.${pad(frac, 3)}` : ''}+07:00`;
}

/** `HH:MM dd/mm/yyyy` for Vietnamese listings. */
export function formatInstantVn(instant: Date): string {
  const ms = localTimeOfDayMs(instant);
  const h = Math.floor(ms / 3_600_000);
  const mi = Math.floor((ms % 3_600_000) / MINUTE_MS);
  return `${pad(h)}:${pad(mi)} ${dayToVn(localDay(instant))}`;
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses ISO-8601 (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.sss]]`, optional `Z` or `±HH:MM`).
 * Without an offset the wall time is read in Asia/Ho_Chi_Minh, never in the machine's zone. Returns null when invalid.
 */
export function parseInstant(text: string): Date | null {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return null;
  const day = isoToDay(`${m[1]}-${m[2]}-${m[3]}`);
  if (day === null) return null;
  const h = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const s = Number(m[6] ?? 0);
  const frac = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  if (h > 23 || mi > 59 || s > 59) return null;
  let offsetMs = VN_OFFSET_MS;
  const z = m[8];
  if (z === 'Z') offsetMs = 0;
  else if (z) {
    const digits = z.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return null;
    offsetMs = (z[0] === '-' ? -1 : 1) * (oh * 60 + om) * MINUTE_MS;
  }
  return new Date(day * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + frac - offsetMs);
}
