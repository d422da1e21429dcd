import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { OID, type HashName, bytesEqual, der, nodeHash, parseDer } from './asn1.ts';
import { parseCertificate } from './certificates.ts';

/** Hash and key kind named by a signatureAlgorithm OID; RSA-PSS and unknown algorithms are refused. */
export function signatureAlgorithmOf(algId: string): { hash: HashName; kind: 'RSA' | 'EC' } {
  switch (algId) {
    case OID.sha256WithRSA: return { hash: 'SHA-256', kind: 'RSA' };
    case OID.sha384WithRSA: return { hash: 'SHA-384', kind: 'RSA' };
    case OID.sha512WithRSA: return { hash: 'SHA-512', kind: 'RSA' };
    case OID.ecdsaWithSHA256: return { hash: 'SHA-256', kind: 'EC' };
    case OID.ecdsaWithSHA384: return { hash: 'SHA-384', kind: 'EC' };
    case OID.ecdsaWithSHA512: return { hash: 'SHA-512', kind: 'EC' };
    default: throw new Error(`unsupported signature algorithm ${algId}`);
  }
}

const keys = new WeakMap<pkijs.Certificate, KeyObject>();

export function publicKeyOf(cert: pkijs.Certificate): KeyObject {
  let k = keys.get(cert);
  if (!k) {
    k = createPublicKey({ key: Buffer.from(der(cert.subjectPublicKeyInfo.toSchema())), format: 'der', type: 'spki' });
    keys.set(cert, k);
  }
  return k;
}

export function verifyRaw(publicKey: KeyObject, algId: string, data: Uint8Array, signature: Uint8Array): boolean {
  const { hash } = signatureAlgorithmOf(algId);
  try {
    return nodeVerify(nodeHash(hash), data, publicKey, signature);
  } catch {
    return false;
  }
}

/** True when `issuerDer`'s public key verifies the signature on `certDer`. */
// Keyed by the cached parse objects, so equal bytes in fresh arrays hit too.
const verified = new WeakMap<pkijs.Certificate, WeakMap<pkijs.Certificate, boolean>>();

export function verifySignedBy(certDer: Uint8Array, issuerDer: Uint8Array): boolean {
  const cert = parseCertificate(certDer);
  const issuer = parseCertificate(issuerDer);
  let byIssuer = verified.get(cert);
  const hit = byIssuer?.get(issuer);
  if (hit !== undefined) return hit;
  const ok = verifyRaw(
    publicKeyOf(issuer),
    cert.signatureAlgorithm.algorithmId,
    cert.tbsView,
    new Uint8Array(cert.signatureValue.valueBlock.valueHexView),
  );
  if (!byIssuer) {
    byIssuer = new WeakMap();
    verified.set(cert, byIssuer);
  }
  byIssuer.set(issuer, ok);
  return ok;
}

export interface ChainResult {
  ok: boolean;
  /** [leaf, …, anchor] when ok. */
  chain: Uint8Array[];
  error?: string;
}

const names = new WeakMap<pkijs.RelativeDistinguishedNames, Uint8Array>();

function nameDer(n: pkijs.RelativeDistinguishedNames): Uint8Array {
  let d = names.get(n);
  if (!d) {
    d = der(n.toSchema());
    names.set(n, d);
  }
  return d;
}

/**
 * Builds and checks a path from `certificate` to one of `anchors` through `intermediates`:
 * issuer names, signatures, validity at `at`, and CA basic constraints on every issuer.
 */
export function verifyChain(o: {
  certificate: Uint8Array;
  intermediates?: Uint8Array[];
  anchors: Uint8Array[];
  at: Date;
}): ChainResult {
  const parse = parseCertificate;
  const pool = [...(o.intermediates ?? [])].map((d) => ({ der: d, cert: parse(d) }));
  const anchors = o.anchors.map((d) => ({ der: d, cert: parse(d) }));
  const chain: Uint8Array[] = [o.certificate];
  let current = { der: o.certificate, cert: parse(o.certificate) };
  const inValidity = (c: pkijs.Certificate): boolean =>
    c.notBefore.value.getTime() <= o.at.getTime() && o.at.getTime() <= c.notAfter.value.getTime();
  if (!inValidity(current.cert)) {
    return { ok: false, chain, error: `certificate is not valid at ${o.at.toISOString()} (valid ${current.cert.notBefore.value.toISOString()} – ${current.cert.notAfter.value.toISOString()})` };
  }
  for (let depth = 0; depth < 10; depth++) {
    const issuerName = nameDer(current.cert.issuer);
    const anchor = anchors.find((a) => bytesEqual(nameDer(a.cert.subject), issuerName) && verifySignedBy(current.der, a.der));
    if (anchor) {
      if (!bytesEqual(anchor.der, current.der)) chain.push(anchor.der);
      if (!inValidity(anchor.cert)) return { ok: false, chain, error: 'trust anchor is not valid now' };
      return { ok: true, chain };
    }
    if (anchors.some((a) => bytesEqual(a.der, current.der))) return { ok: true, chain };
    if (bytesEqual(issuerName, nameDer(current.cert.subject)) && verifySignedBy(current.der, current.der)) {
      return { ok: false, chain, error: `the chain ends at a root that is not trusted (${describe(current.cert)})` };
    }
    const next = pool.find((p) => bytesEqual(nameDer(p.cert.subject), issuerName) && verifySignedBy(current.der, p.der));
    if (!next) return { ok: false, chain, error: 'no path to a trusted anchor (issuer not found or signature invalid)' };
    if (!isCa(next.cert)) return { ok: false, chain, error: 'issuer is not a CA' };
    if (!inValidity(next.cert)) return { ok: false, chain, error: 'an intermediate CA certificate is not valid now' };
    chain.push(next.der);
    current = next;
  }
  return { ok: false, chain, error: 'certificate path too long' };
}

function isCa(c: pkijs.Certificate): boolean {
  const bc = c.extensions?.find((e) => e.extnID === OID.basicConstraints);
  if (!bc) return false;
  const v = parseDer(new Uint8Array(bc.extnValue.valueBlock.valueHexView)) as unknown as { valueBlock: { value: Array<{ valueBlock: { value: unknown } }> } };
  return v.valueBlock.value[0]?.valueBlock.value === true;
}

function describe(c: pkijs.Certificate): string {
  const cn = c.subject.typesAndValues.find((t) => t.type === OID.commonName);
  return cn ? String((cn.value as unknown as { valueBlock: { value: unknown } }).valueBlock.value) : 'unnamed';
}
