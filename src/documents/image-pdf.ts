/**
 * Photos and scans as PDF pages without re-encoding: a JPEG is already what a PDF image with the DCTDecode filter
 * holds, so its bytes go into the file unchanged (colour and resolution kept) and only the few objects around them
 * are written. Pages are sized by `fitPage`, the one rule for every image page.
 */

/** A4 long side in points: photos are scaled to fit it, keeping their aspect ratio. */
const A4_LONG = 841.89;

/** The page size, in points, of an image of `width`×`height` pixels: at most A4's long side, never below 1 pt. */
export function fitPage(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, A4_LONG / Math.max(width, height));
  return { width: Math.max(1, width * scale), height: Math.max(1, height * scale) };
}

export interface JpegInfo {
  /** Stored size in pixels, before any turn the orientation asks for. */
  width: number;
  height: number;
  bitsPerComponent: number;
  colorSpace: 'DeviceGray' | 'DeviceRGB' | 'DeviceCMYK';
  /** EXIF orientation 1–8 (1 = as stored): phones record how they were held instead of turning the pixels. */
  orientation: number;
  /** Dots per inch the JFIF header declares, or null (the counter's resolution check). */
  declaredDpi: number | null;
}

/** The EXIF orientation in an APP1 segment's body (after its length), or undefined when it names none. */
function exifOrientation(bytes: Uint8Array, start: number, end: number): number | undefined {
  // "Exif\0\0", then a TIFF header: byte order, 42, offset of the first directory (IFD0).
  if (end - start < 14 || String.fromCharCode(...bytes.subarray(start, start + 4)) !== 'Exif') return undefined;
  const tiff = start + 6;
  const little = bytes[tiff] === 0x49 && bytes[tiff + 1] === 0x49;
  if (!little && !(bytes[tiff] === 0x4d && bytes[tiff + 1] === 0x4d)) return undefined;
  const u16 = (at: number) => (at + 2 > end ? -1 : little ? bytes[at]! | (bytes[at + 1]! << 8) : (bytes[at]! << 8) | bytes[at + 1]!);
  const u32 = (at: number) => (at + 4 > end ? -1 : little ? (u16(at) | (u16(at + 2) << 16)) >>> 0 : ((u16(at) << 16) | u16(at + 2)) >>> 0);
  const ifd = tiff + u32(tiff + 4);
  const entries = u16(ifd);
  for (let i = 0; i < entries && ifd + 2 + (i + 1) * 12 <= end; i++) {
    const entry = ifd + 2 + i * 12;
    // Tag 0x0112 Orientation, type SHORT, value in the entry itself.
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
      const v = u16(entry + 8);
      return v >= 1 && v <= 8 ? v : undefined;
    }
  }
  return undefined;
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const COLOR_SPACES: Record<number, JpegInfo['colorSpace']> = { 1: 'DeviceGray', 3: 'DeviceRGB', 4: 'DeviceCMYK' };

/** Size and colour model (frame header SOFn), EXIF orientation (APP1) and declared density (JFIF APP0) of a JPEG; throws when it has no frame header or is cut short. */
export function jpegInfo(bytes: Uint8Array): JpegInfo {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('no JPEG start-of-image marker');
  let pos = 2;
  let orientation: number | undefined;
  let declaredDpi: number | null = null;
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
    if (marker === 0xe1) orientation ??= exifOrientation(bytes, pos + 4, Math.min(bytes.length, pos + 2 + length));
    if (marker === 0xe0 && length >= 14 && pos + 16 <= bytes.length && String.fromCharCode(...bytes.subarray(pos + 4, pos + 9)) === 'JFIF\0') {
      // Density units 1 = per inch, 2 = per centimetre; the smaller of the two axes counts.
      const units = bytes[pos + 11];
      const density = Math.min((bytes[pos + 12]! << 8) | bytes[pos + 13]!, (bytes[pos + 14]! << 8) | bytes[pos + 15]!);
      if (density > 1 && (units === 1 || units === 2)) declaredDpi = units === 1 ? density : Math.round(density * 2.54);
    }
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
      return { width, height, bitsPerComponent, colorSpace, orientation: orientation ?? 1, declaredDpi };
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image or start of scan before any frame header
    pos += 2 + length;
  }
  throw new Error('no JPEG frame header');
}

/**
 * Where the image goes on its page: the page (pw × ph, already turned) and the matrix that maps the image's unit
 * square as stored onto it, turned or mirrored as its EXIF orientation says (TIFF 6.0 / EXIF 2.3 tag 0x0112).
 */
export function placeImage(info: JpegInfo): { page: { width: number; height: number }; matrix: number[] } {
  const turned = info.orientation >= 5;
  const page = turned ? fitPage(info.height, info.width) : fitPage(info.width, info.height);
  const { width: w, height: h } = page;
  const matrices: Record<number, number[]> = {
    1: [w, 0, 0, h, 0, 0],
    2: [-w, 0, 0, h, w, 0], // mirrored left–right
    3: [-w, 0, 0, -h, w, h], // turned half a circle
    4: [w, 0, 0, -h, 0, h], // mirrored top–bottom
    5: [0, -h, -w, 0, w, h], // mirrored along the diagonal (first row → left side)
    6: [0, -h, w, 0, 0, h], // turned a quarter clockwise
    7: [0, h, w, 0, 0, 0], // mirrored along the other diagonal (first row → right side, first column → bottom)
    8: [0, h, -w, 0, w, 0], // turned a quarter anticlockwise
  };
  return { page, matrix: matrices[info.orientation] ?? matrices[1]! };
}

/** A number as PDF writes it: at most four decimals, no exponent. */
function num(n: number): string {
  return String(Math.round(n * 10_000) / 10_000);
}

/**
 * One PDF with a page per JPEG, in order, each image filling its page the way up its EXIF orientation says. Deterministic: the same photos give the
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
    const { page, matrix } = placeImage(info);
    const decode = info.colorSpace === 'DeviceCMYK' ? ' /Decode [1 0 1 0 1 0 1 0]' : '';
    object(
      base,
      `<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /ColorSpace /${info.colorSpace} /BitsPerComponent ${info.bitsPerComponent}${decode} /Filter /DCTDecode /Length ${bytes.byteLength} >>`,
      bytes,
    );
    const content = Buffer.from(`q ${matrix.map(num).join(' ')} cm /Im0 Do Q`, 'latin1');
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
