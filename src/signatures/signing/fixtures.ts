import { deflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PDFDocument, rgb } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';

const FONT = fileURLToPath(new URL('../../../assets/fonts/Tinos-Regular.ttf', import.meta.url));

/**
 * A small Vietnamese administrative document for tests and benchmarks: classic xref table or xref stream
 * (object streams), optionally padded with an incompressible attachment to reach a size.
 */
export async function makeSamplePdf(o: { xref: 'table' | 'stream'; pages?: number; title?: string; padBytes?: number; padSeed?: number } ): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(FONT), { subset: true });
  const pages = o.pages ?? 1;
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { x: 150, y: 790, size: 13, font });
    page.drawText('Độc lập - Tự do - Hạnh phúc', { x: 210, y: 772, size: 13, font });
    page.drawText(o.title ?? 'QUYẾT ĐỊNH về việc cấp giấy phép', { x: 72, y: 720, size: 14, font, color: rgb(0, 0, 0) });
    page.drawText(`Trang ${i + 1}/${pages}`, { x: 72, y: 60, size: 10, font });
  }
  if (o.padBytes) {
    // Deterministic, incompressible filler (xorshift) so the file size is what was asked for.
    const buf = new Uint8Array(o.padBytes);
    let x = (o.padSeed ?? 0x9e3779b9) >>> 0;
    for (let i = 0; i < buf.length; i++) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      buf[i] = x & 0xff;
    }
    await doc.attach(buf, 'phu-luc.bin', { mimeType: 'application/octet-stream', description: 'Phụ lục' });
  }
  return doc.save({ useObjectStreams: o.xref === 'stream' });
}


function crc32(buf: Uint8Array): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** RGBA PNG encoder for test images (no dependency). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.subarray(y * width * 4, (y + 1) * width * 4)).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array(0)),
  ]));
}

/** A blue handwriting-like stroke (signature) or a red ring seal, transparent background, for tests and demos. */
export function makeStampPng(kind: 'signature' | 'seal', size = 200): Uint8Array {
  const w = size;
  const h = kind === 'signature' ? Math.round(size / 2) : size;
  const px = new Uint8Array(w * h * 4);
  const put = (x: number, y: number, r: number, g: number, b: number): void => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    const i = (Math.round(y) * w + Math.round(x)) * 4;
    px[i] = r; px[i + 1] = g; px[i + 2] = b; px[i + 3] = 255;
  };
  if (kind === 'signature') {
    for (let t = 0; t < 1; t += 0.0005) {
      const x = 10 + t * (w - 20);
      const y = h / 2 + Math.sin(t * 18) * h * 0.3 * (1 - t * 0.5);
      for (let d = -1.5; d <= 1.5; d += 0.5) put(x, y + d, 20, 40, 200);
    }
  } else {
    const c = size / 2;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const r = Math.hypot(x - c, y - c);
        if ((r > c * 0.85 && r < c * 0.97) || (r > c * 0.6 && r < c * 0.66) || (Math.abs(x - c) < 3 && r < c * 0.5) || (Math.abs(y - c) < 3 && r < c * 0.5)) put(x, y, 210, 20, 30);
      }
    }
  }
  return encodePng(w, h, px);
}
