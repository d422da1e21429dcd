/**
 * Issuing signed documents: every form (01–07), result and signed scan goes through here, so there is one way a
 * PDF gets the state's signatures. Signing happens before any transaction (it can take a TSA round trip); the bytes
 * go to the blob store first and the caller records the `document` row in its own transaction
 * (`recordIssuedDocument`), as the blobs-before-rows rule wants.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db/db.ts';
import { openSigner, signingEnvironment } from '../identity/credentials/service.ts';
import { extendPdf, signPdf, type Appearance, type PadesLevel } from '../signatures/signing/index.ts';
import type { ValidationReport } from '../signatures/validation/index.ts';
import type { AdministrativeDocument } from './nd30/index.ts';
import { renderInPool, validateInPool } from './pdf-work.ts';
import { insertDocument, type BlobRef, type DocumentOrigin } from './store.ts';

/** Who signs, in order: usually the person first (visible, in the document's signature box), then the seal. */
export interface IssueSigner {
  owner: { userId: string } | { agencyId: string };
  /**
   * `signature-box`: visible in the box the ND 30 renderer reserved (personal signatures); `invisible`; or an
   * explicit appearance (e.g. the ND 30 copy stamp on a scan).
   */
  appearance?: 'signature-box' | 'invisible' | Appearance;
  reason?: string;
  location?: string;
  /** This signature's level when not the sequence's rule (see signInSequence). */
  level?: PadesLevel;
}

export interface SignedBytes {
  bytes: Uint8Array;
  level: PadesLevel;
  signers: string[];
  /** The validation report of `bytes` when the long-term check made one (against `trustAnchors`). */
  report?: ValidationReport;
}

/** Default level of what hoso issues: long-term verifiable (R6). */
export const DEFAULT_ISSUE_LEVEL: PadesLevel = 'B-LT';

const LONG_TERM: ReadonlySet<PadesLevel> = new Set(['B-LT', 'B-LTA']);

/**
 * Signs a PDF with each signer in sequence through the configured key backends (PKCS#12, PKCS#11, CSC, demo) and the
 * configured TSA and revocation sources. `signatureBox` is where 'signature-box' appearances go.
 *
 * At a long-term level only the last signature's revision carries the validation data (certificates, CRL/OCSP): it
 * covers the earlier signatures too when they chain to the same CAs, so they are made at B-T, which saves a whole
 * LTV pass per signature. The result is then checked, and any signature still below B-LT (another CA, or one signed
 * earlier by someone else) is extended, so every signature of what hoso issues is long-term verifiable (R6).
 */
export async function signInSequence(
  ctx: AppContext,
  pdf: Uint8Array,
  signers: readonly IssueSigner[],
  opts: {
    now: Date;
    level?: PadesLevel;
    signatureBox?: { page: number; x: number; y: number; width: number; height: number };
    /** Anchors of the long-term check's report (the signing environment's by default). */
    trustAnchors?: Uint8Array[];
  },
): Promise<SignedBytes> {
  const env = await signingEnvironment(ctx);
  const level = opts.level ?? DEFAULT_ISSUE_LEVEL;
  const longTerm = LONG_TERM.has(level);
  let bytes = pdf;
  const names: string[] = [];
  for (const [i, s] of signers.entries()) {
    const signer = await openSigner(ctx, s.owner);
    const appearance: Appearance | undefined =
      s.appearance === 'signature-box'
        ? opts.signatureBox
          ? { kind: 'visible', ...opts.signatureBox }
          : undefined
        : s.appearance === 'invisible' || s.appearance === undefined
          ? undefined
          : s.appearance;
    const signed = await signPdf(bytes, {
      ...env,
      signer,
      level: s.level ?? (longTerm && i < signers.length - 1 ? 'B-T' : level),
      now: opts.now,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.location ? { location: s.location } : {}),
      ...(appearance ? { appearance } : {}),
    });
    bytes = signed.bytes;
    names.push(signed.signer);
  }
  // A single signature on an unsigned document carries its own long-term data: nothing to check.
  const earlier = signers.length > 1 || Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).includes('/ByteRange');
  if (!(longTerm && earlier)) return { bytes, level, signers: names };
  const validate = (b: Uint8Array) => validateInPool(ctx, b, { trustAnchors: opts.trustAnchors ?? env.trustAnchors, at: opts.now });
  let report = await validate(bytes);
  if (report.signatures.some((x) => x.type === 'signature' && !LONG_TERM.has(x.padesLevel as PadesLevel))) {
    bytes = (await extendPdf(bytes, { ...env, level: 'B-LT', now: opts.now })).bytes;
    report = await validate(bytes);
  }
  return { bytes, level, signers: names, report };
}

export interface IssuedDocument {
  /** Chosen before the row exists, so evidence and events can name it. */
  id: string;
  bytes: Uint8Array;
  blob: BlobRef;
  pages: number;
  level: PadesLevel;
  signers: string[];
}

/** Renders an ND 30 document, signs it in sequence and writes the bytes to the blob store (no row yet). */
export async function issueSignedDocument(
  ctx: AppContext,
  input: { document: AdministrativeDocument; signers: readonly IssueSigner[]; now: Date; level?: PadesLevel; id?: string },
): Promise<IssuedDocument> {
  const rendered = await renderInPool(ctx, input.document, { now: input.now });
  const signed = await signInSequence(ctx, rendered.pdf, input.signers, {
    now: input.now,
    ...(input.level ? { level: input.level } : {}),
    ...(rendered.signatureBox ? { signatureBox: rendered.signatureBox } : {}),
  });
  const put = await ctx.blobs.put(signed.bytes);
  return {
    id: input.id ?? randomUUID(),
    bytes: signed.bytes,
    blob: { sha256: put.sha256, size: put.size, mediaType: 'application/pdf' },
    pages: rendered.pageCount,
    level: signed.level,
    signers: signed.signers,
  };
}

/** The `document` row of an issued document, in the caller's transaction (after `issueSignedDocument`). */
export async function recordIssuedDocument(
  q: Queryable,
  doc: IssuedDocument,
  opts: { createdBy: string | null; at: Date; origin?: DocumentOrigin },
): Promise<string> {
  return insertDocument(q, { id: doc.id, blob: doc.blob, pages: doc.pages, origin: opts.origin ?? 'issued', createdBy: opts.createdBy, at: opts.at });
}
