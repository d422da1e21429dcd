/**
 * SQL of the documents room's intake tables: `document` (bytes as received, and the signed copy when signed at
 * reception) and `validation_report` (the signature engine's report kept as evidence). The bytes themselves live in
 * the blob store; the `blob` row is inserted here in the same transaction as the row that references it.
 */
import type { Queryable } from '../platform/db/db.ts';
import type { SignatureIndication } from './rules.ts';

export type DocumentOrigin = 'uploaded' | 'scanned' | 'issued' | 'reused' | 'declared';

export interface BlobRef {
  sha256: string;
  size: number;
  mediaType: string;
}

/** Records blobs already written to the blob store, in one statement (idempotent: content-addressed). */
export async function recordBlobs(q: Queryable, blobs: readonly BlobRef[]): Promise<void> {
  if (!blobs.length) return;
  await q.query(
    `INSERT INTO blob (sha256, size, media_type)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) ORDER BY 1
     ON CONFLICT (sha256) DO NOTHING`,
    [blobs.map((b) => b.sha256), blobs.map((b) => b.size), blobs.map((b) => b.mediaType)],
  );
}

export function recordBlob(q: Queryable, blob: BlobRef): Promise<void> {
  return recordBlobs(q, [blob]);
}

export interface ValidationReportInsert {
  id: string;
  indication: SignatureIndication;
  report: unknown;
  at: Date;
}

/** Keeps the signature engine's reports as evidence, in one statement. */
export async function insertValidationReports(q: Queryable, reports: readonly ValidationReportInsert[]): Promise<void> {
  if (!reports.length) return;
  await q.query(
    `INSERT INTO validation_report (id, indication, report, created_at)
     SELECT x.id, x.indication, x.report, x.created_at
     FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, indication text, report jsonb, created_at timestamptz)`,
    [JSON.stringify(reports.map((r) => ({ id: r.id, indication: r.indication, report: r.report, created_at: r.at.toISOString() })))],
  );
}

export async function insertValidationReport(q: Queryable, input: ValidationReportInsert): Promise<string> {
  await insertValidationReports(q, [input]);
  return input.id;
}

export interface DocumentInsert {
  /** Chosen by the caller so evidence can name the document before the row exists. */
  id: string;
  blob: BlobRef;
  pages: number | null;
  origin: DocumentOrigin;
  signedBlob?: BlobRef | null;
  validationReportId?: string | null;
  createdBy: string | null;
  at: Date;
}

/** Inserts documents and the blob rows they reference: two statements whatever their number. */
export async function insertDocuments(q: Queryable, docs: readonly DocumentInsert[]): Promise<void> {
  if (!docs.length) return;
  await recordBlobs(q, docs.flatMap((d) => (d.signedBlob ? [d.blob, d.signedBlob] : [d.blob])));
  await q.query(
    `INSERT INTO document (id, blob_sha256, media_type, pages, origin, signed_blob_sha256, validation_report_id, created_by, created_at)
     SELECT x.id, x.blob_sha256, x.media_type, x.pages, x.origin, x.signed_blob_sha256, x.validation_report_id, x.created_by, x.created_at
     FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, blob_sha256 text, media_type text, pages int, origin text,
       signed_blob_sha256 text, validation_report_id uuid, created_by uuid, created_at timestamptz)`,
    [
      JSON.stringify(
        docs.map((d) => ({
          id: d.id,
          blob_sha256: d.blob.sha256,
          media_type: d.blob.mediaType,
          pages: d.pages,
          origin: d.origin,
          signed_blob_sha256: d.signedBlob?.sha256 ?? null,
          validation_report_id: d.validationReportId ?? null,
          created_by: d.createdBy,
          created_at: d.at.toISOString(),
        })),
      ),
    ],
  );
}

export async function insertDocument(q: Queryable, d: DocumentInsert): Promise<string> {
  await insertDocuments(q, [d]);
  return d.id;
}

/**
 * Attaches the copy signed at reception to a document received unsigned (an online photo), with its validation
 * report; false when it already has one (a concurrent reception won), so the caller's transaction can abort.
 */
export async function attachSignedCopy(q: Queryable, documentId: string, signedBlob: BlobRef, validationReportId: string): Promise<boolean> {
  await recordBlob(q, signedBlob);
  const r = await q.query(
    'UPDATE document SET signed_blob_sha256 = $2, validation_report_id = $3 WHERE id = $1 AND signed_blob_sha256 IS NULL',
    [documentId, signedBlob.sha256, validationReportId],
  );
  return (r.rowCount ?? 0) === 1;
}

export interface DocumentView {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  pages: number | null;
  origin: DocumentOrigin;
  signedSha256: string | null;
  validation: { reportId: string; indication: SignatureIndication; createdAt: Date } | null;
  createdAt: Date;
}

export async function getDocuments(q: Queryable, ids: readonly string[]): Promise<Map<string, DocumentView>> {
  if (!ids.length) return new Map();
  const r = await q.query<{
    id: string;
    blob_sha256: string;
    size: number;
    media_type: string;
    pages: number | null;
    origin: DocumentOrigin;
    signed_blob_sha256: string | null;
    validation_report_id: string | null;
    indication: SignatureIndication | null;
    report_at: Date | null;
    created_at: Date;
  }>(
    `SELECT d.id, d.blob_sha256, b.size, d.media_type, d.pages, d.origin, d.signed_blob_sha256, d.validation_report_id,
            v.indication, v.created_at AS report_at, d.created_at
     FROM document d JOIN blob b ON b.sha256 = d.blob_sha256 LEFT JOIN validation_report v ON v.id = d.validation_report_id
     WHERE d.id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(
    r.rows.map((row) => [
      row.id,
      {
        id: row.id,
        sha256: row.blob_sha256,
        size: Number(row.size),
        mediaType: row.media_type,
        pages: row.pages,
        origin: row.origin,
        signedSha256: row.signed_blob_sha256,
        validation:
          row.validation_report_id && row.indication
            ? { reportId: row.validation_report_id, indication: row.indication, createdAt: new Date(row.report_at!) }
            : null,
        createdAt: new Date(row.created_at),
      },
    ]),
  );
}
