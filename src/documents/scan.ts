/**
 * Paper scanned at the counter (Law 20/2023 Art. 12, TT 03/2025 Art. 5): the resolution check (≥ 200 dpi; a lower
 * one is a warning for the officer, not a refusal — a readable copy is better than sending the citizen away) and the
 * visible conversion mark on every page naming who converted the paper, when, for which agency.
 */
import { PDFDocument, rgb } from 'pdf-lib';
import { embedFace, sharedFontkit, textWidth } from './nd30/fonts.ts';
import { formatShortDateTime } from './nd30/format.ts';
import { jpegInfo, type JpegInfo } from './image-pdf.ts';

export const MIN_SCAN_DPI = 200;

/** A4 in inches (long and short side): the paper size assumed when an image says nothing about its density. */
const A4_IN = { long: 297 / 25.4, short: 210 / 25.4 };

export interface ImageFacts {
  width: number;
  height: number;
  /** Dots per inch the file declares (JFIF / pHYs), or null. */
  declaredDpi: number | null;
  /** What is used for the check: the declared density, else the pixel size against A4. */
  dpi: number;
  source: 'declared' | 'a4';
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
}

/** Size and declared density of a JPEG (`jpegInfo`: SOFn, JFIF APP0) or PNG (IHDR, pHYs); null when the header is unreadable. */
export function imageFacts(kind: 'jpeg' | 'png', b: Uint8Array): ImageFacts | null {
  let width = 0;
  let height = 0;
  let declared: number | null = null;
  if (kind === 'png') {
    if (b.length < 33) return null;
    width = u32(b, 16);
    height = u32(b, 20);
    for (let i = 8; i + 12 <= b.length; ) {
      const len = u32(b, i);
      const type = String.fromCharCode(b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
      if (type === 'pHYs' && len >= 9 && b[i + 16] === 1) declared = Math.round(Math.min(u32(b, i + 8), u32(b, i + 12)) * 0.0254);
      if (type === 'IDAT' || type === 'IEND') break;
      i += 12 + len;
    }
  } else {
    let info: JpegInfo;
    try {
      info = jpegInfo(b);
    } catch {
      return null;
    }
    ({ width, height, declaredDpi: declared } = info);
  }
  if (!width || !height) return null;
  const fromA4 = Math.round(Math.min(Math.max(width, height) / A4_IN.long, Math.min(width, height) / A4_IN.short));
  return declared ? { width, height, declaredDpi: declared, dpi: declared, source: 'declared' } : { width, height, declaredDpi: null, dpi: fromA4, source: 'a4' };
}

export interface ConversionMark {
  converter: string;
  agency: string;
  at: Date;
}

/** The mark's wording, as printed on each page. */
export function conversionMarkText(m: ConversionMark): string {
  return `Bản số hóa từ bản giấy — người chuyển đổi: ${m.converter}, ${m.agency}, ${formatShortDateTime(m.at)}`.normalize('NFC');
}

/**
 * Adds the conversion mark along the top of every page (a white band so the scan under it stays legible elsewhere),
 * before the signature; the original bytes are kept separately and never changed.
 */
export async function markConverted(pdf: Uint8Array, m: ConversionMark): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.registerFontkit(sharedFontkit);
  const font = await embedFace(doc, 'italic');
  const text = conversionMarkText(m);
  for (const page of doc.getPages()) {
    const { width, height } = page.getSize();
    let size = 8;
    const natural = textWidth(text, 'italic', size);
    if (natural > width - 20) size = Math.max(4, (size * (width - 20)) / natural);
    const band = size * 1.8;
    page.drawRectangle({ x: 0, y: height - band, width, height: band, color: rgb(1, 1, 1), opacity: 0.85 });
    page.drawText(text, { x: 10, y: height - band + size * 0.5, size, font, color: rgb(0.75, 0, 0) });
  }
  doc.setModificationDate(m.at);
  return doc.save({ useObjectStreams: false });
}
