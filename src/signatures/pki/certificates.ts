import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { randomBytes, type KeyObject } from 'node:crypto';
import {
  OID, type HashName, der, digest, explicit, hex, integerBytes, oid, octets, parseDer, seq, toAB, unsignedInteger,
} from './asn1.ts';
import { children, parseDer as parseNode, raw } from '../validation/der.ts';
import { defaultHashFor, keyKindOf, publicKeyInfo, signData, signatureAlgorithmId } from './keys.ts';

/** A distinguished name; strings are written as UTF8String (Vietnamese), the country as PrintableString. */
export interface NameSpec {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  title?: string;
  locality?: string;
  province?: string;
  country?: string;
  serialNumber?: string;
}

export type CertProfile = 'root-ca' | 'intermediate-ca' | 'person' | 'seal' | 'tsa' | 'ocsp';

export interface Issuer {
  certificate: Uint8Array;
  privateKey: KeyObject;
}

export interface IssueOptions {
  profile: CertProfile;
  subject: NameSpec;
  publicKey: KeyObject;
  /** Absent: self-signed with `selfSignKey` (a root). */
  issuer?: Issuer;
  selfSignKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  serialNumber?: Uint8Array;
  hash?: HashName;
  /** CA path length (intermediate CAs default to 0). */
  pathLength?: number;
  crlUrls?: string[];
  ocspUrl?: string;
}

const KU = { digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

function keyUsageBits(bits: number[]): asn1js.BitString {
  const max = Math.max(...bits);
  const len = Math.floor(max / 8) + 1;
  const bytes = new Uint8Array(len);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  return new asn1js.BitString({ valueHex: toAB(bytes), unusedBits: len * 8 - 1 - max });
}

export function buildName(spec: NameSpec): pkijs.RelativeDistinguishedNames {
  const rdn: pkijs.AttributeTypeAndValue[] = [];
  const add = (type: string, value: string | undefined, printable = false): void => {
    if (value === undefined || value === '') return;
    const v = value.normalize('NFC');
    rdn.push(new pkijs.AttributeTypeAndValue({
      type,
      value: printable ? new asn1js.PrintableString({ value: v }) : new asn1js.Utf8String({ value: v }),
    }));
  };
  // Order C, ST, L, O, OU, title, serialNumber, CN: the usual big-endian order, so CN prints last in RFC 4514 reversal.
  add(OID.country, spec.country, true);
  add(OID.province, spec.province);
  add(OID.locality, spec.locality);
  add(OID.organization, spec.organization);
  add(OID.organizationalUnit, spec.organizationalUnit);
  add(OID.title, spec.title);
  add(OID.serialNumber, spec.serialNumber, true);
  add(OID.commonName, spec.commonName);
  return new pkijs.RelativeDistinguishedNames({ typesAndValues: rdn });
}

function ext(id: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID: id, critical, extnValue: toAB(der(value)) });
}

function keyIdOf(publicKey: KeyObject): Uint8Array {
  // RFC 5280 method 1: SHA-1 over the subjectPublicKey BIT STRING contents.
  const spki = publicKeyInfo(publicKey);
  return digest('SHA-1', new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView));
}

// Parsing with pkijs dominates per-signature cost. Certificates are immutable bytes: cache parses per array and,
// for the fresh arrays every CMS/TSA token yields, by content (bounded).
const parsed = new WeakMap<Uint8Array, pkijs.Certificate>();
const byContent = new Map<string, pkijs.Certificate>();
const CONTENT_CACHE = 512;

/** Content key of DER bytes for caches (the bytes themselves, base64). */
export function contentKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Parsed view of a DER certificate (cached; callers must not mutate it). */
export function parseCertificate(certDer: Uint8Array): pkijs.Certificate {
  let c = parsed.get(certDer);
  if (c) return c;
  const key = contentKey(certDer);
  c = byContent.get(key);
  if (!c) {
    c = new pkijs.Certificate({ schema: parseDer(certDer, 'certificate') });
    if (byContent.size >= CONTENT_CACHE) byContent.delete(byContent.keys().next().value!);
    byContent.set(key, c);
  }
  parsed.set(certDer, c);
  return c;
}

/** Issues an X.509 v3 certificate for one of hoso's profiles, signed with node:crypto. */
export function issueCertificate(o: IssueOptions): Uint8Array {
  const signerKey = o.issuer?.privateKey ?? o.selfSignKey;
  if (!signerKey) throw new Error('issueCertificate: issuer or selfSignKey is required');
  const hash = o.hash ?? defaultHashFor(signerKey);
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = unsignedInteger(o.serialNumber ?? randomSerial());
  const subject = buildName(o.subject);
  cert.subject = subject;
  let issuerCert: pkijs.Certificate | undefined;
  if (o.issuer) {
    issuerCert = parseCertificate(o.issuer.certificate);
    cert.issuer = issuerCert.subject;
  } else cert.issuer = buildName(o.subject);
  cert.notBefore = new pkijs.Time({ type: 0, value: o.notBefore });
  cert.notAfter = new pkijs.Time({ type: o.notAfter.getUTCFullYear() >= 2050 ? 1 : 0, value: o.notAfter });
  cert.subjectPublicKeyInfo = publicKeyInfo(o.publicKey);

  const ski = keyIdOf(o.publicKey);
  const aki = issuerCert
    ? digest('SHA-1', new Uint8Array(issuerCert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView))
    : ski;
  const exts: pkijs.Extension[] = [];
  const isCa = o.profile === 'root-ca' || o.profile === 'intermediate-ca';
  if (isCa) {
    const bc: asn1js.AsnType[] = [new asn1js.Boolean({ value: true })];
    const pathLen = o.profile === 'intermediate-ca' ? (o.pathLength ?? 0) : o.pathLength;
    if (pathLen !== undefined) bc.push(new asn1js.Integer({ value: pathLen }));
    exts.push(ext(OID.basicConstraints, true, seq(...bc)));
    exts.push(ext(OID.keyUsage, true, keyUsageBits([KU.digitalSignature, KU.keyCertSign, KU.cRLSign])));
  } else {
    exts.push(ext(OID.basicConstraints, true, seq()));
    const ku = o.profile === 'person' || o.profile === 'seal'
      ? [KU.digitalSignature, KU.nonRepudiation]
      : [KU.digitalSignature];
    exts.push(ext(OID.keyUsage, true, keyUsageBits(ku)));
    if (o.profile === 'tsa') {
      exts.push(ext(OID.extKeyUsage, true, seq(oid(OID.ekuTimeStamping))));
    } else if (o.profile === 'ocsp') {
      exts.push(ext(OID.extKeyUsage, false, seq(oid(OID.ekuOcspSigning))));
      exts.push(ext(OID.ocspNoCheck, false, new asn1js.Null()));
    } else {
      // emailProtection keeps NSS (pdfsig) happy; document-signing EKUs tell readers what the key is for.
      exts.push(ext(OID.extKeyUsage, false, seq(
        oid(OID.ekuEmailProtection), oid(OID.ekuMsDocumentSigning), oid(OID.ekuAdobeAuthenticDocuments),
      )));
    }
  }
  exts.push(ext(OID.subjectKeyIdentifier, false, octets(ski)));
  exts.push(ext(OID.authorityKeyIdentifier, false, seq(
    new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: toAB(aki) }),
  )));
  if (o.crlUrls?.length) {
    const points = o.crlUrls.map((u) => seq(
      // DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames { [6] URI } } }
      explicit(0, new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 6 }, valueHex: toAB(Buffer.from(u, 'ascii')) })],
      })),
    ));
    exts.push(ext(OID.crlDistributionPoints, false, seq(...points)));
  }
  if (o.ocspUrl) {
    exts.push(ext(OID.authorityInfoAccess, false, seq(seq(
      oid(OID.ocspAccess),
      new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 6 }, valueHex: toAB(Buffer.from(o.ocspUrl, 'ascii')) }),
    ))));
  }
  cert.extensions = exts;

  const algId = signatureAlgorithmId(keyKindOf(signerKey), hash);
  cert.signature = algId;
  cert.signatureAlgorithm = algId;
  cert.tbsView = new Uint8Array(cert.encodeTBS().toBER(false));
  cert.signatureValue = new asn1js.BitString({ valueHex: toAB(signData(signerKey, hash, cert.tbsView)) });
  return der(cert.toSchema(false));
}

export function randomSerial(): Uint8Array {
  const b = new Uint8Array(randomBytes(16));
  b[0] = (b[0]! & 0x7f) | 0x01; // positive, never a leading zero byte
  return b;
}

/** Facts about a certificate that the signers and the TSA client check. */
export interface CertificateInfo {
  subject: string;
  commonName: string | undefined;
  organization: string | undefined;
  issuer: string;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** Key usage bit names present, or undefined when the extension is absent. */
  keyUsage: string[] | undefined;
  extKeyUsage: string[] | undefined;
  extKeyUsageCritical: boolean;
  subjectKeyId: string | undefined;
  authorityKeyId: string | undefined;
  crlUrls: string[];
  ocspUrls: string[];
  keyKind: 'RSA' | 'EC' | 'other';
  keyBits: number | undefined;
}

const ATTR_NAME: Record<string, string> = {
  [OID.commonName]: 'CN', [OID.organization]: 'O', [OID.organizationalUnit]: 'OU', [OID.locality]: 'L',
  [OID.province]: 'ST', [OID.country]: 'C', [OID.serialNumber]: 'serialNumber', [OID.title]: 'T',
};

export function nameToString(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${ATTR_NAME[tv.type] ?? tv.type}=${String((tv.value as { valueBlock: { value: unknown } }).valueBlock.value)}`)
    .reverse()
    .join(', ');
}

export function nameAttribute(name: pkijs.RelativeDistinguishedNames, type: string): string | undefined {
  const tv = name.typesAndValues.find((t) => t.type === type);
  return tv ? String((tv.value as { valueBlock: { value: unknown } }).valueBlock.value) : undefined;
}

const KU_NAMES = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

function uris(node: asn1js.AsnType | undefined, out: string[]): void {
  if (!node) return;
  const id = node.idBlock;
  if (id.tagClass === 3 && id.tagNumber === 6 && !id.isConstructed) {
    out.push(Buffer.from((node as asn1js.Primitive).valueBlock.valueHexView).toString('ascii'));
    return;
  }
  const inner = (node as asn1js.Constructed).valueBlock as { value?: unknown };
  if (Array.isArray(inner.value)) for (const c of inner.value as asn1js.AsnType[]) uris(c, out);
}

const infos = new WeakMap<pkijs.Certificate, CertificateInfo>();

export function certificateInfo(certDer: Uint8Array): CertificateInfo {
  const parsedCert = parseCertificate(certDer);
  let info = infos.get(parsedCert);
  if (!info) {
    info = computeInfo(certDer);
    infos.set(parsedCert, info);
  }
  return { ...info };
}

function computeInfo(certDer: Uint8Array): CertificateInfo {
  const c = parseCertificate(certDer);
  const info: CertificateInfo = {
    subject: nameToString(c.subject),
    commonName: nameAttribute(c.subject, OID.commonName),
    organization: nameAttribute(c.subject, OID.organization),
    issuer: nameToString(c.issuer),
    serialHex: hex(integerBytes(c.serialNumber)),
    notBefore: c.notBefore.value,
    notAfter: c.notAfter.value,
    isCa: false,
    keyUsage: undefined,
    extKeyUsage: undefined,
    extKeyUsageCritical: false,
    subjectKeyId: undefined,
    authorityKeyId: undefined,
    crlUrls: [],
    ocspUrls: [],
    keyKind: 'other',
    keyBits: undefined,
  };
  const alg = c.subjectPublicKeyInfo.algorithm.algorithmId;
  if (alg === OID.rsaEncryption) {
    info.keyKind = 'RSA';
    const rsa = parseDer(new Uint8Array(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)) as asn1js.Sequence;
    const mod = integerBytes(rsa.valueBlock.value[0] as asn1js.Integer);
    info.keyBits = mod.length * 8;
  } else if (alg === OID.ecPublicKey) {
    info.keyKind = 'EC';
    const curve = (c.subjectPublicKeyInfo.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined)?.valueBlock.toString();
    info.keyBits = curve === '1.3.132.0.34' ? 384 : curve === '1.2.840.10045.3.1.7' ? 256 : curve === '1.3.132.0.35' ? 521 : undefined;
  }
  for (const e of c.extensions ?? []) {
    const v = parseDer(new Uint8Array(e.extnValue.valueBlock.valueHexView), `extension ${e.extnID}`);
    switch (e.extnID) {
      case OID.basicConstraints: {
        const first = (v as asn1js.Sequence).valueBlock.value[0];
        info.isCa = first instanceof asn1js.Boolean && first.valueBlock.value;
        break;
      }
      case OID.keyUsage: {
        const bs = v as asn1js.BitString;
        const bytes = new Uint8Array(bs.valueBlock.valueHexView);
        info.keyUsage = KU_NAMES.filter((_, i) => ((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
        break;
      }
      case OID.extKeyUsage:
        info.extKeyUsage = (v as asn1js.Sequence).valueBlock.value.map((x) => (x as asn1js.ObjectIdentifier).valueBlock.toString());
        info.extKeyUsageCritical = e.critical;
        break;
      case OID.subjectKeyIdentifier:
        info.subjectKeyId = hex(new Uint8Array((v as asn1js.OctetString).valueBlock.valueHexView));
        break;
      case OID.authorityKeyIdentifier: {
        const k = (v as asn1js.Sequence).valueBlock.value.find((x) => x.idBlock.tagClass === 3 && x.idBlock.tagNumber === 0);
        if (k) info.authorityKeyId = hex(new Uint8Array((k as asn1js.Primitive).valueBlock.valueHexView));
        break;
      }
      case OID.crlDistributionPoints:
        uris(v, info.crlUrls);
        break;
      case OID.authorityInfoAccess:
        for (const ad of (v as asn1js.Sequence).valueBlock.value as asn1js.Sequence[]) {
          const [method, loc] = ad.valueBlock.value;
          if ((method as asn1js.ObjectIdentifier).valueBlock.toString() === OID.ocspAccess) uris(loc, info.ocspUrls);
        }
        break;
      default:
        break;
    }
  }
  return info;
}

const names = new WeakMap<pkijs.Certificate, { subject: Uint8Array; issuer: Uint8Array }>();
function namesOf(certDer: Uint8Array): { subject: Uint8Array; issuer: Uint8Array } {
  const c = parseCertificate(certDer);
  let n = names.get(c);
  if (!n) {
    // Encoded once per certificate: issuer look-ups compare names for every certificate of every chain.
    n = { subject: der(c.subject.toSchema()), issuer: der(c.issuer.toSchema()) };
    names.set(c, n);
  }
  return n;
}

/** DER of the subject / issuer Name (chain building, CRL and OCSP matching, ESS IssuerSerial); do not mutate. */
export function subjectNameDer(certDer: Uint8Array): Uint8Array {
  return namesOf(certDer).subject;
}

export function issuerNameDer(certDer: Uint8Array): Uint8Array {
  return namesOf(certDer).issuer;
}

const issuerSerials = new WeakMap<pkijs.Certificate, { issuer: Uint8Array; serial: Uint8Array }>();

/**
 * The issuer Name and serial INTEGER exactly as the certificate encodes them (CMS IssuerAndSerialNumber, ESS
 * IssuerSerial), read from the bytes so a re-encoding can never differ from what a verifier compares.
 */
export function issuerAndSerialDer(certDer: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  const c = parseCertificate(certDer);
  let r = issuerSerials.get(c);
  if (!r) {
    const tbs = children(children(parseNode(certDer))[0]!);
    const v = tbs[0]?.tag === 0xa0 ? 1 : 0; // explicit version
    if (tbs[v]?.tag !== 0x02 || tbs[v + 2]?.tag !== 0x30) throw new Error('not a certificate');
    r = { serial: raw(tbs[v]!), issuer: raw(tbs[v + 2]!) };
    issuerSerials.set(c, r);
  }
  return r;
}

export function serialNumberBytes(certDer: Uint8Array): Uint8Array {
  return integerBytes(parseCertificate(certDer).serialNumber);
}
