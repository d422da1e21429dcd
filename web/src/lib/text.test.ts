import { describe, expect, it } from 'vitest';
import { collator, foldForSearch, nfc, nfcFields } from './text.ts';

describe('nfc', () => {
  it('composes decomposed Vietnamese', () => {
    const decomposed = 'Nguyễn'.normalize('NFD');
    expect(decomposed).not.toBe('Nguyễn');
    expect(nfc(decomposed)).toBe('Nguyễn');
  });

  it('normalises only the string fields of a form', () => {
    const out = nfcFields({ name: 'Hoà'.normalize('NFD'), age: 3, ok: true });
    expect(out).toEqual({ name: 'Hoà', age: 3, ok: true });
  });
});

describe('collator', () => {
  it('sorts in Vietnamese alphabetical order (Đ after D, accented initials not after Z)', () => {
    const names = ['Đặng', 'Yến', 'Ánh', 'Dương', 'Anh', 'Ưng', 'Uông', 'Bùi'];
    expect([...names].sort(collator.compare)).toEqual(['Anh', 'Ánh', 'Bùi', 'Dương', 'Đặng', 'Uông', 'Ưng', 'Yến']);
  });
});

describe('foldForSearch', () => {
  it('strips tones and maps đ to d', () => {
    expect(foldForSearch('Đống Đa')).toBe('dong da');
    expect(foldForSearch('Phường Yên Hoà')).toBe(foldForSearch('phuong yen hòa'));
  });
});
