import { createHash, createPublicKey, verify as cryptoVerify, constants, type KeyObject } from 'node:crypto';
import { children, oid, intValue, type Node } from './der.ts';

/** Digest OIDs → node:crypto names. */
export const DIGESTS: Record<string, string> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.8': 'sha3-256',
  '2.16.840.1.101.3.4.2.9': 'sha3-384',
  '2.16.840.1.101.3.4.2.10': 'sha3-512',
  '2.16.840.1.101.3.4.2.12': 'shake256',
};

/** Digests too weak to rely on for new signatures. */
export const WEAK_DIGESTS = new Set(['md5', 'sha1']);

interface SigAlg {
  kind: 'rsa' | 'rsa-pss' | 'ecdsa' | 'ecdsa-plain' | 'eddsa' | 'dsa';
  /** Hash fixed by the signature algorithm; undefined means "use the SignerInfo digest algorithm". */
  hash?: string;
}

const SIG_ALGS: Record<string, SigAlg> = {
  '1.2.840.113549.1.1.1': { kind: 'rsa' },
  '1.2.840.113549.1.1.4': { kind: 'rsa', hash: 'md5' },
  '1.2.840.113549.1.1.5': { kind: 'rsa', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { kind: 'rsa', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { kind: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { kind: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { kind: 'rsa', hash: 'sha512' },
  '2.16.840.1.101.3.4.3.14': { kind: 'rsa', hash: 'sha3-256' },
  '2.16.840.1.101.3.4.3.15': { kind: 'rsa', hash: 'sha3-384' },
  '2.16.840.1.101.3.4.3.16': { kind: 'rsa', hash: 'sha3-512' },
  '1.2.840.113549.1.1.10': { kind: 'rsa-pss' },
  '1.2.840.10045.2.1': { kind: 'ecdsa' },
  '1.2.840.10045.4.1': { kind: 'ecdsa', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { kind: 'ecdsa', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'sha512' },
  '2.16.840.1.101.3.4.3.10': { kind: 'ecdsa', hash: 'sha3-256' },
  '2.16.840.1.101.3.4.3.11': { kind: 'ecdsa', hash: 'sha3-384' },
  '2.16.840.1.101.3.4.3.12': { kind: 'ecdsa', hash: 'sha3-512' },
  '0.4.0.127.0.7.1.1.4.1.1': { kind: 'ecdsa-plain', hash: 'sha1' },
  '0.4.0.127.0.7.1.1.4.1.2': { kind: 'ecdsa-plain', hash: 'sha224' },
  '0.4.0.127.0.7.1.1.4.1.3': { kind: 'ecdsa-plain', hash: 'sha256' },
  '0.4.0.127.0.7.1.1.4.1.4': { kind: 'ecdsa-plain', hash: 'sha384' },
  '0.4.0.127.0.7.1.1.4.1.5': { kind: 'ecdsa-plain', hash: 'sha512' },
  '1.3.101.112': { kind: 'eddsa' },
  '1.3.101.113': { kind: 'eddsa' },
  '1.2.840.10040.4.3': { kind: 'dsa', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { kind: 'dsa', hash: 'sha256' },
};

export function digestName(algId: Node): string | undefined {
  const [o] = children(algId);
  return o ? DIGESTS[oid(o)] : undefined;
}

export function hashParts(name: string, parts: Uint8Array[]): Uint8Array {
  const h = name === 'shake256' ? createHash('shake256', { outputLength: 64 }) : createHash(name);
  for (const p of parts) h.update(p);
  return h.digest();
}

export class UnsupportedAlgorithm extends Error {}

const keyCache = new Map<string, KeyObject>();
export function publicKeyFromSpki(spki: Uint8Array): KeyObject {
  const k = Buffer.from(spki).toString('base64');
  let key = keyCache.get(k);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(k, key);
  }
  return key;
}

/**
 * Verifies a CMS signature value. `digestAlg` is the SignerInfo's digest algorithm, used when the signature
 * algorithm does not name a hash itself. Throws UnsupportedAlgorithm for algorithms we cannot check.
 */
export function verifySignatureValue(sigAlgId: Node, digestAlg: string | undefined, key: KeyObject, data: Uint8Array, sig: Uint8Array): boolean {
  const [o, params] = children(sigAlgId);
  if (!o) throw new UnsupportedAlgorithm('missing signature algorithm');
  const id = oid(o);
  const alg = SIG_ALGS[id];
  if (!alg) throw new UnsupportedAlgorithm(`signature algorithm ${id}`);
  const keyType = key.asymmetricKeyType;
  try {
    switch (alg.kind) {
      case 'rsa': {
        if (keyType !== 'rsa') return false;
        const h = alg.hash ?? digestAlg;
        if (!h || h === 'shake256') throw new UnsupportedAlgorithm('RSA without a usable hash');
        if (cryptoVerify(h, data, { key, padding: constants.RSA_PKCS1_PADDING }, sig)) return true;
        // Some signers name one hash in the signature algorithm and use the SignerInfo digest. PKCS#1 v1.5
        // embeds the hash OID in the signed DigestInfo, so trying that digest cannot accept a forgery.
        return !!digestAlg && digestAlg !== h && digestAlg !== 'shake256' && cryptoVerify(digestAlg, data, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
      }
      case 'rsa-pss': {
        if (keyType !== 'rsa' && keyType !== 'rsa-pss') return false;
        let hash = 'sha1';
        let salt = 20;
        if (params && params.tag === 0x30) {
          for (const f of children(params)) {
            const inner = children(f)[0];
            if (!inner) continue;
            if (f.tag === 0xa0) hash = digestName(inner) ?? hash;
            else if (f.tag === 0xa2) salt = intValue(inner);
          }
        }
        return cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: salt }, sig);
      }
      case 'ecdsa':
      case 'ecdsa-plain': {
        if (keyType !== 'ec') return false;
        const h = alg.hash ?? digestAlg;
        if (!h || h === 'shake256') throw new UnsupportedAlgorithm('ECDSA without a usable hash');
        return cryptoVerify(h, data, { key, dsaEncoding: alg.kind === 'ecdsa-plain' ? 'ieee-p1363' : 'der' }, sig);
      }
      case 'eddsa':
        if (keyType !== 'ed25519' && keyType !== 'ed448') return false;
        return cryptoVerify(null, data, key, sig);
      case 'dsa': {
        if (keyType !== 'dsa') return false;
        return cryptoVerify(alg.hash!, data, key, sig);
      }
    }
  } catch (e) {
    if (e instanceof UnsupportedAlgorithm) throw e;
    const msg = (e as Error).message ?? '';
    if (/digest|algorithm|not supported|unsupported/i.test(msg)) throw new UnsupportedAlgorithm(msg);
    return false;
  }
  return false;
}

export function signatureAlgorithmName(sigAlgId: Node, digestAlg: string | undefined): string {
  try {
    const id = oid(children(sigAlgId)[0]!);
    const a = SIG_ALGS[id];
    if (!a) return id;
    return `${a.kind}${a.hash ?? digestAlg ? `-${a.hash ?? digestAlg}` : ''}`;
  } catch {
    return '?';
  }
}
