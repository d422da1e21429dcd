import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { auditPage } from './a11y.ts';
import { launchBrowser, screenshotPath, startHoso, type Hoso } from './harness.ts';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let hoso: Hoso;
let browser: Browser;

beforeAll(async () => {
  [hoso, browser] = await Promise.all([startHoso(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await hoso?.close();
});

describe('public procedure catalog', () => {
  it('search "cap phep" (no diacritics) finds "cấp … phép" procedures, and a result opens its detail', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`${hoso.url}/thu-tuc`);
    await page.getByRole('heading', { level: 1, name: 'Thủ tục hành chính' }).waitFor();
    await page.getByTestId('catalog-results').waitFor();

    await page.getByRole('searchbox', { name: /Tìm thủ tục/ }).fill('cap phep');
    await page.getByRole('searchbox', { name: /Tìm thủ tục/ }).press('Enter');
    await page.waitForURL(/[?&]q=cap\+phep/);
    await page.getByTestId('catalog-count').filter({ hasText: /Tìm thấy \d+ thủ tục/ }).waitFor();
    const titles = await page.getByTestId('catalog-results').getByRole('heading', { level: 2 }).allTextContents();
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(title.toLocaleLowerCase('vi')).toMatch(/cấp.*phép/);
    expect(titles.some((t) => t.startsWith('Cấp mới giấy phép hành nghề'))).toBe(true);
    expect(await auditPage(page, { minTarget: 44 })).toEqual([]);
    await page.screenshot({ path: await screenshotPath('catalog-search-cap-phep-phone'), fullPage: true });

    await page.getByRole('link', { name: /^Cấp mới giấy phép hành nghề/ }).click();
    await page.getByTestId('procedure-page').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Thành phần hồ sơ' }).waitFor();
    expect(await page.getByText('430.000').count()).toBeGreaterThan(0);
    expect(await auditPage(page, { minTarget: 44 })).toEqual([]);
    await page.screenshot({ path: await screenshotPath('catalog-procedure-phone'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('filters by field', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${hoso.url}/thu-tuc`);
    await page.getByTestId('catalog-results').waitFor();
    await page.getByLabel('Lĩnh vực').selectOption('Hộ tịch');
    await page.waitForURL(/field=H/);
    await page.getByTestId('catalog-count').filter({ hasText: 'Tìm thấy 5 thủ tục.' }).waitFor();
    const titles = await page.getByTestId('catalog-results').getByRole('heading', { level: 2 }).allTextContents();
    expect(titles).toContain('Đăng ký khai sinh');
    await context.close();
  });
});

describe('catalog administration', () => {
  it('an administrator edits an internal process: a wrong quota sum is refused, a right one becomes version 2', async () => {
    const login = hoso.logins.get('admin');
    expect(login, 'demo credentials for admin').toBeDefined();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${hoso.url}/quan-tri/thu-tuc`);
    await page.getByLabel('Tên đăng nhập').fill(login!.username);
    await page.getByLabel('Mật khẩu').fill(login!.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByTestId('admin-procedures').waitFor();
    await page.getByRole('link', { name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam' }).click();
    await page.getByTestId('admin-procedure').waitFor();
    await page.getByRole('heading', { level: 3, name: /Phiên bản 1/ }).waitFor();
    expect(await auditPage(page)).toEqual([]);

    await page.getByRole('button', { name: 'Soạn phiên bản mới từ phiên bản này' }).click();
    const editor = page.getByTestId('process-editor');
    const appraisal = editor.getByLabel('Thời gian (giờ) 3');
    const before = Number(await appraisal.inputValue());
    await appraisal.fill(String(before + 1));
    await editor.getByRole('button', { name: 'Lưu phiên bản mới' }).click();
    await editor.getByTestId('problem-issues').filter({ hasText: '/steps' }).waitFor();

    await appraisal.fill(String(before - 1));
    await editor.getByLabel('Thời gian (giờ) 4').fill(String(Number(await editor.getByLabel('Thời gian (giờ) 4').inputValue()) + 1));
    await editor.getByRole('button', { name: 'Lưu phiên bản mới' }).click();
    await page.getByRole('heading', { level: 3, name: /Phiên bản 2/ }).waitFor();
    await page.screenshot({ path: await screenshotPath('admin-procedure-desktop'), fullPage: true });

    await page.goto(`${hoso.url}/quan-tri/co-quan`);
    await page.getByTestId('admin-agencies').waitFor();
    await page.getByText('000.00.12.H26').first().waitFor();
    expect(await auditPage(page)).toEqual([]);

    // The calendar year view marks Tết 2026 and the make-up Saturday 10/01/2026.
    await page.goto(`${hoso.url}/quan-tri/lich`);
    await page.getByTestId('admin-calendar').waitFor();
    while (!(await page.getByRole('heading', { level: 1 }).textContent())!.endsWith('2026')) {
      const h1 = (await page.getByRole('heading', { level: 1 }).textContent())!;
      await page.getByRole('button', { name: Number(h1.slice(-4)) > 2026 ? 'Năm trước' : 'Năm sau' }).click();
      await page.getByRole('heading', { level: 1, name: /Lịch làm việc \d{4}/ }).waitFor();
      await page.locator('.calendar-year').waitFor();
    }
    const february = page.getByRole('table', { name: 'Tháng 2' });
    await february.waitFor();
    expect(await february.locator('.calendar-day--statutory').count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByRole('table', { name: 'Tháng 1' }).locator('.calendar-day--makeUp').textContent()).toMatch(/^10/);
    expect(await auditPage(page)).toEqual([]);
    await page.screenshot({ path: await screenshotPath('admin-calendar-desktop'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
