import { parseCertificate, certificateInfo, issuerNameDer, subjectNameDer } from '../pki/certificates.ts';
import { parseCrl, verifyCrlSignature } from '../pki/crl.ts';
import { createOcspRequest, parseOcspResponse } from '../pki/ocsp.ts';
import { bytesEqual, hex, integerBytes } from '../pki/asn1.ts';

/** Where revocation data comes from: a fixed set (demo, tests, offline) or the URLs in the certificates. */
export interface RevocationSource {
  /** DER CRL issued by `issuer` covering `cert`, or null when none is available. */
  getCrl(cert: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | null>;
  /** DER OCSPResponse about `cert`, or null. */
  getOcsp?(cert: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | null>;
}

function sameName(a: Uint8Array, b: Uint8Array): boolean {
  return bytesEqual(a, b);
}

/** Serves CRLs and OCSP responses given up front, matched by issuer name / certificate serial. */
export class StaticRevocationSource implements RevocationSource {
  constructor(private readonly crls: Uint8Array[], private readonly ocsp: Uint8Array[] = []) {}

  async getCrl(_cert: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | null> {
    const issuerName = subjectNameDer(issuer);
    const matching = this.crls
      .map((c) => ({ c, info: parseCrl(c) }))
      .filter((x) => sameName(x.info.issuerDer, issuerName) && verifyCrlSignature(x.c, issuer))
      .sort((a, b) => b.info.thisUpdate.getTime() - a.info.thisUpdate.getTime());
    return matching[0]?.c ?? null;
  }

  async getOcsp(cert: Uint8Array): Promise<Uint8Array | null> {
    const serial = hex(integerBytes(parseCertificate(cert).serialNumber));
    for (const r of this.ocsp) {
      try {
        if (parseOcspResponse(r).serialHex === serial) return r;
      } catch {
        // not an OCSP response we can read; ignore it like any other unrelated entry
      }
    }
    return null;
  }
}

/** How long fetched revocation data is reused at most: a CRL until its nextUpdate (≤ 1 h), an OCSP answer 5 min. */
export const CRL_REUSE_MAX_MS = 3_600_000;
export const OCSP_REUSE_MAX_MS = 300_000;
const CACHE_MAX = 256;

/**
 * Fetches CRLs from the certificate's CRL distribution points and OCSP from its AIA, with a timeout. A signing server
 * asks about the same few CAs for every document (twice per signature: the signer check, then the DSS), so what was
 * fetched is reused while it is current: a CRL until its nextUpdate, capped at an hour; an OCSP answer five minutes.
 * Failures are not cached.
 */
export class HttpRevocationSource implements RevocationSource {
  private readonly crls = new Map<string, { bytes: Uint8Array; until: number }>();
  private readonly ocsp = new Map<string, { bytes: Uint8Array; until: number }>();
  /** Requests sent (for tests and metrics). */
  fetches = 0;

  constructor(
    private readonly timeoutMs = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  private async fetchBytes(url: string, init?: RequestInit): Promise<Uint8Array | null> {
    if (!/^https?:\/\//.test(url)) return null;
    this.fetches++;
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) return null;
      return new Uint8Array(await res.arrayBuffer());
    } catch {
      return null;
    }
  }

  private remember(cache: Map<string, { bytes: Uint8Array; until: number }>, key: string, bytes: Uint8Array, until: number): void {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, { bytes, until });
  }

  async getCrl(cert: Uint8Array): Promise<Uint8Array | null> {
    const now = this.clock();
    for (const url of certificateInfo(cert).crlUrls) {
      const hit = this.crls.get(url);
      if (hit && hit.until > now) return hit.bytes;
      const b = await this.fetchBytes(url);
      if (!b) continue;
      let next: number | undefined;
      try {
        next = parseCrl(b).nextUpdate?.getTime();
      } catch {
        return b; // not a CRL we can read: the caller's check says so; nothing to keep
      }
      this.remember(this.crls, url, b, Math.min(next ?? now, now + CRL_REUSE_MAX_MS));
      return b;
    }
    return null;
  }

  async getOcsp(cert: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | null> {
    const now = this.clock();
    const serial = hex(integerBytes(parseCertificate(cert).serialNumber));
    for (const url of certificateInfo(cert).ocspUrls) {
      const key = `${url}\n${serial}`;
      const hit = this.ocsp.get(key);
      if (hit && hit.until > now) return hit.bytes;
      const b = await this.fetchBytes(url, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request' },
        body: Buffer.from(createOcspRequest(cert, issuer)),
      });
      if (!b) continue;
      let next: number | undefined;
      try {
        next = parseOcspResponse(b).nextUpdate?.getTime();
      } catch {
        return b;
      }
      this.remember(this.ocsp, key, b, Math.min(next ?? now + OCSP_REUSE_MAX_MS, now + OCSP_REUSE_MAX_MS));
      return b;
    }
    return null;
  }
}

/** Tries each source in turn. */
export class ChainedRevocationSource implements RevocationSource {
  constructor(private readonly sources: RevocationSource[]) {}
  async getCrl(cert: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | null> {
    for (const s of this.sources) {
      const r = await s.getCrl(cert, issuer);
      if (r) return r;
    }
    return null;
  }
  async getOcsp(cert: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | null> {
    for (const s of this.sources) {
      const r = s.getOcsp ? await s.getOcsp(cert, issuer) : null;
      if (r) return r;
    }
    return null;
  }
}

export type RevocationStatus =
  | { status: 'good'; by: 'crl' | 'ocsp' }
  | { status: 'revoked'; by: 'crl' | 'ocsp'; date: Date | undefined }
  | { status: 'unknown'; reason: string };

/**
 * Status of `cert` from the source's OCSP response (first) or CRL, each checked: signed by the issuer (or an
 * OCSP responder the issuer certified), about this serial, and current at `now`.
 */
export async function revocationStatus(cert: Uint8Array, issuer: Uint8Array, source: RevocationSource, now: Date): Promise<RevocationStatus> {
  const serial = hex(integerBytes(parseCertificate(cert).serialNumber));
  const problems: string[] = [];
  const ocspDer = source.getOcsp ? await source.getOcsp(cert, issuer) : null;
  if (ocspDer) {
    try {
      const o = parseOcspResponse(ocspDer);
      const responderOk = o.signedBy(issuer) || o.certificates.some((c) => {
        try {
          const info = certificateInfo(c);
          return info.extKeyUsage?.includes('1.3.6.1.5.5.7.3.9') === true && sameName(issuerNameDer(c), subjectNameDer(issuer)) && o.signedBy(c);
        } catch {
          return false;
        }
      });
      if (o.responseStatus !== 0) problems.push(`OCSP responder answered status ${o.responseStatus}`);
      else if (!responderOk) problems.push('OCSP response is not signed by the issuer or its responder');
      else if (o.serialHex !== serial) problems.push('OCSP response is about another certificate');
      else if (o.nextUpdate && o.nextUpdate.getTime() < now.getTime()) problems.push('OCSP response is stale');
      else if (o.certStatus === 'revoked') return { status: 'revoked', by: 'ocsp', date: o.revocationTime };
      else if (o.certStatus === 'good') return { status: 'good', by: 'ocsp' };
      else problems.push('OCSP responder does not know the certificate');
    } catch (e) {
      problems.push(`unreadable OCSP response: ${(e as Error).message}`);
    }
  }
  const crlDer = await source.getCrl(cert, issuer);
  if (crlDer) {
    try {
      const crl = parseCrl(crlDer);
      if (!verifyCrlSignature(crlDer, issuer)) problems.push('CRL is not signed by the issuer');
      else if (crl.nextUpdate && crl.nextUpdate.getTime() < now.getTime()) problems.push(`CRL expired at ${crl.nextUpdate.toISOString()}`);
      else {
        const date = crl.revoked.get(serial);
        if (date) return { status: 'revoked', by: 'crl', date };
        return { status: 'good', by: 'crl' };
      }
    } catch (e) {
      problems.push(`unreadable CRL: ${(e as Error).message}`);
    }
  }
  return { status: 'unknown', reason: problems.length ? problems.join('; ') : 'no CRL or OCSP response available' };
}
