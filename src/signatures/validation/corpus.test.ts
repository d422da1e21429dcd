import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificatesFromFile } from './certs.ts';
import { validatePdf } from './index.ts';
import type { ValidationReport } from './types.ts';

/**
 * The external corpus (../shared/corpus/signed-pdfs) judged in-process with the same condensation and hard/soft
 * split as ../shared/tools/check-corpus.mjs. Hard disagreements fail the test; soft ones are only counted.
 */
const corpus = resolve(import.meta.dirname, '../../../../shared/corpus/signed-pdfs');
const manifestPath = join(corpus, 'manifest.json');

interface Entry {
  file: string;
  expected: string;
  acceptable_alternatives?: string[];
  expected_if_validated_now?: string;
  disputed?: boolean;
  requires_revocation_check_disabled_or_soft_fail?: boolean;
  trust_anchors?: string[];
  validation_time?: string | null;
}

const INTEGRITY = new Set(['HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'FORMAT_FAILURE']);

/** Same rules as classify() in check-corpus.mjs. */
export function classify(report: ValidationReport): string {
  if (report.error) return 'malformed';
  const all = report.signatures;
  const sigs = all.filter((s) => s.type !== 'document-timestamp');
  if (sigs.length === 0) return all.some((s) => s.indication === 'TOTAL_FAILED') ? 'invalid-integrity' : 'not-signed';
  if (all.some((s) => s.modifiedAfterSigning === 'disallowed')) return 'invalid-integrity';
  const failed = all.filter((s) => s.indication === 'TOTAL_FAILED');
  if (failed.some((s) => INTEGRITY.has(s.subIndication ?? ''))) return 'invalid-integrity';
  if (failed.length > 0) return 'invalid-certificate';
  if (all.some((s) => s.indication === 'INDETERMINATE')) return 'indeterminate';
  if (all.every((s) => s.indication === 'TOTAL_PASSED')) return 'valid';
  return 'unknown';
}

function isSoft(e: Entry): boolean {
  return Boolean(e.disputed) || e.expected === 'invalid-certificate' || e.expected === 'malformed' || Boolean(e.requires_revocation_check_disabled_or_soft_fail);
}

describe('signed-PDF corpus', () => {
  it('is present beside the project (../shared)', () => {
    expect(existsSync(manifestPath), `corpus manifest missing at ${manifestPath}`).toBe(true);
  });
  const manifest = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { entries: Entry[] }) : { entries: [] };

  it('agrees on every hard case', async () => {
    const hardFailures: string[] = [];
    let soft = 0;
    let softOk = 0;
    for (const e of manifest.entries) {
      const anchors = (e.trust_anchors ?? []).flatMap((a) => certificatesFromFile(new Uint8Array(readFileSync(join(corpus, a)))));
      const report = await validatePdf(new Uint8Array(readFileSync(join(corpus, e.file))), {
        trustAnchors: anchors,
        at: e.validation_time ? new Date(e.validation_time) : undefined,
      });
      const got = classify(report);
      const ok = new Set([e.expected, ...(e.acceptable_alternatives ?? [])]);
      if (e.expected_if_validated_now && !e.validation_time) ok.add(e.expected_if_validated_now);
      if (isSoft(e)) {
        soft++;
        if (ok.has(got)) softOk++;
      } else if (!ok.has(got)) hardFailures.push(`${e.file}: expected ${[...ok].join('|')}, got ${got}`);
    }
    console.log(`corpus soft cases: ${softOk}/${soft} agree`);
    expect(hardFailures).toEqual([]);
    expect(manifest.entries.length).toBeGreaterThan(100);
  }, 120_000);
});
