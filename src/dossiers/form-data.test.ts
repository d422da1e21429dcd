import { describe, expect, it } from 'vitest';
import type { FormTemplate } from '../catalog/schema.ts';
import { validateFormData } from './form-data.ts';

const template: FormTemplate = {
  title: 'Mẫu thử',
  fields: [
    { name: 'hoTen', label: 'Họ và tên', type: 'text', required: true, maxLength: 10 },
    { name: 'soDinhDanh', label: 'Số định danh', type: 'id_number', required: true },
    { name: 'maSoThue', label: 'Mã số thuế', type: 'id_number', required: false },
    { name: 'ngay', label: 'Ngày', type: 'date', required: false },
    { name: 'vonDieuLe', label: 'Vốn điều lệ (đồng)', type: 'number', required: false },
    { name: 'dienTich', label: 'Diện tích (m2)', type: 'number', required: false },
    { name: 'loai', label: 'Loại', type: 'select', required: false, options: [{ value: 'a', label: 'A' }] },
    { name: 'camKet', label: 'Cam kết', type: 'checkbox', required: true },
    { name: 'email', label: 'Thư điện tử', type: 'email', required: false },
    { name: 'dienThoai', label: 'Điện thoại', type: 'phone', required: false },
  ],
};

const codes = (r: ReturnType<typeof validateFormData>) => (r.ok ? [] : r.problems.map((p) => `${p.field}:${p.code}`).sort());

describe('self-declared form validation', () => {
  it('accepts valid data, normalising text to NFC and dropping empty optional fields', () => {
    const r = validateFormData(template, {
      hoTen: `  ${'Văn An'.normalize('NFD')} `,
      soDinhDanh: '001085012345',
      maSoThue: '0100109106',
      ngay: '2024-02-29',
      vonDieuLe: '1500000000',
      dienTich: 12.5,
      loai: 'a',
      camKet: true,
      email: '',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.hoTen).toBe('Văn An'.normalize('NFC'));
    expect(r.data.vonDieuLe).toBe(1_500_000_000);
    expect(r.data.dienTich).toBe(12.5);
    expect('email' in r.data).toBe(false);
  });

  it('reports every problem at once', () => {
    const r = validateFormData(template, {
      hoTen: 'Một cái tên quá dài',
      soDinhDanh: '999085012345',
      maSoThue: '0100109107',
      ngay: '2023-02-29',
      vonDieuLe: 100.5,
      loai: 'b',
      camKet: false,
      email: 'not-an-email',
      dienThoai: 'abc',
      thua: 'x',
    });
    expect(codes(r)).toEqual(
      [
        'hoTen:too_long',
        'soDinhDanh:invalid_id',
        'maSoThue:invalid_id',
        'ngay:invalid_date',
        'vonDieuLe:invalid_amount',
        'loai:not_an_option',
        'camKet:required',
        'email:invalid_email',
        'dienThoai:invalid_phone',
        'thua:unknown_field',
      ].sort(),
    );
  });

  it('refuses wrong types and missing required fields', () => {
    expect(codes(validateFormData(template, { hoTen: 5, camKet: 'yes' }))).toEqual(['camKet:type', 'hoTen:type', 'soDinhDanh:required'].sort());
    expect(codes(validateFormData(template, { hoTen: 'A', soDinhDanh: '001085012345', camKet: true, vonDieuLe: -1 }))).toEqual(['vonDieuLe:invalid_amount']);
  });
});
