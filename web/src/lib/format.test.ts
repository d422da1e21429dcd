import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatInteger, formatVnd } from './format.ts';

describe('formatDate', () => {
  it('writes dd/mm/yyyy with leading zeros', () => {
    expect(formatDate(new Date('2026-02-17T03:04:00Z'))).toBe('17/02/2026');
  });

  it('uses Vietnam time, not the machine zone: 18:00 UTC is already the next day in Hanoi', () => {
    expect(formatDate('2026-12-31T18:00:00Z')).toBe('01/01/2027');
    expect(formatDate('2026-12-31T16:59:00Z')).toBe('31/12/2026');
  });

  it('keeps a bare civil date on its day', () => {
    expect(formatDate('2026-03-05')).toBe('05/03/2026');
  });

  it('rejects what is not a date instead of printing "Invalid Date"', () => {
    expect(() => formatDate('not a date')).toThrow(RangeError);
  });
});

describe('formatDateTime', () => {
  it('writes dd/mm/yyyy HH:mm on a 24-hour clock in Vietnam time', () => {
    expect(formatDateTime('2026-02-17T08:05:00Z')).toBe('17/02/2026 15:05');
    expect(formatDateTime('2026-02-17T17:30:00Z')).toBe('18/02/2026 00:30');
  });
});

describe('formatVnd', () => {
  it('uses dots for thousands, no decimals and the đồng sign after a no-break space', () => {
    expect(formatVnd(1_500_000)).toBe('1.500.000\u00a0₫');
    expect(formatVnd(0)).toBe('0\u00a0₫');
    expect(formatVnd(1234567.5)).toBe('1.234.568\u00a0₫');
  });

  it('rejects non-numbers', () => {
    expect(() => formatVnd(Number.NaN)).toThrow(RangeError);
  });
});

describe('formatInteger', () => {
  it('groups with dots', () => {
    expect(formatInteger(531269)).toBe('531.269');
  });
});
