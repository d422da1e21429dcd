/**
 * Vietnamese lunisolar calendar (âm lịch), computed astronomically for the meridian of UTC+7.
 *
 * Rules (the ones Hồ Ngọc Đức documents for the Vietnamese calendar):
 * - a lunar month starts on the local (UTC+7) civil day that contains the new moon;
 * - month 11 is the month that contains the winter solstice (sun at 270°);
 * - when 13 new moons separate two consecutive months 11, the first month after month 11 that contains no
 *   major solar term (no multiple of 30° of solar longitude) is a leap month and repeats the preceding number.
 *
 * The day-level time zone is what makes this differ from Chinese-calendar libraries (UTC+8): e.g. Tết 2030 is
 * 2030-02-02 in Vietnam and 2030-02-03 in China. Astronomy follows Meeus, "Astronomical Algorithms" (ch. 25, 49),
 * truncated to the terms that decide the civil day. Pure functions; results are memoised per cycle.
 */

export interface SolarDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

export interface LunarDate {
  /** Lunar year number: the solar year in which its month 1 (Tết) begins. */
  year: number;
  month: number; // 1..12
  day: number; // 1..30
  /** True for the intercalary (nhuận) month that repeats `month`. */
  leap: boolean;
}

/** Supported range: conversions outside it throw RangeError (the truncated series drifts far from the present). */
export const LUNAR_MIN_YEAR = 1900;
export const LUNAR_MAX_YEAR = 2199;

const TZ_HOURS = 7;
const SYNODIC_MONTH = 29.530588853;
const DEG = Math.PI / 180;
/** Julian day number of 1970-01-01. */
const JDN_UNIX_EPOCH = 2440588;
/** Julian date of the mean new moon of 1900-01-01 (k = 0 in the series below). */
const NEW_MOON_EPOCH_JD = 2415021.076998695;

/** Julian day number (integer, noon-based) of a proleptic Gregorian date. */
export function julianDayNumber(d: SolarDate): number {
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000) + JDN_UNIX_EPOCH;
}

export function solarFromJulianDayNumber(jdn: number): SolarDate {
  const t = new Date((jdn - JDN_UNIX_EPOCH) * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Julian date (TT≈UT, fractional) of the k-th new moon after the one of January 1900. */
function newMoonJulianDate(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const mean =
    2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3 +
    0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * DEG);
  const sunAnomaly = (359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3) * DEG;
  const moonAnomaly = (306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3) * DEG;
  const latitudeArg = (21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3) * DEG;
  const correction =
    (0.1734 - 0.000393 * T) * Math.sin(sunAnomaly) +
    0.0021 * Math.sin(2 * sunAnomaly) -
    0.4068 * Math.sin(moonAnomaly) +
    0.0161 * Math.sin(2 * moonAnomaly) -
    0.0004 * Math.sin(3 * moonAnomaly) +
    0.0104 * Math.sin(2 * latitudeArg) -
    0.0051 * Math.sin(sunAnomaly + moonAnomaly) -
    0.0074 * Math.sin(sunAnomaly - moonAnomaly) +
    0.0004 * Math.sin(2 * latitudeArg + sunAnomaly) -
    0.0004 * Math.sin(2 * latitudeArg - sunAnomaly) -
    0.0006 * Math.sin(2 * latitudeArg + moonAnomaly) +
    0.001 * Math.sin(2 * latitudeArg - moonAnomaly) +
    0.0005 * Math.sin(2 * moonAnomaly + sunAnomaly);
  // ΔT (days): a coarse polynomial is enough because only the civil day of the new moon matters.
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return mean + correction - deltaT;
}

/** Julian day number of the UTC+7 civil day that contains the k-th new moon. */
function newMoonDay(k: number): number {
  return Math.floor(newMoonJulianDate(k) + 0.5 + TZ_HOURS / 24);
}

/** Apparent solar longitude in radians, normalised to [0, 2π), at Julian date `jd`. */
function solarLongitude(jd: number): number {
  const T = (jd - 2451545.0) / 36525;
  const T2 = T * T;
  const meanAnomaly = (357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2) * DEG;
  const meanLongitude = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  const centre =
    (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(meanAnomaly) +
    (0.019993 - 0.000101 * T) * Math.sin(2 * meanAnomaly) +
    0.00029 * Math.sin(3 * meanAnomaly);
  const lon = (meanLongitude + centre) * DEG;
  const full = 2 * Math.PI;
  return lon - full * Math.floor(lon / full);
}

/**
 * Index 0..11 of the 30° sector the sun is in at local (UTC+7) midnight starting civil day `jdn`.
 * Two month starts in the same sector mean the month between them contains no major solar term.
 */
function solarSectorAtDayStart(jdn: number): number {
  return Math.floor((solarLongitude(jdn - 0.5 - TZ_HOURS / 24) / Math.PI) * 6);
}

/** New-moon index whose civil day is the start of the month containing the winter solstice of `solarYear`. */
function month11Index(solarYear: number): number {
  const dec31 = julianDayNumber({ year: solarYear, month: 12, day: 31 });
  const k = Math.floor((dec31 - 2415021) / SYNODIC_MONTH);
  // If the month starting at the last new moon of the year already lies past the solstice sector (≥ 270°),
  // the solstice month is the one before.
  return solarSectorAtDayStart(newMoonDay(k)) >= 9 ? k - 1 : k;
}

interface MonthStart {
  jdn: number;
  lunarYear: number;
  month: number;
  leap: boolean;
  length: number;
}

/**
 * The lunar months of the cycle that starts with month 11 of solar year `y - 1` and ends before month 11 of
 * solar year `y`: months 11 and 12 (and any leap month among them) belong to lunar year `y - 1`, the rest to `y`.
 */
const cycleCache = new Map<number, MonthStart[]>();

function cycle(y: number): MonthStart[] {
  const cached = cycleCache.get(y);
  if (cached) return cached;
  const first = month11Index(y - 1);
  const last = month11Index(y);
  const starts: number[] = [];
  for (let k = first; k <= last; k++) starts.push(newMoonDay(k));
  const count = starts.length - 1; // 12 or 13 months
  let leapAt = -1;
  if (count === 13) {
    for (let i = 1; i < count; i++) {
      if (solarSectorAtDayStart(starts[i]!) === solarSectorAtDayStart(starts[i + 1]!)) {
        leapAt = i;
        break;
      }
    }
  }
  const months: MonthStart[] = [];
  let label = 10;
  let lunarYear = y - 1;
  for (let i = 0; i < count; i++) {
    const leap = i === leapAt;
    if (!leap) {
      label = label === 12 ? 1 : label + 1;
      if (label === 1) lunarYear = y;
    }
    months.push({ jdn: starts[i]!, lunarYear, month: label, leap, length: starts[i + 1]! - starts[i]! });
  }
  cycleCache.set(y, months);
  return months;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR) {
    throw new RangeError(`year ${year} outside the supported range ${LUNAR_MIN_YEAR}..${LUNAR_MAX_YEAR}`);
  }
}

function checkSolar(d: SolarDate): void {
  checkYear(d.year);
  const back = solarFromJulianDayNumber(julianDayNumber(d));
  if (!Number.isInteger(d.month) || !Number.isInteger(d.day) || back.month !== d.month || back.day !== d.day) {
    throw new RangeError(`invalid solar date ${d.year}-${d.month}-${d.day}`);
  }
}

/** Solar (Gregorian) date → Vietnamese lunar date. */
export function solarToLunar(d: SolarDate): LunarDate {
  checkSolar(d);
  const jdn = julianDayNumber(d);
  // The cycle for solar year y starts at month 11 of y-1 (in Nov/Dec of y-1); pick the one containing jdn.
  let months = cycle(d.year + 1);
  if (jdn < months[0]!.jdn) months = cycle(d.year);
  for (let i = months.length - 1; i >= 0; i--) {
    const m = months[i]!;
    if (jdn >= m.jdn) return { year: m.lunarYear, month: m.month, day: jdn - m.jdn + 1, leap: m.leap };
  }
  throw new RangeError(`no lunar month found for ${d.year}-${d.month}-${d.day}`);
}

function findMonth(year: number, month: number, leap: boolean): MonthStart | undefined {
  checkYear(year);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`invalid lunar month ${month}`);
  // Months 11 and 12 of lunar year Y sit at the start of the cycle of solar year Y+1.
  const months = month >= 11 ? cycle(year + 1) : cycle(year);
  return months.find((m) => m.lunarYear === year && m.month === month && m.leap === leap);
}

/** Vietnamese lunar date → solar date. Throws RangeError if the date does not exist (e.g. a missing leap month). */
export function lunarToSolar(l: LunarDate): SolarDate {
  const m = findMonth(l.year, l.month, l.leap);
  if (!m) throw new RangeError(`lunar year ${l.year} has no ${l.leap ? 'leap ' : ''}month ${l.month}`);
  if (!Number.isInteger(l.day) || l.day < 1 || l.day > m.length) {
    throw new RangeError(`lunar month ${l.month}${l.leap ? ' (leap)' : ''} of ${l.year} has ${m.length} days`);
  }
  return solarFromJulianDayNumber(m.jdn + l.day - 1);
}

/** Number of days (29 or 30) of a lunar month. */
export function lunarMonthLength(year: number, month: number, leap = false): number {
  const m = findMonth(year, month, leap);
  if (!m) throw new RangeError(`lunar year ${year} has no ${leap ? 'leap ' : ''}month ${month}`);
  return m.length;
}

/** The month number that is doubled (nhuận) in lunar year `year`, or 0 when the year has 12 months. */
export function leapMonthOf(year: number): number {
  checkYear(year);
  const months = [...cycle(year), ...cycle(year + 1)].filter((m) => m.lunarYear === year);
  return months.find((m) => m.leap)?.month ?? 0;
}

/** Mùng 1 Tết (1/1 lunar) of lunar year `year`, in the solar calendar. */
export function tetDate(year: number): SolarDate {
  return lunarToSolar({ year, month: 1, day: 1, leap: false });
}

/** Last day of lunar year `year - 1` (giao thừa day: 29 or 30 tháng Chạp) — the eve of Tết of `year`. */
export function tetEve(year: number): SolarDate {
  return solarFromJulianDayNumber(julianDayNumber(tetDate(year)) - 1);
}

const STEMS = ['Giáp', 'Ất', 'Bính', 'Đinh', 'Mậu', 'Kỷ', 'Canh', 'Tân', 'Nhâm', 'Quý'];
const BRANCHES = ['Tý', 'Sửu', 'Dần', 'Mão', 'Thìn', 'Tỵ', 'Ngọ', 'Mùi', 'Thân', 'Dậu', 'Tuất', 'Hợi'];

/** Sexagenary name of a lunar year, e.g. 2026 → "Bính Ngọ" (Vietnamese zodiac: Mão, not Rabbit's Chinese name). */
export function canChiYear(year: number): string {
  return `${STEMS[(((year + 6) % 10) + 10) % 10]} ${BRANCHES[(((year + 8) % 12) + 12) % 12]}`;
}

/** Vietnamese label of a lunar date, e.g. "mùng 1 tháng Giêng năm Bính Ngọ", "30 tháng Chạp năm Ất Tỵ". */
export function lunarDateLabel(l: LunarDate): string {
  const day = l.day <= 10 ? `mùng ${l.day}` : String(l.day);
  const month = l.month === 1 ? 'Giêng' : l.month === 12 ? 'Chạp' : String(l.month);
  return `${day} tháng ${month}${l.leap ? ' nhuận' : ''} năm ${canChiYear(l.year)}`;
}
