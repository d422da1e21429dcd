import { PDFDict, PDFDocument, PDFName, PDFRef, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/http/problem.ts';
import { TINY_JPEG, javascriptPdf, samplePdf, tinyPng } from '../dossiers/testing.ts';
import { renderPageGray } from './nd30/testkit.ts';
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

/** 40×20 pixels, the left half red (#d01010), the right half blue (#1030d0): a JPEG from Chromium's canvas encoder. */
const HALVES_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAUACgDASIAAhEBAxEB/8QAFwABAQEBAAAAAAAAAAAAAAAAAAUGCP/EABgQAQADAQAAAAAAAAAAAAAAAAAFQ4LB/8QAFgEBAQEAAAAAAAAAAAAAAAAABwgJ/8QAGhEAAQUBAAAAAAAAAAAAAAAAAAIEBzaDs//aAAwDAQACEQMRAD8A5sAFRoASp2jXEpVnaNcSl1RpVGenRZAsoW57nyQACcFhqgGY5qaSp2jXEoF1RpVGenRZAsoW57nyQACcFh//2Q==',
  'base64',
);

/** 40×20 pixels: the left half red, the top right quarter blue, the bottom right quarter white (Chromium's encoder). */
const QUARTERS_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAUACgDASIAAhEBAxEB/8QAFwABAQEBAAAAAAAAAAAAAAAAAAgJBf/EADAQAAEABAgPAQAAAAAAAAAAAAAEBxETAgUUFRYYVqUBAwYICSEkMTNDR4KFwdPE/8QAGAEAAwEBAAAAAAAAAAAAAAAABwgJBQb/xAAwEQAAAwUDCQkAAAAAAAAAAAAAAQIDBAUGERJRUwcVFyExNDZBUmGBgpGhsbPR0v/aAAwDAQACEQMRAD8AmwAAqFAByo95Hd6OUW3mHqAyCXnTim8Qz3Nchke2JCO6eSh5wsZAa13A3tYzUxuErGoCoWwl8J/3GqkidYdCIA7OTdCzUm3WhJprWo+aiPYdwRvKTDWzxNT20SZUOxfho7BjmDYyoCoWwl8J/wBwdzpHhOE08k/sDPM7x1F6/QydAAjgpgLz0WvU3xn6y8wAgQrc0d/uYT+fuJHrwfGkAAaoH4//2Q==',
  'base64',
);

/** The JPEG with an EXIF segment (APP1) whose IFD0 holds only the orientation tag, in either byte order. */
function withOrientation(jpeg: Buffer, orientation: number, byteOrder: 'II' | 'MM'): Buffer {
  const tiff = Buffer.alloc(26);
  const le = byteOrder === 'II';
  const u16 = (v: number, at: number) => (le ? tiff.writeUInt16LE(v, at) : tiff.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (le ? tiff.writeUInt32LE(v, at) : tiff.writeUInt32BE(v, at));
  tiff.write(byteOrder, 0, 'latin1');
  u16(42, 2);
  u32(8, 4); // IFD0 right after the header
  u16(1, 8); // one entry
  u16(0x0112, 10); // Orientation
  u16(3, 12); // SHORT
  u32(1, 14);
  u16(orientation, 18);
  u32(0, 22); // no next IFD
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const segment = Buffer.concat([Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
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
    // An object listed in the cross-reference that does not parse hides what it holds: refused, not skipped.
    const text = Buffer.from(good).toString('latin1');
    const broken = text.replace(/(\n3 0 obj\s*)<</, '$1((');
    expect(broken).not.toBe(text);
    expect(await code(inspectPdf('k', Buffer.from(broken, 'latin1')))).toBe('PDF_MALFORMED');
  });

  it('refuses an encrypted PDF', async () => {
    const text = Buffer.from(await samplePdf()).toString('latin1');
    const encrypted = text.replace(/trailer\s*<</, 'trailer\n<< /Encrypt << /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >>');
    expect(await code(inspectPdf('k', Buffer.from(encrypted, 'latin1')))).toBe('PDF_ENCRYPTED');
  });

  it('sees JavaScript that a later revision removed, and counts pages through a nested page tree', async () => {
    const withScript = await javascriptPdf();
    const original = Buffer.from(withScript).toString('latin1');
    const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(original)![1]);
    const doc = await PDFDocument.load(withScript);
    const root = doc.context.trailerInfo.Root as PDFRef;
    doc.catalog.delete(PDFName.of('OpenAction'));
    // An incremental update by hand: a new catalog without the OpenAction; the old revision, script included, stays.
    const body = `${root.objectNumber} 0 obj\n${doc.catalog.toString()}\nendobj\n`;
    const at = withScript.length + 1;
    const xrefAt = at + body.length;
    const size = doc.context.largestObjectNumber + 1;
    const entry = `${String(at).padStart(10, '0')} 00000 n\r\n`;
    const update = `\n${body}xref\n${root.objectNumber} 1\n${entry}trailer\n<< /Size ${size} /Root ${root.objectNumber} 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const appended = Buffer.concat([Buffer.from(withScript), Buffer.from(update, 'latin1')]);
    expect((await PDFDocument.load(appended)).catalog.has(PDFName.of('OpenAction'))).toBe(false);
    expect(await code(inspectPdf('k', appended))).toBe('PDF_ACTIVE_CONTENT');

    const many = await PDFDocument.create();
    for (let i = 0; i < 3; i++) many.addPage([100, 100]);
    expect(await inspectPdf('k', await many.save({ useObjectStreams: true }))).toEqual({ pages: 3 });
    // Put the three pages under an intermediate node: /Pages → /Pages → three /Page.
    const top = many.catalog.lookup(PDFName.of('Pages'), PDFDict);
    const inner = many.context.obj({ Type: 'Pages', Kids: top.get(PDFName.of('Kids'))!, Count: 3, Parent: many.catalog.get(PDFName.of('Pages'))! });
    top.set(PDFName.of('Kids'), many.context.obj([many.context.register(inner)]));
    const nested = await many.save({ useObjectStreams: false });
    expect(await inspectPdf('k', nested)).toEqual({ pages: 3 });
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

  it('puts JPEG bytes into the PDF unchanged, drawn as pdf-lib draws them, and refuses a JPEG without a frame header', async () => {
    const { bytes, pages } = await imagesToPdf('k', [
      { kind: 'jpeg', bytes: HALVES_JPEG },
      { kind: 'jpeg', bytes: TINY_JPEG },
    ]);
    expect(pages).toBe(2);
    expect(Buffer.from(bytes).indexOf(HALVES_JPEG)).toBeGreaterThan(0);
    expect((await PDFDocument.load(bytes)).getPages().map((p) => p.getSize())).toEqual([
      { width: 40, height: 20 },
      { width: 1, height: 1 },
    ]);
    expect(await inspectPdf('k', bytes)).toEqual({ pages: 2 });
    const again = await imagesToPdf('k', [{ kind: 'jpeg', bytes: HALVES_JPEG }, { kind: 'jpeg', bytes: TINY_JPEG }]);
    expect(Buffer.from(again.bytes).equals(Buffer.from(bytes))).toBe(true);

    // The rendered page equals the one pdf-lib's own embedding gives, and shows the two halves.
    const reference = await PDFDocument.create();
    const image = await reference.embedJpg(new Uint8Array(HALVES_JPEG));
    reference.addPage([40, 20]).drawImage(image, { x: 0, y: 0, width: 40, height: 20 });
    const ours = renderPageGray(bytes, 1, 144);
    expect(ours.pixels).toEqual(renderPageGray(await reference.save(), 1, 144).pixels);
    const at = (x: number) => ours.pixels[20 * ours.width + x]!;
    expect(Math.abs(at(10) - at(70))).toBeGreaterThan(5);

    // A 4000×3000 photo gets an A4-sized page (only the frame header is read).
    const big = Buffer.from(HALVES_JPEG);
    const sof = big.indexOf(Buffer.from([0xff, 0xc0]));
    big.writeUInt16BE(3000, sof + 5);
    big.writeUInt16BE(4000, sof + 7);
    const [size] = (await PDFDocument.load((await imagesToPdf('k', [{ kind: 'jpeg', bytes: big }])).bytes)).getPages().map((p) => p.getSize());
    expect(size!.width).toBeCloseTo(841.89, 2);
    expect(size!.height).toBeCloseTo(631.4175, 2);

    expect(await code(imagesToPdf('k', [{ kind: 'jpeg', bytes: HALVES_JPEG.subarray(0, 30) }]))).toBe('IMAGE_MALFORMED');
    expect(await code(imagesToPdf('k', [{ kind: 'jpeg', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xd9]) }]))).toBe('IMAGE_MALFORMED');
    const twelveBit = Buffer.from(HALVES_JPEG);
    twelveBit[sof + 4] = 12;
    expect(await code(imagesToPdf('k', [{ kind: 'jpeg', bytes: twelveBit }]))).toBe('IMAGE_MALFORMED');
  });

  it('turns and mirrors a photo as its EXIF orientation says, in either byte order', async () => {
    // Where the white quarter shows, and the page's shape, tell each of the eight orientations apart.
    const expected: Record<number, { size: [number, number]; white: 'TL' | 'TR' | 'BL' | 'BR' }> = {
      1: { size: [40, 20], white: 'BR' },
      2: { size: [40, 20], white: 'BL' }, // mirrored left–right
      3: { size: [40, 20], white: 'TL' }, // half a turn
      4: { size: [40, 20], white: 'TR' }, // mirrored top–bottom
      5: { size: [20, 40], white: 'BR' }, // first row on the left, first column on top
      6: { size: [20, 40], white: 'BL' }, // a quarter turn clockwise
      7: { size: [20, 40], white: 'TL' }, // first row on the right, first column at the bottom
      8: { size: [20, 40], white: 'TR' }, // a quarter turn anticlockwise
    };
    for (const [o, want] of Object.entries(expected)) {
      for (const order of ['II', 'MM'] as const) {
        const { bytes } = await imagesToPdf('k', [{ kind: 'jpeg', bytes: withOrientation(QUARTERS_JPEG, Number(o), order) }]);
        const [size] = (await PDFDocument.load(bytes)).getPages().map((p) => p.getSize());
        expect([size!.width, size!.height], `orientation ${o} ${order}`).toEqual(want.size);
        const page = renderPageGray(bytes, 1, 72);
        const [w, h] = [page.width, page.height];
        const corners = { TL: [w / 4, h / 4], TR: [(3 * w) / 4, h / 4], BL: [w / 4, (3 * h) / 4], BR: [(3 * w) / 4, (3 * h) / 4] } as const;
        const white = Object.entries(corners)
          .filter(([, [x, y]]) => page.pixels[Math.floor(y) * w + Math.floor(x)]! > 200)
          .map(([k]) => k);
        expect(white, `orientation ${o} ${order}`).toEqual([want.white]);
      }
    }
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
