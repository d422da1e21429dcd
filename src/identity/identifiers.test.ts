import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CCCD_PROVINCES } from './data/cccd-provinces.ts';
import { isValidCccd, isValidTaxCode, parseCccd, parseTaxCode, parseTaxpayerId, taxCodeCheckDigit } from './identifiers.ts';

const asOf = new Date('2026-11-22T04:00:00Z');

describe('CCCD (12-digit personal identification number)', () => {
  it('decodes province, century/gender and birth year', () => {
    const r = parseCccd('001085012345');
    expect(r.ok && r.value).toMatchObject({ provinceCode: '001', gender: 'male', birthYear: 1985, serial: '012345' });
    expect(r.ok && r.value.province.name).toBe('Thành phố Hà Nội');
    const f = parseCccd('079303000123');
    expect(f.ok && f.value).toMatchObject({ provinceCode: '079', gender: 'female', birthYear: 2003 });
    expect(f.ok && f.value.province.name).toBe('Thành phố Hồ Chí Minh');
    expect(parseCccd(' 036190000001 ').ok).toBe(true);
  });

  it('checks declared gender and birth year against digits 4–6', () => {
    expect(isValidCccd('001085012345', { gender: 'male', birthYear: 1985 })).toBe(true);
    expect(parseCccd('001085012345', { gender: 'female' })).toMatchObject({ ok: false, code: 'cccd_gender_mismatch' });
    expect(parseCccd('001085012345', { birthDate: '1986-03-02' })).toMatchObject({ ok: false, code: 'cccd_birth_year_mismatch' });
    // Same two year digits, wrong century: 2085 is not 1985.
    expect(parseCccd('001285012345', { birthYear: 1985 })).toMatchObject({ ok: false, code: 'cccd_birth_year_mismatch' });
    expect(parseCccd('001230012345', { asOf })).toMatchObject({ ok: false, code: 'cccd_birth_year_in_future' });
    expect(parseCccd('001226012345', { asOf }).ok).toBe(true);
  });

  it('refuses malformed numbers and unknown province codes', () => {
    for (const bad of ['', '00108501234', '0010850123456', '00108501234a', '001 085 012 345', '９９９']) {
      expect(parseCccd(bad)).toMatchObject({ ok: false, code: 'cccd_format' });
    }
    for (const code of ['000', '003', '005', '097', '099', '100']) {
      expect(parseCccd(`${code}085012345`)).toMatchObject({ ok: false, code: 'cccd_unknown_province' });
    }
  });

  it('knows the 63 province codes of the circular', () => {
    expect(CCCD_PROVINCES.size).toBe(63);
    expect(CCCD_PROVINCES.get('046')?.name).toContain('Huế');
    expect(CCCD_PROVINCES.get('096')?.gsoAfter2025).toBe('96');
    for (const [code, p] of CCCD_PROVINCES) {
      expect(code).toMatch(/^0\d\d$/);
      expect(p.name.normalize('NFC')).toBe(p.name);
    }
  });

  it('property: any known province + any digit 4 + 8 digits parses, and the birth year round-trips', () => {
    const codes = [...CCCD_PROVINCES.keys()];
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999999 }), (p, g, yy, serial) => {
        const n = `${p}${g}${String(yy).padStart(2, '0')}${String(serial).padStart(6, '0')}`;
        const r = parseCccd(n);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.value.birthYear % 100).toBe(yy);
          expect(Math.floor((r.value.birthYear - 1900) / 100)).toBe(Math.floor(g / 2));
          expect(r.value.gender).toBe(g % 2 === 0 ? 'male' : 'female');
        }
      }),
    );
  });
});

describe('tax code (MST)', () => {
  it('check digit: weights 31,29,23,19,17,13,7,5,3 (vn-data.md §4.2 worked example)', () => {
    expect(taxCodeCheckDigit('010004751')).toBe(6);
    expect(() => taxCodeCheckDigit('12345678')).toThrow(RangeError);
  });

  it('accepts the verified examples, 10 and 13 digits', () => {
    for (const ok of ['0100047516', '0100109106', '0101243150', '0100109106-001', '0100109106001']) expect(isValidTaxCode(ok)).toBe(true);
    const r = parseTaxCode('0100109106001');
    expect(r.ok && r.value).toEqual({ normalized: '0100109106-001', base: '0100109106', branch: '001', provinceCode: '01' });
    expect(parseTaxCode('0100109106').ok && parseTaxCode('0100109106')).toMatchObject({ value: { branch: null, normalized: '0100109106' } });
  });

  it('refuses with a precise code', () => {
    expect(parseTaxCode('0312345678')).toMatchObject({ ok: false, code: 'tax_code_check_digit' });
    expect(parseTaxCode('0100047517')).toMatchObject({ ok: false, code: 'tax_code_check_digit' });
    expect(parseTaxCode('0100109106-000')).toMatchObject({ ok: false, code: 'tax_code_branch' });
    expect(parseTaxCode('0012345678')).toMatchObject({ ok: false, code: 'tax_code_province' });
    expect(parseTaxCode('1000000000')).toMatchObject({ ok: false, code: 'tax_code_sequence' });
    for (const bad of ['', '010010910', '01001091061', '0100109106-01', '0100109106_001', 'O100109106']) {
      expect(parseTaxCode(bad)).toMatchObject({ ok: false, code: 'tax_code_format' });
    }
    expect(parseTaxCode('0312345678').ok === false && parseTaxCode('0312345678')).toMatchObject({ message: { vi: expect.any(String), en: expect.any(String) } });
  });

  it('property: exactly one final digit makes 9 digits valid, unless the sum gives 10', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000_001, max: 999_999_999 }), (n) => {
        const first9 = String(n).padStart(9, '0');
        fc.pre(!first9.startsWith('00') && first9.slice(2) !== '0000000');
        const valid = [...'0123456789'].filter((c) => isValidTaxCode(first9 + c));
        const check = taxCodeCheckDigit(first9);
        expect(valid).toEqual(check === null ? [] : [String(check)]);
      }),
    );
  });

  it('a taxpayer id is an enterprise MST or (since TT 86/2024) a 12-digit personal number', () => {
    expect(parseTaxpayerId('0100109106')).toMatchObject({ ok: true, value: { kind: 'enterprise' } });
    expect(parseTaxpayerId('001085012345')).toMatchObject({ ok: true, value: { kind: 'individual' } });
    expect(parseTaxpayerId('999085012345')).toMatchObject({ ok: false, code: 'cccd_unknown_province' });
    expect(parseTaxpayerId('0312345678')).toMatchObject({ ok: false, code: 'tax_code_check_digit' });
  });
});
