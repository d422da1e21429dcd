import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  OID, type HashName, der, hex, integerBytes, parseDer, toAB, unsignedInteger,
} from './asn1.ts';
import { contentKey, parseCertificate, subjectNameDer, type Issuer } from './certificates.ts';
import { createHash } from 'node:crypto';
import { defaultHashFor, keyKindOf, signData, signatureAlgorithmId } from './keys.ts';
import { publicKeyOf, verifyRaw } from './verify.ts';

export interface RevokedEntry {
  /** Serial number bytes (magnitude). */
  serial: Uint8Array;
  date: Date;
  /** RFC 5280 CRLReason code (1 keyCompromise, 4 superseded, 5 cessationOfOperation…). */
  reason?: number;
}

export function createCrl(o: {
  issuer: Issuer;
  revoked: RevokedEntry[];
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
  hash?: HashName;
}): Uint8Array {
  const issuerCert = parseCertificate(o.issuer.certificate);
  const hash = o.hash ?? defaultHashFor(o.issuer.privateKey);
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = issuerCert.subject;
  crl.thisUpdate = new pkijs.Time({ type: 0, value: o.thisUpdate });
  crl.nextUpdate = new pkijs.Time({ type: 0, value: o.nextUpdate });
  if (o.revoked.length) {
    crl.revokedCertificates = o.revoked.map((r) => new pkijs.RevokedCertificate({
      userCertificate: unsignedInteger(r.serial),
      revocationDate: new pkijs.Time({ type: 0, value: r.date }),
      ...(r.reason !== undefined
        ? {
            crlEntryExtensions: new pkijs.Extensions({
              extensions: [new pkijs.Extension({
                extnID: OID.crlReason, critical: false,
                extnValue: toAB(der(new asn1js.Enumerated({ value: r.reason }))),
              })],
            }),
          }
        : {}),
    }));
  }
  const ski = issuerCert.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  const exts: pkijs.Extension[] = [
    new pkijs.Extension({ extnID: OID.crlNumber, critical: false, extnValue: toAB(der(new asn1js.Integer({ value: o.crlNumber }))) }),
  ];
  if (ski) {
    const keyId = new Uint8Array((parseDer(new Uint8Array(ski.extnValue.valueBlock.valueHexView)) as asn1js.OctetString).valueBlock.valueHexView);
    exts.push(new pkijs.Extension({
      extnID: OID.authorityKeyIdentifier, critical: false,
      extnValue: toAB(der(new asn1js.Sequence({ value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: toAB(keyId) })] }))),
    }));
  }
  crl.crlExtensions = new pkijs.Extensions({ extensions: exts });
  const algId = signatureAlgorithmId(keyKindOf(o.issuer.privateKey), hash);
  crl.signature = algId;
  crl.signatureAlgorithm = algId;
  // encodeTBS is protected in the typings but is the documented way to obtain the TBS for external signing.
  crl.tbsView = new Uint8Array((crl as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER(false));
  crl.signatureValue = new asn1js.BitString({ valueHex: toAB(signData(o.issuer.privateKey, hash, crl.tbsView)) });
  return der(crl.toSchema(false));
}

export interface CrlInfo {
  issuerDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  /** serial hex → revocation date */
  revoked: Map<string, Date>;
}

/**
 * Parsed CRLs by content (sha256 of the DER): signing and validation ask about the same few CRLs over and over,
 * and a CRL can be megabytes. Bounded; entries are read-only.
 */
const CRL_CACHE = 64;
const crls = new Map<string, { crl: pkijs.CertificateRevocationList; info: CrlInfo; signedBy: Map<string, boolean> }>();

function parsedCrl(crlDer: Uint8Array) {
  const key = createHash('sha256').update(crlDer).digest('hex');
  let entry = crls.get(key);
  if (!entry) {
    const crl = new pkijs.CertificateRevocationList({ schema: parseDer(crlDer, 'CRL') });
    const revoked = new Map<string, Date>();
    for (const r of crl.revokedCertificates ?? []) revoked.set(hex(integerBytes(r.userCertificate)), r.revocationDate.value);
    const info: CrlInfo = { issuerDer: der(crl.issuer.toSchema()), thisUpdate: crl.thisUpdate.value, nextUpdate: crl.nextUpdate?.value, revoked };
    entry = { crl, info, signedBy: new Map() };
    if (crls.size >= CRL_CACHE) crls.delete(crls.keys().next().value!);
    crls.set(key, entry);
  }
  return entry;
}

/** The CRL's issuer, dates and revoked serials (cached by content; do not mutate). */
export function parseCrl(crlDer: Uint8Array): CrlInfo {
  return parsedCrl(crlDer).info;
}

/** True when the CRL is signed by `issuerDer` and names it as issuer. */
export function verifyCrlSignature(crlDer: Uint8Array, issuerDer: Uint8Array): boolean {
  const entry = parsedCrl(crlDer);
  const issuerKey = contentKey(issuerDer);
  const hit = entry.signedBy.get(issuerKey);
  if (hit !== undefined) return hit;
  const { crl } = entry;
  const issuer = parseCertificate(issuerDer);
  const ok =
    Buffer.compare(Buffer.from(der(crl.issuer.toSchema())), Buffer.from(subjectNameDer(issuerDer))) === 0 &&
    verifyRaw(publicKeyOf(issuer), crl.signatureAlgorithm.algorithmId, crl.tbsView, new Uint8Array(crl.signatureValue.valueBlock.valueHexView));
  entry.signedBy.set(issuerKey, ok);
  return ok;
}
