/**
 * Line breaking for rich text: words are split on spaces, measured with the real glyph advances and packed greedily
 * into lines; a word wider than a whole line (a URL, a dossier code in a narrow cell) is broken between characters
 * rather than overflowing the margin.
 */
import { styleOf, textWidth, type FontStyle } from './fonts.ts';
import type { RichText, TextRun } from './types.ts';

/** A styled piece of a word; a word can mix styles when runs meet without a space. */
export interface Piece {
  text: string;
  style: FontStyle;
  width: number;
}

export interface Word {
  pieces: Piece[];
  width: number;
}

export interface Line {
  words: Word[];
  /** Width of the words alone, without the spaces between them. */
  wordsWidth: number;
  /** Width with one ordinary space between words. */
  width: number;
  /** The line ends a paragraph or a forced break, so justification leaves it ragged. */
  last: boolean;
}

export interface WrapStyle {
  size: number;
  bold?: boolean;
  italic?: boolean;
}

/**
 * NFC, without control characters other than the line feed: the text must extract back as it was given
 * (pdftotext) and a stray control character would draw as a missing-glyph box.
 */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F\u200B\uFEFF]/g, '');
}

export function upper(text: string): string {
  return cleanText(text).toLocaleUpperCase('vi');
}

function toRuns(text: RichText, base: WrapStyle): TextRun[] {
  if (typeof text === 'string') return [{ text, bold: base.bold ?? false, italic: base.italic ?? false }];
  return text.map((run) => ({
    text: run.text,
    bold: run.bold ?? base.bold ?? false,
    italic: run.italic ?? base.italic ?? false,
  }));
}

export function spaceWidth(size: number): number {
  return textWidth(' ', 'regular', size);
}

/** Paragraphs separated by hard line breaks, each a list of words. */
function toWords(text: RichText, base: WrapStyle): Word[][] {
  const paragraphs: Word[][] = [[]];
  let current: Word | null = null;
  const finishWord = (): void => {
    if (current && current.pieces.length > 0) paragraphs[paragraphs.length - 1].push(current);
    current = null;
  };
  for (const run of toRuns(text, base)) {
    const style = styleOf(run.bold === true, run.italic === true);
    // Split keeping the separators so runs that meet without a space stay one word. A no-break space (U+00A0)
    // stays inside its word: "1.500.000\u00A0₫" never breaks between the amount and the unit.
    for (const token of cleanText(run.text).split(/([ \t]+|\n)/)) {
      if (token === '') continue;
      if (token === '\n') {
        finishWord();
        paragraphs.push([]);
      } else if (/^[ \t]+$/.test(token)) {
        finishWord();
      } else {
        current ??= { pieces: [], width: 0 };
        const width = textWidth(token, style, base.size);
        current.pieces.push({ text: token, style, width });
        current.width += width;
      }
    }
  }
  finishWord();
  return paragraphs;
}

/**
 * Where a long token (URL, dossier code, path) may break before falling back to any character: after these, or
 * before a hyphen — a line ending in "-" would read as a hyphenated word and text extractors join it back without
 * the hyphen, so "000.00.01.H26-260205" / "-0012" keeps the code intact when copied.
 */
const SOFT_BREAK_AFTER = new Set(['/', '.', '?', '&', '_', '=']);
const SOFT_BREAK_BEFORE = new Set(['-']);

/**
 * Breaks a word wider than `maxWidth` into parts that each fit: after the last soft-break character that keeps the
 * part within the width ("000.00.01.H26-" / "260205-0012"), else between code points.
 */
function splitLongWord(word: Word, maxWidth: number, size: number): Word[] {
  const chars: { char: string; style: FontStyle }[] = [];
  for (const piece of word.pieces) for (const char of Array.from(piece.text)) chars.push({ char, style: piece.style });
  const build = (slice: readonly { char: string; style: FontStyle }[]): Word => {
    const pieces: Piece[] = [];
    for (const { char, style } of slice) {
      const last = pieces[pieces.length - 1];
      if (last && last.style === style) last.text += char;
      else pieces.push({ text: char, style, width: 0 });
    }
    let width = 0;
    for (const piece of pieces) {
      piece.width = textWidth(piece.text, piece.style, size);
      width += piece.width;
    }
    return { pieces, width };
  };
  const parts: Word[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = start;
    let width = 0;
    let softEnd = -1;
    while (end < chars.length) {
      const w = textWidth(chars[end].char, chars[end].style, size);
      if (width + w > maxWidth && end > start) break;
      width += w;
      end++;
      if (end < chars.length && (SOFT_BREAK_AFTER.has(chars[end - 1].char) || SOFT_BREAK_BEFORE.has(chars[end].char))) softEnd = end;
    }
    const cut = end < chars.length && softEnd > start ? softEnd : end;
    parts.push(build(chars.slice(start, cut)));
    start = cut;
  }
  return parts;
}

/**
 * Wraps `text` into lines no wider than `width`; the first line of each paragraph is `firstIndent` narrower.
 * An empty text gives no lines.
 */
export function wrapText(text: RichText, style: WrapStyle, width: number, firstIndent = 0): Line[] {
  const space = spaceWidth(style.size);
  const lines: Line[] = [];
  for (const paragraph of toWords(text, style)) {
    let words: Word[] = [];
    let wordsWidth = 0;
    let available = width - firstIndent;
    const flush = (last: boolean): void => {
      lines.push({ words, wordsWidth, width: wordsWidth + space * Math.max(0, words.length - 1), last });
      words = [];
      wordsWidth = 0;
      available = width;
    };
    const queue = [...paragraph];
    while (queue.length > 0) {
      const word = queue.shift() as Word;
      if (word.width > width) {
        queue.unshift(...splitLongWord(word, width, style.size));
        continue;
      }
      const lineWidth = wordsWidth + space * words.length + word.width;
      if (words.length > 0 && lineWidth > available + 1e-6) {
        flush(false);
      } else if (words.length === 0 && word.width > available + 1e-6 && available < width) {
        // The indented first line cannot take even this word: start it on a full-width line.
        flush(false);
      }
      words.push(word);
      wordsWidth += word.width;
    }
    if (words.length > 0 || paragraph.length === 0) flush(true);
  }
  // A hard break at the end leaves an empty trailing line that would only add space.
  while (lines.length > 0 && lines[lines.length - 1].words.length === 0 && lines.length > 1) lines.pop();
  if (lines.length === 1 && lines[0].words.length === 0) return [];
  return lines;
}
