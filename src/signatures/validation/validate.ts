import { PdfDocument } from '../pdf/document.ts';
import { PdfError } from '../pdf/errors.ts';
import { PdfStream, PdfString, type PdfValue } from '../pdf/objects.ts';
import { WEAK_DIGESTS, hashParts } from './algorithms.ts';
import { buildChain, matchesAnchor } from './chain.ts';
import { type Cert, KU_DIGITAL_SIGNATURE, KU_NON_REPUDIATION, parseCert } from './certs.ts';
import { type Cms, OID, adbeRevocation, certsOf, checkSigner, parseCms, parseTstInfo, type SignerCheck } from './cms.ts';
import { DerError, hex } from './der.ts';
import { type FoundSignature, findSignatures } from './fields.ts';
import { messagesFor } from './messages.ts';
import { analyseRevisions, changesAfter } from './modifications.ts';
import { RevocationStore } from './revocation.ts';
import type { CertSummary, Indication, SignatureReport, ValidateOptions, ValidationReport } from './types.ts';

const EKU_OK = new Set([
  '2.5.29.37.0', '1.3.6.1.5.5.7.3.4', '1.3.6.1.4.1.311.10.3.12', '1.2.840.113583.1.1.5', '1.3.6.1.5.5.7.3.2',
  '1.3.6.1.5.5.7.3.36', '0.4.0.2231.3.0',
]);
const EKU_TIMESTAMPING = '1.3.6.1.5.5.7.3.8';
/** After this date SHA-1 (and MD5) no longer count as secure for signatures without earlier proof of existence. */
const SHA1_SUNSET = Date.UTC(2017, 0, 1);

interface Verdict {
  indication: Indication;
  sub: string | null;
  notes: string[];
}

interface TimestampResult {
  ok: boolean;
  failure?: 'HASH_FAILURE' | 'SIG_CRYPTO_FAILURE' | 'FORMAT_FAILURE';
  genTime?: Date;
  trusted: boolean;
  detail: string;
  chain: Cert[];
}

interface Context {
  doc: PdfDocument;
  bytes: Uint8Array;
  anchors: Cert[];
  pool: Cert[];
  store: RevocationStore;
  at: Date;
}

function summary(c: Cert): CertSummary {
  return { subject: c.subject, issuer: c.issuer, serial: c.serial, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString() };
}

function toCerts(ders: Uint8Array[]): Cert[] {
  const out: Cert[] = [];
  for (const d of ders) {
    try {
      out.push(parseCert(d));
    } catch {
      /* unreadable certificates are skipped */
    }
  }
  return out;
}

/** Parses the PDF /Contents: DER with trailing zero padding. */
function cmsBytes(s: PdfString): Uint8Array {
  // The DER reader stops at the value's own length, so the zero padding needs no trimming (and BER
  // end-of-contents octets are zeros too).
  return s.bytes;
}

interface RangeCheck {
  ok: boolean;
  detail: string;
  parts: [number, number][];
  end: number;
  rev: number;
  whole: boolean;
}

function checkByteRange(doc: PdfDocument, sig: FoundSignature): RangeCheck {
  const len = doc.bytes.length;
  const fail = (detail: string): RangeCheck => ({ ok: false, detail, parts: [], end: 0, rev: doc.lastRev, whole: false });
  const br = sig.byteRange;
  if (!Array.isArray(br) || br.length !== 4 || !br.every((x: PdfValue) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
    return fail('ByteRange is not four non-negative integers');
  }
  const [a, b, c, d] = br as number[];
  if (a !== 0) return fail('ByteRange does not start at the beginning of the file');
  if (c! < b!) return fail('ByteRange parts overlap');
  if (c! + d! > len) return fail('ByteRange extends beyond the end of the file');
  if (!sig.contents || !sig.fileOffsets) return fail('signature /Contents is not stored directly in the file');
  if (sig.contents.start !== b || sig.contents.end !== c) return fail('the ByteRange gap is not exactly the /Contents string');
  const end = c! + d!;
  let rev = 0;
  doc.sections.forEach((s, i) => {
    if (s.offset < end) rev = Math.max(rev, i);
  });
  // Linearized files list their first-page section before the main one: the covered revision ends at the
  // furthest %%EOF of all sections that start inside the signed range.
  let eof = 0;
  for (let i = 0; i <= rev; i++) eof = Math.max(eof, doc.sections[i]!.eof);
  if (eof > end) return fail('the signed range ends inside a revision');
  for (let i = eof; i < end; i++) {
    const ch = doc.bytes[i]!;
    if (ch !== 0x0a && ch !== 0x0d && ch !== 0x20 && ch !== 0x09 && ch !== 0x00) return fail('the signed range ends after unrelated bytes');
  }
  if (end < len) {
    // Uncovered bytes must be a clean incremental update, not trailing garbage.
    const next = doc.sections.findIndex((s) => s.offset >= end);
    if (next < 0 || doc.reconstructed) return fail('bytes after the signed range are not an incremental update');
  }
  return { ok: true, detail: '', parts: [[a!, b!], [c!, c! + d!]], end, rev, whole: end === len || isOnlyWhitespace(doc.bytes, end, len) };
}

function isOnlyWhitespace(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0x0a && b[i] !== 0x0d && b[i] !== 0x20 && b[i] !== 0x00) return false;
  return true;
}

function digester(bytes: Uint8Array, parts: [number, number][]): (alg: string) => Uint8Array {
  const memo = new Map<string, Uint8Array>();
  return (alg) => {
    let h = memo.get(alg);
    if (!h) {
      h = hashParts(alg, parts.map(([s, e]) => bytes.subarray(s, e)));
      memo.set(alg, h);
    }
    return h;
  };
}

function concat(bytes: Uint8Array, parts: [number, number][]): Uint8Array {
  return Buffer.concat(parts.map(([s, e]) => bytes.subarray(s, e)));
}

function mapSignerStatus(r: SignerCheck): Verdict | undefined {
  switch (r.status) {
    case 'ok': return undefined;
    case 'hash-failure': return { indication: 'TOTAL_FAILED', sub: 'HASH_FAILURE', notes: [r.detail] };
    case 'sig-failure': return { indication: 'TOTAL_FAILED', sub: 'SIG_CRYPTO_FAILURE', notes: [r.detail] };
    case 'format': return { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE', notes: [r.detail] };
    case 'unsupported': return { indication: 'INDETERMINATE', sub: 'CRYPTO_CONSTRAINTS_FAILURE', notes: [r.detail] };
    case 'no-certificate': return { indication: 'INDETERMINATE', sub: 'NO_SIGNING_CERTIFICATE_FOUND', notes: [r.detail] };
    case 'ess-mismatch': return { indication: 'INDETERMINATE', sub: 'NO_SIGNING_CERTIFICATE_FOUND', notes: [r.detail] };
  }
}

/** Validates an RFC 3161 token whose imprint must equal `digestOf(imprintAlg)`. */
function checkTimestampToken(ctx: Context, token: Uint8Array, digestOf: (alg: string) => Uint8Array): TimestampResult & { cms?: Cms } {
  let cms: Cms;
  try {
    cms = parseCms(token);
  } catch (e) {
    return { ok: false, failure: 'FORMAT_FAILURE', trusted: false, detail: `timestamp token unreadable: ${(e as Error).message}`, chain: [] };
  }
  if (cms.eContentType !== OID.tstInfo || !cms.eContent) return { ok: false, failure: 'FORMAT_FAILURE', trusted: false, detail: 'not a timestamp token', chain: [] };
  let tst;
  try {
    tst = parseTstInfo(cms.eContent);
  } catch (e) {
    return { ok: false, failure: 'FORMAT_FAILURE', trusted: false, detail: `TSTInfo unreadable: ${(e as Error).message}`, chain: [] };
  }
  const eContent = cms.eContent;
  const own = certsOf(cms);
  const si = cms.signers[0]!;
  const r = checkSigner(cms, si, [...own, ...ctx.pool], (alg) => hashParts(alg, [eContent]), () => eContent);
  if (r.status === 'hash-failure' || r.status === 'sig-failure' || r.status === 'format') {
    return { ok: false, failure: r.status === 'format' ? 'FORMAT_FAILURE' : 'SIG_CRYPTO_FAILURE', trusted: false, detail: `timestamp token: ${r.detail}`, chain: [], genTime: tst.genTime };
  }
  if (!tst.imprintAlg) return { ok: false, failure: 'FORMAT_FAILURE', trusted: false, detail: 'unknown timestamp imprint algorithm', chain: [] };
  if (hex(digestOf(tst.imprintAlg)) !== hex(tst.imprint)) {
    return { ok: false, failure: 'HASH_FAILURE', trusted: false, detail: 'timestamp imprint does not match', chain: [], genTime: tst.genTime };
  }
  if (r.status !== 'ok' || !r.cert) return { ok: true, trusted: false, detail: `timestamp signer: ${r.detail}`, chain: [], genTime: tst.genTime, cms };
  const chain = buildChain(r.cert, [...own, ...ctx.pool], ctx.anchors);
  let trusted = chain.trusted && !chain.constraintFailure;
  let detail = '';
  // The TSA certificate must have been valid when it stamped, and be meant for time-stamping.
  if (trusted && (tst.genTime < r.cert.notBefore || tst.genTime > r.cert.notAfter)) {
    trusted = false;
    detail = 'TSA certificate not valid at the timestamp time';
  }
  if (trusted && r.cert.eku && !r.cert.eku.includes(EKU_TIMESTAMPING)) {
    trusted = false;
    detail = 'TSA certificate lacks the time-stamping purpose';
  }
  if (trusted) {
    for (let i = 0; i + 1 < chain.path.length; i++) {
      const st = ctx.store.check(chain.path[i]!, chain.path[i + 1]!);
      if (st.status === 'revoked' && st.revokedAt && st.revokedAt <= tst.genTime) {
        trusted = false;
        detail = 'TSA certificate revoked before the timestamp';
      }
    }
  }
  return { ok: true, trusted, detail, chain: chain.path, genTime: tst.genTime, cms };
}

function pdfDate(v: PdfValue | undefined): Date | undefined {
  if (!(v instanceof PdfString)) return undefined;
  const m = /^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?/.exec(v.text());
  if (!m) return undefined;
  let t = Date.UTC(Number(m[1]), Number(m[2] ?? 1) - 1, Number(m[3] ?? 1), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  if (m[7] === '+' || m[7] === '-') t -= (m[7] === '-' ? -1 : 1) * (Number(m[8] ?? 0) * 60 + Number(m[9] ?? 0)) * 60_000;
  return Number.isNaN(t) ? undefined : new Date(t);
}

async function fetchCrls(certs: Cert[], timeoutMs: number): Promise<Uint8Array[]> {
  const urls = [...new Set(certs.flatMap((c) => c.crlUrls).filter((u) => /^https?:\/\//.test(u)))].slice(0, 8);
  const out: Uint8Array[] = [];
  await Promise.all(urls.map(async (u) => {
    try {
      const res = await fetch(u, { signal: AbortSignal.timeout(timeoutMs) });
      if (res.ok) {
        const buf = new Uint8Array(await res.arrayBuffer());
        if (buf.length < 64 * 1024 * 1024) out.push(buf);
      }
    } catch {
      /* offline or slow: revocation stays unknown */
    }
  }));
  return out;
}

interface SigWork {
  sig: FoundSignature;
  range: RangeCheck;
  report: SignatureReport;
  verdict: Verdict | undefined;
  cms?: Cms;
  signer?: SignerCheck;
  ts?: TimestampResult;
  contentTimestamps: TimestampResult[];
}

function emptyReport(sig: FoundSignature, rev: number): SignatureReport {
  return {
    type: sig.type,
    indication: 'INDETERMINATE',
    subIndication: null,
    modifiedAfterSigning: 'none',
    fieldName: sig.fieldName,
    subFilter: sig.subFilter,
    signer: null,
    claimedSigningTime: null,
    provenSigningTime: null,
    padesLevel: null,
    coversWholeDocument: false,
    revision: rev,
    digestAlgorithm: null,
    chain: [],
    revocation: 'not-checked',
    modifications: [],
    messages: { vi: [], en: [] },
  };
}

/** Cryptographic and structural checks of one signature or document timestamp (no trust decisions yet). */
function checkIntegrity(ctx: Context, w: SigWork): void {
  const { sig, range } = w;
  if (!range.ok) {
    w.verdict = { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE', notes: [range.detail] };
    return;
  }
  let cms: Cms;
  try {
    cms = parseCms(cmsBytes(sig.contents!));
  } catch (e) {
    // DerError, CmsFormatError, or a structure too broken to walk: all mean the CMS cannot be processed.
    w.verdict = { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE', notes: [`CMS unreadable: ${(e as Error).message}`] };
    return;
  }
  w.cms = cms;
  for (const c of certsOf(cms)) ctx.pool.push(c);
  for (const c of cms.crls) ctx.store.add('crl', c);
  for (const o of cms.ocsps) ctx.store.add('ocsp', o);
  const digestOf = digester(ctx.bytes, range.parts);
  const pool = [...certsOf(cms), ...ctx.pool];
  if (sig.type === 'document-timestamp') {
    const ts = checkTimestampToken(ctx, cmsBytes(sig.contents!), digestOf);
    w.ts = ts;
    if (!ts.ok) {
      w.verdict = { indication: 'TOTAL_FAILED', sub: ts.failure ?? 'FORMAT_FAILURE', notes: [ts.detail] };
      return;
    }
    const si = cms.signers[0]!;
    w.signer = checkSigner(cms, si, pool, (alg) => hashParts(alg, [cms.eContent!]), () => cms.eContent!);
    w.report.digestAlgorithm = si.digestAlg ?? null;
    return;
  }
  const si = cms.signers[0]!;
  for (const s of cms.signers) {
    const a = adbeRevocation(s);
    a.crls.forEach((c) => ctx.store.add('crl', c));
    a.ocsps.forEach((o) => ctx.store.add('ocsp', o));
  }
  w.report.digestAlgorithm = si.digestAlg ?? null;
  let r: SignerCheck;
  if (sig.subFilter === 'adbe.pkcs7.sha1') {
    const e = cms.eContent;
    if (!e) {
      w.verdict = { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE', notes: ['adbe.pkcs7.sha1 without encapsulated digest'] };
      return;
    }
    if (hex(e) !== hex(digestOf('sha1'))) {
      w.verdict = { indication: 'TOTAL_FAILED', sub: 'HASH_FAILURE', notes: ['encapsulated SHA-1 does not match the signed bytes'] };
      return;
    }
    r = checkSigner(cms, si, pool, (alg) => hashParts(alg, [e]), () => e);
  } else {
    // Even an empty eContent makes the CMS enveloping, which a detached SubFilter forbids.
    if (cms.eContent !== undefined) {
      w.verdict = { indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE', notes: ['detached signature carries encapsulated content'] };
      return;
    }
    r = checkSigner(cms, si, pool, digestOf, () => concat(ctx.bytes, range.parts));
  }
  w.signer = r;
  const v = mapSignerStatus(r);
  if (v && v.indication === 'TOTAL_FAILED') {
    w.verdict = v;
    return;
  }
  // Signature timestamps: a broken token makes the signature fail (it claims a proof that does not hold).
  for (const tok of si.unsignedAttrs.get(OID.timeStampToken) ?? []) {
    const tokenBytes = tok.buf.subarray(tok.start, tok.end);
    const t = checkTimestampToken(ctx, tokenBytes, (alg) => hashParts(alg, [si.signature]));
    if (!t.ok) {
      w.verdict = { indication: 'TOTAL_FAILED', sub: t.failure === 'HASH_FAILURE' ? 'HASH_FAILURE' : 'SIG_CRYPTO_FAILURE', notes: [t.detail] };
      return;
    }
    w.contentTimestamps.push(t);
  }
  if (v) w.verdict = v;
}

/** Trust, time and revocation checks, once all proofs of existence are known. */
async function checkTrust(ctx: Context, w: SigWork, poe: Date | undefined, opts: ValidateOptions): Promise<void> {
  const r = w.signer;
  if (!r?.cert) return;
  const cert = r.cert;
  w.report.signer = { subject: cert.subject, issuer: cert.issuer, serial: cert.serial };
  if (w.verdict) return;
  const chain = buildChain(cert, ctx.pool, ctx.anchors);
  w.report.chain = chain.path.map(summary);
  if (!chain.trusted) {
    w.verdict = { indication: 'INDETERMINATE', sub: 'NO_CERTIFICATE_CHAIN_FOUND', notes: ['no path to a trust anchor'] };
    return;
  }
  if (chain.constraintFailure) {
    w.verdict = { indication: 'INDETERMINATE', sub: 'CERTIFICATE_CHAIN_GENERAL_FAILURE', notes: [chain.constraintFailure] };
    return;
  }
  if (w.sig.type === 'signature') {
    if (cert.keyUsage !== undefined && !(cert.keyUsage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
      w.verdict = { indication: 'INDETERMINATE', sub: 'CHAIN_CONSTRAINTS_FAILURE', notes: ['signer key usage allows neither digital signature nor non-repudiation'] };
      return;
    }
    if (cert.eku && !cert.eku.some((e) => EKU_OK.has(e))) {
      w.verdict = { indication: 'INDETERMINATE', sub: 'CHAIN_CONSTRAINTS_FAILURE', notes: ['signer extended key usage does not allow document signing'] };
      return;
    }
  }
  // Best signature time: proven by a timestamp, else the validation time.
  const when = poe ?? ctx.at;
  const claimed = w.report.claimedSigningTime ? new Date(w.report.claimedSigningTime) : undefined;
  // Anchors are trusted as configured (no validity of their own), but a signer that is itself the anchor
  // (self-signed) must still be valid when it signs.
  const checked = chain.path.filter((c, i) => i === 0 || !(i === chain.path.length - 1 && matchesAnchor(c, ctx.anchors)));
  for (const c of checked) {
    if (when < c.notBefore) {
      w.verdict = { indication: 'TOTAL_FAILED', sub: 'NOT_YET_VALID', notes: [`${c.subject} not valid before ${c.notBefore.toISOString()}`] };
      return;
    }
    if (when > c.notAfter) {
      const signedAfterExpiry = claimed && claimed > c.notAfter && c === cert;
      w.verdict = signedAfterExpiry
        ? { indication: 'TOTAL_FAILED', sub: 'EXPIRED', notes: [`${c.subject} expired ${c.notAfter.toISOString()} before the claimed signing time`] }
        : { indication: 'INDETERMINATE', sub: 'OUT_OF_BOUNDS_NO_POE', notes: [`${c.subject} expired ${c.notAfter.toISOString()} and no proof of existence before that`] };
      return;
    }
  }
  if (opts.fetchRevocation) {
    for (const c of await fetchCrls(chain.path, opts.fetchTimeoutMs ?? 5000)) ctx.store.add('crl', c);
  }
  let revocation: SignatureReport['revocation'] = 'good';
  for (let i = 0; i + 1 < chain.path.length; i++) {
    const c = chain.path[i]!;
    if (c.hasOcspNoCheck) continue;
    const st = ctx.store.check(c, chain.path[i + 1]!);
    if (st.status === 'unknown') {
      revocation = 'unknown';
      continue;
    }
    if (st.status === 'revoked' && st.revokedAt) {
      revocation = 'revoked';
      if (poe && poe < st.revokedAt) continue; // proven to exist before revocation
      const after = poe ? poe >= st.revokedAt : claimed !== undefined && claimed >= st.revokedAt;
      w.verdict = after
        ? { indication: 'TOTAL_FAILED', sub: 'REVOKED', notes: [`${c.subject} revoked ${st.revokedAt.toISOString()}`] }
        : { indication: 'INDETERMINATE', sub: i === 0 ? 'REVOKED_NO_POE' : 'REVOKED_CA_NO_POE', notes: [`${c.subject} revoked ${st.revokedAt.toISOString()}`] };
      w.report.revocation = 'revoked';
      return;
    }
  }
  w.report.revocation = chain.path.length > 1 ? revocation : 'not-checked';
  const weak = r.digestAlg && WEAK_DIGESTS.has(r.digestAlg);
  if (weak && w.sig.type === 'signature' && !(poe && poe.getTime() < SHA1_SUNSET)) {
    w.verdict = { indication: 'INDETERMINATE', sub: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE', notes: [`${r.digestAlg} is no longer a secure digest`] };
    return;
  }
  w.verdict = { indication: 'TOTAL_PASSED', sub: null, notes: [] };
}

function dssData(doc: PdfDocument): { certs: Uint8Array[]; crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const out = { certs: [] as Uint8Array[], crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
  const root = doc.dict(doc.trailer().get('Root'));
  const dss = doc.dict(root?.get('DSS'));
  if (!dss) return out;
  const read = (key: string, into: Uint8Array[]): void => {
    const arr = doc.resolve(dss.get(key));
    if (!Array.isArray(arr)) return;
    for (const x of arr.slice(0, 10_000)) {
      const s = doc.resolve(x);
      if (!(s instanceof PdfStream)) continue;
      try {
        into.push(doc.decode(s));
      } catch (e) {
        if (e instanceof PdfError && e.code === 'PDF_LIMIT') throw e;
      }
    }
  };
  read('Certs', out.certs);
  read('CRLs', out.crls);
  read('OCSPs', out.ocsps);
  return out;
}

/** Validates every signature and document timestamp of a PDF. Never throws for bad input: errors become `error`. */
export async function validatePdf(bytes: Uint8Array, options: ValidateOptions): Promise<ValidationReport> {
  let doc: PdfDocument;
  try {
    doc = PdfDocument.load(bytes);
  } catch (e) {
    return { error: errorOf(e), revisions: 0, signatures: [] };
  }
  try {
    return await validateDocument(doc, options);
  } catch (e) {
    return { error: errorOf(e), revisions: doc.sections.length, signatures: [] };
  }
}

function errorOf(e: unknown): { code: string; message: string } {
  if (e instanceof PdfError) return { code: e.code, message: e.message };
  if (e instanceof DerError) return { code: 'ASN1_DECODE', message: e.message };
  if (e instanceof RangeError && /call stack|allocation|Invalid array length/i.test(e.message)) return { code: 'PDF_LIMIT', message: e.message };
  // Anything else is a defect in this validator, reported as such rather than disguised as bad input.
  return { code: 'INTERNAL_ERROR', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

async function validateDocument(doc: PdfDocument, options: ValidateOptions): Promise<ValidationReport> {
  const at = options.at ?? new Date();
  const found = findSignatures(doc);
  const dss = dssData(doc);
  const ctx: Context = {
    doc,
    bytes: doc.bytes,
    anchors: toCerts(options.trustAnchors),
    pool: toCerts([...dss.certs, ...(options.certificates ?? [])]),
    store: new RevocationStore(),
    at,
  };
  for (const c of [...dss.crls, ...(options.crls ?? [])]) ctx.store.add('crl', c);
  for (const o of [...dss.ocsps, ...(options.ocsps ?? [])]) ctx.store.add('ocsp', o);
  ctx.pool.push(...ctx.store.certificates());

  const works: SigWork[] = found.map((sig) => {
    const range = checkByteRange(doc, sig);
    const report = emptyReport(sig, range.rev);
    report.coversWholeDocument = range.ok && range.whole;
    const m = pdfDate(doc.resolve(sig.dict.get('M')));
    if (m) report.claimedSigningTime = m.toISOString();
    return { sig, range, report, verdict: undefined, contentTimestamps: [] };
  });
  works.sort((a, b) => (a.range.ok ? a.range.end : 0) - (b.range.ok ? b.range.end : 0));
  for (const w of works) checkIntegrity(ctx, w);
  for (const w of works) if (w.signer?.signingTime) w.report.claimedSigningTime = w.signer.signingTime.toISOString();

  // Document timestamps first: they are proofs of existence for everything they cover.
  const docTs = works.filter((w) => w.sig.type === 'document-timestamp');
  for (const w of docTs) {
    await checkTrust(ctx, w, w.ts?.genTime, options);
    if (w.ts?.genTime) w.report.provenSigningTime = w.ts.genTime.toISOString();
  }
  for (const w of works) {
    if (w.sig.type !== 'signature') continue;
    const proofs: Date[] = [];
    for (const t of w.contentTimestamps) if (t.trusted && t.genTime) proofs.push(t.genTime);
    for (const t of docTs) {
      if (t.range.ok && w.range.ok && t.range.end > w.range.end && t.verdict?.indication === 'TOTAL_PASSED' && t.ts?.genTime) proofs.push(t.ts.genTime);
    }
    const poe = proofs.length ? new Date(Math.min(...proofs.map((d) => d.getTime()))) : undefined;
    if (poe) w.report.provenSigningTime = poe.toISOString();
    await checkTrust(ctx, w, poe, options);
  }

  // Changes after each signature.
  const revs = works.filter((w) => w.range.ok).map((w) => ({ sig: w.sig, rev: w.range.rev }));
  const steps = works.some((w) => w.range.ok && w.range.rev < doc.lastRev) ? analyseRevisions(doc, revs) : [];
  for (const w of works) {
    if (w.range.ok) {
      const m = changesAfter(steps, w.range.rev);
      w.report.modifiedAfterSigning = m.level;
      w.report.modifications = m.findings;
    }
    // A signature that a later revision unlinked or replaced (spoofing) is itself a disallowed change.
    if (w.sig.lastRev < doc.lastRev) {
      w.report.modifiedAfterSigning = 'disallowed';
      w.report.modifications.push(`the signature was removed from field ${w.sig.fieldName} in a later revision`);
    }
  }

  for (const w of works) {
    let v = w.verdict ?? { indication: 'INDETERMINATE', sub: 'GENERIC', notes: [] };
    // Policy: a signature over content that was later changed in a disallowed way cannot pass as is.
    if (v.indication === 'TOTAL_PASSED' && w.report.modifiedAfterSigning === 'disallowed') {
      v = { indication: 'INDETERMINATE', sub: 'SIG_CONSTRAINTS_FAILURE', notes: ['the document was changed after signing in a disallowed way'] };
    }
    w.report.indication = v.indication;
    w.report.subIndication = v.sub;
    w.report.padesLevel = padesLevel(w, works, dss.crls.length + dss.ocsps.length > 0);
    w.report.messages = messagesFor(w.report, v.notes);
  }
  works.sort((a, b) => (a.range.ok ? a.range.end : Infinity) - (b.range.ok ? b.range.end : Infinity));
  return { error: null, revisions: doc.sections.length, signatures: works.map((w) => w.report) };
}

function padesLevel(w: SigWork, all: SigWork[], hasDssRevocation: boolean): SignatureReport['padesLevel'] {
  if (w.sig.type !== 'signature' || !w.cms || !w.range.ok) return null;
  const later = all.filter((t) => t.sig.type === 'document-timestamp' && t.range.ok && t.range.end > w.range.end && t.ts?.ok);
  const timestamps = w.contentTimestamps.length + later.length;
  if (timestamps === 0) return 'B-B';
  if (!hasDssRevocation) return 'B-T';
  // B-LTA: a document timestamp beyond the one that gave B-T, protecting the validation data.
  return later.length > 0 && timestamps >= 2 ? 'B-LTA' : 'B-LT';
}
