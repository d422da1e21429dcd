import { describe, expect, it } from 'vitest';
import { currentMonth, percent, points, previousMonths } from './model.ts';

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
});
