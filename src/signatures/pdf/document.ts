import { DEFAULT_LIMITS, PdfError, type PdfLimits } from './errors.ts';
import { decodeStream, type InflateBudget } from './filters.ts';
import { PdfDict, PdfRef, PdfStream, isName, type PdfValue } from './objects.ts';
import { Parser, indexOfAscii, isWhite, lastIndexOfAscii } from './parser.ts';

export interface XrefEntry {
  /** 0 free, 1 at a file offset, 2 inside an object stream. */
  type: 0 | 1 | 2;
  offset: number;
  gen: number;
  stream: number;
  index: number;
}

export interface XrefSection {
  /** Offset of the `xref` keyword or of the xref stream object. */
  offset: number;
  kind: 'table' | 'stream' | 'scan';
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
  /** Offset just after this section's `%%EOF` marker (and its end-of-line), or the file length. */
  end: number;
  /** Offset just after the `%%EOF` keyword itself (end-of-line excluded). */
  eof: number;
}

interface ObjStm {
  data: Uint8Array;
  first: number;
  nums: number[];
  offsets: number[];
}

/**
 * A read-only view of a PDF file and all its incremental revisions. Objects are parsed lazily on first use and
 * cached; `rev` arguments select a prefix of the xref sections (0 = the original file).
 */
export class PdfDocument {
  readonly bytes: Uint8Array;
  readonly limits: PdfLimits;
  /** Xref sections, oldest first (the order in which later ones override earlier ones). */
  readonly sections: XrefSection[];
  /** True when the xref data was unusable and objects were found by scanning the file. */
  readonly reconstructed: boolean;
  private readonly cache = new Map<string, PdfValue>();
  private readonly objStms = new Map<number, ObjStm>();
  private readonly budget: InflateBudget = { used: 0 };
  private scanIndex: Map<number, number> | undefined;
  private parsedObjects = 0;

  private constructor(bytes: Uint8Array, limits: PdfLimits, sections: XrefSection[], reconstructed: boolean) {
    this.bytes = bytes;
    this.limits = limits;
    this.sections = sections;
    this.reconstructed = reconstructed;
  }

  static load(bytes: Uint8Array, limits: PdfLimits = DEFAULT_LIMITS): PdfDocument {
    const head = indexOfAscii(bytes, '%PDF-', 0, Math.min(bytes.length, 1024));
    if (head < 0) throw new PdfError('PDF_NOT_PDF', 'no %PDF- header');
    const doc = new PdfDocument(bytes, limits, [], false);
    let sections: XrefSection[] = [];
    try {
      sections = doc.readXrefChain();
    } catch (e) {
      if (!(e instanceof PdfError)) throw e;
      sections = [];
    }
    if (sections.length === 0 || !sections.some((s) => s.trailer.get('Root') instanceof PdfRef)) {
      const scanned = doc.scanSection();
      return new PdfDocument(bytes, limits, [scanned], true);
    }
    return new PdfDocument(bytes, limits, sections, false);
  }

  get lastRev(): number {
    return this.sections.length - 1;
  }

  trailer(rev = this.lastRev): PdfDict {
    // The newest trailer carries the current /Root and /Info; fields missing in it are taken from older ones.
    return this.sections[Math.max(0, Math.min(rev, this.lastRev))]!.trailer;
  }

  entry(num: number, rev = this.lastRev): XrefEntry | undefined {
    for (let i = Math.min(rev, this.lastRev); i >= 0; i--) {
      const e = this.sections[i]!.entries.get(num);
      if (e) return e;
    }
    return undefined;
  }

  /** Index of the newest section (≤ rev) that defines object `num`. */
  definedIn(num: number, rev = this.lastRev): number {
    for (let i = Math.min(rev, this.lastRev); i >= 0; i--) if (this.sections[i]!.entries.has(num)) return i;
    return -1;
  }

  /** Follows references (bounded) and returns a direct value; undefined for missing or free objects. */
  resolve(v: PdfValue | undefined, rev = this.lastRev): PdfValue | undefined {
    let cur = v;
    for (let hops = 0; cur instanceof PdfRef; hops++) {
      if (hops > 32) throw new PdfError('PDF_LIMIT', 'reference chain too long');
      cur = this.getObject(cur.num, rev);
    }
    return cur;
  }

  dict(v: PdfValue | undefined, rev = this.lastRev): PdfDict | undefined {
    const r = this.resolve(v, rev);
    if (r instanceof PdfDict) return r;
    if (r instanceof PdfStream) return r.dict;
    return undefined;
  }

  /** A stable identity for the stored form of object `num` at `rev`: equal keys mean the very same bytes were used. */
  storageKey(num: number, rev = this.lastRev): string | undefined {
    const e = this.entry(num, rev);
    if (!e || e.type === 0) return undefined;
    if (e.type === 1) return `o${e.offset}`;
    const host = this.entry(e.stream, rev);
    return host && host.type === 1 ? `s${host.offset}:${e.index}:${num}` : undefined;
  }

  getObject(num: number, rev = this.lastRev): PdfValue | undefined {
    const e = this.entry(num, rev);
    if (!e || e.type === 0) return undefined;
    const key = this.storageKey(num, rev);
    if (key === undefined) return undefined;
    if (this.cache.has(key)) return this.cache.get(key);
    // Guard against cycles through /Length or object streams.
    this.cache.set(key, null);
    let value: PdfValue | undefined;
    if (e.type === 1) value = this.readIndirectAt(e.offset, num, rev);
    else value = this.readFromObjStm(e.stream, e.index, num, rev);
    if (++this.parsedObjects > this.limits.maxObjects) throw new PdfError('PDF_LIMIT', 'too many objects');
    this.cache.set(key, value ?? null);
    return value;
  }

  decode(stream: PdfStream, rev = this.lastRev): Uint8Array {
    // Filter and parameters may be indirect.
    const filter = this.resolve(stream.dict.get('Filter'), rev);
    const parms = this.resolve(stream.dict.get('DecodeParms'), rev);
    const map = new Map(stream.dict.map);
    if (filter !== undefined) map.set('Filter', Array.isArray(filter) ? filter.map((f) => this.resolve(f, rev) ?? null) : filter);
    if (parms !== undefined) map.set('DecodeParms', Array.isArray(parms) ? parms.map((p) => this.resolve(p, rev) ?? null) : parms);
    return decodeStream(new PdfStream(new PdfDict(map), stream.data), this.limits, this.budget);
  }

  private parser(pos: number, rev: number): Parser {
    const p = new Parser(this.bytes, pos, this.limits.maxDepth);
    p.resolveLength = (ref) => {
      const v = this.resolve(ref, rev);
      return typeof v === 'number' ? v : undefined;
    };
    return p;
  }

  private readIndirectAt(offset: number, num: number, rev: number): PdfValue | undefined {
    const tryAt = (off: number): PdfValue | undefined => {
      if (off < 0 || off >= this.bytes.length) return undefined;
      const p = this.parser(off, rev);
      p.skipWs();
      const n = p.readUint();
      p.skipWs();
      const g = p.readUint();
      if (n !== num || g === undefined || !p.expectKeyword('obj')) return undefined;
      return p.parseValue();
    };
    let v: PdfValue | undefined;
    try {
      v = tryAt(offset);
    } catch (e) {
      if (!(e instanceof PdfError) || e.code === 'PDF_LIMIT') throw e;
      v = undefined;
    }
    if (v !== undefined) return v;
    // Broken offset: fall back to a scan of the file, as lenient readers do.
    const alt = this.scan().get(num);
    if (alt === undefined || alt === offset) return undefined;
    try {
      return tryAt(alt);
    } catch (e) {
      if (!(e instanceof PdfError) || e.code === 'PDF_LIMIT') throw e;
      return undefined;
    }
  }

  /** The decoded header of object stream `streamNum` (cached); undefined when it is not a stream. */
  private objStm(streamNum: number, rev: number): ObjStm | undefined {
    const host = this.entry(streamNum, rev);
    if (!host || host.type !== 1) return undefined;
    let os = this.objStms.get(host.offset);
    if (!os) {
      const s = this.getObject(streamNum, rev);
      if (!(s instanceof PdfStream)) return undefined;
      const data = this.decode(s, rev);
      const n = s.dict.get('N');
      const first = s.dict.get('First');
      if (typeof n !== 'number' || typeof first !== 'number' || n < 0 || first < 0 || first > data.length) {
        throw new PdfError('PDF_XREF', 'bad object stream header');
      }
      const p = new Parser(data, 0, this.limits.maxDepth, first);
      const nums: number[] = [];
      const offsets: number[] = [];
      for (let i = 0; i < n; i++) {
        p.skipWs();
        const a = p.readUint();
        p.skipWs();
        const b = p.readUint();
        if (a === undefined || b === undefined) break;
        nums.push(a);
        offsets.push(b);
      }
      os = { data, first, nums, offsets };
      this.objStms.set(host.offset, os);
    }
    return os;
  }

  private readFromObjStm(streamNum: number, index: number, num: number, rev: number): PdfValue | undefined {
    const os = this.objStm(streamNum, rev);
    if (!os) return undefined;
    let i = index;
    if (os.nums[i] !== num) i = os.nums.indexOf(num);
    if (i < 0 || i >= os.nums.length) return undefined;
    const p = new Parser(os.data, os.first + os.offsets[i]!, this.limits.maxDepth);
    try {
      return p.parseValue();
    } catch (e) {
      if (!(e instanceof PdfError) || e.code === 'PDF_LIMIT') throw e;
      return undefined;
    }
  }

  /**
   * Every object the file defines, in every revision: each object at a file offset that a cross-reference section
   * lists (or that a scan found, when the cross-reference had to be rebuilt), and every member of every object stream
   * among them. For checks that must see all of a file, old revisions included (active content); unlike the lenient
   * look-ups above, an object that does not parse is an error here (PDF_SYNTAX).
   */
  *allObjects(): Generator<{ num: number; rev: number; value: PdfValue }> {
    for (let rev = 0; rev <= this.lastRev; rev++) {
      for (const [num, e] of this.sections[rev]!.entries) {
        if (e.type !== 1) continue;
        const value = this.getObject(num, rev);
        if (value === undefined) throw new PdfError('PDF_SYNTAX', `object ${num} does not parse`);
        yield { num, rev, value };
        if (!(value instanceof PdfStream) || !isName(value.dict.get('Type'), 'ObjStm')) continue;
        const os = this.objStm(num, rev);
        if (!os) throw new PdfError('PDF_STREAM', `object stream ${num} does not decode`);
        for (let i = 0; i < os.nums.length; i++) {
          const member = new Parser(os.data, os.first + os.offsets[i]!, this.limits.maxDepth).parseValue();
          if (++this.parsedObjects > this.limits.maxObjects) throw new PdfError('PDF_LIMIT', 'too many objects');
          yield { num: os.nums[i]!, rev, value: member };
        }
      }
    }
  }

  /** Pages in the page tree of revision `rev`; PDF_SYNTAX when the catalog has no readable page tree. */
  pageCount(rev = this.lastRev): number {
    const root = this.dict(this.trailer(rev).get('Root'), rev);
    const top = root?.get('Pages');
    const seen = new Set<number>();
    const count = (node: PdfValue | undefined, depth: number): number => {
      if (depth > this.limits.maxDepth) throw new PdfError('PDF_LIMIT', 'page tree too deep');
      if (node instanceof PdfRef) {
        if (seen.has(node.num)) throw new PdfError('PDF_SYNTAX', 'page tree has a cycle');
        seen.add(node.num);
      }
      const d = this.dict(node, rev);
      if (!d) throw new PdfError('PDF_SYNTAX', 'page tree node missing');
      if (isName(d.get('Type'), 'Page')) return 1;
      const kids = this.resolve(d.get('Kids'), rev);
      if (Array.isArray(kids)) return kids.reduce<number>((n, k) => n + count(k, depth + 1), 0);
      // A leaf without /Type counts as a page, as lenient readers count it; the root must be a page tree node.
      if (depth > 0) return 1;
      throw new PdfError('PDF_SYNTAX', 'page tree root has no kids');
    };
    return count(top, 0);
  }

  // ---- xref reading -------------------------------------------------------------------------------------------

  private findStartXref(): number {
    const at = lastIndexOfAscii(this.bytes, 'startxref');
    if (at < 0) throw new PdfError('PDF_XREF', 'no startxref');
    const p = new Parser(this.bytes, at + 9);
    p.skipWs();
    const off = p.readUint();
    if (off === undefined) throw new PdfError('PDF_XREF', 'bad startxref');
    return off;
  }

  private revisionEnd(from: number): { end: number; eof: number } {
    const b = this.bytes;
    const i = indexOfAscii(b, '%%EOF', from);
    if (i < 0) return { end: b.length, eof: b.length };
    let e = i + 5;
    if (b[e] === 0x0d) e++;
    if (b[e] === 0x0a) e++;
    return { end: e, eof: i + 5 };
  }

  private readXrefChain(): XrefSection[] {
    const chain: XrefSection[] = [];
    const seen = new Set<number>();
    let off: number | undefined = this.findStartXref();
    let total = 0;
    let broken = false;
    while (off !== undefined) {
      if (seen.has(off)) break; // /Prev loops end the chain
      if (chain.length >= this.limits.maxRevisions) throw new PdfError('PDF_LIMIT', 'too many revisions');
      seen.add(off);
      let sec: XrefSection;
      try {
        sec = this.readSectionAt(off);
      } catch (e) {
        if (chain.length === 0 || !(e instanceof PdfError) || e.code === 'PDF_LIMIT') throw e;
        broken = true;
        break;
      }
      total += sec.entries.size;
      if (total > this.limits.maxObjects) throw new PdfError('PDF_LIMIT', 'too many xref entries');
      chain.push(sec);
      const prev = sec.trailer.get('Prev');
      off = typeof prev === 'number' && Number.isInteger(prev) && prev >= 0 ? prev : undefined;
    }
    if (broken) {
      // A bad /Prev hides older revisions: recover them from every `startxref` in the file, oldest first.
      const older: XrefSection[] = [];
      let at = this.bytes.length;
      while (older.length + chain.length < this.limits.maxRevisions) {
        at = lastIndexOfAscii(this.bytes, 'startxref', at);
        if (at < 0) break;
        const p = new Parser(this.bytes, at + 9);
        p.skipWs();
        const o = p.readUint();
        if (o !== undefined && !seen.has(o) && o < chain[chain.length - 1]!.offset) {
          seen.add(o);
          try {
            older.push(this.readSectionAt(o));
          } catch (e) {
            if (e instanceof PdfError && e.code === 'PDF_LIMIT') throw e;
          }
        }
      }
      older.sort((x, y) => y.offset - x.offset);
      chain.push(...older);
    }
    return chain.reverse();
  }

  private readSectionAt(off: number): XrefSection {
    const fix = (o: number): number => {
      // Many writers are off by a few bytes; look around for the keyword.
      if (o < this.bytes.length && new Parser(this.bytes, o).startsWith('xref')) return o;
      const lo = Math.max(0, o - 64);
      const near = indexOfAscii(this.bytes, 'xref', lo, Math.min(this.bytes.length, o + 64));
      if (near >= 0 && !(this.bytes[near - 1] === 0x74 /* 't' of startxref */)) return near;
      return o;
    };
    const p = new Parser(this.bytes, off, this.limits.maxDepth);
    p.skipWs();
    if (p.startsWith('xref')) return this.readTable(p.pos);
    const fixed = fix(off);
    if (fixed !== off && new Parser(this.bytes, fixed).startsWith('xref')) return this.readTable(fixed);
    return this.readXrefStream(off);
  }

  private readTable(at: number): XrefSection {
    const b = this.bytes;
    const p = new Parser(b, at + 4, this.limits.maxDepth);
    const entries = new Map<number, XrefEntry>();
    for (;;) {
      p.skipWs();
      if (p.startsWith('trailer')) break;
      const start = p.readUint();
      p.skipWs();
      const count = p.readUint();
      if (start === undefined || count === undefined) throw new PdfError('PDF_XREF', `bad xref subsection at ${p.pos}`);
      if (count > (b.length - p.pos) / 18 + 1) throw new PdfError('PDF_XREF', 'xref subsection larger than the file');
      for (let i = 0; i < count; i++) {
        p.skipWs();
        const o = p.readUint();
        p.skipWs();
        const g = p.readUint();
        p.skipWs();
        const t = b[p.pos];
        if (o === undefined || g === undefined || (t !== 0x6e && t !== 0x66)) {
          throw new PdfError('PDF_XREF', `bad xref entry at ${p.pos}`);
        }
        p.pos++;
        const num = start + i;
        if (t === 0x6e) entries.set(num, { type: 1, offset: o, gen: g, stream: 0, index: 0 });
        else entries.set(num, { type: 0, offset: 0, gen: g, stream: 0, index: 0 });
      }
    }
    p.pos += 7;
    const trailer = p.parseValue();
    if (!(trailer instanceof PdfDict)) throw new PdfError('PDF_XREF', 'trailer is not a dictionary');
    const xs = trailer.get('XRefStm');
    if (typeof xs === 'number') {
      // Hybrid file: objects in object streams are listed in a side xref stream; the table wins where both speak.
      try {
        const side = this.readXrefStream(xs);
        for (const [k, v] of side.entries) {
          const mine = entries.get(k);
          if (!mine || mine.type === 0) entries.set(k, v);
        }
      } catch (e) {
        if (!(e instanceof PdfError) || e.code === 'PDF_LIMIT') throw e;
      }
    }
    return { offset: at, kind: 'table', entries, trailer, ...this.revisionEnd(p.pos) };
  }

  private readXrefStream(off: number): XrefSection {
    const p = new Parser(this.bytes, off, this.limits.maxDepth);
    p.skipWs();
    const n = p.readUint();
    p.skipWs();
    const g = p.readUint();
    if (n === undefined || g === undefined || !p.expectKeyword('obj')) throw new PdfError('PDF_XREF', `no xref at ${off}`);
    const s = p.parseValue();
    if (!(s instanceof PdfStream)) throw new PdfError('PDF_XREF', 'xref stream is not a stream');
    const data = decodeStream(s, this.limits, this.budget);
    const w = s.dict.get('W');
    if (!Array.isArray(w) || w.length < 3 || !w.every((x) => typeof x === 'number' && x >= 0 && x <= 8)) {
      throw new PdfError('PDF_XREF', 'bad /W in xref stream');
    }
    const [w0, w1, w2] = w as number[];
    const width = w0! + w1! + w2!;
    if (width === 0) throw new PdfError('PDF_XREF', 'zero-width xref entries');
    const size = s.dict.get('Size');
    let index = s.dict.get('Index');
    if (!Array.isArray(index)) index = [0, typeof size === 'number' ? size : 0];
    const entries = new Map<number, XrefEntry>();
    const read = (pos: number, len: number): number => {
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + data[pos + i]!;
      return v;
    };
    let pos = 0;
    for (let k = 0; k + 1 < index.length; k += 2) {
      const start = index[k];
      const count = index[k + 1];
      if (typeof start !== 'number' || typeof count !== 'number') break;
      for (let i = 0; i < count && pos + width <= data.length; i++, pos += width) {
        const type = w0 === 0 ? 1 : read(pos, w0!);
        const f2 = read(pos + w0!, w1!);
        const f3 = read(pos + w0! + w1!, w2!);
        const num = start + i;
        if (type === 0) entries.set(num, { type: 0, offset: 0, gen: f3, stream: 0, index: 0 });
        else if (type === 1) entries.set(num, { type: 1, offset: f2, gen: f3, stream: 0, index: 0 });
        else if (type === 2) entries.set(num, { type: 2, offset: 0, gen: 0, stream: f2, index: f3 });
      }
    }
    return { offset: off, kind: 'stream', entries, trailer: s.dict, ...this.revisionEnd(p.pos) };
  }

  /** Offsets of every "N G obj" in the file (the last definition wins), built once on demand. */
  private scan(): Map<number, number> {
    if (this.scanIndex) return this.scanIndex;
    const b = this.bytes;
    const idx = new Map<number, number>();
    let i = 0;
    for (;;) {
      i = indexOfAscii(b, 'obj', i);
      if (i < 0) break;
      const after = b[i + 3];
      if (after !== undefined && !isWhite(after) && after !== 0x3c && after !== 0x5b && after !== 0x2f && after !== 0x25) {
        i += 3;
        continue;
      }
      // Walk back over "N G ".
      let j = i - 1;
      while (j >= 0 && isWhite(b[j]!)) j--;
      let ge = j;
      while (j >= 0 && b[j]! >= 48 && b[j]! <= 57) j--;
      if (j === ge) {
        i += 3;
        continue;
      }
      while (j >= 0 && isWhite(b[j]!)) j--;
      ge = j;
      while (j >= 0 && b[j]! >= 48 && b[j]! <= 57) j--;
      if (j === ge || ge - j > 10) {
        i += 3;
        continue;
      }
      let num = 0;
      for (let k = j + 1; k <= ge; k++) num = num * 10 + (b[k]! - 48);
      idx.set(num, j + 1);
      if (idx.size > this.limits.maxObjects) throw new PdfError('PDF_LIMIT', 'too many objects');
      i += 3;
    }
    this.scanIndex = idx;
    return idx;
  }

  private scanSection(): XrefSection {
    const idx = this.scan();
    const entries = new Map<number, XrefEntry>();
    for (const [num, offset] of idx) entries.set(num, { type: 1, offset, gen: 0, stream: 0, index: 0 });
    // Trailer: the last `trailer` dictionary with a /Root, else a catalog found by scanning.
    let trailer: PdfDict | undefined;
    let at = this.bytes.length;
    for (let tries = 0; tries < 64; tries++) {
      at = lastIndexOfAscii(this.bytes, 'trailer', at);
      if (at < 0) break;
      try {
        const v = new Parser(this.bytes, at + 7, this.limits.maxDepth).parseValue();
        if (v instanceof PdfDict && v.get('Root') instanceof PdfRef) {
          trailer = v;
          break;
        }
      } catch (e) {
        if (!(e instanceof PdfError) || e.code === 'PDF_LIMIT') throw e;
      }
    }
    const section: XrefSection = { offset: 0, kind: 'scan', entries, trailer: trailer ?? new PdfDict(new Map()), end: this.bytes.length, eof: this.bytes.length };
    // Objects inside object streams are invisible to the scan: list the members of every object stream it found
    // (an object also found at a file offset keeps that), and without a trailer, take an xref stream's or a catalog.
    const tmp = new PdfDocument(this.bytes, this.limits, [section], true);
    for (const [num] of idx) {
      let v: PdfValue | undefined;
      try {
        v = tmp.getObject(num);
      } catch (e) {
        if (!(e instanceof PdfError) || e.code === 'PDF_LIMIT') throw e;
        continue;
      }
      const d = v instanceof PdfStream ? v.dict : v;
      if (!(d instanceof PdfDict)) continue;
      if (v instanceof PdfStream && isName(d.get('Type'), 'ObjStm')) {
        const os = tmp.objStm(num, 0);
        os?.nums.forEach((member, index) => {
          if (!entries.has(member)) entries.set(member, { type: 2, offset: 0, gen: 0, stream: num, index });
        });
      } else if (!trailer && isName(d.get('Type'), 'XRef') && d.get('Root') instanceof PdfRef) {
        section.trailer = d;
      } else if (!trailer && isName(d.get('Type'), 'Catalog') && !section.trailer.has('Root')) {
        section.trailer = new PdfDict(new Map([['Root', new PdfRef(num, 0)]]));
      }
    }
    return section;
  }
}
