import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toPem } from '../pki/asn1.ts';

/** One signature as poppler's `pdfsig` reports it (its exit code is 0 even for invalid signatures). */
export interface PdfsigEntry {
  commonName: string;
  type: string;
  valid: boolean;
  trusted: boolean;
  totalDocument: boolean;
  validation: string;
  certificate: string;
}

export function hasPdfsig(): boolean {
  return spawnSync('pdfsig', ['-v']).status === 0 && spawnSync('certutil', ['-H']).error === undefined;
}

/**
 * Whether the pdfsig cross-check can run here. CI installs poppler-utils and libnss3-tools: there a missing tool is
 * an error, not a reason to skip the check.
 */
export function pdfsigAvailable(): boolean {
  const ok = hasPdfsig();
  if (!ok && process.env.CI) throw new Error('pdfsig/certutil are required in CI (poppler-utils, libnss3-tools)');
  return ok;
}

/** An NSS database trusting exactly `roots` (for `pdfsig -nssdir`). */
export function makeNssDb(roots: Uint8Array[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-nss-'));
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  roots.forEach((r, i) => {
    const p = join(dir, `root${i}.pem`);
    writeFileSync(p, toPem('CERTIFICATE', r));
    execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', `root${i}`, '-t', 'CT,C,C', '-i', p]);
  });
  return dir;
}

export function runPdfsig(pdf: Uint8Array, nssDir: string): PdfsigEntry[] {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-pdfsig-'));
  const file = join(dir, 'f.pdf');
  writeFileSync(file, pdf);
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, file], { encoding: 'utf8' });
  const out = r.stdout;
  const entries: PdfsigEntry[] = [];
  for (const block of out.split(/^Signature #\d+:$/m).slice(1)) {
    const get = (re: RegExp): string => re.exec(block)?.[1]?.trim() ?? '';
    const validation = get(/Signature Validation: (.*)/);
    const certificate = get(/Certificate Validation: (.*)/);
    entries.push({
      commonName: get(/Signer Certificate Common Name: (.*)/),
      type: get(/Signature Type: (.*)/),
      validation,
      certificate,
      valid: validation === 'Signature is Valid.',
      trusted: certificate === 'Certificate is Trusted.',
      totalDocument: /Total document signed/.test(block) && !/Not total document signed/.test(block),
    });
  }
  return entries;
}
