import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { spawnSync } from 'node:child_process';
import { createDemoPki, createOcspRequest, parseOcspResponse, type DemoPki, generateKey, issueCertificate } from '../pki/index.ts';
import {
  TsaClient, createTsaServer, listen, createTimeStampResponse, LocalTimestampSource, verifyTimeStampToken, type TsaIdentity,
} from './index.ts';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe('RFC 3161 TSA', () => {
  let dir: string;
  let pki: DemoPki;
  let server: Server;
  let url: string;
  let tsa: TsaIdentity;
  const extra: Server[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoso-tsa-'));
    pki = await createDemoPki(dir, { people: [{ id: 'an', commonName: 'Nguyễn Văn An', organization: 'Sở Y tế Hà Nội', revoked: true }], seals: [] });
    tsa = { certificate: pki.tsa.certificate, privateKey: pki.tsa.privateKey, chain: pki.tsa.chain };
    server = createTsaServer({
      tsa, crls: { 'agency-ca': pki.crls.agency },
      ocsp: { responder: { certificate: pki.ocsp.certificate, privateKey: pki.ocsp.privateKey }, issuerCertificate: pki.agencyCa.certificate, crl: pki.crls.agency },
    });
    url = await listen(server);
  });
  afterAll(async () => {
    for (const s of [server, ...extra]) await new Promise((r) => s.close(r));
  });

  const digestOf = (s: string): Uint8Array => new Uint8Array(createHash('sha256').update(s).digest());

  it('returns a token that passes every check, with nonce and imprint', async () => {
    const client = new TsaClient({ urls: [url], trustAnchors: pki.trustAnchors });
    const d = digestOf('hồ sơ');
    const token = await client.timestamp(d, 'SHA-256');
    const info = verifyTimeStampToken(token);
    expect(Buffer.from(info.imprint).equals(Buffer.from(d))).toBe(true);
    expect(info.nonce).toBeDefined();
    expect(Math.abs(info.genTime.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('falls back to the next TSA when the first is unreachable', async () => {
    const dead = createServer((_q, r) => r.destroy());
    extra.push(dead);
    const deadUrl = await listen(dead);
    const client = new TsaClient({ urls: [deadUrl, 'http://127.0.0.1:1/', url], trustAnchors: pki.trustAnchors, timeoutMs: 2000 });
    await client.timestamp(digestOf('x'), 'SHA-256');
    expect(client.lastUrl).toBe(url);
  });

  it('fails with a clear error when no TSA answers', async () => {
    const client = new TsaClient({ urls: ['http://127.0.0.1:1/'], timeoutMs: 1000 });
    await expect(client.timestamp(digestOf('x'), 'SHA-256')).rejects.toThrow(/no timestamp authority/);
  });

  it('rejects a token for another digest, a replayed nonce, and an untrusted TSA', async () => {
    // A TSA that answers with a token for a different imprint.
    const liar = createServer(async (req, res) => {
      for await (const _ of req) { /* drain */ }
      const resp = await createTimeStampResponse(tsa, { hash: 'SHA-256', imprint: digestOf('other'), nonce: undefined, certReq: true, policy: undefined }, new Date());
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(Buffer.from(resp));
    });
    extra.push(liar);
    const liarUrl = await listen(liar);
    await expect(new TsaClient({ urls: [liarUrl] }).timestamp(digestOf('mine'), 'SHA-256')).rejects.toThrow(/imprint mismatch/);

    const noNonce = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const { parseTimeStampRequest } = await import('./token.ts');
      const q = parseTimeStampRequest(new Uint8Array(Buffer.concat(chunks)));
      const resp = await createTimeStampResponse(tsa, { ...q, nonce: new Uint8Array([1, 2, 3]) }, new Date());
      res.writeHead(200).end(Buffer.from(resp));
    });
    extra.push(noNonce);
    await expect(new TsaClient({ urls: [await listen(noNonce)] }).timestamp(digestOf('mine'), 'SHA-256')).rejects.toThrow(/nonce/);

    const k = generateKey({ kind: 'ec' });
    const otherRoot = issueCertificate({ profile: 'root-ca', subject: { commonName: 'Khác' }, publicKey: k.publicKey, selfSignKey: k.privateKey, notBefore: new Date(Date.now() - 1e3), notAfter: new Date(Date.now() + 1e9) });
    await expect(new TsaClient({ urls: [url], trustAnchors: [otherRoot] }).timestamp(digestOf('mine'), 'SHA-256')).rejects.toThrow(/not trusted/);
  });

  it('refuses a TSA certificate without the timeStamping EKU', async () => {
    const k = generateKey({ kind: 'rsa' });
    const cert = issueCertificate({
      profile: 'person', subject: { commonName: 'Not a TSA' }, publicKey: k.publicKey,
      issuer: { certificate: pki.agencyCa.certificate, privateKey: pki.agencyCa.privateKey },
      notBefore: new Date(Date.now() - 1e3), notAfter: new Date(Date.now() + 1e9),
    });
    const bad = new LocalTimestampSource({ certificate: cert, privateKey: k.privateKey, chain: pki.tsa.chain }, pki.trustAnchors);
    await expect(bad.timestamp(digestOf('x'), 'SHA-256')).rejects.toThrow(/timeStamping/);
  });


  it('refuses a token whose content, signature or ESS binding was altered, and one that is not DER at all', async () => {
    const { createTimeStampToken } = await import('./token.ts');
    const d = digestOf('kết quả');
    const token = await createTimeStampToken(tsa, { hash: 'SHA-256', imprint: d, nonce: new Uint8Array([7, 7]), certReq: true, policy: undefined }, new Date());
    expect(Buffer.from(verifyTimeStampToken(token).nonce!)).toEqual(Buffer.from([7, 7]));
    const at = (needle: Uint8Array) => Buffer.from(token).indexOf(Buffer.from(needle));
    const flipped = (i: number) => {
      const t = token.slice();
      t[i]! ^= 0x01;
      return t;
    };
    // The imprint sits in the TSTInfo: its message-digest attribute no longer matches.
    expect(() => verifyTimeStampToken(flipped(at(d) + 3))).toThrow(/message-digest attribute/);
    // The last byte is the signature's.
    expect(() => verifyTimeStampToken(flipped(token.length - 1))).toThrow(/signature on the token is invalid/);
    // The ESS hash is a signed attribute: altering it breaks the signature.
    const certHash = new Uint8Array(createHash('sha256').update(tsa.certificate).digest());
    expect(() => verifyTimeStampToken(flipped(at(certHash)))).toThrow(/signature on the token is invalid/);
    // Truncated, or DER that is not a SignedData: a check error, not a crash.
    expect(() => verifyTimeStampToken(token.subarray(0, 40))).toThrow(/not valid DER|malformed/);
    expect(() => verifyTimeStampToken(new Uint8Array([0x30, 0x03, 0x06, 0x01, 0x00]))).toThrow(/not CMS SignedData|malformed/);
  });
  it('serves CRLs and answers OCSP from the CRL', async () => {
    const crl = await fetch(`${url}/crl/agency-ca.crl`);
    expect(crl.status).toBe(200);
    const r = await fetch(`${url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: Buffer.from(createOcspRequest(pki.people.an!.certificate, pki.agencyCa.certificate)) });
    const info = parseOcspResponse(new Uint8Array(await r.arrayBuffer()));
    expect(info.certStatus).toBe('revoked');
    expect(info.signedBy(pki.ocsp.certificate)).toBe(true);
  });

  it('produces tokens openssl ts -verify accepts', { skip: !hasOpenssl }, async () => {
    const data = Buffer.from('Quyết định số 123');
    const dataPath = join(dir, 'data.bin');
    await writeFile(dataPath, data);
    const token = await new TsaClient({ urls: [url] }).timestamp(new Uint8Array(createHash('sha256').update(data).digest()), 'SHA-256');
    const tokPath = join(dir, 'token.der');
    await writeFile(tokPath, token);
    const r = spawnSync('openssl', ['ts', '-verify', '-token_in', '-in', tokPath, '-data', dataPath, '-CAfile', pki.root.certPath, '-untrusted', join(dir, 'chain.pem')]);
    expect(r.stdout.toString() + r.stderr.toString()).toContain('Verification: OK');
  });
});

describe('revocation over HTTP (CRL distribution point, OCSP from AIA)', () => {
  it('finds status through the URLs in the certificate', async () => {
    const { HttpRevocationSource, revocationStatus } = await import('../keys/revocation.ts');
    const dir = await mkdtemp(join(tmpdir(), 'hoso-http-rev-'));
    const pki = await createDemoPki(dir, { people: [{ id: 'x', commonName: 'Vũ Thị Xuân', organization: 'Sở Tư pháp', revoked: true }], seals: [] });
    const server = createTsaServer({
      tsa: { certificate: pki.tsa.certificate, privateKey: pki.tsa.privateKey, chain: pki.tsa.chain },
      crls: { 'agency-ca': pki.crls.agency },
      ocsp: { responder: { certificate: pki.ocsp.certificate, privateKey: pki.ocsp.privateKey }, issuerCertificate: pki.agencyCa.certificate, crl: pki.crls.agency },
    });
    const url = await listen(server);
    try {
      const issuer = { certificate: pki.agencyCa.certificate, privateKey: pki.agencyCa.privateKey };
      const k = generateKey({ kind: 'ec' });
      const withCrl = issueCertificate({ profile: 'person', subject: { commonName: 'Có CRL' }, publicKey: k.publicKey, issuer, notBefore: new Date(Date.now() - 1e3), notAfter: new Date(Date.now() + 1e9), crlUrls: [`${url}/crl/agency-ca.crl`] });
      const withOcsp = issueCertificate({ profile: 'person', subject: { commonName: 'Có OCSP' }, publicKey: k.publicKey, issuer, notBefore: new Date(Date.now() - 1e3), notAfter: new Date(Date.now() + 1e9), ocspUrl: `${url}/ocsp` });
      let clock = Date.now();
      const source = new HttpRevocationSource(2000, () => clock);
      expect(await revocationStatus(withCrl, pki.agencyCa.certificate, source, new Date())).toEqual({ status: 'good', by: 'crl' });
      expect(await revocationStatus(withOcsp, pki.agencyCa.certificate, source, new Date())).toEqual({ status: 'good', by: 'ocsp' });
      // What was fetched is reused while current: no request for the same CRL or OCSP answer again…
      const fetched = source.fetches;
      expect(await revocationStatus(withCrl, pki.agencyCa.certificate, source, new Date())).toEqual({ status: 'good', by: 'crl' });
      expect(await revocationStatus(withOcsp, pki.agencyCa.certificate, source, new Date())).toEqual({ status: 'good', by: 'ocsp' });
      expect(source.fetches).toBe(fetched);
      // …and fetched afresh once older than the reuse limits.
      clock += 3_600_001;
      expect(await revocationStatus(withCrl, pki.agencyCa.certificate, source, new Date())).toEqual({ status: 'good', by: 'crl' });
      expect(await revocationStatus(withOcsp, pki.agencyCa.certificate, source, new Date())).toEqual({ status: 'good', by: 'ocsp' });
      expect(source.fetches).toBe(fetched + 2);
      const unreachable = issueCertificate({ profile: 'person', subject: { commonName: 'Không tới được' }, publicKey: k.publicKey, issuer, notBefore: new Date(Date.now() - 1e3), notAfter: new Date(Date.now() + 1e9), crlUrls: ['http://127.0.0.1:1/x.crl'] });
      expect((await revocationStatus(unreachable, pki.agencyCa.certificate, source, new Date())).status).toBe('unknown');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
