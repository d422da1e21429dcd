/**
 * Public verification (issue 6): anyone uploads a PDF and gets the signature engine's report in Vietnamese and
 * English — signer, issuer, signing time, integrity, trust, PAdES level — plus, for a document hoso issued, its
 * registry entry (what it is, when it was issued, whether it is still valid). Nothing given is stored: the bytes are
 * hashed and validated in memory, and no audit row names them.
 */
import { createHash } from 'node:crypto';
import { configuredTrustAnchors } from '../identity/credentials/service.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db/db.ts';
import { defineError, type LocalizedText } from '../platform/http/problem.ts';
import { validatePdf, type Indication, type ValidationReport } from '../signatures/validation/index.ts';
import { revocationOf } from './revocation.ts';

export const MAX_VERIFY_BYTES = 20 * 1024 * 1024;

export const VerificationErrors = {
  empty: defineError('VERIFY_EMPTY', 400, { vi: 'Chưa chọn tệp PDF để kiểm tra', en: 'No PDF file was given' }),
  tooLarge: defineError('VERIFY_TOO_LARGE', 413, { vi: 'Tệp lớn hơn 20 MB', en: 'The file is larger than 20 MB' }),
  notPdf: defineError('VERIFY_NOT_PDF', 415, { vi: 'Tệp không phải là PDF', en: 'The file is not a PDF' }),
  unknownResult: defineError('RESULT_NOT_REGISTERED', 404, {
    vi: 'Không tìm thấy kết quả này trong sổ kết quả đã ban hành',
    en: 'No issued result with this identifier is registered',
  }),
};

export type Verdict = Indication | 'NOT_SIGNED' | 'MALFORMED';

export const VERDICT_LABELS: Readonly<Record<Verdict, LocalizedText>> = Object.freeze({
  TOTAL_PASSED: { vi: 'Hợp lệ: chữ ký số đúng, tài liệu không bị sửa đổi, chứng thư số được tin cậy', en: 'Valid: signatures are correct, the document is unchanged, certificates are trusted' },
  TOTAL_FAILED: { vi: 'Không hợp lệ: tài liệu đã bị sửa đổi hoặc chữ ký số không đúng', en: 'Not valid: the document was changed or a signature is wrong' },
  INDETERMINATE: { vi: 'Chưa xác định: chưa kiểm chứng được chứng thư số hoặc thời điểm ký', en: 'Indeterminate: a certificate or the signing time could not be confirmed' },
  NOT_SIGNED: { vi: 'Tài liệu không có chữ ký số', en: 'The document has no digital signature' },
  MALFORMED: { vi: 'Không đọc được cấu trúc PDF', en: 'The PDF structure cannot be read' },
});

/** The file's overall verdict: every signature must pass; one failure fails it; anything else is indeterminate. */
export function verdictOf(report: ValidationReport): Verdict {
  if (report.error) return 'MALFORMED';
  if (!report.signatures.length) return 'NOT_SIGNED';
  if (report.signatures.some((s) => s.indication === 'TOTAL_FAILED' || s.modifiedAfterSigning === 'disallowed')) return 'TOTAL_FAILED';
  if (report.signatures.every((s) => s.indication === 'TOTAL_PASSED')) return 'TOTAL_PASSED';
  return 'INDETERMINATE';
}

export type RegistryKind = 'result' | 'receipt' | 'form';

export interface RegistryEntry {
  /** The bytes are exactly a document hoso issued. */
  issuedByHoso: true;
  kind: RegistryKind;
  form: string | null;
  issuedAt: string;
  status: 'valid' | 'revoked';
  /** Why and when it was revoked (status `revoked`). */
  revocation: { reason: string; at: string } | null;
  label: LocalizedText;
}

const KIND_LABELS: Record<RegistryKind, LocalizedText> = {
  result: { vi: 'Kết quả giải quyết thủ tục hành chính', en: 'Result of an administrative procedure' },
  receipt: { vi: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)', en: 'Receipt and appointment (form 01)' },
  form: { vi: 'Biểu mẫu trong quá trình giải quyết hồ sơ', en: 'Form issued while processing a dossier' },
};

/** What hoso's registry says of a document with these exact bytes (by content hash), or null if it did not issue it. */
export async function registryEntry(q: Queryable, sha256: string): Promise<RegistryEntry | null> {
  const r = await q.query<{ id: string; created_at: Date; receipt: boolean; form: string | null; result: boolean }>(
    `SELECT d.id, d.created_at,
            EXISTS (SELECT 1 FROM dossier_receipt r WHERE r.document_id = d.id) AS receipt,
            (SELECT f.form FROM dossier_form f WHERE f.document_id = d.id) AS form,
            EXISTS (SELECT 1 FROM dossier x WHERE x.state->'result'->>'documentId' = d.id::text) AS result
       FROM document d WHERE d.origin = 'issued' AND d.blob_sha256 = $1 LIMIT 1`,
    [sha256],
  );
  const x = r.rows[0];
  if (!x) return null;
  const kind: RegistryKind = x.result ? 'result' : x.receipt ? 'receipt' : 'form';
  const revocation = await revocationOf(q, x.id);
  return {
    issuedByHoso: true,
    kind,
    form: x.receipt ? '01' : x.form,
    issuedAt: new Date(x.created_at).toISOString(),
    status: revocation ? 'revoked' : 'valid',
    revocation,
    label: KIND_LABELS[kind],
  };
}

export interface VerificationResult {
  sha256: string;
  verdict: Verdict;
  label: LocalizedText;
  report: ValidationReport;
  registry: RegistryEntry | null;
}

export async function verifyPdf(
  ctx: AppContext,
  bytes: Uint8Array,
  opts: { trustAnchors?: () => Promise<Uint8Array[]> } = {},
): Promise<VerificationResult> {
  if (bytes.length === 0) throw VerificationErrors.empty();
  if (bytes.length > MAX_VERIFY_BYTES) throw VerificationErrors.tooLarge({ size: bytes.length, limit: MAX_VERIFY_BYTES });
  if (Buffer.from(bytes.subarray(0, 1024)).toString('latin1').indexOf('%PDF-') < 0) throw VerificationErrors.notPdf();
  const anchors = await (opts.trustAnchors ?? (() => configuredTrustAnchors(ctx)))();
  const report = await validatePdf(bytes, { trustAnchors: anchors });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const verdict = verdictOf(report);
  return { sha256, verdict, label: VERDICT_LABELS[verdict], report, registry: await registryEntry(ctx.db, sha256) };
}
