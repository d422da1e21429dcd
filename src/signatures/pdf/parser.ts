import { PdfError } from './errors.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.ts';

const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

export function isWhite(c: number): boolean {
  return WS[c] === 1;
}

function isRegular(c: number): boolean {
  return WS[c] !== 1 && DELIM[c] !== 1;
}

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[65 + i] = 10 + i;
  HEX[97 + i] = 10 + i;
}

/**
 * Lenient recursive-descent parser over a byte buffer. Depth is bounded; every error is a PdfError.
 * `resolveLength` lets stream parsing follow an indirect /Length.
 */
export class Parser {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;
  private readonly maxDepth: number;
  resolveLength: ((ref: PdfRef) => number | undefined) | undefined;

  constructor(buf: Uint8Array, pos = 0, maxDepth = 64, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.maxDepth = maxDepth;
    this.resolveLength = undefined;
  }

  skipWs(): void {
    const b = this.buf;
    while (this.pos < this.end) {
      const c = b[this.pos]!;
      if (WS[c] === 1) this.pos++;
      else if (c === 0x25) {
        while (this.pos < this.end && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      } else break;
    }
  }

  /** Reads a regular-character token (keyword or number) without consuming it when `peek`. */
  regularToken(): string {
    const b = this.buf;
    const s = this.pos;
    while (this.pos < this.end && isRegular(b[this.pos]!)) this.pos++;
    let t = '';
    for (let i = s; i < this.pos; i++) t += String.fromCharCode(b[i]!);
    return t;
  }

  /** Reads an unsigned integer at the current position, or undefined (position unchanged). */
  readUint(): number | undefined {
    const b = this.buf;
    let p = this.pos;
    let n = 0;
    const s = p;
    while (p < this.end && b[p]! >= 48 && b[p]! <= 57 && p - s < 16) {
      n = n * 10 + (b[p]! - 48);
      p++;
    }
    if (p === s) return undefined;
    if (p < this.end && isRegular(b[p]!)) return undefined;
    this.pos = p;
    return n;
  }

  expectKeyword(kw: string): boolean {
    this.skipWs();
    const save = this.pos;
    const t = this.regularToken();
    if (t === kw) return true;
    this.pos = save;
    return false;
  }

  parseValue(depth = 0): PdfValue {
    if (depth > this.maxDepth) throw new PdfError('PDF_LIMIT', 'objects nested too deeply');
    this.skipWs();
    if (this.pos >= this.end) throw new PdfError('PDF_SYNTAX', 'unexpected end of data');
    const b = this.buf;
    const c = b[this.pos]!;
    if (c === 0x2f) return this.parseName();
    if (c === 0x28) return this.parseLiteralString();
    if (c === 0x3c) {
      if (b[this.pos + 1] === 0x3c) return this.parseDict(depth);
      return this.parseHexString();
    }
    if (c === 0x5b) {
      this.pos++;
      const arr: PdfValue[] = [];
      for (;;) {
        this.skipWs();
        if (this.pos >= this.end) throw new PdfError('PDF_SYNTAX', 'unterminated array');
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        arr.push(this.parseValue(depth + 1));
      }
    }
    if ((c >= 48 && c <= 57) || c === 0x2b || c === 0x2d || c === 0x2e) {
      const save = this.pos;
      const t = this.regularToken();
      const n = Number(t);
      if (/^\d+$/.test(t)) {
        // Possible indirect reference "N G R".
        const after = this.pos;
        this.skipWs();
        const gen = this.readUint();
        if (gen !== undefined) {
          this.skipWs();
          if (this.buf[this.pos] === 0x52 && (this.pos + 1 >= this.end || !isRegular(this.buf[this.pos + 1]!))) {
            this.pos++;
            return new PdfRef(n, gen);
          }
        }
        this.pos = after;
        return n;
      }
      if (Number.isFinite(n)) return n;
      // Lenient: malformed numbers such as "--5" or "1.2.3" read as 0, as most readers do.
      if (this.pos === save) this.pos++;
      return 0;
    }
    if (c === 0x5d || c === 0x3e || c === 0x29 || c === 0x7b || c === 0x7d) {
      throw new PdfError('PDF_SYNTAX', `unexpected delimiter at ${this.pos}`);
    }
    const t = this.regularToken();
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (t === 'null') return null;
    if (t === '') {
      this.pos++;
      throw new PdfError('PDF_SYNTAX', `unexpected byte at ${this.pos - 1}`);
    }
    throw new PdfError('PDF_SYNTAX', `unexpected token "${t.slice(0, 20)}" at ${this.pos - t.length}`);
  }

  private parseName(): PdfName {
    const b = this.buf;
    this.pos++;
    let s = '';
    while (this.pos < this.end && isRegular(b[this.pos]!)) {
      const c = b[this.pos]!;
      if (c === 0x23 && HEX[b[this.pos + 1] ?? 0]! >= 0 && HEX[b[this.pos + 2] ?? 0]! >= 0) {
        s += String.fromCharCode(HEX[b[this.pos + 1]!]! * 16 + HEX[b[this.pos + 2]!]!);
        this.pos += 3;
      } else {
        s += String.fromCharCode(c);
        this.pos++;
      }
    }
    return new PdfName(s);
  }

  private parseHexString(): PdfString {
    const b = this.buf;
    const start = this.pos;
    this.pos++;
    const close = b.indexOf(0x3e, this.pos);
    if (close < 0 || close >= this.end) throw new PdfError('PDF_SYNTAX', 'unterminated hex string');
    if (close - this.pos > 64) {
      // Signature /Contents are kilobytes of plain hex: decode natively when there is nothing to skip.
      // Node's hex decoder stops at the first pair that is not hex, so a full-length result means all of it was.
      const length = close - this.pos;
      const decoded = length % 2 === 0 ? Buffer.from(Buffer.from(b.buffer, b.byteOffset + this.pos, length).toString('latin1'), 'hex') : undefined;
      if (decoded && decoded.length * 2 === length) {
        this.pos = close + 1;
        return new PdfString(new Uint8Array(decoded), true, start, this.pos);
      }
    }
    const out = new Uint8Array((close - this.pos + 1) >> 1);
    let n = 0;
    let hi = -1;
    for (let i = this.pos; i < close; i++) {
      const v = HEX[b[i]!]!;
      if (v < 0) {
        if (WS[b[i]!] === 1) continue;
        throw new PdfError('PDF_SYNTAX', `bad hex digit at ${i}`);
      }
      if (hi < 0) hi = v;
      else {
        out[n++] = (hi << 4) | v;
        hi = -1;
      }
    }
    if (hi >= 0) out[n++] = hi << 4;
    this.pos = close + 1;
    return new PdfString(out.subarray(0, n), true, start, this.pos);
  }

  private parseLiteralString(): PdfString {
    const b = this.buf;
    const start = this.pos;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    while (this.pos < this.end) {
      const c = b[this.pos++]!;
      if (c === 0x5c) {
        if (this.pos >= this.end) break;
        const e = b[this.pos++]!;
        switch (e) {
          case 0x6e: out.push(10); break;
          case 0x72: out.push(13); break;
          case 0x74: out.push(9); break;
          case 0x62: out.push(8); break;
          case 0x66: out.push(12); break;
          case 0x0d:
            if (b[this.pos] === 0x0a) this.pos++;
            break;
          case 0x0a: break;
          default:
            if (e >= 0x30 && e <= 0x37) {
              let v = e - 0x30;
              for (let k = 0; k < 2 && this.pos < this.end && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; k++) {
                v = v * 8 + (b[this.pos++]! - 0x30);
              }
              out.push(v & 0xff);
            } else out.push(e);
        }
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        depth--;
        if (depth === 0) return new PdfString(Uint8Array.from(out), false, start, this.pos);
        out.push(c);
      } else out.push(c);
    }
    throw new PdfError('PDF_SYNTAX', 'unterminated literal string');
  }

  private parseDict(depth: number): PdfDict | PdfStream {
    const b = this.buf;
    this.pos += 2;
    const map = new Map<string, PdfValue>();
    for (;;) {
      this.skipWs();
      if (this.pos >= this.end) throw new PdfError('PDF_SYNTAX', 'unterminated dictionary');
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        break;
      }
      if (b[this.pos] !== 0x2f) {
        // Lenient: skip a stray value where a key was expected.
        this.parseValue(depth + 1);
        continue;
      }
      const key = this.parseName().name;
      this.skipWs();
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        map.set(key, null);
        continue;
      }
      map.set(key, this.parseValue(depth + 1));
    }
    const dict = new PdfDict(map);
    // Stream?
    const save = this.pos;
    this.skipWs();
    if (this.startsWith('stream')) {
      this.pos += 6;
      if (b[this.pos] === 0x0d) this.pos++;
      if (b[this.pos] === 0x0a) this.pos++;
      const dataStart = this.pos;
      let len = dict.get('Length');
      if (len instanceof PdfRef) len = this.resolveLength?.(len);
      let dataEnd = -1;
      if (typeof len === 'number' && len >= 0 && Number.isInteger(len) && dataStart + len <= this.end) {
        const p = new Parser(b, dataStart + len, 1, this.end);
        p.skipWs();
        if (p.startsWith('endstream')) {
          dataEnd = dataStart + len;
          this.pos = p.pos + 9;
        }
      }
      if (dataEnd < 0) {
        const idx = indexOfAscii(b, 'endstream', dataStart, this.end);
        if (idx < 0) throw new PdfError('PDF_STREAM', 'stream without endstream');
        dataEnd = idx;
        // Trailing EOL before endstream is not data.
        if (dataEnd > dataStart && b[dataEnd - 1] === 0x0a) dataEnd--;
        if (dataEnd > dataStart && b[dataEnd - 1] === 0x0d) dataEnd--;
        this.pos = idx + 9;
      }
      return new PdfStream(dict, b.subarray(dataStart, dataEnd));
    }
    this.pos = save;
    return dict;
  }

  startsWith(s: string): boolean {
    if (this.pos + s.length > this.end) return false;
    for (let i = 0; i < s.length; i++) if (this.buf[this.pos + i] !== s.charCodeAt(i)) return false;
    return true;
  }
}

export function indexOfAscii(buf: Uint8Array, s: string, from = 0, end = buf.length): number {
  const first = s.charCodeAt(0);
  let i = from;
  for (;;) {
    i = buf.indexOf(first, i);
    if (i < 0 || i + s.length > end) return -1;
    let ok = true;
    for (let k = 1; k < s.length; k++) {
      if (buf[i + k] !== s.charCodeAt(k)) {
        ok = false;
        break;
      }
    }
    if (ok) return i;
    i++;
  }
}

export function lastIndexOfAscii(buf: Uint8Array, s: string, before = buf.length): number {
  const first = s.charCodeAt(0);
  let i = before - s.length;
  while (i >= 0) {
    i = buf.lastIndexOf(first, i);
    if (i < 0) return -1;
    let ok = true;
    for (let k = 1; k < s.length; k++) {
      if (buf[i + k] !== s.charCodeAt(k)) {
        ok = false;
        break;
      }
    }
    if (ok) return i;
    i--;
  }
  return -1;
}
