/** Key backends behind one async hash-then-sign interface, and the certificate checks done before signing. */
export { type KeyBackend, type SignRequest, KeyBackendError, digestInfo, ecdsaRawToDer, isDerEcdsa, HASH_LENGTH } from './backend.ts';
export { P12Backend } from './p12.ts';
export { checkSigningCertificate, type CertificateCheckOptions, type CertificateCheckResult } from './check.ts';
export {
  type RevocationSource, type RevocationStatus, StaticRevocationSource, HttpRevocationSource, ChainedRevocationSource, revocationStatus,
} from './revocation.ts';
export { Pkcs11Backend, type Pkcs11Options } from './pkcs11.ts';
export { CscBackend, type CscOptions } from './csc.ts';
export { createCscTestServer, ecdsaSignDigest, type CscTestCredential } from './csc-test-server.ts';
