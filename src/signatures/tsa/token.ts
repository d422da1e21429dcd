import * as asn1js from 'asn1js';
import { randomBytes, type KeyObject } from 'node:crypto';
import {
  HASH_OID, OID, type HashName, bytesEqual, der, digest, explicit, hashOfOid, hex, integerBytes, oid, octets, parseDer, seq, set,
  tlv, toAB, unsignedInteger,
} from '../pki/asn1.ts';
import { certificateInfo, issuerAndSerialDer, parseCertificate } from '../pki/certificates.ts';
import { keyKindOf, signInPool, signatureAlgorithmId } from '../pki/keys.ts';
import { publicKeyOf, verifyRaw } from '../pki/verify.ts';
import {
  DerError, asSet, children, content, intHex, oid as derOid, octets as derOctets, parseDer as parseNode, raw, time as derTime, type Node,
} from '../validation/der.ts';

/** hoso's demo TSA policy (private arc under the UUID-derived OID space, 2.25). */
export const DEMO_TSA_POLICY = '2.25.193003925281932486214392883307911424011.1';

export interface TimeStampRequest {
  hash: HashName;
  imprint: Uint8Array;
  nonce: Uint8Array | undefined;
  certReq: boolean;
  policy: string | undefined;
}

export function encodeTimeStampRequest(r: TimeStampRequest): Uint8Array {
  const parts: asn1js.AsnType[] = [
    new asn1js.Integer({ value: 1 }),
    seq(seq(oid(HASH_OID[r.hash]), new asn1js.Null()), octets(r.imprint)),
  ];
  if (r.policy) parts.push(oid(r.policy));
  if (r.nonce) parts.push(unsignedInteger(r.nonce));
  if (r.certReq) parts.push(new asn1js.Boolean({ value: true }));
  return der(seq(...parts));
}

export function parseTimeStampRequest(bytes: Uint8Array): TimeStampRequest {
  const req = parseDer(bytes, 'TimeStampReq') as asn1js.Sequence;
  const parts = req.valueBlock.value;
  const mi = parts[1] as asn1js.Sequence;
  const algOid = ((mi.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
  const hash = hashOfOid(algOid);
  if (!hash || hash === 'SHA-1') throw new Error(`unsupported imprint hash ${algOid}`);
  const r: TimeStampRequest = {
    hash,
    imprint: new Uint8Array((mi.valueBlock.value[1] as asn1js.OctetString).valueBlock.valueHexView),
    nonce: undefined,
    certReq: false,
    policy: undefined,
  };
  for (const p of parts.slice(2)) {
    if (p instanceof asn1js.ObjectIdentifier) r.policy = p.valueBlock.toString();
    else if (p instanceof asn1js.Integer) r.nonce = integerBytes(p);
    else if (p instanceof asn1js.Boolean) r.certReq = p.valueBlock.value;
  }
  return r;
}

function genTimeOf(d: Date): asn1js.GeneralizedTime {
  return new asn1js.GeneralizedTime({ valueDate: new Date(Math.floor(d.getTime() / 1000) * 1000) });
}

export interface TsaIdentity {
  certificate: Uint8Array;
  privateKey: KeyObject;
  /** Issuer certificates included when the client asks for certificates. */
  chain: Uint8Array[];
  policy?: string;
}

/** Builds a granted TimeStampResp (RFC 3161) for a request, signed by the TSA key. */
export async function createTimeStampResponse(tsa: TsaIdentity, req: TimeStampRequest, genTime: Date, serial?: Uint8Array): Promise<Uint8Array> {
  const token = await createTimeStampToken(tsa, req, genTime, serial);
  return tlv(0x30, der(seq(new asn1js.Integer({ value: 0 }))), token);
}

export function createRejection(failInfoBit: number, text: string): Uint8Array {
  const bits = new Uint8Array(Math.floor(failInfoBit / 8) + 1);
  bits[failInfoBit >> 3]! |= 0x80 >> (failInfoBit & 7);
  return der(seq(seq(
    new asn1js.Integer({ value: 2 }),
    seq(new asn1js.Utf8String({ value: text })),
    new asn1js.BitString({ valueHex: toAB(bits), unusedBits: 7 - (failInfoBit & 7) }),
  )));
}

/**
 * What every token of one TSA identity repeats, encoded once: issuer-and-serial, ESS attribute, algorithm ids.
 * Keyed by the identity object, which is never changed once made (a new key or certificate is a new identity).
 */
interface TsaPieces {
  signerId: Uint8Array;
  essAttribute: Uint8Array;
  signatureAlgorithm: Uint8Array;
  certificates: Uint8Array;
}
const piecesOf = new WeakMap<TsaIdentity, TsaPieces>();
const HASH = 'SHA-256' satisfies HashName;
const DIGEST_ALGORITHM = der(seq(oid(HASH_OID[HASH]), new asn1js.Null()));
const CONTENT_TYPE_ATTRIBUTE = der(seq(oid(OID.contentType), set(oid(OID.tstInfo))));
const INTEGER_1 = der(new asn1js.Integer({ value: 1 }));
const INTEGER_3 = der(new asn1js.Integer({ value: 3 }));

function tsaPieces(tsa: TsaIdentity): TsaPieces {
  let p = piecesOf.get(tsa);
  if (!p) {
    const { issuer, serial } = issuerAndSerialDer(tsa.certificate);
    p = {
      signerId: tlv(0x30, issuer, serial),
      // ESS SigningCertificateV2 { certs { ESSCertIDv2 { certHash, issuerSerial { issuer [4] Name, serial } } } }
      essAttribute: tlv(0x30, der(oid(OID.signingCertificateV2)), tlv(0x31, tlv(0x30, tlv(0x30, tlv(0x30,
        der(octets(digest('SHA-256', tsa.certificate))),
        tlv(0x30, tlv(0x30, tlv(0xa4, issuer)), serial),
      ))))),
      signatureAlgorithm: der(signatureAlgorithmId(keyKindOf(tsa.privateKey), HASH).toSchema()),
      certificates: tlv(0xa0, tsa.certificate, ...tsa.chain),
    };
    piecesOf.set(tsa, p);
  }
  return p;
}

/**
 * Builds and signs a TimeStampToken. Assembled from DER pieces (certificates and names embedded as bytes, the
 * identity's fixed parts encoded once): the demo TSA answers every signature hoso makes.
 */
export async function createTimeStampToken(tsa: TsaIdentity, req: TimeStampRequest, genTime: Date, serial?: Uint8Array): Promise<Uint8Array> {
  const pieces = tsaPieces(tsa);
  const tst: asn1js.AsnType[] = [
    new asn1js.Integer({ value: 1 }),
    oid(req.policy ?? tsa.policy ?? DEMO_TSA_POLICY),
    seq(seq(oid(HASH_OID[req.hash]), new asn1js.Null()), octets(req.imprint)),
    unsignedInteger(serial ?? new Uint8Array(randomBytes(16))),
    genTimeOf(genTime),
    seq(new asn1js.Integer({ value: 1 })), // accuracy: 1 second
  ];
  if (req.nonce) tst.push(unsignedInteger(req.nonce));
  const tstDer = der(seq(...tst));
  // DER orders a SET OF by the encodings of its members.
  const attrs = [
    CONTENT_TYPE_ATTRIBUTE,
    der(seq(oid(OID.signingTime), set(new asn1js.UTCTime({ valueDate: new Date(Math.floor(genTime.getTime() / 1000) * 1000) })))),
    der(seq(oid(OID.messageDigest), set(octets(digest(HASH, tstDer))))),
    pieces.essAttribute,
  ].sort((a, b) => Buffer.compare(a, b));
  const signature = await signInPool(tsa.privateKey, HASH, tlv(0x31, ...attrs));
  const signerInfo = tlv(0x30, INTEGER_1, pieces.signerId, DIGEST_ALGORITHM, tlv(0xa0, ...attrs), pieces.signatureAlgorithm, der(octets(signature)));
  const signedData = tlv(0x30,
    INTEGER_3,
    tlv(0x31, DIGEST_ALGORITHM),
    der(seq(oid(OID.tstInfo), explicit(0, octets(tstDer)))),
    ...(req.certReq ? [pieces.certificates] : []),
    tlv(0x31, signerInfo),
  );
  return tlv(0x30, der(oid(OID.signedData)), tlv(0xa0, signedData));
}

export interface TokenInfo {
  genTime: Date;
  policy: string;
  hash: HashName;
  imprint: Uint8Array;
  nonce: Uint8Array | undefined;
  serialHex: string;
  signerCertificate: Uint8Array | undefined;
  certificates: Uint8Array[];
}

/** Thrown when a TSA answer fails a check; the message names the check. */
export class TimestampCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimestampCheckError';
  }
}

/** The first value of the attribute `id` among signed attributes, or undefined. */
function attrValue(attrs: readonly Node[], id: string): Node | undefined {
  for (const a of attrs) {
    const [type, values] = children(a);
    if (type && values && derOid(type) === id) return children(values)[0];
  }
  return undefined;
}

/** The issuer Name and serial INTEGER of a certificate, read straight from its TBSCertificate. */
function expect(n: Node | undefined, tag: number, what: string): Node {
  if (!n || n.tag !== tag) throw new TimestampCheckError(`token is malformed (${what})`);
  return n;
}

/**
 * Parses a TimeStampToken and checks it cryptographically: eContent type, message digest, the signer's signature,
 * the ESS signing-certificate binding, and that the signer certificate carries the critical timeStamping EKU only.
 * Chain and imprint/nonce checks are the caller's (see `TsaClient`).
 *
 * Read with the validator's DER reader (no object tree): every token hoso signs with is checked at least once, and
 * asn1js made this the costliest step of issuing a result.
 */
export function verifyTimeStampToken(token: Uint8Array, extraCerts: Uint8Array[] = []): TokenInfo {
  try {
    return verifyToken(token, extraCerts);
  } catch (e) {
    if (e instanceof DerError) throw new TimestampCheckError(`token is not valid DER: ${e.message}`);
    throw e;
  }
}

function verifyToken(token: Uint8Array, extraCerts: Uint8Array[]): TokenInfo {
  const ci = children(expect(parseNode(token), 0x30, 'ContentInfo'));
  if (!ci[0] || ci[0].tag !== 0x06 || derOid(ci[0]) !== OID.signedData) throw new TimestampCheckError('token is not CMS SignedData');
  const parts = children(expect(children(expect(ci[1], 0xa0, 'content'))[0], 0x30, 'SignedData'));
  const encap = children(expect(parts[2], 0x30, 'encapContentInfo'));
  if (!encap[0] || encap[0].tag !== 0x06 || derOid(encap[0]) !== OID.tstInfo) throw new TimestampCheckError('token does not hold a TSTInfo');
  const tstDer = derOctets(expectOctets(children(expect(encap[1], 0xa0, 'eContent'))[0]));
  const certificates: Uint8Array[] = [];
  let signerInfos: Node | undefined;
  for (const p of parts.slice(3)) {
    if (p.tag === 0xa0) for (const c of children(p)) certificates.push(raw(c).slice());
    else if (p.tag === 0x31) signerInfos = p;
  }
  const si = signerInfos ? children(signerInfos)[0] : undefined;
  if (!si) throw new TimestampCheckError('token has no SignerInfo');
  const siParts = children(si);
  const sid = children(expect(siParts[1], 0x30, 'signer identifier'));
  const digestAlg = hashOfOid(derOid(expect(children(expect(siParts[2], 0x30, 'digest algorithm'))[0], 0x06, 'digest algorithm')));
  if (!digestAlg || digestAlg === 'SHA-1') throw new TimestampCheckError('token uses an unsupported digest algorithm');
  const signedAttrsNode = siParts[3];
  if (!signedAttrsNode || signedAttrsNode.tag !== 0xa0) throw new TimestampCheckError('token has no signed attributes');
  const attrs = children(signedAttrsNode);
  const signedAttrsDer = asSet(signedAttrsNode); // the signature covers the attributes as an explicit SET
  const sigAlg = derOid(expect(children(expect(siParts[4], 0x30, 'signature algorithm'))[0], 0x06, 'signature algorithm'));
  const signature = content(expect(siParts[5], 0x04, 'signature'));

  const ct = attrValue(attrs, OID.contentType);
  if (!ct || ct.tag !== 0x06 || derOid(ct) !== OID.tstInfo) throw new TimestampCheckError('content-type attribute is not TSTInfo');
  const md = attrValue(attrs, OID.messageDigest);
  if (!md || md.tag !== 0x04 || !bytesEqual(content(md), digest(digestAlg, tstDer))) throw new TimestampCheckError('message-digest attribute does not match the TSTInfo');

  // Signer: by IssuerAndSerialNumber.
  const sidIssuer = hex(raw(expect(sid[0], 0x30, 'signer issuer')));
  const sidSerial = intHex(expect(sid[1], 0x02, 'signer serial'));
  const signer = [...certificates, ...extraCerts].find((c) => {
    try {
      const is = issuerAndSerialDer(c);
      return hex(is.issuer) === sidIssuer && intHex(parseNode(is.serial)) === sidSerial;
    } catch {
      return false;
    }
  });
  if (!signer) throw new TimestampCheckError('TSA certificate not found in the token (ask with certReq or configure it)');
  if (!verifyRaw(publicKeyOf(parseCertificate(signer)), sigAlg, signedAttrsDer, signature)) throw new TimestampCheckError('TSA signature on the token is invalid');
  const ess2 = attrValue(attrs, OID.signingCertificateV2);
  const ess1 = attrValue(attrs, OID.signingCertificate);
  // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), … }: the first ESSCertID names the signer.
  const firstCertId = (ess: Node) => children(expect(children(expect(children(expect(ess, 0x30, 'ESS attribute'))[0], 0x30, 'ESS certs'))[0], 0x30, 'ESS cert id'));
  if (ess2) {
    const first = firstCertId(ess2);
    let h: HashName | 'SHA-1' = 'SHA-256';
    let certHash = first[0];
    if (first[0]?.tag === 0x30) {
      h = hashOfOid(derOid(expect(children(first[0])[0], 0x06, 'ESS hash algorithm'))) ?? 'SHA-256';
      certHash = first[1];
    }
    if (!bytesEqual(content(expect(certHash, 0x04, 'ESS cert hash')), digest(h, signer))) throw new TimestampCheckError('ESS signing-certificate-v2 does not name the TSA certificate');
  } else if (ess1) {
    if (!bytesEqual(content(expect(firstCertId(ess1)[0], 0x04, 'ESS cert hash')), digest('SHA-1', signer))) throw new TimestampCheckError('ESS signing-certificate does not name the TSA certificate');
  } else throw new TimestampCheckError('token has no ESS signing-certificate attribute');
  const info = certificateInfo(signer);
  if (!info.extKeyUsage || info.extKeyUsage.length !== 1 || info.extKeyUsage[0] !== OID.ekuTimeStamping || !info.extKeyUsageCritical) {
    throw new TimestampCheckError('TSA certificate lacks the critical, sole timeStamping extended key usage (RFC 3161 §2.3)');
  }

  // TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime, accuracy?, ordering?, nonce?, … }
  const t = children(expect(parseNode(tstDer), 0x30, 'TSTInfo'));
  const mi = children(expect(t[2], 0x30, 'message imprint'));
  const hash = hashOfOid(derOid(expect(children(expect(mi[0], 0x30, 'imprint algorithm'))[0], 0x06, 'imprint algorithm')));
  if (!hash || hash === 'SHA-1') throw new TimestampCheckError('TSTInfo imprint uses an unsupported hash');
  let nonce: Uint8Array | undefined;
  for (const x of t.slice(5)) if (x.tag === 0x02) nonce = integerContent(x);
  const genTime = derTime(expect(t[4], 0x18, 'genTime'));
  if (genTime < info.notBefore || genTime > info.notAfter) throw new TimestampCheckError('timestamp time is outside the TSA certificate validity');
  return {
    genTime,
    policy: derOid(expect(t[1], 0x06, 'policy')),
    hash,
    imprint: content(expect(mi[1], 0x04, 'imprint')).slice(),
    nonce,
    serialHex: intHex(expect(t[3], 0x02, 'serial number')),
    signerCertificate: signer,
    certificates,
  };
}

function expectOctets(n: Node | undefined): Node {
  if (!n || (n.tag !== 0x04 && n.tag !== 0x24)) throw new TimestampCheckError('token is malformed (eContent)');
  return n;
}

/** INTEGER contents without the sign byte DER adds to a positive value with the top bit set (as integerBytes). */
function integerContent(n: Node): Uint8Array {
  const c = content(n);
  return (c.length > 1 && c[0] === 0 ? c.subarray(1) : c).slice();
}

/** Splits a TimeStampResp into status and token; throws with the TSA's own text on rejection. */
export function parseTimeStampResponse(bytes: Uint8Array): Uint8Array {
  const resp = parseDer(bytes, 'TimeStampResp') as asn1js.Sequence;
  const statusInfo = resp.valueBlock.value[0] as asn1js.Sequence;
  const status = (statusInfo.valueBlock.value[0] as asn1js.Integer).valueBlock.valueDec;
  if (status !== 0 && status !== 1) {
    const textNode = statusInfo.valueBlock.value[1];
    const text = textNode instanceof asn1js.Sequence
      ? textNode.valueBlock.value.map((s) => String((s as asn1js.Utf8String).valueBlock.value)).join(' ')
      : '';
    throw new TimestampCheckError(`TSA rejected the request (status ${status}${text ? `: ${text}` : ''})`);
  }
  const token = resp.valueBlock.value[1];
  if (!token) throw new TimestampCheckError('TSA response holds no token');
  return new Uint8Array(token.valueBeforeDecodeView);
}
