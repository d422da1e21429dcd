/**
 * Server-side validation of a self-declared form against the component's form template (catalog `FormTemplate`):
 * required fields, types, lengths, options, CCCD / tax-code structure (identity/identifiers.ts), calendar dates and VND
 * amounts. Pure; the same checks the web form runs, so a client that skips them gains nothing.
 */
import type { FormTemplate } from '../catalog/schema.ts';
import type { LocalizedText } from '../platform/http/problem.ts';
import { parseTaxpayerId } from '../identity/identifiers.ts';

export interface FieldProblem {
  field: string;
  code: 'required' | 'unknown_field' | 'type' | 'too_long' | 'not_an_option' | 'invalid_id' | 'invalid_date' | 'invalid_amount' | 'invalid_email' | 'invalid_phone';
  message: LocalizedText;
}

const MSG: Record<FieldProblem['code'], LocalizedText> = {
  required: { vi: 'Trường bắt buộc chưa được nhập', en: 'A required field is empty' },
  unknown_field: { vi: 'Trường không có trong mẫu tờ khai', en: 'The form has no such field' },
  type: { vi: 'Giá trị không đúng kiểu dữ liệu', en: 'The value has the wrong type' },
  too_long: { vi: 'Giá trị dài quá mức cho phép', en: 'The value is too long' },
  not_an_option: { vi: 'Giá trị không thuộc danh sách lựa chọn', en: 'The value is not one of the options' },
  invalid_id: {
    vi: 'Số định danh cá nhân (CCCD 12 số) hoặc mã số thuế không hợp lệ',
    en: 'Not a valid personal identification number (12-digit CCCD) or tax code',
  },
  invalid_date: { vi: 'Ngày không hợp lệ (định dạng YYYY-MM-DD)', en: 'Not a valid date (YYYY-MM-DD)' },
  invalid_amount: { vi: 'Số tiền phải là số nguyên không âm (đồng)', en: 'An amount must be a whole, non-negative number of VND' },
  invalid_email: { vi: 'Địa chỉ thư điện tử không hợp lệ', en: 'Not a valid e-mail address' },
  invalid_phone: { vi: 'Số điện thoại không hợp lệ', en: 'Not a valid phone number' },
};

/** Fields whose number is money: VND has no minor unit, so only whole amounts exist. */
const AMOUNT_FIELD = /(amount|vnd|fee|price|salary|capital|tien|phi|von|luong)/i;
const DEFAULT_MAX_LENGTH = 2000;

function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d && y >= 1900 && y <= 2200;
}

/**
 * Validates and normalises form data: strings NFC and trimmed, empty optional fields dropped. Returns the cleaned
 * data, or every problem found (so the applicant sees all of them at once).
 */
export function validateFormData(
  template: FormTemplate,
  data: Record<string, unknown>,
): { ok: true; data: Record<string, string | number | boolean> } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const out: Record<string, string | number | boolean> = {};
  const add = (field: string, code: FieldProblem['code']) => problems.push({ field, code, message: MSG[code] });
  const known = new Set(template.fields.map((f) => f.name));
  for (const key of Object.keys(data)) if (!known.has(key)) add(key, 'unknown_field');

  for (const f of template.fields) {
    let v = data[f.name];
    if (typeof v === 'string') v = v.normalize('NFC').trim();
    const empty = v === undefined || v === null || v === '' || (f.type === 'checkbox' && v === false && f.required);
    if (empty) {
      if (f.required) add(f.name, 'required');
      continue;
    }
    switch (f.type) {
      case 'checkbox':
        if (typeof v !== 'boolean') add(f.name, 'type');
        else out[f.name] = v;
        break;
      case 'number': {
        const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
        if (!Number.isFinite(n)) add(f.name, 'type');
        else if (AMOUNT_FIELD.test(f.name) && (!Number.isSafeInteger(n) || n < 0)) add(f.name, 'invalid_amount');
        else out[f.name] = n;
        break;
      }
      default: {
        if (typeof v !== 'string') {
          add(f.name, 'type');
          break;
        }
        if (v.length > (f.maxLength ?? DEFAULT_MAX_LENGTH)) {
          add(f.name, 'too_long');
          break;
        }
        if (f.type === 'id_number' && !parseTaxpayerId(v).ok) add(f.name, 'invalid_id');
        else if (f.type === 'date' && !isDate(v)) add(f.name, 'invalid_date');
        else if (f.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) add(f.name, 'invalid_email');
        else if (f.type === 'phone' && !/^\+?[0-9][0-9 .-]{7,14}$/.test(v)) add(f.name, 'invalid_phone');
        else if (f.type === 'select' && !(f.options ?? []).some((o) => o.value === v)) add(f.name, 'not_an_option');
        else out[f.name] = v;
      }
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, data: out };
}
