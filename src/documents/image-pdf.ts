/**
 * Photos and scans as PDF pages without re-encoding: a JPEG is already what a PDF image with the DCTDecode filter
 * holds, so its bytes go into the file unchanged (colour and resolution kept) and only the few objects around them
 * are written. Pages are sized by `fitPage`, the one rule for every image page.
 */

/** A4 long side in points: photos are scaled to fit it, keeping their aspect ratio. */
export const A4_LONG = 841.89;

/** The page size, in points, of an image of `width`×`height` pixels: at most A4's long side, never below 1 pt. */
export function fitPage(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, A4_LONG / Math.max(width, height));
  return { width: Math.max(1, width * scale), height: Math.max(1, height * scale) };
}

export interface JpegInfo {
  width: number;
  height: number;
  bitsPerComponent: number;
  colorSpace: 'DeviceGray' | 'DeviceRGB' | 'DeviceCMYK';
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const COLOR_SPACES: Record<number, JpegInfo['colorSpace']> = { 1: 'DeviceGray', 3: 'DeviceRGB', 4: 'DeviceCMYK' };

/** Size and colour model from a JPEG's frame header (SOFn); throws when there is none or it is cut short. */
export function jpegInfo(bytes: Uint8Array): JpegInfo {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('no JPEG start-of-image marker');
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) throw new Error(`no JPEG marker at byte ${pos}`);
    const marker = bytes[pos + 1]!;
    // Fill bytes (0xFF) and markers without a length (standalone) carry no segment.
    if (marker === 0xff) {
      pos += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    if (length < 2) throw new Error('JPEG segment with a bad length');
    if (SOF_MARKERS.has(marker)) {
      if (pos + 10 > bytes.length) break;
      const bitsPerComponent = bytes[pos + 4]!;
      const height = (bytes[pos + 5]! << 8) | bytes[pos + 6]!;
      const width = (bytes[pos + 7]! << 8) | bytes[pos + 8]!;
      const colorSpace = COLOR_SPACES[bytes[pos + 9]!];
      if (!colorSpace) throw new Error(`JPEG with ${bytes[pos + 9]} colour components`);
      if (!width || !height) throw new Error('JPEG without a size');
      // PDF's DCTDecode images have 8 bits per sample; a 12-bit (medical) JPEG would give a page no reader shows.
      if (bitsPerComponent !== 8) throw new Error(`JPEG with ${bitsPerComponent} bits per sample`);
      return { width, height, bitsPerComponent, colorSpace };
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image or start of scan before any frame header
    pos += 2 + length;
  }
  throw new Error('no JPEG frame header');
}

/** A number as PDF writes it: at most four decimals, no exponent. */
function num(n: number): string {
  return String(Math.round(n * 10_000) / 10_000);
}

/**
 * One PDF with a page per JPEG, in order, each image filling its page. Deterministic: the same photos give the
 * same bytes (fixed dates), so the blob store keeps one copy.
 */
export function jpegsToPdf(images: readonly { bytes: Uint8Array; info: JpegInfo }[]): Uint8Array {
  const chunks: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (b: Buffer): void => {
    chunks.push(b);
    length += b.length;
  };
  const object = (n: number, body: string, stream?: Uint8Array): void => {
    offsets[n] = length;
    push(Buffer.from(`${n} 0 obj\n${body}\n`, 'latin1'));
    if (stream) {
      push(Buffer.from('stream\n', 'latin1'));
      push(Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength));
      push(Buffer.from('\nendstream\n', 'latin1'));
    }
    push(Buffer.from('endobj\n', 'latin1'));
  };
  push(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'));
  // 1 catalog, 2 page tree, 3 info; then per image: image, content, page.
  const pageNum = (i: number) => 4 + i * 3 + 2;
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, `<< /Type /Pages /Kids [${images.map((_, i) => `${pageNum(i)} 0 R`).join(' ')}] /Count ${images.length} >>`);
  object(3, '<< /Producer (hoso) /CreationDate (D:19700101000000Z) /ModDate (D:19700101000000Z) >>');
  images.forEach(({ bytes, info }, i) => {
    const base = 4 + i * 3;
    const page = fitPage(info.width, info.height);
    const decode = info.colorSpace === 'DeviceCMYK' ? ' /Decode [1 0 1 0 1 0 1 0]' : '';
    object(
      base,
      `<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /ColorSpace /${info.colorSpace} /BitsPerComponent ${info.bitsPerComponent}${decode} /Filter /DCTDecode /Length ${bytes.byteLength} >>`,
      bytes,
    );
    const content = Buffer.from(`q ${num(page.width)} 0 0 ${num(page.height)} 0 0 cm /Im0 Do Q`, 'latin1');
    object(base + 1, `<< /Length ${content.length} >>`, content);
    object(
      base + 2,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(page.width)} ${num(page.height)}] /Resources << /XObject << /Im0 ${base} 0 R >> >> /Contents ${base + 1} 0 R >>`,
    );
  });
  const size = 4 + images.length * 3;
  const xrefAt = length;
  let xref = `xref\n0 ${size}\n0000000000 65535 f\r\n`;
  for (let n = 1; n < size; n++) xref += `${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`;
  push(Buffer.from(`${xref}trailer\n<< /Size ${size} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(chunks, length);
}
