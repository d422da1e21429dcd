import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, writeFile, readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../cli/main.ts';
import { validatePdf } from '../validation/index.ts';
import { fromPemAll } from '../pki/asn1.ts';
import { makeSamplePdf, makeStampPng } from './fixtures.ts';
import { hasPdfsig, makeNssDb, runPdfsig } from './pdfsig.ts';

const BIN = fileURLToPath(new URL('../../../bin/hoso.mjs', import.meta.url));

function capture(): { io: { out(t: string): void; err(t: string): void }; text(): string } {
  const lines: string[] = [];
  return { io: { out: (t) => lines.push(t), err: (t) => lines.push(t) }, text: () => lines.join('\n') };
}

describe('hoso sign / tsa serve / pki demo', () => {
  let dir: string;
  let tsa: ChildProcess;
  let tsaUrl: string;
  let root: Uint8Array;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoso-cli-'));
    const c = capture();
    const code = await main(['pki', 'demo', '--dir', join(dir, 'pki'), '--person', 'an:Nguyễn Văn An:Sở Y tế Hà Nội', '--person', 'binh:Trần Thị Bình:Sở Y tế Hà Nội:ec', '--seal', 'syt:Sở Y tế Hà Nội', '--json'], c.io);
    expect(code).toBe(0);
    const summary = JSON.parse(c.text()) as { root: string; people: Array<{ id: string; p12: string }> };
    expect(summary.people.map((p) => p.id)).toEqual(['an', 'binh']);
    root = fromPemAll(await readFile(summary.root, 'utf8'))[0]!;
    if (process.env.CI && !hasPdfsig()) throw new Error('pdfsig/certutil are required in CI (poppler-utils, libnss3-tools)');
    secrets = JSON.parse(await readFile(join(dir, 'pki', 'secrets.json'), 'utf8')) as Record<string, string>;
    await writeFile(join(dir, 'in-table.pdf'), await makeSamplePdf({ xref: 'table' }));
    await writeFile(join(dir, 'in-stream.pdf'), await makeSamplePdf({ xref: 'stream' }));
    await writeFile(join(dir, 'sig.png'), makeStampPng('signature'));
    await writeFile(join(dir, 'seal.png'), makeStampPng('seal'));
    tsa = spawn(process.execPath, [BIN, 'tsa', 'serve', '--port', '0', '--dir', join(dir, 'pki')], { stdio: ['ignore', 'pipe', 'pipe'] });
    tsaUrl = await new Promise<string>((resolve, reject) => {
      let buf = '';
      tsa.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /listening on (http:\/\/[\d.:]+)/.exec(buf);
        if (m) resolve(m[1]!);
      });
      tsa.stderr!.on('data', (d: Buffer) => { buf += d.toString(); });
      tsa.once('exit', (code) => reject(new Error(`tsa serve exited with ${code}: ${buf}`)));
    });
  }, 60_000);

  afterAll(() => {
    if (tsa.pid && tsa.exitCode === null) process.kill(tsa.pid, 'SIGTERM');
    delete process.env.HOSO_P12_PASSWORD;
  });

  const keyArgs = (id: 'an' | 'binh' | 'syt'): string[] => {
    process.env.HOSO_P12_PASSWORD = secrets[id === 'syt' ? 'seals/syt' : `people/${id}`];
    return ['--p12', join(dir, 'pki', id === 'syt' ? 'seals' : 'people', `${id}.p12`)];
  };
  const trust = (): string[] => ['--trust', join(dir, 'pki', 'root-ca.pem')];
  const crls = (): string[] => ['--crl', join(dir, 'pki', 'root-ca.crl'), '--crl', join(dir, 'pki', 'agency-ca.crl')];

  for (const level of ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const) {
    it(`signs three times in sequence at ${level} (xref table and stream)`, async () => {
      for (const xref of ['table', 'stream']) {
        let input = join(dir, `in-${xref}.pdf`);
        for (const [i, id] of (['an', 'binh', 'syt'] as const).entries()) {
          const out = join(dir, `${xref}-${level}-${i}.pdf`);
          const c = capture();
          const args = ['sign', input, out, ...keyArgs(id), ...trust(), ...crls(), '--level', level, '--tsa', 'http://127.0.0.1:1/', '--tsa', tsaUrl,
            '--reason', 'Phê duyệt', '--location', 'Hà Nội'];
          if (i === 0) args.push('--visible', '1,60,80,170,100', '--image', join(dir, 'sig.png'), '--seal', join(dir, 'seal.png'));
          const code = await main(args, c.io);
          expect(c.text()).toContain(`PAdES ${level}`);
          expect(code).toBe(0);
          input = out;
        }
        const bytes = new Uint8Array(await readFile(input));
        const report = await validatePdf(bytes, { trustAnchors: [root] });
        const sigs = report.signatures.filter((s) => s.type === 'signature');
        expect(sigs.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_PASSED']);
        expect(sigs[2]!.padesLevel).toBe(level);
        const verify = capture();
        expect(await main(['verify', '--trust', join(dir, 'pki', 'root-ca.pem'), input], verify.io)).toBe(0);
        if (hasPdfsig()) {
          const entries = runPdfsig(bytes, makeNssDb([root])).filter((e) => e.type !== 'unknown');
          expect(entries.map((e) => [e.commonName, e.valid, e.trusted])).toEqual([
            ['Nguyễn Văn An', true, true], ['Trần Thị Bình', true, true], ['Sở Y tế Hà Nội', true, true],
          ]);
        }
      }
    });
  }

  it('extends a B-B file to B-LTA with --extend', async () => {
    const bb = join(dir, 'ext-bb.pdf');
    expect(await main(['sign', join(dir, 'in-table.pdf'), bb, ...keyArgs('an'), ...trust()], capture().io)).toBe(0);
    const lta = join(dir, 'ext-lta.pdf');
    const c = capture();
    expect(await main(['sign', bb, lta, '--extend', '--level', 'B-LTA', '--tsa', tsaUrl, ...trust(), ...crls()], c.io)).toBe(0);
    const report = await validatePdf(new Uint8Array(await readFile(lta)), { trustAnchors: [root] });
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(report.signatures.map((s) => s.type)).toEqual(['signature', 'document-timestamp']);
  });

  it('gives clear errors and never writes OUT', async () => {
    const input = join(dir, 'in-table.pdf');
    const cases: Array<[string[], RegExp]> = [
      [['--p12', join(dir, 'pki', 'people', 'an.p12'), '--pass-env', 'HOSO_TEST_WRONG', ...trust()], /wrong password/],
      [[...keyArgs('an'), ...trust(), '--level', 'B-T', '--tsa', 'http://127.0.0.1:1/'], /no timestamp authority gave a valid timestamp/],
      [[...keyArgs('an'), '--trust', join(dir, 'pki', 'tsa.pem')], /does not chain to a trusted root/],
      [[...keyArgs('an'), ...trust(), '--level', 'B-LT', '--tsa', tsaUrl], /needs revocation data/],
      [['--p12', join(dir, 'nope.p12'), ...trust()], /cannot read/],
      [[...keyArgs('an')], /--trust/],
      [[...keyArgs('an'), ...trust(), '--visible', '9,10,10,100,50'], /page 9 does not exist/],
    ];
    process.env.HOSO_TEST_WRONG = 'sai-mat-khau';
    for (const [i, [args, message]] of cases.entries()) {
      const out = join(dir, `never-${i}.pdf`);
      const c = capture();
      const code = await main(['sign', input, out, ...args], c.io);
      expect(c.text()).toMatch(message);
      expect(code).toBe(2);
      expect(existsSync(out)).toBe(false);
    }
    delete process.env.HOSO_TEST_WRONG;
    expect((await readdir(dir)).filter((n) => n.startsWith('.never'))).toEqual([]);
  });
});
