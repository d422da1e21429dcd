import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, verify } from 'node:crypto';
import type { Server } from 'node:http';
import { createDemoPki, readPkcs12, generateKey, publicKeyOfCertificate, type DemoPki } from '../pki/index.ts';
import { createTsaServer, listen, TsaClient } from '../tsa/index.ts';
import { StaticRevocationSource } from './revocation.ts';
import { CscBackend } from './csc.ts';
import { createCscTestServer, ecdsaSignDigest } from './csc-test-server.ts';
import { signPdf } from '../signing/sign.ts';
import { validatorSelfCheck } from '../signing/self-check.ts';
import { makeSamplePdf } from '../signing/fixtures.ts';
import { hasPdfsig, makeNssDb, runPdfsig } from '../signing/pdfsig.ts';
import { main } from '../../cli/main.ts';

describe('CSC API v2 remote signing', () => {
  let dir: string;
  let pki: DemoPki;
  let csc: Server;
  let tsaServer: Server;
  let url: string;
  let tsaUrl: string;
  const TOKEN = 'test-token-hoso';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoso-csc-'));
    pki = await createDemoPki(join(dir, 'pki'), {
      people: [
        { id: 'an', commonName: 'Nguyễn Văn An', organization: 'Sở Y tế Hà Nội' },
        { id: 'binh', commonName: 'Trần Thị Bình', organization: 'Sở Y tế Hà Nội', key: { kind: 'ec', curve: 'P-256' } },
      ],
      seals: [{ id: 'syt', organization: 'Sở Y tế Hà Nội', key: { kind: 'ec', curve: 'P-384' } }],
    });
    const cred = async (id: string, s: { p12Path: string; password: string }, pin: string) => {
      const c = readPkcs12(new Uint8Array(await readFile(s.p12Path)), s.password);
      return { id, privateKey: c.privateKey, certificates: [c.certificate, ...c.chain], pin };
    };
    csc = createCscTestServer({
      accessToken: TOKEN,
      credentials: [await cred('an-rsa', pki.people.an!, '123456'), await cred('binh-ec', pki.people.binh!, '654321'), await cred('seal-p384', pki.seals.syt!, '111111')],
    });
    url = await listen(csc);
    tsaServer = createTsaServer({ tsa: { certificate: pki.tsa.certificate, privateKey: pki.tsa.privateKey, chain: pki.tsa.chain } });
    tsaUrl = await listen(tsaServer);
  });
  afterAll(async () => {
    await new Promise((r) => csc.close(r));
    await new Promise((r) => tsaServer.close(r));
  });

  it('signs a digest with P-256 and P-384 keys exactly like node:crypto verifies', () => {
    for (const curve of ['P-256', 'P-384'] as const) {
      const k = generateKey({ kind: 'ec', curve });
      const data = Buffer.from(`dữ liệu ${curve}`);
      const h = curve === 'P-256' ? 'sha256' : 'sha384';
      const sig = ecdsaSignDigest(k.privateKey, new Uint8Array(createHash(h).update(data).digest()));
      expect(verify(h, data, k.publicKey, sig)).toBe(true);
      expect(verify(h, Buffer.from('khác'), k.publicKey, sig)).toBe(false);
    }
  });

  it('signs three times in sequence (RSA, ECDSA P-256, P-384 seal) through the CSC service', async () => {
    const tsa = new TsaClient({ urls: [tsaUrl], trustAnchors: pki.trustAnchors });
    const revocation = new StaticRevocationSource([pki.crls.root, pki.crls.agency]);
    let bytes = await makeSamplePdf({ xref: 'table' });
    for (const [id, pin, level] of [['an-rsa', '123456', 'B-T'], ['binh-ec', '654321', 'B-LT'], ['seal-p384', '111111', 'B-LTA']] as const) {
      const backend = await CscBackend.open({ baseUrl: url, credentialId: id, accessToken: TOKEN, pin });
      expect(backend.chain.length).toBe(2);
      bytes = (await signPdf(bytes, { signer: backend, level, tsa, revocation, trustAnchors: pki.trustAnchors, selfCheck: validatorSelfCheck({ trustAnchors: pki.trustAnchors }) })).bytes;
    }
    if (hasPdfsig()) {
      const entries = runPdfsig(bytes, makeNssDb(pki.trustAnchors)).filter((e) => e.type !== 'unknown');
      expect(entries.map((e) => e.commonName)).toEqual(['Nguyễn Văn An', 'Trần Thị Bình', 'Sở Y tế Hà Nội']);
      for (const e of entries) expect([e.validation, e.certificate]).toEqual(['Signature is Valid.', 'Certificate is Trusted.']);
    }
  });

  it('reports a wrong PIN, a wrong token and an unreachable service clearly', async () => {
    const wrongPin = await CscBackend.open({ baseUrl: url, credentialId: 'an-rsa', accessToken: TOKEN, pin: '000000' });
    await expect(signPdf(await makeSamplePdf({ xref: 'table' }), { signer: wrongPin, trustAnchors: pki.trustAnchors })).rejects.toThrow(/invalid_pin/);
    await expect(CscBackend.open({ baseUrl: url, credentialId: 'an-rsa', accessToken: 'sai', pin: '123456' })).rejects.toMatchObject({ code: 'CSC_UNAUTHORIZED' });
    await expect(CscBackend.open({ baseUrl: 'http://127.0.0.1:1', credentialId: 'an-rsa', timeoutMs: 1000 })).rejects.toMatchObject({ code: 'CSC_UNREACHABLE' });
  });

  it('refuses a service whose signature does not match the certificate', async () => {
    // A credential whose key does not belong to its certificate.
    const other = generateKey({ kind: 'rsa' });
    const bad = createCscTestServer({ accessToken: TOKEN, credentials: [{ id: 'x', privateKey: other.privateKey, certificates: [pki.people.an!.certificate, ...pki.caCertificates], pin: '1' }] });
    const badUrl = await listen(bad);
    try {
      const backend = await CscBackend.open({ baseUrl: badUrl, credentialId: 'x', accessToken: TOKEN, pin: '1' });
      expect(publicKeyOfCertificate(backend.certificate).asymmetricKeyType).toBe('rsa');
      await expect(signPdf(await makeSamplePdf({ xref: 'stream' }), { signer: backend, trustAnchors: pki.trustAnchors })).rejects.toMatchObject({ code: 'BAD_SIGNATURE' });
    } finally {
      await new Promise((r) => bad.close(r));
    }
  });

  it('signs through `hoso sign --csc`', async () => {
    const inPath = join(dir, 'in.pdf');
    const outPath = join(dir, 'out.pdf');
    await writeFile(inPath, await makeSamplePdf({ xref: 'stream' }));
    process.env.HOSO_CSC_TOKEN = TOKEN;
    process.env.HOSO_CSC_PIN = '654321';
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    const code = await main(['sign', inPath, outPath, '--csc', url, '--credential', 'binh-ec', '--trust', pki.root.certPath, '--level', 'B-T', '--tsa', tsaUrl], io);
    expect(out.join('\n')).toContain('Trần Thị Bình');
    expect(code).toBe(0);
    expect(existsSync(outPath)).toBe(true);
    delete process.env.HOSO_CSC_TOKEN;
    delete process.env.HOSO_CSC_PIN;
  });
});
