import { inflateSync, constants } from 'node:zlib';
import { PdfError, type PdfLimits } from './errors.ts';
import { PdfDict, PdfName, type PdfStream, type PdfValue } from './objects.ts';

/** Running total of inflated bytes for one document, so a zip bomb spread over many streams is caught too. */
export interface InflateBudget {
  used: number;
}

function inflateBounded(data: Uint8Array, limits: PdfLimits, budget: InflateBudget): Uint8Array {
  const cap = Math.min(
    limits.maxStreamBytes,
    Math.max(64 * 1024, data.length * limits.maxInflateRatio),
    limits.maxTotalInflated - budget.used,
  );
  if (cap <= 0) throw new PdfError('PDF_LIMIT', 'total decompressed size limit reached');
  let out: Buffer;
  try {
    // Z_SYNC_FLUSH: accept truncated streams the way PDF readers do.
    out = inflateSync(data, { maxOutputLength: cap, finishFlush: constants.Z_SYNC_FLUSH });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || (e instanceof RangeError)) {
      throw new PdfError('PDF_LIMIT', 'stream decompresses beyond the allowed size or ratio');
    }
    throw new PdfError('PDF_STREAM', `corrupt Flate data: ${(e as Error).message}`);
  }
  budget.used += out.length;
  return out;
}

function pngUnpredict(data: Uint8Array, columns: number, colors: number, bpc: number): Uint8Array {
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((columns * colors * bpc) / 8);
  if (rowLen <= 0) throw new PdfError('PDF_STREAM', 'bad predictor columns');
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  let prev = new Uint8Array(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!;
    const src = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const cur = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      let v = src[i]!;
      switch (type) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += b; break;
        case 3: v += (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new PdfError('PDF_STREAM', `unknown PNG predictor ${type}`);
      }
      cur[i] = v & 0xff;
    }
    prev = cur;
  }
  return out;
}

function asArray(v: PdfValue | undefined): PdfValue[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Decodes a stream whose filter values are already direct objects. Only Flate (with predictors) is needed for validation. */
export function decodeStream(stream: PdfStream, limits: PdfLimits, budget: InflateBudget): Uint8Array {
  const filters = asArray(stream.dict.get('Filter'));
  const parms = asArray(stream.dict.get('DecodeParms'));
  let data: Uint8Array = stream.data;
  filters.forEach((f, i) => {
    const name = f instanceof PdfName ? f.name : '';
    if (name !== 'FlateDecode' && name !== 'Fl') throw new PdfError('PDF_STREAM', `unsupported filter ${name || '?'}`);
    data = inflateBounded(data, limits, budget);
    const p = parms[i];
    if (p instanceof PdfDict) {
      const pred = p.get('Predictor');
      if (typeof pred === 'number' && pred >= 10) {
        const col = p.get('Columns');
        const colors = p.get('Colors');
        const bpc = p.get('BitsPerComponent');
        data = pngUnpredict(
          data,
          typeof col === 'number' ? col : 1,
          typeof colors === 'number' ? colors : 1,
          typeof bpc === 'number' ? bpc : 8,
        );
      } else if (typeof pred === 'number' && pred === 2) {
        throw new PdfError('PDF_STREAM', 'TIFF predictor not supported');
      }
    }
  });
  if (data.length > limits.maxStreamBytes) throw new PdfError('PDF_LIMIT', 'stream too large');
  return data;
}
