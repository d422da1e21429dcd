import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { certificateInfo } from '../pki/certificates.ts';
import { createOcspError, createOcspResponse, parseOcspRequest, requestMatchesIssuer } from '../pki/ocsp.ts';
import { parseCrl } from '../pki/crl.ts';
import type { Issuer } from '../pki/certificates.ts';
import { createRejection, createTimeStampResponse, parseTimeStampRequest, type TsaIdentity } from './token.ts';

export interface TsaServerOptions {
  tsa: TsaIdentity;
  /** Served at GET /crl/<name>.crl (e.g. "root-ca", "agency-ca"). */
  crls?: Record<string, Uint8Array>;
  /** When set, POST /ocsp answers for certificates issued by `issuer.certificate`, from its CRL. */
  ocsp?: { responder: Issuer; issuerCertificate: Uint8Array; crl: Uint8Array; knownSerials?: Set<string> };
  /** Clock; injectable for tests. */
  now?: () => Date;
  /** Called once per request (for logs). */
  onRequest?: (line: string) => void;
}

const MAX_BODY = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new Error('request too large');
    chunks.push(c as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Local RFC 3161 TSA for the demo and the tests (POST / or /tsa), plus the demo PKI's CRLs (GET /crl/…) and an OCSP
 * responder (POST /ocsp). Not a production TSA: no HSM, no audit trail beyond `onRequest`.
 */
export function createTsaServer(o: TsaServerOptions): Server {
  const now = o.now ?? (() => new Date());
  let counter = BigInt(Date.now()) << 20n;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && url.startsWith('/crl/')) {
      const name = url.slice(5).replace(/\.crl$/, '');
      const crl = o.crls?.[name];
      if (!crl) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(Buffer.from(crl));
      return;
    }
    if (req.method === 'GET' && url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tsa: certificateInfo(o.tsa.certificate).subject }));
      return;
    }
    if (req.method === 'POST' && url === '/ocsp' && o.ocsp) {
      const body = await readBody(req);
      let answer: Uint8Array;
      try {
        const r = parseOcspRequest(body);
        if (!requestMatchesIssuer(r, o.ocsp.issuerCertificate)) answer = createOcspError(6);
        else {
          const crl = parseCrl(o.ocsp.crl);
          const revokedAt = crl.revoked.get(r.serialHex);
          const t = now();
          const status = revokedAt ? 'revoked' : o.ocsp.knownSerials && !o.ocsp.knownSerials.has(r.serialHex) ? 'unknown' : 'good';
          answer = createOcspResponse({
            responder: o.ocsp.responder,
            serial: new Uint8Array(Buffer.from(r.serialHex, 'hex')),
            issuerCertificate: o.ocsp.issuerCertificate,
            status, revocationTime: revokedAt, producedAt: t, thisUpdate: t, nextUpdate: new Date(t.getTime() + 3600_000), nonce: r.nonce,
          });
        }
      } catch {
        answer = createOcspError(1);
      }
      res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(Buffer.from(answer));
      return;
    }
    if (req.method === 'POST' && (url === '/' || url === '/tsa')) {
      const type = req.headers['content-type'] ?? '';
      const body = await readBody(req);
      let answer: Uint8Array;
      if (!type.startsWith('application/timestamp-query')) answer = createRejection(5, 'content type must be application/timestamp-query');
      else {
        try {
          const tsq = parseTimeStampRequest(body);
          counter += 1n;
          const serial = Buffer.from(counter.toString(16).padStart(16, '0') + randomBytes(4).toString('hex'), 'hex');
          answer = await createTimeStampResponse(o.tsa, tsq, now(), new Uint8Array(serial));
          o.onRequest?.(`timestamp ${tsq.hash} nonce=${tsq.nonce ? 'yes' : 'no'}`);
        } catch (e) {
          answer = createRejection(0, `bad request: ${(e as Error).message}`);
        }
      }
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(Buffer.from(answer));
      return;
    }
    res.writeHead(404).end();
  };
  return createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String((e as Error).message));
    });
  });
}

/** Starts the server on host:port (0 = any free port) and returns its base URL. */
export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return `http://${host}:${addr.port}`;
}

