import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createPublicKey, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { OID, type HashName, nodeHash, parseDer } from './asn1.ts';

/** Key algorithms allowed by TT 15/2025/TT-BKHCN for signatures: RSA ≥ 2048 (PKCS#1 v1.5) and ECDSA P-256/P-384. */
export type KeySpec = { kind: 'rsa'; bits?: 2048 | 3072 | 4096 } | { kind: 'ec'; curve?: 'P-256' | 'P-384' };

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generateKey(spec: KeySpec): KeyPair {
  if (spec.kind === 'rsa') {
    return generateKeyPairSync('rsa', { modulusLength: spec.bits ?? 2048, publicExponent: 0x10001 });
  }
  const namedCurve = spec.curve === 'P-384' ? 'secp384r1' : 'prime256v1';
  return generateKeyPairSync('ec', { namedCurve });
}

export type KeyKind = 'RSA' | 'EC';

export function keyKindOf(key: KeyObject): KeyKind {
  const t = key.asymmetricKeyType;
  if (t === 'rsa') return 'RSA';
  if (t === 'ec') return 'EC';
  throw new Error(`unsupported key type ${t ?? 'unknown'} (only RSA PKCS#1 v1.5 and ECDSA are allowed)`);
}

/** signatureAlgorithm AlgorithmIdentifier for a key kind and hash (RSA carries NULL parameters, ECDSA none). */
export function signatureAlgorithmId(kind: KeyKind, hash: HashName): pkijs.AlgorithmIdentifier {
  if (kind === 'RSA') {
    const id = { 'SHA-256': OID.sha256WithRSA, 'SHA-384': OID.sha384WithRSA, 'SHA-512': OID.sha512WithRSA }[hash];
    return new pkijs.AlgorithmIdentifier({ algorithmId: id, algorithmParams: new asn1js.Null() });
  }
  const id = { 'SHA-256': OID.ecdsaWithSHA256, 'SHA-384': OID.ecdsaWithSHA384, 'SHA-512': OID.ecdsaWithSHA512 }[hash];
  return new pkijs.AlgorithmIdentifier({ algorithmId: id });
}

/** Signs data with node:crypto; ECDSA output is DER (as X.509 and CMS want), RSA is PKCS#1 v1.5. */
export function signData(privateKey: KeyObject, hash: HashName, data: Uint8Array): Uint8Array {
  return new Uint8Array(nodeSign(nodeHash(hash), data, privateKey));
}

/** As `signData`, computed in libuv's thread pool (the callback form of crypto.sign) instead of the main thread. */
export function signInPool(privateKey: KeyObject, hash: HashName, data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    nodeSign(nodeHash(hash), data, privateKey, (err, sig) => (err ? reject(err) : resolve(new Uint8Array(sig))));
  });
}

export function spkiDer(publicKey: KeyObject): Uint8Array {
  return new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
}

export function publicKeyInfo(publicKey: KeyObject): pkijs.PublicKeyInfo {
  return new pkijs.PublicKeyInfo({ schema: parseDer(spkiDer(publicKey), 'public key') });
}

export function publicKeyOfCertificate(certDer: Uint8Array): KeyObject {
  const cert = new pkijs.Certificate({ schema: parseDer(certDer, 'certificate') });
  return createPublicKey({ key: Buffer.from(cert.subjectPublicKeyInfo.toSchema().toBER(false)), format: 'der', type: 'spki' });
}

export function privateKeyPkcs8(privateKey: KeyObject): Uint8Array {
  return new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }));
}

/** Hash that fits a key by default: SHA-384 for P-384, SHA-256 otherwise. */
export function defaultHashFor(key: KeyObject): HashName {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp384r1') return 'SHA-384';
  return 'SHA-256';
}

