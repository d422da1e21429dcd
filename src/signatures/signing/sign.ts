import { createHash } from 'node:crypto';
import { type HashName, nodeHash } from '../pki/asn1.ts';
import { certificateInfo } from '../pki/certificates.ts';
import type { KeyBackend } from '../keys/backend.ts';
import { checkSigningCertificate } from '../keys/check.ts';
import type { RevocationSource } from '../keys/revocation.ts';
import { PdfDocument } from '../pdf/document.ts';
import { PdfError } from '../pdf/errors.ts';
import { PdfRef, nameOf, type PdfDict } from '../pdf/objects.ts';
import { IncrementalUpdate, RawValue, name, pdfDate, textString, withEntries, type WritableValue } from '../pdf/writer.ts';
import { findSignatures, listFields, type FoundSignature } from '../validation/fields.ts';
import { permissionsOf } from '../validation/modifications.ts';
import { checkToken, type TimestampSource } from '../tsa/client.ts';
import { stampLines, writeAppearance, type Appearance } from './appearance.ts';
import { CmsSigningError, createCadesSignature, type TimestampFn } from './cms.ts';
import { ValidationDataCollector, writeDss } from './ltv.ts';
import { PngError } from './png.ts';

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

/** Re-checks every token a TSA returns (imprint, signature, EKU, chain), so an unchecked source cannot slip through. */
function checkedTsa(source: TimestampSource, anchors: Uint8Array[], intermediates: Uint8Array[], onToken?: (certs: Uint8Array[], size: number) => void): TimestampFn {
  return async (digest, algorithm) => {
    const token = await source.timestamp(digest, algorithm);
    const info = checkToken(token, { hash: algorithm, digest }, { trustAnchors: anchors, intermediates });
    onToken?.(info.certificates, token.length);
    return token;
  };
}

/** Opens the input for an incremental update, or says why it cannot be updated without breaking it. */
function openForUpdate(input: Uint8Array): { doc: PdfDocument; signatures: FoundSignature[] } {
  let doc: PdfDocument;
  try {
    doc = PdfDocument.load(input);
  } catch (e) {
    throw new SigningError('PDF_UNREADABLE', `cannot read the PDF: ${(e as Error).message}`);
  }
  let signatures: FoundSignature[];
  try {
    signatures = findSignatures(doc);
  } catch (e) {
    if (!(e instanceof PdfError)) throw e;
    throw new SigningError('PDF_UNREADABLE', `cannot read the PDF: ${e.message}`);
  }
  // A damaged xref only matters when earlier signatures must survive: an unsigned file gets a complete new section.
  const blocker = doc.trailer().has('Encrypt')
    ? 'the document is encrypted'
    : doc.reconstructed && signatures.length ? 'its cross-reference data is damaged' : undefined;
  if (blocker) {
    throw new SigningError('INCREMENTAL_BLOCKED', signatures.length
      ? `the document is already signed but cannot be updated incrementally (${blocker}); signing would break the earlier signatures`
      : `the document cannot be signed (${blocker})`);
  }
  return { doc, signatures };
}

function catalogOf(doc: PdfDocument): { ref: PdfRef; dict: PdfDict } {
  const ref = doc.trailer().get('Root');
  const dict = doc.dict(ref);
  if (!(ref instanceof PdfRef) || !dict) throw new SigningError('PDF_UNREADABLE', 'the document has no catalog');
  return { ref, dict };
}

/** DocMDP permission from the catalog's /Perms (the authoritative place), or undefined when not certified. */
function catalogDocMdp(doc: PdfDocument): number | undefined {
  const perms = doc.dict(catalogOf(doc).dict.get('Perms'));
  const sig = doc.dict(perms?.get('DocMDP'));
  if (!sig) return undefined;
  const refs = doc.resolve(sig.get('Reference'));
  if (!Array.isArray(refs)) return 2;
  for (const r of refs) {
    const ref = doc.dict(r);
    if (nameOf(doc.resolve(ref?.get('TransformMethod'))) !== 'DocMDP') continue;
    const p = doc.dict(ref?.get('TransformParams'))?.get('P');
    return typeof p === 'number' ? p : 2;
  }
  return 2;
}

interface PageInfo {
  ref: PdfRef;
  dict: PdfDict;
  box: [number, number, number, number];
}

/** Page objects in order, with their (inherited) MediaBox. */
function pages(doc: PdfDocument): PageInfo[] {
  const out: PageInfo[] = [];
  const seen = new Set<number>();
  const walk = (node: unknown, inheritedBox: unknown, depth: number): void => {
    if (!(node instanceof PdfRef) || seen.has(node.num) || depth > 64) return;
    seen.add(node.num);
    const d = doc.dict(node);
    if (!d) return;
    const box = doc.resolve(d.get('MediaBox')) ?? inheritedBox;
    const kids = doc.resolve(d.get('Kids'));
    if (Array.isArray(kids) && nameOf(d.get('Type')) !== 'Page') {
      for (const k of kids) walk(k, box, depth + 1);
      return;
    }
    const b = Array.isArray(box) && box.length === 4 && box.every((x) => typeof x === 'number') ? (box as number[]) : [0, 0, 595.28, 841.89];
    out.push({ ref: node, dict: d, box: [b[0]!, b[1]!, b[2]!, b[3]!] });
  };
  walk(catalogOf(doc).dict.get('Pages'), undefined, 0);
  return out;
}

/** Adds a merged signature field/widget to the AcroForm and to its page's /Annots (catalog changes returned). */
function addSignatureField(doc: PdfDocument, update: IncrementalUpdate, field: PdfRef, page: PageInfo): Record<string, WritableValue> {
  const annots = page.dict.get('Annots');
  const annotsArr = doc.resolve(annots);
  if (annots instanceof PdfRef && Array.isArray(annotsArr)) update.put(annots, [...annotsArr, field]);
  else update.put(page.ref, withEntries(page.dict, { Annots: [...(Array.isArray(annotsArr) ? annotsArr : []), field] }));
  const catalog = catalogOf(doc).dict;
  const acroRaw = catalog.get('AcroForm');
  const acro = doc.dict(acroRaw);
  const fieldsRaw = acro?.get('Fields');
  const fields = doc.resolve(fieldsRaw);
  const list = Array.isArray(fields) ? fields : [];
  let acroChanges: Record<string, WritableValue> = { SigFlags: 3 };
  if (fieldsRaw instanceof PdfRef && Array.isArray(fields)) update.put(fieldsRaw, [...fields, field]);
  else acroChanges = { ...acroChanges, Fields: [...list, field] };
  if (acroRaw instanceof PdfRef && acro) {
    update.put(acroRaw, withEntries(acro, acroChanges));
    return {};
  }
  return { AcroForm: withEntries(acro, { Fields: [...list, field], SigFlags: 3 }) };
}

const BYTE_RANGE_PLACEHOLDER = '[0 0000000000 0000000000 0000000000]';
let tokenSizeSeen = 0;

/**
 * Writes the update with a /Contents placeholder in `sigRef`, fixes /ByteRange, and fills /Contents with
 * `contents(digest)`; a CMS bigger than the estimate is made again with room for it.
 */
async function placeAndSign(
  doc: PdfDocument,
  build: (update: IncrementalUpdate, sigRef: PdfRef, placeholder: Record<string, WritableValue>) => Promise<void>,
  hash: HashName,
  estimate: number,
  contents: (digest: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  for (let size = estimate; ; size *= 2) {
    const update = new IncrementalUpdate(doc);
    const sigRef = update.allocate();
    await build(update, sigRef, { ByteRange: new RawValue(BYTE_RANGE_PLACEHOLDER), Contents: new RawValue(`<${'0'.repeat(size * 2)}>`) });
    const { bytes, offsets } = update.finish();
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const at = offsets.get(sigRef.num)!;
    const br = buf.indexOf(BYTE_RANGE_PLACEHOLDER, at, 'latin1');
    const c0 = buf.indexOf('/Contents <', at, 'latin1') + '/Contents '.length;
    const c1 = c0 + size * 2 + 2;
    if (br < 0 || c0 < at || buf[c1 - 1] !== 0x3e) throw new SigningError('INTERNAL', 'signature placeholder not found in the written update');
    const range = `[0 ${c0} ${c1} ${bytes.length - c1}`;
    buf.write(range.padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ') + ']', br, 'latin1');
    const digest = new Uint8Array(createHash(nodeHash(hash)).update(bytes.subarray(0, c0)).update(bytes.subarray(c1)).digest());
    const cms = await contents(digest);
    if (cms.length > size) continue;
    buf.write(Buffer.from(cms).toString('hex').toUpperCase(), c0 + 1, 'latin1');
    return bytes;
  }
}

function estimateSize(certs: Uint8Array[], timestamped: boolean): number {
  const certBytes = certs.reduce((n, c) => n + c.length, 0);
  return certBytes + 2048 + (timestamped ? Math.max(tokenSizeSeen, 4096) + 1024 : 0);
}

function uniqueFieldName(doc: PdfDocument, base: string): string {
  const names = new Set(listFields(doc, doc.lastRev).map((f) => f.name));
  for (let i = 1; ; i++) if (!names.has(`${base}${i}`)) return `${base}${i}`;
}

/** A document timestamp (PAdES B-LTA) over the whole of `input`, as a new revision. */
async function addDocumentTimestamp(input: Uint8Array, tsa: TimestampFn, hash: HashName): Promise<Uint8Array> {
  const doc = PdfDocument.load(input);
  const page = pages(doc)[0];
  if (!page) throw new SigningError('PDF_UNREADABLE', 'the document has no page');
  const fieldName = uniqueFieldName(doc, 'DocTimeStamp');
  return placeAndSign(doc, async (update, sigRef, placeholder) => {
    const field = update.allocate();
    update.put(sigRef, { Type: name('DocTimeStamp'), Filter: name('Adobe.PPKLite'), SubFilter: name('ETSI.RFC3161'), ...placeholder });
    update.put(field, { FT: name('Sig'), Type: name('Annot'), Subtype: name('Widget'), T: textString(fieldName), V: sigRef, F: 132, P: page.ref, Rect: [0, 0, 0, 0] });
    const catalog = addSignatureField(doc, update, field, page);
    if (Object.keys(catalog).length) update.put(catalogOf(doc).ref, withEntries(catalogOf(doc).dict, catalog));
  }, hash, Math.max(tokenSizeSeen, 4096) + 2048, (digest) => tsa(digest, hash));
}

/** Adds the DSS revision; throws REVOCATION_INCOMPLETE when any certificate lacks checked revocation data. */
async function addValidationData(input: Uint8Array, collector: ValidationDataCollector, now: Date): Promise<Uint8Array> {
  const doc = PdfDocument.load(input);
  const update = new IncrementalUpdate(doc);
  await writeDss(doc, update, collector, { now });
  if (collector.problems.length) throw new SigningError('REVOCATION_INCOMPLETE', `long-term validation data is incomplete: ${[...new Set(collector.problems)].join('; ')}`);
  return update.finish().bytes;
}

/**
 * Signs a PDF (PAdES baseline B-B … B-LTA) by an incremental update, so the input's bytes stay as they are:
 * certificate checked before signing, TSA tokens verified, strict revocation data for B-LT/B-LTA, optional visible
 * appearance and DocMDP certification.
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

  const { doc, signatures } = openForUpdate(input);
  const locked = signatures.find((s) => s.type === 'signature' && permissionsOf(doc, s).docMdp === 1);
  if (locked) throw new SigningError('DOCMDP_LOCKED', `the document is certified by "${locked.fieldName}" with no changes allowed`);
  const catalogP = catalogDocMdp(doc);
  if (catalogP === 1) throw new SigningError('DOCMDP_LOCKED', 'the document is certified with no changes allowed');
  if (o.certify && (signatures.length || catalogP !== undefined)) throw new SigningError('CERTIFY_NOT_FIRST', 'a certification (DocMDP) signature must be the first signature of the document');
  const allPages = pages(doc);
  if (o.appearance?.kind === 'visible') {
    const count = allPages.length;
    if (o.appearance.page < 0 || o.appearance.page >= count) throw new SigningError('BAD_APPEARANCE', `page ${o.appearance.page + 1} does not exist (the document has ${count})`);
  }
  const page = allPages[o.appearance?.kind === 'visible' ? o.appearance.page : 0];
  if (!page) throw new SigningError('PDF_UNREADABLE', 'the document has no page');

  // Never countersign a document whose earlier signatures are already broken.
  const priorSignatures = signatures.filter((s) => s.type === 'signature').length;
  if (o.selfCheck && priorSignatures > 0) {
    try {
      await o.selfCheck(input, { level: 'extended', signatures: priorSignatures });
    } catch (e) {
      throw new SigningError('INPUT_INVALID', `refusing to sign: an earlier signature does not validate (${(e as Error).message})`);
    }
  }

  const fieldName = o.fieldName ?? uniqueFieldName(doc, 'Signature');
  const info = certificateInfo(o.signer.certificate);
  const signerName = info.commonName ?? info.subject;
  const anchorsAndCas = [...o.trustAnchors, ...(o.intermediates ?? []), ...o.signer.chain];
  const collector = needsLtv ? new ValidationDataCollector(o.revocation!, [...anchorsAndCas, ...check.chain], now) : undefined;
  // The TSA's certificates become issuers the collector may use for the TSA chain's revocation data.
  const tsa = o.tsa && needsTsa
    ? checkedTsa(o.tsa, o.tsaTrustAnchors ?? o.trustAnchors, [...(o.intermediates ?? []), ...o.signer.chain], (certs, size) => {
      collector?.addCertificates(certs);
      tokenSizeSeen = Math.max(tokenSizeSeen, size);
    })
    : undefined;
  const chain = check.chain.slice(1);

  let out: Uint8Array;
  try {
    out = await placeAndSign(doc, async (update, sigRef, placeholder) => {
      const field = update.allocate();
      let rect: number[] = [0, 0, 0, 0];
      let ap: PdfRef | undefined;
      if (o.appearance) {
        const a = o.appearance;
        const [x0, y0, x1, y1] = page.box;
        rect = a.kind === 'visible'
          ? [a.x, a.y, a.x + a.width, a.y + a.height]
          : [x1 - 28 - 200, y1 - 20 - 42, x1 - 28, y1 - 20].map((v, i) => (i % 2 ? Math.max(v, y0) : Math.max(v, x0)));
        const lines = stampLines(a, {
          signerName: (a.kind === 'visible' ? a.signerName : undefined) ?? signerName,
          organization: a.organization ?? info.organization ?? '',
        }, now);
        ap = await writeAppearance(update, { width: rect[2]! - rect[0]!, height: rect[3]! - rect[1]! }, lines,
          a.kind === 'visible' ? { signature: a.signatureImage, seal: a.sealImage } : {});
      }
      const sig: Record<string, WritableValue> = {
        Type: name('Sig'), Filter: name('Adobe.PPKLite'), SubFilter: name('ETSI.CAdES.detached'), ...placeholder, M: pdfDate(now),
        ...(o.reason ? { Reason: textString(o.reason) } : {}),
        ...(o.location ? { Location: textString(o.location) } : {}),
        ...(o.contactInfo ? { ContactInfo: textString(o.contactInfo) } : {}),
      };
      if (o.certify) {
        sig.Reference = [{ Type: name('SigRef'), TransformMethod: name('DocMDP'), TransformParams: { Type: name('TransformParams'), P: o.certify, V: name('1.2') } }];
      }
      update.put(sigRef, sig);
      update.put(field, {
        FT: name('Sig'), Type: name('Annot'), Subtype: name('Widget'), T: textString(fieldName), V: sigRef,
        F: 132, P: page.ref, Rect: rect, ...(ap ? { AP: { N: ap } } : {}),
      });
      const catalogChanges = addSignatureField(doc, update, field, page);
      if (o.certify) catalogChanges.Perms = { DocMDP: sigRef };
      if (Object.keys(catalogChanges).length) update.put(catalogOf(doc).ref, withEntries(catalogOf(doc).dict, catalogChanges));
    }, hash, estimateSize([o.signer.certificate, ...chain], Boolean(tsa)), (documentDigest) =>
      createCadesSignature({ backend: o.signer, chain, hash, documentDigest, ...(tsa ? { timestamp: tsa } : {}) }));
    if (collector) out = await addValidationData(out, collector, now);
    if (level === 'B-LTA') out = await addDocumentTimestamp(out, tsa!, hash);
  } catch (e) {
    throw asSigningError(e, 'SIGN_FAILED');
  }
  if (o.selfCheck) await o.selfCheck(out, { level, signatures: priorSignatures + 1 });
  return { bytes: out, fieldName, level, signingTime: now, signer: info.subject, warnings: [] };
}

function asSigningError(e: unknown, code: string): SigningError {
  if (e instanceof SigningError) return e;
  if (e instanceof CmsSigningError) return new SigningError(e.code, e.message);
  if (e instanceof PngError) return new SigningError('BAD_APPEARANCE', e.message);
  if (e instanceof PdfError) return new SigningError('PDF_UNREADABLE', `cannot update the PDF: ${e.message}`);
  return new SigningError(code, e instanceof Error ? e.message : String(e));
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
 * (plus a document timestamp). Earlier bytes are kept verbatim.
 */
export async function extendPdf(input: Uint8Array, o: ExtendPdfOptions): Promise<{ bytes: Uint8Array; warnings: string[] }> {
  const now = o.now ?? new Date();
  if (o.level === 'B-LTA' && !o.tsa) throw new SigningError('TSA_REQUIRED', 'B-LTA needs a timestamp authority');
  const { signatures } = openForUpdate(input);
  if (!signatures.length) throw new SigningError('NOT_SIGNED', 'the document has no signature to extend');
  const collector = new ValidationDataCollector(o.revocation, [...o.trustAnchors, ...(o.intermediates ?? [])], now);
  let out: Uint8Array;
  try {
    out = await addValidationData(input, collector, now);
    if (o.level === 'B-LTA') {
      const tsa = checkedTsa(o.tsa!, o.tsaTrustAnchors ?? o.trustAnchors, o.intermediates ?? [], (_certs, size) => {
        tokenSizeSeen = Math.max(tokenSizeSeen, size);
      });
      out = await addDocumentTimestamp(out, tsa, 'SHA-256');
    }
  } catch (e) {
    throw asSigningError(e, 'EXTEND_FAILED');
  }
  if (o.selfCheck) await o.selfCheck(out, { level: 'extended', signatures: signatures.filter((s) => s.type === 'signature').length });
  return { bytes: out, warnings: [] };
}
