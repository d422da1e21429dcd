import { describe, expect, it } from 'vitest';
import {
  formatDocumentNumber,
  formatShortDateTime,
  formatVietnameseDate,
  formatVietnameseInstant,
  formatVnd,
  numberToVietnameseWords,
  vndInWords,
} from './format.ts';

describe('formatVietnameseDate', () => {
  it('writes ND 30 dates with a leading zero on days 1–9 and months 1–2 only', () => {
    expect(formatVietnameseDate(new Date('2026-02-05T03:00:00Z'), 'Hà Nội')).toBe('Hà Nội, ngày 05 tháng 02 năm 2026');
    expect(formatVietnameseDate(new Date('2026-03-17T03:00:00Z'), 'Hà Nội')).toBe('Hà Nội, ngày 17 tháng 3 năm 2026');
    expect(formatVietnameseDate(new Date('2026-01-09T03:00:00Z'), 'Hà Nội')).toBe('Hà Nội, ngày 09 tháng 01 năm 2026');
    expect(formatVietnameseDate(new Date('2026-12-31T03:00:00Z'), 'Hà Nội')).toBe('Hà Nội, ngày 31 tháng 12 năm 2026');
  });

  it('uses the calendar day in Asia/Ho_Chi_Minh, not UTC or the machine zone', () => {
    // 17:30 UTC on 4 February is 00:30 on 5 February in Hanoi.
    expect(formatVietnameseDate(new Date('2026-02-04T17:30:00Z'), 'Hà Nội')).toBe('Hà Nội, ngày 05 tháng 02 năm 2026');
    expect(formatVietnameseDate(new Date('2026-02-04T16:59:59Z'), 'Hà Nội')).toBe('Hà Nội, ngày 04 tháng 02 năm 2026');
    expect(formatVietnameseDate(new Date('2025-12-31T17:00:00Z'), 'Hà Nội')).toBe('Hà Nội, ngày 01 tháng 01 năm 2026');
  });

  it('normalises the place to NFC and refuses an empty place or an invalid date', () => {
    const decomposed = 'Phường Hoàn Kiếm'.normalize('NFD');
    expect(formatVietnameseDate(new Date('2026-02-05T03:00:00Z'), decomposed)).toBe('Phường Hoàn Kiếm, ngày 05 tháng 02 năm 2026'.normalize('NFC'));
    expect(() => formatVietnameseDate(new Date('2026-02-05T03:00:00Z'), ' ')).toThrow(RangeError);
    expect(() => formatVietnameseDate(new Date(Number.NaN), 'Hà Nội')).toThrow(RangeError);
  });

  it('writes instants with hours and minutes in Hanoi time', () => {
    expect(formatVietnameseInstant(new Date('2026-02-05T02:30:00Z'))).toBe('09 giờ 30 phút, ngày 05 tháng 02 năm 2026');
    expect(formatShortDateTime(new Date('2026-03-17T08:05:00Z'))).toBe('15:05 17/03/2026');
  });
});

describe('VND amounts', () => {
  it('groups digits with dots', () => {
    expect(formatVnd(1_500_000)).toBe('1.500.000 đồng');
    expect(formatVnd(1_500_000, 'symbol')).toBe('1.500.000 ₫');
    expect(formatVnd(0)).toBe('0 đồng');
    expect(formatVnd(999)).toBe('999 đồng');
    expect(formatVnd(12_345_678_901n)).toBe('12.345.678.901 đồng');
  });

  it('refuses fractions and negative amounts', () => {
    expect(() => formatVnd(1.5)).toThrow(RangeError);
    expect(() => formatVnd(-1)).toThrow(RangeError);
  });

  it.each([
    [0, 'Không'],
    [5, 'Năm'],
    [10, 'Mười'],
    [15, 'Mười lăm'],
    [21, 'Hai mươi mốt'],
    [25, 'Hai mươi lăm'],
    [105, 'Một trăm linh năm'],
    [110, 'Một trăm mười'],
    [2_050, 'Hai nghìn không trăm năm mươi'],
    [1_000_005, 'Một triệu không trăm linh năm'],
    [1_500_000, 'Một triệu năm trăm nghìn'],
    [30_000_000, 'Ba mươi triệu'],
    [1_000_000_000, 'Một tỷ'],
    [2_000_300_000, 'Hai tỷ ba trăm nghìn'],
    [1_000_000_000_000, 'Một nghìn tỷ'],
  ])('reads %d as "%s"', (amount, words) => {
    expect(numberToVietnameseWords(amount)).toBe(words);
  });

  it('adds the currency to the words', () => {
    expect(vndInWords(1_500_000)).toBe('Một triệu năm trăm nghìn đồng');
  });
});

describe('formatDocumentNumber', () => {
  it('pads numbers below 10 and leaves room for an unnumbered draft', () => {
    expect(formatDocumentNumber(5, 'GTN-TTPVHCC')).toBe('Số: 05/GTN-TTPVHCC');
    expect(formatDocumentNumber(123, 'QĐ-UBND')).toBe('Số: 123/QĐ-UBND');
    expect(formatDocumentNumber(null, 'QĐ-UBND')).toMatch(/^Số: +\/QĐ-UBND$/);
    expect(() => formatDocumentNumber(0, 'QĐ-UBND')).toThrow(RangeError);
  });
});
