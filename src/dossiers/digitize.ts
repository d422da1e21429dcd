/**
 * Digitized and signed at reception (R1, basis DIGITIZED_SIGNED): a PDF built from paper — scanned at the counter,
 * or photographed by the applicant and sent online — is marked as converted with the converter's identity
 * (Law 20/2023 Art. 12) and signed by the receiving officer at the moment of reception. Shared by the walk-in
 * counter (scan and receive in one act) and the reception of an online dossier (photos signed when received).
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../identity/access.ts';
import { configuredTrustAnchors, signingEnvironment } from '../identity/credentials/service.ts';
import type { AppContext } from '../platform/context.ts';
import { defineError } from '../platform/http/problem.ts';
import { signInSequence, type IssueSigner } from '../documents/issue.ts';
import { conversionMarkText, markConverted } from '../documents/scan.ts';
import { reportIndication, reportReason, type ProvidedComponent, type SignatureIndication } from '../documents/rules.ts';
import { validatePdf, type ValidationReport } from '../signatures/validation/index.ts';
import type { ComponentRow } from './store.ts';

export const DigitizeErrors = {
  scanSigningFailed: defineError('SCAN_SIGNING_FAILED', 503, {
    vi: 'Không ký số được bản số hóa; hồ sơ chưa được tiếp nhận, vui lòng thử lại',
    en: 'The digitized copy could not be signed; the dossier was not received, try again',
  }),
};

export interface ReceptionSigner {
  principal: Principal;
  officerName: string;
  agencyName: string;
  now: Date;
  anchors: Uint8Array[];
}

/**
 * The officer signing at reception as marked on the copy (name, agency), and the anchors the signed copy must
 * validate against: the signing PKI's and those configured for uploads.
 */
export async function receptionSigner(
  ctx: AppContext,
  principal: Principal,
  now: Date,
  opts: { agencyName?: string; uploadAnchors?: Uint8Array[] } = {},
): Promise<ReceptionSigner> {
  const officer = await ctx.db.query<{ display_name: string }>('SELECT display_name FROM app_user WHERE id = $1', [principal.userId]);
  const agencyName = opts.agencyName ?? (await ctx.db.query<{ name: string }>('SELECT name FROM agency WHERE id = $1', [principal.agencyId])).rows[0]?.name ?? '';
  const signing = await signingEnvironment(ctx);
  return {
    principal,
    officerName: officer.rows[0]?.display_name ?? principal.userId,
    agencyName,
    now,
    anchors: [...signing.trustAnchors, ...(opts.uploadAnchors ?? (await configuredTrustAnchors(ctx)))],
  };
}

export interface DigitizedCopy {
  signed: Uint8Array;
  report: { id: string; indication: SignatureIndication; report: ValidationReport };
  provided: ProvidedComponent;
  row: ComponentRow;
}

/**
 * Marks and signs one component's PDF; only a copy that validates TOTAL_PASSED is returned (R2). The officer signs,
 * unless `signAs` names another signer (the agency's seal on a paper result scanned back in).
 */
export async function signDigitizedCopy(
  ctx: AppContext,
  pdf: Uint8Array,
  c: { key: string; name: string; documentId: string; pages: number; fromImages: boolean; source: 'counter_scan' | 'online_photo' | 'paper_result' },
  env: ReceptionSigner,
  signAs: { owner: IssueSigner['owner']; reason: string } = { owner: { userId: env.principal.userId }, reason: 'Số hóa từ bản giấy khi tiếp nhận' },
): Promise<DigitizedCopy> {
  const where = { component: c.key, componentName: c.name };
  const mark = { converter: env.officerName, agency: env.agencyName, at: env.now };
  let signed: Uint8Array;
  try {
    const marked = await markConverted(pdf, mark);
    signed = (
      await signInSequence(ctx, marked, [{ owner: signAs.owner, appearance: 'invisible', reason: signAs.reason, location: env.agencyName }], {
        now: env.now,
      })
    ).bytes;
  } catch (err) {
    if ((err as { code?: string }).code === 'SIGNING_CREDENTIAL_MISSING') throw err;
    throw DigitizeErrors.scanSigningFailed({ ...where, reason: (err as Error).message.slice(0, 200) });
  }
  const report = await validatePdf(signed, { trustAnchors: env.anchors, at: env.now });
  const indication = reportIndication(report);
  if (indication !== 'TOTAL_PASSED') throw DigitizeErrors.scanSigningFailed({ ...where, indication, reason: reportReason(report) });
  const reportId = randomUUID();
  return {
    signed,
    report: { id: reportId, indication, report },
    provided: { kind: 'basis', basis: 'DIGITIZED_SIGNED', documentId: c.documentId, validation: { reportId, indication }, convertedBy: env.principal.userId },
    row: {
      componentKey: c.key,
      basis: 'DIGITIZED_SIGNED',
      exemptReason: null,
      evidence: {
        validationReportId: reportId,
        indication,
        convertedBy: { userId: env.principal.userId, name: env.officerName, agency: env.agencyName, at: env.now.toISOString() },
        conversionMark: conversionMarkText(mark),
        pages: c.pages,
        fromImages: c.fromImages,
        source: c.source,
      },
      documentId: c.documentId,
    },
  };
}

/** Evidence of an online photo/scan not yet signed: the component becomes DIGITIZED_SIGNED when the counter receives. */
export interface AwaitingSignatureEvidence {
  awaitingSignature: true;
  pages: number;
  fromImages: boolean;
}

export function isAwaitingSignature(evidence: unknown): evidence is AwaitingSignatureEvidence {
  return typeof evidence === 'object' && evidence !== null && (evidence as { awaitingSignature?: unknown }).awaitingSignature === true;
}
