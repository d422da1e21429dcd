/**
 * PAdES signing for hoso (B-B … B-LTA, sequences, DocMDP, ND 30/2020 appearance) over @libpdf/core 0.4.2 with
 * guards. Typical use by other rooms:
 *
 *   const signer = await P12Backend.fromFile(p12Path, password);
 *   const { bytes } = await signPdf(pdf, { signer, level: 'B-T', tsa, trustAnchors, reason: 'Tiếp nhận hồ sơ' });
 */
export {
  signPdf, extendPdf, libpdfSigner, SigningError, type SignPdfOptions, type SignPdfResult, type ExtendPdfOptions, type PadesLevel,
  type SelfCheck,
} from './sign.ts';
export { vnIsoTime, stampLines, type Appearance, type VisibleAppearance, type CopyAppearance } from './appearance.ts';
export { StrictRevocationProvider } from './revocation-provider.ts';
export {
  P12Backend, Pkcs11Backend, CscBackend, KeyBackendError, StaticRevocationSource, HttpRevocationSource, ChainedRevocationSource,
  checkSigningCertificate, type KeyBackend, type RevocationSource,
} from '../keys/index.ts';
export { validatorSelfCheck } from './self-check.ts';
export { TsaClient, LocalTimestampSource, type TimestampSource } from '../tsa/index.ts';
export { demoSigning } from './demo.ts';
