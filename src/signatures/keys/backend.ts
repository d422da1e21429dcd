import * as asn1js from 'asn1js';
import { HASH_OID, type HashName, der, oid, octets, seq } from '../pki/asn1.ts';

/**
 * One hash-then-sign request. `digest` is always H(message); backends that hold the key in-process and whose API
 * hashes internally (node:crypto ECDSA) may sign `message` instead — the result is the same signature scheme.
 */
export interface SignRequest {
  hash: HashName;
  digest: Uint8Array;
  message?: Uint8Array;
}

/**
 * A signing key with its certificate: PKCS#12 file, PKCS#11 token or remote (CSC) service.
 * RSA signatures are PKCS#1 v1.5 (RSA-PSS is refused: @libpdf/core 0.4.2 mislabels it); ECDSA signatures are DER.
 */
export interface KeyBackend {
  /** Short description for messages, e.g. "PKCS#12 an.p12" or "PKCS#11 slot 0 key 'An'". */
  readonly description: string;
  readonly certificate: Uint8Array;
  /** Issuer certificates [intermediate, …, root], possibly empty. */
  readonly chain: Uint8Array[];
  readonly keyKind: 'RSA' | 'EC';
  sign(request: SignRequest): Promise<Uint8Array>;
  close?(): Promise<void>;
}

/** Errors about keys, tokens and certificates that a user can act on (wrong PIN, expired certificate…). */
export class KeyBackendError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'KeyBackendError';
    this.code = code;
  }
}

/** DER DigestInfo { AlgorithmIdentifier, OCTET STRING digest } that RSA PKCS#1 v1.5 signs. */
export function digestInfo(hash: HashName, digest: Uint8Array): Uint8Array {
  return der(seq(seq(oid(HASH_OID[hash]), new asn1js.Null()), octets(digest)));
}

export const HASH_LENGTH: Record<HashName, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** Converts an ECDSA signature from raw r‖s (PKCS#11, CSC, WebCrypto) to DER. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length % 2 !== 0) throw new KeyBackendError('BAD_SIGNATURE', 'ECDSA signature of odd length');
  const half = raw.length / 2;
  const int = (b: Uint8Array): asn1js.Integer => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.subarray(i);
    if (v[0]! & 0x80) v = new Uint8Array([0, ...v]);
    return new asn1js.Integer({ valueHex: new Uint8Array(v).buffer });
  };
  return der(seq(int(raw.subarray(0, half)), int(raw.subarray(half))));
}

/** True when `sig` parses as a DER SEQUENCE of two INTEGERs. */
export function isDerEcdsa(sig: Uint8Array): boolean {
  const p = asn1js.fromBER(new Uint8Array(sig).buffer);
  return p.offset === sig.length && p.result instanceof asn1js.Sequence && p.result.valueBlock.value.length === 2;
}
