import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  certificateInfo, createDemoPki, createOcspRequest, createOcspResponse, parseCrl, parseOcspRequest, parseOcspResponse,
  readPkcs12, verifyChain, verifyCrlSignature, Pkcs12Error, generateKey, issueCertificate, writePkcs12, type DemoPki,
} from './index.ts';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

describe('demo PKI', () => {
  let dir: string;
  let pki: DemoPki;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoso-pki-'));
    pki = await createDemoPki(dir, {
      people: [
        { id: 'an', commonName: 'Nguyễn Văn An', organization: 'Sở Y tế Hà Nội' },
        { id: 'binh', commonName: 'Trần Thị Bình', organization: 'Sở Y tế Hà Nội', key: { kind: 'ec', curve: 'P-256' } },
        { id: 'cu', commonName: 'Lê Văn Cù', organization: 'Sở Y tế Hà Nội', revoked: true },
      ],
      seals: [{ id: 'syt', organization: 'Sở Y tế Hà Nội' }],
    });
  });

  it('issues Vietnamese UTF-8 names with the right key usages', () => {
    const an = certificateInfo(pki.people.an!.certificate);
    expect(an.subject).toBe('CN=Nguyễn Văn An, O=Sở Y tế Hà Nội, L=Hà Nội, C=VN');
    expect(an.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(an.isCa).toBe(false);
    expect(certificateInfo(pki.root.certificate).commonName).toBe('hoso Demo Root CA');
    const tsa = certificateInfo(pki.tsa.certificate);
    expect(tsa.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.8']);
    expect(tsa.extKeyUsageCritical).toBe(true);
    expect(certificateInfo(pki.people.binh!.certificate).keyKind).toBe('EC');
    expect(certificateInfo(pki.seals.syt!.certificate).commonName).toBe('Sở Y tế Hà Nội');
  });

  it('chains every end-entity certificate to the root and not to a foreign root', () => {
    for (const s of [pki.people.an!, pki.people.binh!, pki.seals.syt!]) {
      expect(verifyChain({ certificate: s.certificate, intermediates: pki.caCertificates, anchors: pki.trustAnchors, at: new Date() }).ok).toBe(true);
    }
    const other = generateKey({ kind: 'ec' });
    const foreign = issueCertificate({
      profile: 'root-ca', subject: { commonName: 'hoso Demo Root CA' }, publicKey: other.publicKey, selfSignKey: other.privateKey,
      notBefore: new Date(Date.now() - 1000), notAfter: new Date(Date.now() + 1e9),
    });
    const r = verifyChain({ certificate: pki.people.an!.certificate, intermediates: pki.caCertificates, anchors: [foreign], at: new Date() });
    expect(r.ok).toBe(false);
    const expired = verifyChain({ certificate: pki.people.an!.certificate, intermediates: pki.caCertificates, anchors: pki.trustAnchors, at: new Date(Date.now() + 4 * 365 * 864e5) });
    expect(expired.ok).toBe(false);
  });

  it('writes private keys with mode 0600 and is idempotent', async () => {
    expect((await stat(pki.people.an!.p12Path)).mode & 0o777).toBe(0o600);
    expect((await stat(pki.root.keyPath)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
    const again = await createDemoPki(dir, {
      people: [{ id: 'an', commonName: 'Nguyễn Văn An', organization: 'Sở Y tế Hà Nội' }, { id: 'dung', commonName: 'Phạm Dũng', organization: 'UBND Quận Ba Đình' }],
      seals: [],
    });
    expect(Buffer.from(again.root.certificate).equals(Buffer.from(pki.root.certificate))).toBe(true);
    expect(Buffer.from(again.people.an!.certificate).equals(Buffer.from(pki.people.an!.certificate))).toBe(true);
    expect(again.people.an!.password).toBe(pki.people.an!.password);
    expect(again.people.dung).toBeDefined();
  });

  it('gives concurrent creators the same root', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'hoso-pki-race-'));
    const spec = { people: [{ id: 'a', commonName: 'Hoàng Anh', organization: 'Sở Nội vụ' }], seals: [] };
    const [x, y] = await Promise.all([createDemoPki(fresh, spec), createDemoPki(fresh, spec)]);
    expect(Buffer.from(x.root.certificate).equals(Buffer.from(y.root.certificate))).toBe(true);
    expect(Buffer.from(x.people.a!.certificate).equals(Buffer.from(y.people.a!.certificate))).toBe(true);
  });

  it('writes PKCS#12 files that openssl and our reader load, and rejects a wrong password', async () => {
    for (const id of ['an', 'binh'] as const) {
      const s = pki.people[id]!;
      const bytes = new Uint8Array(await readFile(s.p12Path));
      if (hasOpenssl) {
        // openssl verifies the MAC and decrypts the key bag; the key it prints is the certificate's kind.
        const key = execFileSync('openssl', ['pkcs12', '-in', s.p12Path, '-passin', `pass:${s.password}`, '-nocerts', '-nodes'], { encoding: 'utf8' });
        const kind = execFileSync('openssl', ['pkey', '-noout', '-text'], { input: key, encoding: 'utf8' });
        expect(kind).toMatch(id === 'an' ? /Private-Key: \(2048 bit/ : /ASN1 OID: prime256v1|NIST CURVE: P-256/);
      }
      const mine = readPkcs12(bytes, s.password);
      expect(Buffer.from(mine.certificate).equals(Buffer.from(s.certificate))).toBe(true);
      expect(mine.chain.length).toBe(2);
      expect(() => readPkcs12(bytes, 'sai mật khẩu')).toThrow(Pkcs12Error);
    }
  });

  it('reads a PKCS#12 made by openssl with legacy 3DES', { skip: !hasOpenssl }, async () => {
    const k = generateKey({ kind: 'rsa' });
    const p12 = writePkcs12({ privateKey: k.privateKey, certificate: pki.people.an!.certificate, password: 'x' });
    expect(p12.length).toBeGreaterThan(100);
    const keyPem = join(dir, 'legacy.key');
    const certPem = join(dir, 'legacy.crt');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(keyPem, k.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const cert = issueCertificate({
      profile: 'person', subject: { commonName: 'Đỗ Thị Hà' }, publicKey: k.publicKey,
      issuer: { certificate: pki.agencyCa.certificate, privateKey: pki.agencyCa.privateKey },
      notBefore: new Date(Date.now() - 1000), notAfter: new Date(Date.now() + 1e9),
    });
    await writeFile(certPem, `-----BEGIN CERTIFICATE-----\n${Buffer.from(cert).toString('base64')}\n-----END CERTIFICATE-----\n`);
    const out = join(dir, 'legacy.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', keyPem, '-in', certPem, '-out', out, '-passout', 'pass:mật khẩu',
      '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']);
    const r = readPkcs12(new Uint8Array(await readFile(out)), 'mật khẩu');
    expect(certificateInfo(r.certificate).commonName).toBe('Đỗ Thị Hà');
    const out2 = join(dir, 'modern.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', keyPem, '-in', certPem, '-out', out2, '-passout', 'pass:abc']);
    expect(certificateInfo(readPkcs12(new Uint8Array(await readFile(out2)), 'abc').certificate).commonName).toBe('Đỗ Thị Hà');
  });

  it('lists revoked people on a signed CRL', () => {
    const crl = parseCrl(pki.crls.agency);
    expect(crl.revoked.has(pki.people.cu!.serialHex)).toBe(true);
    expect(crl.revoked.has(pki.people.an!.serialHex)).toBe(false);
    expect(verifyCrlSignature(pki.crls.agency, pki.agencyCa.certificate)).toBe(true);
    expect(verifyCrlSignature(pki.crls.agency, pki.root.certificate)).toBe(false);
    expect(verifyCrlSignature(pki.crls.root, pki.root.certificate)).toBe(true);
  });

  it('round-trips OCSP requests and signed responses', () => {
    const nonce = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const req = parseOcspRequest(createOcspRequest(pki.people.an!.certificate, pki.agencyCa.certificate, nonce));
    expect(req.serialHex).toBe(pki.people.an!.serialHex);
    expect(Buffer.from(req.nonce!).equals(Buffer.from(nonce))).toBe(true);
    const now = new Date();
    const resp = createOcspResponse({
      responder: { certificate: pki.ocsp.certificate, privateKey: pki.ocsp.privateKey },
      certificate: pki.people.cu!.certificate, issuerCertificate: pki.agencyCa.certificate,
      status: 'revoked', revocationTime: now, producedAt: now, thisUpdate: now, nextUpdate: new Date(now.getTime() + 3600e3), nonce,
    });
    const info = parseOcspResponse(resp);
    expect(info.responseStatus).toBe(0);
    expect(info.certStatus).toBe('revoked');
    expect(info.serialHex).toBe(pki.people.cu!.serialHex);
    expect(info.signedBy(pki.ocsp.certificate)).toBe(true);
    expect(info.signedBy(pki.agencyCa.certificate)).toBe(false);
    expect(info.certificates.length).toBe(1);
  });

  it('produces certificates, CRLs and OCSP responses openssl accepts', { skip: !hasOpenssl }, async () => {
    const out = execFileSync('openssl', ['verify', '-CAfile', pki.root.certPath, '-untrusted', pki.agencyCa.certPath, '-purpose', 'timestampsign', pki.tsa.certPath]).toString();
    expect(out).toContain(': OK');
    const crl = spawnSync('openssl', ['crl', '-inform', 'DER', '-in', pki.crls.agencyPath, '-noout', '-CAfile', join(dir, 'chain.pem')]);
    expect(crl.stderr.toString()).toContain('verify OK');
  });
});
