/**
 * Checks of uploaded component files before anything is stored: what the bytes really are (not what the name or
 * the browser says), whether a PDF parses, whether it carries active content, and the conversion of photos/scans
 * (JPEG, PNG) into one PDF per component. Every refusal is a problem with a stable code naming the component.
 */
import { PDFDocument } from 'pdf-lib';
import { fitPage, jpegInfo, jpegsToPdf } from './image-pdf.ts';
import { PdfDict, PdfDocument, PdfError, PdfName, PdfStream, type PdfValue } from '../signatures/pdf/index.ts';
import { defineError } from '../platform/http/problem.ts';

export const UploadErrors = {
  empty: defineError('FILE_EMPTY', 422, { vi: 'Tệp tải lên không có nội dung (0 byte)', en: 'The uploaded file is empty (0 bytes)' }),
  tooLarge: defineError('FILE_TOO_LARGE', 413, { vi: 'Tệp tải lên vượt quá dung lượng cho phép', en: 'The uploaded file is over the size limit' }),
  unsupported: defineError('FILE_TYPE_UNSUPPORTED', 415, {
    vi: 'Chỉ chấp nhận tệp PDF hoặc ảnh JPEG/PNG',
    en: 'Only PDF files or JPEG/PNG images are accepted',
  }),
  mismatch: defineError('FILE_TYPE_MISMATCH', 422, {
    vi: 'Nội dung tệp không khớp với định dạng khai báo (ví dụ: ảnh được đổi tên thành .pdf)',
    en: 'The file content does not match its declared type (e.g. an image renamed to .pdf)',
  }),
  malformed: defineError('PDF_MALFORMED', 422, { vi: 'Tệp PDF bị lỗi cấu trúc, không đọc được', en: 'The PDF file is malformed and cannot be read' }),
  encrypted: defineError('PDF_ENCRYPTED', 422, { vi: 'Tệp PDF bị mã hóa, không thể kiểm tra', en: 'The PDF file is encrypted and cannot be checked' }),
  activeContent: defineError('PDF_ACTIVE_CONTENT', 422, {
    vi: 'Tệp PDF chứa mã thực thi hoặc hành động tự động (JavaScript, OpenAction, Launch) và không được chấp nhận',
    en: 'The PDF contains executable code or automatic actions (JavaScript, OpenAction, Launch) and is refused',
  }),
  imageMalformed: defineError('IMAGE_MALFORMED', 422, { vi: 'Tệp ảnh bị lỗi, không đọc được', en: 'The image file is malformed' }),
  mixedKinds: defineError('FILE_KINDS_MIXED', 422, {
    vi: 'Mỗi thành phần chỉ gồm một tệp PDF hoặc một hay nhiều ảnh, không trộn lẫn',
    en: 'A component is either one PDF or one or more images, not a mix',
  }),
};

export type FileKind = 'pdf' | 'jpeg' | 'png';

export interface UploadedFile {
  componentKey: string;
  filename: string;
  /** What the client declared (Content-Type of the part). */
  declaredType: string;
  bytes: Uint8Array;
}

/** What the bytes are, from their signature; null when neither PDF nor JPEG nor PNG. */
export function sniff(bytes: Uint8Array): FileKind | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
  // ISO 32000 lets the header start within the first 1024 bytes; readers accept that, so do we.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  return null;
}

function declaredKind(file: UploadedFile): FileKind | null {
  const t = file.declaredType.toLowerCase();
  const name = file.filename.toLowerCase();
  if (t === 'application/pdf' || name.endsWith('.pdf')) return 'pdf';
  if (t === 'image/jpeg' || /\.jpe?g$/.test(name)) return 'jpeg';
  if (t === 'image/png' || name.endsWith('.png')) return 'png';
  return null;
}

/** Checks size, emptiness and type; returns the real kind. Throws the precise problem otherwise. */
export function checkFile(file: UploadedFile, maxBytes: number): FileKind {
  const where = { component: file.componentKey, filename: file.filename };
  if (file.bytes.length === 0) throw UploadErrors.empty(where);
  if (file.bytes.length > maxBytes) throw UploadErrors.tooLarge({ ...where, size: file.bytes.length, limit: maxBytes });
  const kind = sniff(file.bytes);
  const declared = declaredKind(file);
  if (kind === null) throw declared ? UploadErrors.mismatch({ ...where, declared }) : UploadErrors.unsupported(where);
  // A PNG labelled .jpg is still a photo; only a PDF/image confusion is a disguise.
  if (declared !== null && (declared === 'pdf') !== (kind === 'pdf')) {
    throw UploadErrors.mismatch({ ...where, declared, actual: kind });
  }
  return kind;
}

/** Name keys and action types that make a PDF do something by itself when opened or interacted with. */
const ACTIVE_KEYS = new Set(['JavaScript', 'JS', 'OpenAction', 'AA', 'Launch', 'RichMedia']);
const ACTIVE_ACTIONS = new Set(['JavaScript', 'Launch', 'ImportData', 'SubmitForm', 'RichMediaExecute', 'Rendition']);

/** Collects active-content keys and actions from a value and everything it holds directly (references are other objects). */
function visit(value: PdfValue, found: Set<string>, depth = 0): void {
  if (depth > 64) return;
  if (value instanceof PdfStream) {
    visit(value.dict, found, depth);
  } else if (value instanceof PdfDict) {
    for (const [key, v] of value.map) {
      if (ACTIVE_KEYS.has(key)) found.add(key);
      if (key === 'S' && v instanceof PdfName && ACTIVE_ACTIONS.has(v.name)) found.add(v.name);
      visit(v, found, depth + 1);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) visit(v, found, depth + 1);
  }
}

export interface PdfFacts {
  pages: number;
}

/**
 * Reads a PDF with the signature library's reader — every object of every revision, object streams included, names
 * with #-escapes decoded — and refuses active content; an object that does not parse makes the file malformed.
 * The bytes themselves are never changed.
 */
export async function inspectPdf(componentKey: string, bytes: Uint8Array): Promise<PdfFacts> {
  const where = { component: componentKey };
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  if (!tail.includes('%%EOF')) throw UploadErrors.malformed({ ...where, reason: 'no %%EOF marker' });
  const found = new Set<string>();
  let pages: number;
  try {
    const doc = PdfDocument.load(bytes);
    if (doc.sections.some((s) => s.trailer.has('Encrypt'))) throw UploadErrors.encrypted(where);
    pages = doc.pageCount();
    for (const { value } of doc.allObjects()) visit(value, found);
    for (const s of doc.sections) visit(s.trailer, found);
  } catch (err) {
    if (!(err instanceof PdfError)) throw err;
    throw UploadErrors.malformed({ ...where, reason: err.message.slice(0, 200) });
  }
  if (pages < 1) throw UploadErrors.malformed({ ...where, reason: 'no pages' });
  if (found.size) throw UploadErrors.activeContent({ ...where, found: [...found].sort() });
  return { pages };
}

/** Builds one PDF from photos/scans of one component, one page per image, in the order given. */
export async function imagesToPdf(componentKey: string, images: { kind: 'jpeg' | 'png'; bytes: Uint8Array }[]): Promise<{ bytes: Uint8Array; pages: number }> {
  const malformed = (err: unknown) => UploadErrors.imageMalformed({ component: componentKey, reason: (err as Error).message.slice(0, 200) });
  if (images.every((img) => img.kind === 'jpeg')) {
    // Photos and most scans: the JPEG bytes go into the PDF as they are, nothing decoded or re-encoded.
    const withInfo = images.map((img) => {
      try {
        return { bytes: img.bytes, info: jpegInfo(img.bytes) };
      } catch (err) {
        throw malformed(err);
      }
    });
    return { bytes: jpegsToPdf(withInfo), pages: images.length };
  }
  // A PNG must be decoded into PDF image data (and its alpha into a soft mask): pdf-lib does that.
  const doc = await PDFDocument.create();
  // A fixed date keeps the conversion deterministic: the same photos give the same PDF (and the same blob).
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  doc.setProducer('hoso');
  for (const img of images) {
    let embedded;
    try {
      // A copy with its own ArrayBuffer: pdf-lib's JPEG reader views `bytes.buffer` from offset 0, which is wrong for
      // Node Buffers that are slices of a shared pool (small uploads are).
      const own = new Uint8Array(img.bytes);
      embedded = img.kind === 'jpeg' ? await doc.embedJpg(own) : await doc.embedPng(own);
    } catch (err) {
      throw malformed(err);
    }
    const size = fitPage(embedded.width, embedded.height);
    const page = doc.addPage([size.width, size.height]);
    page.drawImage(embedded, { x: 0, y: 0, ...size });
  }
  const bytes = await doc.save({ useObjectStreams: false });
  return { bytes, pages: images.length };
}

export interface PreparedComponentFile {
  /** The PDF kept as the component's document (the upload itself, or the PDF built from its images). */
  pdf: Uint8Array;
  pages: number;
  /** True when the PDF was built here from images. */
  converted: boolean;
}

/**
 * Turns the files of one component into its one PDF: exactly one PDF (checked, unchanged), or one or more
 * images (converted). Throws the precise problem for the first bad file.
 */
export async function prepareComponentFiles(componentKey: string, files: UploadedFile[], maxBytes: number): Promise<PreparedComponentFile> {
  const kinds = files.map((f) => checkFile(f, maxBytes));
  if (kinds.includes('pdf')) {
    if (files.length !== 1) throw UploadErrors.mixedKinds({ component: componentKey });
    const facts = await inspectPdf(componentKey, files[0]!.bytes);
    return { pdf: files[0]!.bytes, pages: facts.pages, converted: false };
  }
  const built = await imagesToPdf(
    componentKey,
    files.map((f, i) => ({ kind: kinds[i] as 'jpeg' | 'png', bytes: f.bytes })),
  );
  return { pdf: built.bytes, pages: built.pages, converted: true };
}
