import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { openMigratedDb } from '../platform/database.ts';

let dataDir: string;
const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL, CLI_PW: process.env.CLI_PW };

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hoso-cli-'));
  process.env.DATA_DIR = dataDir;
  // The command opens the configured database; here the embedded one in the temporary data dir.
  delete process.env.DATABASE_URL;
  const { db } = await openMigratedDb({ dataDir, databaseUrl: undefined });
  await db.query(`INSERT INTO agency (code, name, kind) VALUES ('000.00.12.H26', 'Sở Y tế', 'department')`);
  await db.close();
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('hoso user add', () => {
  it('creates an officer and prints a generated password once', async () => {
    const r = await run('user', 'add', '--username', 'Chuyen.Vien', '--role', 'specialist', '--agency', '000.00.12.H26');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/created user chuyen\.vien \(Specialist \/ Chuyên viên\) in agency 000\.00\.12\.H26/);
    expect(r.out).toMatch(/password: [A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}/);
  });

  it('takes the password from an environment variable and does not print it', async () => {
    process.env.CLI_PW = 'Mật khẩu công dân 2026';
    const r = await run('user', 'add', '--username', 'cong.dan', '--role', 'citizen', '--subject-id', '001085012345', '--password-env', 'CLI_PW');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('password');
    expect(r.out).not.toContain(process.env.CLI_PW);
  });

  it.each([
    [['--username', 'a.b', '--role', 'boss'], /unknown role "boss"/],
    [['--username', 'a.b', '--role', 'leader'], /needs --agency/],
    [['--username', 'a.b', '--role', 'citizen', '--agency', '000.00.12.H26'], /takes no --agency/],
    [['--username', 'a.b', '--role', 'leader', '--agency', '999.99.99.H99'], /No agency has this code/],
    [['--username', 'a.b', '--role', 'citizen', '--subject-id', '123'], /identification number/],
    [['--username', 'chuyen.vien', '--role', 'leader', '--agency', '000.00.12.H26'], /already taken/],
    [['--username', 'a.b', '--role', 'leader', '--agency', '000.00.12.H26', '--password-env', 'NO_SUCH_VAR_HOSO'], /NO_SUCH_VAR_HOSO is not set/],
    [['--role', 'leader'], /--username is required/],
    [['--username', 'a.b', '--role', 'leader', '--bogus'], /unknown option --bogus/],
  ])('exits 2 on bad input %j', async (args, message) => {
    const r = await run('user', 'add', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('hoso user reset-password | disable | enable | list', () => {
  it('resets a password, disables and enables a user, lists users', async () => {
    const reset = await run('user', 'reset-password', '--username', 'CHUYEN.VIEN');
    expect(reset.code).toBe(0);
    expect(reset.out).toMatch(/password of chuyen\.vien reset/);
    expect(reset.out).toMatch(/password: \S{23}/);
    expect((await run('user', 'disable', '--username', 'chuyen.vien')).out).toMatch(/chuyen\.vien is disabled/);
    const list = await run('user', 'list', '--role', 'specialist');
    expect(list.out).toMatch(/chuyen\.vien\s+specialist\s+000\.00\.12\.H26\s+chuyen\.vien \[disabled\]/);
    expect(list.out).toMatch(/1 of 1 users/);
    expect((await run('user', 'enable', '--username', 'chuyen.vien')).out).toMatch(/is enabled/);
    const missing = await run('user', 'disable', '--username', 'nobody');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/User not found/);
  });
});
