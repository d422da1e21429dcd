import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PDF, rgb, type PDFEmbeddedPage } from '@libpdf/core';

/** Vendored Tinos (OFL), metric-compatible with Times New Roman as Nghị định 30/2020 requires. */
const FONT_DIR = fileURLToPath(new URL('../../../assets/fonts/', import.meta.url));
let regular: Uint8Array | undefined;
let bold: Uint8Array | undefined;
function fonts(): { regular: Uint8Array; bold: Uint8Array } {
  regular ??= new Uint8Array(readFileSync(`${FONT_DIR}Tinos-Regular.ttf`));
  bold ??= new Uint8Array(readFileSync(`${FONT_DIR}Tinos-Bold.ttf`));
  return { regular, bold };
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

/**
 * Draws the stamp as a one-page PDF of the box size and embeds it into `target` as a Form XObject, which becomes
 * the widget's normal appearance.
 */
export async function buildAppearanceXObject(
  target: PDF,
  box: { width: number; height: number },
  lines: string[],
  images: { signature?: Uint8Array; seal?: Uint8Array },
): Promise<PDFEmbeddedPage> {
  const stamp = PDF.create();
  const page = stamp.addPage({ width: box.width, height: box.height });
  const f = fonts();
  const font = stamp.embedFont(f.regular);
  const pad = 2;
  const hasImages = Boolean(images.signature || images.seal);
  // Images take the upper part of the box, text (Times 10 pt, black, upright) the lower part.
  let size = 10;
  const widest = (s: number): number => Math.max(...lines.map((l) => font.widthOfTextAtSize(l, s)));
  while (size > 5 && widest(size) > box.width - 2 * pad) size -= 0.5;
  const lineH = size * 1.2;
  const textH = lines.length * lineH;
  const imageArea = { x: pad, y: textH + pad, width: box.width - 2 * pad, height: box.height - textH - 2 * pad };
  if (hasImages && imageArea.height > 8) {
    const sig = images.signature ? stamp.embedPng(images.signature) : undefined;
    const seal = images.seal ? stamp.embedPng(images.seal) : undefined;
    const fit = (img: { width: number; height: number }, maxW: number, maxH: number): { w: number; h: number } => {
      const k = Math.min(maxW / img.width, maxH / img.height, 1e9);
      return { w: img.width * k, h: img.height * k };
    };
    let sigRect: { x: number; y: number; w: number; h: number } | undefined;
    if (sig) {
      const { w, h } = fit(sig, imageArea.width * 0.6, imageArea.height);
      sigRect = { x: imageArea.x + (imageArea.width - w) / 2, y: imageArea.y + (imageArea.height - h) / 2, w, h };
      page.drawImage(sig, { x: sigRect.x, y: sigRect.y, width: w, height: h });
    }
    if (seal) {
      const { w, h } = fit(seal, imageArea.height, imageArea.height);
      // The seal covers about the left third of the signature image.
      const x = sigRect ? sigRect.x + sigRect.w / 3 - w : imageArea.x + (imageArea.width - w) / 2;
      page.drawImage(seal, { x: Math.max(imageArea.x, x), y: imageArea.y + (imageArea.height - h) / 2, width: w, height: h });
    }
  }
  lines.forEach((line, i) => {
    page.drawText(line, { x: pad, y: textH - (i + 1) * lineH + (lineH - size) / 2 + pad, font, size, color: rgb(0, 0, 0) });
  });
  const saved = await stamp.save({ subsetFonts: true });
  return target.embedPage(await PDF.load(saved), 0);
}
