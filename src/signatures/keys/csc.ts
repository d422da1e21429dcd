import { HASH_OID, type HashName, OID, readPemOrDer } from '../pki/asn1.ts';
import { certificateInfo } from '../pki/certificates.ts';
import { orderChain } from '../pki/pkcs12.ts';
import { HASH_LENGTH, KeyBackendError, ecdsaRawToDer, isDerEcdsa, type KeyBackend, type SignRequest } from './backend.ts';

export interface CscOptions {
  /** Service base URL; requests go to `${baseUrl}/csc/v2/…`. */
  baseUrl: string;
  credentialId: string;
  /** OAuth2 / service access token sent as Bearer. */
  accessToken?: string;
  /** PIN for explicit credential authorisation. */
  pin?: string;
  /** One-time password when the credential needs one. */
  otp?: string;
  timeoutMs?: number;
}

interface CredentialInfo {
  key?: { status?: string; algo?: string[]; len?: number };
  cert?: { status?: string; certificates?: string[] };
  authMode?: string;
  PIN?: { presence?: string };
  OTP?: { presence?: string };
}

const SIGN_ALGO: Record<'RSA' | 'EC', Record<HashName, string>> = {
  RSA: { 'SHA-256': OID.sha256WithRSA, 'SHA-384': OID.sha384WithRSA, 'SHA-512': OID.sha512WithRSA },
  EC: { 'SHA-256': OID.ecdsaWithSHA256, 'SHA-384': OID.ecdsaWithSHA384, 'SHA-512': OID.ecdsaWithSHA512 },
};

/**
 * Remote signing through the Cloud Signature Consortium API v2 (credentials/info, credentials/authorize,
 * signatures/signHash): only the hash leaves this process.
 */
export class CscBackend implements KeyBackend {
  readonly description: string;
  private constructor(
    private readonly o: CscOptions,
    readonly certificate: Uint8Array,
    readonly chain: Uint8Array[],
    readonly keyKind: 'RSA' | 'EC',
    private readonly keyAlgos: string[],
  ) {
    this.description = `CSC ${new URL(o.baseUrl).host} credential "${o.credentialId}"`;
  }

  private static async call<T>(o: CscOptions, method: string, body: unknown): Promise<T> {
    const url = `${o.baseUrl.replace(/\/+$/, '')}/csc/v2/${method}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(o.accessToken ? { authorization: `Bearer ${o.accessToken}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      throw new KeyBackendError('CSC_UNREACHABLE', `CSC service ${o.baseUrl} unreachable (${err.name === 'TimeoutError' ? 'timeout' : err.cause?.code ?? err.message})`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new KeyBackendError('CSC_PROTOCOL', `CSC ${method}: HTTP ${res.status}, not JSON`);
    }
    if (!res.ok) {
      const j = json as { error?: string; error_description?: string };
      const code = res.status === 401 ? 'CSC_UNAUTHORIZED' : j.error === 'invalid_pin' || j.error === 'invalid_otp' ? 'PIN_INCORRECT' : 'CSC_ERROR';
      throw new KeyBackendError(code, `CSC ${method}: ${j.error ?? `HTTP ${res.status}`}${j.error_description ? ` — ${j.error_description}` : ''}`);
    }
    return json as T;
  }

  static async open(o: CscOptions): Promise<CscBackend> {
    const info = await CscBackend.call<CredentialInfo>(o, 'credentials/info', { credentialID: o.credentialId, certificates: 'chain', certInfo: true, authInfo: true });
    if (info.key?.status && info.key.status !== 'enabled') throw new KeyBackendError('CSC_KEY', `CSC credential "${o.credentialId}" key is ${info.key.status}`);
    const certs = (info.cert?.certificates ?? []).map((b64) => readPemOrDer(new Uint8Array(Buffer.from(b64, 'base64')))[0]!);
    if (!certs.length) throw new KeyBackendError('CSC_CERT', `CSC credential "${o.credentialId}" has no certificate`);
    const certificate = certs[0]!;
    const kind = certificateInfo(certificate).keyKind;
    if (kind !== 'RSA' && kind !== 'EC') throw new KeyBackendError('CSC_KEY', 'CSC credential key is neither RSA nor EC');
    return new CscBackend(o, certificate, orderChain(certificate, certs.slice(1)), kind, info.key?.algo ?? []);
  }

  async sign(r: SignRequest): Promise<Uint8Array> {
    if (r.digest.length !== HASH_LENGTH[r.hash]) throw new KeyBackendError('BAD_DIGEST', `digest length ${r.digest.length} does not fit ${r.hash}`);
    const hash = Buffer.from(r.digest).toString('base64');
    // Prefer the combined OID (e.g. sha256WithRSAEncryption); fall back to the key OID plus hashAlgorithmOID.
    const combined = SIGN_ALGO[this.keyKind][r.hash];
    const keyOid = this.keyKind === 'RSA' ? OID.rsaEncryption : OID.ecPublicKey;
    const signAlgo = this.keyAlgos.length === 0 || this.keyAlgos.includes(combined) ? combined : keyOid;
    const auth = await CscBackend.call<{ SAD: string }>(this.o, 'credentials/authorize', {
      credentialID: this.o.credentialId, numSignatures: 1, hashes: [hash], hashAlgorithmOID: HASH_OID[r.hash],
      ...(this.o.pin !== undefined ? { PIN: this.o.pin } : {}), ...(this.o.otp !== undefined ? { OTP: this.o.otp } : {}),
    });
    const res = await CscBackend.call<{ signatures: string[] }>(this.o, 'signatures/signHash', {
      credentialID: this.o.credentialId, SAD: auth.SAD, hashes: [hash], hashAlgorithmOID: HASH_OID[r.hash], signAlgo,
    });
    const b64 = res.signatures?.[0];
    if (!b64) throw new KeyBackendError('CSC_PROTOCOL', 'CSC signHash returned no signature');
    const sig = new Uint8Array(Buffer.from(b64, 'base64'));
    return this.keyKind === 'EC' && !isDerEcdsa(sig) ? ecdsaRawToDer(sig) : sig;
  }
}
