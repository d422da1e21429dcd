import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { catalogSeeder } from '../catalog/seed.ts';
import { ROLES } from './roles.ts';
import { DEMO_CREDENTIALS_FILE, DEMO_USERS, identityDemoSeeder } from './seed.ts';
import * as service from './service.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.cleanup());

function parseCredentials(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const u of DEMO_USERS) {
    const line = text.split('\n').find((l) => l.split(/\s{2,}/)[1] === u.username);
    if (line) map.set(u.username, line.split(/\s{2,}/)[2]!);
  }
  return map;
}

describe('identity demo seeder', () => {
  it('fails clearly when the catalog agencies are missing', async () => {
    await expect(identityDemoSeeder.seed(ctx)).rejects.toThrow(/agencies .*000\.01\.30\.H26.* missing — the catalog demo seeder must run first/);
  });

  it('creates the demo users (every role), writes the 0600 credentials table, and every password logs in', async () => {
    await catalogSeeder.seed(ctx);
    const lines = await identityDemoSeeder.seed(ctx);
    expect(lines.join('\n')).toMatch(new RegExp(`${DEMO_USERS.length} demo users created`));
    expect(new Set(DEMO_USERS.map((u) => u.role))).toEqual(new Set(ROLES));
    const file = join(ctx.config.dataDir, DEMO_CREDENTIALS_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('Cán bộ một cửa / Counter officer');
    expect(text).toContain('000.01.30.H26');
    const creds = parseCredentials(text);
    expect(creds.size).toBe(DEMO_USERS.length);
    for (const u of DEMO_USERS) {
      const r = await service.login(ctx, { username: u.username, password: creds.get(u.username)! });
      if (!r.ok) throw new Error(`demo login failed for ${u.username}: ${r.reason}`);
      expect(r.principal.role).toBe(u.role);
      expect(r.principal.agencyCode).toBe(u.agencyCode);
      expect(r.principal.subjectId).toBe(u.subjectId);
    }
  });

  it('is idempotent: a second run changes neither users nor the file', async () => {
    const file = join(ctx.config.dataDir, DEMO_CREDENTIALS_FILE);
    const before = await readFile(file, 'utf8');
    const users = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
    expect(await identityDemoSeeder.seed(ctx)).toEqual([`identity: ${DEMO_USERS.length} demo users present`]);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect((await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user')).rows[0]!.n).toBe(users.rows[0]!.n);
  });

  it('recreates a missing demo user and rewrites the file so it matches the database', async () => {
    await ctx.db.query(`DELETE FROM app_user WHERE username = 'inspector'`);
    await identityDemoSeeder.seed(ctx);
    const creds = parseCredentials(await readFile(join(ctx.config.dataDir, DEMO_CREDENTIALS_FILE), 'utf8'));
    for (const u of DEMO_USERS) {
      expect((await service.login(ctx, { username: u.username, password: creds.get(u.username)! })).ok).toBe(true);
    }
  });
});
