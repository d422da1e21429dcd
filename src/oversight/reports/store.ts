/** SQL of the periodic reports: the report records and their download history. */
import type { Queryable } from '../../platform/db/db.ts';

export interface ReportRecord {
  id: string;
  period: string;
  agencyCode: string | null;
  asOf: Date;
  figures: unknown;
  xlsxDocumentId: string;
  pdfDocumentId: string;
  generatedBy: string | null;
  generatedByName: string | null;
  generatedAt: Date;
  downloads: number;
}

interface Raw {
  id: string;
  period: string;
  agency_code: string | null;
  as_of: Date;
  figures: unknown;
  xlsx_document_id: string;
  pdf_document_id: string;
  generated_by: string | null;
  generated_by_name: string | null;
  generated_at: Date;
  downloads: number;
}

const SELECT = `SELECT r.id, r.period, r.agency_code, r.as_of, r.figures, r.xlsx_document_id, r.pdf_document_id, r.generated_by,
                       u.display_name AS generated_by_name, r.generated_at,
                       (SELECT count(*)::int FROM oversight_report_download d WHERE d.report_id = r.id) AS downloads
                  FROM oversight_report r LEFT JOIN app_user u ON u.id = r.generated_by`;

const fromRaw = (r: Raw): ReportRecord => ({
  id: r.id,
  period: r.period,
  agencyCode: r.agency_code,
  asOf: new Date(r.as_of),
  figures: r.figures,
  xlsxDocumentId: r.xlsx_document_id,
  pdfDocumentId: r.pdf_document_id,
  generatedBy: r.generated_by,
  generatedByName: r.generated_by_name,
  generatedAt: new Date(r.generated_at),
  downloads: r.downloads,
});

export async function insertReport(
  q: Queryable,
  r: Omit<ReportRecord, 'generatedByName' | 'downloads'>,
): Promise<void> {
  await q.query(
    `INSERT INTO oversight_report (id, period, agency_code, as_of, figures, xlsx_document_id, pdf_document_id, generated_by, generated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [r.id, r.period, r.agencyCode, r.asOf, JSON.stringify(r.figures), r.xlsxDocumentId, r.pdfDocumentId, r.generatedBy, r.generatedAt],
  );
}

export async function getReport(q: Queryable, id: string): Promise<ReportRecord | null> {
  const r = await q.query<Raw>(`${SELECT} WHERE r.id = $1`, [id]);
  return r.rows[0] ? fromRaw(r.rows[0]) : null;
}

/** Newest first; `agencyCode` undefined = any scope, null = installation-wide reports only. */
export async function listReports(
  q: Queryable,
  filter: { period?: string; agencyCode?: string | null; limit: number; offset: number },
): Promise<ReportRecord[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.period) where.push(`r.period = $${args.push(filter.period)}`);
  if (filter.agencyCode === null) where.push('r.agency_code IS NULL');
  else if (filter.agencyCode !== undefined) where.push(`r.agency_code = $${args.push(filter.agencyCode)}`);
  const r = await q.query<Raw>(
    `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.generated_at DESC, r.id LIMIT $${args.push(filter.limit)} OFFSET $${args.push(filter.offset)}`,
    args,
  );
  return r.rows.map(fromRaw);
}

export async function insertDownload(q: Queryable, d: { reportId: string; userId: string; format: 'xlsx' | 'pdf'; at: Date }): Promise<void> {
  await q.query('INSERT INTO oversight_report_download (report_id, user_id, format, at) VALUES ($1, $2, $3, $4)', [d.reportId, d.userId, d.format, d.at]);
}

export interface DownloadRow {
  userId: string;
  username: string;
  displayName: string;
  format: 'xlsx' | 'pdf';
  at: Date;
}

export async function listDownloads(q: Queryable, reportId: string): Promise<DownloadRow[]> {
  const r = await q.query<{ user_id: string; username: string; display_name: string; format: 'xlsx' | 'pdf'; at: Date }>(
    `SELECT d.user_id, u.username, u.display_name, d.format, d.at FROM oversight_report_download d JOIN app_user u ON u.id = d.user_id
      WHERE d.report_id = $1 ORDER BY d.at DESC, d.id DESC`,
    [reportId],
  );
  return r.rows.map((x) => ({ userId: x.user_id, username: x.username, displayName: x.display_name, format: x.format, at: new Date(x.at) }));
}

/** Agencies with at least one dossier received in [from, to): the ones a scheduled run reports on one by one. */
export async function agenciesWithDossiers(q: Queryable, from: Date, to: Date): Promise<string[]> {
  const r = await q.query<{ code: string }>(
    `SELECT DISTINCT a.code FROM dossier d JOIN agency a ON a.id = d.receiving_agency_id WHERE d.received_at >= $1 AND d.received_at < $2 ORDER BY a.code`,
    [from, to],
  );
  return r.rows.map((x) => x.code);
}

export async function procedureNames(q: Queryable, keys: readonly string[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const r = await q.query<{ key: string; name: string }>('SELECT key, name FROM procedure WHERE key = ANY($1::text[])', [[...keys]]);
  return new Map(r.rows.map((x) => [x.key, x.name]));
}
