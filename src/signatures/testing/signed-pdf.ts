/**
 * Test-only builders: a minimal one-page PDF with a signature field, a detached CMS signer (node:crypto), and
 * incremental updates. Every byte is under the test's control so each check can be provoked precisely.
 */
import { createHash, sign as cryptoSign, constants, type KeyObject } from 'node:crypto';
import { children, parseDer, raw } from '../validation/der.ts';

// ---- DER writing -------------------------------------------------------------------------------------------

function len(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.of(tag), len(body.length), body]);
}
export const seq = (...p: Uint8Array[]): Uint8Array => tlv(0x30, ...p);
export const set = (...p: Uint8Array[]): Uint8Array => tlv(0x31, ...p);
export const octet = (b: Uint8Array): Uint8Array => tlv(0x04, b);
export const int = (n: number): Uint8Array => tlv(0x02, Uint8Array.of(n));
export function oid(s: string): Uint8Array {
  const p = s.split('.').map(Number);
  const out: number[] = [p[0]! * 40 + p[1]!];
  for (const v of p.slice(2)) {
    const stack: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) stack.unshift((x & 0x7f) | 0x80);
    out.push(...stack);
  }
  return tlv(0x06, Uint8Array.from(out));
}
const NULL = Uint8Array.of(0x05, 0x00);
const alg = (o: string, params?: Uint8Array): Uint8Array => (params ? seq(oid(o), params) : seq(oid(o), NULL));
function utcTime(d: Date): Uint8Array {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(s, 'latin1'));
}

const SHA256 = '2.16.840.1.101.3.4.2.1';

export interface CmsOptions {
  scheme?: 'rsa' | 'rsa-pss' | 'ecdsa';
  signingTime?: Date;
  /** Extra certificates to embed (e.g. intermediates). */
  extraCerts?: Uint8Array[];
  /** Omit the signer certificate from the CMS. */
  omitSignerCert?: boolean;
  /** Returns an RFC 3161 token over the signature value, added as the signature-timestamp attribute. */
  timestamp?: (signatureValue: Uint8Array) => Uint8Array;
}

/** Builds a detached CMS SignedData (CAdES-style signed attributes) over `digest` (SHA-256). */
export function buildCms(digest: Uint8Array, certDer: Uint8Array, key: KeyObject, opts: CmsOptions = {}): Uint8Array {
  const tbs = children(parseDer(certDer))[0]!;
  const f = children(tbs);
  const i = f[0]!.tag === 0xa0 ? 1 : 0;
  const issuerAndSerial = seq(raw(f[i + 2]!), raw(f[i]!));
  const attrs = [
    seq(oid('1.2.840.113549.1.9.3'), set(oid('1.2.840.113549.1.7.1'))),
    seq(oid('1.2.840.113549.1.9.4'), set(octet(digest))),
    seq(oid('1.2.840.113549.1.9.16.2.47'), set(seq(seq(seq(octet(createHash('sha256').update(certDer).digest())))))),
  ];
  if (opts.signingTime) attrs.push(seq(oid('1.2.840.113549.1.9.5'), set(utcTime(opts.signingTime))));
  // DER SET OF: sorted encodings.
  attrs.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const signedAttrsSet = set(...attrs);
  const scheme = opts.scheme ?? 'rsa';
  let sigAlg: Uint8Array;
  let signature: Uint8Array;
  if (scheme === 'rsa') {
    sigAlg = alg('1.2.840.113549.1.1.11');
    signature = cryptoSign('sha256', signedAttrsSet, { key, padding: constants.RSA_PKCS1_PADDING });
  } else if (scheme === 'rsa-pss') {
    const params = seq(tlv(0xa0, alg(SHA256)), tlv(0xa1, seq(oid('1.2.840.113549.1.1.8'), alg(SHA256))), tlv(0xa2, int(32)));
    sigAlg = seq(oid('1.2.840.113549.1.1.10'), params);
    signature = cryptoSign('sha256', signedAttrsSet, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  } else {
    sigAlg = seq(oid('1.2.840.10045.4.3.2'));
    signature = cryptoSign('sha256', signedAttrsSet, key);
  }
  const signedAttrs = new Uint8Array(signedAttrsSet);
  signedAttrs[0] = 0xa0;
  const unsigned = opts.timestamp ? [tlv(0xa1, seq(oid('1.2.840.113549.1.9.16.2.14'), set(opts.timestamp(signature))))] : [];
  const signerInfo = seq(int(1), issuerAndSerial, alg(SHA256), signedAttrs, sigAlg, octet(signature), ...unsigned);
  const certs = [...(opts.omitSignerCert ? [] : [certDer]), ...(opts.extraCerts ?? [])];
  const signedData = seq(
    int(1),
    set(alg(SHA256)),
    seq(oid('1.2.840.113549.1.7.1')),
    ...(certs.length ? [tlv(0xa0, ...certs)] : []),
    set(signerInfo),
  );
  return seq(oid('1.2.840.113549.1.7.2'), tlv(0xa0, signedData));
}

// ---- PDF writing -------------------------------------------------------------------------------------------

const CONTENTS_HEX = 16384;
const BR_PLACEHOLDER = '[0 0000000000 0000000000 0000000000]';

function pdfDate(d: Date): string {
  return `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

function assemble(header: string, objects: [number, string][], trailerExtra: string, prevXref?: number, base = 0, minSize = 0): { text: string; xrefAt: number } {
  let out = header;
  const offsets = new Map<number, number>();
  for (const [num, body] of objects) {
    offsets.set(num, base + Buffer.byteLength(out, 'latin1'));
    out += `${num} 0 obj\n${body}\nendobj\n`;
  }
  const xrefAt = base + Buffer.byteLength(out, 'latin1');
  const nums = [...offsets.keys()].sort((a, b) => a - b);
  out += 'xref\n';
  if (prevXref === undefined) out += `0 1\n0000000000 65535 f \n`;
  for (const n of nums) out += `${n} 1\n${String(offsets.get(n)).padStart(10, '0')} 00000 n \n`;
  const size = Math.max(...nums, minSize - 1) + 1;
  out += `trailer\n<< /Size ${size} /Root 1 0 R${prevXref !== undefined ? ` /Prev ${prevXref}` : ''}${trailerExtra} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return { text: out, xrefAt };
}

export const PAGE_TEXT = 'BT /F1 24 Tf 72 720 Td (Quyet dinh so 1) Tj ET';

/** A one-page PDF with an empty signature field "Signature1" (object 4) and content stream 6. */
export function unsignedPdf(text = PAGE_TEXT, paddingBytes = 0): Uint8Array {
  const objects: [number, string][] = [
    [1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>'],
    [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
    [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> /Annots [4 0 R] >>'],
    [4, '<< /FT /Sig /T (Signature1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R >>'],
    [6, `<< /Length ${text.length} >>\nstream\n${text}\nendstream`],
    [7, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'],
  ];
  if (paddingBytes > 0) {
    // Stand-in for scanned pages: an unreferenced binary stream of the requested size (incompressible bytes).
    const data = Buffer.alloc(paddingBytes);
    for (let i = 0, x = 2463534242; i < paddingBytes; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      data[i] = x & 0xff;
    }
    objects.push([8, `<< /Length ${paddingBytes} >>\nstream\n${data.toString('latin1')}\nendstream`]);
  }
  return new Uint8Array(Buffer.from(assemble('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', objects, '').text, 'latin1'));
}

function lastStartxref(pdf: Uint8Array): number {
  const s = Buffer.from(pdf).toString('latin1');
  const i = s.lastIndexOf('startxref');
  return Number(/startxref\s+(\d+)/.exec(s.slice(i))![1]);
}

/** Appends an incremental update with the given objects (replacing or adding by number). */
export function appendUpdate(pdf: Uint8Array, objects: [number, string][]): Uint8Array {
  const prev = lastStartxref(pdf);
  const sizes = [...Buffer.from(pdf).toString('latin1').matchAll(/\/Size (\d+)/g)].map((x) => Number(x[1]));
  const { text } = assemble('', objects, '', prev, pdf.length, Math.max(0, ...sizes));
  return new Uint8Array(Buffer.concat([pdf, Buffer.from(text, 'latin1')]));
}

export interface SignOptions extends CmsOptions {
  /** /M in the signature dictionary. */
  claimedTime?: Date;
  /** Field object number to sign (default 4, the field of unsignedPdf). */
  fieldNum?: number;
  fieldName?: string;
  /** Object number for the new signature dictionary. */
  sigNum?: number;
  subFilter?: string;
  /** Make it a certification signature with this DocMDP permission level. */
  certify?: 1 | 2 | 3;
}

/** Signs `pdf` by an incremental update that fills the signature field, as Acrobat does. */
export function signPdf(pdf: Uint8Array, certDer: Uint8Array, key: KeyObject, opts: SignOptions = {}): Uint8Array {
  const fieldNum = opts.fieldNum ?? 4;
  const sigNum = opts.sigNum ?? 5;
  const m = opts.claimedTime ?? opts.signingTime ?? new Date();
  const reference = opts.certify
    ? ` /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${opts.certify} /V /1.2 >> >>]`
    : '';
  const sigDict = `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /${opts.subFilter ?? 'ETSI.CAdES.detached'} /M (${pdfDate(m)})${reference} /ByteRange ${BR_PLACEHOLDER} /Contents <${'0'.repeat(CONTENTS_HEX)}> >>`;
  const field = `<< /FT /Sig /T (${opts.fieldName ?? 'Signature1'}) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R /V ${sigNum} 0 R >>`;
  const objects: [number, string][] = [[fieldNum, field], [sigNum, sigDict]];
  if (opts.certify) {
    objects.push([1, `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [${fieldNum} 0 R] /SigFlags 3 >> /Perms << /DocMDP ${sigNum} 0 R >> >>`]);
  }
  const out = Buffer.from(appendUpdate(pdf, objects));
  const s = out.toString('latin1');
  const sigAt = s.lastIndexOf(`${sigNum} 0 obj`);
  const cStart = s.indexOf('/Contents <', sigAt) + 10;
  const cEnd = cStart + CONTENTS_HEX + 2;
  const br = `[0 ${cStart} ${cEnd} ${out.length - cEnd}]`.padEnd(BR_PLACEHOLDER.length, ' ');
  const brAt = s.indexOf(BR_PLACEHOLDER, sigAt);
  out.write(br, brAt, 'latin1');
  const digest = createHash('sha256').update(out.subarray(0, cStart)).update(out.subarray(cEnd)).digest();
  const cms = Buffer.from(buildCms(digest, certDer, key, opts)).toString('hex');
  if (cms.length > CONTENTS_HEX) throw new Error('CMS larger than the placeholder');
  out.write(cms, cStart + 1, 'latin1');
  return new Uint8Array(out);
}

/** Offsets of the signature's /Contents hex string (after the `<`) and its ByteRange text. */
export function locate(pdf: Uint8Array): { contentsHexStart: number; byteRangeAt: number; byteRange: number[] } {
  const s = Buffer.from(pdf).toString('latin1');
  const brAt = s.lastIndexOf('/ByteRange [');
  const byteRange = /\/ByteRange \[([\d ]+)\]/.exec(s.slice(brAt))![1]!.trim().split(/\s+/).map(Number);
  return { contentsHexStart: byteRange[1]! + 1, byteRangeAt: brAt + 12, byteRange };
}
