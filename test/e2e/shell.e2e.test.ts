import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROLES, ROLE_LABELS, isOfficer, type Role } from '../../src/identity/roles.ts';
import { auditPage } from './a11y.ts';
import { launchBrowser, screenshotPath, startHoso, type Hoso } from './harness.ts';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 900 } };

let hoso: Hoso;
let browser: Browser;

beforeAll(async () => {
  [hoso, browser] = await Promise.all([startHoso(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await hoso?.close();
});

async function newPage(layout: 'phone' | 'desktop'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ ...(layout === 'phone' ? PHONE : DESKTOP), locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Nothing may be fetched from another origin (no CDN fonts or scripts).
  page.on('request', (request) => {
    if (!request.url().startsWith(hoso.url) && !request.url().startsWith('data:')) errors.push(`external request: ${request.url()}`);
  });
  return { context, page, errors };
}

async function switchLanguage(page: Page, to: 'en' | 'vi') {
  await page.getByTestId('language-switch').click();
  await page.waitForFunction((lang) => document.documentElement.lang === lang, to);
}

describe('web shell', () => {
  it('serves the public home in Vietnamese, switches to English and remembers it across a reload', async () => {
    const { context, page, errors } = await newPage('phone');
    await page.goto(hoso.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Dịch vụ công trực tuyến');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.getByRole('link', { name: 'Đến trang đăng nhập' }).count()).toBe(1);
    expect(await auditPage(page, { minTarget: 44 })).toEqual([]);
    await page.screenshot({ path: await screenshotPath('public-home-phone'), fullPage: true });

    await switchLanguage(page, 'en');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Online public services');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Online public services' }).waitFor();
    await switchLanguage(page, 'vi');
    await page.getByRole('heading', { level: 1, name: 'Dịch vụ công trực tuyến' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('answers a deep link with the app shell and shows "not found" for an unknown page', async () => {
    const { context, page, errors } = await newPage('desktop');
    const response = await page.goto(`${hoso.url}/khong-co-trang-nay`);
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a wrong password in Vietnamese, then in English after the switch', async () => {
    const { context, page } = await newPage('phone');
    await page.goto(`${hoso.url}/dang-nhap`);
    const login = hoso.logins.get('citizen');
    expect(login, 'demo credentials for citizen').toBeDefined();
    await page.getByLabel('Tên đăng nhập').fill(login!.username);
    await page.getByLabel('Mật khẩu').fill(`${login!.password}-sai`);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Tên đăng nhập hoặc mật khẩu không đúng');
    await page.screenshot({ path: await screenshotPath('login-error-phone'), fullPage: true });
    await switchLanguage(page, 'en');
    expect(await error.textContent()).toBe('Wrong username or password');
    expect(await auditPage(page, { minTarget: 44 })).toEqual([]);
    await context.close();
  });

  it('the page audit fails on what it claims to catch', async () => {
    const { context, page } = await newPage('phone');
    await page.goto(hoso.url);
    await page.getByTestId('home-public').waitFor();
    await page.evaluate(() => {
      const main = document.querySelector('main')!;
      main.insertAdjacentHTML(
        'beforeend',
        '<h4>Skipped level</h4><input id="dup"><span id="dup" style="color:#aaa;background:#fff">pale</span><button style="width:20px;height:20px"></button>',
      );
    });
    const problems = (await auditPage(page, { minTarget: 44 })).join('\n');
    expect(problems).toMatch(/heading level skips from h2 to h4/);
    expect(problems).toMatch(/no accessible name: <input#dup>/);
    expect(problems).toMatch(/id "dup" is used 2 times/);
    expect(problems).toMatch(/contrast 2\.\d+:1 for <span#dup> "pale"/);
    expect(problems).toMatch(/touch target 20×20 px/);
    await context.close();
  });

  it('has a demo login for every role', () => {
    expect([...hoso.logins.keys()].sort()).toEqual([...ROLES].sort());
  });

  describe.each(ROLES)('signed in as %s', (role: Role) => {
    it('sees its own home, in Vietnamese and in English, and signs out', async () => {
      const layout = isOfficer(role) ? 'desktop' : 'phone';
      const { context, page, errors } = await newPage(layout);
      const login = hoso.logins.get(role)!;
      await page.goto(`${hoso.url}/dang-nhap`);
      await page.getByLabel('Tên đăng nhập').fill(login.username);
      await page.getByLabel('Mật khẩu').fill(login.password);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();

      const home = page.getByTestId(`home-${role}`);
      await home.waitFor();
      expect(await home.getByRole('heading', { level: 1 }).textContent()).toBe(`Xin chào, ${login.displayName}`);
      expect(await home.getByText(`Vai trò: ${ROLE_LABELS[role].vi}`).count()).toBe(1);
      expect(await home.getByRole('heading', { level: 2 }).count()).toBeGreaterThan(0);
      expect(await auditPage(page, { minTarget: layout === 'phone' ? 44 : 0 })).toEqual([]);
      if (role === 'citizen' || role === 'specialist') {
        await page.screenshot({ path: await screenshotPath(`home-${role}-${layout}`), fullPage: true });
      }

      // The session survives a reload (cookie + /api/auth/me).
      await page.reload();
      await home.waitFor();

      await switchLanguage(page, 'en');
      expect(await home.getByRole('heading', { level: 1 }).textContent()).toBe(`Welcome, ${login.displayName}`);
      expect(await home.getByText(`Role: ${ROLE_LABELS[role].en}`).count()).toBe(1);
      await switchLanguage(page, 'vi');
      expect(await home.getByText(`Vai trò: ${ROLE_LABELS[role].vi}`).count()).toBe(1);

      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByTestId('home-public').waitFor();
      await page.reload();
      await page.getByTestId('home-public').waitFor();
      expect(errors).toEqual([]);
      await context.close();
    });
  });
});

describe('sign-in lockout', () => {
  // Last in the file: it spends failed attempts from 127.0.0.1, which the per-IP limiter also counts.
  it('explains the temporary lock with the waiting time, in both languages', async () => {
    const username = 'khong.ton.tai';
    let status = 0;
    for (let i = 0; i < 20 && status !== 429; i++) {
      const response = await fetch(`${hoso.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'sai-mat-khau' }),
      });
      status = response.status;
    }
    expect(status).toBe(429);

    const { context, page } = await newPage('phone');
    await page.goto(`${hoso.url}/dang-nhap`);
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toBe('Đăng nhập sai quá nhiều lần, vui lòng thử lại sau');
    expect(await page.getByRole('alert').textContent()).toMatch(/Việc đăng nhập tạm thời bị khóa.*thử lại sau \d+ phút/);
    await switchLanguage(page, 'en');
    expect(await page.getByRole('alert').textContent()).toMatch(/Too many sign-in attempts.*Try again in about \d+ min /);
    await page.screenshot({ path: await screenshotPath('login-lockout-phone-en'), fullPage: true });
    await context.close();
  });
});
