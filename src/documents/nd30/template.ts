/**
 * Result-document templates as data: per procedure, the title, number symbol and body of the result in the ND 30
 * format, with `{{placeholders}}` filled from the dossier's data. The results room stores templates as JSON and the
 * specialist previews the filled document before approval.
 *
 * Filling is literal: a value is inserted as text (NFC, control characters removed) and never read again as a
 * template, so data containing "{{…}}" cannot pull in other fields. A placeholder without data is an error, not an
 * empty string, so no half-filled result can be issued.
 */
import { formatShortDate, formatVietnameseDateWords, formatVnd, formatGroupedInteger, vndInWords } from './format.ts';
import { cleanText } from './text.ts';
import type { AdministrativeDocument, Alignment, Block, DocumentNumber, QrCode, Signer, TableColumn } from './types.ts';

/** Blocks of a template: like the document's blocks, with every text a template string. */
export type TemplateBlock =
  | { kind: 'paragraph'; text: string; align?: Alignment; indent?: boolean; bold?: boolean; italic?: boolean }
  | { kind: 'heading'; text: string; align?: 'left' | 'center' }
  | { kind: 'keyValue'; items: readonly { label: string; value: string }[] }
  | {
      kind: 'table';
      columns: readonly TableColumn[];
      /** Fixed rows, each cell a template string. */
      rows?: readonly (readonly string[])[];
      /** Rows repeated over a list in the data: `cells` are filled with each item (as `item.…`) over the whole data. */
      repeat?: { over: string; cells: readonly string[] };
    }
  | { kind: 'spacer'; height: number };

export interface ResultTemplate {
  /** Stable key, e.g. the procedure code "1.000948". */
  key: string;
  title: string;
  summary?: string;
  /** Symbol of the document number, e.g. "GP-UBND". */
  numberSymbol: string;
  body: readonly TemplateBlock[];
  /** "Nơi nhận" lines; template strings. */
  recipients?: readonly string[];
}

/** What the template does not know: who issues, signs and numbers this instance. */
export interface ResultContext {
  governingBody?: string;
  issuingAgency: string;
  place: string;
  date: Date;
  /** Null for a draft the records office has not numbered yet. */
  number: number | null;
  signer: Signer;
  qr?: QrCode;
}

export type TemplateValue = string | number | bigint | boolean | Date | null | undefined | TemplateData | readonly TemplateValue[];
export interface TemplateData {
  readonly [key: string]: TemplateValue;
}

export class TemplateFillError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`Template data is missing: ${missing.join(', ')}`);
    this.name = 'TemplateFillError';
  }
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*(?:\|\s*([A-Za-z]+)\s*)?\}\}/g;

/** Formats after the "|": `{{fee|vnd}}` "1.500.000 đồng", `{{fee|words}}` "Một triệu năm trăm nghìn đồng", … */
export const TEMPLATE_FORMATS = ['text', 'vnd', 'words', 'number', 'date', 'dateWords', 'upper'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

function lookup(data: TemplateData, path: string): TemplateValue {
  let value: TemplateValue = data;
  for (const key of path.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object' || value instanceof Date || Array.isArray(value)) return undefined;
    value = Object.prototype.hasOwnProperty.call(value, key) ? (value as TemplateData)[key] : undefined;
  }
  return value;
}

function render(value: TemplateValue, format: TemplateFormat, path: string): string {
  const amount = (): number | bigint => {
    if (typeof value === 'number' || typeof value === 'bigint') return value;
    if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
    throw new TypeError(`{{${path}|${format}}} needs a whole number`);
  };
  const date = (): Date => {
    if (value instanceof Date) return value;
    throw new TypeError(`{{${path}|${format}}} needs a date`);
  };
  switch (format) {
    case 'vnd':
      return formatVnd(amount());
    case 'words':
      return vndInWords(amount());
    case 'number':
      return formatGroupedInteger(amount());
    case 'date':
      return formatShortDate(date());
    case 'dateWords':
      return formatVietnameseDateWords(date());
    case 'upper':
      return cleanText(String(value)).toLocaleUpperCase('vi');
    case 'text':
      if (value instanceof Date) return formatShortDate(value);
      if (typeof value === 'boolean') return value ? 'Có' : 'Không';
      if (typeof value === 'object') throw new TypeError(`{{${path}}} is not a single value`);
      return cleanText(String(value));
  }
}

/** The placeholder paths a template string uses, for checking a template against a dossier's data. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Every placeholder path of a template (repeat rows report `item.…` paths as they are written). */
export function templatePlaceholders(template: ResultTemplate): string[] {
  const texts: string[] = [template.title, template.summary ?? '', ...(template.recipients ?? [])];
  for (const block of template.body) {
    if (block.kind === 'paragraph' || block.kind === 'heading') texts.push(block.text);
    else if (block.kind === 'keyValue') for (const item of block.items) texts.push(item.label, item.value);
    else if (block.kind === 'table') {
      for (const row of block.rows ?? []) texts.push(...row);
      if (block.repeat) texts.push(`{{${block.repeat.over}}}`, ...block.repeat.cells);
    }
  }
  return [...new Set(texts.flatMap(placeholdersOf))];
}

/** Fills one template string; missing paths are collected rather than thrown one at a time. */
export function fillText(text: string, data: TemplateData, missing: string[] = []): string {
  const source = cleanText(text);
  // Checked on the template, not the result: a value may legitimately contain braces, a template may not.
  const rest = source.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) throw new TypeError(`Malformed placeholder in template text: ${source}`);
  const filled = source.replace(PLACEHOLDER, (whole, path: string, format: string | undefined) => {
    const kind = (format ?? 'text') as TemplateFormat;
    if (!TEMPLATE_FORMATS.includes(kind)) throw new TypeError(`Unknown format in ${whole}`);
    const value = lookup(data, path);
    if (value === undefined || value === null || value === '') {
      missing.push(path);
      return '';
    }
    return render(value, kind, path);
  });
  return filled;
}

/**
 * The result document for one dossier. Throws TemplateFillError listing every placeholder without data.
 */
export function fillResultTemplate(template: ResultTemplate, data: TemplateData, context: ResultContext): AdministrativeDocument {
  const missing: string[] = [];
  const fill = (text: string): string => fillText(text, data, missing);
  const body: Block[] = template.body.map((block): Block => {
    switch (block.kind) {
      case 'paragraph':
        return { ...block, text: fill(block.text) };
      case 'heading':
        return { ...block, text: fill(block.text) };
      case 'keyValue':
        return { kind: 'keyValue', items: block.items.map((i) => ({ label: fill(i.label), value: fill(i.value) })) };
      case 'spacer':
        return block;
      case 'table': {
        const rows = (block.rows ?? []).map((row) => row.map(fill));
        if (block.repeat) {
          const list = lookup(data, block.repeat.over);
          if (!Array.isArray(list)) missing.push(block.repeat.over);
          else {
            for (const item of list as readonly TemplateValue[]) {
              const scope: TemplateData = { ...data, item: item as TemplateValue };
              rows.push(block.repeat.cells.map((cell) => fillText(cell, scope, missing)));
            }
          }
        }
        return { kind: 'table', columns: block.columns.map((c) => ({ ...c, header: fill(c.header) })), rows };
      }
    }
  });
  const number: DocumentNumber = { value: context.number, symbol: fill(template.numberSymbol) };
  const doc: AdministrativeDocument = {
    governingBody: context.governingBody,
    issuingAgency: context.issuingAgency,
    number,
    place: context.place,
    date: context.date,
    title: fill(template.title),
    summary: template.summary ? fill(template.summary) : undefined,
    body,
    recipients: template.recipients && template.recipients.length > 0 ? { items: template.recipients.map(fill) } : undefined,
    signer: context.signer,
    qr: context.qr,
  };
  if (missing.length > 0) throw new TemplateFillError([...new Set(missing)]);
  return doc;
}
