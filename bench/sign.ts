/**
 * Signing benchmark: one-page PAdES B-B signatures per second on one core (PKCS#12 RSA-2048 and ECDSA P-256),
 * B-LT with the local TSA over HTTP, and a third signature on a 5 MB PDF. Prints one JSON line per figure.
 * Run: npx tsx bench/sign.ts [--seconds 5]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDemoPki } from '../src/signatures/pki/index.ts';
import { P12Backend, StaticRevocationSource } from '../src/signatures/keys/index.ts';
import { TsaClient, createTsaServer, listen } from '../src/signatures/tsa/index.ts';
import { signPdf } from '../src/signatures/signing/index.ts';
import { makeSamplePdf } from '../src/signatures/signing/fixtures.ts';

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 5;

function line(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

function stats(ms: number[]): { mean: number; p50: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { mean: +(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(2), p50: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2) };
}

const dir = await mkdtemp(join(tmpdir(), 'hoso-bench-sign-'));
try {
  const pki = await createDemoPki(dir, {
    people: [
      { id: 'rsa', commonName: 'Nguyễn Văn An', organization: 'Sở Y tế Hà Nội' },
      { id: 'ec', commonName: 'Trần Thị Bình', organization: 'Sở Y tế Hà Nội', key: { kind: 'ec', curve: 'P-256' } },
      { id: 'third', commonName: 'Lê Mạnh Cường', organization: 'Sở Y tế Hà Nội' },
    ],
    seals: [],
  });
  const onePage = await makeSamplePdf({ xref: 'table' });
  for (const id of ['rsa', 'ec'] as const) {
    const signer = await P12Backend.fromFile(pki.people[id]!.p12Path, pki.people[id]!.password);
    for (let i = 0; i < 300; i++) await signPdf(onePage, { signer, trustAnchors: pki.trustAnchors }); // warm-up (JIT)
    const times: number[] = [];
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    while (performance.now() - start < SECONDS * 1000) {
      const t = performance.now();
      await signPdf(onePage, { signer, trustAnchors: pki.trustAnchors, reason: 'Phê duyệt' });
      times.push(performance.now() - t);
    }
    const elapsed = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    // perCpuSecond divides by the CPU time this process got, which stays meaningful on a shared, loaded machine
    // (it includes libuv threadpool work such as WebCrypto digests).
    line({
      bench: 'sign', case: `B-B one page PKCS#12 ${id === 'rsa' ? 'RSA-2048' : 'ECDSA P-256'}`, signatures: times.length,
      perSecondWall: +(times.length / elapsed).toFixed(1), perCpuSecond: +(times.length / cpuSeconds).toFixed(1), ms: stats(times),
      target: id === 'rsa' ? 300 : undefined,
    });
  }

  const server = createTsaServer({ tsa: { certificate: pki.tsa.certificate, privateKey: pki.tsa.privateKey, chain: pki.tsa.chain } });
  const url = await listen(server);
  try {
    const tsa = new TsaClient({ urls: [url], trustAnchors: pki.trustAnchors });
    const revocation = new StaticRevocationSource([pki.crls.root, pki.crls.agency]);
    const signer = await P12Backend.fromFile(pki.people.rsa!.p12Path, pki.people.rsa!.password);
    for (const level of ['B-T', 'B-LT', 'B-LTA'] as const) {
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t = performance.now();
        await signPdf(onePage, { signer, level, tsa, revocation, trustAnchors: pki.trustAnchors });
        times.push(performance.now() - t);
      }
      line({ bench: 'sign', case: `${level} one page RSA-2048, local TSA over HTTP`, signatures: times.length, perSecondWall: +(1000 / stats(times).mean).toFixed(1), ms: stats(times) });
    }

    const big = await makeSamplePdf({ xref: 'stream', pages: 3, padBytes: 5 * 1024 * 1024 });
    const s3 = await P12Backend.fromFile(pki.people.third!.p12Path, pki.people.third!.password);
    const ec = await P12Backend.fromFile(pki.people.ec!.p12Path, pki.people.ec!.password);
    let two = (await signPdf(big, { signer, trustAnchors: pki.trustAnchors })).bytes;
    two = (await signPdf(two, { signer: ec, level: 'B-T', tsa, trustAnchors: pki.trustAnchors })).bytes;
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await signPdf(two, { signer: s3, level: 'B-T', tsa, trustAnchors: pki.trustAnchors });
      times.push(performance.now() - t);
    }
    line({ bench: 'sign', case: 'third signature (B-T) on a 5 MB PDF', inputBytes: two.length, signatures: times.length, ms: stats(times) });
  } finally {
    await new Promise((r) => server.close(r));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
