import { describe, expect, it } from 'vitest';
import { createI18n, storedLanguage } from './index.ts';
import { en } from './en.ts';
import { vi } from './vi.ts';

function leaves(value: unknown, prefix = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[prefix, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('i18n resources', () => {
  it('has the same keys in Vietnamese and English', () => {
    expect(leaves(en).map(([k]) => k).sort()).toEqual(leaves(vi).map(([k]) => k).sort());
  });

  it('keeps every string NFC and non-empty', () => {
    for (const [key, text] of [...leaves(vi), ...leaves(en)]) {
      expect(text.normalize('NFC'), key).toBe(text);
      expect(text.trim(), key).not.toBe('');
    }
  });

  it('starts in Vietnamese unless English was chosen before', () => {
    expect(storedLanguage({ getItem: () => null })).toBe('vi');
    expect(storedLanguage({ getItem: () => 'fr' })).toBe('vi');
    expect(storedLanguage({ getItem: () => 'en' })).toBe('en');
  });

  it('interpolates without HTML escaping (React escapes)', () => {
    const i18n = createI18n('vi');
    expect(i18n.t('home.greeting', { name: 'Nguyễn Văn A & B' })).toBe('Xin chào, Nguyễn Văn A & B');
    void i18n.changeLanguage('en');
    expect(i18n.t('home.greeting', { name: 'A' })).toBe('Welcome, A');
  });
});
