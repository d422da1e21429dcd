import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../cli/command.ts';
import { UsageError } from '../../cli/command.ts';
import { verifyCommand } from '../cli.ts';
import { type TestCa, createTestCa } from '../testing/pki.ts';
import { appendUpdate, signPdf, unsignedPdf } from '../testing/signed-pdf.ts';

let ca: TestCa;
let dir: string;
let good: string;
let tampered: string;
let unsigned: string;
let rootPem: string;

function capture(): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += `${t}\n`;
    },
    err(t: string) {
      io.stderr += `${t}\n`;
    },
  };
  return io;
}

beforeAll(() => {
  ca = createTestCa('Hoso CLI Root');
  const signer = ca.issue('Lê Văn Cường');
  dir = mkdtempSync(join(tmpdir(), 'hoso-verify-cli-'));
  const pdf = signPdf(unsignedPdf(), signer.certDer, signer.key);
  good = join(dir, 'good.pdf');
  writeFileSync(good, pdf);
  tampered = join(dir, 'tampered.pdf');
  const evil = 'BT /F1 24 Tf 72 720 Td (Sua doi) Tj ET';
  writeFileSync(tampered, appendUpdate(pdf, [[6, `<< /Length ${evil.length} >>\nstream\n${evil}\nendstream`]]));
  unsigned = join(dir, 'unsigned.pdf');
  writeFileSync(unsigned, unsignedPdf());
  rootPem = join(dir, 'root.pem');
  writeFileSync(rootPem, `-----BEGIN CERTIFICATE-----\n${Buffer.from(ca.certDer).toString('base64')}\n-----END CERTIFICATE-----\n`);
}, 60_000);

afterAll(() => {
  ca?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('hoso verify', () => {
  it('prints the check-corpus JSON contract and exits 0 when every signature passes', async () => {
    const io = capture();
    const code = await verifyCommand.run(['--json', '--trust', rootPem, good], io);
    expect(code).toBe(0);
    const out = JSON.parse(io.stdout) as { files: { file: string; error: unknown; signatures: Record<string, unknown>[] }[] };
    expect(out.files).toHaveLength(1);
    expect(out.files[0]!.error).toBeNull();
    const s = out.files[0]!.signatures[0]!;
    expect(s).toMatchObject({ type: 'signature', indication: 'TOTAL_PASSED', subIndication: null, modifiedAfterSigning: 'none' });
  });

  it('trusts a folder of anchors', async () => {
    expect(await verifyCommand.run(['--json', '--trust', dir, good], capture())).toBe(0);
  });

  it('exits 1 without a trust anchor, for a disallowed change, and for an unsigned file', async () => {
    expect(await verifyCommand.run(['--json', good], capture())).toBe(1);
    const io = capture();
    expect(await verifyCommand.run(['--json', '--trust', rootPem, tampered], io)).toBe(1);
    expect(JSON.parse(io.stdout).files[0].signatures[0].modifiedAfterSigning).toBe('disallowed');
    expect(await verifyCommand.run(['--trust', rootPem, unsigned], capture())).toBe(1);
    expect(await verifyCommand.run(['--trust', rootPem, good, tampered], capture())).toBe(1);
  });

  it('prints a Vietnamese report by default and English with --lang en', async () => {
    const vi = capture();
    await verifyCommand.run(['--trust', rootPem, good], vi);
    expect(vi.stdout).toContain('Người ký: Lê Văn Cường (C=VN, O=Hoso Test, CN=Lê Văn Cường)');
    expect(vi.stdout).toContain('Thời điểm ký');
    expect(vi.stdout).toContain('Kết luận: chữ ký hợp lệ.');
    const en = capture();
    await verifyCommand.run(['--trust', rootPem, '--lang', 'en', good], en);
    expect(en.stdout).toContain('Result: the signature is valid.');
  });

  it('exits 2 on I/O errors and rejects bad usage', async () => {
    const io = capture();
    expect(await verifyCommand.run(['--json', join(dir, 'missing.pdf')], io)).toBe(2);
    expect(JSON.parse(io.stdout).files[0].error.code).toBe('IO_ERROR');
    expect(await verifyCommand.run(['--trust', join(dir, 'nope.pem'), good], capture())).toBe(2);
    await expect(verifyCommand.run([], capture())).rejects.toBeInstanceOf(UsageError);
    await expect(verifyCommand.run(['--at', 'yesterday', good], capture())).rejects.toBeInstanceOf(UsageError);
    await expect(verifyCommand.run(['--lang', 'fr', good], capture())).rejects.toBeInstanceOf(UsageError);
  });

  it('validates as of --at', async () => {
    const io = capture();
    expect(await verifyCommand.run(['--json', '--trust', rootPem, '--at', '2000-01-01T00:00:00Z', good], io)).toBe(1);
    expect(JSON.parse(io.stdout).files[0].signatures[0].subIndication).toBe('NOT_YET_VALID');
  });
});
