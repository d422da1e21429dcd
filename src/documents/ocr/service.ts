/**
 * OCR as a background job on digitized documents (scanned at the counter, photographed by the applicant): the text
 * of the original as received is recognised once and stored beside it (`document_text`) for full-text search; the
 * original and the signed copy are never rewritten. Also an inline reading of a CCCD scan for the counter's form.
 */
import type { Queryable } from '../../platform/db/db.ts';
import { defineError } from '../../platform/http/problem.ts';
import { enqueueJob, type JobHandler } from '../../platform/jobs/index.ts';
import { appendAuditEvent } from '../../oversight/audit/store.ts';
import { openOcrEngine, rasterizePdf, type OcrEngine } from './engine.ts';
import { cccdSuggestion, foldForSearch, type CccdSuggestion } from './rules.ts';

export const OCR_JOB = 'document.ocr';
/** Enough for small print on an A4 scan; tesseract's accuracy stops improving above ~300 dpi. */
const OCR_DPI = 200;

export const OcrErrors = {
  unreadable: defineError('OCR_IMAGE_UNREADABLE', 400, {
    vi: 'Không đọc được ảnh: hãy gửi ảnh JPEG, PNG hoặc tệp PDF quét căn cước công dân',
    en: 'The image could not be read: send a JPEG, PNG or a scanned PDF of the identity card',
  }),
};

let engine: Promise<OcrEngine> | null = null;
/** One engine per process (the tesseract.js worker is costly to start); reopened after a failure to open. */
function ocrEngine(): Promise<OcrEngine> {
  engine ??= openOcrEngine().catch((err: unknown) => {
    engine = null;
    throw err;
  });
  return engine;
}

/** Queues OCR for documents just stored, in the caller's transaction (one job per document). */
export async function enqueueOcrJobs(q: Queryable, documentIds: readonly string[], now: Date): Promise<void> {
  for (const id of documentIds) await enqueueJob(q, { type: OCR_JOB, payload: { documentId: id }, dedupeKey: id }, now);
}

async function pageImages(bytes: Uint8Array, mediaType: string): Promise<Uint8Array[]> {
  if (mediaType === 'application/pdf') return rasterizePdf(bytes, OCR_DPI);
  if (mediaType === 'image/jpeg' || mediaType === 'image/png') return [bytes];
  throw OcrErrors.unreadable({ mediaType });
}

export interface RecognizedDocument {
  engine: OcrEngine['name'];
  text: string;
  pages: { page: number; confidence: number | null; chars: number }[];
}

export async function recognizeDocument(bytes: Uint8Array, mediaType: string): Promise<RecognizedDocument> {
  const e = await ocrEngine();
  const texts: string[] = [];
  const pages: RecognizedDocument['pages'] = [];
  for (const [i, image] of (await pageImages(bytes, mediaType)).entries()) {
    const r = await e.recognize(image);
    texts.push(r.text);
    pages.push({ page: i + 1, confidence: r.confidence, chars: r.text.length });
  }
  return { engine: e.name, text: texts.join('\f').normalize('NFC'), pages };
}

/** The job: recognise the original bytes of one document, once. */
export const ocrJobHandler: JobHandler = async (ctx, job) => {
  const documentId = String(job.payload.documentId);
  if ((await ctx.db.query('SELECT 1 FROM document_text WHERE document_id = $1', [documentId])).rowCount) return;
  const doc = (await ctx.db.query<{ blob_sha256: string; media_type: string }>('SELECT blob_sha256, media_type FROM document WHERE id = $1', [documentId])).rows[0];
  if (!doc) return; // the document's transaction rolled back after the job was made: nothing to read
  const recognized = await recognizeDocument(await ctx.blobs.get(doc.blob_sha256), doc.media_type);
  const now = ctx.now();
  await ctx.db.tx(async (q) => {
    const inserted = await q.query(
      `INSERT INTO document_text (document_id, engine, language, text, pages, search_text, created_at) VALUES ($1, $2, 'vie', $3, $4, $5, $6)
       ON CONFLICT (document_id) DO NOTHING`,
      [documentId, recognized.engine, recognized.text, JSON.stringify(recognized.pages), foldForSearch(recognized.text), now],
    );
    if (!inserted.rowCount) return;
    await appendAuditEvent(q, {
      type: 'document.text_recognized',
      at: now,
      subjectType: 'document',
      subjectId: documentId,
      data: { engine: recognized.engine, pages: recognized.pages.length, chars: recognized.text.length, sha256: doc.blob_sha256 },
    });
  });
};

export interface DocumentText {
  documentId: string;
  engine: string;
  text: string;
  pages: { page: number; confidence: number | null; chars: number }[];
  createdAt: Date;
}

export async function documentTexts(q: Queryable, ids: readonly string[]): Promise<Map<string, DocumentText>> {
  if (!ids.length) return new Map();
  const r = await q.query<{ document_id: string; engine: string; text: string; pages: DocumentText['pages']; created_at: Date }>(
    'SELECT document_id, engine, text, pages, created_at FROM document_text WHERE document_id = ANY($1::uuid[])',
    [[...ids]],
  );
  return new Map(r.rows.map((x) => [x.document_id, { documentId: x.document_id, engine: x.engine, text: x.text, pages: x.pages, createdAt: new Date(x.created_at) }]));
}

/** A `to_tsquery('simple', …)` matching text that has every word of `query`, accents optional; null for no word. */
export function searchQuery(query: string): string | null {
  const words = foldForSearch(query).split(' ').filter(Boolean).slice(0, 12);
  return words.length ? words.join(' & ') : null;
}

/** Reads a CCCD scan (image or PDF, first page) now, for the counter officer to accept into the form. */
export async function readCccd(bytes: Uint8Array, mediaType: string, asOf: Date): Promise<CccdSuggestion & { engine: string; confidence: number | null }> {
  const e = await ocrEngine();
  const [first] = await pageImages(bytes, mediaType).catch(() => {
    throw OcrErrors.unreadable({ mediaType });
  });
  if (!first) throw OcrErrors.unreadable({ mediaType });
  const r = await e.recognize(first).catch(() => {
    throw OcrErrors.unreadable({ mediaType });
  });
  return { ...cccdSuggestion(r.text, asOf), engine: e.name, confidence: r.confidence };
}

export const ocrJobHandlers: Record<string, JobHandler> = { [OCR_JOB]: ocrJobHandler };

