import { createHash } from 'node:crypto';
import { DIGESTS, UnsupportedAlgorithm, digestName, verifySignatureValue } from './algorithms.ts';
import { type Cert, certKey, parseCert } from './certs.ts';
import { asSet, children, content, hex, intHex, octets, oid, parseDer, raw, time, type Node } from './der.ts';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  adbeRevocation: '1.2.840.113583.1.1.8',
  riOcsp: '1.3.6.1.5.5.7.16.2',
  sigPolicy: '1.2.840.113549.1.9.16.2.15',
} as const;

export class CmsFormatError extends Error {}

const SINGLE = new Set<string>([
  '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.5',
  '1.2.840.113549.1.9.16.2.12', '1.2.840.113549.1.9.16.2.47',
]);

export interface SignerInfo {
  sidIssuer?: string;
  sidSerial?: string;
  sidSki?: string;
  digestAlgOid: string;
  digestAlg: string | undefined;
  signedAttrs: Node | undefined;
  attrs: Map<string, Node[]>;
  sigAlg: Node;
  signature: Uint8Array;
  unsignedAttrs: Map<string, Node[]>;
}

export interface Cms {
  eContentType: string;
  eContent: Uint8Array | undefined;
  certificates: Uint8Array[];
  crls: Uint8Array[];
  ocsps: Uint8Array[];
  signers: SignerInfo[];
}

function attrMap(n: Node | undefined): Map<string, Node[]> {
  const m = new Map<string, Node[]>();
  if (!n) return m;
  for (const a of children(n)) {
    const [t, set] = children(a);
    if (!t || !set) throw new CmsFormatError('bad attribute');
    const key = oid(t);
    if (m.has(key)) {
      // RFC 5652 §11: these must occur once; other attributes are only informative here.
      if (SINGLE.has(key)) throw new CmsFormatError(`attribute ${key} repeated`);
      continue;
    }
    m.set(key, children(set));
  }
  return m;
}

/** Parses a CMS ContentInfo holding SignedData. Trailing zero padding (PDF /Contents) is ignored. */
export function parseCms(bytes: Uint8Array): Cms {
  const ci = parseDer(bytes);
  const [type, wrapped] = children(ci);
  if (!type || oid(type) !== OID.signedData || !wrapped || wrapped.tag !== 0xa0) throw new CmsFormatError('not a CMS SignedData');
  const sd = children(wrapped)[0];
  if (!sd || sd.tag !== 0x30) throw new CmsFormatError('bad SignedData');
  const f = children(sd);
  const encap = f[2];
  if (!encap || encap.tag !== 0x30) throw new CmsFormatError('bad encapsulated content info');
  const ec = children(encap);
  const eContentType = oid(ec[0]!);
  let eContent: Uint8Array | undefined;
  if (ec[1]) {
    if (ec[1].tag !== 0xa0) throw new CmsFormatError('bad eContent');
    const os = children(ec[1])[0];
    eContent = os ? octets(os) : undefined;
  }
  const certificates: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  let i = 3;
  if (f[i]?.tag === 0xa0) {
    for (const c of children(f[i]!)) if (c.tag === 0x30) certificates.push(raw(c));
    i++;
  }
  if (f[i]?.tag === 0xa1) {
    for (const c of children(f[i]!)) {
      if (c.tag === 0x30) crls.push(raw(c));
      else if (c.tag === 0xa1) {
        const [o, info] = children(c);
        if (o && info && oid(o) === OID.riOcsp) ocsps.push(raw(info));
      }
    }
    i++;
  }
  const sis = f[i];
  if (!sis || sis.tag !== 0x31) throw new CmsFormatError('no signerInfos');
  const signers: SignerInfo[] = [];
  for (const si of children(sis)) {
    const p = children(si);
    let k = 1;
    const sid = p[k++]!;
    const s: Partial<SignerInfo> = {};
    if (sid.tag === 0x30) {
      const [iss, ser] = children(sid);
      s.sidIssuer = hex(raw(iss!));
      s.sidSerial = intHex(ser!);
    } else if (sid.tag === 0x80) s.sidSki = hex(content(sid));
    else throw new CmsFormatError('bad signer identifier');
    const dAlg = p[k++]!;
    s.digestAlgOid = oid(children(dAlg)[0]!);
    s.digestAlg = DIGESTS[s.digestAlgOid];
    if (p[k]?.tag === 0xa0) s.signedAttrs = p[k++]!;
    s.attrs = attrMap(s.signedAttrs);
    s.sigAlg = p[k++]!;
    const sigN = p[k++];
    if (!s.sigAlg || s.sigAlg.tag !== 0x30 || !sigN || sigN.tag !== 0x04) throw new CmsFormatError('bad SignerInfo');
    s.signature = octets(sigN);
    s.unsignedAttrs = p[k]?.tag === 0xa1 ? attrMap(p[k]) : new Map();
    signers.push(s as SignerInfo);
  }
  if (signers.length === 0) throw new CmsFormatError('no SignerInfo');
  return { eContentType, eContent, certificates, crls, ocsps, signers };
}

export interface SignerCheck {
  status: 'ok' | 'hash-failure' | 'sig-failure' | 'format' | 'unsupported' | 'no-certificate' | 'ess-mismatch';
  detail: string;
  cert: Cert | undefined;
  signingTime: Date | undefined;
  digestAlg: string | undefined;
}

export function findSignerCert(si: SignerInfo, pool: Cert[]): Cert | undefined {
  for (const c of pool) {
    if (si.sidSki !== undefined) {
      if (c.ski === si.sidSki) return c;
    } else if (c.serial === si.sidSerial && c.issuerKey === si.sidIssuer) return c;
  }
  return undefined;
}

/** Checks an ESS signing-certificate(-v2) attribute against the signer certificate. */
function checkEss(si: SignerInfo, cert: Cert): string | undefined {
  const v2 = si.attrs.get(OID.signingCertificateV2)?.[0];
  const v1 = si.attrs.get(OID.signingCertificate)?.[0];
  const attr = v2 ?? v1;
  if (!attr) return undefined;
  const certIds = children(children(attr)[0]!);
  const first = certIds[0];
  if (!first) return 'empty signing-certificate attribute';
  const parts = children(first);
  let alg = 'sha1';
  let idx = 0;
  if (v2 && parts[0]?.tag === 0x30) {
    alg = digestName(parts[0]) ?? 'unknown';
    idx = 1;
  } else if (v2) alg = 'sha256';
  const want = parts[idx];
  if (!want || want.tag !== 0x04) return 'bad signing-certificate attribute';
  if (alg === 'unknown') return 'unknown hash in signing-certificate attribute';
  const got = createHash(alg).update(cert.der).digest();
  if (hex(got) !== hex(content(want))) return 'signing-certificate attribute does not match the signer certificate';
  const issuerSerial = parts[idx + 1];
  if (issuerSerial && issuerSerial.tag === 0x30) {
    const [, serial] = children(issuerSerial);
    if (serial && serial.tag === 0x02 && intHex(serial) !== cert.serial) return 'signing-certificate issuer/serial does not match';
  }
  return undefined;
}

/**
 * Verifies one SignerInfo. `digestOf(alg)` returns the digest of the signed content (the ByteRange bytes or the
 * eContent); `contentBytes()` returns the content itself, needed only when there are no signed attributes.
 */
export function checkSigner(
  cms: Cms,
  si: SignerInfo,
  pool: Cert[],
  digestOf: (alg: string) => Uint8Array,
  contentBytes: () => Uint8Array,
): SignerCheck {
  const res: SignerCheck = { status: 'ok', detail: '', cert: undefined, signingTime: undefined, digestAlg: si.digestAlg };
  const cert = findSignerCert(si, pool);
  if (!cert) return { ...res, status: 'no-certificate', detail: 'signer certificate not found' };
  res.cert = cert;
  let key;
  try {
    key = certKey(cert);
  } catch {
    return { ...res, status: 'unsupported', detail: 'unsupported public key' };
  }
  try {
    if (si.signedAttrs) {
      const ct = si.attrs.get(OID.contentType)?.[0];
      if (!ct || oid(ct) !== cms.eContentType) return { ...res, status: 'format', detail: 'content-type attribute missing or wrong' };
      const md = si.attrs.get(OID.messageDigest)?.[0];
      if (!md || md.tag !== 0x04) return { ...res, status: 'format', detail: 'message-digest attribute missing' };
      const st = si.attrs.get(OID.signingTime)?.[0];
      if (st) {
        try {
          res.signingTime = time(st);
        } catch {
          /* an unreadable claimed time is only informative */
        }
      }
      if (!si.digestAlg) return { ...res, status: 'unsupported', detail: `digest algorithm ${si.digestAlgOid}` };
      if (hex(digestOf(si.digestAlg)) !== hex(content(md))) return { ...res, status: 'hash-failure', detail: 'message digest does not match the signed bytes' };
      const ok = verifySignatureValue(si.sigAlg, si.digestAlg, key, asSet(si.signedAttrs), si.signature);
      if (!ok) return { ...res, status: 'sig-failure', detail: 'signature value does not verify' };
      const essErr = checkEss(si, cert);
      if (essErr) return { ...res, status: 'ess-mismatch', detail: essErr };
    } else {
      const ok = verifySignatureValue(si.sigAlg, si.digestAlg, key, contentBytes(), si.signature);
      if (!ok) return { ...res, status: 'sig-failure', detail: 'signature value does not verify' };
    }
  } catch (e) {
    if (e instanceof UnsupportedAlgorithm) return { ...res, status: 'unsupported', detail: e.message };
    return { ...res, status: 'format', detail: (e as Error).message };
  }
  return res;
}

export function certsOf(cms: Cms): Cert[] {
  const out: Cert[] = [];
  for (const d of cms.certificates) {
    try {
      out.push(parseCert(d));
    } catch {
      /* unreadable extra certificates are ignored */
    }
  }
  return out;
}

/** CRLs and OCSP responses archived in the adbe-revocationInfoArchival signed attribute. */
export function adbeRevocation(si: SignerInfo): { crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  const v = si.attrs.get(OID.adbeRevocation)?.[0];
  if (!v) return { crls, ocsps };
  try {
    for (const part of children(v)) {
      const list = children(part)[0];
      if (!list) continue;
      for (const item of children(list)) {
        if (part.tag === 0xa0) crls.push(raw(item));
        else if (part.tag === 0xa1) ocsps.push(raw(item));
      }
    }
  } catch {
    /* malformed archive: ignore, revocation stays unknown */
  }
  return { crls, ocsps };
}

export interface TstInfo {
  imprintAlg: string | undefined;
  imprint: Uint8Array;
  genTime: Date;
  serial: string;
}

export function parseTstInfo(b: Uint8Array): TstInfo {
  const f = children(parseDer(b));
  const mi = children(f[2]!);
  return { imprintAlg: digestName(mi[0]!), imprint: content(mi[1]!), serial: intHex(f[3]!), genTime: time(f[4]!) };
}
