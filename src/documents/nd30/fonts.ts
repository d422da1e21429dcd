/**
 * The vendored Tinos faces (Times New Roman metrics, OFL — assets/fonts/LICENSE-Tinos.txt). ND 30/2020 Phụ lục I
 * prescribes Times New Roman in Unicode (TCVN 6909:2001); Tinos keeps its line breaks and widths without the
 * proprietary font (reference/vn-data.md §5, reference/stack.md).
 *
 * Text is measured here with one parsed font per face for the whole process, so layout does not re-parse 600 KB of
 * TrueType per document; pdf-lib embeds its own subset copy of the same bytes, so widths agree with what it draws.
 */
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';

export const FONT_STYLES: readonly FontStyle[] = ['regular', 'bold', 'italic', 'boldItalic'];

const FILES: Record<FontStyle, string> = {
  regular: 'Tinos-Regular.ttf',
  bold: 'Tinos-Bold.ttf',
  italic: 'Tinos-Italic.ttf',
  boldItalic: 'Tinos-BoldItalic.ttf',
};

const FONT_DIR = new URL('../../../assets/fonts/', import.meta.url);

const bytesCache = new Map<FontStyle, Uint8Array>();
const parsedByBytes = new WeakMap<Uint8Array, fontkit.Font>();
const widthCache = new Map<string, number>();
const WIDTH_CACHE_LIMIT = 100_000;

export function styleOf(bold: boolean, italic: boolean): FontStyle {
  if (bold) return italic ? 'boldItalic' : 'bold';
  return italic ? 'italic' : 'regular';
}

/** The TrueType bytes of a face, read once from assets/fonts. */
export function fontBytes(style: FontStyle): Uint8Array {
  let bytes = bytesCache.get(style);
  if (!bytes) {
    bytes = new Uint8Array(readFileSync(new URL(FILES[style], FONT_DIR)));
    bytesCache.set(style, bytes);
  }
  return bytes;
}

/** The PostScript name of a face ("Tinos-Bold"), used for the embedded subset's name. */
export function postscriptName(style: FontStyle): string {
  return metricsFont(style).postscriptName ?? FILES[style].replace(/\.ttf$/, '');
}

const LAYOUT_CACHE_LIMIT = 50_000;

/**
 * Shaping a word runs the font's GSUB/GPOS lookups, and pdf-lib shapes every string it draws; documents repeat the
 * same words (form wording, names, dates), so the glyph run of each string is kept. Vietnamese in NFC needs no
 * context across words, and pdf-lib only reads the glyphs of a run, never changes them.
 */
function memoiseLayout(font: fontkit.Font): void {
  const cache = new Map<string, fontkit.GlyphRun>();
  const layout = font.layout.bind(font);
  font.layout = ((text: string, features?: unknown) => {
    if (features !== undefined && !(typeof features === 'object' && features !== null && Object.keys(features).length === 0)) {
      return layout(text, features as Parameters<typeof layout>[1]);
    }
    let run = cache.get(text);
    if (!run) {
      run = layout(text);
      if (cache.size >= LAYOUT_CACHE_LIMIT) cache.clear();
      cache.set(text, run);
    }
    return run;
  }) as typeof font.layout;
}

/**
 * fontkit keeps one glyph object per glyph id with the code points of its first request. Subsetting asks for the
 * components of composite glyphs ("Ế" is built on "E") by id alone; on a face shared between documents, "E" would
 * then stay without its code point, and the next document's ToUnicode map would lose the letter. Creating every
 * mapped glyph from its code point first, once per face, keeps the mapping right for every later document.
 */
function bindCodePoints(font: fontkit.Font): void {
  for (const codePoint of font.characterSet) font.glyphForCodePoint(codePoint);
}

const SUBSET_CACHE_LIMIT = 256;

type EncodeStream = { on(event: string, listener: (arg?: unknown) => void): EncodeStream };
type SubsetStream = ReturnType<fontkit.Subset['encodeStream']>;

const VIETNAMESE_LETTERS = 'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz';

/**
 * What every subset starts with, in this order: the Vietnamese alphabet in both cases, digits and the punctuation of
 * administrative text (≈ 16 KB deflated per face). Subset glyph ids follow the order of first use, so without a
 * fixed start two documents differing only in a number ("số 12" / "số 31") would get different subsets; with it,
 * nearly every document of a face has the same glyph list and so the same cached subset bytes.
 */
export const SUBSET_REPERTOIRE = [
  ...new Set([...VIETNAMESE_LETTERS, ...VIETNAMESE_LETTERS.toUpperCase(), ...'0123456789 .,;:!?()[]/-–—"\'“”‘’%&+*=<>@#_…°§']),
].join('');

/** The parts of pdf-lib's CustomFontSubsetEmbedder (pinned version) that embedFace touches. */
interface SubsetEmbedder {
  subset: fontkit.Subset;
  /** Glyph objects by subset id − 1, as encodeText fills it. */
  glyphs: (fontkit.Glyph | undefined)[];
  glyphCache: { access(): fontkit.Glyph[]; invalidate(): void };
}

const repertoireGlyphs = new WeakMap<fontkit.Font, fontkit.Glyph[]>();

/**
 * Embeds a face as a subset whose glyph list starts with SUBSET_REPERTOIRE (by code point, so no ligature enters
 * the fixed start). pdf-lib lists widths and ToUnicode entries for the glyphs the text used, read from a sparse
 * array once glyphs it did not place come first; its view of that array skips the holes, so both stay as small as
 * before.
 */
export async function embedFace(pdf: PDFDocument, style: FontStyle, customName?: string): Promise<PDFFont> {
  const font = await pdf.embedFont(fontBytes(style), { subset: true, ...(customName ? { customName } : {}) });
  const face = parsed(fontBytes(style));
  let start = repertoireGlyphs.get(face);
  if (!start) {
    start = [...SUBSET_REPERTOIRE].map((c) => face.glyphForCodePoint(c.codePointAt(0)!)).filter((g) => g.id !== 0);
    repertoireGlyphs.set(face, start);
  }
  const embedder = (font as unknown as { embedder: SubsetEmbedder }).embedder;
  for (const glyph of start) embedder.subset.includeGlyph(glyph);
  let used: fontkit.Glyph[] | undefined;
  embedder.glyphCache = {
    access: () => (used ??= embedder.glyphs.filter((g): g is fontkit.Glyph => g !== undefined)),
    invalidate: () => {
      used = undefined;
    },
  };
  return font;
}

/**
 * Encoding a TrueType subset is the largest part of a render, and fontkit defers it through timers. Faces are
 * embedded through embedFace, so a subset starts with SUBSET_REPERTOIRE; its bytes are kept per face and exact glyph
 * list (the key is the list itself: equal lists give byte-identical subsets) and handed to pdf-lib on the next tick.
 */
function memoiseSubsets(font: fontkit.Font): void {
  const cache = new Map<string, Uint8Array>();
  const createSubset = font.createSubset.bind(font);
  font.createSubset = (() => {
    const subset = createSubset();
    const encodeStream = subset.encodeStream.bind(subset) as unknown as () => EncodeStream;
    subset.encodeStream = () => {
      const key = (subset as unknown as { glyphs: number[] }).glyphs.join(',');
      const hit = cache.get(key);
      const listeners = new Map<string, ((arg?: unknown) => void)[]>();
      const emit = (event: string, arg?: unknown): void => listeners.get(event)?.forEach((l) => l(arg));
      const stream: EncodeStream = {
        on(event, listener) {
          listeners.set(event, [...(listeners.get(event) ?? []), listener]);
          return stream;
        },
      };
      if (hit) {
        process.nextTick(() => {
          emit('data', hit);
          emit('end');
        });
        return stream as unknown as SubsetStream;
      }
      const parts: Uint8Array[] = [];
      encodeStream()
        .on('data', (b) => parts.push(b as Uint8Array))
        .on('error', (e) => emit('error', e))
        .on('end', () => {
          const bytes = new Uint8Array(Buffer.concat(parts));
          if (cache.size >= SUBSET_CACHE_LIMIT) cache.delete(cache.keys().next().value!);
          cache.set(key, bytes);
          emit('data', bytes);
          emit('end');
        });
      return stream as unknown as SubsetStream;
    };
    return subset;
  }) as typeof font.createSubset;
}

function parsed(bytes: Uint8Array): fontkit.Font {
  let font = parsedByBytes.get(bytes);
  if (!font) {
    font = fontkit.create(bytes);
    bindCodePoints(font);
    memoiseLayout(font);
    memoiseSubsets(font);
    parsedByBytes.set(bytes, font);
  }
  return font;
}

function metricsFont(style: FontStyle): fontkit.Font {
  return parsed(fontBytes(style));
}

/**
 * The fontkit handed to pdf-lib: it returns the process-wide parsed face for the vendored bytes instead of parsing
 * them again for every document — parsing and its garbage were most of a render's time. Sharing is safe: a parsed
 * face only caches glyphs, and each document's subset is a separate object.
 */
export const sharedFontkit: PdfLibFontkit = {
  create(buffer: Uint8Array): ReturnType<PdfLibFontkit['create']> {
    return parsed(buffer) as unknown as ReturnType<PdfLibFontkit['create']>;
  },
};

/**
 * Width of `text` at `size` points, computed as pdf-lib does (sum of the laid-out glyphs' advances), so a line
 * measured here occupies exactly that width once drawn.
 */
export function textWidth(text: string, style: FontStyle, size: number): number {
  const key = `${style}\u0000${text}`;
  let units = widthCache.get(key);
  if (units === undefined) {
    const font = metricsFont(style);
    let advance = 0;
    for (const glyph of font.layout(text).glyphs) advance += glyph.advanceWidth;
    units = advance / font.unitsPerEm;
    if (widthCache.size >= WIDTH_CACHE_LIMIT) widthCache.clear();
    widthCache.set(key, units);
  }
  return units * size;
}
