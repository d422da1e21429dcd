import { describe, expect, it } from 'vitest';
import { currentMonth, percent, periodLabel, points, previousMonths, reportPeriods } from './model.ts';

describe('oversight web helpers', () => {
  it('the month is Vietnam time', () => {
    expect(currentMonth(new Date('2026-03-31T17:30:00Z'))).toBe('2026-04');
    expect(currentMonth(new Date('2026-03-31T16:30:00Z'))).toBe('2026-03');
  });
  it('previous months cross the year', () => {
    expect(previousMonths('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
  it('percent and points in Vietnamese', () => {
    expect(percent(0.6923, 'vi')).toBe('69,2%');
    expect(percent(null, 'vi')).toBe('—');
    expect(points(13.85, 'vi')).toBe('13,85');
    expect(points(13.85, 'en')).toBe('13.85');
  });
  it('report periods: the last 12 months and 4 quarters, newest first, in Vietnam time', () => {
    const p = reportPeriods(new Date('2026-12-31T17:30:00Z')); // already 1 January 2027 in Hà Nội
    expect(p.slice(0, 3)).toEqual(['2027-01', '2026-12', '2026-11']);
    expect(p).toHaveLength(16);
    expect(p.slice(12)).toEqual(['2027-Q1', '2026-Q4', '2026-Q3', '2026-Q2']);
    expect(periodLabel('2026-Q4', 'vi')).toBe('Quý IV/2026');
    expect(periodLabel('2026-11', 'vi')).toBe('Tháng 11/2026');
    expect(periodLabel('2026-Q4', 'en')).toBe('Q4 2026');
  });
});
