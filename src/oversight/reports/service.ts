/**
 * Periodic reports: generated on demand by a supervisor or by the monthly schedule, from the indicators of the
 * period (never from typed figures), as an XLSX workbook and a PDF signed by the Center's seal; both are stored as
 * documents, every download is recorded and audited.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../identity/access.ts';
import { issueSignedDocument, recordIssuedDocument } from '../../documents/issue.ts';
import { insertDocument } from '../../documents/store.ts';
import * as catalogStore from '../../catalog/store.ts';
import type { AppContext } from '../../platform/context.ts';
import { defineError, Problems } from '../../platform/http/problem.ts';
import { enqueueJob, type JobHandler } from '../../platform/jobs/index.ts';
import { appendAuditEvent } from '../audit/store.ts';
import { indicatorReport, parsePeriod } from '../indicators/service.ts';
import { reportDocument } from './document.ts';
import { nextMonthStart, periodEndingBefore, reportFileName, reportModel, type ReportModel, type ReportSummary } from './rules.ts';

export type { ReportSummary } from './rules.ts';
import * as store from './store.ts';
import { reportWorkbook } from './xlsx.ts';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const ReportErrors = {
  periodNotEnded: defineError('REPORT_PERIOD_NOT_ENDED', 400, {
    vi: 'Kỳ báo cáo chưa bắt đầu; chỉ lập báo cáo cho kỳ đã bắt đầu',
    en: 'The report period has not started yet',
  }),
  unknownAgency: defineError('REPORT_AGENCY_UNKNOWN', 400, {
    vi: 'Không có cơ quan, đơn vị với mã này',
    en: 'No agency has this code',
  }),
  notFound: defineError('REPORT_NOT_FOUND', 404, {
    vi: 'Không tìm thấy báo cáo',
    en: 'Report not found',
  }),
};


function summaryOf(r: store.ReportRecord): ReportSummary {
  const model = r.figures as { scope?: { name?: string } };
  const named = { period: { label: r.period }, scope: { agencyCode: r.agencyCode } } as Pick<ReportModel, 'period' | 'scope'>;
  return {
    id: r.id,
    period: r.period,
    agencyCode: r.agencyCode,
    scopeName: model.scope?.name ?? r.agencyCode ?? '',
    asOf: r.asOf.toISOString(),
    generatedAt: r.generatedAt.toISOString(),
    generatedBy: r.generatedBy ? { id: r.generatedBy, name: r.generatedByName } : null,
    downloads: r.downloads,
    files: { xlsx: reportFileName(named, 'xlsx'), pdf: reportFileName(named, 'pdf') },
  };
}

/**
 * Generates and stores one report for `period`, for the whole installation or one receiving agency. Rendering and
 * signing happen before the transaction (the blobs first); the document rows, the report and its audit event
 * commit together. `by` null = the schedule.
 */
export async function generateReport(
  ctx: AppContext,
  by: Principal | null,
  input: { period: string; agencyCode?: string | null },
  seal: { agencyCode: string },
): Promise<ReportSummary> {
  const now = ctx.now();
  const period = parsePeriod(input.period);
  if (period.from.getTime() > now.getTime()) throw ReportErrors.periodNotEnded({ period: input.period });
  const center = await catalogStore.getAgency(ctx.db, seal.agencyCode);
  if (!center) throw Problems.internal({ reason: 'the seal agency is missing' });
  const parent = center.parentId ? await catalogStore.getAgency(ctx.db, center.parentId) : null;
  const agencyCode = input.agencyCode ?? null;
  // The whole installation is the governing body's (the city People's Committee) area.
  let scopeName = parent?.name ?? center.name;
  if (agencyCode) {
    const agency = await catalogStore.getAgency(ctx.db, agencyCode);
    if (!agency) throw ReportErrors.unknownAgency({ agency: agencyCode });
    scopeName = agency.name;
  }
  const indicators = await indicatorReport(ctx, { period: input.period, dimension: agencyCode ? 'procedure' : 'agency', agencyCodes: agencyCode ? [agencyCode] : null });
  const names = agencyCode ? await store.procedureNames(ctx.db, (indicators.groups?.items ?? []).map((g) => g.key)) : new Map<string, string>();
  const model = reportModel(indicators, { agencyCode, name: scopeName }, names);
  const meta = { governingBody: parent?.name ?? center.name, issuer: center.name, place: 'Hà Nội', generatedAt: now };

  const xlsx = await reportWorkbook(model, meta);
  const xlsxBlob = await ctx.blobs.put(xlsx);
  const pdf = await issueSignedDocument(ctx, {
    document: reportDocument(model, meta),
    signers: [{ owner: { agencyId: center.id }, appearance: 'invisible', reason: 'Đóng dấu báo cáo định kỳ', location: meta.place }],
    now,
  });
  const id = randomUUID();
  const xlsxId = randomUUID();
  await ctx.db.tx(async (q) => {
    await recordIssuedDocument(q, pdf, { createdBy: by?.userId ?? null, at: now });
    await insertDocument(q, { id: xlsxId, blob: { sha256: xlsxBlob.sha256, size: xlsxBlob.size, mediaType: XLSX_MEDIA_TYPE }, pages: null, origin: 'issued', createdBy: by?.userId ?? null, at: now });
    await store.insertReport(q, {
      id,
      period: period.label,
      agencyCode,
      asOf: model.asOf,
      figures: model,
      xlsxDocumentId: xlsxId,
      pdfDocumentId: pdf.id,
      generatedBy: by?.userId ?? null,
      generatedAt: now,
    });
    await appendAuditEvent(q, {
      type: 'oversight.report_generated',
      at: now,
      actor: by ? { userId: by.userId, role: by.role } : null,
      agencyId: center.id,
      subjectType: 'oversight_report',
      subjectId: id,
      data: { period: period.label, agency: agencyCode, pdfSha256: pdf.blob.sha256, xlsxSha256: xlsxBlob.sha256, signers: pdf.signers, scheduled: by === null },
    });
  });
  const record = await store.getReport(ctx.db, id);
  return summaryOf(record!);
}

export async function listReports(ctx: AppContext, filter: { period?: string; agencyCode?: string | null; limit: number; offset: number }): Promise<ReportSummary[]> {
  return (await store.listReports(ctx.db, filter)).map(summaryOf);
}

/** The file of a report, recorded in its download history and the audit log. */
export async function downloadReport(
  ctx: AppContext,
  principal: Principal,
  id: string,
  format: 'xlsx' | 'pdf',
): Promise<{ bytes: Uint8Array; mediaType: string; fileName: string }> {
  const r = await store.getReport(ctx.db, id);
  if (!r) throw ReportErrors.notFound({ id });
  const docId = format === 'xlsx' ? r.xlsxDocumentId : r.pdfDocumentId;
  const doc = (await ctx.db.query<{ blob_sha256: string; media_type: string }>('SELECT blob_sha256, media_type FROM document WHERE id = $1', [docId])).rows[0]!;
  const bytes = await ctx.blobs.get(doc.blob_sha256);
  const now = ctx.now();
  await ctx.db.tx(async (q) => {
    await store.insertDownload(q, { reportId: id, userId: principal.userId, format, at: now });
    await appendAuditEvent(q, {
      type: 'oversight.report_downloaded',
      at: now,
      actor: { userId: principal.userId, role: principal.role },
      agencyId: principal.agencyId,
      subjectType: 'oversight_report',
      subjectId: id,
      data: { format, sha256: doc.blob_sha256 },
    });
  });
  return { bytes, mediaType: doc.media_type, fileName: summaryOf(r).files[format] };
}

export async function reportDownloads(ctx: AppContext, id: string): Promise<store.DownloadRow[]> {
  if (!(await store.getReport(ctx.db, id))) throw ReportErrors.notFound({ id });
  return store.listDownloads(ctx.db, id);
}

// ---------------------------------------------------------------------------------------------------------------
// The schedule

export const SCHEDULED_REPORT_JOB = 'oversight.reports.scheduled';

/**
 * Makes sure the next scheduled run is queued: one job per month, due at the first instant of the next month
 * (Vietnam time). Idempotent (dedupe key = the run's month), so every start-up may call it.
 */
export async function ensureReportSchedule(ctx: AppContext): Promise<void> {
  const runAt = nextMonthStart(ctx.now());
  await enqueueJob(ctx.db, { type: SCHEDULED_REPORT_JOB, payload: { runAt: runAt.toISOString() }, runAt, dedupeKey: runAt.toISOString() }, ctx.now());
}

/**
 * A scheduled run: the month that ended (and the quarter, at a quarter's end) for the whole installation and for
 * every receiving agency that had dossiers in it, then the next run is queued. What the schedule already made for a
 * period and scope (an earlier attempt of this run) is not made twice.
 */
export function scheduledReportHandler(seal: { agencyCode: string }): JobHandler {
  return async (ctx, job) => {
    const runAt = new Date(String((job.payload as { runAt?: string }).runAt ?? ctx.now().toISOString()));
    const { month, quarter } = periodEndingBefore(runAt);
    for (const label of [month, ...(quarter ? [quarter] : [])]) {
      const period = parsePeriod(label);
      const scopes: (string | null)[] = [null, ...(await store.agenciesWithDossiers(ctx.db, period.from, period.to))];
      for (const agencyCode of scopes) {
        // The schedule reports a period and scope once; a supervisor may still generate more on demand.
        const done = await store.listReports(ctx.db, { period: label, agencyCode, limit: 50, offset: 0 });
        if (done.some((r) => r.generatedBy === null)) continue;
        await generateReport(ctx, null, { period: label, agencyCode }, seal);
      }
    }
    const next = nextMonthStart(runAt);
    await enqueueJob(ctx.db, { type: SCHEDULED_REPORT_JOB, payload: { runAt: next.toISOString() }, runAt: next, dedupeKey: next.toISOString() }, ctx.now());
  };
}
