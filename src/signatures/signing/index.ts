/**
 * PAdES signing for hoso (B-B … B-LTA, sequences, DocMDP, ND 30/2020 appearance) by incremental updates written
 * here (CMS from DER pieces, DSS for long-term validation), with guards. Typical use by other rooms:
 *
 *   const signer = await P12Backend.fromFile(p12Path, password);
 *   const { bytes } = await signPdf(pdf, { signer, level: 'B-T', tsa, trustAnchors, reason: 'Tiếp nhận hồ sơ' });
 */
export {
  signPdf, extendPdf, SigningError, type SignPdfOptions, type SignPdfResult, type ExtendPdfOptions, type PadesLevel,
  type SelfCheck,
} from './sign.ts';
export { vnIsoTime, stampLines, type Appearance, type VisibleAppearance, type CopyAppearance } from './appearance.ts';
export { ValidationDataCollector } from './ltv.ts';
export {
  P12Backend, Pkcs11Backend, CscBackend, KeyBackendError, StaticRevocationSource, HttpRevocationSource, ChainedRevocationSource,
  checkSigningCertificate, type KeyBackend, type RevocationSource,
} from '../keys/index.ts';
export { validatorSelfCheck } from './self-check.ts';
export { TsaClient, LocalTimestampSource, type TimestampSource } from '../tsa/index.ts';
export { demoSigning } from './demo.ts';
