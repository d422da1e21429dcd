import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import fontkit from '@pdf-lib/fontkit';
import type { PdfRef } from '../pdf/objects.ts';
import { name, textString, type IncrementalUpdate, type WritableValue } from '../pdf/writer.ts';
import { decodePng, PngError } from './png.ts';

/** Vendored Tinos (OFL), metric-compatible with Times New Roman as Nghị định 30/2020 requires. */
const FONT_FILE = fileURLToPath(new URL('../../../assets/fonts/Tinos-Regular.ttf', import.meta.url));
let face: fontkit.Font | undefined;
function tinos(): fontkit.Font {
  face ??= fontkit.create(new Uint8Array(readFileSync(FONT_FILE)));
  return face;
}

/** ISO 8601 in Vietnam time (Asia/Ho_Chi_Minh is UTC+7 all year, no DST), e.g. 2026-11-22T18:03:05+07:00. */
export function vnIsoTime(d: Date): string {
  return `${new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

export interface VisibleAppearance {
  kind: 'visible';
  /** 0-based page index. */
  page: number;
  /** Lower-left corner and size in PDF points. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Shown as "Người ký"; defaults to the certificate's CN. */
  signerName?: string;
  /** Shown as "Cơ quan"; defaults to the certificate's O. */
  organization?: string;
  /** Blue handwritten signature, transparent PNG (ND 30/2020). */
  signatureImage?: Uint8Array;
  /** Red seal, transparent PNG, drawn over the left third of the signature image (ND 30/2020). */
  sealImage?: Uint8Array;
}

/**
 * The agency signature on an electronic copy (sao y, sao lục, trích sao): top-right of page 1, no image, showing
 * the copy type, the copying agency and the time (ND 30/2020, Phụ lục I).
 */
export interface CopyAppearance {
  kind: 'copy';
  copyType?: 'SAO Y' | 'SAO LỤC' | 'TRÍCH SAO';
  organization?: string;
}

export type Appearance = VisibleAppearance | CopyAppearance;

export interface StampText {
  lines: string[];
}

/** Text lines of a stamp: ND 30 signature info (agency, time), plus the signer for personal signatures. */
export function stampLines(a: Appearance, who: { signerName: string; organization: string }, signingTime: Date): string[] {
  const t = vnIsoTime(signingTime);
  if (a.kind === 'copy') {
    return [a.copyType ?? 'SAO Y', `${who.organization}`, `Thời gian ký: ${t}`];
  }
  return [`Người ký: ${who.signerName}`, `Cơ quan: ${who.organization}`, `Thời gian ký: ${t}`];
}

/** A TrueType subset for a set of characters, encoded once and reused by every stamp with the same characters. */
interface StampFont {
  baseName: string;
  /** Subset glyph id (= CID) and advance in 1/1000 em per character. */
  glyphs: Map<string, { cid: number; advance: number }>;
  /** The subset's bytes, deflated once (what every stamp with these characters embeds), and their length. */
  fontFile: Uint8Array;
  fontLength: number;
  widths: WritableValue;
  /** Deflated ToUnicode CMap. */
  toUnicode: Uint8Array;
  bbox: number[];
  ascent: number;
  descent: number;
  capHeight: number;
}

const stampFonts = new Map<string, Promise<StampFont>>();
const STAMP_FONT_CACHE = 64;

function encodeSubset(subset: fontkit.Subset): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    (subset as unknown as { encodeStream(): NodeJS.EventEmitter }).encodeStream()
      .on('data', (b: Uint8Array) => parts.push(b))
      .on('end', () => resolve(new Uint8Array(Buffer.concat(parts))))
      .on('error', reject);
  });
}

async function buildStampFont(chars: string[]): Promise<StampFont> {
  const font = tinos();
  const scale = 1000 / font.unitsPerEm;
  const subset = font.createSubset();
  const glyphs = new Map<string, { cid: number; advance: number }>();
  const byCid: { cid: number; advance: number; text: string }[] = [];
  for (const ch of chars) {
    const glyph = font.glyphForCodePoint(ch.codePointAt(0)!);
    const cid = subset.includeGlyph(glyph);
    const advance = Math.round(glyph.advanceWidth * scale);
    glyphs.set(ch, { cid, advance });
    byCid.push({ cid, advance, text: ch });
  }
  byCid.sort((a, b) => a.cid - b.cid);
  const subsetBytes = await encodeSubset(subset);
  const widths: WritableValue = byCid.flatMap((g) => [g.cid, [g.advance]]);
  const hex4 = (n: number): string => n.toString(16).padStart(4, '0').toUpperCase();
  const utf16 = (t: string): string => Buffer.from(t, 'utf16le').swap16().toString('hex').toUpperCase();
  const mapped = byCid.filter((g) => g.cid !== 0);
  let cmap = '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n';
  for (let i = 0; i < mapped.length; i += 100) {
    const chunk = mapped.slice(i, i + 100);
    cmap += `${chunk.length} beginbfchar\n${chunk.map((g) => `<${hex4(g.cid)}> <${utf16(g.text)}>`).join('\n')}\nendbfchar\n`;
  }
  cmap += 'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n';
  // Subset tag: six capitals derived from the character set, so equal subsets share a name.
  const h = createHash('sha256').update(chars.join('')).digest();
  const tag = Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
  const bb = font.bbox;
  return {
    baseName: `${tag}+${(font.postscriptName ?? 'Tinos').replace(/[^A-Za-z0-9-]/g, '')}`,
    glyphs,
    fontFile: new Uint8Array(deflateSync(subsetBytes)),
    fontLength: subsetBytes.length,
    widths,
    toUnicode: new Uint8Array(deflateSync(Buffer.from(cmap, 'latin1'))),
    bbox: [bb.minX, bb.minY, bb.maxX, bb.maxY].map((v) => Math.round(v * scale)),
    ascent: Math.round(font.ascent * scale),
    descent: Math.round(font.descent * scale),
    capHeight: Math.round((font.capHeight || font.ascent) * scale),
  };
}

/** The subset for the stamp's text; digits are always in it, so stamps differing only in time share one. */
function stampFont(lines: string[]): Promise<StampFont> {
  const chars = [...new Set([...lines.join('').normalize('NFC'), ...'0123456789'])].sort();
  const key = chars.join('');
  let f = stampFonts.get(key);
  if (!f) {
    f = buildStampFont(chars);
    f.catch(() => stampFonts.delete(key));
    if (stampFonts.size >= STAMP_FONT_CACHE) stampFonts.delete(stampFonts.keys().next().value!);
    stampFonts.set(key, f);
  }
  return f;
}

function writeFont(update: IncrementalUpdate, f: StampFont): PdfRef {
  const flate = name('FlateDecode');
  const file = update.addStream({ Length1: f.fontLength, Filter: flate }, f.fontFile);
  const descriptor = update.add({
    Type: name('FontDescriptor'), FontName: name(f.baseName), Flags: 4, FontBBox: f.bbox, ItalicAngle: 0,
    Ascent: f.ascent, Descent: f.descent, CapHeight: f.capHeight, StemV: 80, FontFile2: file,
  });
  const cidFont = update.add({
    Type: name('Font'), Subtype: name('CIDFontType2'), BaseFont: name(f.baseName),
    CIDSystemInfo: { Registry: textString('Adobe'), Ordering: textString('Identity'), Supplement: 0 },
    FontDescriptor: descriptor, W: f.widths, CIDToGIDMap: name('Identity'),
  });
  const toUnicode = update.addStream({ Filter: flate }, f.toUnicode);
  return update.add({
    Type: name('Font'), Subtype: name('Type0'), BaseFont: name(f.baseName), Encoding: name('Identity-H'),
    DescendantFonts: [cidFont], ToUnicode: toUnicode,
  });
}

function writeImage(update: IncrementalUpdate, png: Uint8Array, what: string): { ref: PdfRef; width: number; height: number } {
  let img;
  try {
    img = decodePng(png);
  } catch (e) {
    if (e instanceof PngError) throw new PngError(`${what} image: ${e.message}`);
    throw e;
  }
  const base = { Type: name('XObject'), Subtype: name('Image'), Width: img.width, Height: img.height, BitsPerComponent: 8 };
  const mask = img.alpha ? update.addStream({ ...base, ColorSpace: name('DeviceGray') }, img.alpha, true) : undefined;
  const ref = update.addStream({ ...base, ColorSpace: name(img.colorSpace), ...(mask ? { SMask: mask } : {}) }, img.color, true);
  return { ref, width: img.width, height: img.height };
}

const n2 = (v: number): string => (Math.round(v * 1000) / 1000).toString();

/**
 * Writes the stamp (text in Tinos, optional signature and seal images) as a Form XObject of the box size into the
 * update; it becomes the widget's normal appearance. Throws PngError for an image it cannot read.
 */
export async function writeAppearance(
  update: IncrementalUpdate,
  box: { width: number; height: number },
  lines: string[],
  images: { signature?: Uint8Array; seal?: Uint8Array },
): Promise<PdfRef> {
  const font = await stampFont(lines);
  const pad = 2;
  const textWidth = (l: string, size: number): number =>
    [...l.normalize('NFC')].reduce((w, ch) => w + (font.glyphs.get(ch)?.advance ?? 0), 0) * size / 1000;
  let size = 10;
  const widest = (s: number): number => Math.max(...lines.map((l) => textWidth(l, s)));
  while (size > 5 && widest(size) > box.width - 2 * pad) size -= 0.5;
  const lineH = size * 1.2;
  const textH = lines.length * lineH;
  const imageArea = { x: pad, y: textH + pad, width: box.width - 2 * pad, height: box.height - textH - 2 * pad };
  let content = 'q\n';
  const xobjects: Record<string, WritableValue> = {};
  if ((images.signature || images.seal) && imageArea.height > 8) {
    const fit = (img: { width: number; height: number }, maxW: number, maxH: number): { w: number; h: number } => {
      const k = Math.min(maxW / img.width, maxH / img.height);
      return { w: img.width * k, h: img.height * k };
    };
    let sigRect: { x: number; y: number; w: number; h: number } | undefined;
    if (images.signature) {
      const sig = writeImage(update, images.signature, 'signature');
      const { w, h } = fit(sig, imageArea.width * 0.6, imageArea.height);
      sigRect = { x: imageArea.x + (imageArea.width - w) / 2, y: imageArea.y + (imageArea.height - h) / 2, w, h };
      xobjects.Sig = sig.ref;
      content += `q ${n2(w)} 0 0 ${n2(h)} ${n2(sigRect.x)} ${n2(sigRect.y)} cm /Sig Do Q\n`;
    }
    if (images.seal) {
      const seal = writeImage(update, images.seal, 'seal');
      const { w, h } = fit(seal, imageArea.height, imageArea.height);
      // The seal covers about the left third of the signature image.
      const x = sigRect ? sigRect.x + sigRect.w / 3 - w : imageArea.x + (imageArea.width - w) / 2;
      xobjects.Seal = seal.ref;
      content += `q ${n2(w)} 0 0 ${n2(h)} ${n2(Math.max(imageArea.x, x))} ${n2(imageArea.y + (imageArea.height - h) / 2)} cm /Seal Do Q\n`;
    }
  }
  content += '0 0 0 rg\n';
  lines.forEach((line, i) => {
    const hex = [...line.normalize('NFC')].map((ch) => (font.glyphs.get(ch)?.cid ?? 0).toString(16).padStart(4, '0')).join('');
    content += `BT /F1 ${n2(size)} Tf ${n2(pad)} ${n2(textH - (i + 1) * lineH + (lineH - size) / 2 + pad)} Td <${hex}> Tj ET\n`;
  });
  content += 'Q\n';
  const fontRef = writeFont(update, font);
  return update.addStream({
    Type: name('XObject'), Subtype: name('Form'), FormType: 1, BBox: [0, 0, box.width, box.height],
    Resources: { Font: { F1: fontRef }, ...(Object.keys(xobjects).length ? { XObject: xobjects } : {}) },
  }, Buffer.from(content, 'latin1'), true);
}
