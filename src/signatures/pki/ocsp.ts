import * as asn1js from 'asn1js';
import {
  OID, type HashName, bytesEqual, der, digest, explicit, hex, integerBytes, oid, octets, parseDer, seq, toAB, unsignedInteger,
} from './asn1.ts';
import { parseCertificate, serialNumberBytes, subjectNameDer, type Issuer } from './certificates.ts';
import { defaultHashFor, keyKindOf, signData, signatureAlgorithmId } from './keys.ts';
import { publicKeyOf, verifyRaw } from './verify.ts';

export type OcspCertStatus = 'good' | 'revoked' | 'unknown';

function seconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

function genTime(d: Date): asn1js.GeneralizedTime {
  return new asn1js.GeneralizedTime({ valueDate: seconds(d) });
}

/** CertID (SHA-1, as every OCSP client expects by default) for `certDer` issued by `issuerDer`. */
export function certId(certDer: Uint8Array, issuerDer: Uint8Array): asn1js.Sequence {
  return certIdForSerial(serialNumberBytes(certDer), issuerDer);
}

export function certIdForSerial(serial: Uint8Array, issuerDer: Uint8Array): asn1js.Sequence {
  const issuer = parseCertificate(issuerDer);
  return seq(
    seq(oid(OID.sha1), new asn1js.Null()),
    octets(digest('SHA-1', subjectNameDer(issuerDer))),
    octets(digest('SHA-1', new Uint8Array(issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView))),
    unsignedInteger(serial),
  );
}

export function createOcspRequest(certDer: Uint8Array, issuerDer: Uint8Array, nonce?: Uint8Array): Uint8Array {
  const tbs: asn1js.AsnType[] = [seq(seq(certId(certDer, issuerDer)))];
  if (nonce) tbs.push(explicit(2, seq(seq(oid(OID.ocspNonce), octets(der(octets(nonce)))))));
  return der(seq(seq(...tbs)));
}

export interface OcspRequestInfo {
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  serialHex: string;
  nonce: Uint8Array | undefined;
}

export function parseOcspRequest(reqDer: Uint8Array): OcspRequestInfo {
  const req = parseDer(reqDer, 'OCSP request') as asn1js.Sequence;
  const tbs = req.valueBlock.value[0] as asn1js.Sequence;
  const parts = tbs.valueBlock.value;
  const list = parts.find((p) => p.idBlock.tagClass === 1 && p.idBlock.tagNumber === 16) as asn1js.Sequence;
  const first = (list.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const [, nameHash, keyHash, serial] = first.valueBlock.value;
  let nonce: Uint8Array | undefined;
  const extsTagged = parts.find((p) => p.idBlock.tagClass === 3 && p.idBlock.tagNumber === 2) as asn1js.Constructed | undefined;
  if (extsTagged) {
    for (const e of (extsTagged.valueBlock.value[0] as asn1js.Sequence).valueBlock.value as asn1js.Sequence[]) {
      const [id, ...rest] = e.valueBlock.value;
      if ((id as asn1js.ObjectIdentifier).valueBlock.toString() === OID.ocspNonce) {
        const val = rest[rest.length - 1] as asn1js.OctetString;
        const inner = new Uint8Array(val.valueBlock.valueHexView);
        try {
          nonce = new Uint8Array((parseDer(inner) as asn1js.OctetString).valueBlock.valueHexView);
        } catch {
          nonce = inner;
        }
      }
    }
  }
  return {
    issuerNameHash: new Uint8Array((nameHash as asn1js.OctetString).valueBlock.valueHexView),
    issuerKeyHash: new Uint8Array((keyHash as asn1js.OctetString).valueBlock.valueHexView),
    serialHex: hex(integerBytes(serial as asn1js.Integer)),
    nonce,
  };
}

/** A signed, successful OCSP response about one certificate. */
export function createOcspResponse(o: {
  responder: Issuer;
  /** The certificate asked about, or only its serial number (an OCSP server answering a request). */
  certificate?: Uint8Array;
  serial?: Uint8Array;
  issuerCertificate: Uint8Array;
  status: OcspCertStatus;
  revocationTime?: Date;
  producedAt: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
  nonce?: Uint8Array;
  hash?: HashName;
}): Uint8Array {
  const responderCert = parseCertificate(o.responder.certificate);
  const responderKeyHash = digest('SHA-1', new Uint8Array(responderCert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView));
  let certStatus: asn1js.AsnType;
  if (o.status === 'good') certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
  else if (o.status === 'unknown') certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
  else {
    certStatus = new asn1js.Constructed({
      idBlock: { tagClass: 3, tagNumber: 1 },
      value: [genTime(o.revocationTime ?? o.thisUpdate)],
    });
  }
  const serial = o.serial ?? (o.certificate ? serialNumberBytes(o.certificate) : undefined);
  if (!serial) throw new Error('createOcspResponse: certificate or serial is required');
  const single: asn1js.AsnType[] = [certIdForSerial(serial, o.issuerCertificate), certStatus, genTime(o.thisUpdate)];
  if (o.nextUpdate) single.push(explicit(0, genTime(o.nextUpdate)));
  const rd: asn1js.AsnType[] = [explicit(2, octets(responderKeyHash)), genTime(o.producedAt), seq(seq(...single))];
  if (o.nonce) rd.push(explicit(1, seq(seq(oid(OID.ocspNonce), octets(der(octets(o.nonce)))))));
  const tbs = der(seq(...rd));
  const hash = o.hash ?? defaultHashFor(o.responder.privateKey);
  const algId = signatureAlgorithmId(keyKindOf(o.responder.privateKey), hash);
  const basic = seq(
    parseDer(tbs),
    algId.toSchema(),
    new asn1js.BitString({ valueHex: toAB(signData(o.responder.privateKey, hash, tbs)) }),
    explicit(0, seq(parseDer(o.responder.certificate))),
  );
  return der(seq(
    new asn1js.Enumerated({ value: 0 }),
    explicit(0, seq(oid(OID.ocspBasic), octets(der(basic)))),
  ));
}

/** An unsuccessful OCSP response (e.g. 1 malformedRequest, 6 unauthorized). */
export function createOcspError(status: number): Uint8Array {
  return der(seq(new asn1js.Enumerated({ value: status })));
}

export interface OcspResponseInfo {
  responseStatus: number;
  certStatus: OcspCertStatus | undefined;
  serialHex: string | undefined;
  revocationTime: Date | undefined;
  producedAt: Date | undefined;
  thisUpdate: Date | undefined;
  nextUpdate: Date | undefined;
  nonce: Uint8Array | undefined;
  certificates: Uint8Array[];
  /** Checks the response signature with a candidate responder certificate. */
  signedBy(certDer: Uint8Array): boolean;
}

export function parseOcspResponse(respDer: Uint8Array): OcspResponseInfo {
  const resp = parseDer(respDer, 'OCSP response') as asn1js.Sequence;
  const responseStatus = (resp.valueBlock.value[0] as asn1js.Enumerated).valueBlock.valueDec;
  const info: OcspResponseInfo = {
    responseStatus, certStatus: undefined, serialHex: undefined, revocationTime: undefined, producedAt: undefined,
    thisUpdate: undefined, nextUpdate: undefined, nonce: undefined, certificates: [], signedBy: () => false,
  };
  if (responseStatus !== 0) return info;
  const bytes = (resp.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  const basicDer = new Uint8Array((bytes.valueBlock.value[1] as asn1js.OctetString).valueBlock.valueHexView);
  const basic = parseDer(basicDer, 'BasicOCSPResponse') as asn1js.Sequence;
  const [tbsNode, algNode, sigNode, certsNode] = basic.valueBlock.value;
  const tbsDer = new Uint8Array(tbsNode!.valueBeforeDecodeView);
  const algId = ((algNode as asn1js.Sequence).valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
  const sig = new Uint8Array((sigNode as asn1js.BitString).valueBlock.valueHexView);
  if (certsNode) {
    for (const c of ((certsNode as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence).valueBlock.value) {
      info.certificates.push(new Uint8Array(c.valueBeforeDecodeView));
    }
  }
  info.signedBy = (certDer) => verifyRaw(publicKeyOf(parseCertificate(certDer)), algId, tbsDer, sig);
  const parts = (tbsNode as asn1js.Sequence).valueBlock.value;
  const produced = parts.find((p) => p instanceof asn1js.GeneralizedTime) as asn1js.GeneralizedTime | undefined;
  info.producedAt = produced?.toDate();
  const responses = parts.find((p) => p.idBlock.tagClass === 1 && p.idBlock.tagNumber === 16) as asn1js.Sequence;
  const single = responses.valueBlock.value[0] as asn1js.Sequence;
  const [cid, status, thisUpd, ...more] = single.valueBlock.value;
  info.serialHex = hex(integerBytes((cid as asn1js.Sequence).valueBlock.value[3] as asn1js.Integer));
  const tag = status!.idBlock.tagNumber;
  info.certStatus = tag === 0 ? 'good' : tag === 1 ? 'revoked' : 'unknown';
  if (tag === 1) {
    const inner = (status as asn1js.Constructed).valueBlock.value[0] as asn1js.GeneralizedTime | undefined;
    info.revocationTime = inner?.toDate();
  }
  info.thisUpdate = (thisUpd as asn1js.GeneralizedTime).toDate();
  const nu = more.find((m) => m.idBlock.tagClass === 3 && m.idBlock.tagNumber === 0) as asn1js.Constructed | undefined;
  if (nu) info.nextUpdate = (nu.valueBlock.value[0] as asn1js.GeneralizedTime).toDate();
  const extTagged = parts.find((p) => p.idBlock.tagClass === 3 && p.idBlock.tagNumber === 1) as asn1js.Constructed | undefined;
  if (extTagged) {
    for (const e of (extTagged.valueBlock.value[0] as asn1js.Sequence).valueBlock.value as asn1js.Sequence[]) {
      const [id, ...rest] = e.valueBlock.value;
      if ((id as asn1js.ObjectIdentifier).valueBlock.toString() === OID.ocspNonce) {
        const inner = new Uint8Array((rest[rest.length - 1] as asn1js.OctetString).valueBlock.valueHexView);
        try { info.nonce = new Uint8Array((parseDer(inner) as asn1js.OctetString).valueBlock.valueHexView); } catch { info.nonce = inner; }
      }
    }
  }
  return info;
}

/** True when a CertID's issuer hashes match `issuerDer` (for OCSP servers answering requests). */
export function requestMatchesIssuer(req: OcspRequestInfo, issuerDer: Uint8Array): boolean {
  const issuer = parseCertificate(issuerDer);
  return bytesEqual(req.issuerNameHash, digest('SHA-1', subjectNameDer(issuerDer)))
    && bytesEqual(req.issuerKeyHash, digest('SHA-1', new Uint8Array(issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)));
}
