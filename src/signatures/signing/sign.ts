import { createHash, verify as nodeVerify } from 'node:crypto';
import {
  PDF, PdfArray, PdfDict, PdfName, PdfNumber, PdfRef, type PAdESLevel, type Signer,
  type TimestampAuthority,
} from '@libpdf/core';
import { type HashName, bytesEqual, nodeHash } from '../pki/asn1.ts';
import { certificateInfo, parseCertificate } from '../pki/certificates.ts';
import { publicKeyOf } from '../pki/verify.ts';
import { ecdsaRawToDer, isDerEcdsa, type KeyBackend } from '../keys/backend.ts';
import { checkSigningCertificate } from '../keys/check.ts';
import type { RevocationSource } from '../keys/revocation.ts';
import { checkToken, type TimestampSource } from '../tsa/client.ts';
import { buildAppearanceXObject, stampLines, type Appearance } from './appearance.ts';
import { StrictRevocationProvider } from './revocation-provider.ts';

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

/** Problems the caller can act on; the output is never returned when one is thrown. */
export class SigningError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'SigningError';
    this.code = code;
  }
}

/** Runs after signing on the produced bytes (e.g. the in-process validator); throwing rejects the output. */
export type SelfCheck = (bytes: Uint8Array, expect: { level: PadesLevel | 'extended'; signatures: number }) => Promise<void>;

export interface SignPdfOptions {
  signer: KeyBackend;
  /** Default B-B. */
  level?: PadesLevel;
  /** Default SHA-256 (SHA-384 for P-384 keys). */
  hash?: HashName;
  /** Required for B-T and above; its tokens are checked again here whatever the source. */
  tsa?: TimestampSource;
  /** Required for B-LT and above; also used to refuse revoked signers before signing. */
  revocation?: RevocationSource;
  /** Roots the signer must chain to (and the TSA, unless `tsaTrustAnchors` is given). */
  trustAnchors: Uint8Array[];
  /** Roots for TSA certificates when they differ from the signers' roots. */
  tsaTrustAnchors?: Uint8Array[];
  intermediates?: Uint8Array[];
  /**
   * Called on the input when it is already signed (must accept it) and on the output (must accept the new
   * signature); `validatorSelfCheck()` plugs in the in-process validator.
   */
  selfCheck?: SelfCheck;
  /** Claimed signing time (/M) and the time certificates are checked at; default: the clock. */
  now?: Date;
  reason?: string;
  location?: string;
  contactInfo?: string;
  fieldName?: string;
  appearance?: Appearance;
  /** DocMDP certification with these permissions (1 no changes, 2 forms and signing, 3 plus annotations). */
  certify?: 1 | 2 | 3;
}

export interface SignPdfResult {
  bytes: Uint8Array;
  fieldName: string;
  level: PadesLevel;
  signingTime: Date;
  signer: string;
  warnings: string[];
}

function defaultHash(backend: KeyBackend): HashName {
  const info = certificateInfo(backend.certificate);
  return info.keyKind === 'EC' && info.keyBits === 384 ? 'SHA-384' : 'SHA-256';
}

/** Wraps a KeyBackend as @libpdf/core's Signer; every signature is verified against the certificate's key. */
export function libpdfSigner(backend: KeyBackend, chain: Uint8Array[]): Signer {
  const publicKey = publicKeyOf(parseCertificate(backend.certificate));
  return {
    certificate: backend.certificate,
    certificateChain: chain,
    keyType: backend.keyKind,
    // Only PKCS#1 v1.5 for RSA: @libpdf/core 0.4.2 writes the sha*WithRSAEncryption OID even for PSS.
    signatureAlgorithm: backend.keyKind === 'RSA' ? 'RSASSA-PKCS1-v1_5' : 'ECDSA',
    async sign(data: Uint8Array, algorithm: HashName): Promise<Uint8Array> {
      const digest = new Uint8Array(createHash(nodeHash(algorithm)).update(data).digest());
      let sig = await backend.sign({ hash: algorithm, digest, message: data });
      if (backend.keyKind === 'EC' && !isDerEcdsa(sig)) sig = ecdsaRawToDer(sig);
      const ok = nodeVerify(nodeHash(algorithm), data, publicKey, sig);
      if (!ok) throw new SigningError('BAD_SIGNATURE', `${backend.description} returned a signature that does not verify with its certificate (wrong key or unsupported scheme such as RSA-PSS)`);
      return sig;
    },
  };
}

/** Re-checks every token a TSA returns (imprint, signature, EKU, chain), so an unchecked source cannot slip through. */
function checkedTsa(source: TimestampSource, anchors: Uint8Array[], intermediates: Uint8Array[], onToken?: (certs: Uint8Array[]) => void): TimestampAuthority {
  return {
    async timestamp(digest: Uint8Array, algorithm: HashName): Promise<Uint8Array> {
      const token = await source.timestamp(digest, algorithm);
      const info = checkToken(token, { hash: algorithm, digest }, { trustAnchors: anchors, intermediates });
      onToken?.(info.certificates);
      return token;
    },
  };
}

interface SignedFieldInfo {
  name: string;
  docMdpP: number | undefined;
  documentTimestamp: boolean;
}

function signedFields(pdf: PDF): SignedFieldInfo[] {
  const form = pdf.getForm();
  if (!form) return [];
  const out: SignedFieldInfo[] = [];
  for (const f of form.getSignatureFields()) {
    if (!f.isSigned()) continue;
    let p: number | undefined;
    const sig = f.getSignatureDict();
    const refs = sig?.getArray('Reference');
    if (refs) {
      for (let i = 0; i < refs.length; i++) {
        let r = refs.at(i);
        if (r instanceof PdfRef) r = pdf.context.resolve(r) ?? undefined;
        if (!(r instanceof PdfDict)) continue;
        if (r.getName('TransformMethod')?.value !== 'DocMDP') continue;
        let params = r.get('TransformParams');
        if (params instanceof PdfRef) params = pdf.context.resolve(params) ?? undefined;
        p = params instanceof PdfDict ? (params.getNumber('P')?.value ?? 2) : 2;
      }
    }
    out.push({ name: f.name, docMdpP: p, documentTimestamp: sig?.getName('Type')?.value === 'DocTimeStamp' });
  }
  return out;
}

function resolveDict(pdf: PDF, v: unknown): PdfDict | undefined {
  const r = v instanceof PdfRef ? pdf.context.resolve(v) : v;
  return r instanceof PdfDict ? r : undefined;
}

/** DocMDP permission from the catalog's /Perms (the authoritative place), or undefined when not certified. */
function catalogDocMdp(pdf: PDF): number | undefined {
  const perms = resolveDict(pdf, pdf.getCatalog().get('Perms'));
  const sig = resolveDict(pdf, perms?.get('DocMDP'));
  if (!sig) return undefined;
  const refs = sig.get('Reference');
  const arr = refs instanceof PdfRef ? pdf.context.resolve(refs) : refs;
  if (!(arr instanceof PdfArray)) return 2;
  for (let i = 0; i < arr.length; i++) {
    const ref = resolveDict(pdf, arr.at(i));
    if (ref?.getName('TransformMethod')?.value !== 'DocMDP') continue;
    return resolveDict(pdf, ref.get('TransformParams'))?.getNumber('P')?.value ?? 2;
  }
  return 2;
}

function uniqueFieldName(pdf: PDF, base: string): string {
  const names = new Set((pdf.getForm()?.getFields() ?? []).map((f) => f.name));
  for (let i = 1; ; i++) if (!names.has(`${base}${i}`)) return `${base}${i}`;
}

/**
 * Signs a PDF (PAdES baseline B-B … B-LTA) through @libpdf/core with the guards its 0.4.2 release needs:
 * certificate checked before signing, incremental update only when the document is already signed (earlier bytes
 * kept verbatim), TSA tokens verified, strict revocation data for B-LT/B-LTA, optional visible appearance and DocMDP.
 */
export async function signPdf(input: Uint8Array, o: SignPdfOptions): Promise<SignPdfResult> {
  const level = o.level ?? 'B-B';
  const now = o.now ?? new Date();
  const hash = o.hash ?? defaultHash(o.signer);
  const needsTsa = level !== 'B-B';
  const needsLtv = level === 'B-LT' || level === 'B-LTA';
  if (needsTsa && !o.tsa) throw new SigningError('TSA_REQUIRED', `PAdES ${level} needs a timestamp authority`);
  if (needsLtv && !o.revocation) throw new SigningError('REVOCATION_REQUIRED', `PAdES ${level} needs revocation data (CRL or OCSP)`);

  const check = await checkSigningCertificate(o.signer.certificate, o.signer.chain, {
    trustAnchors: o.trustAnchors,
    intermediates: o.intermediates,
    now,
    revocation: o.revocation,
    requireRevocation: needsLtv,
  });

  let pdf: PDF;
  try {
    pdf = await PDF.load(input);
  } catch (e) {
    throw new SigningError('PDF_UNREADABLE', `cannot read the PDF: ${(e as Error).message}`);
  }
  const existing = signedFields(pdf);
  const blocker = pdf.canSaveIncrementally();
  if (existing.length && blocker) {
    throw new SigningError('INCREMENTAL_BLOCKED', `the document is already signed but cannot be updated incrementally (${blocker}); signing would break the earlier signatures`);
  }
  const locked = existing.find((f) => f.docMdpP === 1);
  if (locked) throw new SigningError('DOCMDP_LOCKED', `the document is certified by "${locked.name}" with no changes allowed`);
  const catalogP = catalogDocMdp(pdf);
  if (catalogP === 1) throw new SigningError('DOCMDP_LOCKED', 'the document is certified with no changes allowed');
  if (o.certify && (existing.length || catalogP !== undefined)) throw new SigningError('CERTIFY_NOT_FIRST', 'a certification (DocMDP) signature must be the first signature of the document');
  if (o.appearance?.kind === 'visible') {
    const count = pdf.getPageCount();
    if (o.appearance.page < 0 || o.appearance.page >= count) throw new SigningError('BAD_APPEARANCE', `page ${o.appearance.page + 1} does not exist (the document has ${count})`);
  }

  // Never countersign a document whose earlier signatures are already broken.
  const priorSignatures = existing.filter((f) => !f.documentTimestamp).length;
  if (o.selfCheck && priorSignatures > 0) {
    try {
      await o.selfCheck(input, { level: 'extended', signatures: priorSignatures });
    } catch (e) {
      throw new SigningError('INPUT_INVALID', `refusing to sign: an earlier signature does not validate (${(e as Error).message})`);
    }
  }

  const fieldName = o.fieldName ?? uniqueFieldName(pdf, 'Signature');
  const info = certificateInfo(o.signer.certificate);
  const signerName = info.commonName ?? info.subject;
  let xobject: Awaited<ReturnType<typeof buildAppearanceXObject>> | undefined;
  let rect: [number, number, number, number] | undefined;
  let pageIndex = 0;
  if (o.appearance) {
    const a = o.appearance;
    const page = pdf.getPage(a.kind === 'visible' ? a.page : 0)!;
    pageIndex = page.index;
    if (a.kind === 'visible') rect = [a.x, a.y, a.x + a.width, a.y + a.height];
    else {
      const w = 200;
      const h = 42;
      rect = [page.width - 28 - w, page.height - 20 - h, page.width - 28, page.height - 20];
    }
    const lines = stampLines(a, {
      signerName: (a.kind === 'visible' ? a.signerName : undefined) ?? signerName,
      organization: a.organization ?? info.organization ?? '',
    }, now);
    xobject = await buildAppearanceXObject(pdf, { width: rect[2] - rect[0], height: rect[3] - rect[1] }, lines,
      a.kind === 'visible' ? { signature: a.signatureImage, seal: a.sealImage } : {});
  }

  // @libpdf/core has no appearance or DocMDP option: patch the field and signature dictionaries just before its
  // placeholder save (the first save() inside sign()), so they are part of the signed revision.
  const originalSave = pdf.save.bind(pdf);
  let patched = false;
  pdf.save = async (opts) => {
    if (!patched) {
      patched = true;
      const field = pdf.getForm()?.getSignatureFields().find((f) => f.name === fieldName);
      if (!field) throw new SigningError('INTERNAL', `signature field ${fieldName} not found before saving`);
      const fieldDict = field.getDict();
      const fieldRef = pdf.context.getRef(fieldDict);
      const page = pdf.getPage(pageIndex)!;
      if (xobject && rect) {
        fieldDict.set('Rect', PdfArray.of(...rect.map((n) => PdfNumber.of(n))));
        fieldDict.set('F', PdfNumber.of(4 | 128)); // Print + Locked
        fieldDict.set('P', page.ref);
        fieldDict.set('AP', PdfDict.of({ N: xobject.ref }));
      }
      if (fieldRef) {
        // Widgets belong in their page's /Annots (libpdf leaves invisible ones out).
        let annots = page.dict.get('Annots');
        if (annots instanceof PdfRef) annots = pdf.context.resolve(annots) ?? undefined;
        if (annots instanceof PdfArray) annots.push(fieldRef);
        else page.dict.set('Annots', PdfArray.of(fieldRef));
      }
      if (o.certify) {
        const sigRef = fieldDict.get('V');
        const sigDict = sigRef instanceof PdfRef ? pdf.context.resolve(sigRef) : undefined;
        if (!(sigDict instanceof PdfDict) || !(sigRef instanceof PdfRef)) throw new SigningError('INTERNAL', 'signature dictionary not found for DocMDP');
        sigDict.set('Reference', PdfArray.of(PdfDict.of({
          Type: PdfName.of('SigRef'),
          TransformMethod: PdfName.of('DocMDP'),
          TransformParams: PdfDict.of({ Type: PdfName.of('TransformParams'), P: PdfNumber.of(o.certify), V: PdfName.of('1.2') }),
        })));
        pdf.getCatalog().set('Perms', PdfDict.of({ DocMDP: sigRef }));
      }
    }
    return originalSave(opts);
  };

  const anchorsAndCas = [...o.trustAnchors, ...(o.intermediates ?? []), ...o.signer.chain];
  const provider = needsLtv ? new StrictRevocationProvider(o.revocation!, [...anchorsAndCas, ...check.chain], now) : undefined;
  // libpdf timestamps whenever it is given a TSA, whatever the level: give it one only from B-T up.
  // The TSA's certificates become issuers the strict provider may use for the TSA chain's revocation data.
  const tsa = o.tsa && needsTsa
    ? checkedTsa(o.tsa, o.tsaTrustAnchors ?? o.trustAnchors, [...(o.intermediates ?? []), ...o.signer.chain], (certs) => provider?.addCertificates(certs))
    : undefined;

  let result: { bytes: Uint8Array; warnings: { code: string; message: string }[] };
  try {
    result = await pdf.sign({
      signer: libpdfSigner(o.signer, check.chain.slice(1)),
      level: level as PAdESLevel,
      digestAlgorithm: hash,
      signingTime: now,
      fieldName,
      reason: o.reason,
      location: o.location,
      contactInfo: o.contactInfo,
      timestampAuthority: tsa,
      revocationProvider: provider,
      estimatedSize: needsTsa ? 24_576 : 12_288,
    });
  } catch (e) {
    if (e instanceof SigningError) throw e;
    const err = e as Error;
    throw new SigningError('SIGN_FAILED', err.message);
  }
  if (provider?.problems.length) throw new SigningError('REVOCATION_INCOMPLETE', `long-term validation data is incomplete: ${provider.problems.join('; ')}`);
  const mdp = result.warnings.find((w) => w.code === 'MDP_VIOLATION');
  const warnings = result.warnings.filter((w) => w !== mdp).map((w) => `${w.code}: ${w.message}`);
  if (warnings.some((w) => w.startsWith('CHAIN_INCOMPLETE') || w.startsWith('REVOCATION_UNAVAILABLE')) && needsLtv) {
    throw new SigningError('REVOCATION_INCOMPLETE', warnings.join('; '));
  }
  const out = result.bytes;
  if (!blocker && !bytesEqual(out.subarray(0, input.length), input)) {
    throw new SigningError('NOT_INCREMENTAL', 'the signed output does not preserve the original bytes (full rewrite); refusing it');
  }
  if (o.selfCheck) await o.selfCheck(out, { level, signatures: existing.filter((f) => !f.documentTimestamp).length + 1 });
  return { bytes: out, fieldName, level, signingTime: now, signer: info.subject, warnings };
}

export interface ExtendPdfOptions {
  level: 'B-LT' | 'B-LTA';
  revocation: RevocationSource;
  tsa?: TimestampSource;
  trustAnchors: Uint8Array[];
  tsaTrustAnchors?: Uint8Array[];
  intermediates?: Uint8Array[];
  now?: Date;
  selfCheck?: SelfCheck;
}

/**
 * Extends every signature of a signed PDF to B-LT (DSS with certificates and CRL/OCSP, VRI) and optionally B-LTA
 * (plus a document timestamp and the TSA's own validation data). Earlier bytes are kept verbatim.
 */
export async function extendPdf(input: Uint8Array, o: ExtendPdfOptions): Promise<{ bytes: Uint8Array; warnings: string[] }> {
  const now = o.now ?? new Date();
  if (o.level === 'B-LTA' && !o.tsa) throw new SigningError('TSA_REQUIRED', 'B-LTA needs a timestamp authority');
  const pdf = await PDF.load(input);
  const existing = signedFields(pdf);
  if (!existing.length) throw new SigningError('NOT_SIGNED', 'the document has no signature to extend');
  const blocker = pdf.canSaveIncrementally();
  if (blocker) throw new SigningError('INCREMENTAL_BLOCKED', `the document cannot be updated incrementally (${blocker})`);
  // Issuers for the provider: configured CAs plus every certificate the signatures carry (found by libpdf itself).
  const provider = new StrictRevocationProvider(o.revocation, [...o.trustAnchors, ...(o.intermediates ?? [])], now);
  let res: { bytes: Uint8Array; warnings: { code: string; message: string }[] };
  try {
    if (o.level === 'B-LT') res = await pdf.addValidationData({ revocationProvider: provider });
    else {
      const tsa = checkedTsa(o.tsa!, o.tsaTrustAnchors ?? o.trustAnchors, o.intermediates ?? [], (certs) => provider.addCertificates(certs));
      res = await pdf.addArchivalData({ timestampAuthority: tsa, revocationProvider: provider, estimatedSize: 24_576 });
    }
  } catch (e) {
    if (e instanceof SigningError) throw e;
    throw new SigningError('EXTEND_FAILED', (e as Error).message);
  }
  if (provider.problems.length) throw new SigningError('REVOCATION_INCOMPLETE', `long-term validation data is incomplete: ${provider.problems.join('; ')}`);
  const warnings = res.warnings.map((w) => `${w.code}: ${w.message}`);
  if (warnings.some((w) => w.startsWith('CHAIN_INCOMPLETE') || w.startsWith('REVOCATION_UNAVAILABLE'))) {
    throw new SigningError('REVOCATION_INCOMPLETE', warnings.join('; '));
  }
  if (!bytesEqual(res.bytes.subarray(0, input.length), input)) throw new SigningError('NOT_INCREMENTAL', 'extension rewrote earlier bytes; refusing it');
  if (o.selfCheck) await o.selfCheck(res.bytes, { level: 'extended', signatures: existing.filter((f) => !f.documentTimestamp).length });
  return { bytes: res.bytes, warnings };
}
