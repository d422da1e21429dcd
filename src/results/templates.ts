/**
 * Result templates (R6): what a result document says, as data. A procedure may carry its own template in the catalog
 * (`result.template`); otherwise the standard template below is derived from the procedure and the dossier. Either is
 * filled from the same `ResultFacts` by the ND 30 template engine (documents/nd30/template.ts), so the specialist's
 * preview and the signed result come from one function. Pure: no I/O, no clock.
 */
import type { AgencyKind, FormTemplate, ResultTemplateInput } from '../catalog/schema.ts';
import { fillResultTemplate, templatePlaceholders, TemplateFillError, type ResultTemplate, type TemplateData, type TemplateValue } from '../documents/nd30/template.ts';
import type { AdministrativeDocument, QrCode, Signer } from '../documents/nd30/types.ts';
import type { LocalizedText } from '../platform/http/problem.ts';

/** One self-declared form of the dossier: the catalog's field definitions and what the applicant entered. */
export interface FormFacts {
  componentKey: string;
  name: string;
  template: FormTemplate;
  values: Readonly<Record<string, unknown>>;
}

/** Everything a result may say about its dossier, gathered by the service. */
export interface ResultFacts {
  dossier: { code: string; receivedAt: Date };
  applicant: { kind: 'citizen' | 'business'; name: string; idNumber: string; address?: string; phone?: string; email?: string };
  procedure: { name: string; nationalCode?: string | null; field: string; legalBasis?: string | null; resultName: string };
  issuer: { name: string; kind: AgencyKind; governingBody?: string };
  forms: readonly FormFacts[];
  /** What the specialist decided while drafting (the template's `inputs`). */
  decision: Readonly<Record<string, string>>;
}

/** Fields of the data every dossier has (what `resultTemplateData` always provides, or may). */
const FIXED_PATHS = new Set([
  'dossier.code',
  'dossier.receivedAt',
  'applicant.kind',
  'applicant.kindLabel',
  'applicant.name',
  'applicant.idLabel',
  'applicant.idNumber',
  'applicant.address',
  'applicant.phone',
  'applicant.email',
  'procedure.name',
  'procedure.nationalCode',
  'procedure.field',
  'procedure.legalBasis',
  'procedure.resultName',
  'issuer.name',
  'issuer.governingBody',
]);

/**
 * Placeholders of a catalog template that no dossier of the procedure could fill: a typo in a field name is caught at
 * import, not when the first result is drafted. Paths are reported as written; repeat rows' `item.…` are free.
 */
export function unknownPlaceholders(template: ResultTemplateInput, components: readonly { key: string; input: string; formTemplate?: FormTemplate | null }[]): string[] {
  const known = new Set(FIXED_PATHS);
  for (const c of components) {
    if (c.input !== 'form' || !c.formTemplate) continue;
    for (const f of c.formTemplate.fields) known.add(`form.${placeholderKey(c.key)}.${f.name}`);
  }
  for (const i of template.inputs ?? []) known.add(`decision.${i.name}`);
  return templatePlaceholders({ key: 'check', ...template }).filter((p) => !known.has(p) && !p.startsWith('item.') && !isRepeatList(template, p));
}

function isRepeatList(template: ResultTemplateInput, path: string): boolean {
  return template.body.some((b) => b.kind === 'table' && b.repeat?.over === path);
}

/** The standard template's one input: the decision's own wording, when the procedure's result needs one. */
export const STANDARD_INPUTS: NonNullable<ResultTemplateInput['inputs']> = [
  { name: 'content', label: 'Nội dung giải quyết (nếu cần ghi thêm)', required: false, maxLength: 3000 },
];

const STANDARD_SYMBOL = 'KQ';

/** Component keys use dashes; placeholder paths are identifiers ("giay-phep-da-cap" → "giayPhepDaCap"). */
export function placeholderKey(key: string): string {
  return key.replace(/[-_.]+([a-z0-9])/g, (_m, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9_]/g, '');
}

function fieldValue(field: FormTemplate['fields'][number], raw: unknown): TemplateValue {
  if (raw === undefined || raw === null || raw === '') return undefined;
  switch (field.type) {
    case 'date': {
      const m = typeof raw === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw) : null;
      // 05:00 UTC is noon in Vietnam (UTC+7): the date prints as entered whatever the zone.
      return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 5)) : String(raw);
    }
    case 'checkbox':
      return raw === true || raw === 'true';
    case 'select':
      return field.options?.find((o) => o.value === raw)?.label ?? String(raw);
    case 'number':
      return typeof raw === 'number' ? raw : String(raw);
    default:
      return String(raw);
  }
}

/** Catalog wording placed in the template as text: braces would read as placeholders there. */
const literal = (text: string): string => text.replace(/[{}]/g, '');

/** Dates in words-free short form, whole numbers grouped ("50.000"); the rest as entered. */
function formatOf(field: FormTemplate['fields'][number], value: TemplateValue): string {
  if (field.type === 'date' && value instanceof Date) return '|date';
  if (field.type === 'number' && Number.isSafeInteger(typeof value === 'string' ? Number(value) : value) && /^\d+$/.test(String(value))) return '|number';
  return '';
}

/** The data the placeholders read: `dossier.*`, `applicant.*`, `procedure.*`, `issuer.*`, `form.<component>.<field>`, `decision.*`. */
export function resultTemplateData(f: ResultFacts): TemplateData {
  const form: Record<string, TemplateData> = {};
  for (const ff of f.forms) {
    const values: Record<string, TemplateValue> = {};
    for (const field of ff.template.fields) values[field.name] = fieldValue(field, ff.values[field.name]);
    form[placeholderKey(ff.componentKey)] = values;
  }
  return {
    dossier: { code: f.dossier.code, receivedAt: f.dossier.receivedAt },
    applicant: {
      ...f.applicant,
      kindLabel: f.applicant.kind === 'business' ? 'Tổ chức' : 'Công dân',
      idLabel: f.applicant.kind === 'business' ? 'Mã số thuế' : 'Số định danh cá nhân',
    },
    procedure: { ...f.procedure, nationalCode: f.procedure.nationalCode ?? undefined, legalBasis: f.procedure.legalBasis ?? undefined },
    issuer: { name: f.issuer.name, governingBody: f.issuer.governingBody },
    form,
    decision: { ...f.decision },
  };
}

/**
 * The standard result: "Xét hồ sơ …", to whom it is issued, what the applicant declared, the specialist's wording.
 * Built for one dossier, so it lists only what the dossier has (an empty "Địa chỉ:" line never appears).
 */
export function standardResultTemplate(f: ResultFacts): ResultTemplateInput {
  const body: ResultTemplateInput['body'] = [];
  if (f.procedure.legalBasis) body.push({ kind: 'paragraph', text: 'Căn cứ {{procedure.legalBasis}};', italic: true });
  body.push({
    kind: 'paragraph',
    text: 'Xét hồ sơ số {{dossier.code}} về thủ tục “{{procedure.name}}”, tiếp nhận ngày {{dossier.receivedAt|date}},',
  });
  body.push({ kind: 'paragraph', text: '{{issuer.name}} cấp {{procedure.resultName}} cho:', indent: true });
  const who: { label: string; value: string }[] = [
    { label: f.applicant.kind === 'business' ? 'Tên tổ chức' : 'Họ và tên', value: '{{applicant.name}}' },
    { label: '{{applicant.idLabel}}', value: '{{applicant.idNumber}}' },
  ];
  if (f.applicant.address) who.push({ label: 'Địa chỉ', value: '{{applicant.address}}' });
  body.push({ kind: 'keyValue', items: who });
  for (const ff of f.forms) {
    const data = resultTemplateData({ ...f, forms: [ff] }).form as TemplateData;
    const values = data[placeholderKey(ff.componentKey)] as TemplateData;
    const items = ff.template.fields
      .filter((field) => values[field.name] !== undefined)
      .map((field) => ({ label: literal(field.label), value: `{{form.${placeholderKey(ff.componentKey)}.${field.name}${formatOf(field, values[field.name])}}}` }));
    if (items.length) {
      const name = literal(ff.name);
      body.push({ kind: 'heading', text: `Theo ${name.charAt(0).toLowerCase()}${name.slice(1)}:` });
      body.push({ kind: 'keyValue', items });
    }
  }
  if (f.decision.content) body.push({ kind: 'paragraph', text: '{{decision.content}}' });
  body.push({
    kind: 'paragraph',
    text: 'Kết quả giải quyết thủ tục hành chính này được cấp dưới dạng văn bản điện tử có chữ ký số, có giá trị pháp lý như bản giấy; tra cứu tính xác thực bằng mã QR trên văn bản.',
    italic: true,
  });
  return {
    title: '{{procedure.resultName}}',
    numberSymbol: STANDARD_SYMBOL,
    body,
    recipients: ['{{applicant.name}} (qua Kho dữ liệu điện tử);', 'Lưu: VT.'],
    inputs: STANDARD_INPUTS,
  };
}

/** What the drafter fills and the number's symbol, known without the dossier (the standard template's are fixed). */
export function templateHeading(own: ResultTemplateInput | null | undefined): { standard: boolean; numberSymbol: string; inputs: NonNullable<ResultTemplateInput['inputs']> } {
  return own ? { standard: false, numberSymbol: own.numberSymbol, inputs: own.inputs ?? [] } : { standard: true, numberSymbol: STANDARD_SYMBOL, inputs: STANDARD_INPUTS };
}

/** The template in force for a dossier: the procedure's own, or the standard one. */
export function templateFor(own: ResultTemplateInput | null | undefined, facts: ResultFacts): { template: ResultTemplateInput; standard: boolean } {
  return own ? { template: own, standard: false } : { template: standardResultTemplate(facts), standard: true };
}

/** ND 30 signer block by the issuing agency: the head signs, "TM." for a collective body. */
export function defaultSigner(kind: AgencyKind): Omit<Signer, 'fullName'> {
  switch (kind) {
    case 'people_committee':
    case 'commune':
      return { authority: 'TM. ỦY BAN NHÂN DÂN', position: 'CHỦ TỊCH' };
    case 'department':
    case 'service_center':
    case 'branch':
      return { position: 'GIÁM ĐỐC' };
    default:
      return { position: 'THỦ TRƯỞNG CƠ QUAN' };
  }
}

export interface InputProblem {
  name: string;
  message: LocalizedText;
}

/** The specialist's inputs against the template: required ones present, lengths, no unknown names. NFC, trimmed. */
export function checkDecisionInputs(template: Pick<ResultTemplateInput, 'inputs'>, given: Readonly<Record<string, unknown>>): { values: Record<string, string>; problems: InputProblem[] } {
  const inputs = template.inputs ?? [];
  const values: Record<string, string> = {};
  const problems: InputProblem[] = [];
  for (const name of Object.keys(given)) {
    if (!inputs.some((i) => i.name === name)) problems.push({ name, message: { vi: 'Mẫu kết quả không có trường này', en: 'The result template has no such input' } });
  }
  for (const input of inputs) {
    const raw = given[input.name];
    const text = typeof raw === 'string' ? raw.normalize('NFC').trim() : raw === undefined || raw === null ? '' : null;
    if (text === null) problems.push({ name: input.name, message: { vi: 'Giá trị phải là văn bản', en: 'The value must be text' } });
    else if (!text && input.required) problems.push({ name: input.name, message: { vi: `Chưa nhập “${input.label}”`, en: `“${input.label}” is required` } });
    else if (text.length > (input.maxLength ?? 2000)) problems.push({ name: input.name, message: { vi: 'Nội dung dài quá mức cho phép', en: 'The value is too long' } });
    else if (text) values[input.name] = text;
  }
  return { values, problems };
}

/** How the draft and the signed result differ: the records office's number, the signing date, the QR. */
export interface IssueDetails {
  place: string;
  date: Date;
  number: number | null;
  signerName: string;
  qr?: QrCode;
}

/**
 * The filled ND 30 document. Throws `TemplateFillError` naming every placeholder the dossier cannot fill, so a
 * template that asks for data the dossier lacks never yields a half-filled result.
 */
export function resultDocument(template: ResultTemplateInput, facts: ResultFacts, details: IssueDetails): AdministrativeDocument {
  const engineTemplate: ResultTemplate = { key: 'result', ...template };
  const signer = template.signer ?? defaultSigner(facts.issuer.kind);
  return fillResultTemplate(engineTemplate, resultTemplateData(facts), {
    ...(facts.issuer.governingBody ? { governingBody: facts.issuer.governingBody } : {}),
    issuingAgency: facts.issuer.name,
    place: details.place,
    date: details.date,
    number: details.number,
    signer: { ...signer, fullName: details.signerName },
    ...(details.qr ? { qr: details.qr } : {}),
  });
}

export { TemplateFillError };
