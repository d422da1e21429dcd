/**
 * Periodic reports from what intake really records: the workbook (real XLSX, Vietnamese headers, formulas with
 * their values) and the PDF signed by the Center's seal say the same numbers as the indicators; downloads are
 * recorded; the schedule reports the month that ended, once.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { pdftotext } from '../../documents/nd30/testkit.ts';
import { WORLD, provisionDemoSigning } from '../../dossiers/testing.ts';
import { configuredTrustAnchors, signingEnvironment } from '../../identity/credentials/service.ts';
import { identityRoutes } from '../../identity/routes.ts';
import { createSignedInUser, insertTestAgency, type TestSession } from '../../identity/testing.ts';
import { buildApp, type RoomPlugin } from '../../platform/http/app.ts';
import type { AppContext } from '../../platform/context.ts';
import { validatePdf } from '../../signatures/validation/index.ts';
import { reportIndication } from '../../documents/rules.ts';
import { indicatorReport } from '../indicators/service.ts';
import { seedOversightWorld } from '../testing.ts';
import { reportRoutes } from './routes.ts';
import { nextMonthStart, percentText, periodEndingBefore, periodText, reportFileName } from './rules.ts';
import { SCHEDULED_REPORT_JOB, ensureReportSchedule, scheduledReportHandler, type ReportSummary } from './service.ts';

const vn = (local: string) => new Date(`${local}+07:00`);
const CENTER = '000.00.30.H26';
/**
 * Signing (uploads, the demo TSA) runs on the real clock and test certificates are valid from an hour ago, so the
 * dossiers are submitted and received within that hour and the reported period is this month; `RUN` is the
 * scheduled run that will report on it (the first instant of next month).
 */
const SUBMIT_AT = new Date(Date.now() - 50 * 60_000);
const RECEIVE_AT = new Date(Date.now() - 40 * 60_000);
const RUN = nextMonthStart(RECEIVE_AT);
const PERIOD = periodEndingBefore(RUN).month;
const QUARTER = periodEndingBefore(RUN).quarter;

describe('report rules', () => {
  it('names periods as the title says them and reports the month (and quarter) that ended', () => {
    expect(periodText('2026-11')).toBe('tháng 11/2026');
    expect(periodText('2026-Q4')).toBe('quý IV/2026');
    expect(() => periodText('2026-13x')).toThrow(RangeError);
    expect(periodEndingBefore(vn('2026-12-01T00:00'))).toEqual({ month: '2026-11', quarter: null });
    expect(periodEndingBefore(vn('2027-01-01T00:30'))).toEqual({ month: '2026-12', quarter: '2026-Q4' });
    expect(periodEndingBefore(vn('2027-04-01T06:00'))).toEqual({ month: '2027-03', quarter: '2027-Q1' });
    // 23:30 on 31 March in Hà Nội is still March there: the month that ended is February.
    expect(periodEndingBefore(vn('2027-03-31T23:30'))).toEqual({ month: '2027-02', quarter: null });
    expect(nextMonthStart(vn('2026-12-31T23:59'))).toEqual(vn('2027-01-01T00:00'));
    expect(nextMonthStart(vn('2027-01-01T00:00'))).toEqual(vn('2027-02-01T00:00'));
  });

  it('writes rates with a decimal comma and file names without diacritics', () => {
    expect(percentText(0.8567)).toBe('85,7 %');
    expect(percentText(null)).toBe('—');
    expect(reportFileName({ period: { label: '2026-Q4', from: new Date(0), to: new Date(0), kind: 'quarter' }, scope: { agencyCode: null, name: 'x' } }, 'xlsx')).toBe(
      'bao-cao-2026-q4-toan-he-thong.xlsx',
    );
    expect(reportFileName({ period: { label: '2026-11', from: new Date(0), to: new Date(0), kind: 'month' }, scope: { agencyCode: '000.01.30.H26', name: 'x' } }, 'pdf')).toBe(
      'bao-cao-2026-11-000-01-30-H26.pdf',
    );
  });
});

describe('periodic reports', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  const s: Record<string, TestSession> = {};

  beforeAll(async () => {
    ctx = await createTestContext({ demo: true, webDist: '/nonexistent-web-dist' });
    await seedOversightWorld(ctx, { submitted: 3, received: 2, submitAt: SUBMIT_AT, receiveAt: RECEIVE_AT });
    ctx.setNow(null);
    const root = (await ctx.db.query<{ id: string }>('SELECT id FROM agency WHERE code = $1', [WORLD.root])).rows[0]!.id;
    await insertTestAgency(ctx, { code: CENTER, name: 'Trung tâm Phục vụ hành chính công (thử nghiệm)', kind: 'service_center', parentId: root });
    await provisionDemoSigning(ctx, [CENTER]);
    for (const role of ['supervisor', 'inspector', 'specialist'] as const) s[role] = await createSignedInUser(ctx, { role, agencyCode: CENTER, displayName: `Người ${role}` });
    const room: RoomPlugin = (a: FastifyInstance, o: { ctx: AppContext }) => reportRoutes(a, { ...o, sealAgencyCode: CENTER });
    app = await buildApp(ctx, { rooms: [identityRoutes, room], logger: false });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  async function generate(body: object, who = s.supervisor!) {
    return app.inject({ method: 'POST', url: '/api/oversight/reports', headers: who.headers, payload: body });
  }

  it('generates the month for the whole installation: a real workbook and a sealed PDF with the indicators’ numbers', async () => {
    const res = await generate({ period: PERIOD });
    expect(res.statusCode, res.body).toBe(201);
    const report = res.json() as ReportSummary;
    expect(report).toMatchObject({ period: PERIOD, agencyCode: null, scopeName: 'UBND Thành phố (thử nghiệm)', downloads: 0 });
    const expected = await indicatorReport(ctx, { period: PERIOD });

    const xlsx = await app.inject({ url: `/api/oversight/reports/${report.id}/files/xlsx`, headers: s.inspector!.headers });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toBe(`attachment; filename="bao-cao-${PERIOD}-toan-he-thong.xlsx"`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Chỉ số 766', 'Chỉ thị 08', 'Theo cơ quan']);
    const ws = wb.getWorksheet('Chỉ số 766')!;
    expect(ws.getRow(5).values).toEqual([undefined, 'Mã', 'Chỉ số', 'Tử số', 'Mẫu số', 'Tỷ lệ', 'Điểm', 'Điểm tối đa']);
    expect(ws.getCell('A6').value).toBe('2.1');
    expect(ws.getCell('B6').value).toBe('Giải quyết đúng hạn');
    expect(ws.getCell('C6').value).toBe(expected.index766.indicators['2.1'].numerator);
    expect(ws.getCell('D6').value).toBe(expected.index766.indicators['2.1'].denominator);
    expect(ws.getCell('E6').value).toEqual({ formula: 'IF(D6=0,"",C6/D6)', result: expected.index766.indicators['2.1'].rate });
    // 4.1 has no result to judge: blank rate and points, and the maximum counts only what could be scored.
    expect(ws.getCell('A8').value).toBe('4.1');
    expect(ws.getCell('E8').value).toMatchObject({ formula: 'IF(D8=0,"",C8/D8)' });
    expect((ws.getCell('E8').value as { result?: unknown }).result ?? '').toBe('');
    expect(ws.getCell('F8').value).toBeNull();
    expect(ws.getCell('F12').value).toEqual({ formula: 'SUM(F6:F11)', result: expected.index766.points });
    expect((ws.getCell('G12').value as { result: number }).result).toBe(expected.index766.maxPoints);
    const groups = wb.getWorksheet('Theo cơ quan')!;
    expect([groups.getCell('A6').value, groups.getCell('B6').value, groups.getCell('E6').value, groups.getCell('F6').value]).toEqual(['Chi nhánh một cửa số 1', WORLD.branch, 2, 2]);

    const pdf = await app.inject({ url: `/api/oversight/reports/${report.id}/files/pdf`, headers: s.supervisor!.headers });
    expect(pdf.statusCode).toBe(200);
    const bytes = new Uint8Array(pdf.rawPayload);
    const signing = await signingEnvironment(ctx);
    const validation = await validatePdf(bytes, { trustAnchors: [...signing.trustAnchors, ...(await configuredTrustAnchors(ctx))], at: ctx.now() });
    expect(reportIndication(validation)).toBe('TOTAL_PASSED');
    const text = pdftotext(bytes);
    expect(text).toBe(text.normalize('NFC'));
    expect(text).toContain('TRUNG TÂM PHỤC VỤ HÀNH'); // the issuer, in the header's left column (wrapped)
    expect(text).toContain('BÁO CÁO');
    expect(text).toContain(periodText(PERIOD));
    expect(text).toContain('Giải quyết đúng hạn');
    expect(text).toContain('Biểu đồ: tỷ lệ giải quyết đúng hạn');
    expect(text).toContain(`${expected.index766.points}/${expected.index766.maxPoints} điểm`);
    expect(text).toContain('Chi nhánh một cửa số 1');

    const history = await app.inject({ url: `/api/oversight/reports/${report.id}/downloads`, headers: s.supervisor!.headers });
    expect((history.json() as { items: { user: { username: string }; format: string }[] }).items.map((d) => [d.user.username, d.format])).toEqual([
      [s.supervisor!.principal.username, 'pdf'],
      [s.inspector!.principal.username, 'xlsx'],
    ]);
    const audit = await ctx.db.query<{ type: string }>(`SELECT type FROM audit_event WHERE subject_type = 'oversight_report' AND subject_id = $1 ORDER BY seq`, [report.id]);
    expect(audit.rows.map((r) => r.type)).toEqual(['oversight.report_generated', 'oversight.report_downloaded', 'oversight.report_downloaded']);
    const list = await app.inject({ url: `/api/oversight/reports?period=${PERIOD}`, headers: s.inspector!.headers });
    expect((list.json() as { items: ReportSummary[] }).items.map((r) => [r.id, r.downloads])).toEqual([[report.id, 2]]);
  }, 120_000);

  it('limits a report to one agency, broken down by procedure', async () => {
    const quarter = `${PERIOD.slice(0, 4)}-Q${Math.ceil(Number(PERIOD.slice(5)) / 3)}`;
    const res = await generate({ period: quarter, agency: WORLD.branch });
    expect(res.statusCode).toBe(201);
    const report = res.json() as ReportSummary;
    expect(report).toMatchObject({ period: quarter, agencyCode: WORLD.branch, scopeName: 'Chi nhánh một cửa số 1' });
    const xlsx = await app.inject({ url: `/api/oversight/reports/${report.id}/files/xlsx`, headers: s.supervisor!.headers });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Theo thủ tục')!;
    expect([ws.getCell('A6').value, ws.getCell('B6').value]).toEqual(['Cấp giấy phép thử nghiệm', WORLD.procedure]);
  }, 120_000);

  it('refuses bad input precisely and lets only overseers in', async () => {
    const future = await generate({ period: `${new Date().getUTCFullYear() + 1}-12` });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ code: 'REPORT_PERIOD_NOT_ENDED' });
    const unknown = await generate({ period: PERIOD, agency: '999.99.99.H99' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'REPORT_AGENCY_UNKNOWN' });
    expect((await generate({ period: '2027-3' })).statusCode).toBe(400);
    expect((await generate({ period: PERIOD }, s.inspector!)).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/oversight/reports', headers: s.specialist!.headers })).statusCode).toBe(403);
    const missing = await app.inject({ url: '/api/oversight/reports/00000000-0000-4000-8000-000000000000/files/pdf', headers: s.supervisor!.headers });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'REPORT_NOT_FOUND' });
  });

  it('the schedule reports the month (and quarter) that ended once, for the installation and each agency, and queues the next run', async () => {
    await ensureReportSchedule(ctx);
    await ensureReportSchedule(ctx); // every start-up calls it: still one job, for the next month's run
    const pending = await ctx.db.query<{ run_at: Date }>('SELECT run_at FROM job WHERE type = $1', [SCHEDULED_REPORT_JOB]);
    expect(pending.rows.map((j) => new Date(j.run_at).toISOString())).toEqual([nextMonthStart(new Date()).toISOString()]);
    // The run as the job runner will call it when it is due (the test does not wait for next month).
    const run = scheduledReportHandler({ agencyCode: CENTER });
    const job = { id: 'run', type: SCHEDULED_REPORT_JOB, payload: { runAt: RUN.toISOString() }, attempt: 1, maxAttempts: 5 };
    await run(ctx, job);
    const made = async () =>
      (await ctx.db.query<{ period: string; agency_code: string | null }>('SELECT period, agency_code FROM oversight_report WHERE generated_by IS NULL ORDER BY period, agency_code NULLS FIRST')).rows.map(
        (r) => [r.period, r.agency_code],
      );
    const expected = [[PERIOD, null], [PERIOD, WORLD.branch], ...(QUARTER ? [[QUARTER, null], [QUARTER, WORLD.branch]] : [])];
    expect(await made()).toEqual(expected);
    // A retried run (its lease lost after the work) makes nothing twice.
    await run(ctx, { ...job, attempt: 2 });
    expect(await made()).toEqual(expected);
    const jobs = await ctx.db.query<{ run_at: Date; state: string }>('SELECT run_at, state FROM job WHERE type = $1 ORDER BY run_at', [SCHEDULED_REPORT_JOB]);
    expect(jobs.rows.map((j) => [new Date(j.run_at).toISOString(), j.state])).toEqual([
      [RUN.toISOString(), 'pending'],
      [nextMonthStart(RUN).toISOString(), 'pending'],
    ]);
  }, 180_000);
});
