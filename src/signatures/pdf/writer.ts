/**
 * Incremental updates: new and replaced objects appended after the file's last byte, with their own cross-reference
 * section (a table or a stream, as the file's last one) and a trailer pointing back to the previous section. The
 * bytes already in the file are never touched, which is what keeps earlier signatures valid.
 */
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { PdfDocument } from './document.ts';
import { PdfError } from './errors.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.ts';

/** Bytes written as they are where a value goes (a placeholder, a pre-encoded array). */
export class RawValue {
  constructor(readonly text: string) {}
}

export type WritableValue = PdfValue | RawValue | WritableValue[] | { [key: string]: WritableValue | undefined };

const latin1 = (s: string): Uint8Array => Buffer.from(s, 'latin1');

export function name(n: string): PdfName {
  return new PdfName(n);
}

/** A text string: PDFDocEncoding-safe ASCII as is, anything else as UTF-16BE with a byte-order mark. */
export function textString(s: string): PdfString {
  const nfc = s.normalize('NFC');
  if (/^[\x20-\x7e]*$/.test(nfc)) return new PdfString(latin1(nfc), false, -1, -1);
  const b = Buffer.from(nfc, 'utf16le').swap16();
  return new PdfString(new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), b])), false, -1, -1);
}

export function hexString(bytes: Uint8Array): PdfString {
  return new PdfString(bytes, true, -1, -1);
}

/** D:YYYYMMDDHHmmSSZ in UTC. */
export function pdfDate(d: Date): PdfString {
  const iso = d.toISOString();
  return new PdfString(latin1(`D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`), false, -1, -1);
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new PdfError('PDF_SYNTAX', `cannot write number ${n}`);
  if (Number.isInteger(n)) return String(n);
  const s = n.toFixed(10).replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

const DELIMITER = new Set([...'()<>[]{}/%#'].map((c) => c.charCodeAt(0)));

function writeName(n: string): string {
  let out = '/';
  for (let i = 0; i < n.length; i++) {
    const c = n.charCodeAt(i);
    out += c < 0x21 || c > 0x7e || DELIMITER.has(c) ? `#${c.toString(16).padStart(2, '0')}` : n[i];
  }
  return out;
}

function writeString(s: PdfString): string {
  const b = s.bytes;
  if (s.hex) return `<${Buffer.from(b).toString('hex').toUpperCase()}>`;
  let out = '(';
  for (const c of b) {
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x0a) out += '\\n';
    else out += String.fromCharCode(c);
  }
  return `${out})`;
}

/** Serialises a value as PDF syntax (latin1 text: every char is one byte). Streams are written by `stream()`. */
export function serialize(v: WritableValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatNumber(v);
  if (v instanceof RawValue) return v.text;
  if (v instanceof PdfName) return writeName(v.name);
  if (v instanceof PdfString) return writeString(v);
  if (v instanceof PdfRef) return `${v.num} ${v.gen} R`;
  if (Array.isArray(v)) return `[${v.map(serialize).join(' ')}]`;
  if (v instanceof PdfStream) throw new PdfError('PDF_SYNTAX', 'a stream cannot be written inside another object');
  const entries = v instanceof PdfDict ? [...v.map] : Object.entries(v);
  let out = '<<';
  for (const [k, x] of entries) if (x !== undefined) out += `${writeName(k)} ${serialize(x)}`;
  return `${out}>>`;
}

/** A copy of a dictionary read from the file with some entries set (undefined removes one). */
export function withEntries(d: PdfDict | undefined, changes: Record<string, WritableValue | undefined>): Record<string, WritableValue | undefined> {
  const out: Record<string, WritableValue | undefined> = {};
  if (d) for (const [k, x] of d.map) out[k] = x;
  for (const [k, x] of Object.entries(changes)) {
    if (x === undefined) delete out[k];
    else out[k] = x;
  }
  return out;
}

interface Written {
  ref: PdfRef;
  bytes: Uint8Array;
}

/** One incremental update of `doc`: allocate numbers, add objects, then `finish()` for the whole new file. */
export class IncrementalUpdate {
  private readonly objects: Written[] = [];
  private next: number;
  private readonly base: Uint8Array;

  constructor(private readonly doc: PdfDocument) {
    this.base = doc.bytes;
    if (doc.trailer().has('Encrypt')) throw new PdfError('PDF_ENCRYPTED', 'encrypted PDFs cannot be updated');
    const size = doc.trailer().get('Size');
    let max = 0;
    for (const s of doc.sections) for (const n of s.entries.keys()) if (n > max) max = n;
    this.next = Math.max(typeof size === 'number' ? size : 0, max + 1);
  }

  allocate(): PdfRef {
    return new PdfRef(this.next++, 0);
  }

  /** Writes (or replaces) object `ref` with a non-stream value. */
  put(ref: PdfRef, value: WritableValue): void {
    this.objects.push({ ref, bytes: latin1(`${ref.num} ${ref.gen} obj\n${serialize(value)}\nendobj\n`) });
  }

  /** Writes a stream object; `compress` deflates `data` (unless the dictionary already names a filter). */
  stream(ref: PdfRef, dict: Record<string, WritableValue | undefined>, data: Uint8Array, compress = false): void {
    const body = compress ? new Uint8Array(deflateSync(data)) : data;
    const d = { ...dict, ...(compress ? { Filter: name('FlateDecode') } : {}), Length: body.length };
    const head = latin1(`${ref.num} ${ref.gen} obj\n${serialize(d)}\nstream\n`);
    const tail = latin1('\nendstream\nendobj\n');
    this.objects.push({ ref, bytes: concat([head, body, tail]) });
  }

  /** Adds an object and returns its reference. */
  add(value: WritableValue): PdfRef {
    const ref = this.allocate();
    this.put(ref, value);
    return ref;
  }

  addStream(dict: Record<string, WritableValue | undefined>, data: Uint8Array, compress = false): PdfRef {
    const ref = this.allocate();
    this.stream(ref, dict, data, compress);
    return ref;
  }

  /** The whole file: the original bytes, the objects, the cross-reference section and the trailer. */
  finish(): { bytes: Uint8Array; offsets: Map<number, number> } {
    const doc = this.doc;
    const last = doc.sections[doc.lastRev]!;
    const parts: Uint8Array[] = [this.base];
    let pos = this.base.length;
    const lastByte = this.base[this.base.length - 1];
    if (lastByte !== 0x0a && lastByte !== 0x0d) {
      parts.push(latin1('\n'));
      pos++;
    }
    const offsets = new Map<number, number>();
    for (const o of this.objects) {
      offsets.set(o.ref.num, pos);
      parts.push(o.bytes);
      pos += o.bytes.length;
    }
    const old = doc.trailer();
    const id = old.get('ID');
    const firstId = Array.isArray(id) && id[0] instanceof PdfString ? id[0] : hexString(new Uint8Array(randomBytes(16)));
    const trailer: Record<string, WritableValue | undefined> = {
      Size: this.next,
      Root: old.get('Root'),
      Info: old.get('Info'),
      ID: [hexString(firstId.bytes), hexString(new Uint8Array(randomBytes(16)))],
    };
    // A file whose cross-reference data was rebuilt by scanning gets a complete section with no /Prev — an xref
    // stream when some of its objects live in object streams, which a classic table cannot point into.
    const rebuilt = last.kind === 'scan';
    if (!rebuilt) trailer.Prev = last.offset;
    // type 0 free (a: next free, b: gen), 1 at an offset (a: offset, b: gen), 2 in an object stream (a: its number, b: index).
    const entries = new Map<number, { type: 0 | 1 | 2; a: number; b: number }>();
    if (rebuilt) {
      entries.set(0, { type: 0, a: 0, b: 65535 });
      for (const [n, e] of last.entries) {
        if (e.type === 1) entries.set(n, { type: 1, a: e.offset, b: e.gen });
        else if (e.type === 2) entries.set(n, { type: 2, a: e.stream, b: e.index });
      }
    }
    for (const o of this.objects) entries.set(o.ref.num, { type: 1, a: offsets.get(o.ref.num)!, b: o.ref.gen });
    const asStream = last.kind === 'stream' || [...entries.values()].some((e) => e.type === 2);
    if (asStream) {
      const xrefRef = this.allocate();
      trailer.Size = this.next;
      entries.set(xrefRef.num, { type: 1, a: pos, b: 0 });
      const streamRuns = consecutiveRuns(entries.keys());
      const allNums = streamRuns.flat();
      const rows = new Uint8Array(allNums.length * 7);
      allNums.forEach((n, i) => {
        const e = entries.get(n)!;
        const r = i * 7;
        rows[r] = e.type;
        rows[r + 1] = (e.a >>> 24) & 0xff;
        rows[r + 2] = (e.a >>> 16) & 0xff;
        rows[r + 3] = (e.a >>> 8) & 0xff;
        rows[r + 4] = e.a & 0xff;
        rows[r + 5] = (e.b >> 8) & 0xff;
        rows[r + 6] = e.b & 0xff;
      });
      const body = new Uint8Array(deflateSync(rows));
      const dict = {
        Type: name('XRef'), ...trailer, W: [1, 4, 2], Index: streamRuns.flatMap((r) => [r[0]!, r.length]), Filter: name('FlateDecode'), Length: body.length,
      };
      parts.push(latin1(`${xrefRef.num} 0 obj\n${serialize(dict)}\nstream\n`), body, latin1(`\nendstream\nendobj\nstartxref\n${pos}\n%%EOF\n`));
    } else {
      let table = 'xref\n';
      for (const run of consecutiveRuns(entries.keys())) {
        table += `${run[0]} ${run.length}\n`;
        for (const n of run) {
          const e = entries.get(n)!;
          table += `${String(e.a).padStart(10, '0')} ${String(e.b).padStart(5, '0')} ${e.type === 0 ? 'f' : 'n'}\r\n`;
        }
      }
      parts.push(latin1(`${table}trailer\n${serialize(trailer)}\nstartxref\n${pos}\n%%EOF\n`));
    }
    return { bytes: concat(parts), offsets };
  }
}

/** Object numbers in ascending order, split into runs of consecutive numbers (the xref subsections). */
function consecutiveRuns(nums: Iterable<number>): number[][] {
  const runs: number[][] = [];
  for (const n of [...nums].sort((a, b) => a - b)) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === n - 1) run.push(n);
    else runs.push([n]);
  }
  return runs;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
