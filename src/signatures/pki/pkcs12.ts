import * as asn1js from 'asn1js';
import {
  createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, pbkdf2Sync, randomBytes, timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { OID, bytesEqual, der, digest, explicit, hashOfOid, nodeHash, oid, octets, parseDer, seq, set, toAB } from './asn1.ts';
import { parseCertificate } from './certificates.ts';

/** Wrong password or a damaged file: the caller shows this message as is. */
export class Pkcs12Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Pkcs12Error';
  }
}

function bmpPassword(password: string): Uint8Array {
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return new Uint8Array(out);
}

/** RFC 7292 appendix B.2 key derivation (MAC keys and the legacy PBE schemes). */
export function pkcs12Kdf(hash: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512', id: 1 | 2 | 3, password: string, salt: Uint8Array, iterations: number, n: number): Uint8Array {
  const u = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[hash];
  const v = hash === 'SHA-384' || hash === 'SHA-512' ? 128 : 64;
  const pw = bmpPassword(password);
  const fill = (src: Uint8Array): Uint8Array => {
    if (!src.length) return new Uint8Array(0);
    const len = v * Math.ceil(src.length / v);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const I = Buffer.concat([fill(salt), fill(pw)]);
  const D = Buffer.alloc(v, id);
  const out: Buffer[] = [];
  let produced = 0;
  while (produced < n) {
    let A = createHash(nodeHash(hash)).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(nodeHash(hash)).update(A).digest();
    out.push(A);
    produced += A.length;
    if (produced >= n) break;
    const B = Buffer.alloc(v);
    for (let i = 0; i < v; i++) B[i] = A[i % u]!;
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return new Uint8Array(Buffer.concat(out).subarray(0, n));
}

function bag(bagId: string, value: asn1js.AsnType, attrs: asn1js.AsnType[]): asn1js.Sequence {
  return seq(oid(bagId), explicit(0, value), set(...attrs));
}

function dataContentInfo(content: Uint8Array): asn1js.Sequence {
  return seq(oid(OID.data), explicit(0, octets(content)));
}

/**
 * Writes a PKCS#12 file: the key as a PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) shrouded key bag, the certificates
 * unencrypted, and an HMAC-SHA256 integrity MAC — the layout OpenSSL 3 reads and `@libpdf/core`'s P12Signer loads.
 */
export function writePkcs12(o: {
  privateKey: KeyObject;
  certificate: Uint8Array;
  chain?: Uint8Array[];
  password: string;
  friendlyName?: string;
  iterations?: number;
}): Uint8Array {
  const iterations = o.iterations ?? 2048;
  const localKeyId = digest('SHA-1', o.certificate);
  const keyIdAttr = seq(oid(OID.localKeyId), set(octets(localKeyId)));
  const attrs: asn1js.AsnType[] = [keyIdAttr];
  if (o.friendlyName) attrs.push(seq(oid(OID.friendlyName), set(new asn1js.BmpString({ value: o.friendlyName }))));
  const epki = new Uint8Array(o.privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: o.password }));
  const keySafe = der(seq(bag(OID.pkcs8ShroudedKeyBag, parseDer(epki), attrs)));
  const certBags = [o.certificate, ...(o.chain ?? [])].map((c, i) =>
    bag(OID.certBag, seq(oid(OID.x509CertType), explicit(0, octets(c))), i === 0 ? attrs : []),
  );
  const certSafe = der(seq(...certBags));
  const authSafe = der(seq(dataContentInfo(certSafe), dataContentInfo(keySafe)));
  const salt = new Uint8Array(randomBytes(16));
  const macKey = pkcs12Kdf('SHA-256', 3, o.password, salt, iterations, 32);
  const mac = new Uint8Array(createHmac('sha256', macKey).update(authSafe).digest());
  return der(seq(
    new asn1js.Integer({ value: 3 }),
    dataContentInfo(authSafe),
    seq(seq(seq(oid(OID.sha256), new asn1js.Null()), octets(mac)), octets(salt), new asn1js.Integer({ value: iterations })),
  ));
}

export interface Pkcs12Contents {
  privateKey: KeyObject;
  certificate: Uint8Array;
  /** Other certificates in the file, issuer order where it can be determined. */
  chain: Uint8Array[];
}

function octetValue(node: asn1js.AsnType): Uint8Array {
  // Content may be a constructed (BER) OCTET STRING from other producers; asn1js joins it in valueHexView when primitive.
  const os = node as asn1js.OctetString;
  if (os.valueBlock.isConstructed) {
    return new Uint8Array(Buffer.concat((os.valueBlock.value as asn1js.OctetString[]).map((p) => Buffer.from(octetValue(p)))));
  }
  return new Uint8Array(os.valueBlock.valueHexView);
}

function decryptEncryptedData(encData: asn1js.Sequence, password: string): Uint8Array {
  const eci = encData.valueBlock.value[1] as asn1js.Sequence;
  const alg = eci.valueBlock.value[1] as asn1js.Sequence;
  const algOid = (alg.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
  const encNode = eci.valueBlock.value[2]!;
  const ciphertext = encNode.idBlock.isConstructed
    ? new Uint8Array(Buffer.concat(((encNode as asn1js.Constructed).valueBlock.value).map((p) => Buffer.from(octetValue(p)))))
    : new Uint8Array((encNode as asn1js.Primitive).valueBlock.valueHexView);
  if (algOid === OID.pbes2) {
    const params = alg.valueBlock.value[1] as asn1js.Sequence;
    const [kdf, enc] = params.valueBlock.value as asn1js.Sequence[];
    const kdfParams = kdf!.valueBlock.value[1] as asn1js.Sequence;
    const [saltN, iterN, ...rest] = kdfParams.valueBlock.value;
    let prf = 'sha1';
    for (const r of rest) {
      if (r instanceof asn1js.Sequence) {
        const p = (r.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
        prf = p === OID.hmacWithSHA256 ? 'sha256' : p === '1.2.840.113549.2.10' ? 'sha384' : p === '1.2.840.113549.2.11' ? 'sha512' : 'sha1';
      }
    }
    const encOid = (enc!.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
    const iv = new Uint8Array((enc!.valueBlock.value[1] as asn1js.OctetString).valueBlock.valueHexView);
    const cipher = encOid === OID.aes256Cbc ? 'aes-256-cbc' : encOid === OID.aes128Cbc ? 'aes-128-cbc' : encOid === '2.16.840.1.101.3.4.1.22' ? 'aes-192-cbc' : undefined;
    if (!cipher) throw new Pkcs12Error(`unsupported PKCS#12 cipher ${encOid}`);
    const keyLen = cipher === 'aes-256-cbc' ? 32 : cipher === 'aes-192-cbc' ? 24 : 16;
    const key = pbkdf2Sync(Buffer.from(password, 'utf8'), octetValue(saltN!), (iterN as asn1js.Integer).valueBlock.valueDec, keyLen, prf);
    const d = createDecipheriv(cipher, key, iv);
    return new Uint8Array(Buffer.concat([d.update(ciphertext), d.final()]));
  }
  if (algOid === OID.pbeWithSHAAnd3KeyTripleDESCBC) {
    const params = alg.valueBlock.value[1] as asn1js.Sequence;
    const salt = octetValue(params.valueBlock.value[0]!);
    const iter = (params.valueBlock.value[1] as asn1js.Integer).valueBlock.valueDec;
    const key = pkcs12Kdf('SHA-1', 1, password, salt, iter, 24);
    const iv = pkcs12Kdf('SHA-1', 2, password, salt, iter, 8);
    const d = createDecipheriv('des-ede3-cbc', key, iv);
    return new Uint8Array(Buffer.concat([d.update(ciphertext), d.final()]));
  }
  throw new Pkcs12Error(`unsupported PKCS#12 encryption ${algOid} (re-export the file with AES or 3DES)`);
}

/** Reads a PKCS#12 file; checks its MAC first so that a wrong password is reported as such. */
export function readPkcs12(bytes: Uint8Array, password: string): Pkcs12Contents {
  let pfx: asn1js.Sequence;
  try {
    pfx = parseDer(bytes, 'PKCS#12') as asn1js.Sequence;
  } catch {
    throw new Pkcs12Error('not a PKCS#12 file');
  }
  const [, authCi, macData] = pfx.valueBlock.value as asn1js.Sequence[];
  if (!authCi) throw new Pkcs12Error('not a PKCS#12 file');
  const authSafe = octetValue((authCi.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0]!);
  if (macData) {
    const digestInfo = macData.valueBlock.value[0] as asn1js.Sequence;
    const macAlg = hashOfOid(((digestInfo.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString());
    if (!macAlg) throw new Pkcs12Error('unsupported PKCS#12 MAC algorithm');
    const expected = octetValue(digestInfo.valueBlock.value[1]!);
    const salt = octetValue(macData.valueBlock.value[1]!);
    const iterations = macData.valueBlock.value[2] ? (macData.valueBlock.value[2] as asn1js.Integer).valueBlock.valueDec : 1;
    const size = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[macAlg];
    const key = pkcs12Kdf(macAlg, 3, password, salt, iterations, size);
    const mac = createHmac(nodeHash(macAlg), key).update(authSafe).digest();
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
      throw new Pkcs12Error('wrong password for the PKCS#12 file (integrity check failed)');
    }
  }
  const certs: Uint8Array[] = [];
  let privateKey: KeyObject | undefined;
  for (const ci of (parseDer(authSafe) as asn1js.Sequence).valueBlock.value as asn1js.Sequence[]) {
    const type = (ci.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
    const content = (ci.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0]!;
    let safeDer: Uint8Array;
    if (type === OID.data) safeDer = octetValue(content);
    else if (type === OID.encryptedData) {
      try {
        safeDer = decryptEncryptedData(content as asn1js.Sequence, password);
      } catch (e) {
        if (e instanceof Pkcs12Error) throw e;
        throw new Pkcs12Error('wrong password for the PKCS#12 file (cannot decrypt certificates)');
      }
    } else continue;
    for (const b of (parseDer(safeDer) as asn1js.Sequence).valueBlock.value as asn1js.Sequence[]) {
      const id = (b.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
      const value = (b.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0]!;
      if (id === OID.pkcs8ShroudedKeyBag) {
        try {
          privateKey = createPrivateKey({ key: Buffer.from(value.valueBeforeDecodeView), format: 'der', type: 'pkcs8', passphrase: password });
        } catch {
          throw new Pkcs12Error('wrong password for the PKCS#12 file (cannot decrypt the private key)');
        }
      } else if (id === OID.keyBag) {
        privateKey = createPrivateKey({ key: Buffer.from(value.valueBeforeDecodeView), format: 'der', type: 'pkcs8' });
      } else if (id === OID.certBag) {
        const certType = ((value as asn1js.Sequence).valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
        if (certType !== OID.x509CertType) continue;
        certs.push(octetValue(((value as asn1js.Sequence).valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0]!));
      }
    }
  }
  if (!privateKey) throw new Pkcs12Error('the PKCS#12 file holds no private key');
  const spki = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  const leafIndex = certs.findIndex((c) => bytesEqual(der(parseCertificate(c).subjectPublicKeyInfo.toSchema()), spki));
  if (leafIndex < 0) throw new Pkcs12Error('the PKCS#12 file holds no certificate for its private key');
  const certificate = certs[leafIndex]!;
  const rest = certs.filter((_, i) => i !== leafIndex);
  return { privateKey, certificate, chain: orderChain(certificate, rest) };
}

/** Orders `pool` from the issuer of `leaf` upwards; certificates not on the path follow at the end. */
export function orderChain(leaf: Uint8Array, pool: Uint8Array[]): Uint8Array[] {
  const nameOf = (c: Uint8Array, which: 'subject' | 'issuer'): string =>
    Buffer.from(der(parseCertificate(c)[which].toSchema())).toString('hex');
  const out: Uint8Array[] = [];
  const left = [...pool];
  let cur = leaf;
  for (;;) {
    const issuer = nameOf(cur, 'issuer');
    if (issuer === nameOf(cur, 'subject')) break;
    const i = left.findIndex((c) => nameOf(c, 'subject') === issuer);
    if (i < 0) break;
    cur = left.splice(i, 1)[0]!;
    out.push(cur);
  }
  return [...out, ...left];
}

