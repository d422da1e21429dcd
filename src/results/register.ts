/**
 * The register of issued results: the records office's yearly numbering per agency, and one row per result that the
 * result's QR code looks up on the public verification page (title, number, issuer, date, status — nothing about
 * the applicant).
 */
import type { Queryable } from '../platform/db/db.ts';
import { formatDocumentNumber } from '../documents/nd30/format.ts';
import { revocationOf, type Revocation } from './revocation.ts';

/**
 * The next number of `agencyId` in `year`, in its own short transaction before signing (the number is printed in
 * the signed bytes). A signing that then fails leaves a gap, which the records office voids as with paper.
 */
export async function nextResultNumber(q: Queryable, agencyId: string, year: number): Promise<number> {
  const r = await q.query<{ last: number }>(
    `INSERT INTO result_number (agency_id, year, last) VALUES ($1, $2, 1)
     ON CONFLICT (agency_id, year) DO UPDATE SET last = result_number.last + 1 RETURNING last`,
    [agencyId, year],
  );
  return r.rows[0]!.last;
}

export interface RegisteredResult {
  documentId: string;
  dossierId: string;
  agencyId: string;
  number: number | null;
  symbol: string | null;
  title: string;
  issuer: string;
  issuedAt: Date;
}

export async function registerResult(q: Queryable, r: RegisteredResult): Promise<void> {
  await q.query(
    `INSERT INTO result_register (document_id, dossier_id, agency_id, number, symbol, title, issuer, issued_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [r.documentId, r.dossierId, r.agencyId, r.number, r.symbol, r.title, r.issuer, r.issuedAt],
  );
}

/** What anyone who scans the QR learns: the result exists, what it is, who issued it, whether it still stands. */
export interface PublicResult {
  documentId: string;
  title: string;
  /** "Số: 12/CCHND-SYT" as printed, or null for a result issued without a number. */
  number: string | null;
  issuer: string;
  issuedAt: string;
  sha256: string;
  status: 'valid' | 'revoked';
  revocation: Revocation | null;
}

export async function publicResult(q: Queryable, documentId: string): Promise<PublicResult | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(documentId)) return null;
  const r = await q.query<{ number: number | null; symbol: string | null; title: string; issuer: string; issued_at: Date; sha256: string }>(
    `SELECT g.number, g.symbol, g.title, g.issuer, g.issued_at, d.blob_sha256 AS sha256
       FROM result_register g JOIN document d ON d.id = g.document_id WHERE g.document_id = $1`,
    [documentId],
  );
  const x = r.rows[0];
  if (!x) return null;
  const revocation = await revocationOf(q, documentId);
  return {
    documentId,
    title: x.title,
    number: x.symbol ? formatDocumentNumber(x.number, x.symbol) : null,
    issuer: x.issuer,
    issuedAt: new Date(x.issued_at).toISOString(),
    sha256: x.sha256,
    status: revocation ? 'revoked' : 'valid',
    revocation,
  };
}

/** The URL the result's QR code carries. */
export function resultVerificationUrl(publicUrl: string, documentId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/xac-thuc/kq/${documentId}`;
}
