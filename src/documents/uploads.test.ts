import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/http/problem.ts';
import { TINY_JPEG, javascriptPdf, samplePdf, tinyPng } from '../dossiers/testing.ts';
import { checkFile, imagesToPdf, inspectPdf, prepareComponentFiles, sniff } from './uploads.ts';

async function code(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).code;
  }
  throw new Error('expected a refusal');
}

const file = (bytes: Uint8Array, filename = 'f', declaredType = '') => ({ componentKey: 'k', filename, declaredType, bytes });

describe('sniffing and file checks', () => {
  it('tells PDF, JPEG and PNG by their bytes, not their names', async () => {
    expect(sniff(await samplePdf())).toBe('pdf');
    expect(sniff(TINY_JPEG)).toBe('jpeg');
    expect(sniff(tinyPng())).toBe('png');
    expect(sniff(Buffer.from('GIF89a'))).toBeNull();
    // A PDF header after leading junk (allowed within the first 1024 bytes).
    expect(sniff(Buffer.concat([Buffer.alloc(100, 0x20), await samplePdf()]))).toBe('pdf');
  });

  it('refuses empty, oversized, disguised and unknown files; a PNG named .jpg is still a photo', async () => {
    expect(await code(() => checkFile(file(new Uint8Array()), 10))).toBe('FILE_EMPTY');
    expect(await code(() => checkFile(file(tinyPng()), 10))).toBe('FILE_TOO_LARGE');
    expect(await code(() => checkFile(file(tinyPng(), 'x.pdf', 'application/pdf'), 1e6))).toBe('FILE_TYPE_MISMATCH');
    expect(await code(async () => checkFile(file(await samplePdf(), 'x.jpg', 'image/jpeg'), 1e6))).toBe('FILE_TYPE_MISMATCH');
    expect(await code(() => checkFile(file(Buffer.from('hello'), 'x.pdf'), 1e6))).toBe('FILE_TYPE_MISMATCH');
    expect(await code(() => checkFile(file(Buffer.from('hello'), 'x.txt', 'text/plain'), 1e6))).toBe('FILE_TYPE_UNSUPPORTED');
    expect(checkFile(file(tinyPng(), 'x.jpg', 'image/jpeg'), 1e6)).toBe('png');
  });
});

describe('PDF inspection', () => {
  it('accepts a plain PDF and counts its pages', async () => {
    expect(await inspectPdf('k', await samplePdf())).toEqual({ pages: 1 });
  });

  it('refuses JavaScript even inside object streams or behind #-escaped names', async () => {
    expect(await code(inspectPdf('k', await javascriptPdf()))).toBe('PDF_ACTIVE_CONTENT');
    const doc = await PDFDocument.create();
    doc.addPage([100, 100]);
    const pdf = Buffer.from(await doc.save({ useObjectStreams: false })).toString('latin1');
    // Insert an escaped /JavaScript name into the catalogue dictionary by hand (same byte length kept irrelevant:
    // pdf-lib repairs the cross-reference when offsets move).
    const escaped = pdf.replace('/Type /Catalog', '/Type /Catalog /Names << /J#61vaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >>');
    expect(await code(inspectPdf('k', Buffer.from(escaped, 'latin1')))).toBe('PDF_ACTIVE_CONTENT');
  });

  it('refuses Launch actions and automatic page actions', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([100, 100]);
    page.node.set(PDFName.of('AA'), doc.context.obj({ O: { S: 'Launch', F: PDFString.of('calc.exe') } }));
    const found = await inspectPdf('k', await doc.save()).then(
      () => null,
      (e: AppError) => e.extensions.found,
    );
    expect(found).toEqual(expect.arrayContaining(['AA', 'Launch']));
  });

  it('refuses a PDF without %%EOF, and one whose objects do not parse', async () => {
    const good = await samplePdf();
    expect(await code(inspectPdf('k', good.subarray(0, good.length - 10)))).toBe('PDF_MALFORMED');
    expect(await code(inspectPdf('k', Buffer.from('%PDF-1.4\nnot a pdf\n%%EOF\n')))).toBe('PDF_MALFORMED');
  });
});

describe('photos and scans become one PDF per component', () => {
  it('one page per image, in order, scaled to A4 at most, keeping the aspect ratio', async () => {
    const { bytes, pages } = await imagesToPdf('k', [
      { kind: 'png', bytes: tinyPng(2000, 1000) },
      { kind: 'jpeg', bytes: TINY_JPEG },
    ]);
    expect(pages).toBe(2);
    const doc = await PDFDocument.load(bytes);
    const [a, b] = doc.getPages().map((p) => p.getSize());
    expect(Math.max(a!.width, a!.height)).toBeCloseTo(841.89, 1);
    expect(a!.width / a!.height).toBeCloseTo(2, 5);
    expect(b).toEqual({ width: 1, height: 1 });
  });

  it('is deterministic (same photos, same PDF bytes) and refuses a broken image', async () => {
    const one = await imagesToPdf('k', [{ kind: 'png', bytes: tinyPng() }]);
    const two = await imagesToPdf('k', [{ kind: 'png', bytes: tinyPng() }]);
    expect(Buffer.from(one.bytes).equals(Buffer.from(two.bytes))).toBe(true);
    const broken = tinyPng().subarray(0, 20);
    expect(await code(imagesToPdf('k', [{ kind: 'png', bytes: broken }]))).toBe('IMAGE_MALFORMED');
  });

  it('a component is one PDF or images, never both', async () => {
    const pdf = await samplePdf();
    expect(await code(prepareComponentFiles('k', [file(pdf, 'a.pdf'), file(tinyPng(), 'b.png')], 1e6))).toBe('FILE_KINDS_MIXED');
    const images = await prepareComponentFiles('k', [file(tinyPng(), 'a.png'), file(TINY_JPEG, 'b.jpg')], 1e6);
    expect(images).toMatchObject({ pages: 2, converted: true });
    const kept = await prepareComponentFiles('k', [file(pdf, 'a.pdf')], 1e6);
    expect(kept.converted).toBe(false);
    expect(Buffer.from(kept.pdf).equals(Buffer.from(pdf))).toBe(true);
  });
});
