/**
 * Walk-in reception in the browser (issue 4, second "Must show"): the counter officer picks a seeded procedure,
 * types the applicant's form as declared, scans three page images of a paper document (one removed and re-added
 * to exercise the page list), and receives the dossier in one sitting. The scanned component becomes one PDF
 * marked as converted from paper and signed at reception; the receipt is served as a signed PDF that validates
 * TOTAL_PASSED in `hoso verify`, and the promised date on screen is the calendar's. A mistyped date is caught in
 * place before anything is sent. The applicant's CCCD photo is read into suggestions the officer accepts, and after
 * reception the scans' text (OCR job) is shown on the dossier and found by the counter's search, accents optional.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { procedureDueDate } from '../../src/catalog/service.ts';
import { tinyPng } from '../../src/dossiers/testing.ts';
import { cardScan } from '../../src/documents/ocr/testing.ts';
import { formatDate } from '../../web/src/lib/format.ts';
import { auditPage } from './a11y.ts';
import { REPO_ROOT, launchBrowser, screenshotPath, signIn, startHoso, type Hoso } from './harness.ts';

const PROCEDURE = 'syt-gcn-dkkd-duoc-cap-lai-a';
const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };
const RECEIPT_WAIT_MS = 60_000;

let hoso: Hoso;
let browser: Browser;

beforeAll(async () => {
  [hoso, browser] = await Promise.all([startHoso(), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hoso?.close();
});

describe('walk-in reception', () => {
  it('scans three images into one signed PDF and receives the dossier with a receipt in one sitting; a bad date is caught in place', async () => {
    const errors: string[] = [];
    const context = await browser.newContext(DESKTOP);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(hoso, page, 'counter_officer');

    await page.goto(`${hoso.url}/tiep-nhan/truc-tiep`);
    await page.getByRole('heading', { level: 1, name: 'Tiếp nhận hồ sơ trực tiếp' }).waitFor();
    const procedureSelect = page.getByLabel('Thủ tục hành chính', { exact: true });
    await procedureSelect.locator(`option[value="${PROCEDURE}"]`).waitFor({ state: 'attached' });
    await procedureSelect.selectOption(PROCEDURE);

    // The applicant's card, photographed: read into suggestions, accepted by the officer (the form has its own CCCD below).
    const dir = await mkdtemp(join(tmpdir(), 'hoso-walkin-'));
    const card = join(dir, 'cccd.png');
    await writeFile(card, await cardScan({ number: '001085012345', fullName: 'NGUYỄN THỊ LAN', dateOfBirth: '14/03/1985' }));
    await page.getByLabel('Đọc thông tin từ ảnh CCCD').setInputFiles(card);
    await page.getByText('Gợi ý từ ảnh — kiểm tra lại với bản gốc trước khi dùng:').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Điền vào biểu mẫu' }).click();
    expect(await page.getByLabel('Số định danh cá nhân (CCCD)').first().inputValue()).toBe('001085012345');
    // Accents of a name may be misread: the officer checks against the card and corrects.
    await page.getByLabel('Họ và tên / tên tổ chức').fill('Nguyễn Thị Lan');
    // The application form, typed by the officer as the applicant declares it (dd/mm/yyyy, as on paper).
    const field = (name: string) => page.locator(`#f-application-${name}`);
    await field('fullName').fill('Nguyễn Thị Lan');
    await field('dateOfBirth').fill('14/03/1985');
    await field('personalId').fill('001085012345');
    await field('address').fill('Số 5 phố Huế, phường Hai Bà Trưng, Hà Nội');
    await field('phone').fill('0912345678');
    await page.getByLabel('Số Giấy chứng nhận đã cấp').fill('123/GCN-SYT');
    await page.getByLabel('Nội dung đề nghị điều chỉnh').fill('Thay đổi địa điểm kinh doanh sang số 5 phố Huế, Hà Nội');

    // Three A4 page images at 200 dpi (1654×2339 px), one at a time as a scanner delivers them; the first is the card.
    const files: string[] = [card];
    for (const [i, rgb] of ([[245, 250, 250], [250, 245, 250]] as const).entries()) {
      const f = join(dir, `trang-${i + 2}.png`);
      await writeFile(f, tinyPng(1654, 2339, [...rgb] as [number, number, number]));
      files.push(f);
    }
    const input = page.getByLabel(/Thêm trang quét/).first();
    await input.setInputFiles(files);
    const pages = page.getByRole('list', { name: /Các trang quét của/ }).getByRole('listitem');
    await expect.poll(() => pages.count()).toBe(3);
    // Remove page 3 and scan it again: the page list is the officer's to correct before signing.
    await page.getByRole('button', { name: 'Bỏ trang 3' }).click();
    await expect.poll(() => pages.count()).toBe(2);
    await input.setInputFiles(files[2]!);
    await expect.poll(() => pages.count()).toBe(3);
    expect(await auditPage(page)).toEqual([]);
    await page.screenshot({ path: await screenshotPath('walk-in-form'), fullPage: true });

    // A mistyped date is caught in place by the server's own form rules, before anything is sent or signed.
    let sent = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/reception/walk-in')) sent += 1;
    });
    await field('dateOfBirth').fill('31/02/1985');
    await page.getByRole('button', { name: 'Số hóa, ký số và tiếp nhận' }).click();
    await page.getByText(/Ngày không hợp lệ/).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-application-dateOfBirth');
    expect(sent).toBe(0);
    await field('dateOfBirth').fill('14/03/1985');

    const answered = page.waitForResponse((r) => r.url().endsWith('/api/reception/walk-in'));
    await page.getByRole('button', { name: 'Số hóa, ký số và tiếp nhận' }).click();
    const walkIn = await answered;
    expect(walkIn.status(), await walkIn.text()).toBeLessThan(300);
    await page.getByRole('heading', { level: 1, name: 'Đã tiếp nhận hồ sơ' }).waitFor({ timeout: 60_000 });
    const code = (await page.getByTestId('dossier-code').textContent())!.trim();
    expect(code).toMatch(/\S+/);
    await page.screenshot({ path: await screenshotPath('walk-in-received'), fullPage: true });

    // The promised date is the calendar's, from the reception instant the server recorded.
    const row = await hoso.server.ctx.db.query<{ id: string; received_at: Date }>(
      `SELECT id, (SELECT at FROM dossier_event e WHERE e.dossier_id = d.id AND e.type = 'received') AS received_at FROM dossier d WHERE code = $1`,
      [code],
    );
    const { id, received_at } = row.rows[0]!;
    const { due } = await procedureDueDate(hoso.server.ctx.db, PROCEDURE, new Date(received_at));
    expect((await page.getByTestId('promised-date').textContent())!).toContain(formatDate(due.toISOString()));

    // The scanned component is one signed PDF of three pages, converted from paper, with the original kept.
    const docs = await hoso.server.ctx.db.query<{ basis: string; origin: string }>(
      `SELECT c.basis, doc.origin FROM dossier_component c JOIN document doc ON doc.id = c.document_id
        WHERE c.dossier_id = $1 AND c.component_key = 'supporting-documents'`,
      [id],
    );
    expect(docs.rows).toEqual([{ basis: 'DIGITIZED_SIGNED', origin: 'scanned' }]);

    // The receipt: signed at reception (or by the retry job); poll the counter's button until it is there.
    const deadline = Date.now() + RECEIPT_WAIT_MS;
    while (!(await page.getByTestId('receipt-download').count())) {
      if (Date.now() > deadline) throw new Error('receipt never became ready');
      await page.getByRole('button', { name: /Giấy tiếp nhận đang được ký số/ }).click();
      await page.waitForTimeout(500);
    }
    const response = await page.request.get(`${hoso.url}/api/reception/dossiers/${id}/receipt`);
    expect(response.status()).toBe(200);
    const receipt = join(dir, 'receipt.pdf');
    await writeFile(receipt, await response.body());
    const verify = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bin/hoso.mjs'), 'verify', '--json', '--trust', join(hoso.dataDir, 'pki', 'root-ca.pem'), receipt],
      { encoding: 'utf8', env: { ...process.env, DATA_DIR: hoso.dataDir } },
    );
    expect(verify.stdout).toContain('TOTAL_PASSED');

    // The scans' text, recognised by the background job, on the dossier and in the counter's search.
    const ocrDeadline = Date.now() + RECEIPT_WAIT_MS;
    const recognized = () =>
      hoso.server.ctx.db.query(`SELECT 1 FROM document_text t JOIN dossier_component c ON c.document_id = t.document_id WHERE c.dossier_id = $1`, [id]);
    while (!(await recognized()).rowCount) {
      if (Date.now() > ocrDeadline) throw new Error('the scans were never recognised');
      await page.waitForTimeout(500);
    }
    await page.goto(`${hoso.url}/tiep-nhan/ho-so/${id}`);
    await page.getByRole('heading', { level: 2, name: 'Văn bản nhận dạng từ bản quét (OCR)' }).waitFor();
    await page.locator('details.reception-component summary').first().click();
    await page.getByText(/CĂN CƯỚC CÔNG DÂN/).waitFor();
    expect(await auditPage(page)).toEqual([]);
    await page.goto(`${hoso.url}/tiep-nhan`);
    await page.getByLabel('Từ khóa').fill('001085012345 can cuoc');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await page.getByRole('link', { name: new RegExp(code) }).waitFor();
    expect(await auditPage(page)).toEqual([]);
    await page.screenshot({ path: await screenshotPath('walk-in-ocr-search'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
