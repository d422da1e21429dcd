import { certificateInfo } from '../pki/certificates.ts';
import { OID } from '../pki/asn1.ts';
import { verifyChain } from '../pki/verify.ts';
import { KeyBackendError } from './backend.ts';
import { revocationStatus, type RevocationSource } from './revocation.ts';

export interface CertificateCheckOptions {
  /** Trusted roots; the chain must end at one of them. */
  trustAnchors: Uint8Array[];
  /** Extra CA certificates for path building (the backend's own chain is always used). */
  intermediates?: Uint8Array[];
  now: Date;
  /** Where CRL/OCSP data comes from; without it revocation is not checked. */
  revocation?: RevocationSource;
  /** Refuse when revocation status cannot be established for some certificate of the chain. */
  requireRevocation?: boolean;
}

export interface CertificateCheckResult {
  /** [signer, intermediates…, anchor]. */
  chain: Uint8Array[];
  /** Revocation outcome per non-anchor certificate, in chain order. */
  revocation: Array<'good' | 'unknown' | 'not-checked'>;
}

const SIGNING_EKUS = new Set<string>([
  OID.ekuEmailProtection, OID.ekuMsDocumentSigning, OID.ekuAdobeAuthenticDocuments, '2.5.29.37.0',
  '1.3.6.1.4.1.311.10.3.12', '1.3.6.1.5.5.7.3.36', // id-kp-documentSigning (RFC 9336)
]);

/**
 * The checks TT 15/2025 asks before signing: the certificate is valid now, may sign documents (key usage, EKU,
 * not a CA), chains to a configured anchor, and is not revoked where revocation data is available.
 */
export async function checkSigningCertificate(
  certificate: Uint8Array,
  backendChain: Uint8Array[],
  o: CertificateCheckOptions,
): Promise<CertificateCheckResult> {
  const info = certificateInfo(certificate);
  const who = info.commonName ?? info.subject;
  if (o.now < info.notBefore) {
    throw new KeyBackendError('CERT_NOT_YET_VALID', `certificate of "${who}" is not valid before ${info.notBefore.toISOString()}`);
  }
  if (o.now > info.notAfter) {
    throw new KeyBackendError('CERT_EXPIRED', `certificate of "${who}" expired on ${info.notAfter.toISOString()}`);
  }
  if (info.isCa) throw new KeyBackendError('CERT_USAGE', `certificate of "${who}" is a CA certificate, not a signing certificate`);
  if (info.keyUsage && !info.keyUsage.includes('digitalSignature') && !info.keyUsage.includes('nonRepudiation')) {
    throw new KeyBackendError('CERT_USAGE', `certificate of "${who}" does not allow digital signatures (key usage ${info.keyUsage.join(', ')})`);
  }
  if (info.extKeyUsage && !info.extKeyUsage.some((e) => SIGNING_EKUS.has(e))) {
    throw new KeyBackendError('CERT_USAGE', `certificate of "${who}" is not for document signing (extended key usage ${info.extKeyUsage.join(', ')})`);
  }
  if (info.keyKind === 'RSA' && (info.keyBits ?? 0) < 2048) {
    throw new KeyBackendError('CERT_USAGE', `certificate of "${who}" has an RSA key shorter than 2048 bits`);
  }
  if (!o.trustAnchors.length) throw new KeyBackendError('NO_TRUST_ANCHORS', 'no trust anchors configured: refusing to sign with an unverifiable certificate');
  const chain = verifyChain({
    certificate,
    intermediates: [...backendChain, ...(o.intermediates ?? [])],
    anchors: o.trustAnchors,
    at: o.now,
  });
  if (!chain.ok) throw new KeyBackendError('CERT_UNTRUSTED', `certificate of "${who}" does not chain to a trusted root: ${chain.error}`);
  const revocation: CertificateCheckResult['revocation'] = [];
  for (let i = 0; i < chain.chain.length - 1; i++) {
    if (!o.revocation) {
      revocation.push('not-checked');
      continue;
    }
    const status = await revocationStatus(chain.chain[i]!, chain.chain[i + 1]!, o.revocation, o.now);
    const name = certificateInfo(chain.chain[i]!).commonName ?? 'certificate';
    if (status.status === 'revoked') {
      throw new KeyBackendError('CERT_REVOKED', `certificate of "${name}" is revoked${status.date ? ` since ${status.date.toISOString()}` : ''} (${status.by.toUpperCase()})`);
    }
    if (status.status === 'unknown') {
      if (o.requireRevocation) throw new KeyBackendError('REVOCATION_UNAVAILABLE', `revocation status of "${name}" unknown: ${status.reason}`);
      revocation.push('unknown');
    } else revocation.push('good');
  }
  return { chain: chain.chain, revocation };
}
