/**
 * Sample data and poppler/qpdf wrappers for the renderer's tests (and for other rooms' tests that render forms).
 * The sample names carry stacked diacritics on purpose: they are where a wrong font or a lost ToUnicode shows.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FormCommon, IssuingOffice, Applicant, ProcedureRef } from './forms.ts';

export const SAMPLE_OFFICE: IssuingOffice = {
  governingBody: 'Ủy ban nhân dân Thành phố Hà Nội',
  name: 'Trung tâm Phục vụ hành chính công Phường Hoàn Kiếm',
  place: 'Hà Nội',
};

export const SAMPLE_APPLICANT: Applicant = {
  fullName: 'Nguyễn Thị Hường',
  idNumber: '001190012345',
  address: 'Số 12 phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội',
  phone: '0912 345 678',
};

export const SAMPLE_PROCEDURE: ProcedureRef = { name: 'Cấp Giấy chứng nhận đủ điều kiện an toàn thực phẩm', code: '1.000948' };

/** 09:30 on 5 February 2026 in Hanoi (02:30 UTC). */
export const SAMPLE_INSTANT = new Date('2026-02-05T02:30:00Z');

export const SAMPLE_COMMON: FormCommon = {
  office: SAMPLE_OFFICE,
  number: { value: 12, symbol: 'GTN-TTPVHCC' },
  issuedAt: SAMPLE_INSTANT,
  signer: { position: 'Người tiếp nhận hồ sơ', fullName: 'Lê Thị Ngọc Ánh' },
};

/** Runs a poppler/qpdf tool on PDF bytes in a private temporary directory; returns stdout. */
export function withPdfFile<T>(pdf: Uint8Array, run: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-nd30-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, pdf);
    return run(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdftotext(pdf: Uint8Array, args: readonly string[] = ['-layout']): string {
  return withPdfFile(pdf, (path) => execFileSync('pdftotext', [...args, path, '-'], { encoding: 'utf8' }));
}

export function pdffonts(pdf: Uint8Array): string {
  return withPdfFile(pdf, (path) => execFileSync('pdffonts', [path], { encoding: 'utf8' }));
}

export function pdfinfo(pdf: Uint8Array): string {
  return withPdfFile(pdf, (path) => execFileSync('pdfinfo', [path], { encoding: 'utf8' }));
}

/** qpdf --check; throws (with qpdf's message) when the file has errors or warnings. */
export function qpdfCheck(pdf: Uint8Array): string {
  return withPdfFile(pdf, (path) => execFileSync('qpdf', ['--check', path], { encoding: 'utf8' }));
}

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, 0 black … 255 white, row by row. */
  pixels: Uint8Array;
}

/** Parses a binary PGM (P5, 8-bit), the output of `pdftoppm -gray`. */
export function parsePgm(bytes: Uint8Array): GrayImage {
  const tokens: string[] = [];
  let i = 0;
  while (tokens.length < 4) {
    while (i < bytes.length && /\s/.test(String.fromCharCode(bytes[i]))) i++;
    if (bytes[i] === 0x23) {
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
      continue;
    }
    let token = '';
    while (i < bytes.length && !/\s/.test(String.fromCharCode(bytes[i]))) token += String.fromCharCode(bytes[i++]);
    tokens.push(token);
  }
  i++; // the single whitespace after maxval
  const [magic, w, h, max] = tokens;
  if (magic !== 'P5' || Number(max) !== 255) throw new Error(`Not an 8-bit binary PGM: ${tokens.join(' ')}`);
  const width = Number(w);
  const height = Number(h);
  const pixels = bytes.subarray(i, i + width * height);
  if (pixels.length !== width * height) throw new Error('Truncated PGM');
  return { width, height, pixels };
}

/** Renders one page to a grey image with pdftoppm at `dpi`. */
export function renderPageGray(pdf: Uint8Array, page: number, dpi: number): GrayImage {
  return withPdfFile(pdf, (path, dir) => {
    execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), path, join(dir, 'page')]);
    const file = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.pgm'));
    if (!file) throw new Error('pdftoppm wrote no image');
    return parsePgm(new Uint8Array(readFileSync(join(dir, file))));
  });
}

/**
 * Share of dark pixels (< 128) in a rectangle given in PDF points with the origin at the page's top-left, so
 * regions can be named as the layout measures them from the top margin.
 */
export function darkShare(image: GrayImage, dpi: number, region: { x: number; top: number; width: number; height: number }): number {
  const scale = dpi / 72;
  const x0 = Math.max(0, Math.floor(region.x * scale));
  const y0 = Math.max(0, Math.floor(region.top * scale));
  const x1 = Math.min(image.width, Math.ceil((region.x + region.width) * scale));
  const y1 = Math.min(image.height, Math.ceil((region.top + region.height) * scale));
  let dark = 0;
  let total = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      total++;
      if (image.pixels[y * image.width + x] < 128) dark++;
    }
  }
  return total === 0 ? 0 : dark / total;
}
