/**
 * Renders an AdministrativeDocument to an A4 PDF in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I.
 *
 * Deterministic: no clock, no randomness (the font-subset tag is derived from the input), so the same input gives the
 * same bytes — a re-render can be compared with a stored copy. The PDF keeps a classic xref table
 * (`useObjectStreams: false`) because the incremental signature writers read only that (reference/stack.md).
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFContentStream, PDFDocument, fill, popGraphicsState, pushGraphicsState, rectangle, rgb, setFillingRgbColor, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { embedFace, postscriptName, sharedFontkit, textWidth, FONT_STYLES, type FontStyle } from './fonts.ts';
import { formatDocumentNumber, formatVietnameseDate } from './format.ts';
import { cleanText, upper, spaceWidth, wrapText, type Line } from './text.ts';
import type {
  AdministrativeDocument,
  BarChartBlock,
  Block,
  Rect,
  RenderOptions,
  RenderedDocument,
  TableBlock,
} from './types.ts';

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };

/**
 * ND 30/2020 Phụ lục I margins: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm. The smallest values leave
 * the most room for tables; they are the same on landscape pages (form 07).
 */
export const MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM } as const;

/** Font sizes (points) within the ranges of ND 30/2020 Phụ lục I. */
export const SIZES = {
  governingBody: 12,
  issuingAgency: 12,
  motto: 12,
  tagline: 13,
  number: 13,
  dateLine: 13,
  title: 14,
  summary: 14,
  body: 14,
  table: 12,
  recipientsHeading: 12,
  recipients: 11,
  signer: 14,
  pageNumber: 13,
  qrCaption: 10,
} as const;

export const NATIONAL_MOTTO = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const NATIONAL_TAGLINE = 'Độc lập - Tự do - Hạnh phúc';

const LEADING = 1.2;
const PARAGRAPH_GAP = 6;
/** First-line indent of body paragraphs: 1 cm (ND 30 allows 1–1.27 cm). */
const FIRST_LINE_INDENT = 10 * MM;
const RULE_THICKNESS = 0.6;
const CELL_PADDING_X = 3;
const CELL_PADDING_Y = 2;
/** Height left for the visible signature (signature image, seal, signing information): about 30 mm. */
const SIGNATURE_SPACE = 30 * MM;
const QR_SIZE = 25 * MM;
const BLACK = rgb(0, 0, 0);
/** Space kept between the two header columns so their centred lines never touch. */
const HEADER_GUTTER = 4;

/** Baseline below the top of a line box: Tinos' ascender is 0.891 em. */
const baselineOffset = (size: number): number => (LEADING - 1) * size * 0.5 + 0.891 * size;

class Canvas {
  readonly pages: PDFPage[] = [];
  page!: PDFPage;
  y = 0;
  readonly width: number;
  readonly height: number;
  readonly left = MARGINS.left;
  readonly textWidth: number;
  private readonly fonts = new Map<FontStyle, PDFFont>();

  constructor(
    readonly pdf: PDFDocument,
    landscape: boolean,
    private readonly subsetTag: (style: FontStyle) => string,
  ) {
    this.width = landscape ? A4.height : A4.width;
    this.height = landscape ? A4.width : A4.height;
    this.textWidth = this.width - MARGINS.left - MARGINS.right;
    this.newPage();
  }

  get bottom(): number {
    return MARGINS.bottom;
  }

  get atPageTop(): boolean {
    return this.y >= this.height - MARGINS.top - 1e-6;
  }

  newPage(): void {
    this.page = this.pdf.addPage([this.width, this.height]);
    this.pages.push(this.page);
    this.y = this.height - MARGINS.top;
  }

  /** Starts a new page unless `height` still fits above the bottom margin. */
  ensure(height: number): void {
    if (this.y - height < this.bottom - 1e-6 && !this.atPageTop) this.newPage();
  }

  /** Fonts are embedded on first use so a face the document never draws is not embedded at all. */
  async font(style: FontStyle): Promise<PDFFont> {
    let font = this.fonts.get(style);
    if (!font) {
      font = await embedFace(this.pdf, style, this.subsetTag(style));
      this.fonts.set(style, font);
    }
    return font;
  }

  /** Draws wrapped lines with their top at `top`, aligned within [x, x + width]. Returns the new top. */
  async drawLines(
    lines: readonly Line[],
    size: number,
    x: number,
    width: number,
    top: number,
    align: 'left' | 'center' | 'right' | 'justify',
    firstIndent = 0,
    page: PDFPage = this.page,
  ): Promise<number> {
    const space = spaceWidth(size);
    let lineTop = top;
    let first = true;
    for (const line of lines) {
      const indent = first ? firstIndent : 0;
      const available = width - indent;
      let cursor = x + indent;
      let gap = space;
      if (align === 'center') cursor += (available - line.width) / 2;
      else if (align === 'right') cursor += available - line.width;
      else if (align === 'justify' && !line.last && line.words.length > 1) {
        gap = (available - line.wordsWidth) / (line.words.length - 1);
      }
      const baseline = lineTop - baselineOffset(size);
      for (const word of line.words) {
        for (const piece of word.pieces) {
          page.drawText(piece.text, { x: cursor, y: baseline, size, font: await this.font(piece.style), color: BLACK });
          cursor += piece.width;
        }
        cursor += gap;
      }
      lineTop -= size * LEADING;
      first = false;
    }
    return lineTop;
  }

  rule(x: number, y: number, length: number, page: PDFPage = this.page): void {
    page.drawLine({ start: { x, y }, end: { x: x + length, y }, thickness: RULE_THICKNESS, color: BLACK });
  }
}

const lineHeight = (size: number): number => size * LEADING;

/** Centred uppercase lines of a header column; returns the new top and the widest line's width. */
async function headerLines(
  canvas: Canvas,
  text: string,
  size: number,
  bold: boolean,
  italic: boolean,
  x: number,
  width: number,
  top: number,
): Promise<{ top: number; widest: number }> {
  // Balanced lines ("ỦY BAN NHÂN DÂN / THÀNH PHỐ HÀ NỘI") rather than one full line and an orphan word: the
  // narrowest width that keeps the same number of lines, found by bisection.
  const style = { size, bold, italic };
  let lines = wrapText(text, style, width - 2 * HEADER_GUTTER);
  if (lines.length > 1) {
    // Below the widest word the words themselves would break, so the search starts there.
    let low = Math.max(...lines.flatMap((l) => l.words.map((w) => w.width))) - 0.01;
    let high = width - 2 * HEADER_GUTTER;
    for (let i = 0; i < 12; i++) {
      const mid = (low + high) / 2;
      if (wrapText(text, style, mid).length === lines.length) high = mid;
      else low = mid;
    }
    lines = wrapText(text, style, high);
  }
  const bottom = await canvas.drawLines(lines, size, x, width, top, 'center');
  return { top: bottom, widest: Math.max(0, ...lines.map((l) => l.width)) };
}

async function drawHeader(canvas: Canvas, doc: AdministrativeDocument): Promise<void> {
  // Left column (agencies, number) and right column (national motto, date) as in ND 30 Phụ lục I's model layout.
  const leftWidth = canvas.textWidth * 0.44;
  const rightX = canvas.left + leftWidth;
  const rightWidth = canvas.textWidth - leftWidth;
  const top = canvas.y;

  let left = top;
  if (doc.governingBody) {
    left = (await headerLines(canvas, upper(doc.governingBody), SIZES.governingBody, false, false, canvas.left, leftWidth, left)).top;
  }
  const agency = await headerLines(canvas, upper(doc.issuingAgency), SIZES.issuingAgency, true, false, canvas.left, leftWidth, left);
  left = agency.top;
  // Rule under the issuing agency: 1/3 to 1/2 of the line, centred.
  const agencyRule = agency.widest * 0.4;
  canvas.rule(canvas.left + (leftWidth - agencyRule) / 2, left - 1.5, agencyRule);

  let right = top;
  right = (await headerLines(canvas, NATIONAL_MOTTO, SIZES.motto, true, false, rightX, rightWidth, right)).top;
  const tagline = await headerLines(canvas, NATIONAL_TAGLINE, SIZES.tagline, true, false, rightX, rightWidth, right);
  right = tagline.top;
  // Rule under the tagline: as long as the tagline itself.
  canvas.rule(rightX + (rightWidth - tagline.widest) / 2, right - 1.5, tagline.widest);

  // Number and date share one row under the two blocks.
  const row = Math.min(left, right) - 8;
  let leftEnd = row;
  if (doc.number) {
    leftEnd = (await headerLines(canvas, formatDocumentNumber(doc.number.value, doc.number.symbol), SIZES.number, false, false, canvas.left, leftWidth, row)).top;
  }
  const date = formatVietnameseDate(doc.date, doc.place);
  const rightEnd = (await headerLines(canvas, date, SIZES.dateLine, false, true, rightX, rightWidth, row)).top;
  canvas.y = Math.min(leftEnd, rightEnd) - 14;

  const titleLines = wrapText(upper(doc.title), { size: SIZES.title, bold: true }, canvas.textWidth);
  canvas.y = await canvas.drawLines(titleLines, SIZES.title, canvas.left, canvas.textWidth, canvas.y, 'center');
  if (doc.summary) {
    const summaryLines = wrapText(doc.summary, { size: SIZES.summary, bold: true }, canvas.textWidth * 0.85);
    canvas.y = await canvas.drawLines(summaryLines, SIZES.summary, canvas.left + canvas.textWidth * 0.075, canvas.textWidth * 0.85, canvas.y, 'center');
    const widest = Math.max(0, ...summaryLines.map((l) => l.width));
    const length = widest * 0.4;
    canvas.rule(canvas.left + (canvas.textWidth - length) / 2, canvas.y - 1.5, length);
    canvas.y -= 4;
  }
  canvas.y -= 12;
}

/** Draws lines across pages: as many as fit, then a new page for the rest. */
async function flowLines(
  canvas: Canvas,
  lines: readonly Line[],
  size: number,
  align: 'left' | 'center' | 'right' | 'justify',
  firstIndent: number,
): Promise<void> {
  let index = 0;
  const lh = lineHeight(size);
  while (index < lines.length) {
    let fit = Math.floor((canvas.y - canvas.bottom + 1e-6) / lh);
    if (fit < 1) {
      canvas.newPage();
      fit = Math.floor((canvas.y - canvas.bottom + 1e-6) / lh);
    }
    // Keep a paragraph's last line from standing alone at the top of the next page when it can be avoided.
    let take = Math.min(fit, lines.length - index);
    if (take === lines.length - index - 1 && take > 1) take -= 1;
    const chunk = lines.slice(index, index + take);
    canvas.y = await canvas.drawLines(chunk, size, canvas.left, canvas.textWidth, canvas.y, align, index === 0 ? firstIndent : 0);
    index += take;
    if (index < lines.length) canvas.newPage();
  }
}

async function drawTable(canvas: Canvas, table: TableBlock): Promise<void> {
  const size = table.fontSize ?? SIZES.table;
  const lh = lineHeight(size);
  const total = table.columns.reduce((sum, c) => sum + c.width, 0);
  if (table.columns.length === 0 || !(total > 0)) throw new RangeError('A table needs columns with positive widths');
  const widths = table.columns.map((c) => (c.width / total) * canvas.textWidth);
  const xs: number[] = [];
  let acc = canvas.left;
  for (const w of widths) {
    xs.push(acc);
    acc += w;
  }
  const cellLines = (cells: readonly string[], bold: boolean): Line[][] =>
    widths.map((w, i) => wrapText(cells[i] ?? '', { size, bold }, w - 2 * CELL_PADDING_X));
  const header = cellLines(table.columns.map((c) => c.header), true);
  const headerHeight = Math.max(1, ...header.map((l) => l.length)) * lh + 2 * CELL_PADDING_Y;

  const drawRow = async (lines: Line[][], from: number, count: number, bold: boolean, aligns: readonly ('left' | 'center' | 'right')[]): Promise<void> => {
    const height = count * lh + 2 * CELL_PADDING_Y;
    const top = canvas.y;
    for (let i = 0; i < widths.length; i++) {
      const chunk = lines[i].slice(from, from + count);
      await canvas.drawLines(chunk, size, xs[i] + CELL_PADDING_X, widths[i] - 2 * CELL_PADDING_X, top - CELL_PADDING_Y, bold ? 'center' : aligns[i]);
      canvas.page.drawRectangle({ x: xs[i], y: top - height, width: widths[i], height, borderColor: BLACK, borderWidth: RULE_THICKNESS });
    }
    canvas.y = top - height;
  };
  const headerAligns = table.columns.map(() => 'center' as const);
  const aligns = table.columns.map((c) => c.align ?? 'left');
  const drawHeaderRow = (): Promise<void> => drawRow(header, 0, Math.max(1, ...header.map((l) => l.length)), true, headerAligns);

  canvas.ensure(headerHeight + lh + 2 * CELL_PADDING_Y);
  await drawHeaderRow();
  for (const row of table.rows) {
    const lines = cellLines(row, false);
    const rowLines = Math.max(1, ...lines.map((l) => l.length));
    let from = 0;
    while (from < rowLines) {
      const remaining = rowLines - from;
      const fit = Math.floor((canvas.y - canvas.bottom - 2 * CELL_PADDING_Y + 1e-6) / lh);
      const freshCapacity = Math.floor((canvas.height - MARGINS.top - MARGINS.bottom - headerHeight - 2 * CELL_PADDING_Y) / lh);
      // A row moves whole to the next page when it would fit there; only a row taller than a page is split.
      if (fit < remaining && (remaining <= freshCapacity || fit < 1)) {
        if (freshCapacity < 1) throw new RangeError('A table row line does not fit on an empty page');
        canvas.newPage();
        await drawHeaderRow();
        continue;
      }
      const count = Math.min(fit, remaining);
      await drawRow(lines, from, count, false, aligns);
      from += count;
    }
  }
  canvas.y -= PARAGRAPH_GAP;
}

const BAR_FILL = rgb(0.45, 0.45, 0.45);

/**
 * Label column (40 %), bar area, value column (15 %); one row per bar, each row as tall as its wrapped label. A row
 * never splits across pages; the caption stays with the first row.
 */
async function drawBarChart(canvas: Canvas, chart: BarChartBlock): Promise<void> {
  const size = SIZES.table;
  const lh = lineHeight(size);
  const labelWidth = canvas.textWidth * 0.4;
  const valueWidth = canvas.textWidth * 0.15;
  const barWidth = canvas.textWidth - labelWidth - valueWidth - 2 * CELL_PADDING_X;
  const values = chart.bars.map((b) => (b.value !== null && Number.isFinite(b.value) && b.value > 0 ? b.value : 0));
  const max = chart.max !== undefined && chart.max > 0 ? chart.max : Math.max(0, ...values);
  const caption = wrapText(chart.caption, { size: SIZES.body, bold: true }, canvas.textWidth);
  const rows = chart.bars.map((b) => wrapText(b.label, { size }, labelWidth - CELL_PADDING_X));
  canvas.ensure((caption.length + 1) * lineHeight(SIZES.body) + (rows[0]?.length ?? 1) * lh);
  await flowLines(canvas, caption, SIZES.body, 'left', 0);
  for (let i = 0; i < chart.bars.length; i++) {
    const bar = chart.bars[i]!;
    const lines = rows[i]!;
    const height = Math.max(1, lines.length) * lh + 2 * CELL_PADDING_Y;
    canvas.ensure(height);
    const top = canvas.y;
    await canvas.drawLines(lines, size, canvas.left, labelWidth - CELL_PADDING_X, top - CELL_PADDING_Y, 'left');
    const length = max > 0 ? (values[i]! / max) * barWidth : 0;
    const barHeight = Math.min(lh * 0.8, height - 2 * CELL_PADDING_Y);
    if (length > 0) {
      canvas.page.drawRectangle({ x: canvas.left + labelWidth + CELL_PADDING_X, y: top - CELL_PADDING_Y - (lh + barHeight) / 2, width: length, height: barHeight, color: BAR_FILL });
    }
    // The axis, row by row (a chart may run onto the next page): where zero is, so a missing bar reads as zero.
    const axisX = canvas.left + labelWidth + CELL_PADDING_X;
    canvas.page.drawLine({ start: { x: axisX, y: top }, end: { x: axisX, y: top - height }, thickness: RULE_THICKNESS, color: BLACK });
    const valueLines = wrapText(bar.valueText, { size }, valueWidth);
    await canvas.drawLines(valueLines, size, canvas.left + canvas.textWidth - valueWidth, valueWidth, top - CELL_PADDING_Y, 'right');
    canvas.y = top - height;
  }
  canvas.y -= PARAGRAPH_GAP;
}

async function drawBlock(canvas: Canvas, block: Block): Promise<void> {
  switch (block.kind) {
    case 'paragraph': {
      const size = block.fontSize ?? SIZES.body;
      const indent = block.indent === false ? 0 : FIRST_LINE_INDENT;
      const lines = wrapText(block.text, { size, bold: block.bold, italic: block.italic }, canvas.textWidth, indent);
      await flowLines(canvas, lines, size, block.align ?? 'justify', indent);
      canvas.y -= PARAGRAPH_GAP;
      return;
    }
    case 'heading': {
      const lines = wrapText(block.text, { size: SIZES.body, bold: true }, canvas.textWidth);
      if (!canvas.atPageTop) canvas.y -= PARAGRAPH_GAP / 2;
      // A heading never ends a page: keep it with at least two lines of what follows.
      canvas.ensure((lines.length + 2) * lineHeight(SIZES.body));
      await flowLines(canvas, lines, SIZES.body, block.align ?? 'left', 0);
      canvas.y -= PARAGRAPH_GAP / 2;
      return;
    }
    case 'keyValue': {
      for (const item of block.items) {
        const runs = [{ text: `${cleanText(item.label)}: ` }, ...(typeof item.value === 'string' ? [{ text: item.value, bold: true }] : item.value)];
        const lines = wrapText(runs, { size: SIZES.body }, canvas.textWidth);
        await flowLines(canvas, lines, SIZES.body, 'left', 0);
        canvas.y -= 2;
      }
      canvas.y -= PARAGRAPH_GAP - 2;
      return;
    }
    case 'table':
      await drawTable(canvas, block);
      return;
    case 'barChart':
      await drawBarChart(canvas, block);
      return;
    case 'spacer':
      canvas.y -= block.height;
      return;
  }
}

/** "- Như trên;" … "- Lưu: VT." — each recipient on a dash line, ";" between, "." after the last (ND 30). */
export function recipientLines(items: readonly string[]): string[] {
  return items.map((item, i) => {
    const text = cleanText(item).trim().replace(/^[-–]\s*/, '').replace(/[;.,]+$/, '');
    return `- ${text}${i === items.length - 1 ? '.' : ';'}`;
  });
}

interface ClosingLayout {
  height: number;
  draw: (top: number) => Promise<{ signatureBox?: Rect; qrBox?: Rect }>;
}

async function qrRectangles(url: string): Promise<{ size: number; runs: Array<[number, number, number]> }> {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const runs: Array<[number, number, number]> = [];
  for (let row = 0; row < n; row++) {
    let start = -1;
    for (let col = 0; col <= n; col++) {
      const dark = col < n && qr.modules.get(row, col) === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push([row, start, col - start]);
        start = -1;
      }
    }
  }
  return { size: n, runs };
}

async function layoutClosing(canvas: Canvas, doc: AdministrativeDocument): Promise<ClosingLayout> {
  const leftWidth = canvas.textWidth * 0.45;
  const rightX = canvas.left + leftWidth;
  const rightWidth = canvas.textWidth - leftWidth;

  const recipients = doc.recipients && doc.recipients.items.length > 0 ? doc.recipients : undefined;
  const headingLines = recipients ? wrapText(recipients.heading ?? 'Nơi nhận:', { size: SIZES.recipientsHeading, bold: true, italic: true }, leftWidth) : [];
  const itemLines = recipients ? recipientLines(recipients.items).map((t) => wrapText(t, { size: SIZES.recipients }, leftWidth - 8)) : [];
  let leftHeight = headingLines.length * lineHeight(SIZES.recipientsHeading) + itemLines.flat().length * lineHeight(SIZES.recipients);

  const qr = doc.qr ? await qrRectangles(doc.qr.url) : undefined;
  const captionWidth = leftWidth - QR_SIZE - 8;
  const captionLines = doc.qr ? wrapText(doc.qr.caption, { size: SIZES.qrCaption, italic: true }, captionWidth) : [];
  if (qr) leftHeight += (leftHeight > 0 ? 10 : 0) + Math.max(QR_SIZE, captionLines.length * lineHeight(SIZES.qrCaption));

  const signer = doc.signer;
  const authorityLines = signer?.authority ? wrapText(upper(signer.authority), { size: SIZES.signer, bold: true }, rightWidth) : [];
  const positionLines = signer ? wrapText(upper(signer.position), { size: SIZES.signer, bold: true }, rightWidth) : [];
  const nameLines = signer ? wrapText(signer.fullName, { size: SIZES.signer, bold: true }, rightWidth) : [];
  const rightHeight = signer
    ? (authorityLines.length + positionLines.length + nameLines.length) * lineHeight(SIZES.signer) + SIGNATURE_SPACE
    : 0;

  return {
    height: Math.max(leftHeight, rightHeight),
    draw: async (top) => {
      const page = canvas.page;
      const pageIndex = canvas.pages.length - 1;
      const result: { signatureBox?: Rect; qrBox?: Rect } = {};
      let y = top;
      if (recipients) {
        y = await canvas.drawLines(headingLines, SIZES.recipientsHeading, canvas.left, leftWidth, y, 'left');
        for (const lines of itemLines) {
          y = await canvas.drawLines(lines, SIZES.recipients, canvas.left, leftWidth, y, 'left');
        }
      }
      if (qr && doc.qr) {
        if (recipients) y -= 10;
        const module = QR_SIZE / (qr.size + 2);
        const qrTop = y;
        // One path of all dark runs filled at once: a QR has hundreds of runs, and one fill keeps the stream small.
        page.pushOperators(
          pushGraphicsState(),
          setFillingRgbColor(0, 0, 0),
          ...qr.runs.map(([row, col, length]) => rectangle(canvas.left + (col + 1) * module, qrTop - (row + 2) * module, length * module, module)),
          fill(),
          popGraphicsState(),
        );
        result.qrBox = { page: pageIndex, x: canvas.left, y: qrTop - QR_SIZE, width: QR_SIZE, height: QR_SIZE };
        await canvas.drawLines(captionLines, SIZES.qrCaption, canvas.left + QR_SIZE + 8, captionWidth, qrTop - 4, 'left');
      }
      if (signer) {
        let r = await canvas.drawLines(authorityLines, SIZES.signer, rightX, rightWidth, top, 'center');
        r = await canvas.drawLines(positionLines, SIZES.signer, rightX, rightWidth, r, 'center');
        result.signatureBox = { page: pageIndex, x: rightX, y: r - SIGNATURE_SPACE, width: rightWidth, height: SIGNATURE_SPACE };
        await canvas.drawLines(nameLines, SIZES.signer, rightX, rightWidth, r - SIGNATURE_SPACE, 'center');
      }
      return result;
    },
  };
}

/**
 * Font files and ToUnicode maps go through `context.flateStream`, which pdf-lib runs on pako (JavaScript); zlib's
 * native deflate gives the same FlateDecode stream format several times faster and with far less garbage. Only this
 * document's context is changed, never pdf-lib's prototype, so other users of pdf-lib in the process are unaffected.
 */
function useNativeDeflate(pdf: PDFDocument): void {
  const context = pdf.context;
  context.flateStream = (contents, dict = {}) => {
    const bytes = typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents;
    return context.stream(deflated(bytes), { ...dict, Filter: 'FlateDecode' });
  };
  // Content streams (pages' and forms') deflate through pako in their own cache, and pages make theirs with
  // PDFContentStream.of rather than through the context: every stream is registered, so swap the cache there for
  // one on zlib (same invalidation).
  const register = context.register.bind(context);
  context.register = (object: Parameters<typeof register>[0]) => {
    if (object instanceof PDFContentStream) {
      const s = object as unknown as { encode: boolean; contentsCache: { access(): Uint8Array; invalidate(): void } };
      if (s.encode) {
        let value: Uint8Array | undefined;
        s.contentsCache = {
          access: () => (value ??= new Uint8Array(deflateSync(object.getUnencodedContents()))),
          invalidate: () => {
            value = undefined;
          },
        };
      }
    }
    return register(object);
  };
}

// Font subsets repeat between documents of one template (fonts.ts keeps their bytes): their deflated form is kept too,
// by content, so a repeated subset is hashed rather than compressed again.
const deflatedFonts = new Map<string, Uint8Array>();
const DEFLATE_CACHE_MIN = 4096;
const DEFLATE_CACHE_LIMIT = 256;

function deflated(bytes: Uint8Array): Uint8Array {
  if (bytes.length < DEFLATE_CACHE_MIN) return new Uint8Array(deflateSync(bytes));
  const key = createHash('sha256').update(bytes).digest('base64');
  let out = deflatedFonts.get(key);
  if (!out) {
    out = new Uint8Array(deflateSync(bytes));
    if (deflatedFonts.size >= DEFLATE_CACHE_LIMIT) deflatedFonts.delete(deflatedFonts.keys().next().value!);
    deflatedFonts.set(key, out);
  }
  return out;
}

/** Six capital letters from the input, so the subset name is stable for one document and differs between documents. */
function subsetTagger(doc: AdministrativeDocument): (style: FontStyle) => string {
  const digest = createHash('sha256').update(JSON.stringify(doc)).digest();
  return (style) => {
    const offset = FONT_STYLES.indexOf(style) * 6;
    let tag = '';
    for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (digest[offset + i] % 26));
    return `${tag}+${postscriptName(style)}`;
  };
}

function validate(doc: AdministrativeDocument): void {
  if (cleanText(doc.issuingAgency).trim() === '') throw new RangeError('The issuing agency is empty');
  if (cleanText(doc.title).trim() === '') throw new RangeError('The document title is empty');
  if (doc.signer && cleanText(doc.signer.fullName).trim() === '') throw new RangeError("The signer's full name is empty");
  if (!Number.isFinite(doc.date.getTime())) throw new RangeError('The document date is invalid');
}

/**
 * Renders the document. The signature box is where the signing engine draws the ND 30 signature appearance; the
 * renderer leaves it empty.
 */
export async function renderAdministrativeDocument(doc: AdministrativeDocument, opts: RenderOptions = {}): Promise<RenderedDocument> {
  validate(doc);
  const now = opts.now ?? doc.date;
  const pdf = await PDFDocument.create({ updateMetadata: false });
  useNativeDeflate(pdf);
  pdf.setTitle(cleanText(doc.summary ? `${upper(doc.title)} - ${doc.summary}` : upper(doc.title)), { showInWindowTitleBar: true });
  pdf.setAuthor(cleanText(doc.issuingAgency));
  pdf.setProducer('hoso');
  pdf.setCreator('hoso');
  pdf.setLanguage('vi-VN');
  pdf.setCreationDate(now);
  pdf.setModificationDate(now);
  if (opts.subject) pdf.setSubject(cleanText(opts.subject));
  if (opts.keywords && opts.keywords.length > 0) pdf.setKeywords(opts.keywords.map(cleanText));
  pdf.registerFontkit(sharedFontkit);

  const canvas = new Canvas(pdf, doc.orientation === 'landscape', subsetTagger(doc));
  await drawHeader(canvas, doc);
  for (const block of doc.body) await drawBlock(canvas, block);

  let boxes: { signatureBox?: Rect; qrBox?: Rect } = {};
  if (doc.signer || doc.qr || (doc.recipients && doc.recipients.items.length > 0)) {
    const closing = await layoutClosing(canvas, doc);
    canvas.y -= 6;
    canvas.ensure(closing.height);
    boxes = await closing.draw(canvas.y);
    canvas.y -= closing.height;
  }

  // ND 30: page numbers from the second page on, centred in the top margin.
  for (let i = 1; i < canvas.pages.length; i++) {
    const label = String(i + 1);
    const page = canvas.pages[i];
    const width = textWidth(label, 'regular', SIZES.pageNumber);
    page.drawText(label, {
      x: (canvas.width - width) / 2,
      y: canvas.height - MARGINS.top / 2 - SIZES.pageNumber * 0.35,
      size: SIZES.pageNumber,
      font: await canvas.font('regular'),
      color: BLACK,
    });
  }

  // pdf-lib yields to the event loop every 50 objects by default; a document has a few hundred at most, and the
  // yields only add latency under load.
  const bytes = await pdf.save({ useObjectStreams: false, objectsPerTick: 1000 });
  return { pdf: bytes, ...boxes, pageCount: canvas.pages.length };
}
