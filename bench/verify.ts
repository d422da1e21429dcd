/**
 * Signature validation throughput. Prints JSON lines:
 *  - in-process signatures/s on one core for a 1-page and a ~5 MB signed PDF;
 *  - `hoso verify` over 100 files in one call vs 100 calls of poppler's `pdfsig` on the same files.
 * Run: npx tsx bench/verify.ts   (needs openssl and poppler-utils)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestCa } from '../src/signatures/testing/pki.ts';
import { signPdf, unsignedPdf } from '../src/signatures/testing/signed-pdf.ts';
import { validatePdf } from '../src/signatures/validation/index.ts';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'hoso-bench-'));
const ca = createTestCa('Hoso Bench Root');
const signer = ca.issue('Nguyễn Văn Bench');

function line(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

async function rate(name: string, pdf: Uint8Array, seconds: number): Promise<void> {
  const opts = { trustAnchors: [ca.certDer] };
  for (let i = 0; i < 20; i++) await validatePdf(pdf, opts); // warm-up (JIT)
  let n = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - t0 < seconds * 1000) {
    const r = await validatePdf(pdf, opts);
    if (r.signatures[0]?.indication !== 'TOTAL_PASSED') throw new Error(`${name}: not TOTAL_PASSED`);
    n++;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  // perCpuSecond: signatures per second of CPU time on this one thread — stable on a shared, loaded machine.
  line({
    bench: 'verify-in-process', case: name, bytes: pdf.length, signatures: n, seconds: +(ms / 1000).toFixed(2),
    perSecond: Math.round((n * 1000) / ms), perCpuSecond: Math.round((n * 1000) / cpuMs), msEach: +(ms / n).toFixed(3),
  });
}

try {
  const onePage = signPdf(unsignedPdf(), signer.certDer, signer.key);
  const big = signPdf(unsignedPdf(undefined, 5 * 1024 * 1024), signer.certDer, signer.key);
  await rate('1-page', onePage, 3);
  await rate('5MB', big, 3);

  // 100 distinct one-page files (different content, each signed).
  const files: string[] = [];
  for (let i = 0; i < 100; i++) {
    const f = join(work, `doc-${String(i).padStart(3, '0')}.pdf`);
    writeFileSync(f, signPdf(unsignedPdf(`BT /F1 24 Tf 72 720 Td (Quyet dinh so ${i}) Tj ET`), signer.certDer, signer.key));
    files.push(f);
  }
  const rootPem = join(work, 'root.der');
  writeFileSync(rootPem, ca.certDer);

  const t1 = performance.now();
  const hoso = spawnSync(process.execPath, [join(root, 'bin/hoso.mjs'), 'verify', '--json', '--trust', rootPem, ...files], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const hosoMs = performance.now() - t1;
  const parsed = JSON.parse(hoso.stdout) as { files: { signatures: { indication: string }[] }[] };
  const passed = parsed.files.filter((f) => f.signatures[0]?.indication === 'TOTAL_PASSED').length;
  if (hoso.status !== 0 || passed !== 100) throw new Error(`hoso verify: exit ${hoso.status}, ${passed}/100 passed`);

  // The same 100 files validated in this (warm) process: read + validate, no process start-up.
  const t3 = performance.now();
  let inProcessPassed = 0;
  for (const f of files) {
    const r = await validatePdf(new Uint8Array(readFileSync(f)), { trustAnchors: [ca.certDer] });
    if (r.signatures[0]?.indication === 'TOTAL_PASSED') inProcessPassed++;
  }
  const inProcessMs = performance.now() - t3;

  // Start-up alone: `hoso verify --help` loads the same modules as a real run.
  const t4 = performance.now();
  spawnSync(process.execPath, [join(root, 'bin/hoso.mjs'), 'verify', '--help'], { encoding: 'utf8' });
  const startupMs = performance.now() - t4;

  let pdfsigMs: number | null = null;
  let pdfsigValid = 0;
  try {
    execFileSync('pdfsig', ['-v'], { stdio: 'ignore' });
    const t2 = performance.now();
    for (const f of files) {
      const out = spawnSync('pdfsig', [f], { encoding: 'utf8' });
      if (/Signature is Valid/.test(out.stdout)) pdfsigValid++;
    }
    pdfsigMs = performance.now() - t2;
  } catch {
    pdfsigMs = null;
  }
  line({
    bench: 'verify-100-files',
    hosoOneCallMs: Math.round(hosoMs),
    hosoPassed: passed,
    pdfsig100CallsMs: pdfsigMs === null ? null : Math.round(pdfsigMs),
    pdfsigValid,
    ratio: pdfsigMs === null ? null : +(pdfsigMs / hosoMs).toFixed(2),
    hosoStartupMs: Math.round(startupMs),
    inProcess100Ms: Math.round(inProcessMs),
    inProcessPassed,
    ratioInProcess: pdfsigMs === null ? null : +(pdfsigMs / inProcessMs).toFixed(1),
    note: pdfsigMs === null
      ? 'pdfsig not installed (apt-get install poppler-utils)'
      : 'ratio = pdfsig time / hoso one-call time (includes Node + tsx start-up and every module cli.ts loads); ratioInProcess = pdfsig time / the same 100 files validated in one warm process',
  });
} finally {
  ca.dispose();
  rmSync(work, { recursive: true, force: true });
}
