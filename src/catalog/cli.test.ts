import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../cli/main.ts';
import { seedCatalogFile } from './seed-data.ts';

let dir: string;
const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: process.env.LOG_LEVEL };

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) });
  return { code, out, err };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hoso-catalog-cli-'));
  // The CLI reads its configuration from the environment: an embedded database in a throw-away data dir.
  process.env.DATA_DIR = dir;
  delete process.env.DATABASE_URL;
  process.env.LOG_LEVEL = 'silent';
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await rm(dir, { recursive: true, force: true });
});

describe('hoso catalog import|export', () => {
  test('a malformed file lists its problems, exits 1 and changes nothing; a good one imports; export round-trips', async () => {
    const bad = structuredClone(seedCatalogFile()) as unknown as { agencies: { code: string }[]; procedures: { cutoff: string }[] };
    bad.agencies[2]!.code = '000.00.13';
    bad.procedures[1]!.cutoff = '25:00';
    await writeFile(join(dir, 'bad.json'), JSON.stringify(bad));
    const r1 = await run('catalog', 'import', join(dir, 'bad.json'));
    expect(r1.code).toBe(1);
    expect(r1.err).toMatch(/nothing was changed/);
    expect(r1.err).toMatch(/\/agencies\/2\/code: /);
    expect(r1.err).toMatch(/\/procedures\/1\/cutoff: /);

    await writeFile(join(dir, 'broken.json'), '{"format": ');
    const r2 = await run('catalog', 'import', join(dir, 'broken.json'), '--json');
    expect(r2.code).toBe(1);
    expect(JSON.parse(r2.out).issues[0].path).toBe('/');

    const e1 = await run('catalog', 'export', join(dir, 'empty.json'));
    expect(e1.code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'empty.json'), 'utf8'))).toMatchObject({ agencies: [], procedures: [] });

    await writeFile(join(dir, 'good.json'), JSON.stringify(seedCatalogFile()));
    const r3 = await run('catalog', 'import', join(dir, 'good.json'));
    expect(r3.code, r3.err).toBe(0);
    expect(r3.out).toMatch(/agencies: 133 created/);

    const e2 = await run('catalog', 'export', join(dir, 'out.json'));
    expect(e2.out).toMatch(/exported 133 agencies and \d+ procedures/);
    const r4 = await run('catalog', 'import', join(dir, 'out.json'), '--json');
    expect(JSON.parse(r4.out).report).toMatchObject({ agencies: { created: 0, updated: 0, unchanged: 133 }, processVersions: { created: 0 } });

    expect((await run('catalog', 'import')).code).toBe(2);
    expect((await run('catalog', 'import', join(dir, 'missing.json'))).code).toBe(2);
    const schema = await run('catalog', 'schema');
    expect(JSON.parse(schema.out).$id).toBe('https://hoso.example/schemas/catalog-v1.json');
  });
});
