import { X509Certificate, type KeyObject } from 'node:crypto';
import { children, content, hex, intHex, nameToString, oid, parseDer, raw, time, type Node } from './der.ts';
import { publicKeyFromSpki } from './algorithms.ts';

/** What validation needs from one X.509 certificate; parsed once and shared. */
export interface Cert {
  der: Uint8Array;
  /** Hex of the DER encoding: identity of the certificate. */
  id: string;
  subject: string;
  issuer: string;
  subjectKey: string;
  issuerKey: string;
  serial: string;
  spki: Uint8Array;
  spkiHex: string;
  notBefore: Date;
  notAfter: Date;
  /** basicConstraints cA, undefined when the extension is absent. */
  ca: boolean | undefined;
  /** keyUsage bits (bit 0 = digitalSignature), undefined when absent. */
  keyUsage: number | undefined;
  eku: string[] | undefined;
  ski: string | undefined;
  crlUrls: string[];
  ocspUrls: string[];
  hasOcspNoCheck: boolean;
  unknownCritical: string[];
}

const KNOWN_EXT = new Set([
  '2.5.29.19', '2.5.29.15', '2.5.29.37', '2.5.29.14', '2.5.29.35', '2.5.29.31', '2.5.29.32', '2.5.29.17',
  '2.5.29.18', '1.3.6.1.5.5.7.1.1', '2.5.29.30', '2.5.29.36', '2.5.29.54', '1.3.6.1.5.5.7.1.3', '1.3.6.1.5.5.7.48.1.5',
]);

const cache = new Map<string, Cert>();

export function parseCert(der: Uint8Array): Cert {
  const id = hex(der);
  const hit = cache.get(id);
  if (hit) return hit;
  const root = parseDer(der);
  const [tbs] = children(root);
  if (!tbs) throw new Error('empty certificate');
  const f = children(tbs);
  let i = 0;
  if (f[0]?.tag === 0xa0) i = 1;
  const serial = intHex(f[i]!);
  const issuerN = f[i + 2]!;
  const validity = children(f[i + 3]!);
  const subjectN = f[i + 4]!;
  const spkiN = f[i + 5]!;
  const cert: Cert = {
    der,
    id,
    subject: nameToString(subjectN),
    issuer: nameToString(issuerN),
    subjectKey: hex(raw(subjectN)),
    issuerKey: hex(raw(issuerN)),
    serial,
    spki: raw(spkiN),
    spkiHex: hex(raw(spkiN)),
    notBefore: time(validity[0]!),
    notAfter: time(validity[1]!),
    ca: undefined,
    keyUsage: undefined,
    eku: undefined,
    ski: undefined,
    crlUrls: [],
    ocspUrls: [],
    hasOcspNoCheck: false,
    unknownCritical: [],
  };
  const extsWrap = f.find((n) => n.tag === 0xa3);
  if (extsWrap) {
    for (const ext of children(children(extsWrap)[0]!)) {
      const parts = children(ext);
      const extId = oid(parts[0]!);
      const critical = parts.length === 3 && parts[1]!.tag === 0x01 && content(parts[1]!)[0] !== 0;
      const value = parseDer(content(parts[parts.length - 1]!));
      if (critical && !KNOWN_EXT.has(extId)) cert.unknownCritical.push(extId);
      try {
        readExtension(cert, extId, value);
      } catch {
        if (critical) cert.unknownCritical.push(extId);
      }
    }
  }
  if (cache.size > 5000) cache.clear();
  cache.set(id, cert);
  return cert;
}

function readExtension(cert: Cert, extId: string, v: Node): void {
  switch (extId) {
    case '2.5.29.19': {
      const c = children(v);
      cert.ca = c[0]?.tag === 0x01 ? content(c[0])[0] !== 0 : false;
      break;
    }
    case '2.5.29.15': {
      const b = content(v);
      cert.keyUsage = ((b[1] ?? 0) << 8 | (b[2] ?? 0)) >> 0;
      // Store as big-endian 16-bit: bit 0 of the ASN.1 string is the 0x8000 bit.
      break;
    }
    case '2.5.29.37':
      cert.eku = children(v).map(oid);
      break;
    case '2.5.29.14':
      cert.ski = hex(content(v));
      break;
    case '2.5.29.31':
      for (const dp of children(v)) {
        for (const part of children(dp)) {
          if (part.tag !== 0xa0) continue;
          for (const full of children(part)) {
            if (full.tag !== 0xa0) continue;
            for (const gn of children(full)) if (gn.tag === 0x86) cert.crlUrls.push(Buffer.from(content(gn)).toString('latin1'));
          }
        }
      }
      break;
    case '1.3.6.1.5.5.7.1.1':
      for (const ad of children(v)) {
        const [m, loc] = children(ad);
        if (m && loc && oid(m) === '1.3.6.1.5.5.7.48.1' && loc.tag === 0x86) cert.ocspUrls.push(Buffer.from(content(loc)).toString('latin1'));
      }
      break;
    case '1.3.6.1.5.5.7.48.1.5':
      cert.hasOcspNoCheck = true;
      break;
  }
}

export const KU_DIGITAL_SIGNATURE = 0x8000;
export const KU_NON_REPUDIATION = 0x4000;
export const KU_KEY_CERT_SIGN = 0x0400;
export const KU_CRL_SIGN = 0x0200;

export function certKey(c: Cert): KeyObject {
  return publicKeyFromSpki(c.spki);
}

const verified = new Map<string, boolean>();
/** True when `child`'s signature verifies with `parent`'s key (memoised: chains repeat across signatures). */
export function issuedBy(child: Cert, parent: Cert): boolean {
  if (child.issuerKey !== parent.subjectKey) return false;
  const k = `${child.id.length}:${child.id.slice(-64)}|${parent.spkiHex.slice(-64)}`;
  const hit = verified.get(k);
  if (hit !== undefined) return hit;
  let ok = false;
  try {
    ok = new X509Certificate(child.der).verify(certKey(parent));
  } catch {
    ok = false;
  }
  if (verified.size > 20_000) verified.clear();
  verified.set(k, ok);
  return ok;
}

export function isSelfSigned(c: Cert): boolean {
  return c.subjectKey === c.issuerKey && issuedBy(c, c);
}

/** Reads PEM (one or more CERTIFICATE blocks) or DER. */
export function certificatesFromFile(data: Uint8Array): Uint8Array[] {
  const text = Buffer.from(data).toString('latin1');
  if (text.includes('-----BEGIN')) {
    const out: Uint8Array[] = [];
    const re = /-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----([\s\S]*?)-----END (?:TRUSTED |X509 )?CERTIFICATE-----/g;
    for (let m = re.exec(text); m; m = re.exec(text)) out.push(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
    return out;
  }
  return [data];
}
