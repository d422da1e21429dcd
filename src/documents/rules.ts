/**
 * Validity bases of dossier components (rule R2 of the product spec) and the assessment every later rule relies on:
 * whether a dossier may enter processing (R1) and what a supplement request may name (R3).
 *
 * Pure: the evidence (signature validation reports, submission records, e-store references) is produced elsewhere
 * and passed in as data; nothing here reads a file, a database or the clock.
 */
import type { LocalizedText } from '../platform/http/problem.ts';
import type { ExemptReason, ValidityBasis } from '../catalog/schema.ts';
import type { ValidationReport } from '../signatures/validation/index.ts';

export type { ExemptReason, ValidityBasis };

/** The bases whose evidence is a digital-signature validation report (R2: only TOTAL_PASSED counts). */
export const SIGNATURE_BASES = ['DIGITIZED_SIGNED', 'ECOPY_FROM_REGISTER', 'E_CERTIFIED'] as const satisfies readonly ValidityBasis[];
export type SignatureBasis = (typeof SIGNATURE_BASES)[number];

/** ETSI EN 319 102-1 main indications, as printed by `hoso verify` (see reference/etsi-indications.md). */
export type SignatureIndication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

/** A stored validation report of the signature engine, by id, with its main indication. */
export interface ValidationEvidence {
  reportId: string;
  indication: SignatureIndication;
}

/**
 * The part of a catalog component definition (catalog/schema.ts `ComponentInput`) these rules read. Structural, so
 * the catalog's own rows can be passed as they are.
 */
export interface ComponentRequirement {
  key: string;
  name: string;
  required: boolean;
  acceptedBases: readonly ValidityBasis[];
  /** The catalog marks the component as not to be digitised (TT 03/2025 Art. 5: only shown, classified). */
  exempt?: { reason: ExemptReason; note?: string | null } | null;
}

/** Scanned at this counter and signed at reception (Law 20/2023 Art. 12(1)(c): marked with who converted it). */
export interface DigitizedSignedEvidence {
  kind: 'basis';
  basis: 'DIGITIZED_SIGNED';
  documentId: string;
  validation: ValidationEvidence | null;
  /** Identity of the officer (or branch) who converted the paper and signed the copy. */
  convertedBy: string;
}

/** An e-copy from the original register or an e-certified copy, signed by the issuing/certifying body. */
export interface SignedCopyEvidence {
  kind: 'basis';
  basis: 'ECOPY_FROM_REGISTER' | 'E_CERTIFIED';
  documentId: string;
  validation: ValidationEvidence | null;
}

/** A form the applicant filled; its evidence is the authenticated submission that carried it (post-audit, R7). */
export interface SelfDeclaredEvidence {
  kind: 'basis';
  basis: 'SELF_DECLARED';
  documentId: string;
  submission: { id: string; authenticated: boolean };
}

/** Evidence of a document as first obtained, i.e. any basis but REUSED (a reuse points at an origin, not a chain). */
export type OriginalEvidence = DigitizedSignedEvidence | SignedCopyEvidence | SelfDeclaredEvidence;

/** Taken from the applicant's e-store or a national database: the reference and the document's original basis. */
export interface ReusedEvidence {
  kind: 'basis';
  basis: 'REUSED';
  source: 'estore' | 'national_database';
  reference: string;
  original: OriginalEvidence;
  /** Set when a post-audit finding or the issuer revoked the stored document (R7). */
  revoked?: boolean;
}

export type BasisEvidence = OriginalEvidence | ReusedEvidence;

/** An item recorded as not digitised, with the reason (TT 03/2025 Art. 5(b)/(d)); OTHER needs a note. */
export interface ExemptionEvidence {
  kind: 'exempt';
  reason: ExemptReason;
  note: string | null;
}

/** What the applicant or the counter provided for one component. */
export type ProvidedComponent = BasisEvidence | ExemptionEvidence;

export type AssessmentProblemCode =
  | 'basis_not_accepted'
  | 'document_missing'
  | 'signature_report_missing'
  | 'signature_not_passed'
  | 'conversion_mark_missing'
  | 'submission_not_authenticated'
  | 'reuse_reference_missing'
  | 'reused_document_revoked'
  | 'reused_original_invalid'
  | 'exemption_not_allowed'
  | 'exemption_note_required';

export interface AssessmentProblem {
  code: AssessmentProblemCode;
  message: LocalizedText;
}

export type ComponentAssessment =
  | { status: 'valid'; basis: ValidityBasis }
  | { status: 'invalid'; problems: AssessmentProblem[] }
  | { status: 'missing'; required: boolean }
  | { status: 'exempt'; reason: ExemptReason };

const PROBLEM_TEXT: Record<AssessmentProblemCode, LocalizedText> = {
  basis_not_accepted: {
    vi: 'Căn cứ pháp lý của thành phần này không thuộc các căn cứ được chấp nhận cho thủ tục',
    en: 'The validity basis is not one the procedure accepts for this component',
  },
  document_missing: { vi: 'Thiếu tệp tài liệu điện tử', en: 'The electronic document is missing' },
  signature_report_missing: {
    vi: 'Chưa có kết quả kiểm tra chữ ký số của tài liệu',
    en: 'No signature validation report for the document',
  },
  signature_not_passed: {
    vi: 'Chữ ký số của tài liệu không hợp lệ (kết quả kiểm tra khác TOTAL_PASSED)',
    en: 'The document signature did not validate (indication other than TOTAL_PASSED)',
  },
  conversion_mark_missing: {
    vi: 'Bản số hóa thiếu thông tin người thực hiện chuyển đổi từ bản giấy',
    en: 'The digitized copy does not name who converted it from paper',
  },
  submission_not_authenticated: {
    vi: 'Tờ khai không được nộp qua phiên đăng nhập đã xác thực',
    en: 'The self-declared form was not submitted in an authenticated session',
  },
  reuse_reference_missing: {
    vi: 'Thiếu tham chiếu tới tài liệu trong kho dữ liệu',
    en: 'The reference to the stored document is missing',
  },
  reused_document_revoked: {
    vi: 'Tài liệu tái sử dụng đã bị thu hồi',
    en: 'The reused document has been revoked',
  },
  reused_original_invalid: {
    vi: 'Căn cứ gốc của tài liệu tái sử dụng không hợp lệ',
    en: 'The original basis of the reused document is not valid',
  },
  exemption_not_allowed: {
    vi: 'Thành phần này không thuộc trường hợp được miễn số hóa',
    en: 'This component may not be exempted from digitization',
  },
  exemption_note_required: {
    vi: 'Miễn số hóa với lý do "khác" phải ghi rõ lý do',
    en: 'An exemption for another reason needs a note',
  },
};

const problem = (code: AssessmentProblemCode): AssessmentProblem => ({ code, message: PROBLEM_TEXT[code] });

const present = (s: string | null | undefined): boolean => typeof s === 'string' && s.trim().length > 0;

function isSignatureBasis(basis: ValidityBasis): basis is SignatureBasis {
  return (SIGNATURE_BASES as readonly ValidityBasis[]).includes(basis);
}

/** Problems of the evidence itself, independent of what the procedure accepts. */
function evidenceProblems(e: BasisEvidence): AssessmentProblem[] {
  const out: AssessmentProblem[] = [];
  if (e.basis === 'REUSED') {
    if (!present(e.reference)) out.push(problem('reuse_reference_missing'));
    if (e.revoked === true) out.push(problem('reused_document_revoked'));
    // The stored document keeps its origin's evidence: a reuse is as valid as the document it points at.
    if (evidenceProblems(e.original).length > 0) out.push(problem('reused_original_invalid'));
    return out;
  }
  if (!present(e.documentId)) out.push(problem('document_missing'));
  if (isSignatureBasis(e.basis)) {
    const signed = e as DigitizedSignedEvidence | SignedCopyEvidence;
    if (signed.validation === null || !present(signed.validation.reportId)) out.push(problem('signature_report_missing'));
    else if (signed.validation.indication !== 'TOTAL_PASSED') out.push(problem('signature_not_passed'));
    if (signed.basis === 'DIGITIZED_SIGNED' && !present(signed.convertedBy)) out.push(problem('conversion_mark_missing'));
  } else {
    const declared = e as SelfDeclaredEvidence;
    if (!present(declared.submission.id) || declared.submission.authenticated !== true) {
      out.push(problem('submission_not_authenticated'));
    }
  }
  return out;
}

/**
 * Assesses one component against its catalog definition.
 *
 * - nothing provided → `missing` (with whether the catalog requires it);
 * - an exemption is accepted when the catalog marks the component exempt, or the item is classified (a case the
 *   catalog cannot foresee, TT 03/2025 Art. 5(d)); reason OTHER needs a note;
 * - a basis must be one the procedure accepts and carry its evidence (R2).
 */
export function assessComponent(definition: ComponentRequirement, provided: ProvidedComponent | null | undefined): ComponentAssessment {
  if (provided === null || provided === undefined) return { status: 'missing', required: definition.required };
  if (provided.kind === 'exempt') {
    const problems: AssessmentProblem[] = [];
    const allowed = (definition.exempt !== null && definition.exempt !== undefined) || provided.reason === 'CLASSIFIED';
    if (!allowed) problems.push(problem('exemption_not_allowed'));
    if (provided.reason === 'OTHER' && !present(provided.note)) problems.push(problem('exemption_note_required'));
    return problems.length ? { status: 'invalid', problems } : { status: 'exempt', reason: provided.reason };
  }
  const problems: AssessmentProblem[] = [];
  if (!definition.acceptedBases.includes(provided.basis)) problems.push(problem('basis_not_accepted'));
  problems.push(...evidenceProblems(provided));
  return problems.length ? { status: 'invalid', problems } : { status: 'valid', basis: provided.basis };
}

export interface DossierAssessment {
  byKey: Record<string, ComponentAssessment>;
  /** R1: every required component is valid or exempt, and nothing provided is invalid. */
  complete: boolean;
  /** Required components not provided. */
  missingRequired: string[];
  /** Components provided with an invalid basis or evidence. */
  invalid: string[];
  /**
   * The only components a supplement request may name (R3): missing ones and those whose e-version is invalid.
   * Valid and exempt components are never in this list.
   */
  supplementable: string[];
}

/** Assesses every component of a procedure; provided items for keys the procedure does not define are ignored. */
export function assessDossier(
  definitions: readonly ComponentRequirement[],
  provided: Readonly<Record<string, ProvidedComponent | undefined>>,
): DossierAssessment {
  const byKey: Record<string, ComponentAssessment> = {};
  const missingRequired: string[] = [];
  const invalid: string[] = [];
  const supplementable: string[] = [];
  for (const d of definitions) {
    const a = assessComponent(d, Object.hasOwn(provided, d.key) ? provided[d.key] : undefined);
    byKey[d.key] = a;
    if (a.status === 'missing' && a.required) missingRequired.push(d.key);
    if (a.status === 'invalid') invalid.push(d.key);
    if (a.status === 'missing' || a.status === 'invalid') supplementable.push(d.key);
  }
  return { byKey, complete: missingRequired.length === 0 && invalid.length === 0, missingRequired, invalid, supplementable };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation reports kept as evidence

/** Main indication of a whole report: TOTAL_PASSED only when it parsed and every signature passed. */
export function reportIndication(report: ValidationReport): SignatureIndication {
  const sigs = report.signatures.filter((s) => s.type === 'signature');
  if (report.error || sigs.length === 0) return 'TOTAL_FAILED';
  if (sigs.some((s) => s.indication === 'TOTAL_FAILED')) return 'TOTAL_FAILED';
  if (sigs.some((s) => s.indication === 'INDETERMINATE')) return 'INDETERMINATE';
  return report.signatures.every((s) => s.indication === 'TOTAL_PASSED') ? 'TOTAL_PASSED' : 'INDETERMINATE';
}

export function reportReason(report: ValidationReport): LocalizedText {
  if (report.error) return { vi: `Không kiểm tra được chữ ký: ${report.error.message}`, en: report.error.message };
  const sigs = report.signatures.filter((s) => s.type === 'signature');
  if (!sigs.length) return { vi: 'Tài liệu không có chữ ký số', en: 'The document carries no digital signature' };
  const bad = report.signatures.find((s) => s.indication !== 'TOTAL_PASSED')!;
  return {
    vi: bad.messages.vi.join(' ') || `Kết quả kiểm tra: ${bad.indication}${bad.subIndication ? ` (${bad.subIndication})` : ''}`,
    en: bad.messages.en.join(' ') || `Validation result: ${bad.indication}${bad.subIndication ? ` (${bad.subIndication})` : ''}`,
  };
}
