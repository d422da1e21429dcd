/**
 * CAdES detached signatures (the CMS inside a PAdES /Contents), assembled from DER pieces: certificates and names
 * are embedded as the bytes they are, and what one signer repeats (its identifier, ESS attribute, algorithm ids,
 * certificate set) is encoded once per certificate.
 */
import * as asn1js from 'asn1js';
import { createHash, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { HASH_OID, OID, type HashName, der, nodeHash, octets, oid, seq, set, tlv } from '../pki/asn1.ts';
import { issuerAndSerialDer, parseCertificate } from '../pki/certificates.ts';
import { signatureAlgorithmId } from '../pki/keys.ts';
import { publicKeyOf } from '../pki/verify.ts';
import { ecdsaRawToDer, isDerEcdsa, type KeyBackend } from '../keys/backend.ts';

/** Signs the digest of the signature value (the signature-timestamp attribute's token). */
export type TimestampFn = (digest: Uint8Array, hash: HashName) => Promise<Uint8Array>;

interface SignerPieces {
  signerId: Uint8Array;
  essAttribute: Uint8Array;
  certificates: Uint8Array;
  publicKey: KeyObject;
}

const piecesByCert = new WeakMap<object, Map<string, SignerPieces>>();
const INTEGER_1 = der(new asn1js.Integer({ value: 1 }));
const CONTENT_TYPE_DATA = der(seq(oid(OID.contentType), set(oid(OID.data))));
const SIGNED_DATA_OID = der(oid(OID.signedData));
const DATA_CONTENT_INFO = der(seq(oid(OID.data)));
const TIMESTAMP_TOKEN_OID = der(oid(OID.timeStampToken));
const digestAlgorithms = new Map<HashName, Uint8Array>();
const signatureAlgorithms = new Map<string, Uint8Array>();

function digestAlgorithm(hash: HashName): Uint8Array {
  let d = digestAlgorithms.get(hash);
  if (!d) digestAlgorithms.set(hash, (d = der(seq(oid(HASH_OID[hash]), new asn1js.Null()))));
  return d;
}

function signatureAlgorithm(kind: 'RSA' | 'EC', hash: HashName): Uint8Array {
  const key = `${kind}/${hash}`;
  let d = signatureAlgorithms.get(key);
  if (!d) signatureAlgorithms.set(key, (d = der(signatureAlgorithmId(kind, hash).toSchema())));
  return d;
}

function piecesFor(certificate: Uint8Array, chain: Uint8Array[]): SignerPieces {
  // Keyed by the parsed certificate (shared for equal bytes) and the chain's content.
  const parsed = parseCertificate(certificate);
  let byChain = piecesByCert.get(parsed);
  if (!byChain) piecesByCert.set(parsed, (byChain = new Map()));
  const chainKey = chain.map((c) => createHash('sha256').update(c).digest('base64')).join(',');
  let p = byChain.get(chainKey);
  if (!p) {
    const { issuer, serial } = issuerAndSerialDer(certificate);
    p = {
      signerId: tlv(0x30, issuer, serial),
      // ESS SigningCertificateV2 { certs { ESSCertIDv2 { certHash (SHA-256, the default), issuerSerial } } }
      essAttribute: tlv(0x30, der(oid(OID.signingCertificateV2)), tlv(0x31, tlv(0x30, tlv(0x30, tlv(0x30,
        der(octets(new Uint8Array(createHash('sha256').update(certificate).digest()))),
        tlv(0x30, tlv(0x30, tlv(0xa4, issuer)), serial),
      ))))),
      certificates: tlv(0xa0, certificate, ...chain),
      publicKey: publicKeyOf(parsed),
    };
    byChain.set(chainKey, p);
  }
  return p;
}

export class CmsSigningError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'CmsSigningError';
  }
}

/**
 * A detached CAdES-BES SignedData over `documentDigest` (content-type, message-digest and ESS signing-certificate-v2
 * signed attributes; the signing time is the PDF's /M, as PAdES wants), optionally with a signature timestamp.
 * The backend's signature is verified against the certificate before it is used.
 */
export async function createCadesSignature(o: {
  backend: KeyBackend;
  /** Issuer certificates to embed after the signer's. */
  chain: Uint8Array[];
  hash: HashName;
  documentDigest: Uint8Array;
  timestamp?: TimestampFn;
}): Promise<Uint8Array> {
  const { backend, hash } = o;
  const pieces = piecesFor(backend.certificate, o.chain);
  const attrs = [
    CONTENT_TYPE_DATA,
    der(seq(oid(OID.messageDigest), set(octets(o.documentDigest)))),
    pieces.essAttribute,
  ].sort((a, b) => Buffer.compare(a, b)); // DER orders a SET OF by its members' encodings
  const signedAttrs = tlv(0x31, ...attrs);
  const digest = new Uint8Array(createHash(nodeHash(hash)).update(signedAttrs).digest());
  let signature = await backend.sign({ hash, digest, message: signedAttrs });
  if (backend.keyKind === 'EC' && !isDerEcdsa(signature)) signature = ecdsaRawToDer(signature);
  if (!nodeVerify(nodeHash(hash), signedAttrs, pieces.publicKey, signature)) {
    throw new CmsSigningError('BAD_SIGNATURE', `${backend.description} returned a signature that does not verify with its certificate (wrong key or unsupported scheme such as RSA-PSS)`);
  }
  const unsigned: Uint8Array[] = [];
  if (o.timestamp) {
    const imprint = new Uint8Array(createHash(nodeHash(hash)).update(signature).digest());
    const token = await o.timestamp(imprint, hash);
    unsigned.push(tlv(0xa1, tlv(0x30, TIMESTAMP_TOKEN_OID, tlv(0x31, token))));
  }
  const signerInfo = tlv(0x30,
    INTEGER_1,
    pieces.signerId,
    digestAlgorithm(hash),
    tlv(0xa0, ...attrs),
    signatureAlgorithm(backend.keyKind, hash),
    der(octets(signature)),
    ...unsigned,
  );
  const signedData = tlv(0x30, INTEGER_1, tlv(0x31, digestAlgorithm(hash)), DATA_CONTENT_INFO, pieces.certificates, tlv(0x31, signerInfo));
  return tlv(0x30, SIGNED_DATA_OID, tlv(0xa0, signedData));
}
