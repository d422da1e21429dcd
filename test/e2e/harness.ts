/**
 * End-to-end harness: a real hoso server in this process on a throw-away data dir (embedded PGlite, demo data),
 * and Debian's Chromium driven by playwright-core. It builds nothing: `npm run test:e2e` builds web/dist first.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/platform/config.ts';
import { readDemoCredentials, startServer, type RunningServer } from '../../src/platform/server.ts';
import { DEMO_USERS } from '../../src/identity/seed.ts';
import type { Role } from '../../src/identity/roles.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** `E2E_WEB_DIST` lets parallel work build the app into its own folder. */
export const WEB_DIST = resolve(process.env.E2E_WEB_DIST ?? join(REPO_ROOT, 'web/dist'));
/** Screenshots land here (ignored by git) for people to look at; tests never compare pixels. */
export const SCREENSHOT_DIR = resolve(process.env.E2E_SCREENSHOT_DIR ?? join(REPO_ROOT, '.tmp/e2e-screenshots'));

export interface DemoLogin {
  role: Role;
  username: string;
  password: string;
  displayName: string;
}

export interface Hoso {
  url: string;
  dataDir: string;
  server: RunningServer;
  /** The first demo login of each role (DEMO_USERS order). */
  logins: Map<Role, DemoLogin>;
  /** Every demo login by username (a role can have several, e.g. a specialist per department). */
  users: Map<string, DemoLogin>;
  close(): Promise<void>;
}

/**
 * Reads the passwords the identity seeder printed. The file is a table for people; usernames are stable
 * (DEMO_USERS), and the password is the column after the username.
 */
export function parseDemoCredentials(text: string): Map<string, DemoLogin> {
  const logins = new Map<string, DemoLogin>();
  const rows = text.split('\n').map((line) => line.trim().split(/\s{2,}/));
  for (const user of DEMO_USERS) {
    const row = rows.find((cells) => cells.indexOf(user.username) >= 1 && cells.indexOf(user.username) < cells.length - 1);
    if (!row) continue;
    const password = row[row.indexOf(user.username) + 1]!;
    logins.set(user.username, { role: user.role, username: user.username, password, displayName: user.displayName });
  }
  return logins;
}

export async function startHoso(): Promise<Hoso> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`${WEB_DIST}/index.html is missing: run the e2e tests with \`npm run test:e2e\`, which builds the web app first`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'hoso-e2e-'));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    HOSO_DEMO: 'true',
    // Always the embedded database: the e2e run must not seed demo users into a shared server.
    DATABASE_URL: '',
    BLOB_STORE: 'file',
    WEB_DIST,
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
  });
  let server: RunningServer;
  try {
    server = await startServer(config, { logger: false });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const text = (await readDemoCredentials(config)) ?? '';
  const users = parseDemoCredentials(text);
  const logins = new Map<Role, DemoLogin>();
  for (const l of users.values()) if (!logins.has(l.role)) logins.set(l.role, l);
  return {
    url: server.url,
    dataDir,
    server,
    logins,
    users,
    close: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * On a freshly provisioned machine apt may still be installing Chromium in the background (it logs to
 * /tmp/apt.log and writes "done" at the end); wait for it rather than failing on a half-installed browser.
 */
async function waitForApt(maxMs = 10 * 60_000): Promise<void> {
  const log = '/tmp/apt.log';
  const deadline = Date.now() + maxMs;
  while (existsSync(log)) {
    const text = await readFile(log, 'utf8').catch(() => '');
    if (text.trimEnd().endsWith('done')) return;
    if (Date.now() > deadline) throw new Error(`${log} did not end with "done" within ${maxMs / 1000} s`);
    await sleep(2000);
  }
}

export async function launchBrowser(): Promise<Browser> {
  await waitForApt();
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

export async function screenshotPath(name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}

/** Signs a demo user in through the login page, as a person would, and waits for their home. */
/** Signs in as the first demo user of `role`, or as the demo user named `username`. */
export async function signIn(hoso: Hoso, page: Page, role: Role, username?: string): Promise<void> {
  const login = username ? hoso.users.get(username) : hoso.logins.get(role);
  if (!login) throw new Error(`no demo login for ${username ?? role}`);
  await page.goto(`${hoso.url}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').fill(login.username);
  await page.getByLabel('Mật khẩu').fill(login.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${hoso.url}/`);
}
