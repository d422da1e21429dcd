import { describe, expect, it } from 'vitest';
import { renderAdministrativeDocument } from './render.ts';
import { fillResultTemplate, fillText, templatePlaceholders, TemplateFillError, type ResultContext, type ResultTemplate } from './template.ts';
import { pdftotext, SAMPLE_INSTANT } from './testkit.ts';

const template: ResultTemplate = {
  key: '1.000948',
  title: 'Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
  summary: 'Số hồ sơ {{dossier.code}}',
  numberSymbol: 'GCN-UBND',
  body: [
    { kind: 'paragraph', text: 'Chứng nhận cơ sở {{business.name}}, do {{applicant.fullName}} làm chủ, địa chỉ {{business.address}}, đủ điều kiện an toàn thực phẩm.' },
    { kind: 'keyValue', items: [{ label: 'Lệ phí', value: '{{fee|vnd}} (Bằng chữ: {{fee|words}})' }, { label: 'Có hiệu lực đến', value: '{{validUntil|dateWords}}' }] },
    {
      kind: 'table',
      columns: [
        { header: 'STT', width: 1 },
        { header: 'Mặt hàng', width: 6 },
      ],
      repeat: { over: 'products', cells: ['{{item.no}}', '{{item.name}}'] },
    },
  ],
  recipients: ['{{applicant.fullName}}', 'Lưu: VT'],
};

const context: ResultContext = {
  governingBody: 'Ủy ban nhân dân Thành phố Hà Nội',
  issuingAgency: 'Ủy ban nhân dân Phường Hoàn Kiếm',
  place: 'Hoàn Kiếm',
  date: SAMPLE_INSTANT,
  number: 25,
  signer: { authority: 'TM. Ủy ban nhân dân', position: 'Chủ tịch', fullName: 'Đặng Quốc Hưng' },
};

const data = {
  dossier: { code: '000.00.01.H26-260205-0012' },
  applicant: { fullName: 'Nguyễn Thị Hường'.normalize('NFD') },
  business: { name: 'Bếp Hường', address: 'Số 12 phố Hàng Bạc, Phường Hoàn Kiếm' },
  fee: 1_500_000,
  validUntil: new Date('2029-02-04T17:00:00Z'),
  products: [
    { no: 1, name: 'Phở bò' },
    { no: 2, name: 'Bún chả' },
  ],
};

describe('result templates', () => {
  it('lists its placeholders', () => {
    expect(templatePlaceholders(template)).toEqual(
      expect.arrayContaining(['dossier.code', 'business.name', 'applicant.fullName', 'fee', 'validUntil', 'products', 'item.no', 'item.name']),
    );
  });

  it('fills placeholders with formatted, NFC values and renders them', async () => {
    const doc = fillResultTemplate(template, data, context);
    expect(doc.number).toEqual({ value: 25, symbol: 'GCN-UBND' });
    const para = doc.body[0];
    expect(para.kind === 'paragraph' && para.text).toBe(
      'Chứng nhận cơ sở Bếp Hường, do Nguyễn Thị Hường làm chủ, địa chỉ Số 12 phố Hàng Bạc, Phường Hoàn Kiếm, đủ điều kiện an toàn thực phẩm.',
    );
    const kv = doc.body[1];
    expect(kv.kind === 'keyValue' && kv.items.map((i) => i.value)).toEqual([
      '1.500.000 đồng (Bằng chữ: Một triệu năm trăm nghìn đồng)',
      'ngày 05 tháng 02 năm 2029',
    ]);
    const table = doc.body[2];
    expect(table.kind === 'table' && table.rows).toEqual([
      ['1', 'Phở bò'],
      ['2', 'Bún chả'],
    ]);
    const s = pdftotext((await renderAdministrativeDocument(doc)).pdf).replace(/\s+/g, ' ');
    for (const expected of ['GIẤY CHỨNG NHẬN CƠ SỞ ĐỦ ĐIỀU KIỆN AN TOÀN THỰC PHẨM', 'Số: 25/GCN-UBND', 'Nguyễn Thị Hường', 'Bún chả', 'TM. ỦY BAN NHÂN DÂN', 'Đặng Quốc Hưng']) {
      expect(s).toContain(expected);
    }
  });

  it('reports every missing placeholder instead of printing a gap', () => {
    const partial = { ...data, business: { name: 'Bếp Hường' }, fee: undefined };
    try {
      fillResultTemplate(template, partial, context);
      expect.unreachable('a missing placeholder must throw');
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateFillError);
      expect((error as TemplateFillError).missing).toEqual(['business.address', 'fee']);
    }
  });

  it('inserts values literally: no second expansion, no control characters', () => {
    const hostile = { name: '{{secret}}\u0007 Hường', secret: 'lộ' };
    expect(fillText('Tên: {{name}}', hostile)).toBe('Tên: {{secret}} Hường');
    expect(fillText('{{ name | upper }}', { name: 'phường hoàn kiếm' })).toBe('PHƯỜNG HOÀN KIẾM');
  });

  it('refuses unknown formats and wrong value kinds', () => {
    expect(() => fillText('{{fee|euro}}', { fee: 1 })).toThrow(TypeError);
    expect(() => fillText('{{fee|vnd-words}}', { fee: 1 })).toThrow(/Malformed placeholder/);
    expect(() => fillText('{{ 1fee }}', { fee: 1 })).toThrow(/Malformed placeholder/);
    expect(() => fillText('{{fee|vnd}}', { fee: 'một' })).toThrow(TypeError);
    expect(() => fillText('{{when|date}}', { when: '2026-02-05' })).toThrow(TypeError);
    expect(() => fillText('{{business}}', { business: { name: 'x' } })).toThrow(TypeError);
  });

  it('does not read inherited properties', () => {
    const missing: string[] = [];
    fillText('{{constructor}} {{a.toString}}', { a: {} }, missing);
    expect(missing).toEqual(['constructor', 'a.toString']);
  });
});
