import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';
import { startServer } from '../../src/platform/server.ts';

/** `npm start` on an empty data dir, stop, start again: everything written before is still there. */
describe('embedded start-up', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('serves /healthz on an empty data dir and keeps its data across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hoso-restart-'));
    dirs.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', HOSO_DEMO: 'true' } as NodeJS.ProcessEnv);

    const first = await startServer(config, { logger: false });
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    const agenciesBefore = (await first.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM agency')).rows[0]!.n;
    const blob = await first.ctx.blobs.put(new TextEncoder().encode('kept across restarts'));
    await first.ctx.db.query(`INSERT INTO blob (sha256, size, media_type) VALUES ($1, $2, 'text/plain')`, [blob.sha256, blob.size]);
    await first.close();

    const second = await startServer(config, { logger: false });
    const ready = await fetch(`${second.url}/readyz`);
    expect(ready.status).toBe(200);
    const agenciesAfter = (await second.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM agency')).rows[0]!.n;
    expect(agenciesAfter).toBe(agenciesBefore);
    const kept = await second.ctx.db.query('SELECT sha256 FROM blob WHERE sha256 = $1', [blob.sha256]);
    expect(kept.rowCount).toBe(1);
    expect(new TextDecoder().decode(await second.ctx.blobs.get(blob.sha256))).toBe('kept across restarts');
    await second.close();
  });
});
