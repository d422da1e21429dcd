import { createServer, type IncomingMessage, type Server } from 'node:http';
import { constants, privateEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { OID, hashOfOid } from '../pki/asn1.ts';
import { keyKindOf } from '../pki/keys.ts';
import { digestInfo, ecdsaRawToDer } from './backend.ts';

/**
 * A small CSC API v2 service for tests and demos: credentials/list, credentials/info, credentials/authorize (PIN →
 * SAD bound to the hashes) and signatures/signHash. Keys live in memory; it is not a production signing service.
 */
export interface CscTestCredential {
  id: string;
  privateKey: KeyObject;
  /** [signer, …issuers]. */
  certificates: Uint8Array[];
  pin: string;
}

// Short-Weierstrass parameters (FIPS 186-4 D.1.2) for signing a given digest: node:crypto always hashes itself.
const CURVES: Record<string, { p: bigint; a: bigint; n: bigint; gx: bigint; gy: bigint; size: number }> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    size: 32,
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    size: 48,
  },
};

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r >= 0n ? r : r + m;
}

function inv(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

type Pt = { x: bigint; y: bigint } | null;

function add(P: Pt, Q: Pt, c: { p: bigint; a: bigint }): Pt {
  if (!P) return Q;
  if (!Q) return P;
  if (P.x === Q.x && mod(P.y + Q.y, c.p) === 0n) return null;
  const l = P.x === Q.x && P.y === Q.y
    ? mod((3n * P.x * P.x + c.a) * inv(2n * P.y, c.p), c.p)
    : mod((Q.y - P.y) * inv(Q.x - P.x, c.p), c.p);
  const x = mod(l * l - P.x - Q.x, c.p);
  return { x, y: mod(l * (P.x - x) - P.y, c.p) };
}

function mul(k: bigint, P: Pt, c: { p: bigint; a: bigint }): Pt {
  let R: Pt = null;
  let A = P;
  while (k > 0n) {
    if (k & 1n) R = add(R, A, c);
    A = add(A, A, c);
    k >>= 1n;
  }
  return R;
}

function big(b: Uint8Array): bigint {
  return b.length ? BigInt(`0x${Buffer.from(b).toString('hex')}`) : 0n;
}

function bytesOf(v: bigint, size: number): Uint8Array {
  return new Uint8Array(Buffer.from(v.toString(16).padStart(size * 2, '0'), 'hex'));
}

/** ECDSA over a precomputed digest (test service only: plain BigInt arithmetic, not constant-time). */
export function ecdsaSignDigest(privateKey: KeyObject, digest: Uint8Array): Uint8Array {
  const jwk = privateKey.export({ format: 'jwk' });
  const c = CURVES[jwk.crv ?? ''];
  if (!c || !jwk.d) throw new Error(`unsupported curve ${jwk.crv}`);
  const d = big(new Uint8Array(Buffer.from(jwk.d, 'base64url')));
  let e = big(digest);
  const excess = digest.length * 8 - c.size * 8;
  if (excess > 0) e >>= BigInt(excess);
  for (;;) {
    const k = mod(big(new Uint8Array(randomBytes(c.size + 8))), c.n - 1n) + 1n;
    const R = mul(k, { x: c.gx, y: c.gy }, c);
    if (!R) continue;
    const r = mod(R.x, c.n);
    if (r === 0n) continue;
    const s = mod(inv(k, c.n) * (e + r * d), c.n);
    if (s === 0n) continue;
    return ecdsaRawToDer(new Uint8Array([...bytesOf(r, c.size), ...bytesOf(s, c.size)]));
  }
}

async function json(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export function createCscTestServer(o: { accessToken: string; credentials: CscTestCredential[] }): Server {
  const sads = new Map<string, { credentialId: string; hashes: Set<string>; expires: number }>();
  return createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const fail = (status: number, error: string, description: string): void => send(status, { error, error_description: description });
    (async () => {
      const path = (req.url ?? '').replace(/\?.*$/, '');
      if (req.method !== 'POST' || !path.startsWith('/csc/v2/')) return fail(404, 'not_found', 'unknown endpoint');
      const method = path.slice('/csc/v2/'.length);
      const body = await json(req);
      if (method === 'info') {
        return send(200, { specs: '2.0.0.0', name: 'hoso CSC test service', logo: '', region: 'VN', lang: 'vi-VN', description: 'test', authType: ['external'], methods: ['credentials/list', 'credentials/info', 'credentials/authorize', 'signatures/signHash'] });
      }
      if (req.headers.authorization !== `Bearer ${o.accessToken}`) return fail(401, 'invalid_token', 'missing or wrong access token');
      if (method === 'credentials/list') return send(200, { credentialIDs: o.credentials.map((c) => c.id) });
      const cred = o.credentials.find((c) => c.id === body.credentialID);
      if (!cred) return fail(400, 'invalid_request', 'unknown credentialID');
      const kind = keyKindOf(cred.privateKey);
      if (method === 'credentials/info') {
        const algo = kind === 'RSA' ? [OID.rsaEncryption, OID.sha256WithRSA, OID.sha384WithRSA, OID.sha512WithRSA] : [OID.ecPublicKey, OID.ecdsaWithSHA256, OID.ecdsaWithSHA384, OID.ecdsaWithSHA512];
        const certs = body.certificates === 'none' ? [] : body.certificates === 'single' ? cred.certificates.slice(0, 1) : cred.certificates;
        return send(200, {
          key: { status: 'enabled', algo, len: kind === 'RSA' ? 2048 : 256 },
          cert: { status: 'valid', certificates: certs.map((c) => Buffer.from(c).toString('base64')) },
          authMode: 'explicit', PIN: { presence: 'true', format: 'N', label: 'PIN' }, multisign: 1,
        });
      }
      if (method === 'credentials/authorize') {
        if (body.PIN !== cred.pin) return fail(400, 'invalid_pin', 'the PIN is not correct');
        const hashes = Array.isArray(body.hashes) ? (body.hashes as string[]) : [];
        if (!hashes.length) return fail(400, 'invalid_request', 'hashes are required for signHash authorisation');
        const sad = randomBytes(16).toString('base64url');
        sads.set(sad, { credentialId: cred.id, hashes: new Set(hashes), expires: Date.now() + 60_000 });
        return send(200, { SAD: sad, expiresIn: 60 });
      }
      if (method === 'signatures/signHash') {
        const sad = sads.get(String(body.SAD));
        const hashes = Array.isArray(body.hashes) ? (body.hashes as string[]) : [];
        if (!sad || sad.credentialId !== cred.id || sad.expires < Date.now() || !hashes.every((h) => sad.hashes.has(h))) {
          return fail(400, 'invalid_request', 'SAD missing, expired or not valid for these hashes');
        }
        sads.delete(String(body.SAD));
        const signAlgo = String(body.signAlgo ?? '');
        const hashFromAlgo: Record<string, string> = {
          [OID.sha256WithRSA]: OID.sha256, [OID.sha384WithRSA]: OID.sha384, [OID.sha512WithRSA]: OID.sha512,
          [OID.ecdsaWithSHA256]: OID.sha256, [OID.ecdsaWithSHA384]: OID.sha384, [OID.ecdsaWithSHA512]: OID.sha512,
        };
        const hashOid = hashFromAlgo[signAlgo] ?? String(body.hashAlgorithmOID ?? '');
        const hash = hashOfOid(hashOid);
        if (!hash || hash === 'SHA-1') return fail(400, 'invalid_request', 'unsupported or missing hash algorithm');
        const rsaAlgo = signAlgo === OID.rsaEncryption || signAlgo.startsWith('1.2.840.113549.1.1.');
        if ((kind === 'RSA') !== rsaAlgo) return fail(400, 'invalid_request', 'signAlgo does not match the key');
        const signatures = hashes.map((h) => {
          const digest = new Uint8Array(Buffer.from(h, 'base64'));
          const sig = kind === 'RSA'
            ? new Uint8Array(privateEncrypt({ key: cred.privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo(hash, digest)))
            : ecdsaSignDigest(cred.privateKey, digest);
          return Buffer.from(sig).toString('base64');
        });
        return send(200, { signatures });
      }
      return fail(404, 'not_found', `unknown method ${method}`);
    })().catch((e: unknown) => fail(500, 'server_error', (e as Error).message));
  });
}
