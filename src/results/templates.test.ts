/**
 * Result templates as pure functions: the data placeholders read, the standard template listing only what a dossier
 * has, the procedure's own template filled with form values and the drafter's inputs, the signer block by agency
 * kind, the inputs check, and the import-time check of placeholders.
 */
import { describe, expect, it } from 'vitest';
import type { ResultTemplateInput } from '../catalog/schema.ts';
import type { KeyValueBlock, ParagraphBlock } from '../documents/nd30/types.ts';
import { checkDecisionInputs, defaultSigner, placeholderKey, resultDocument, resultTemplateData, standardResultTemplate, TemplateFillError, unknownPlaceholders, type ResultFacts } from './templates.ts';

const FACTS: ResultFacts = {
  dossier: { code: 'H26.39-261207-0001', receivedAt: new Date('2026-12-01T02:00:00Z') },
  applicant: { kind: 'citizen', name: 'Nguyễn Thị Hường', idNumber: '001190012345' },
  procedure: { name: 'Cấp giấy phép thử', nationalCode: null, field: 'Y tế', legalBasis: 'Luật Dược 2016', resultName: 'Giấy phép thử' },
  issuer: { name: 'Sở Y tế thành phố Hà Nội', kind: 'department', governingBody: 'Ủy ban nhân dân thành phố Hà Nội' },
  forms: [
    {
      componentKey: 'don-de-nghi',
      name: 'Đơn đề nghị',
      template: {
        title: 'Mẫu 01',
        fields: [
          { name: 'dateOfBirth', label: 'Ngày sinh', type: 'date', required: true },
          { name: 'reason', label: 'Lý do', type: 'select', required: true, options: [{ value: 'lost', label: 'Bị mất' }] },
          { name: 'feeVnd', label: 'Lệ phí (đồng)', type: 'number', required: false },
          { name: 'email', label: 'Thư điện tử', type: 'email', required: false },
        ],
      },
      values: { dateOfBirth: '1990-03-14', reason: 'lost', feeVnd: 1500000 },
    },
  ],
  decision: {},
};

const DETAILS = { place: 'Hà Nội', date: new Date('2026-12-07T03:00:00Z'), number: 7, signerName: 'Vũ Quốc Khánh' };

const texts = (blocks: readonly unknown[]): string[] =>
  (blocks as (ParagraphBlock | KeyValueBlock | { kind: string })[]).flatMap((b) =>
    b.kind === 'keyValue' ? (b as KeyValueBlock).items.map((i) => `${i.label}: ${String(i.value)}`) : 'text' in b ? [String((b as ParagraphBlock).text)] : [],
  );

describe('result template data', () => {
  it('names form components as identifiers and converts values by field type', () => {
    expect(placeholderKey('don-de-nghi')).toBe('donDeNghi');
    expect(placeholderKey('application')).toBe('application');
    const data = resultTemplateData(FACTS) as { form: { donDeNghi: Record<string, unknown> }; applicant: Record<string, unknown> };
    expect(data.form.donDeNghi.dateOfBirth).toBeInstanceOf(Date);
    expect(data.form.donDeNghi.reason).toBe('Bị mất');
    expect(data.form.donDeNghi.email).toBeUndefined();
    expect(data.applicant.idLabel).toBe('Số định danh cá nhân');
    const business = resultTemplateData({ ...FACTS, applicant: { ...FACTS.applicant, kind: 'business' } }) as { applicant: Record<string, unknown> };
    expect(business.applicant.idLabel).toBe('Mã số thuế');
  });
});

describe('the standard template', () => {
  it('lists only what the dossier has, formats dates and amounts, and fills without error', () => {
    const doc = resultDocument(standardResultTemplate(FACTS), FACTS, DETAILS);
    const lines = texts(doc.body);
    expect(doc.title).toBe('Giấy phép thử');
    expect(doc.number).toEqual({ value: 7, symbol: 'KQ' });
    expect(doc.signer).toEqual({ position: 'GIÁM ĐỐC', fullName: 'Vũ Quốc Khánh' });
    expect(doc.governingBody).toBe('Ủy ban nhân dân thành phố Hà Nội');
    expect(lines).toContain('Căn cứ Luật Dược 2016;');
    expect(lines).toContain('Xét hồ sơ số H26.39-261207-0001 về thủ tục “Cấp giấy phép thử”, tiếp nhận ngày 01/12/2026,');
    expect(lines).toContain('Họ và tên: Nguyễn Thị Hường');
    expect(lines).toContain('Ngày sinh: 14/03/1990');
    expect(lines).toContain('Lý do: Bị mất');
    expect(lines).toContain('Lệ phí (đồng): 1.500.000');
    // No address was given, no e-mail entered: no empty lines for them.
    expect(lines.some((l) => l.startsWith('Địa chỉ'))).toBe(false);
    expect(lines.some((l) => l.startsWith('Thư điện tử'))).toBe(false);
    expect(doc.recipients?.items).toEqual(['Nguyễn Thị Hường (qua Kho dữ liệu điện tử);', 'Lưu: VT.']);
  });

  it('prints the drafter’s content when given, and the address when known', () => {
    const facts: ResultFacts = { ...FACTS, applicant: { ...FACTS.applicant, address: 'Số 12 phố Hàng Bạc' }, decision: { content: 'Phạm vi: nội khoa.' } };
    const lines = texts(resultDocument(standardResultTemplate(facts), facts, DETAILS).body);
    expect(lines).toContain('Phạm vi: nội khoa.');
    expect(lines).toContain('Địa chỉ: Số 12 phố Hàng Bạc');
  });

  it('takes catalog wording with braces as text, not as placeholders', () => {
    const odd: ResultFacts = { ...FACTS, forms: [{ ...FACTS.forms[0]!, name: 'Đơn {{mẫu}}', template: { ...FACTS.forms[0]!.template, fields: [{ name: 'dateOfBirth', label: 'Ngày sinh {x}', type: 'date', required: true }] } }] };
    const lines = texts(resultDocument(standardResultTemplate(odd), odd, DETAILS).body);
    expect(lines).toContain('Theo đơn mẫu:');
    expect(lines).toContain('Ngày sinh x: 14/03/1990');
  });

  it('takes data containing braces literally', () => {
    const facts: ResultFacts = { ...FACTS, applicant: { ...FACTS.applicant, name: 'A {{applicant.idNumber}}' } };
    const lines = texts(resultDocument(standardResultTemplate(facts), facts, DETAILS).body);
    expect(lines).toContain('Họ và tên: A {{applicant.idNumber}}');
  });
});

describe('a procedure’s own template', () => {
  const own: ResultTemplateInput = {
    title: 'Giấy phép thử',
    numberSymbol: 'GP-SYT',
    body: [
      { kind: 'keyValue', items: [{ label: 'Họ và tên', value: '{{applicant.name|upper}}' }, { label: 'Phạm vi', value: '{{decision.scope}}' }] },
      { kind: 'paragraph', text: 'Sinh ngày {{form.donDeNghi.dateOfBirth|dateWords}}.' },
    ],
    inputs: [{ name: 'scope', label: 'Phạm vi', required: true }],
    signer: { authority: 'KT. GIÁM ĐỐC', position: 'PHÓ GIÁM ĐỐC' },
  };

  it('fills form values and inputs, with its own signer block', () => {
    const doc = resultDocument(own, { ...FACTS, decision: { scope: 'Nội khoa' } }, DETAILS);
    expect(texts(doc.body)).toEqual(['Họ và tên: NGUYỄN THỊ HƯỜNG', 'Phạm vi: Nội khoa', 'Sinh ngày ngày 14 tháng 3 năm 1990.']);
    expect(doc.signer).toEqual({ authority: 'KT. GIÁM ĐỐC', position: 'PHÓ GIÁM ĐỐC', fullName: 'Vũ Quốc Khánh' });
  });

  it('refuses to fill when data is missing, naming every missing path', () => {
    expect(() => resultDocument(own, FACTS, DETAILS)).toThrow(TemplateFillError);
    const error = (() => {
      try {
        resultDocument({ ...own, title: '{{applicant.address}}' }, FACTS, DETAILS);
        return null;
      } catch (e) {
        return e as TemplateFillError;
      }
    })();
    expect([...error!.missing].sort()).toEqual(['applicant.address', 'decision.scope']);
  });

  it('checks the drafter’s inputs: required, unknown, length, NFC', () => {
    expect(checkDecisionInputs(own, {}).problems.map((p) => p.name)).toEqual(['scope']);
    expect(checkDecisionInputs(own, { scope: 'x', other: 'y' }).problems.map((p) => p.name)).toEqual(['other']);
    expect(checkDecisionInputs(own, { scope: 'x'.repeat(2001) }).problems.map((p) => p.name)).toEqual(['scope']);
    expect(checkDecisionInputs(own, { scope: 7 }).problems.map((p) => p.name)).toEqual(['scope']);
    const decomposed = 'Nội khoa'.normalize('NFD');
    expect(checkDecisionInputs(own, { scope: `  ${decomposed} ` }).values).toEqual({ scope: 'Nội khoa' });
  });

  it('is checked at import: placeholders must name data the procedure’s dossiers have', () => {
    const components = [{ key: 'don-de-nghi', input: 'form', formTemplate: FACTS.forms[0]!.template }];
    expect(unknownPlaceholders(own, components)).toEqual([]);
    const typo: ResultTemplateInput = { ...own, body: [{ kind: 'paragraph', text: '{{form.donDeNghi.dateOfBrith}} {{decision.nope}} {{applicant.nam}}' }] };
    expect(unknownPlaceholders(typo, components)).toEqual(['form.donDeNghi.dateOfBrith', 'decision.nope', 'applicant.nam']);
  });
});

describe('the signer block by issuing agency', () => {
  it('is the head, or "TM." for a people’s committee', () => {
    expect(defaultSigner('department')).toEqual({ position: 'GIÁM ĐỐC' });
    expect(defaultSigner('commune')).toEqual({ authority: 'TM. ỦY BAN NHÂN DÂN', position: 'CHỦ TỊCH' });
    expect(defaultSigner('people_committee')).toEqual({ authority: 'TM. ỦY BAN NHÂN DÂN', position: 'CHỦ TỊCH' });
    expect(defaultSigner('other')).toEqual({ position: 'THỦ TRƯỞNG CƠ QUAN' });
  });
});
