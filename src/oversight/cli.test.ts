import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { loadConfig } from '../platform/config.ts';
import { openMigratedDb } from '../platform/database.ts';
import { appendAuditEvent } from './audit/store.ts';

/** Through the real dispatcher, on an embedded database in a temporary data dir (as an operator would run it). */
describe('hoso audit … via the CLI dispatcher', () => {
  let dir: string;
  const saved = { ...process.env };
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(argv, { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) });
    return { code, out, err };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoso-audit-cli-'));
    process.env.DATA_DIR = dir;
    delete process.env.DATABASE_URL;
    delete process.env.HOSO_AUDIT_SEAL_P12;
    const { db } = await openMigratedDb(loadConfig());
    for (let i = 1; i <= 3; i++) await db.tx((q) => appendAuditEvent(q, { type: 'config.changed', at: new Date(), data: { i } }));
    await db.close();
  });
  afterAll(async () => {
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies an intact log (exit 0), in Vietnamese by default and in English or JSON on request', async () => {
    const vi = await run('audit', 'verify');
    expect(vi.code).toBe(0);
    expect(vi.out).toContain('Nhật ký kiểm toán: HỢP LỆ — đã tính lại 3 bản ghi');
    expect((await run('audit', 'verify', '--lang', 'en')).out).toContain('Audit log: OK — recomputed 3 events');
    expect(JSON.parse((await run('audit', 'verify', '--json', '--from', '2')).out)).toMatchObject({ ok: true, rowsChecked: 2 });
  });

  it('exits 2 on usage errors and without a configured seal', async () => {
    expect(await run('audit', 'verify', '--lang', 'fr')).toMatchObject({ code: 2 });
    expect(await run('audit', 'verify', '--batch', '0')).toMatchObject({ code: 2 });
    const cp = await run('audit', 'checkpoint');
    expect(cp.code).toBe(2);
    expect(cp.err).toContain('HOSO_AUDIT_SEAL_P12');
    expect((await run('audit', 'harden')).code).toBe(2);
    expect((await run('audit', 'harden', '--app-role', 'bad;role')).code).toBe(2);
  });

  it('prints the hardening SQL and the usage', async () => {
    const h = await run('audit', 'harden', '--app-role', 'hoso_app');
    expect(h.code).toBe(0);
    expect(h.out).toContain('REVOKE UPDATE, DELETE ON "public".audit_event FROM "hoso_app";');
    expect((await run('audit', 'verify', '--help')).out).toContain('Exit status: 0 intact, 1 broken');
  });
});
