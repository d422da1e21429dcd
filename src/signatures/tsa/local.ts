import { randomBytes } from 'node:crypto';
import type { HashName } from '../pki/asn1.ts';
import { checkToken, type TimestampSource } from './client.ts';
import { createTimeStampToken, type TsaIdentity } from './token.ts';

/** In-process TSA (no HTTP) for benchmarks and offline tests; its tokens pass the same checks as a remote TSA's. */
export class LocalTimestampSource implements TimestampSource {
  constructor(
    private readonly tsa: TsaIdentity,
    private readonly trustAnchors: Uint8Array[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  async timestamp(digest: Uint8Array, algorithm: HashName): Promise<Uint8Array> {
    const nonce = new Uint8Array(randomBytes(8));
    nonce[0] = (nonce[0]! & 0x7f) | 0x01;
    const token = await createTimeStampToken(this.tsa, { hash: algorithm, imprint: digest, nonce, certReq: true, policy: undefined }, this.now());
    checkToken(token, { hash: algorithm, digest, nonce }, { trustAnchors: this.trustAnchors, intermediates: this.tsa.chain, now: this.now });
    return token;
  }
}
