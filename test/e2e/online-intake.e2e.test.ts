/**
 * Online intake in the browser (issue 4, first "Must show"): a citizen on a phone submits a dossier for a real seeded
 * procedure with a self-declared form, an e-certified PDF signed under the running server's demo PKI and photos of
 * two paper documents; on the e-certified component a photo, an untrusted and a tampered signed PDF are each refused
 * first with their Vietnamese reason next to the component, and nothing typed is lost. The counter officer receives it
 * from the online queue, which signs the photos' PDFs at that moment (DIGITIZED_SIGNED); the receipt PDF validates
 * TOTAL_PASSED in `hoso verify --json` and in pdfsig with an NSS db trusting only the demo root; the promised date on
 * screen is the calendar's. Finally the public status page answers with code + secret.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { procedureDueDate } from '../../src/catalog/service.ts';
import { demoPkiOfCredentials } from '../../src/identity/credentials/service.ts';
import { TINY_JPEG, createTestSigning, samplePdf, tamper } from '../../src/dossiers/testing.ts';
import { P12Backend } from '../../src/signatures/keys/index.ts';
import { hasPdfsig, makeNssDb, runPdfsig } from '../../src/signatures/signing/pdfsig.ts';
import { signPdf } from '../../src/signatures/signing/index.ts';
import { formatDate } from '../../web/src/lib/format.ts';
import { auditPage } from './a11y.ts';
import { REPO_ROOT, launchBrowser, screenshotPath, signIn, startHoso, type Hoso } from './harness.ts';

const PROCEDURE = 'syt-gcn-dkkd-duoc';
/** The e-certified copy; the two others are sent as photos, signed by the counter at reception. */
const COMPONENT = 'pharmacist-certificate';
const PHOTOS = ['technical-documents', 'business-registration'] as const;
const BRANCH = '000.01.30.H26'; // the demo counter officer's branch
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };
const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };
/** The receipt is signed at reception or by the retry job: wait for it, but not forever. */
const RECEIPT_WAIT_MS = 60_000;

let hoso: Hoso;
let browser: Browser;
let trusted: Uint8Array;
let untrusted: Uint8Array;
let rootPem: string;
let trustAnchors: Uint8Array[];

beforeAll(async () => {
  [hoso, browser] = await Promise.all([startHoso(), launchBrowser()]);
  // A certificate chaining to the running server's demo root (its DATA_DIR/pki): what an e-certified copy carries.
  const pki = await demoPkiOfCredentials(hoso.server.ctx);
  const person = Object.values(pki.people)[0]!;
  const signer = await P12Backend.fromFile(person.p12Path, person.password);
  trustAnchors = pki.trustAnchors;
  trusted = (await signPdf(await samplePdf('Ban sao chung thuc tai lieu thay doi'), { signer, level: 'B-B', trustAnchors, reason: 'Chứng thực bản sao' })).bytes;
  untrusted = await (await createTestSigning('untrusted')).signed('Ban sao khong tin cay');
  rootPem = join(hoso.dataDir, 'pki', 'root-ca.pem');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hoso?.close();
});

async function openSignedIn(context: BrowserContext, role: 'citizen' | 'counter_officer'): Promise<Page> {
  const page = await context.newPage();
  await signIn(hoso, page, role);
  return page;
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('online intake', () => {
  it('a citizen submits online, bad signed copies are refused in Vietnamese, the counter receives, the receipt verifies', async () => {
    const errors: string[] = [];
    const phone = await browser.newContext(PHONE);
    const page = await openSignedIn(phone, 'citizen');
    page.on('pageerror', (e) => errors.push(e.message));

    // The catalog page links here with ?thu-tuc=<key>: the procedure is preselected.
    await page.goto(`${hoso.url}/nop-ho-so?thu-tuc=${PROCEDURE}`);
    await page.getByRole('heading', { level: 1, name: 'Nộp hồ sơ trực tuyến' }).waitFor();
    await page.getByLabel('Họ và tên').waitFor();
    await page.getByLabel('Nơi tiếp nhận hồ sơ').selectOption(BRANCH);
    await page.getByLabel('Họ và tên').fill('Nguyễn Văn An');
    await page.getByLabel('Ngày sinh').fill('14/03/1985');
    // A CCCD whose first three digits are no province code: refused by the client with the server's own rule.
    await page.getByLabel('Số định danh cá nhân (CCCD)').fill('999085012345');
    await page.getByLabel('Nơi cư trú').fill('Số 1 Tràng Tiền, phường Hoàn Kiếm, Hà Nội');
    await page.getByLabel('Số điện thoại').fill('0912 345 678');
    await page.getByLabel('Tên cơ sở kinh doanh').fill('Nhà thuốc Hồng Hà');
    await page.getByLabel('Loại hình kinh doanh').selectOption('pharmacy');
    // Photos of the paper documents: kept as one PDF each, signed by the counter officer at reception.
    for (const key of PHOTOS) {
      const section = page.locator(`[data-component="${key}"]`);
      await section.getByLabel('Cách nộp').selectOption('upload:DIGITIZED_SIGNED');
      await page.locator(`#file-${key}`).setInputFiles([
        { name: `${key}-1.jpg`, mimeType: 'image/jpeg', buffer: TINY_JPEG },
        { name: `${key}-2.jpg`, mimeType: 'image/jpeg', buffer: TINY_JPEG },
      ]);
      await section.getByText(`${key}-2.jpg`).waitFor();
    }
    await page.getByRole('button', { name: 'Xem lại hồ sơ' }).click();
    await page.getByText('Số định danh cá nhân (CCCD 12 số) hoặc mã số thuế không hợp lệ').waitFor();
    expect(await activeId(page)).toBe(`f-application-personalId`);
    const cccd = page.getByLabel('Số định danh cá nhân (CCCD)');
    expect(await cccd.getAttribute('aria-invalid')).toBe('true');
    await cccd.fill('001085012345');

    const fileInput = page.locator(`#file-${COMPONENT}`);
    const component = page.locator(`[data-component="${COMPONENT}"]`);
    const trySubmit = async () => {
      await page.getByRole('button', { name: 'Xem lại hồ sơ' }).click();
      await page.getByRole('heading', { name: 'Xem lại trước khi nộp' }).waitFor();
      await page.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
    };

    // 1. A photo is no signed copy.
    await fileInput.setInputFiles({ name: 'anh-chup.jpg', mimeType: 'image/jpeg', buffer: TINY_JPEG });
    await component.getByText('Ảnh chụp không mang chữ ký số').first().waitFor();
    await trySubmit();
    await component.getByRole('alert').getByText(/chữ ký số không hợp lệ.*Ảnh chụp không mang chữ ký số/).waitFor();
    expect(await activeId(page)).toBe(`c-${COMPONENT}`);
    // Nothing typed is lost.
    expect(await page.getByLabel('Họ và tên').inputValue()).toBe('Nguyễn Văn An');
    expect(await page.getByLabel('Ngày sinh').inputValue()).toBe('14/03/1985');

    // 2. A signature that chains to no trusted root, 3. a tampered one: each refused with its Vietnamese reason.
    await fileInput.setInputFiles({ name: 'ban-sao-khong-tin-cay.pdf', mimeType: 'application/pdf', buffer: Buffer.from(untrusted) });
    await trySubmit();
    const untrustedAlert = component.getByRole('alert');
    await untrustedAlert.getByText(/chữ ký số không hợp lệ/).waitFor();
    const untrustedReason = (await untrustedAlert.textContent()) ?? '';
    await page.screenshot({ path: await screenshotPath('online-intake-untrusted-phone'), fullPage: true });

    await fileInput.setInputFiles({ name: 'ban-sao-sua.pdf', mimeType: 'application/pdf', buffer: Buffer.from(tamper(trusted)) });
    await trySubmit();
    const tamperedAlert = component.getByRole('alert');
    await tamperedAlert.getByText(/chữ ký số không hợp lệ/).waitFor();
    const tamperedReason = (await tamperedAlert.textContent()) ?? '';
    // The reasons are the validator's own, in Vietnamese, and they differ (untrusted chain vs broken digest).
    expect(untrustedReason).not.toBe(tamperedReason);
    expect(untrustedReason).toMatch(/[ăâđêôơư]/);

    // 4. The valid e-certified copy.
    await fileInput.setInputFiles({ name: 'ban-sao-chung-thuc.pdf', mimeType: 'application/pdf', buffer: Buffer.from(trusted) });
    await component.getByText('ban-sao-chung-thuc.pdf').waitFor();
    expect(await auditPage(page, { minTarget: 44 })).toEqual([]);
    await trySubmit();
    await page.getByRole('heading', { level: 1, name: 'Đã nộp hồ sơ' }).waitFor();
    const submitSecret = (await page.getByTestId('status-secret').textContent())!.trim();
    expect(submitSecret.length).toBeGreaterThanOrEqual(20);
    expect(await auditPage(page, { minTarget: 44 })).toEqual([]);
    await page.screenshot({ path: await screenshotPath('online-intake-submitted-phone'), fullPage: true });
    await page.getByRole('link', { name: 'Xem hồ sơ' }).click();
    await page.getByText('Tự kê khai trực tuyến — xác thực bằng tài khoản định danh').waitFor();
    await page.getByText('Chứng thực điện tử — chữ ký hợp lệ').waitFor();
    expect(await page.getByText('Số hóa và ký số khi tiếp nhận — ảnh/bản quét sẽ được ký số khi tiếp nhận').count()).toBe(PHOTOS.length);
    const dossierId = page.url().split('/').pop()!;

    // The counter officer, on a desktop, receives it from the online queue.
    const desk = await browser.newContext(DESKTOP);
    const officer = await openSignedIn(desk, 'counter_officer');
    officer.on('pageerror', (e) => errors.push(e.message));
    await officer.goto(`${hoso.url}/tiep-nhan`);
    await officer.getByRole('heading', { level: 1, name: 'Hàng chờ tiếp nhận hồ sơ trực tuyến' }).waitFor();
    await officer.locator(`a[href="/tiep-nhan/ho-so/${dossierId}"]`).click();
    await officer.getByTestId(`basis-${COMPONENT}`).getByText('Chứng thực điện tử — chữ ký hợp lệ').waitFor();
    expect(await auditPage(officer)).toEqual([]);
    await officer.screenshot({ path: await screenshotPath('online-intake-reception-desktop'), fullPage: true });
    await officer.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    await officer.getByRole('heading', { name: 'Đã tiếp nhận hồ sơ' }).waitFor();
    // The photos became valid e-documents at this instant: signed by the officer, originals kept as received.
    const photoDocs = await hoso.server.ctx.db.query<{ basis: string; origin: string; signed: boolean; indication: string }>(
      `SELECT c.basis, d.origin, d.signed_blob_sha256 IS NOT NULL AS signed, v.indication
         FROM dossier_component c JOIN document d ON d.id = c.document_id JOIN validation_report v ON v.id = d.validation_report_id
        WHERE c.dossier_id = $1 AND c.component_key = ANY($2::text[])`,
      [dossierId, [...PHOTOS]],
    );
    expect(photoDocs.rows).toEqual(PHOTOS.map(() => ({ basis: 'DIGITIZED_SIGNED', origin: 'uploaded', signed: true, indication: 'TOTAL_PASSED' })));
    const code = (await officer.getByTestId('received-code').textContent())!.trim();
    const shownDue = (await officer.getByTestId('received-due').textContent())!.trim();
    expect(code).toMatch(/^000\.01\.30\.H26-\d{6}-\d{4}$/);
    const receptionSecret = (await officer.locator('.reception-outcome .portal-secret').textContent())!.trim();

    // The promised date shown is the calendar's for the reception instant.
    const row = await hoso.server.ctx.db.query<{ received_at: Date }>('SELECT received_at FROM dossier WHERE id = $1', [dossierId]);
    const { due } = await procedureDueDate(hoso.server.ctx.db, PROCEDURE, new Date(row.rows[0]!.received_at));
    expect(shownDue).toBe(formatDate(due));

    // The receipt (contract 2), downloaded with the officer's session: poll while RECEIPT_NOT_READY.
    const receiptUrl = `${hoso.url}/api/reception/dossiers/${dossierId}/receipt`;
    let receipt: Buffer | null = null;
    const until = Date.now() + RECEIPT_WAIT_MS;
    while (!receipt && Date.now() < until) {
      const res = await desk.request.get(receiptUrl);
      if (res.status() === 200) receipt = Buffer.from(await res.body());
      else {
        expect(res.status()).toBe(404);
        expect(((await res.json()) as { code: string }).code).toBe('RECEIPT_NOT_READY');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    expect(receipt, `receipt not produced within ${RECEIPT_WAIT_MS / 1000} s`).not.toBeNull();
    expect(receipt!.subarray(0, 5).toString()).toBe('%PDF-');
    await officer.reload();
    await officer.getByRole('heading', { level: 1 }).waitFor();

    const dir = await mkdtemp(join(tmpdir(), 'hoso-receipt-'));
    const file = join(dir, 'giay-tiep-nhan.pdf');
    await writeFile(file, receipt!);
    const verify = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/hoso.mjs'), 'verify', '--json', '--trust', rootPem, file], { encoding: 'utf8', cwd: REPO_ROOT });
    expect(verify.status, `${verify.stderr}\n${verify.stdout}`).toBe(0);
    const report = JSON.parse(verify.stdout) as { files: { error?: unknown; signatures: { type: string; indication: string }[] }[] };
    const sigs = report.files[0]!.signatures.filter((s) => s.type === 'signature');
    expect(report.files[0]!.error ?? null).toBeNull();
    expect(sigs.length).toBeGreaterThanOrEqual(1);
    expect(report.files[0]!.signatures.every((s) => s.indication === 'TOTAL_PASSED')).toBe(true);

    if (hasPdfsig()) {
      const entries = runPdfsig(new Uint8Array(receipt!), makeNssDb(trustAnchors));
      expect(entries.length).toBeGreaterThanOrEqual(1);
      for (const e of entries) expect(e, JSON.stringify(e)).toMatchObject({ valid: true, trusted: true });
    } else if (process.env.CI) throw new Error('pdfsig/certutil are required in CI');

    // The applicant sees the code, the same promised date and the receipt.
    await page.reload();
    await page.getByTestId('dossier-code').getByText(code).waitFor();
    expect((await page.getByTestId('promised-due').textContent())!.trim()).toBe(shownDue);
    const receiptLink = page.getByTestId('receipt-link');
    await receiptLink.waitFor();
    const mine = await phone.request.get(`${hoso.url}${await receiptLink.getAttribute('href')}`);
    expect(mine.status()).toBe(200);
    expect(Buffer.from(await mine.body()).equals(receipt!)).toBe(true);
    expect(await auditPage(page, { minTarget: 44 })).toEqual([]);
    await page.screenshot({ path: await screenshotPath('online-intake-detail-phone'), fullPage: true });

    // Public status page: the submission secret stopped working at reception (a new one is printed on the receipt).
    const anon = await browser.newContext(PHONE);
    const lookup = await anon.newPage();
    lookup.on('pageerror', (e) => errors.push(e.message));
    await lookup.goto(`${hoso.url}/tra-cuu?ma=${encodeURIComponent(code)}`);
    await lookup.getByRole('heading', { level: 1, name: 'Tra cứu tình trạng hồ sơ' }).waitFor();
    expect(await lookup.getByLabel('Mã hồ sơ').inputValue()).toBe(code);
    await lookup.getByLabel('Mã tra cứu').fill(submitSecret);
    await lookup.getByRole('button', { name: 'Tra cứu' }).click();
    await lookup.getByText('Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập').waitFor();
    await lookup.getByLabel('Mã tra cứu').fill(receptionSecret);
    await lookup.getByRole('button', { name: 'Tra cứu' }).click();
    const status = lookup.getByRole('region', { name: new RegExp(code.replace(/\./g, '\\.')) });
    await status.getByText('Cơ quan đang giải quyết').waitFor();
    await status.getByText(shownDue).waitFor();
    expect(await auditPage(lookup, { minTarget: 44 })).toEqual([]);
    await anon.close();

    expect(errors).toEqual([]);
    await phone.close();
    await desk.close();
  }, 240_000);
});
