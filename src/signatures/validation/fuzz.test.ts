import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePdf } from './index.ts';
import type { ValidationReport } from './types.ts';

/**
 * Robustness: mutated corpus files, truncations and random bytes must each yield a report or a clean typed
 * error — never an exception, a hang or runaway memory. Fixed seed, bounded number of cases.
 */
const corpus = resolve(import.meta.dirname, '../../../../shared/corpus/signed-pdfs');

function rng(seed: number): () => number {
  // mulberry32: small, deterministic.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  'pyhanko/minimal-signed-twice-both-created.pdf',
  'pyhanko/pades-lta-dss-indirect-arrs-test.pdf',
  'dss/pdf-byterange-overlap.pdf',
  'node-signpdf/incrementally_signed.pdf',
  'itext/DocumentRevisionsValidatorIntegrationTest/fullCompressionModeLevel1.pdf',
  'dss/pades-ltv.pdf',
];

function assertClean(r: ValidationReport): void {
  if (r.error) {
    expect(r.error.code, r.error.message).not.toBe('INTERNAL_ERROR');
    expect(r.error.code).toMatch(/^[A-Z0-9_]+$/);
    expect(typeof r.error.message).toBe('string');
  } else {
    for (const s of r.signatures) expect(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE']).toContain(s.indication);
  }
}

function mutate(src: Uint8Array, rand: () => number): Uint8Array {
  const b = new Uint8Array(src);
  const kind = Math.floor(rand() * 5);
  const n = 1 + Math.floor(rand() * 16);
  const interesting = [0x30, 0x80, 0xff, 0x00, 0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x2f, 0x0a, 0x39];
  if (kind === 0) for (let i = 0; i < n; i++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
  else if (kind === 1) for (let i = 0; i < n; i++) b[Math.floor(rand() * b.length)] = interesting[Math.floor(rand() * interesting.length)]!;
  else if (kind === 2) {
    // Corrupt digits (offsets, lengths, ByteRange values).
    for (let i = 0, hits = 0; i < 20_000 && hits < n; i++) {
      const p = Math.floor(rand() * b.length);
      if (b[p]! >= 0x30 && b[p]! <= 0x39) {
        b[p] = 0x30 + Math.floor(rand() * 10);
        hits++;
      }
    }
  } else if (kind === 3) {
    const at = Math.floor(rand() * b.length);
    const len = Math.floor(rand() * 512);
    b.copyWithin(at, Math.floor(rand() * b.length), Math.floor(rand() * b.length) + len);
  } else {
    // Mutate inside the tail (xref, trailer, last objects).
    const tail = Math.max(0, b.length - 2048);
    for (let i = 0; i < n; i++) b[tail + Math.floor(rand() * (b.length - tail))] = interesting[Math.floor(rand() * interesting.length)]!;
  }
  return b;
}

describe('validator robustness', () => {
  it('handles mutated, truncated and random inputs with a report or a typed error', async () => {
    const rand = rng(0x5eed);
    const seeds = SEEDS.map((f) => join(corpus, f)).filter(existsSync).map((f) => new Uint8Array(readFileSync(f)));
    expect(seeds.length).toBe(SEEDS.length);
    let cases = 0;
    const started = Date.now();
    for (const seed of seeds) {
      for (let i = 0; i < 60; i++, cases++) assertClean(await validatePdf(mutate(seed, rand), { trustAnchors: [] }));
      for (let i = 0; i < 15; i++, cases++) assertClean(await validatePdf(seed.subarray(0, Math.floor(rand() * seed.length)), { trustAnchors: [] }));
    }
    for (let i = 0; i < 40; i++, cases++) {
      const len = Math.floor(rand() * 4096);
      const b = new Uint8Array(len);
      for (let k = 0; k < len; k++) b[k] = Math.floor(rand() * 256);
      if (i % 2 === 0 && len > 8) b.set(new TextEncoder().encode('%PDF-1.7\n'), 0);
      assertClean(await validatePdf(b, { trustAnchors: [] }));
    }
    expect(cases).toBe(seeds.length * 75 + 40);
    // Generous bound: a hang or pathological blow-up would exceed it by orders of magnitude.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it('bounds decompression bombs and deep nesting', async () => {
    const { deflateSync } = await import('node:zlib');
    const bomb = deflateSync(Buffer.alloc(200 * 1024 * 1024));
    const head = Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Type /XRef /Size 2 /W [1 4 2] /Filter /FlateDecode /Length ${bomb.length} /Root 2 0 R >>\nstream\n`);
    const tail = Buffer.from('\nendstream\nendobj\nstartxref\n9\n%%EOF\n');
    const r1 = await validatePdf(new Uint8Array(Buffer.concat([head, bomb, tail])), { trustAnchors: [] });
    assertClean(r1);
    const deep = Buffer.from(`%PDF-1.7\n1 0 obj\n${'['.repeat(100_000)}\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
    assertClean(await validatePdf(new Uint8Array(deep), { trustAnchors: [] }));
  }, 60_000);
});
