import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PngError, decodePng } from './png.ts';

// PNG files written here, independently of the decoder: every colour type, every row filter (the encoder applies
// the filter the PNG specification defines, the decoder must undo it), split or corrupt data, and the refusals.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  let c = 0xffffffff;
  for (const b of body) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return Buffer.concat([head, body, crc]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Filters each row with `filters[y % filters.length]` (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth). */
function filtered(px: Uint8Array, width: number, height: number, channels: number, filters: number[]): Uint8Array {
  const stride = width * channels;
  const out = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const f = filters[y % filters.length]!;
    out[y * (stride + 1)] = f;
    for (let x = 0; x < stride; x++) {
      const v = px[y * stride + x]!;
      const a = x >= channels ? px[y * stride + x - channels]! : 0;
      const b = y > 0 ? px[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels]! : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f]!;
      out[y * (stride + 1) + 1 + x] = (v - pred) & 0xff;
    }
  }
  return out;
}

interface PngSpec {
  width: number;
  height: number;
  type: 0 | 2 | 3 | 4 | 6;
  pixels: Uint8Array;
  depth?: number;
  interlace?: number;
  filters?: number[];
  palette?: Uint8Array;
  trns?: Uint8Array;
  /** Split the compressed data over this many IDAT chunks. */
  idatChunks?: number;
  /** Replaces the compressed data. */
  idat?: Uint8Array;
}

const CHANNELS = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;

function png(spec: PngSpec): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(spec.width, 0);
  ihdr.writeUInt32BE(spec.height, 4);
  ihdr[8] = spec.depth ?? 8;
  ihdr[9] = spec.type;
  ihdr[12] = spec.interlace ?? 0;
  const data = spec.idat ?? deflateSync(filtered(spec.pixels, spec.width, spec.height, CHANNELS[spec.type], spec.filters ?? [0, 1, 2, 3, 4]));
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (spec.palette) parts.push(chunk('PLTE', spec.palette));
  if (spec.trns) parts.push(chunk('tRNS', spec.trns));
  const n = spec.idatChunks ?? 1;
  const step = Math.ceil(data.length / n);
  for (let i = 0; i < data.length; i += step) parts.push(chunk('IDAT', data.subarray(i, i + step)));
  parts.push(chunk('IEND', new Uint8Array(0)));
  return new Uint8Array(Buffer.concat(parts));
}

/** Deterministic, varied samples so every filter predicts something non-trivial. */
function samples(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s >>> 16) & 0xff;
  }
  return out;
}

describe('decodePng', () => {
  const W = 7;
  const H = 6;

  it('undoes every row filter for grey and RGB images, which stay opaque', () => {
    for (const f of [0, 1, 2, 3, 4]) {
      const grey = samples(W * H, 1 + f);
      expect(decodePng(png({ width: W, height: H, type: 0, pixels: grey, filters: [f] }))).toEqual({ width: W, height: H, colorSpace: 'DeviceGray', color: grey, alpha: undefined });
      const rgb = samples(W * H * 3, 11 + f);
      expect(decodePng(png({ width: W, height: H, type: 2, pixels: rgb, filters: [f] }))).toEqual({ width: W, height: H, colorSpace: 'DeviceRGB', color: rgb, alpha: undefined });
    }
  });

  it('splits grey+alpha and RGBA into colour samples and a soft-mask channel', () => {
    const ga = samples(W * H * 2, 5);
    const g = decodePng(png({ width: W, height: H, type: 4, pixels: ga }));
    expect(g.colorSpace).toBe('DeviceGray');
    expect(g.color).toEqual(ga.filter((_, i) => i % 2 === 0));
    expect(g.alpha).toEqual(ga.filter((_, i) => i % 2 === 1));

    const rgba = samples(W * H * 4, 6);
    const c = decodePng(png({ width: W, height: H, type: 6, pixels: rgba, filters: [4, 3, 2, 1, 0] }));
    expect(c.colorSpace).toBe('DeviceRGB');
    expect(c.color).toEqual(rgba.filter((_, i) => i % 4 !== 3));
    expect(c.alpha).toEqual(rgba.filter((_, i) => i % 4 === 3));
  });

  it('expands palette images to RGB, with alpha from tRNS (entries it does not list are opaque)', () => {
    const palette = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    const indices = samples(W * H, 9).map((v) => v % 4);
    const expectedColor = new Uint8Array(W * H * 3);
    indices.forEach((k, i) => expectedColor.set(palette.subarray(k * 3, k * 3 + 3), i * 3));

    const opaque = decodePng(png({ width: W, height: H, type: 3, pixels: indices, palette }));
    expect(opaque).toEqual({ width: W, height: H, colorSpace: 'DeviceRGB', color: expectedColor, alpha: undefined });

    const trns = new Uint8Array([0, 128]); // index 0 transparent, 1 half, 2 and 3 not listed
    const seeThrough = decodePng(png({ width: W, height: H, type: 3, pixels: indices, palette, trns }));
    expect(seeThrough.color).toEqual(expectedColor);
    expect(seeThrough.alpha).toEqual(indices.map((k) => [0, 128, 255, 255][k]!));
  });

  it('joins image data split over several IDAT chunks', () => {
    const rgb = samples(W * H * 3, 21);
    expect(decodePng(png({ width: W, height: H, type: 2, pixels: rgb, idatChunks: 5 })).color).toEqual(rgb);
  });

  it('accepts a view into a larger buffer (the bytes of an upload)', () => {
    const file = png({ width: W, height: H, type: 0, pixels: samples(W * H, 3) });
    const padded = new Uint8Array(file.length + 20);
    padded.set(file, 13);
    expect(decodePng(padded.subarray(13, 13 + file.length)).color).toEqual(samples(W * H, 3));
  });

  const refusals: [string, () => Uint8Array, RegExp][] = [
    ['not a PNG', () => new TextEncoder().encode('GIF89a not really'), /not a PNG/],
    ['interlaced', () => png({ width: W, height: H, type: 2, pixels: samples(W * H * 3, 1), interlace: 1 }), /interlac/],
    ['16-bit', () => png({ width: W, height: H, type: 0, pixels: samples(W * H, 1), depth: 16 }), /only 8-bit/],
    ['palette without PLTE', () => png({ width: W, height: H, type: 3, pixels: samples(W * H, 1).map((v) => v % 2) }), /without a palette/],
    ['corrupt data', () => png({ width: W, height: H, type: 0, pixels: new Uint8Array(0), idat: new Uint8Array([1, 2, 3, 4, 5]) }), /corrupt/],
    ['too little data', () => png({ width: W, height: H, type: 0, pixels: new Uint8Array(0), idat: deflateSync(new Uint8Array(10)) }), /truncated/],
    ['unknown filter', () => png({ width: W, height: H, type: 0, pixels: new Uint8Array(0), idat: deflateSync(new Uint8Array(H * (W + 1)).fill(7)) }), /unknown filter/],
    ['truncated chunk', () => png({ width: W, height: H, type: 0, pixels: samples(W * H, 1) }).subarray(0, 50), /truncated PNG chunk/],
    ['no size', () => png({ width: 0, height: 0, type: 0, pixels: new Uint8Array(0), idat: deflateSync(new Uint8Array(0)) }), /no size or is too large/],
    ['too large', () => png({ width: 5000, height: 5000, type: 0, pixels: new Uint8Array(0), idat: deflateSync(new Uint8Array(0)) }), /too large/],
  ];
  it.each(refusals)('refuses %s with a PngError saying why', (_, make, message) => {
    const bytes = make();
    expect(() => decodePng(bytes)).toThrow(PngError);
    expect(() => decodePng(bytes)).toThrow(message);
  });
});
