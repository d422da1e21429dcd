import { describe, expect, it } from 'vitest';
import { dayToVn, formatInstant, formatInstantVn, isoToDay, localDay, parseHhmm, parseInstant, weekdayOfDay } from './time.ts';

describe('UTC+7 wall time', () => {
  it('parses ISO-8601 with or without an offset (no offset = Vietnamese time)', () => {
    expect(parseInstant('2026-02-12T10:00')?.toISOString()).toBe('2026-02-12T03:00:00.000Z');
    expect(parseInstant('2026-02-12T10:00:00+07:00')?.toISOString()).toBe('2026-02-12T03:00:00.000Z');
    expect(parseInstant('2026-02-12T03:00:00Z')?.toISOString()).toBe('2026-02-12T03:00:00.000Z');
    expect(parseInstant('2026-02-12T05:00:00+0900')?.toISOString()).toBe('2026-02-11T20:00:00.000Z');
    expect(parseInstant('2026-02-12T10:00:00.5-05:00')?.toISOString()).toBe('2026-02-12T15:00:00.500Z');
    expect(parseInstant('2026-02-12')?.toISOString()).toBe('2026-02-11T17:00:00.000Z');
    for (const bad of ['', 'x', '2026-02-30', '2026-02-12T24:00', '2026-13-01T10:00', '2026-02-12T10:60', '12/02/2026']) {
      expect(parseInstant(bad)).toBeNull();
    }
  });

  it('formats with +07:00, showing milliseconds only when present', () => {
    expect(formatInstant(new Date('2026-02-26T03:00:00Z'))).toBe('2026-02-26T10:00:00+07:00');
    expect(formatInstant(new Date('2026-02-26T17:30:00.250Z'))).toBe('2026-02-27T00:30:00.250+07:00');
    expect(formatInstantVn(new Date('2026-02-26T17:30:00Z'))).toBe('00:30 27/02/2026');
  });

  it('computes civil days and weekdays in UTC+7', () => {
    const d = localDay(new Date('2026-02-13T17:00:00Z')); // Sat 14/02 00:00 in Hanoi
    expect(dayToVn(d)).toBe('14/02/2026');
    expect(weekdayOfDay(d)).toBe(6);
    expect(weekdayOfDay(isoToDay('1970-01-01')!)).toBe(4);
    expect(isoToDay('2025-02-29')).toBeNull();
  });

  it('parses HH:MM', () => {
    expect(parseHhmm('15:00')).toBe(900);
    expect(parseHhmm('24:00')).toBe(1440);
    expect(parseHhmm('7:00')).toBeNull();
    expect(parseHhmm('24:01')).toBeNull();
  });
});
