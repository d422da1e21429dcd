/** PDF object model of the validation reader. Offsets are kept because signatures are checked byte-exactly. */

export class PdfName {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

export class PdfString {
  readonly bytes: Uint8Array;
  readonly hex: boolean;
  /** Offsets of the whole token in the file (including the delimiters), when read from the file itself. */
  readonly start: number;
  readonly end: number;
  constructor(bytes: Uint8Array, hex: boolean, start: number, end: number) {
    this.bytes = bytes;
    this.hex = hex;
    this.start = start;
    this.end = end;
  }
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      let s = '';
      for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return s.normalize('NFC');
    }
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder().decode(b.subarray(3)).normalize('NFC');
    let s = '';
    for (const c of b) s += String.fromCharCode(c);
    return s;
  }
}

export class PdfRef {
  readonly num: number;
  readonly gen: number;
  constructor(num: number, gen: number) {
    this.num = num;
    this.gen = gen;
  }
}

export class PdfDict {
  readonly map: Map<string, PdfValue>;
  constructor(map: Map<string, PdfValue>) {
    this.map = map;
  }
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
}

export class PdfStream {
  readonly dict: PdfDict;
  /** Raw (still encoded) data offsets in the file or in the decoded container. */
  readonly data: Uint8Array;
  constructor(dict: PdfDict, data: Uint8Array) {
    this.dict = dict;
    this.data = data;
  }
}

export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfDict | PdfStream | PdfValue[];

export function isName(v: PdfValue | undefined, name?: string): v is PdfName {
  return v instanceof PdfName && (name === undefined || v.name === name);
}
export function nameOf(v: PdfValue | undefined): string | undefined {
  return v instanceof PdfName ? v.name : undefined;
}
export function numberOf(v: PdfValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
