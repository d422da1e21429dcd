/**
 * Public verification: for every file of the external corpus (../shared/corpus/signed-pdfs), with its trust anchors
 * configured, the page's API gives each signature the same indication as the engine behind `hoso verify` (and the
 * CLI itself agrees on a sample); a receipt hoso issued is found in its registry; bad input gets precise problems;
 * nothing given is stored; requests are rate-limited.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { createSignedInUser } from '../identity/testing.ts';
import type { AppContext } from '../platform/context.ts';
import { buildApp, type RoomPlugin } from '../platform/http/app.ts';
import { certificatesFromFile } from '../signatures/validation/certs.ts';
import { validatePdf } from '../signatures/validation/index.ts';
import * as intake from '../dossiers/service.ts';
import { WORLD, createTestSigning, provisionDemoSigning, seedIntakeCatalog, submitUsualDossier, tinyPng } from '../dossiers/testing.ts';
import { resultRoutes } from './routes.ts';
import type { VerificationResult } from './verification.ts';

const corpus = resolve(import.meta.dirname, '../../../shared/corpus/signed-pdfs');
const REPO = resolve(import.meta.dirname, '../..');
interface Entry {
  file: string;
  trust_anchors?: string[];
}

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let app: FastifyInstance;
let anchors: Uint8Array[] = [];

beforeAll(async () => {
  ctx = await createTestContext({ demo: true });
  const room: RoomPlugin = async (i: FastifyInstance, o: { ctx: AppContext }) =>
    resultRoutes(i, { ctx: o.ctx, trustAnchors: async () => anchors, verifyRate: { max: 10_000, windowSeconds: 60 } });
  app = await buildApp(ctx, { rooms: [room], logger: false });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

const verify = (bytes: Uint8Array | Buffer, type = 'application/pdf') =>
  app.inject({ method: 'POST', url: '/api/public/verify', payload: Buffer.from(bytes), headers: { 'content-type': type } });

async function tableCounts(): Promise<Record<string, number>> {
  const r = await ctx.db.query<{ t: string; n: number }>(
    `SELECT 'document' AS t, count(*)::int AS n FROM document UNION ALL SELECT 'blob', count(*)::int FROM blob UNION ALL SELECT 'audit', count(*)::int FROM audit_event`,
  );
  return Object.fromEntries(r.rows.map((x) => [x.t, x.n]));
}

describe('public verification', () => {
  it('gives every corpus file the same indications as the engine of `hoso verify`, storing nothing', async () => {
    const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as { entries: Entry[] };
    expect(manifest.entries.length).toBeGreaterThan(100);
    const before = await tableCounts();
    const disagreements: string[] = [];
    for (const e of manifest.entries) {
      anchors = (e.trust_anchors ?? []).flatMap((a) => certificatesFromFile(new Uint8Array(readFileSync(join(corpus, a)))));
      const bytes = new Uint8Array(readFileSync(join(corpus, e.file)));
      const expected = await validatePdf(bytes, { trustAnchors: anchors });
      const r = await verify(bytes);
      if (r.statusCode !== 200) {
        // Only a file that is not a PDF at all may be refused before validation.
        if (r.json().code !== 'VERIFY_NOT_PDF') disagreements.push(`${e.file}: HTTP ${r.statusCode} ${r.json().code}`);
        continue;
      }
      const got = r.json() as VerificationResult;
      const a = got.report.signatures.map((s) => `${s.indication}/${s.subIndication ?? ''}`).join(',');
      const b = expected.signatures.map((s) => `${s.indication}/${s.subIndication ?? ''}`).join(',');
      if (a !== b || Boolean(got.report.error) !== Boolean(expected.error)) disagreements.push(`${e.file}: page ${a} ≠ engine ${b}`);
      expect(got.registry).toBeNull();
    }
    expect(disagreements).toEqual([]);
    expect(await tableCounts()).toEqual(before);
  }, 300_000);

  it('agrees with the `hoso verify` command itself on a sample', async () => {
    const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as { entries: Entry[] };
    const sample = manifest.entries.filter((e) => (e.trust_anchors ?? []).length > 0).slice(0, 3);
    for (const e of sample) {
      anchors = e.trust_anchors!.flatMap((a) => certificatesFromFile(new Uint8Array(readFileSync(join(corpus, a)))));
      const cli = spawnSync(
        process.execPath,
        [join(REPO, 'bin/hoso.mjs'), 'verify', '--json', ...e.trust_anchors!.flatMap((a) => ['--trust', join(corpus, a)]), join(corpus, e.file)],
        { encoding: 'utf8' },
      );
      const fromCli = (JSON.parse(cli.stdout) as { files: { signatures: { indication: string }[] }[] }).files[0]!.signatures.map((s) => s.indication);
      const page = (await verify(readFileSync(join(corpus, e.file)))).json() as VerificationResult;
      expect(page.report.signatures.map((s) => s.indication), e.file).toEqual(fromCli);
    }
  }, 120_000);

  it('finds a receipt hoso issued in its registry, valid under the demo root', async () => {
    expect(existsSync(corpus)).toBe(true);
    await seedIntakeCatalog(ctx);
    const certifier = await createTestSigning('verify-cert');
    const citizen = await createSignedInUser(ctx, { role: 'citizen' });
    const counter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch });
    await provisionDemoSigning(ctx, [WORLD.branch]);
    const id = (await submitUsualDossier(ctx, citizen.principal, certifier)).body.id;
    const received = await intake.receiveDossier(ctx, counter.principal, id);
    const receipt = await intake.readReceipt(ctx, counter.principal, id, 'officer');
    expect(received.receipt).not.toBeNull();
    const { configuredTrustAnchors } = await import('../identity/credentials/service.ts');
    anchors = await configuredTrustAnchors(ctx);
    const r = (await verify(receipt.bytes)).json() as VerificationResult;
    expect(r.verdict).toBe('TOTAL_PASSED');
    expect(r.label.vi).toMatch(/^Hợp lệ/);
    expect(r.registry).toMatchObject({ issuedByHoso: true, kind: 'receipt', form: '01', status: 'valid' });
    // One byte changed: the signature fails and the registry no longer recognises the bytes.
    const changed = new Uint8Array(receipt.bytes);
    changed[changed.length - 20] = changed[changed.length - 20]! ^ 0x01;
    const bad = (await verify(changed)).json() as VerificationResult;
    expect(bad.registry).toBeNull();
  }, 120_000);

  it('answers bad input precisely and limits the rate', async () => {
    expect((await verify(Buffer.alloc(0))).json().code).toBe('VERIFY_EMPTY');
    const png = await verify(tinyPng(), 'application/pdf');
    expect(png.statusCode).toBe(415);
    expect(png.json().code).toBe('VERIFY_NOT_PDF');
    const limited = await buildApp(ctx, {
      rooms: [async (i: FastifyInstance, o: { ctx: AppContext }) => resultRoutes(i, { ctx: o.ctx, trustAnchors: async () => [], verifyRate: { max: 2, windowSeconds: 60 } })],
      logger: false,
    });
    await limited.ready();
    const pdf = readFileSync(join(corpus, JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')).entries[0].file as string));
    const send = () => limited.inject({ method: 'POST', url: '/api/public/verify', payload: pdf, headers: { 'content-type': 'application/pdf' } });
    await send();
    await send();
    const third = await send();
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBeDefined();
    await limited.close();
  });
});
