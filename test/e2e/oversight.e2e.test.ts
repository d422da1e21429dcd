/**
 * Oversight in the browser: a citizen reports, without signing in, being asked for paper for a received dossier;
 * the supervisor's dashboard loads with the month's indicators computed from real dossiers, and the report is in
 * the violations register.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob, runJobsUntilIdle } from '../../src/platform/jobs/index.ts';
import { roomJobHandlers } from '../../src/platform/rooms.ts';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { reportIndication } from '../../src/documents/rules.ts';
import { signingEnvironment } from '../../src/identity/credentials/service.ts';
import { validatePdf } from '../../src/signatures/validation/index.ts';
import { currentMonth, periodLabel } from '../../web/src/oversight/model.ts';
import { seedOversightWorld, type OversightWorld } from '../../src/oversight/testing.ts';
import { auditPage } from './a11y.ts';
import { launchBrowser, screenshotPath, signIn, startHoso, type Hoso } from './harness.ts';

let hoso: Hoso;
let browser: Browser;
let world: OversightWorld;
const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };

beforeAll(async () => {
  [hoso, browser] = await Promise.all([startHoso(), launchBrowser()]);
  // Real dossiers through the intake services of the running server (submitted and received now).
  let clock: Date | null = null;
  const ctx = { ...hoso.server.ctx, now: () => clock ?? new Date(), setNow: (d: Date | null) => void (clock = d) };
  const now = new Date();
  world = await seedOversightWorld(ctx, { submitted: 3, received: 2, submitAt: now, receiveAt: new Date(now.getTime() + 60_000) });
});

afterAll(async () => {
  await browser?.close();
  await hoso?.close();
});

describe('oversight', () => {
  it("a citizen's report of being asked for paper reaches the register; the dashboard shows the month's indicators", async () => {
    const dossier = world.dossiers[0]!;
    const citizen = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    const page = await citizen.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${hoso.url}/phan-anh-giay-to?ma=${encodeURIComponent(dossier.code!)}`);
    await page.getByRole('heading', { level: 1, name: 'Phản ánh việc bị yêu cầu nộp giấy tờ' }).waitFor();
    expect(await page.getByLabel('Mã hồ sơ').inputValue()).toBe(dossier.code);
    // A wrong secret is refused with a clear message and nothing is recorded.
    await page.getByLabel('Mã tra cứu').fill('sai-ma');
    await page.getByLabel('Nội dung phản ánh').fill('Cán bộ yêu cầu nộp bản sao giấy khai sinh có chứng thực.');
    await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
    await page.getByText('Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập').waitFor();
    await page.getByLabel('Mã tra cứu').fill(dossier.secret);
    await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
    await page.getByText(/Đã ghi nhận phản ánh\. Mã phản ánh: [0-9a-f-]{36}/).waitFor();
    expect(await auditPage(page, { minTarget: 44 })).toEqual([]);
    await page.screenshot({ path: await screenshotPath('oversight-paper-report-phone'), fullPage: true });
    expect(errors).toEqual([]);
    await citizen.close();

    const officer = await browser.newContext(DESKTOP);
    const desk = await officer.newPage();
    desk.on('pageerror', (e) => errors.push(e.message));
    await signIn(hoso, desk, 'supervisor');

    await desk.goto(`${hoso.url}/giam-sat`);
    await desk.getByRole('heading', { level: 1, name: 'Giám sát thực hiện Chỉ thị 08' }).waitFor();
    const table = desk.getByRole('table', { name: /Bộ chỉ số QĐ 766\/QĐ-TTg/ });
    await table.waitFor();
    // 2.1 on time: the two received dossiers, both in progress and on time; 3.3: both online.
    const onTime = table.getByRole('row', { name: /Giải quyết đúng hạn/ });
    expect((await onTime.getByRole('cell').allTextContents()).slice(1, 4)).toEqual(['2', '2', '100,0%']);
    const online = table.getByRole('row', { name: /Hồ sơ nộp trực tuyến/ });
    expect((await online.getByRole('cell').allTextContents()).slice(1, 3)).toEqual(['2', '2']);
    // Today at a glance: the two received dossiers are in progress, neither late.
    const todayPanel = desk.getByRole('region', { name: /^Hôm nay, \d{2}\/\d{2}\/\d{4}$/ });
    const kpi = (label: string) => todayPanel.locator('.oversight-kpi', { has: desk.getByText(label, { exact: true }) }).locator('dd');
    expect(await kpi('Đang giải quyết').textContent()).toBe('2');
    expect(await kpi('Quá hạn').textContent()).toBe('0');
    // Drill-down: nobody is late, so the list of dossiers that miss 2.1 is empty.
    await onTime.getByRole('button', { name: 'Xem hồ sơ' }).click();
    await desk.getByText('Hồ sơ không đạt: 0').waitFor();
    expect(await auditPage(desk)).toEqual([]);
    await desk.screenshot({ path: await screenshotPath('oversight-dashboard-desktop'), fullPage: true });

    await desk.getByRole('link', { name: 'Mở sổ theo dõi vi phạm' }).click();
    await desk.getByRole('heading', { level: 1, name: 'Sổ theo dõi vi phạm' }).waitFor();
    const entry = desk.getByRole('article', { name: /Người dân phản ánh bị yêu cầu giấy tờ/ });
    await entry.waitFor();
    await expect(entry.textContent()).resolves.toContain(dossier.code!);
    await expect(entry.textContent()).resolves.toContain('Cán bộ yêu cầu nộp bản sao giấy khai sinh có chứng thực.');
    // The supervisor assigns it to themself.
    await entry.getByLabel('Giao cho (tên đăng nhập)').fill(hoso.logins.get('supervisor')!.username);
    await entry.getByRole('button', { name: 'Giao' }).click();
    await entry.getByText('Đã giao').waitFor();
    expect(await auditPage(desk)).toEqual([]);
    await desk.screenshot({ path: await screenshotPath('oversight-violations-desktop'), fullPage: true });
    expect(errors).toEqual([]);
    await officer.close();
  });

  it('the supervisor generates the month’s report and downloads the workbook and the sealed PDF; the download is in its history', async () => {
    const officer = await browser.newContext({ ...DESKTOP, acceptDownloads: true });
    const desk = await officer.newPage();
    const errors: string[] = [];
    desk.on('pageerror', (e) => errors.push(e.message));
    await signIn(hoso, desk, 'supervisor');
    await desk.goto(`${hoso.url}/giam-sat/bao-cao`);
    await desk.getByRole('heading', { level: 1, name: 'Báo cáo định kỳ' }).waitFor();
    const month = currentMonth();
    await desk.getByLabel('Kỳ báo cáo').selectOption(month);
    await desk.getByLabel('Phạm vi').selectOption('');
    await desk.getByRole('button', { name: 'Lập báo cáo' }).click();
    await desk.getByText(`Đã lập báo cáo ${periodLabel(month, 'vi').toLocaleLowerCase('vi')}.`).waitFor();
    const row = desk.getByRole('table', { name: 'Báo cáo đã lập, mới nhất trước' }).getByRole('row', { name: new RegExp(periodLabel(month, 'vi')) }).first();
    await row.waitFor();

    const [xlsxDownload] = await Promise.all([desk.waitForEvent('download'), row.getByRole('link', { name: /^Bảng tính XLSX/ }).click()]);
    expect(xlsxDownload.suggestedFilename()).toBe(`bao-cao-${month}-toan-he-thong.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await xlsxDownload.path())!);
    const sheet = wb.getWorksheet('Chỉ số 766')!;
    // 2.1: the two received dossiers of this month, on time.
    expect([sheet.getCell('A6').value, sheet.getCell('C6').value, sheet.getCell('D6').value]).toEqual(['2.1', 2, 2]);

    const [pdfDownload] = await Promise.all([desk.waitForEvent('download'), row.getByRole('link', { name: /^PDF có ký số/ }).click()]);
    const pdf = new Uint8Array(await readFile((await pdfDownload.path())!));
    const signing = await signingEnvironment(hoso.server.ctx);
    expect(reportIndication(await validatePdf(pdf, { trustAnchors: signing.trustAnchors }))).toBe('TOTAL_PASSED');

    await row.getByRole('button', { name: 'Lịch sử tải' }).click();
    // The history's own entries, not the row's links of the same name (waiting on those raced the list's arrival).
    const entries = row.getByRole('listitem');
    await entries.filter({ hasText: /Bảng tính XLSX/ }).waitFor();
    expect(await entries.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(`(${hoso.logins.get('supervisor')!.username}), Bảng tính XLSX`), expect.stringContaining('PDF có ký số')]),
    );
    // Two downloads, counted once the list is read again (the count arrives just after the history).
    await expect.poll(async () => (await row.getByRole('cell').allTextContents())[3]).toBe('2');
    expect(await auditPage(desk)).toEqual([]);
    await desk.screenshot({ path: await screenshotPath('oversight-reports-desktop'), fullPage: true });
    expect(errors).toEqual([]);
    await officer.close();
  });

  it('the operations view lists a failed background job with its error, and the supervisor queues it again', async () => {
    const ctx = hoso.server.ctx;
    // A receipt e-mail for a dossier that does not exist: its one attempt fails, as a job whose cause is gone would.
    const id = await enqueueJob(ctx.db, { type: 'receipt.email', payload: { dossierId: randomUUID() }, maxAttempts: 1 }, ctx.now());
    await runJobsUntilIdle(ctx, roomJobHandlers());
    const failed = async () => (await ctx.db.query<{ state: string }>('SELECT state FROM job WHERE id = $1', [id])).rows[0]!.state;
    expect(await failed()).toBe('failed');

    const officer = await browser.newContext(DESKTOP);
    const desk = await officer.newPage();
    const errors: string[] = [];
    desk.on('pageerror', (e) => errors.push(e.message));
    await signIn(hoso, desk, 'supervisor');
    await desk.goto(`${hoso.url}/van-hanh`);
    await desk.getByRole('heading', { level: 1, name: 'Vận hành: tác vụ nền' }).waitFor();
    const row = desk.getByRole('row', { name: /Gửi thư Giấy tiếp nhận/ }).first();
    await expect(row.textContent()).resolves.toMatch(/Thất bại.*1\/1/s);
    await expect(row.textContent()).resolves.toContain('SMTP');
    expect(await auditPage(desk)).toEqual([]);
    await desk.screenshot({ path: await screenshotPath('operations-desktop'), fullPage: true });
    await row.getByRole('button', { name: 'Chạy lại' }).click();
    await desk.getByText('Đã xếp tác vụ chạy lại.').waitFor();
    const retried = await ctx.db.query<{ type: string; actor_id: string }>(`SELECT type, actor_id FROM audit_event WHERE type = 'job.retried' AND subject_id = $1`, [id]);
    expect(retried.rows).toHaveLength(1);
    expect(errors).toEqual([]);
    await officer.close();
  });
});
