import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  canChiYear,
  julianDayNumber,
  leapMonthOf,
  lunarDateLabel,
  lunarMonthLength,
  lunarToSolar,
  solarFromJulianDayNumber,
  solarToLunar,
  tetDate,
  tetEve,
  type SolarDate,
} from './lunar.ts';

const iso = (d: SolarDate) =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const solar = (s: string): SolarDate => {
  const [year, month, day] = s.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};

interface ReferenceYear {
  year: number;
  tetMung1: string;
  tetStatutory5Days: [string, string];
  hungKings10thOf3rdMonth: string;
  chineseNewYearUTC8: string;
  differsFromChinese: boolean;
}

const referencePath = fileURLToPath(
  new URL('../../../shared/data/vn-lunar-holidays/lunar-holidays-2024-2035.json', import.meta.url),
);
const reference = JSON.parse(readFileSync(referencePath, 'utf8')) as { years: ReferenceYear[] };

describe('lunar dates 2024–2035 equal the shared reference table', () => {
  it('covers every year 2024..2035', () => {
    expect(reference.years.map((y) => y.year)).toEqual([2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035]);
  });
  for (const y of reference.years) {
    it(`${y.year}: Tết, the 5-day block from the eve, Giỗ Tổ Hùng Vương`, () => {
      expect(iso(tetDate(y.year))).toBe(y.tetMung1);
      expect(iso(tetEve(y.year))).toBe(y.tetStatutory5Days[0]);
      const fourth = solarFromJulianDayNumber(julianDayNumber(tetDate(y.year)) + 3);
      expect(iso(fourth)).toBe(y.tetStatutory5Days[1]);
      expect(iso(lunarToSolar({ year: y.year, month: 3, day: 10, leap: false }))).toBe(y.hungKings10thOf3rdMonth);
      // Where the Chinese (UTC+8) calendar differs, we must follow Vietnam, not China.
      if (y.differsFromChinese) expect(iso(tetDate(y.year))).not.toBe(y.chineseNewYearUTC8);
    });
  }
});

describe('known Vietnamese lunar facts', () => {
  it('Tết where the Chinese calendar differs (UTC+7 vs UTC+8)', () => {
    expect(iso(tetDate(1985))).toBe('1985-01-21');
    expect(iso(tetDate(2007))).toBe('2007-02-17');
    expect(iso(tetDate(2030))).toBe('2030-02-02');
  });

  it('leap months', () => {
    expect(leapMonthOf(2020)).toBe(4);
    expect(leapMonthOf(2023)).toBe(2);
    expect(leapMonthOf(2025)).toBe(6);
    expect(leapMonthOf(2026)).toBe(0);
    expect(leapMonthOf(2028)).toBe(5);
    expect(leapMonthOf(2031)).toBe(3);
    expect(leapMonthOf(2033)).toBe(11);
  });

  it('solar → lunar inside leap months', () => {
    expect(solarToLunar(solar('2025-07-25'))).toEqual({ year: 2025, month: 6, day: 1, leap: true });
    expect(solarToLunar(solar('2025-08-01'))).toEqual({ year: 2025, month: 6, day: 8, leap: true });
    expect(solarToLunar(solar('2033-12-23'))).toEqual({ year: 2033, month: 11, day: 2, leap: true });
    expect(iso(lunarToSolar({ year: 2025, month: 6, day: 1, leap: true }))).toBe('2025-07-25');
  });

  it('months 11 and 12 before Tết belong to the previous lunar year', () => {
    expect(solarToLunar(solar('2026-02-16'))).toEqual({ year: 2025, month: 12, day: 29, leap: false });
    expect(solarToLunar(solar('2026-02-17'))).toEqual({ year: 2026, month: 1, day: 1, leap: false });
    expect(solarToLunar(solar('2026-01-01'))).toMatchObject({ year: 2025, month: 11 });
  });

  it('rejects dates that do not exist', () => {
    expect(() => lunarToSolar({ year: 2026, month: 6, day: 1, leap: true })).toThrow(RangeError);
    const len = lunarMonthLength(2025, 12);
    expect(len === 29 || len === 30).toBe(true);
    expect(() => lunarToSolar({ year: 2025, month: 12, day: len + 1, leap: false })).toThrow(RangeError);
    expect(() => lunarToSolar({ year: 2025, month: 13, day: 1, leap: false })).toThrow(RangeError);
    expect(() => solarToLunar({ year: 2026, month: 2, day: 30 })).toThrow(RangeError);
    expect(() => tetDate(1800)).toThrow(RangeError);
  });

  it('labels in Vietnamese', () => {
    expect(canChiYear(2025)).toBe('Ất Tỵ');
    expect(canChiYear(2026)).toBe('Bính Ngọ');
    expect(canChiYear(2027)).toBe('Đinh Mùi');
    expect(lunarDateLabel({ year: 2026, month: 1, day: 1, leap: false })).toBe('mùng 1 tháng Giêng năm Bính Ngọ');
    expect(lunarDateLabel({ year: 2025, month: 6, day: 15, leap: true })).toBe('15 tháng 6 nhuận năm Ất Tỵ');
  });
});

describe('calendar structure over 1901–2198', () => {
  it('every solar day maps to the next lunar day, months have 29/30 days, years 12/13 months', () => {
    let prev = solarToLunar({ year: 1901, month: 1, day: 1 });
    const monthsPerYear = new Map<number, number>();
    const start = julianDayNumber({ year: 1901, month: 1, day: 2 });
    const end = julianDayNumber({ year: 2198, month: 12, day: 31 });
    let monthLength = prev.day;
    for (let jdn = start; jdn <= end; jdn++) {
      const s = solarFromJulianDayNumber(jdn);
      const l = solarToLunar(s);
      if (l.day === 1) {
        expect(monthLength === 29 || monthLength === 30).toBe(true);
        expect(prev.day).toBe(monthLength);
        monthLength = 1;
        monthsPerYear.set(l.year, (monthsPerYear.get(l.year) ?? 0) + 1);
        if (l.leap) expect(l.month).toBe(prev.month);
        else if (l.month === 1) expect([prev.month, l.year]).toEqual([12, prev.year + 1]);
        else expect(l.month).toBe(prev.month + 1);
      } else {
        expect(l).toEqual({ ...prev, day: prev.day + 1 });
        monthLength++;
      }
      prev = l;
    }
    for (let y = 1902; y <= 2197; y++) expect([12, 13]).toContain(monthsPerYear.get(y));
  });

  it('lunar → solar inverts solar → lunar', () => {
    for (let jdn = julianDayNumber({ year: 2020, month: 1, day: 1 }); jdn < julianDayNumber({ year: 2040, month: 1, day: 1 }); jdn += 3) {
      const s = solarFromJulianDayNumber(jdn);
      expect(lunarToSolar(solarToLunar(s))).toEqual(s);
    }
  });
});
