/**
 * Processing in the browser (issue 5, "Must show"): a received dossier of a real seeded procedure goes from the
 * Health leader (assignment) to a specialist, who drafts the result from the procedure’s template (the pharmacist’s
 * certificate in the ND 30 layout, filled from the dossier) and asks once for a supplement (form 02,
 * only the missing component is offered); the citizen supplements it on a phone; the specialist transfers the
 * dossier to the Department of Justice for an opinion; the Justice specialist hands it back; the Health leader
 * reviews, approves and signs the result (status 9). The control sheet lists every hand-over with its mark, on
 * screen and in the form 06 PDF. Then (issue 6) an anonymous visitor verifies the signed result on the public page,
 * the result is in the citizen's e-store, the citizen's next dossier reuses it without uploading anything, and after
 * the leader revokes it the public page says "revoked".
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { demoPkiOfCredentials } from '../../src/identity/credentials/service.ts';
import { signInAs } from '../../src/identity/testing.ts';
import * as intake from '../../src/dossiers/service.ts';
import { TINY_JPEG, samplePdf } from '../../src/dossiers/testing.ts';
import * as processing from '../../src/dossiers/processing/service.ts';
import { P12Backend } from '../../src/signatures/keys/index.ts';
import { signPdf } from '../../src/signatures/signing/index.ts';
import { auditPage } from './a11y.ts';
import { launchBrowser, screenshotPath, signIn, startHoso, type Hoso } from './harness.ts';

const PROCEDURE = 'syt-cchn-duoc-cap-lai';
const OPTIONAL = 'certificate-copy';
const BRANCH = '000.01.30.H26';
const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };

/** The self-declared application of the demo procedure, as the citizen types it. */
const APPLICATION = {
  fullName: 'Nguyễn Văn An',
  dateOfBirth: '1985-03-14',
  personalId: '001085012345',
  address: 'Số 1 Tràng Tiền, phường Hoàn Kiếm, Hà Nội',
  phone: '0912345678',
  certificateNumber: 'CCHN-0123/HNO',
  reason: 'damaged',
};

let hoso: Hoso;
let browser: Browser;
let dir: string;
let dossierId: string;
let code: string;
let ecopy: Uint8Array;

async function userId(username: string): Promise<string> {
  const r = await hoso.server.ctx.db.query<{ id: string }>('SELECT id FROM app_user WHERE username = $1', [username]);
  return r.rows[0]!.id;
}

beforeAll(async () => {
  [hoso, browser] = await Promise.all([startHoso(), launchBrowser()]);
  dir = await mkdtemp(join(tmpdir(), 'hoso-e2e-processing-'));
  const ctx = hoso.server.ctx;
  // An e-copy from the register, signed under the running server's demo PKI: what the citizen supplements.
  const pki = await demoPkiOfCredentials(ctx);
  const person = Object.values(pki.people)[0]!;
  const signer = await P12Backend.fromFile(person.p12Path, person.password);
  ecopy = (await signPdf(await samplePdf('Ban sao chung chi hanh nghe duoc'), { signer, level: 'B-B', trustAnchors: pki.trustAnchors, reason: 'Bản sao từ sổ gốc' })).bytes;
  // Submitted and received through the service (the browser flows of intake have their own tests).
  const citizen = await signInAs(ctx, await userId('citizen'));
  const submitted = await intake.submitOnline(ctx, citizen.principal, {
    procedure: PROCEDURE,
    receivingAgency: BRANCH,
    components: [{ key: 'application', form: APPLICATION }],
  }, []);
  dossierId = submitted.body.id;
  const counter = await signInAs(ctx, await userId('counter'));
  code = (await intake.receiveDossier(ctx, counter.principal, dossierId)).code!;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await hoso?.close();
});

/** Each officer in a browser context of their own (their own session cookie). */
async function officer(username: string): Promise<Page> {
  const context: BrowserContext = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  const login = hoso.users.get(username)!;
  await signIn(hoso, page, login.role, username);
  return page;
}

/** Opens the dossier from the caller's inbox, by its code. */
async function openFromInbox(page: Page, path = '/xu-ly'): Promise<void> {
  await page.goto(`${hoso.url}${path}`);
  await page.getByRole('link', { name: new RegExp(code) }).click();
  await page.getByRole('heading', { level: 1, name: code }).waitFor();
}

async function section(page: Page, legend: string) {
  return page.locator('fieldset').filter({ has: page.locator('legend', { hasText: legend }) });
}

async function expectDone(page: Page): Promise<void> {
  await page.getByText(/Đã thực hiện\./).waitFor({ timeout: 60_000 });
}

describe('processing', () => {
  it('reception → specialist → supplement → citizen supplements → transfer and back → approval → status 9, with the control sheet', async () => {
    const errors: string[] = [];

    // 1. The Health leader hands the assignment step to the specialist.
    const leader = await officer('leader');
    leader.on('pageerror', (e) => errors.push(e.message));
    await leader.goto(`${hoso.url}/xu-ly`);
    await leader.getByRole('heading', { level: 1, name: 'Hồ sơ cần xử lý' }).waitFor();
    const row = leader.getByRole('row', { name: new RegExp(code) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Trong hạn');
    expect(await auditPage(leader)).toEqual([]);
    await openFromInbox(leader);
    const hand = await section(leader, 'Hoàn thành bước, chuyển bước tiếp theo');
    await hand.getByLabel('Giao bước tiếp theo cho').selectOption({ label: 'Hoàng Thu Hà (Chuyên viên)' });
    await hand.getByRole('button', { name: 'Hoàn thành bước, chuyển bước tiếp theo' }).click();
    await expectDone(leader);
    expect(await auditPage(leader)).toEqual([]);
    await leader.screenshot({ path: await screenshotPath('processing-workspace-leader'), fullPage: true });

    // 2. The specialist drafts the result from the procedure's template (the certificate, filled from the dossier)
    // and asks once for the missing copy (form 02).
    const specialist = await officer('specialist');
    await openFromInbox(specialist);
    await expect(specialist.getByTestId('assignee').textContent()).resolves.toBe('Hoàng Thu Hà');
    const drafting = await section(specialist, 'Soạn dự thảo kết quả từ mẫu');
    await drafting.getByRole('button', { name: 'Mở mẫu' }).click();
    await drafting.getByText('Mẫu kết quả của thủ tục').waitFor();
    await drafting.getByLabel(/^Văn bằng chuyên môn/).fill('Dược sĩ đại học');
    await drafting.getByLabel(/^Phạm vi hoạt động chuyên môn/).fill('Người chịu trách nhiệm chuyên môn về dược của cơ sở bán lẻ thuốc');
    expect(await auditPage(specialist)).toEqual([]);
    await drafting.getByRole('button', { name: 'Tạo dự thảo' }).click();
    await expectDone(specialist);
    await specialist.getByRole('link', { name: 'Dự thảo Chứng chỉ hành nghề dược (cấp lại/điều chỉnh)' }).waitFor();
    const supp = await section(specialist, 'Yêu cầu bổ sung hồ sơ');
    // Only the missing component is offered: the valid form cannot be asked for again.
    await expect(supp.getByRole('checkbox').count()).resolves.toBe(1);
    await supp.getByRole('checkbox').check();
    await supp.getByLabel(/Lý do, nội dung cần bổ sung/).fill('Đề nghị cung cấp bản sao Chứng chỉ đã cấp để đối chiếu nội dung điều chỉnh.');
    await supp.getByRole('button', { name: 'Gửi yêu cầu bổ sung' }).click();
    await expectDone(specialist);
    await specialist.getByText('Đang tạm dừng: chờ tổ chức, cá nhân bổ sung.').waitFor();

    // 3. The citizen supplements on a phone; form 02 is there, signed.
    const phone = await browser.newContext(PHONE);
    const citizen = await phone.newPage();
    await signIn(hoso, citizen, 'citizen');
    await citizen.goto(`${hoso.url}/ho-so-cua-toi/${dossierId}`);
    await citizen.getByRole('heading', { level: 2, name: 'Yêu cầu bổ sung hồ sơ' }).waitFor();
    await citizen.getByTestId('form-02').waitFor();
    await writeFile(join(dir, 'ban-sao.pdf'), ecopy);
    await citizen.locator(`#c-${OPTIONAL}`).waitFor();
    const fileInput = citizen.locator(`input[type="file"]`).first();
    await fileInput.setInputFiles(join(dir, 'ban-sao.pdf'));
    await citizen.getByRole('button', { name: 'Gửi thành phần hoàn thiện' }).click();
    await citizen
      .getByText(/Bạn đã bổ sung hồ sơ ngày/)
      .waitFor({ timeout: 60_000 })
      .catch(async (e: unknown) => {
        await citizen.screenshot({ path: await screenshotPath('processing-supplement-failed'), fullPage: true });
        throw e;
      });
    expect(await auditPage(citizen, { minTarget: 44 })).toEqual([]);

    // 4. The specialist transfers it to the Department of Justice for an opinion, to come back after.
    await specialist.reload();
    await specialist.getByRole('heading', { level: 1, name: code }).waitFor();
    const transfer = await section(specialist, 'Chuyển liên thông sang cơ quan khác');
    await transfer.getByRole('combobox', { name: /^Cơ quan nhận/ }).selectOption({ label: 'Sở Tư pháp thành phố Hà Nội' });
    await transfer.getByLabel('Lý do chuyển').fill('Lấy ý kiến về lý lịch tư pháp của người đề nghị');
    await transfer.getByRole('button', { name: 'Chuyển hồ sơ' }).click();
    await expectDone(specialist);

    // 5. The Justice specialist gives the opinion and hands it back.
    const justice = await officer('specialist.tp');
    await openFromInbox(justice);
    await (await section(justice, 'Hoàn thành bước, chuyển bước tiếp theo')).getByRole('button', { name: 'Hoàn thành bước, chuyển bước tiếp theo' }).click();
    await expectDone(justice);

    // 6. The Health leader reviews, approves (from the approval queue) and signs the result.
    await openFromInbox(leader);
    await (await section(leader, 'Hoàn thành bước, chuyển bước tiếp theo')).getByRole('button', { name: 'Hoàn thành bước, chuyển bước tiếp theo' }).click();
    await expectDone(leader);
    await openFromInbox(leader, '/phe-duyet');
    await (await section(leader, 'Phê duyệt')).getByRole('button', { name: 'Phê duyệt' }).click();
    await expectDone(leader);
    await (await section(leader, 'Ký số và ban hành kết quả')).getByRole('button', { name: 'Ký số và ban hành kết quả' }).click();
    await expectDone(leader);
    await leader.getByText('Đã xử lý xong').first().waitFor();
    const status = await hoso.server.ctx.db.query<{ portal_status: number }>('SELECT portal_status FROM dossier WHERE id = $1', [dossierId]);
    expect(status.rows[0]!.portal_status).toBe(9);

    // 7. The control sheet: one row per hand-over, each marked, on screen and in the form 06 PDF.
    const sheet = leader.getByRole('table', { name: /Phiếu kiểm soát quá trình giải quyết hồ sơ/ });
    const rows = sheet.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(7);
    const texts = await rows.allTextContents();
    expect(texts[2]).toContain('Sở Tư pháp');
    for (const t of texts.slice(1)) expect(t).toMatch(/Trước hạn|Đúng hạn/);
    expect(await auditPage(leader)).toEqual([]);
    await leader.screenshot({ path: await screenshotPath('processing-control-sheet'), fullPage: true });
    const pdf = await leader.request.get(`${hoso.url}/api/processing/dossiers/${dossierId}/control-sheet.pdf`);
    expect(pdf.status()).toBe(200);
    await writeFile(join(dir, 'phieu-kiem-soat.pdf'), await pdf.body());
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'phieu-kiem-soat.pdf'), '-'], { encoding: 'utf8' }).normalize('NFC');
    expect(text).toContain('PHIẾU KIỂM SOÁT');
    expect(text).toContain(code);
    expect(text).toContain('Sở Tư pháp');

    // 8. Anyone can verify the signed result on the public page, without signing in.
    const result = await hoso.server.ctx.db.query<{ id: string }>(`SELECT state->'result'->>'documentId' AS id FROM dossier WHERE id = $1`, [dossierId]);
    const resultPdf = await leader.request.get(`${hoso.url}/api/processing/dossiers/${dossierId}/documents/${result.rows[0]!.id}`);
    await writeFile(join(dir, 'ket-qua.pdf'), await resultPdf.body());
    const resultText = execFileSync('pdftotext', ['-layout', join(dir, 'ket-qua.pdf'), '-'], { encoding: 'utf8' });
    expect(resultText).toBe(resultText.normalize('NFC'));
    expect(resultText).toContain('CHỨNG CHỈ HÀNH NGHỀ DƯỢC');
    expect(resultText).toMatch(/Số: \d+\/CCHND-SYT/);
    expect(resultText).toContain('NGUYỄN VĂN AN');
    expect(resultText).toContain('Dược sĩ đại học');
    // The QR code opens the register's entry; the visitor checks the file they hold against it.
    const visitor = await (await browser.newContext(PHONE)).newPage();
    await visitor.goto(`${hoso.url}/xac-thuc/kq/${result.rows[0]!.id}`);
    await expect(visitor.getByTestId('registered').textContent({ timeout: 30_000 })).resolves.toContain('Còn hiệu lực');
    await visitor.getByLabel('Tệp PDF cần kiểm tra').setInputFiles(join(dir, 'ket-qua.pdf'));
    await visitor.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
    await expect(visitor.getByTestId('verdict').textContent({ timeout: 60_000 })).resolves.toMatch(/^Hợp lệ/);
    await expect(visitor.getByTestId('match').textContent()).resolves.toContain('trùng khớp với văn bản đã ban hành');
    await expect(visitor.getByTestId('registry').textContent()).resolves.toContain('Kết quả giải quyết thủ tục hành chính');
    expect(await auditPage(visitor, { minTarget: 44 })).toEqual([]);
    await visitor.screenshot({ path: await screenshotPath('verify-result'), fullPage: true });

    // 9. The result is in the citizen's e-store, and a second dossier reuses it without uploading anything.
    await citizen.goto(`${hoso.url}/kho-du-lieu`);
    const stored = citizen.getByRole('row', { name: /Chứng chỉ hành nghề dược \(cấp lại\/điều chỉnh\)/ });
    await expect(stored.textContent()).resolves.toContain('Còn hiệu lực');
    expect(await auditPage(citizen, { minTarget: 44 })).toEqual([]);
    await citizen.goto(`${hoso.url}/nop-ho-so?thu-tuc=${PROCEDURE}`);
    await citizen.getByLabel('Họ và tên').waitFor();
    await citizen.getByLabel('Nơi tiếp nhận hồ sơ').selectOption(BRANCH);
    await citizen.getByLabel('Họ và tên').fill('Nguyễn Văn An');
    await citizen.getByLabel('Ngày sinh').fill('14/03/1985');
    await citizen.getByLabel('Số định danh cá nhân (CCCD)').fill('001085012345');
    await citizen.getByLabel('Nơi cư trú').fill('Số 1 Tràng Tiền, phường Hoàn Kiếm, Hà Nội');
    await citizen.getByLabel('Số điện thoại').fill('0912 345 678');
    await citizen.getByLabel('Số Chứng chỉ hành nghề dược đã cấp').fill('CCHN-0123/HNO');
    await citizen.getByLabel('Lý do đề nghị').selectOption('amend');
    const reuse = citizen.locator(`[data-component="${OPTIONAL}"]`);
    await reuse.getByLabel('Cách nộp').selectOption('reuse');
    await reuse.getByLabel('Giấy tờ trong kho dữ liệu').selectOption({ index: 1 });
    await citizen.getByRole('button', { name: 'Xem lại hồ sơ' }).click();
    await citizen.getByRole('heading', { name: 'Xem lại trước khi nộp' }).waitFor();
    await citizen.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
    await citizen.getByRole('heading', { level: 1, name: 'Đã nộp hồ sơ' }).waitFor({ timeout: 60_000 });
    const second = await hoso.server.ctx.db.query<{ basis: string; document_id: string }>(
      `SELECT c.basis, c.document_id FROM dossier_component c JOIN dossier d ON d.id = c.dossier_id
        WHERE d.applicant_subject_id = '001085012345' AND d.id <> $1 AND c.component_key = $2 ORDER BY d.created_at DESC LIMIT 1`,
      [dossierId, OPTIONAL],
    );
    expect(second.rows[0]).toEqual({ basis: 'REUSED', document_id: result.rows[0]!.id });

    // 9b. The citizen downloads the result from the dossier page (its delivery, status 10), then rates the service.
    await citizen.goto(`${hoso.url}/ho-so-cua-toi/${dossierId}`);
    const download = citizen.waitForEvent('download');
    await citizen.getByTestId('result-link').click();
    await (await download).path();
    await citizen.reload();
    await citizen.getByRole('link', { name: 'Đánh giá mức độ hài lòng' }).click();
    await citizen.getByRole('radio', { name: 'Hài lòng', exact: true }).check();
    await citizen.getByLabel('Ý kiến thêm (không bắt buộc)').fill('Nhận kết quả điện tử nhanh, không phải đi lại.');
    expect(await auditPage(citizen, { minTarget: 44 })).toEqual([]);
    await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await expect(citizen.getByTestId('rating').textContent()).resolves.toContain('Cảm ơn bạn đã đánh giá');
    const rated = await hoso.server.ctx.db.query<{ rating: number }>('SELECT rating FROM dossier_rating WHERE dossier_id = $1', [dossierId]);
    expect(rated.rows[0]?.rating).toBe(4);

    // 10. The Health leader revokes the result; the public page says so at once.
    await leader.goto(`${hoso.url}/xu-ly/ho-so/${dossierId}`);
    const revoke = await section(leader, 'Thu hồi kết quả đã ban hành');
    await revoke.getByLabel('Lý do thu hồi').fill('Hậu kiểm phát hiện thông tin kê khai không đúng');
    await revoke.getByRole('button', { name: 'Thu hồi kết quả' }).click();
    await expectDone(leader);
    await leader.getByText(/Kết quả đã bị thu hồi ngày/).waitFor();
    await visitor.reload();
    await expect(visitor.getByTestId('registered').textContent({ timeout: 30_000 })).resolves.toContain('Đã bị thu hồi');
    await visitor.getByLabel('Tệp PDF cần kiểm tra').setInputFiles(join(dir, 'ket-qua.pdf'));
    await visitor.getByRole('button', { name: 'Kiểm tra', exact: true }).click();
    await expect(visitor.getByTestId('registry').textContent({ timeout: 60_000 })).resolves.toContain('ĐÃ BỊ THU HỒI');
    expect(await auditPage(visitor, { minTarget: 44 })).toEqual([]);
    expect(errors).toEqual([]);
  }, 300_000);

  it('the counter takes a supplement brought on paper: scanned, signed at reception again, the clock resumes', async () => {
    const ctx = hoso.server.ctx;
    const citizen = await signInAs(ctx, await userId('citizen'));
    const counter = await signInAs(ctx, await userId('counter'));
    const leader = await signInAs(ctx, await userId('leader'));
    const specialist = await signInAs(ctx, await userId('specialist'));
    const submitted = await intake.submitOnline(ctx, citizen.principal, { procedure: PROCEDURE, receivingAgency: BRANCH, components: [{ key: 'application', form: APPLICATION }] }, []);
    const id = submitted.body.id;
    await intake.receiveDossier(ctx, counter.principal, id);
    await processing.act(ctx, leader.principal, id, { type: 'complete_step' }, { assignTo: specialist.principal.userId });
    await processing.act(ctx, specialist.principal, id, { type: 'request_supplement', items: [{ componentKey: OPTIONAL, reason: 'Bản sao Chứng chỉ đã cấp' }] });

    const page = await officer('counter');
    await page.goto(`${hoso.url}/tiep-nhan/ho-so/${id}`);
    await page.getByRole('heading', { level: 2, name: 'Nhận bổ sung tại quầy' }).waitFor();
    await page.getByLabel(/Bản quét: /).setInputFiles({ name: 'trang-1.jpg', mimeType: 'image/jpeg', buffer: TINY_JPEG });
    expect(await auditPage(page)).toEqual([]);
    await page.getByRole('button', { name: 'Số hóa, ký số và nhận bổ sung' }).click();
    await page.getByText('Đã nhận bổ sung; hồ sơ tiếp tục được giải quyết.').waitFor({ timeout: 60_000 });
    const row = await ctx.db.query<{ status: string; basis: string; origin: string; signed: boolean }>(
      `SELECT d.status, c.basis, doc.origin, doc.signed_blob_sha256 IS NOT NULL AS signed
         FROM dossier d JOIN dossier_component c ON c.dossier_id = d.id AND c.component_key = $2 JOIN document doc ON doc.id = c.document_id WHERE d.id = $1`,
      [id, OPTIONAL],
    );
    expect(row.rows[0]).toEqual({ status: 'processing', basis: 'DIGITIZED_SIGNED', origin: 'scanned', signed: true });
  }, 180_000);
});
