import type { RevocationProvider } from '@libpdf/core';
import { bytesEqual } from '../pki/asn1.ts';
import { certificateInfo, issuerNameDer, subjectNameDer } from '../pki/certificates.ts';
import { verifySignedBy } from '../pki/verify.ts';
import { revocationStatus, type RevocationSource } from '../keys/revocation.ts';

/**
 * A RevocationProvider for @libpdf/core that never fails silently: every certificate it is asked about must get
 * current revocation data that says "not revoked", or the problem is recorded in `problems` (libpdf swallows
 * provider errors, so the caller checks `problems` after signing and refuses the output).
 */
export class StrictRevocationProvider implements RevocationProvider {
  readonly problems: string[] = [];
  private readonly pool: Uint8Array[];
  private readonly covered = new Set<string>();

  constructor(private readonly source: RevocationSource, pool: Uint8Array[], private readonly now: Date) {
    this.pool = [...pool];
  }

  /** More certificates usable as issuers (e.g. from a TSA token). */
  addCertificates(certs: Uint8Array[]): void {
    for (const c of certs) if (!this.pool.some((p) => bytesEqual(p, c))) this.pool.push(c);
  }

  private issuerOf(cert: Uint8Array): Uint8Array | undefined {
    const issuerName = issuerNameDer(cert);
    return this.pool.find((p) => bytesEqual(subjectNameDer(p), issuerName) && verifySignedBy(cert, p));
  }

  private isSelfSigned(cert: Uint8Array): boolean {
    return bytesEqual(issuerNameDer(cert), subjectNameDer(cert));
  }

  private key(cert: Uint8Array): string {
    return Buffer.from(cert).toString('base64');
  }

  private async checked(cert: Uint8Array, issuer: Uint8Array, kind: 'ocsp' | 'crl'): Promise<Uint8Array | null> {
    const name = certificateInfo(cert).commonName ?? certificateInfo(cert).subject;
    const data = kind === 'ocsp' ? (this.source.getOcsp ? await this.source.getOcsp(cert, issuer) : null) : await this.source.getCrl(cert, issuer);
    if (!data) return null;
    // Re-check with only this item so that what goes into the DSS is exactly what was verified.
    const status = await revocationStatus(cert, issuer, {
      getCrl: async () => (kind === 'crl' ? data : null),
      getOcsp: async () => (kind === 'ocsp' ? data : null),
    }, this.now);
    if (status.status === 'revoked') {
      this.problems.push(`certificate "${name}" is revoked (${kind.toUpperCase()})`);
      return null;
    }
    if (status.status === 'unknown') return null;
    this.covered.add(this.key(cert));
    return data;
  }

  async getOCSP(cert: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | null> {
    // libpdf built this pair from the signature's own certificates: remember the issuer for getCRL(cert).
    this.addCertificates([issuer]);
    try {
      return await this.checked(cert, issuer, 'ocsp');
    } catch (e) {
      this.problems.push(`OCSP for "${certificateInfo(cert).subject}": ${(e as Error).message}`);
      return null;
    }
  }

  async getCRL(cert: Uint8Array): Promise<Uint8Array | null> {
    if (this.isSelfSigned(cert)) return null; // trust anchors carry no revocation data
    const name = certificateInfo(cert).commonName ?? certificateInfo(cert).subject;
    try {
      const issuer = this.issuerOf(cert);
      if (!issuer) {
        this.problems.push(`no issuer certificate known for "${name}", cannot check its revocation`);
        return null;
      }
      const crl = await this.checked(cert, issuer, 'crl');
      if (!crl && !this.covered.has(this.key(cert))) this.problems.push(`no valid CRL or OCSP response for "${name}"`);
      return crl;
    } catch (e) {
      this.problems.push(`CRL for "${name}": ${(e as Error).message}`);
      return null;
    }
  }
}
