/** Minimal BER/DER reader: enough for CMS, X.509, CRL, OCSP and TSTInfo, keeping raw bytes for hashing. */

export class DerError extends Error {
  readonly code = 'ASN1_DECODE';
}

export interface Node {
  buf: Uint8Array;
  /** First identifier byte (class + constructed + low tag). */
  tag: number;
  start: number;
  /** Start of contents. */
  cstart: number;
  /** End of contents (before end-of-contents octets for indefinite length). */
  cend: number;
  /** End of the whole element. */
  end: number;
}

const MAX_DEPTH = 40;

function readAt(buf: Uint8Array, pos: number, limit: number, depth: number): Node {
  if (depth > MAX_DEPTH) throw new DerError('ASN.1 nested too deeply');
  if (pos + 2 > limit) throw new DerError('truncated ASN.1');
  const tag = buf[pos]!;
  let p = pos + 1;
  if ((tag & 0x1f) === 0x1f) {
    // High tag numbers: skip the continuation bytes (never needed by what we read).
    let n = 0;
    while (p < limit && buf[p]! & 0x80) {
      p++;
      if (++n > 4) throw new DerError('tag too long');
    }
    p++;
  }
  if (p >= limit) throw new DerError('truncated ASN.1 length');
  const l0 = buf[p++]!;
  if (l0 === 0x80) {
    if (!(tag & 0x20)) throw new DerError('indefinite length on a primitive');
    let q = p;
    for (;;) {
      if (q + 2 > limit) throw new DerError('unterminated indefinite length');
      if (buf[q] === 0 && buf[q + 1] === 0) return { buf, tag, start: pos, cstart: p, cend: q, end: q + 2 };
      q = readAt(buf, q, limit, depth + 1).end;
    }
  }
  let len = l0;
  if (l0 & 0x80) {
    const n = l0 & 0x7f;
    if (n > 4 || p + n > limit) throw new DerError('bad ASN.1 length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > limit) throw new DerError('ASN.1 length beyond data');
  return { buf, tag, start: pos, cstart: p, cend: p + len, end: p + len };
}

export function parseDer(buf: Uint8Array, pos = 0, limit = buf.length): Node {
  return readAt(buf, pos, limit, 0);
}

export function children(n: Node): Node[] {
  const out: Node[] = [];
  if (!(n.tag & 0x20)) return out;
  let p = n.cstart;
  while (p < n.cend) {
    const c = readAt(n.buf, p, n.cend, 1);
    out.push(c);
    p = c.end;
    if (out.length > 100_000) throw new DerError('too many ASN.1 elements');
  }
  return out;
}

export function raw(n: Node): Uint8Array {
  return n.buf.subarray(n.start, n.end);
}

export function content(n: Node): Uint8Array {
  return n.buf.subarray(n.cstart, n.cend);
}

/** Contents of an OCTET STRING, joining constructed (BER) pieces. */
export function octets(n: Node): Uint8Array {
  if (!(n.tag & 0x20)) return content(n);
  const parts = children(n).map(octets);
  const total = parts.reduce((a, b) => a + b.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function oid(n: Node): string {
  if (n.tag !== 0x06) throw new DerError('expected OBJECT IDENTIFIER');
  const b = content(n);
  if (b.length === 0) throw new DerError('empty OID');
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      if (parts.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** INTEGER contents as lower-case hex without leading zero bytes. */
export function intHex(n: Node): string {
  let b = content(n);
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  return hex(b);
}

export function intValue(n: Node): number {
  const b = content(n);
  let v = 0;
  for (const x of b.subarray(0, 6)) v = v * 256 + x;
  return v;
}

export function time(n: Node): Date {
  const s = Buffer.from(content(n)).toString('latin1');
  let m: RegExpExecArray | null;
  if (n.tag === 0x17) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s);
    if (!m) throw new DerError(`bad UTCTime ${s}`);
    const y = Number(m[1]);
    return new Date(Date.UTC(y < 50 ? 2000 + y : 1900 + y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
  }
  if (n.tag === 0x18) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/.exec(s);
    if (!m) throw new DerError(`bad GeneralizedTime ${s}`);
    const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
    let t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
    if (m[8] && m[8] !== 'Z') {
      const sign = m[8][0] === '-' ? -1 : 1;
      t -= sign * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(3, 5))) * 60_000;
    }
    return new Date(t);
  }
  throw new DerError('expected a time');
}

export function bitStringBytes(n: Node): Uint8Array {
  const c = content(n);
  return c.subarray(1);
}

/** Re-tags a [0] IMPLICIT SET (signed attributes) as a universal SET for hashing, per RFC 5652 §5.4. */
export function asSet(n: Node): Uint8Array {
  const r = new Uint8Array(raw(n));
  r[0] = 0x31;
  return r;
}

/** Reads an X.500 Name into a readable RFC 4514-like string. */
const ATTR: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU',
  '2.5.4.5': 'SERIALNUMBER', '1.2.840.113549.1.9.1': 'E', '2.5.4.4': 'SN', '2.5.4.42': 'GN', '2.5.4.12': 'T',
  '0.9.2342.19200300.100.1.1': 'UID', '0.9.2342.19200300.100.1.25': 'DC', '2.5.4.97': 'organizationIdentifier',
};
export function nameToString(n: Node): string {
  const parts: string[] = [];
  try {
    for (const rdn of children(n)) {
      for (const atv of children(rdn)) {
        const [t, v] = children(atv);
        if (!t || !v) continue;
        const key = ATTR[oid(t)] ?? oid(t);
        const c = content(v);
        let text: string;
        if (v.tag === 0x1e) {
          text = '';
          for (let i = 0; i + 1 < c.length; i += 2) text += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
        } else if (v.tag === 0x0c || v.tag === 0x13 || v.tag === 0x16 || v.tag === 0x14) text = Buffer.from(c).toString(v.tag === 0x0c ? 'utf8' : 'latin1');
        else text = `#${hex(raw(v))}`;
        parts.push(`${key}=${text.normalize('NFC')}`);
      }
    }
  } catch {
    return '?';
  }
  return parts.reverse().join(', ');
}
