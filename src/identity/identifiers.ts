/**
 * Applicant identifiers: the 12-digit personal identification number (CCCD / căn cước) and the tax code (MST).
 * Pure format rules — neither number can be checked against its register here. Sources are in
 * ../shared/reference/vn-data.md §4 and cited at each rule.
 */
import type { LocalizedText } from '../platform/http/problem.ts';
import { CCCD_PROVINCES, type CccdProvince } from './data/cccd-provinces.ts';

export type Gender = 'male' | 'female';

export type IdentifierProblemCode =
  | 'cccd_format'
  | 'cccd_unknown_province'
  | 'cccd_birth_year_in_future'
  | 'cccd_gender_mismatch'
  | 'cccd_birth_year_mismatch'
  | 'tax_code_format'
  | 'tax_code_province'
  | 'tax_code_sequence'
  | 'tax_code_branch'
  | 'tax_code_check_digit';

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: IdentifierProblemCode; message: LocalizedText };

const TEXT: Record<IdentifierProblemCode, LocalizedText> = {
  cccd_format: { vi: 'Số định danh cá nhân phải gồm đúng 12 chữ số', en: 'A personal identification number has exactly 12 digits' },
  cccd_unknown_province: {
    vi: 'Ba chữ số đầu của số định danh không phải mã tỉnh nơi đăng ký khai sinh',
    en: 'The first 3 digits are not a birth-registration province code',
  },
  cccd_birth_year_in_future: {
    vi: 'Năm sinh mã hóa trong số định danh ở sau thời điểm hiện tại',
    en: 'The birth year encoded in the number is in the future',
  },
  cccd_gender_mismatch: {
    vi: 'Chữ số thứ 4 (thế kỷ và giới tính) không khớp với giới tính đã khai',
    en: 'Digit 4 (century and gender) does not match the declared gender',
  },
  cccd_birth_year_mismatch: {
    vi: 'Thế kỷ và năm sinh mã hóa trong số định danh không khớp với năm sinh đã khai',
    en: 'The century and birth year encoded in the number do not match the declared birth year',
  },
  tax_code_format: {
    vi: 'Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số dạng 10 số-3 số (ví dụ 0100109106-001)',
    en: 'A tax code has 10 digits, or 13 written as 10 digits-3 digits (e.g. 0100109106-001)',
  },
  tax_code_province: { vi: 'Hai chữ số đầu của mã số thuế không được là 00', en: 'The first two digits of a tax code cannot be 00' },
  tax_code_sequence: { vi: 'Phần số thứ tự của mã số thuế không được toàn số 0', en: 'The sequence part of a tax code cannot be all zeros' },
  tax_code_branch: { vi: 'Mã đơn vị phụ thuộc phải từ 001 đến 999', en: 'The dependent-unit part runs from 001 to 999' },
  tax_code_check_digit: { vi: 'Chữ số kiểm tra của mã số thuế không đúng', en: 'The tax code check digit is wrong' },
};

const fail = <T>(code: IdentifierProblemCode): Parsed<T> => ({ ok: false, code, message: TEXT[code] });

// ---------------------------------------------------------------------------------------------------------------
// CCCD — personal identification number

export interface CccdInfo {
  number: string;
  provinceCode: string;
  province: CccdProvince;
  gender: Gender;
  /** Full birth year from digit 4 (century) and digits 5–6. */
  birthYear: number;
  /** Digits 7–12: random, carry no information. */
  serial: string;
}

export interface CccdExpectations {
  gender?: Gender;
  /** Declared birth year, or a `YYYY-MM-DD` date of birth. */
  birthYear?: number;
  birthDate?: string;
  /** The instant of the check: a birth year after it is impossible. Pass the request's `now`. */
  asOf?: Date;
}

/**
 * Structure of the 12-digit number (Nghị định 137/2015/NĐ-CP Art. 13; Thông tư 59/2021/TT-BCA Art. 4; unchanged by
 * Luật Căn cước 2023): digits 1–3 province of birth registration, digit 4 century and gender (0/1 = 20th century
 * male/female, 2/3 = 21st, 4/5 = 22nd, 6/7 = 23rd, 8/9 = 24th), digits 5–6 the last two digits of the birth year,
 * digits 7–12 random. There is no check digit, so only this structure can be verified.
 */
export function parseCccd(raw: string, expect: CccdExpectations = {}): Parsed<CccdInfo> {
  const number = raw.trim();
  if (!/^[0-9]{12}$/.test(number)) return fail('cccd_format');
  const provinceCode = number.slice(0, 3);
  const province = CCCD_PROVINCES.get(provinceCode);
  if (!province) return fail('cccd_unknown_province');
  const centuryGender = Number(number[3]);
  const gender: Gender = centuryGender % 2 === 0 ? 'male' : 'female';
  const birthYear = 1900 + 100 * Math.floor(centuryGender / 2) + Number(number.slice(4, 6));
  // The calendar year in Vietnamese civil time (UTC+7, no DST) of the check instant.
  if (expect.asOf && birthYear > new Date(expect.asOf.getTime() + 7 * 3_600_000).getUTCFullYear()) {
    return fail('cccd_birth_year_in_future');
  }
  if (expect.gender !== undefined && expect.gender !== gender) return fail('cccd_gender_mismatch');
  const declaredYear = expect.birthYear ?? (expect.birthDate ? Number(expect.birthDate.slice(0, 4)) : undefined);
  if (declaredYear !== undefined && declaredYear !== birthYear) return fail('cccd_birth_year_mismatch');
  return { ok: true, value: { number, provinceCode, province, gender, birthYear, serial: number.slice(6) } };
}

export function isValidCccd(raw: string, expect: CccdExpectations = {}): boolean {
  return parseCccd(raw, expect).ok;
}

// ---------------------------------------------------------------------------------------------------------------
// MST — tax code

export interface TaxCodeInfo {
  /** `dddddddddd` or `dddddddddd-ddd` (the hyphenated form is the canonical one for a dependent unit). */
  normalized: string;
  /** The 10-digit code of the enterprise (for a branch: of its parent). */
  base: string;
  /** 3-digit dependent-unit (chi nhánh) part, or null for the enterprise itself. */
  branch: string | null;
  /** Digits 1–2: province code at registration. */
  provinceCode: string;
}

/**
 * Check-digit weights of the 10-digit MST: sum = Σ d[i]·w[i] for i = 1..9, C = 10 − (sum mod 11), and a result of
 * 10 is never issued. Source: ../shared/reference/vn-data.md §4.2 (cross-checked there with stdnum@1.12.0
 * `VN.mst`, koblas/stdnum-js, and the worked example 010004751 → 6).
 */
export const TAX_CODE_WEIGHTS: readonly number[] = Object.freeze([31, 29, 23, 19, 17, 13, 7, 5, 3]);

/** The check digit of the first 9 digits, or null when the sum gives 10 (a code that is never issued). */
export function taxCodeCheckDigit(first9: string): number | null {
  if (!/^[0-9]{9}$/.test(first9)) throw new RangeError('expected 9 digits');
  const sum = TAX_CODE_WEIGHTS.reduce((acc, w, i) => acc + w * Number(first9[i]), 0);
  const c = 10 - (sum % 11);
  return c === 10 ? null : c;
}

/**
 * An enterprise tax code: 10 digits `PP SSSSSSS C`, or 13 for a dependent unit written `dddddddddd-ddd` (or as 13
 * digits without the hyphen). Zero province, zero sequence and branch 000 are refused as stdnum does.
 */
export function parseTaxCode(raw: string): Parsed<TaxCodeInfo> {
  const m = /^([0-9]{10})(?:-?([0-9]{3}))?$/.exec(raw.trim());
  if (!m) return fail('tax_code_format');
  const base = m[1]!;
  const branch = m[2] ?? null;
  if (base.startsWith('00')) return fail('tax_code_province');
  if (base.slice(2, 9) === '0000000') return fail('tax_code_sequence');
  if (branch === '000') return fail('tax_code_branch');
  if (taxCodeCheckDigit(base.slice(0, 9)) !== Number(base[9])) return fail('tax_code_check_digit');
  return {
    ok: true,
    value: { normalized: branch === null ? base : `${base}-${branch}`, base, branch, provinceCode: base.slice(0, 2) },
  };
}

export function isValidTaxCode(raw: string): boolean {
  return parseTaxCode(raw).ok;
}

export type TaxpayerId = { kind: 'enterprise'; taxCode: TaxCodeInfo } | { kind: 'individual'; personalId: CccdInfo };

/**
 * A "mã số thuế" field: since 01/07/2025 (Thông tư 86/2024/TT-BTC) individuals and household businesses use their
 * 12-digit personal identification number as tax code, while enterprises keep the 10/13-digit MST.
 */
export function parseTaxpayerId(raw: string, expect: CccdExpectations = {}): Parsed<TaxpayerId> {
  const value = raw.trim();
  if (/^[0-9]{12}$/.test(value)) {
    const p = parseCccd(value, expect);
    return p.ok ? { ok: true, value: { kind: 'individual', personalId: p.value } } : p;
  }
  const t = parseTaxCode(value);
  return t.ok ? { ok: true, value: { kind: 'enterprise', taxCode: t.value } } : t;
}
