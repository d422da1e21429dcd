/**
 * Checks of uploaded component files before anything is stored: what the bytes really are (not what the name or
 * the browser says), whether a PDF parses, whether it carries active content, and the conversion of photos/scans
 * (JPEG, PNG) into one PDF per component. Every refusal is a problem with a stable code naming the component.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream } from 'pdf-lib';
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

function dictFindings(dict: PDFDict, found: Set<string>): void {
  for (const [key, value] of dict.entries()) {
    const k = key.decodeText();
    if (ACTIVE_KEYS.has(k)) found.add(k);
    if (k === 'S' && value instanceof PDFName && ACTIVE_ACTIONS.has(value.decodeText())) found.add(value.decodeText());
  }
}

function visit(value: unknown, found: Set<string>, depth = 0): void {
  if (depth > 64) return;
  if (value instanceof PDFDict) {
    dictFindings(value, found);
    for (const [, v] of value.entries()) visit(v, found, depth + 1);
  } else if (value instanceof PDFArray) {
    for (let i = 0; i < value.size(); i++) visit(value.get(i), found, depth + 1);
  } else if (value instanceof PDFStream || value instanceof PDFRawStream) {
    dictFindings((value as PDFStream).dict, found);
  }
}

export interface PdfFacts {
  pages: number;
}

/**
 * Parses a PDF (object streams included, so names hidden in compressed objects or written with #-escapes are seen
 * decoded) and refuses active content. The bytes themselves are never changed.
 */
export async function inspectPdf(componentKey: string, bytes: Uint8Array): Promise<PdfFacts> {
  const where = { component: componentKey };
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  if (!tail.includes('%%EOF')) throw UploadErrors.malformed({ ...where, reason: 'no %%EOF marker' });
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (err) {
    if ((err as Error).name === 'EncryptedPDFError') throw UploadErrors.encrypted(where);
    throw UploadErrors.malformed({ ...where, reason: (err as Error).message.slice(0, 200) });
  }
  let pages: number;
  try {
    pages = doc.getPageCount();
  } catch (err) {
    throw UploadErrors.malformed({ ...where, reason: (err as Error).message.slice(0, 200) });
  }
  if (pages < 1) throw UploadErrors.malformed({ ...where, reason: 'no pages' });
  const found = new Set<string>();
  for (const [, obj] of doc.context.enumerateIndirectObjects()) visit(obj, found);
  visit(doc.catalog, found);
  if (found.size) throw UploadErrors.activeContent({ ...where, found: [...found].sort() });
  return { pages };
}

/** A4 long side in points: photos are scaled to fit it, keeping their colour and aspect ratio. */
const A4_LONG = 841.89;

/** Builds one PDF from photos/scans of one component, one page per image, in the order given. */
export async function imagesToPdf(componentKey: string, images: { kind: 'jpeg' | 'png'; bytes: Uint8Array }[]): Promise<{ bytes: Uint8Array; pages: number }> {
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
      throw UploadErrors.imageMalformed({ component: componentKey, reason: (err as Error).message.slice(0, 200) });
    }
    const scale = Math.min(1, A4_LONG / Math.max(embedded.width, embedded.height));
    const w = Math.max(1, embedded.width * scale);
    const h = Math.max(1, embedded.height * scale);
    const page = doc.addPage([w, h]);
    page.drawImage(embedded, { x: 0, y: 0, width: w, height: h });
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
