/**
 * Pure helpers of the applicant pages: the dossier API's shapes, the self-declared form's client-side checks (the
 * server's own validator, imported — one copy of the rules), dd/mm/yyyy and VND input, and placing the server's
 * problems next to the component or field they concern.
 */
import { validateFormData, type FieldProblem } from '../../../src/dossiers/form-data.ts';
import type { LocalizedText } from '../lib/api.ts';
import { ApiError } from '../lib/api.ts';
import type { Basis, Component, FormField } from '../catalog/model.ts';

export type { FieldProblem };

// ---------------------------------------------------------------------------------------------------------------
// API shapes (src/dossiers/service.ts)

export interface SubmissionResult {
  id: string;
  status: string;
  portalStatus: number;
  submittedAt: string;
  statusSecret: string;
}

export interface DossierSummary {
  id: string;
  code: string | null;
  procedure: string;
  status: string;
  portalStatus: number;
  label: LocalizedText;
  channel: string;
  submittedAt: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  version: number;
}

export interface DossierComponent {
  key: string;
  name: string;
  required: boolean;
  acceptedBases: Basis[];
  basis: Basis | null;
  exemptReason: 'SHOWN_ONLY' | 'CLASSIFIED' | 'OTHER' | null;
  evidence: Record<string, unknown> | null;
  assessment: 'valid' | 'invalid' | 'missing' | 'exempt' | string;
  document: { id: string; sha256: string; mediaType: string; pages: number | null; size: number; origin: string; signedSha256: string | null } | null;
  validation: { reportId: string; indication: string } | null;
}

export interface RequestItem {
  componentKey: string;
  reason: string;
}

export interface DossierDetail extends DossierSummary {
  applicant: { subjectId: string; kind: string };
  receivingAgency: string;
  promisedDue: string | null;
  components: DossierComponent[];
  completionRequest: { at: string; items: RequestItem[]; answeredAt: string | null } | null;
  supplementRequest: { at: string; items: RequestItem[]; answeredAt: string | null } | null;
  forms: { seq: number; form: string; documentId: string; issuedAt: string }[];
  result: { documentId: string; readyAt: string } | null;
  /** Where the law also requires a paper result: its sealed electronic copy. */
  paperResultCopy?: { documentId: string; at: string; convertedBy: string } | null;
  history: { seq: number; type: string; at: string; fromStatus: string | null; toStatus: string; form: string | null }[];
  receipt: { documentId: string; sha256: string } | null;
}

/** Contract 1 (results engineer): one item of the applicant's e-store. */
export interface EstoreItem {
  id: string;
  documentId: string;
  documentType: string | null;
  title: string;
  kind: 'result' | 'component';
  basis: string;
  issuer: string | null;
  issuedAt: string;
  validUntil: string | null;
  status: 'valid' | 'revoked' | 'superseded' | 'expired';
  sourceDossierCode: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Words for bases, evidence and statuses

type Text = LocalizedText;

/** What each validity basis means for the applicant, in plain words (R2). */
export const BASIS_EXPLAINED: Record<Basis, Text> = {
  SELF_DECLARED: {
    vi: 'Bạn tự kê khai trực tuyến; thông tin được xác thực bằng tài khoản định danh của bạn và có thể được hậu kiểm.',
    en: 'You fill the form online; your verified account vouches for it and it may be checked later.',
  },
  E_CERTIFIED: {
    vi: 'Tải lên bản sao đã được chứng thực điện tử (tệp PDF có chữ ký số của cơ quan chứng thực). Hệ thống kiểm tra chữ ký ngay khi tải lên.',
    en: 'Upload the electronically certified copy (a PDF signed by the certifying office). The signature is checked on upload.',
  },
  ECOPY_FROM_REGISTER: {
    vi: 'Tải lên bản sao điện tử được cấp từ sổ gốc (tệp PDF có chữ ký số của cơ quan quản lý sổ gốc).',
    en: 'Upload the e-copy issued from the original register (a PDF signed by the register office).',
  },
  REUSED: {
    vi: 'Dùng lại giấy tờ điện tử còn hiệu lực trong kho dữ liệu của bạn; không cần tải lên lại.',
    en: 'Reuse a still-valid electronic document from your e-store; nothing to upload again.',
  },
  DIGITIZED_SIGNED: {
    vi: 'Chụp ảnh hoặc quét bản giấy (rõ nét, đủ trang) và tải lên; cán bộ một cửa đối chiếu và ký số bản số hóa ngay khi tiếp nhận hồ sơ.',
    en: 'Photograph or scan the paper (sharp, every page) and upload it; the counter officer checks it and signs the digitized copy when receiving the dossier.',
  },
};

export const INDICATION_WORDS: Record<string, Text> = {
  TOTAL_PASSED: { vi: 'chữ ký hợp lệ', en: 'signature valid' },
  TOTAL_FAILED: { vi: 'chữ ký không hợp lệ', en: 'signature not valid' },
  INDETERMINATE: { vi: 'chưa xác định được chữ ký', en: 'signature indeterminate' },
};

const EXEMPT_WORDS: Record<string, Text> = {
  SHOWN_ONLY: { vi: 'Chỉ xuất trình để đối chiếu, không phải nộp', en: 'Shown only for comparison, not submitted' },
  CLASSIFIED: { vi: 'Tài liệu mật, không số hóa', en: 'Classified, not digitized' },
  OTHER: { vi: 'Được miễn nộp', en: 'Exempt' },
};

const BASIS_SHORT: Record<Basis, Text> = {
  SELF_DECLARED: { vi: 'Tự kê khai trực tuyến', en: 'Self-declared online' },
  E_CERTIFIED: { vi: 'Chứng thực điện tử', en: 'Electronically certified copy' },
  ECOPY_FROM_REGISTER: { vi: 'Bản sao điện tử từ sổ gốc', en: 'E-copy from the register' },
  REUSED: { vi: 'Tái sử dụng từ kho dữ liệu', en: 'Reused from the e-store' },
  DIGITIZED_SIGNED: { vi: 'Số hóa và ký số khi tiếp nhận', en: 'Digitized and signed at reception' },
};

/** One component's basis and evidence in a sentence, e.g. "Chứng thực điện tử — chữ ký hợp lệ". */
export function evidenceInWords(c: Pick<DossierComponent, 'basis' | 'exemptReason' | 'validation' | 'evidence' | 'assessment'>, lang: 'vi' | 'en'): string {
  if (c.exemptReason) {
    const note = typeof (c.evidence?.exemption as { note?: unknown } | undefined)?.note === 'string' ? ` (${(c.evidence!.exemption as { note: string }).note})` : '';
    return (EXEMPT_WORDS[c.exemptReason] ?? EXEMPT_WORDS.OTHER!)[lang] + note;
  }
  if (!c.basis) return lang === 'vi' ? 'Chưa nộp' : 'Not provided';
  const head = BASIS_SHORT[c.basis][lang];
  if (c.validation) return `${head} — ${(INDICATION_WORDS[c.validation.indication] ?? { vi: c.validation.indication, en: c.validation.indication })[lang]}`;
  if (c.basis === 'SELF_DECLARED') return `${head} — ${lang === 'vi' ? 'xác thực bằng tài khoản định danh' : 'vouched for by the signed-in account'}`;
  if (c.basis === 'REUSED') {
    const ref = (c.evidence?.estore as { title?: unknown } | undefined)?.title;
    return `${head}${typeof ref === 'string' ? ` — ${ref}` : ''}`;
  }
  if (c.basis === 'DIGITIZED_SIGNED' && c.assessment === 'awaiting_signature') return `${head} — ${lang === 'vi' ? 'ảnh/bản quét sẽ được ký số khi tiếp nhận' : 'photos/scan to be signed at reception'}`;
  if (c.basis === 'DIGITIZED_SIGNED') return `${head} — ${lang === 'vi' ? 'đã ký số tại bộ phận một cửa' : 'signed at the counter'}`;
  return head;
}

export const ASSESSMENT_WORDS: Record<string, Text> = {
  valid: { vi: 'Hợp lệ', en: 'Valid' },
  invalid: { vi: 'Không hợp lệ', en: 'Not valid' },
  missing: { vi: 'Còn thiếu', en: 'Missing' },
  awaiting_signature: { vi: 'Chờ ký số khi tiếp nhận', en: 'To be signed at reception' },
  exempt: { vi: 'Được miễn', en: 'Exempt' },
};

export const EVENT_WORDS: Record<string, Text> = {
  submitted: { vi: 'Nộp hồ sơ trực tuyến', en: 'Submitted online' },
  received: { vi: 'Tiếp nhận hồ sơ', en: 'Received' },
  returned_for_completion: { vi: 'Yêu cầu hoàn thiện hồ sơ', en: 'Returned for completion' },
  completion_supplied: { vi: 'Đã hoàn thiện hồ sơ', en: 'Completion supplied' },
  refused: { vi: 'Từ chối tiếp nhận', en: 'Refused' },
  processing_started: { vi: 'Bắt đầu giải quyết', en: 'Processing started' },
  step_completed: { vi: 'Chuyển bước xử lý', en: 'Step handed over' },
  supplement_requested: { vi: 'Yêu cầu bổ sung hồ sơ', en: 'Supplement requested' },
  supplemented: { vi: 'Đã bổ sung hồ sơ', en: 'Supplemented' },
  validation_recorded: { vi: 'Kiểm tra lại chữ ký số', en: 'Signature re-validated' },
  transferred: { vi: 'Chuyển liên thông', en: 'Transferred to another agency' },
  financial_obligation_requested: { vi: 'Thông báo nghĩa vụ tài chính', en: 'Financial obligation notified' },
  payment_confirmed: { vi: 'Đã thực hiện nghĩa vụ tài chính', en: 'Payment confirmed' },
  approved: { vi: 'Lãnh đạo phê duyệt', en: 'Approved' },
  processed: { vi: 'Đã có kết quả', en: 'Result ready' },
  result_returned: { vi: 'Đã trả kết quả', en: 'Result returned' },
  withdrawn: { vi: 'Rút hồ sơ', en: 'Withdrawn' },
  stopped: { vi: 'Dừng giải quyết', en: 'Stopped' },
  apology_issued: { vi: 'Xin lỗi và hẹn lại ngày trả kết quả', en: 'Apology and new date' },
};

export function eventInWords(type: string, lang: 'vi' | 'en'): string {
  return EVENT_WORDS[type]?.[lang] ?? type.replace(/_/g, ' ');
}

// ---------------------------------------------------------------------------------------------------------------
// Form input: what the applicant types → what the server validates

/** dd/mm/yyyy (also d/m/yyyy, dots or dashes) → yyyy-mm-dd, or null when it is not a written date. */
export function parseVnDate(input: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(input);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** yyyy-mm-dd → dd/mm/yyyy (for showing a stored form value). */
export function isoToVnDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** "1.500.000" or "1500000" or "1 500 000 đ" → 1500000; null when it is not a whole number of đồng. */
export function parseVnd(input: string): number | null {
  const s = input.replace(/[\s\u00a0]|đ|₫|vnd/gi, '');
  if (!/^\d{1,3}(\.\d{3})+$|^\d+$/.test(s)) return null;
  const n = Number(s.replace(/\./g, ''));
  return Number.isSafeInteger(n) ? n : null;
}

/** Grouped as the applicant types: 1500000 → "1.500.000" (digits only are kept). */
export function groupVndInput(input: string): string {
  const digits = input.replace(/\D/g, '').replace(/^0+(?=\d)/, '');
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** The server's rule for money fields (form-data.ts): a number field whose name says amount/fee/…. */
const AMOUNT_FIELD = /(amount|vnd|fee|price|salary|capital|tien|phi|von|luong)/i;
export function isAmountField(f: Pick<FormField, 'name' | 'type'>): boolean {
  return f.type === 'number' && AMOUNT_FIELD.test(f.name);
}

export type FormValues = Record<string, string | boolean>;

/** Converts the typed values to the shape the server validates (ISO dates, numbers), leaving unparseable text as is. */
export function toFormData(fields: FormField[], values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (v === undefined || v === '') continue;
    if (f.type === 'checkbox') {
      out[f.name] = v === true;
      continue;
    }
    const s = String(v).normalize('NFC').trim();
    if (s === '') continue;
    if (f.type === 'date') out[f.name] = parseVnDate(s) ?? s;
    else if (f.type === 'number') {
      const n = isAmountField(f) ? parseVnd(s) : /^-?\d+([.,]\d+)?$/.test(s) ? Number(s.replace(',', '.')) : null;
      out[f.name] = n ?? s;
    } else out[f.name] = s;
  }
  return out;
}

/** Client messages where the server's would confuse a person typing dd/mm/yyyy or grouped amounts. */
const CLIENT_MESSAGES: Partial<Record<FieldProblem['code'], Text>> = {
  invalid_date: { vi: 'Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 14/03/1985', en: 'Not a valid date: type day/month/year, e.g. 14/03/1985' },
  invalid_amount: { vi: 'Số tiền phải là số nguyên đồng, ví dụ 1.500.000', en: 'An amount is a whole number of đồng, e.g. 1.500.000' },
  type: { vi: 'Giá trị phải là một số', en: 'The value must be a number' },
};

/** Field name → message: the same checks the server runs (src/dossiers/form-data.ts), run before sending. */
export function checkForm(template: { title: string; fields: FormField[] }, values: FormValues, lang: 'vi' | 'en'): Record<string, string> {
  const r = validateFormData(template as Parameters<typeof validateFormData>[0], toFormData(template.fields, values));
  if (r.ok) return {};
  return problemsToMessages(r.problems, lang);
}

export function problemsToMessages(problems: Pick<FieldProblem, 'field' | 'code' | 'message'>[], lang: 'vi' | 'en'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) if (!(p.field in out)) out[p.field] = (CLIENT_MESSAGES[p.code] ?? p.message)[lang];
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Server problems → where they belong

export interface PlacedProblem {
  /** The component the problem concerns, when the server named one. */
  component: string | null;
  /** Per-field messages of a FORM_INVALID. */
  fields: Record<string, string>;
  /** The sentence to show (the detail carries the Vietnamese reason of a signature refusal). */
  message: string;
}

export function placeProblem(error: unknown, lang: 'vi' | 'en'): PlacedProblem | null {
  if (!(error instanceof ApiError)) return null;
  const p = error.problem;
  const component = typeof p.component === 'string' ? p.component : null;
  const fields = Array.isArray(p.problems) ? problemsToMessages(p.problems as FieldProblem[], lang) : {};
  const reason = p.reason as Partial<Text> | undefined;
  const message = typeof p.detail === 'string' && p.detail ? p.detail : reason?.[lang] ? `${error.title(lang)}: ${reason[lang]}` : error.title(lang);
  return { component, fields, message };
}

// ---------------------------------------------------------------------------------------------------------------
// Submission building

export type ComponentChoice =
  | { mode: 'form'; values: FormValues }
  | { mode: 'upload'; basis: Basis; files: File[] }
  | { mode: 'reuse'; estoreItemId: string }
  | { mode: 'skip' };

/**
 * The bases an applicant can use online for a component. A digitized copy (photos or a scan of the paper) is sent
 * with the dossier and signed by the counter when it receives it; a completion answer needs signed copies
 * (`photos: false`), since no counter officer signs it at that moment.
 */
export function onlineBases(c: Pick<Component, 'acceptedBases' | 'input' | 'formTemplate'>, opts: { photos?: boolean } = {}): Basis[] {
  const photos = opts.photos ?? true;
  return c.acceptedBases.filter((b) => (b !== 'DIGITIZED_SIGNED' || (photos && c.input === 'upload')) && (b !== 'SELF_DECLARED' || (c.input === 'form' && !!c.formTemplate)));
}

/** Upload bases in order of preference: a signed e-copy first, photos for the counter to sign last. */
export function uploadBases(c: Pick<Component, 'acceptedBases' | 'input' | 'formTemplate'>, opts: { photos?: boolean } = {}): Basis[] {
  const bases = onlineBases(c, opts);
  return (['E_CERTIFIED', 'ECOPY_FROM_REGISTER', 'DIGITIZED_SIGNED'] as const).filter((b) => bases.includes(b));
}

/** The `dossier` JSON field and the files, in the multipart shape POST /api/dossiers reads. */
export function buildSubmission(
  procedure: string,
  receivingAgency: string | null,
  components: Pick<Component, 'key' | 'formTemplate' | 'exempt'>[],
  choices: Record<string, ComponentChoice>,
): { dossier: Record<string, unknown>; files: { field: string; file: File }[] } {
  const list: Record<string, unknown>[] = [];
  const files: { field: string; file: File }[] = [];
  for (const c of components) {
    if (c.exempt) {
      list.push({ key: c.key, exempt: { reason: c.exempt.reason, note: c.exempt.note ?? null } });
      continue;
    }
    const ch = choices[c.key];
    if (!ch || ch.mode === 'skip') continue;
    if (ch.mode === 'form') list.push({ key: c.key, basis: 'SELF_DECLARED', form: toFormData(c.formTemplate?.fields ?? [], ch.values) });
    else if (ch.mode === 'reuse') list.push({ key: c.key, basis: 'REUSED', reuse: { estoreItemId: ch.estoreItemId } });
    else if (ch.files.length) {
      list.push({ key: c.key, basis: ch.basis });
      for (const file of ch.files) files.push({ field: `component:${c.key}`, file });
    }
  }
  return { dossier: { procedure, ...(receivingAgency ? { receivingAgency } : {}), components: list }, files };
}

/** Components the applicant has not yet provided though the procedure requires them. */
export function missingRequired(components: Pick<Component, 'key' | 'required' | 'exempt'>[], choices: Record<string, ComponentChoice>): string[] {
  return components
    .filter((c) => c.required && !c.exempt)
    .filter((c) => {
      const ch = choices[c.key];
      return !ch || ch.mode === 'skip' || (ch.mode === 'upload' && ch.files.length === 0) || (ch.mode === 'reuse' && !ch.estoreItemId);
    })
    .map((c) => c.key);
}

/** A key that stays the same across retries of one submission (a flaky phone connection resends the same one). */
export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function isImage(file: Pick<File, 'type' | 'name'>): boolean {
  return /^image\/(jpeg|png)$/.test(file.type) || /\.(jpe?g|png)$/i.test(file.name);
}

export function isPdf(file: Pick<File, 'type' | 'name'>): boolean {
  return file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
}

/** One PDF, or several photos (the server joins them into one PDF); a PDF and photos together cannot be joined. */
export function acceptFiles(current: File[], added: File[]): { files: File[]; rejected: 'type' | 'mix' | null } {
  const ok = added.filter((f) => isPdf(f) || isImage(f));
  const rejected = ok.length < added.length ? 'type' : null;
  if (!ok.length) return { files: current, rejected };
  const pdf = ok.find(isPdf);
  if (pdf) return { files: [pdf], rejected: ok.length > 1 || current.length ? 'mix' : rejected };
  const images = current.filter(isImage);
  return { files: [...images, ...ok], rejected: current.some(isPdf) ? 'mix' : rejected };
}

/** Badge tone of a dossier status (lifecycle rules' statuses). */
export function statusTone(status: string): 'neutral' | 'info' | 'success' | 'warning' | 'danger' {
  if (status === 'not_received' || status === 'withdrawn' || status === 'stopped') return 'danger';
  if (status === 'supplement_requested' || status === 'awaiting_financial_obligation') return 'warning';
  if (status === 'processed' || status === 'result_returned') return 'success';
  if (status === 'new') return 'neutral';
  return 'info';
}
