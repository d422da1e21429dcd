import { randomBytes } from 'node:crypto';
import { type HashName, bytesEqual } from '../pki/asn1.ts';
import { certificateInfo } from '../pki/certificates.ts';
import { verifyChain } from '../pki/verify.ts';
import {
  TimestampCheckError, encodeTimeStampRequest, parseTimeStampResponse, verifyTimeStampToken, type TokenInfo,
} from './token.ts';

/** Anything that turns a digest into a checked RFC 3161 token (the shape @libpdf/core's TimestampAuthority has). */
export interface TimestampSource {
  timestamp(digest: Uint8Array, algorithm: HashName): Promise<Uint8Array>;
}

export interface TsaClientOptions {
  /** Tried in order; the next one is used when one fails or answers badly. */
  urls: string[];
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Roots the TSA certificate must chain to; empty means the chain is not checked (logged in `lastErrors`). */
  trustAnchors?: Uint8Array[];
  /** Extra certificates for chain building / when the TSA omits its certificate. */
  intermediates?: Uint8Array[];
  /** Requested policy OID. */
  policy?: string;
  /** Largest accepted distance between the token time and this machine's clock (default 5 minutes). */
  maxClockSkewMs?: number;
  /** Clock; injectable for tests. */
  now?: () => Date;
  /** HTTP headers (e.g. Authorization) sent to every TSA. */
  headers?: Record<string, string>;
}

export class TsaError extends Error {
  readonly attempts: string[];
  constructor(message: string, attempts: string[]) {
    super(message);
    this.name = 'TsaError';
    this.attempts = attempts;
  }
}

/**
 * RFC 3161 client: random nonce, certReq, and every answer checked (status, imprint, nonce, TSA signature, ESS
 * binding, critical timeStamping EKU, chain to the configured anchors, plausible time) before it is used.
 */
export class TsaClient implements TimestampSource {
  private readonly o: TsaClientOptions;
  lastInfo: TokenInfo | undefined;
  lastUrl: string | undefined;

  constructor(o: TsaClientOptions) {
    if (!o.urls.length) throw new Error('TsaClient needs at least one TSA URL');
    this.o = o;
  }

  async timestamp(digest: Uint8Array, algorithm: HashName): Promise<Uint8Array> {
    const attempts: string[] = [];
    for (const url of this.o.urls) {
      try {
        const token = await this.requestOne(url, digest, algorithm);
        this.lastUrl = url;
        return token;
      } catch (e) {
        attempts.push(`${url}: ${(e as Error).message}`);
      }
    }
    throw new TsaError(`no timestamp authority gave a valid timestamp (${attempts.join('; ')})`, attempts);
  }

  private async requestOne(url: string, digest: Uint8Array, hash: HashName): Promise<Uint8Array> {
    const nonce = new Uint8Array(randomBytes(8));
    nonce[0] = (nonce[0]! & 0x7f) | 0x01;
    const body = encodeTimeStampRequest({ hash, imprint: digest, nonce, certReq: true, policy: this.o.policy });
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply', ...this.o.headers },
        body: Buffer.from(body),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } };
      if (err.name === 'TimeoutError') throw new Error(`no answer within ${this.o.timeoutMs ?? 10_000} ms`);
      const cause = err.cause?.code ?? err.cause?.errors?.[0]?.code ?? err.cause?.message ?? err.message;
      throw new Error(`unreachable (${cause})`);
    }
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const token = parseTimeStampResponse(new Uint8Array(await res.arrayBuffer()));
    this.lastInfo = checkToken(token, { hash, digest, nonce }, this.o);
    return token;
  }
}

/** All checks on a token answering (hash, digest, nonce). Exported for in-process TSAs and for tests. */
export function checkToken(
  token: Uint8Array,
  expected: { hash: HashName; digest: Uint8Array; nonce?: Uint8Array },
  o: Pick<TsaClientOptions, 'trustAnchors' | 'intermediates' | 'maxClockSkewMs' | 'now'>,
): TokenInfo {
  const info = verifyTimeStampToken(token, o.intermediates ?? []);
  if (info.hash !== expected.hash || !bytesEqual(info.imprint, expected.digest)) {
    throw new TimestampCheckError('TSA answered for another document (message imprint mismatch)');
  }
  if (expected.nonce && (!info.nonce || !bytesEqual(info.nonce, expected.nonce))) {
    throw new TimestampCheckError('TSA answer has a wrong or missing nonce (possible replay)');
  }
  const now = (o.now ?? (() => new Date()))();
  const skew = o.maxClockSkewMs ?? 5 * 60_000;
  if (Math.abs(info.genTime.getTime() - now.getTime()) > skew) {
    throw new TimestampCheckError(`TSA time ${info.genTime.toISOString()} is too far from local time ${now.toISOString()}`);
  }
  if (o.trustAnchors?.length) {
    const chain = verifyChain({
      certificate: info.signerCertificate!,
      intermediates: [...info.certificates, ...(o.intermediates ?? [])],
      anchors: o.trustAnchors,
      at: info.genTime,
    });
    if (!chain.ok) {
      const cn = certificateInfo(info.signerCertificate!).commonName ?? 'TSA';
      throw new TimestampCheckError(`TSA certificate "${cn}" is not trusted: ${chain.error}`);
    }
  }
  return info;
}
