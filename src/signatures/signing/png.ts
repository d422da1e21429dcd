/**
 * PNG reading for signature and seal images: 8-bit grey, grey+alpha, RGB, RGBA and palette images (with tRNS),
 * non-interlaced, split into the colour samples and the alpha channel a PDF image and its soft mask want.
 */
import { inflateSync } from 'node:zlib';

export interface DecodedImage {
  width: number;
  height: number;
  colorSpace: 'DeviceGray' | 'DeviceRGB';
  /** Colour samples, 8 bits each, rows top to bottom. */
  color: Uint8Array;
  /** One alpha byte per pixel, or undefined when the image is opaque. */
  alpha: Uint8Array | undefined;
}

export class PngError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PngError';
  }
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_PIXELS = 4096 * 4096;

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(bytes: Uint8Array): DecodedImage {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new PngError('not a PNG image');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let type = -1;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= bytes.length) {
    const len = view.getUint32(pos);
    const kind = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (data.length !== len) throw new PngError('truncated PNG chunk');
    if (kind === 'IHDR') {
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      depth = data[8]!;
      type = data[9]!;
      if (data[12] !== 0) throw new PngError('interlaced PNG images are not supported; save it without interlacing');
    } else if (kind === 'PLTE') palette = data;
    else if (kind === 'tRNS') trns = data;
    else if (kind === 'IDAT') idat.push(data);
    else if (kind === 'IEND') break;
    pos += 12 + len;
  }
  if (!width || !height || width * height > MAX_PIXELS) throw new PngError('PNG image has no size or is too large');
  if (depth !== 8 || ![0, 2, 3, 4, 6].includes(type)) throw new PngError('only 8-bit PNG images are supported');
  if (type === 3 && !palette) throw new PngError('palette PNG without a palette');
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[type]!;
  const stride = width * channels;
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    throw new PngError('PNG image data is corrupt');
  }
  if (raw.length < height * (stride + 1)) throw new PngError('PNG image data is truncated');
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? px[row + x - channels]! : 0;
      const b = y > 0 ? px[row - stride + x]! : 0;
      const c = x >= channels && y > 0 ? px[row - stride + x - channels]! : 0;
      const v = raw[src + x]!;
      let out: number;
      if (filter === 0) out = v;
      else if (filter === 1) out = v + a;
      else if (filter === 2) out = v + b;
      else if (filter === 3) out = v + ((a + b) >> 1);
      else if (filter === 4) out = v + paeth(a, b, c);
      else throw new PngError('PNG row has an unknown filter');
      px[row + x] = out & 0xff;
    }
  }
  const n = width * height;
  if (type === 0 || type === 2) return { width, height, colorSpace: type === 0 ? 'DeviceGray' : 'DeviceRGB', color: px, alpha: undefined };
  if (type === 4 || type === 6) {
    const cc = channels - 1;
    const color = new Uint8Array(n * cc);
    const alpha = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < cc; k++) color[i * cc + k] = px[i * channels + k]!;
      alpha[i] = px[i * channels + cc]!;
    }
    return { width, height, colorSpace: cc === 1 ? 'DeviceGray' : 'DeviceRGB', color, alpha };
  }
  const color = new Uint8Array(n * 3);
  const alpha = trns ? new Uint8Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const idx = px[i]!;
    color[i * 3] = palette![idx * 3] ?? 0;
    color[i * 3 + 1] = palette![idx * 3 + 1] ?? 0;
    color[i * 3 + 2] = palette![idx * 3 + 2] ?? 0;
    if (alpha) alpha[i] = trns![idx] ?? 255;
  }
  return { width, height, colorSpace: 'DeviceRGB', color, alpha };
}
