import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSamplePdf } from '../signing/fixtures.ts';
import { PdfDocument } from './document.ts';
import { PdfError } from './errors.ts';
import { PdfDict, PdfRef, PdfStream, PdfString } from './objects.ts';
import { IncrementalUpdate, name, textString, withEntries } from './writer.ts';

const hasQpdf = spawnSync('qpdf', ['--version']).status === 0;
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hoso-writer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** qpdf's structural check: exit 0 and no warning (qpdf warns whenever it has to repair an xref). */
function expectQpdfClean(bytes: Uint8Array): void {
  if (!hasQpdf) return;
  const f = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(f, bytes);
  const r = spawnSync('qpdf', ['--check', f], { encoding: 'utf8' });
  expect(r.stdout + r.stderr).not.toMatch(/WARNING/i);
  expect(r.status).toBe(0);
}

/** Every object the original file lets a reader reach, with its value, to compare after an update. */
function reachable(doc: PdfDocument): Map<number, string> {
  const out = new Map<number, string>();
  for (const s of doc.sections) for (const [num, e] of s.entries) if (e.type !== 0) out.set(num, JSON.stringify(doc.getObject(num), (_, v) => (v instanceof Uint8Array ? v.length : v instanceof Map ? [...v] : v)));
  return out;
}

/** Adds an Info-like dictionary and a new stream, and changes the catalog: the shape of every signing update. */
function touch(doc: PdfDocument): { bytes: Uint8Array; offsets: Map<number, number>; added: PdfRef; stream: PdfRef } {
  const u = new IncrementalUpdate(doc);
  const added = u.add({ Title: textString('Quyết định — bản cập nhật') });
  const stream = u.addStream({ Type: name('EmbeddedFile') }, new TextEncoder().encode('nội dung '.repeat(50)), true);
  const root = doc.trailer().get('Root') as PdfRef;
  u.put(root, withEntries(doc.dict(root), { HosoTest: added }));
  return { ...u.finish(), added, stream };
}

function damageStartxref(bytes: Uint8Array): Uint8Array {
  const text = latin1(bytes);
  const at = text.lastIndexOf('startxref');
  const damaged = `${text.slice(0, at)}startxref\n7\n%%EOF\n`;
  return new Uint8Array(Buffer.from(damaged, 'latin1'));
}

describe('IncrementalUpdate', () => {
  for (const xref of ['table', 'stream'] as const) {
    it(`appends to an xref-${xref} file without touching its bytes, with a section of the same kind and /Prev`, async () => {
      const original = await makeSamplePdf({ xref });
      const doc = PdfDocument.load(original);
      const before = reachable(doc);
      const { bytes, added, stream } = touch(doc);

      expect(Buffer.from(bytes.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
      const tail = latin1(bytes.subarray(original.length));
      if (xref === 'table') expect(tail).toMatch(/\nxref\n/);
      else expect(tail).toMatch(/\/Type \/XRef/);

      const again = PdfDocument.load(bytes);
      expect(again.reconstructed).toBe(false);
      expect(again.sections).toHaveLength(doc.sections.length + 1);
      expect(again.trailer().get('Prev')).toBe(doc.sections[doc.lastRev]!.offset);
      expect(again.trailer().get('Root')).toEqual(doc.trailer().get('Root'));
      // The file's first /ID is kept (pdf-lib writes none: then both are new), the second changes with each update.
      const ids = again.trailer().get('ID') as PdfString[];
      expect(ids).toHaveLength(2);
      const next = PdfDocument.load(touch(again).bytes).trailer().get('ID') as PdfString[];
      expect(next[0]!.bytes).toEqual(ids[0]!.bytes);
      expect(next[1]!.bytes).not.toEqual(ids[1]!.bytes);
      // The new objects read back; every old one is unchanged in the old revision.
      expect((again.dict(added)!.get('Title') as PdfString).text()).toBe('Quyết định — bản cập nhật');
      expect(new TextDecoder().decode(again.decode(again.getObject(stream.num) as PdfStream))).toBe('nội dung '.repeat(50));
      expect(again.dict(again.trailer().get('Root'))!.get('HosoTest')).toEqual(added);
      const oldRev = reachable(PdfDocument.load(bytes.subarray(0, original.length)));
      expect(oldRev).toEqual(before);
      expectQpdfClean(bytes);
    });
  }

  it('writes subsections for non-consecutive object numbers', async () => {
    const original = await makeSamplePdf({ xref: 'table' });
    const doc = PdfDocument.load(original);
    const u = new IncrementalUpdate(doc);
    const root = doc.trailer().get('Root') as PdfRef;
    u.put(root, withEntries(doc.dict(root), { Lang: textString('vi-VN') }));
    u.add({ A: 1 });
    u.add({ B: 2 });
    const { bytes } = u.finish();
    const table = latin1(bytes.subarray(original.length)).split('trailer')[0]!;
    const size = doc.trailer().get('Size') as number;
    expect(table).toContain(`\n${root.num} 1\n`);
    expect(table).toContain(`\n${size} 2\n`);
    expect(PdfDocument.load(bytes).dict(PdfDocument.load(bytes).trailer().get('Root'))!.get('Lang')).toBeInstanceOf(PdfString);
    expectQpdfClean(bytes);
  });

  it('starts the update on a new line when the file does not end with one', async () => {
    const original = await makeSamplePdf({ xref: 'table' });
    let end = original.length;
    while (original[end - 1] === 0x0a || original[end - 1] === 0x0d) end--;
    const trimmed = original.subarray(0, end);
    const { bytes, added } = touch(PdfDocument.load(trimmed));
    expect(bytes[trimmed.length]).toBe(0x0a);
    expect(PdfDocument.load(bytes).dict(added)).toBeInstanceOf(PdfDict);
    expectQpdfClean(bytes);
  });

  for (const xref of ['table', 'stream'] as const) {
    it(`gives an xref-${xref} file whose cross-reference was rebuilt by scanning a complete section every reader accepts`, async () => {
      const damaged = damageStartxref(await makeSamplePdf({ xref, pages: 2 }));
      const doc = PdfDocument.load(damaged);
      expect(doc.reconstructed).toBe(true);
      // pdf-lib puts the pages of an xref-stream file in object streams: the scan must list their members.
      expect([...doc.sections[0]!.entries.values()].some((e) => e.type === 2)).toBe(xref === 'stream');
      expect(doc.pageCount()).toBe(2);
      const { bytes, added, offsets } = touch(doc);

      const again = PdfDocument.load(bytes);
      expect(again.reconstructed).toBe(false);
      expect(again.sections).toHaveLength(1);
      expect(again.trailer().has('Prev')).toBe(false);
      expect(again.pageCount()).toBe(2);
      expect(again.dict(added)).toBeInstanceOf(PdfDict);
      // Every object the scan found — those in object streams too — is listed in the new section.
      for (const [num, e] of doc.sections[0]!.entries) {
        if (offsets.has(num)) continue; // rewritten by the update (the catalog)
        expect(again.entry(num)?.type, `object ${num}`).toBe(e.type);
        expect(JSON.stringify(again.getObject(num)), `object ${num}`).toBe(JSON.stringify(doc.getObject(num)));
      }
      expectQpdfClean(bytes);
      if (hasQpdf) {
        const f = join(dir, 'rebuilt.pdf');
        writeFileSync(f, bytes);
        expect(execFileSync('qpdf', ['--show-npages', f], { encoding: 'utf8' }).trim()).toBe('2');
      }
    });
  }

  it('refuses an encrypted file', async () => {
    const doc = PdfDocument.load(await makeSamplePdf({ xref: 'table' }));
    const trailer = doc.trailer() as unknown as { map: Map<string, unknown> };
    trailer.map.set('Encrypt', new PdfRef(99, 0));
    expect(() => new IncrementalUpdate(doc)).toThrow(PdfError);
    expect(() => new IncrementalUpdate(doc)).toThrow(/encrypted/);
  });
});
