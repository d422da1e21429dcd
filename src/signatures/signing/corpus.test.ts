import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDemoPki } from '../pki/index.ts';
import { validatePdf } from '../validation/index.ts';
import { signPdf, demoSigning, validatorSelfCheck, SigningError } from './index.ts';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/signed-pdfs/', import.meta.url));
const present = existsSync(join(CORPUS, 'manifest.json'));

interface Entry { file: string; expected: string }

describe.skipIf(!present)('countersigning third-party signed PDFs (shared corpus)', () => {
  it('either adds a passing signature without touching earlier bytes, or refuses with a clear reason', { timeout: 300_000 }, async () => {
    const pki = await createDemoPki(await mkdtemp(join(tmpdir(), 'hoso-corpus-')), {
      people: [{ id: 'an', commonName: 'Nguyễn Văn An', organization: 'Sở Y tế Hà Nội' }], seals: [],
    });
    const demo = demoSigning(pki);
    const signer = await demo.person('an');
    const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    const entries = Object.values(manifest).find(Array.isArray) as Entry[];
    const outcomes: Record<string, string> = {};
    for (const e of entries) {
      const input = new Uint8Array(readFileSync(join(CORPUS, e.file)));
      try {
        const r = await signPdf(input, { ...demo.options, signer, level: 'B-T', selfCheck: validatorSelfCheck({ trustAnchors: pki.trustAnchors }) });
        expect(Buffer.from(r.bytes.subarray(0, input.length)).equals(Buffer.from(input))).toBe(true);
        const report = await validatePdf(r.bytes, { trustAnchors: pki.trustAnchors });
        const ours = report.signatures.filter((s) => s.type === 'signature').at(-1)!;
        expect(ours.indication).toBe('TOTAL_PASSED');
        outcomes[e.file] = 'signed';
      } catch (err) {
        expect(err).toBeInstanceOf(SigningError);
        outcomes[e.file] = (err as SigningError).code;
      }
    }
    const codes = new Set(Object.values(outcomes));
    for (const c of codes) expect(['signed', 'INPUT_INVALID', 'INCREMENTAL_BLOCKED', 'PDF_UNREADABLE', 'DOCMDP_LOCKED', 'SELF_CHECK']).toContain(c);
    // Files a validator must accept are signed unless a full rewrite or a DocMDP lock forbids it.
    for (const e of entries.filter((x) => x.expected === 'valid')) {
      expect([e.file, outcomes[e.file]]).toEqual([e.file, expect.stringMatching(/^(signed|INCREMENTAL_BLOCKED|DOCMDP_LOCKED)$/)]);
    }
    // Files whose integrity is broken are never countersigned when the validator sees the damage.
    const broken = entries.filter((x) => x.expected === 'invalid-integrity');
    const refused = broken.filter((x) => outcomes[x.file] !== 'signed');
    expect(refused.length).toBeGreaterThan(broken.length * 0.6);
    expect(Object.values(outcomes).filter((o) => o === 'signed').length).toBeGreaterThan(50);
  });
});
