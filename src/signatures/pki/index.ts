/** In-process X.509 toolkit (pkijs/asn1js + node:crypto): CAs, end-entity certificates, CRLs, OCSP, PKCS#12, demo PKI. */
export {
  OID, type HashName, HASH_OID, hashOfOid, nodeHash, digest, toAB, der, parseDer, toPem, fromPemAll, readPemOrDer, hex, bytesEqual,
} from './asn1.ts';
export {
  type KeySpec, type KeyPair, type KeyKind, generateKey, keyKindOf, signatureAlgorithmId, signData, spkiDer,
  publicKeyInfo, publicKeyOfCertificate, privateKeyPkcs8, defaultHashFor,
} from './keys.ts';
export {
  type NameSpec, type CertProfile, type Issuer, type IssueOptions, type CertificateInfo, issueCertificate, certificateInfo,
  parseCertificate, buildName, nameToString, subjectNameDer, issuerNameDer, serialNumberBytes, randomSerial,
} from './certificates.ts';
export { type ChainResult, verifyChain, verifySignedBy, verifyRaw, signatureAlgorithmOf, publicKeyOf } from './verify.ts';
export { type RevokedEntry, type CrlInfo, createCrl, parseCrl, verifyCrlSignature } from './crl.ts';
export {
  type OcspCertStatus, type OcspRequestInfo, type OcspResponseInfo, certId, certIdForSerial, createOcspRequest, parseOcspRequest,
  createOcspResponse, createOcspError, parseOcspResponse, requestMatchesIssuer,
} from './ocsp.ts';
export { Pkcs12Error, type Pkcs12Contents, writePkcs12, readPkcs12, orderChain, pkcs12Kdf } from './pkcs12.ts';
export {
  type DemoPki, type DemoPkiSpec, type DemoPersonSpec, type DemoSealSpec, type DemoSigner, type DemoCertAndKey, createDemoPki,
} from './demo.ts';
