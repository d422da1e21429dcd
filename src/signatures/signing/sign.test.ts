import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import { createDemoPki, writePkcs12, type DemoPki } from '../pki/index.ts';
import { P12Backend, StaticRevocationSource, KeyBackendError, type KeyBackend } from '../keys/index.ts';
import { TsaClient, createTsaServer, listen } from '../tsa/index.ts';
import { validatePdf } from '../validation/index.ts';
import { signPdf, extendPdf, vnIsoTime, demoSigning, type PadesLevel } from './index.ts';
import { validatorSelfCheck } from './self-check.ts';
import { makeSamplePdf, makeStampPng } from './fixtures.ts';
import { hasPdfsig, makeNssDb, pdfsigAvailable, runPdfsig } from './pdfsig.ts';

const LEVELS: PadesLevel[] = ['B-B', 'B-T', 'B-LT', 'B-LTA'];
const ORDER: Record<string, number> = { 'B-B': 0, 'B-T': 1, 'B-LT': 2, 'B-LTA': 3 };
const poppler = hasPdfsig();
const hasQpdf = spawnSync('qpdf', ['--version']).status === 0;

describe('PAdES signing', () => {
  let dir: string;
  let pki: DemoPki;
  let server: Server;
  let tsa: TsaClient;
  let revocation: StaticRevocationSource;
  let nss: string;
  let rsa: KeyBackend;
  let ec: KeyBackend;
  let p384: KeyBackend;
  let seal: KeyBackend;
  const inputs: Record<'table' | 'stream', Uint8Array> = {} as Record<'table' | 'stream', Uint8Array>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoso-sign-'));
    pki = await createDemoPki(dir, {
      people: [
        { id: 'an', commonName: 'Nguyễn Văn An', organization: 'Sở Y tế Hà Nội' },
        { id: 'binh', commonName: 'Trần Thị Bình', organization: 'Sở Y tế Hà Nội', key: { kind: 'ec', curve: 'P-256' } },
        { id: 'cuong', commonName: 'Lê Mạnh Cường', organization: 'UBND Quận Hoàn Kiếm', key: { kind: 'ec', curve: 'P-384' } },
        { id: 'revoked', commonName: 'Phạm Thu Hằng', organization: 'Sở Y tế Hà Nội', revoked: true },
      ],
      seals: [{ id: 'syt', organization: 'Sở Y tế Hà Nội' }],
    });
    server = createTsaServer({ tsa: { certificate: pki.tsa.certificate, privateKey: pki.tsa.privateKey, chain: pki.tsa.chain } });
    const url = await listen(server);
    tsa = new TsaClient({ urls: [url], trustAnchors: pki.trustAnchors });
    revocation = new StaticRevocationSource([pki.crls.root, pki.crls.agency]);
    rsa = await P12Backend.fromFile(pki.people.an!.p12Path, pki.people.an!.password);
    ec = await P12Backend.fromFile(pki.people.binh!.p12Path, pki.people.binh!.password);
    p384 = await P12Backend.fromFile(pki.people.cuong!.p12Path, pki.people.cuong!.password);
    seal = await P12Backend.fromFile(pki.seals.syt!.p12Path, pki.seals.syt!.password);
    inputs.table = await makeSamplePdf({ xref: 'table' });
    inputs.stream = await makeSamplePdf({ xref: 'stream' });
    if (pdfsigAvailable()) nss = makeNssDb(pki.trustAnchors);
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  const common = (): { tsa: TsaClient; revocation: StaticRevocationSource; trustAnchors: Uint8Array[] } => ({ tsa, revocation, trustAnchors: pki.trustAnchors });

  async function expectAllGood(bytes: Uint8Array, signers: string[], level: PadesLevel): Promise<void> {
    const report = await validatePdf(bytes, { trustAnchors: pki.trustAnchors });
    expect(report.error).toBeNull();
    const sigs = report.signatures.filter((s) => s.type === 'signature');
    expect(sigs.map((s) => s.indication)).toEqual(signers.map(() => 'TOTAL_PASSED'));
    // Every signature reaches at least the requested level; the newest exactly that level.
    for (const s of sigs) expect(ORDER[s.padesLevel ?? 'none'] ?? -1).toBeGreaterThanOrEqual(ORDER[level]!);
    expect(sigs[sigs.length - 1]!.padesLevel).toBe(level);
    for (const ts of report.signatures.filter((s) => s.type === 'document-timestamp')) expect(ts.indication).toBe('TOTAL_PASSED');
    if (poppler) {
      const entries = runPdfsig(bytes, nss).filter((e) => e.type !== 'unknown'); // DocTimeStamps: pdfsig cannot check them
      expect(entries.map((e) => e.commonName)).toEqual(signers);
      for (const e of entries) {
        expect(e.validation).toBe('Signature is Valid.');
        expect(e.certificate).toBe('Certificate is Trusted.');
      }
    }
    if (hasQpdf) {
      const f = join(dir, `check-${Math.random().toString(36).slice(2)}.pdf`);
      await writeFile(f, bytes);
      const q = spawnSync('qpdf', ['--check', f], { encoding: 'utf8' });
      expect(q.status).toBe(0);
      expect(q.stdout + q.stderr).not.toMatch(/WARNING/i);
    }
  }

  for (const xref of ['table', 'stream'] as const) {
    for (const level of LEVELS) {
      it(`signs an xref-${xref} PDF at ${level} with RSA and with ECDSA`, async () => {
        for (const [signer, cn] of [[rsa, 'Nguyễn Văn An'], [ec, 'Trần Thị Bình'], [p384, 'Lê Mạnh Cường']] as const) {
          if (signer === p384 && level !== 'B-LTA') continue;
          const r = await signPdf(inputs[xref], { ...common(), signer, level, reason: 'Phê duyệt hồ sơ', location: 'Hà Nội' });
          expect(Buffer.from(r.bytes.subarray(0, inputs[xref].length)).equals(Buffer.from(inputs[xref]))).toBe(true);
          await expectAllGood(r.bytes, [cn], level);
        }
      });

      it(`applies three signatures in sequence on an xref-${xref} PDF at ${level}`, async () => {
        let bytes = inputs[xref];
        const chain: Array<[KeyBackend, string]> = [[rsa, 'Nguyễn Văn An'], [ec, 'Trần Thị Bình'], [seal, 'Sở Y tế Hà Nội']];
        for (const [i, [signer]] of chain.entries()) {
          const before = bytes;
          bytes = (await signPdf(bytes, {
            ...common(), signer, level,
            selfCheck: validatorSelfCheck({ trustAnchors: pki.trustAnchors }),
            appearance: { kind: 'visible', page: 0, x: 40 + i * 180, y: 60, width: 170, height: 90 },
          })).bytes;
          expect(Buffer.from(bytes.subarray(0, before.length)).equals(Buffer.from(before))).toBe(true);
        }
        await expectAllGood(bytes, chain.map((c) => c[1]), level);
      });
    }
  }

  it('certifies with DocMDP P=2, allows a later signature, and refuses one after P=1', async () => {
    const certified = await signPdf(inputs.table, { ...common(), signer: seal, level: 'B-T', certify: 2, reason: 'Cấp kết quả' });
    const text = Buffer.from(certified.bytes).toString('latin1');
    expect(text).toMatch(/\/TransformMethod\s*\/DocMDP/);
    expect(text).toMatch(/\/Perms\s*<<\s*\/DocMDP/);
    const second = await signPdf(certified.bytes, { ...common(), signer: rsa, level: 'B-T' });
    await expectAllGood(second.bytes, ['Sở Y tế Hà Nội', 'Nguyễn Văn An'], 'B-T');
    const locked = await signPdf(inputs.table, { ...common(), signer: seal, certify: 1 });
    await expect(signPdf(locked.bytes, { ...common(), signer: rsa })).rejects.toMatchObject({ code: 'DOCMDP_LOCKED' });
    await expect(signPdf(second.bytes, { ...common(), signer: rsa, certify: 2 })).rejects.toMatchObject({ code: 'CERTIFY_NOT_FIRST' });
  });

  it('signs with the demo setup other rooms use (in-process TSA, demo CRLs)', async () => {
    const demo = demoSigning(pki);
    const r = await signPdf(inputs.table, { ...demo.options, signer: await demo.seal('syt'), level: 'B-LT', certify: 2, reason: 'Cấp kết quả' });
    await expectAllGood(r.bytes, ['Sở Y tế Hà Nội'], 'B-LT');
    await expect(demo.person('không-có')).rejects.toThrow(/no person/);
  });

  it('signs with SHA-384 and SHA-512 digests', async () => {
    for (const hash of ['SHA-384', 'SHA-512'] as const) {
      const r = await signPdf(inputs.stream, { ...common(), signer: rsa, level: 'B-T', hash });
      const report = await validatePdf(r.bytes, { trustAnchors: pki.trustAnchors });
      expect(report.signatures[0]!.indication).toBe('TOTAL_PASSED');
      expect(report.signatures[0]!.digestAlgorithm?.replace('-', '').toUpperCase()).toBe(hash.replace('-', ''));
    }
  });

  it('extends B-B and B-T signatures to B-LT and then B-LTA', async () => {
    let bytes = (await signPdf(inputs.stream, { ...common(), signer: rsa, level: 'B-B' })).bytes;
    bytes = (await signPdf(bytes, { ...common(), signer: ec, level: 'B-T' })).bytes;
    const lt = await extendPdf(bytes, { level: 'B-LT', revocation, trustAnchors: pki.trustAnchors, selfCheck: validatorSelfCheck({ trustAnchors: pki.trustAnchors }) });
    const ltReport = await validatePdf(lt.bytes, { trustAnchors: pki.trustAnchors });
    expect(ltReport.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(ltReport.signatures[1]!.padesLevel).toBe('B-LT');
    const lta = await extendPdf(lt.bytes, { level: 'B-LTA', revocation, tsa, trustAnchors: pki.trustAnchors });
    const ltaReport = await validatePdf(lta.bytes, { trustAnchors: pki.trustAnchors });
    expect(ltaReport.signatures.filter((s) => s.type === 'document-timestamp')).toHaveLength(1);
    expect(ltaReport.signatures.find((s) => s.fieldName === ltaReport.signatures[1]!.fieldName)!.padesLevel).toBe('B-LTA');
    for (const s of ltaReport.signatures) expect(s.indication).toBe('TOTAL_PASSED');
  });

  it('draws a Nghị định 30 visible signature that renders and extracts as correct Vietnamese', { skip: !poppler }, async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const r = await signPdf(inputs.table, {
      ...common(), signer: rsa, level: 'B-T', now: new Date(),
      appearance: { kind: 'visible', page: 0, x: 330, y: 90, width: 230, height: 110, signatureImage: makeStampPng('signature'), sealImage: makeStampPng('seal') },
    });
    const file = join(dir, 'visible.pdf');
    await writeFile(file, r.bytes);
    const txt = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.normalize('NFC');
    expect(txt).toContain('Người ký: Nguyễn Văn An');
    expect(txt).toContain('Cơ quan: Sở Y tế Hà Nội');
    expect(txt).toMatch(/Thời gian ký: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00/);
    const png = join(dir, 'visible');
    expect(spawnSync('pdftoppm', ['-r', '100', '-png', '-singlefile', file, png]).status).toBe(0);
    const img = await readFile(`${png}.png`);
    expect(img.subarray(1, 4).toString()).toBe('PNG');
    // Copy signature: top-right of page 1, no image, copy type + agency + time.
    const copy = await signPdf(inputs.table, { ...common(), signer: seal, level: 'B-T', now, appearance: { kind: 'copy', copyType: 'SAO Y' } });
    const cfile = join(dir, 'copy.pdf');
    await writeFile(cfile, copy.bytes);
    const bbox = spawnSync('pdftotext', ['-bbox', cfile, '-'], { encoding: 'utf8' }).stdout;
    const m = /xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>SAO</.exec(bbox);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(300); // right half
    expect(Number(m![2])).toBeLessThan(100); // top of the page (pdftotext y grows downwards)
    const ctxt = spawnSync('pdftotext', [cfile, '-'], { encoding: 'utf8' }).stdout.normalize('NFC');
    expect(ctxt).toContain(`Thời gian ký: ${vnIsoTime(now)}`);
    expect(vnIsoTime(new Date('2026-03-05T20:04:05Z'))).toBe('2026-03-06T03:04:05+07:00');
  });

  it('refuses expired, revoked and untrusted certificates and a wrong password, before touching the PDF', async () => {
    const future = new Date(Date.now() + 4 * 365 * 864e5);
    await expect(signPdf(inputs.table, { ...common(), signer: rsa, now: future })).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
    const revoked = await P12Backend.fromFile(pki.people.revoked!.p12Path, pki.people.revoked!.password);
    await expect(signPdf(inputs.table, { ...common(), signer: revoked })).rejects.toMatchObject({ code: 'CERT_REVOKED' });
    await expect(signPdf(inputs.table, { ...common(), signer: rsa, trustAnchors: [pki.tsa.certificate] })).rejects.toMatchObject({ code: 'CERT_UNTRUSTED' });
    await expect(P12Backend.fromFile(pki.people.an!.p12Path, 'sai')).rejects.toThrow(KeyBackendError);
    // A TSA certificate (critical EKU timeStamping) may not sign documents.
    const tsaAsSigner = P12Backend.fromBytes(writePkcs12({ privateKey: pki.tsa.privateKey, certificate: pki.tsa.certificate, chain: pki.tsa.chain, password: 'x' }), 'x');
    await expect(signPdf(inputs.table, { ...common(), signer: tsaAsSigner })).rejects.toMatchObject({ code: 'CERT_USAGE' });
    await expect(P12Backend.fromFile(pki.people.an!.p12Path, 'sai')).rejects.toThrow(/wrong password/);
  });

  it('fails loudly for B-LT without revocation data and for an unreachable TSA', async () => {
    await expect(signPdf(inputs.table, { ...common(), signer: rsa, level: 'B-LT', revocation: new StaticRevocationSource([]) }))
      .rejects.toMatchObject({ code: 'REVOCATION_UNAVAILABLE' });
    // Root CRL only: the signer's own CA CRL is missing.
    await expect(signPdf(inputs.table, { ...common(), signer: rsa, level: 'B-LT', revocation: new StaticRevocationSource([pki.crls.root]) }))
      .rejects.toBeInstanceOf(KeyBackendError);
    const dead = new TsaClient({ urls: ['http://127.0.0.1:1/'], timeoutMs: 1000 });
    await expect(signPdf(inputs.table, { ...common(), tsa: dead, signer: rsa, level: 'B-T' })).rejects.toThrow(/timestamp authority/);
    await expect(signPdf(inputs.table, { ...common(), tsa: undefined, signer: rsa, level: 'B-T' })).rejects.toMatchObject({ code: 'TSA_REQUIRED' });
  });

  it('refuses a TSA token for another digest even from a source that does not check it', async () => {
    const { createTimeStampToken } = await import('../tsa/token.ts');
    const lying = {
      async timestamp(): Promise<Uint8Array> {
        return createTimeStampToken({ certificate: pki.tsa.certificate, privateKey: pki.tsa.privateKey, chain: pki.tsa.chain },
          { hash: 'SHA-256', imprint: new Uint8Array(32), nonce: undefined, certReq: true, policy: undefined }, new Date());
      },
    };
    await expect(signPdf(inputs.table, { ...common(), tsa: lying, signer: rsa, level: 'B-T' })).rejects.toThrow(/imprint/);
  });

  it('refuses to countersign a document whose earlier signature is broken', async () => {
    const signed = (await signPdf(inputs.table, { ...common(), signer: rsa })).bytes;
    const tampered = new Uint8Array(signed);
    const at = Buffer.from(signed).indexOf('/Producer');
    expect(at).toBeGreaterThan(0);
    tampered[at + 3] = tampered[at + 3]! ^ 0x01; // inside the signed range, outside any stream
    await expect(signPdf(tampered, { ...common(), signer: ec, selfCheck: validatorSelfCheck({ trustAnchors: pki.trustAnchors }) }))
      .rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('refuses to sign a signed document that would need a full rewrite', async () => {
    const signed = (await signPdf(inputs.table, { ...common(), signer: rsa })).bytes;
    // Damage the final startxref offset: libpdf would recover by brute force and rewrite the whole file.
    const text = Buffer.from(signed).toString('latin1');
    const at = text.lastIndexOf('startxref');
    const broken = Buffer.from(text.slice(0, at) + text.slice(at).replace(/startxref\s+\d+/, 'startxref\n999999999'), 'latin1');
    await expect(signPdf(new Uint8Array(broken), { ...common(), signer: ec })).rejects.toMatchObject({ code: 'INCREMENTAL_BLOCKED' });
  });
});
