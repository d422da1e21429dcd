// Online intake throughput on PostgreSQL (BENCH_DATABASE_URL, default the local server), one JSON line per figure,
// through the HTTP layer (multipart parsing, file checks, signature validation, blobs, one transaction + audit):
//  - dossiers/s with INTAKE_BENCH_CONCURRENCY (8) submitters in a closed loop, INTAKE_BENCH_DOSSIERS (3000) in all —
//    about half a minute, so the figure is the sustained rate rather than a burst that ends before the JIT, the pool's
//    prepared statements and the blob store's directories have warmed up;
//  - p50/p99 latency at a fixed arrival rate INTAKE_BENCH_RATE (50/s) for INTAKE_BENCH_SECONDS (10).
// INTAKE_BENCH_PROFILE=<file> writes a CPU profile of the closed-loop phase.
// Each dossier has three uploaded components of ~100 KB — a signed PDF (e-certified copy, validated on upload) and two
// photos/scans (basis DIGITIZED_SIGNED, kept as one PDF each, signed later at reception) — plus a self-declared form
// and an exemption.
import type { FastifyInstance } from 'fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { createTestContext } from '../test/support/context.ts';
import { identityRoutes } from '../src/identity/routes.ts';
import { createSignedInUser, type TestSession } from '../src/identity/testing.ts';
import type { AppContext } from '../src/platform/context.ts';
import { buildApp, type RoomPlugin } from '../src/platform/http/app.ts';
import { P12Backend } from '../src/signatures/keys/index.ts';
import { signPdf } from '../src/signatures/signing/index.ts';
import { makeSamplePdf } from '../src/signatures/signing/fixtures.ts';
import { dossierRoutes } from '../src/dossiers/routes.ts';
import { COMPONENTS as C, TINY_JPEG, WORLD, createTestSigning, seedIntakeCatalog, usualComponents } from '../src/dossiers/testing.ts';
import { percentile, profiled } from './_support.ts';

process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONCURRENCY = Number(process.env.INTAKE_BENCH_CONCURRENCY ?? 8);
const DOSSIERS = Number(process.env.INTAKE_BENCH_DOSSIERS ?? 3000);
const RATE = Number(process.env.INTAKE_BENCH_RATE ?? 50);
const SECONDS = Number(process.env.INTAKE_BENCH_SECONDS ?? 10);


/** A ~100 KB JPEG: the tiny test JPEG with a padding comment segment (COM, 0xFFFE) of random bytes after SOI. */
function jpegOfSize(bytes: number): Uint8Array {
  const chunks: Buffer[] = [Buffer.from(TINY_JPEG.subarray(0, 2))];
  for (let left = bytes; left > 0; left -= 65_533) {
    const n = Math.min(65_533, left);
    chunks.push(Buffer.from([0xff, 0xfe, (n + 2) >> 8, (n + 2) & 0xff]), randomBytes(n));
  }
  chunks.push(Buffer.from(TINY_JPEG.subarray(2)));
  return Buffer.concat(chunks);
}

function multipart(dossier: unknown, files: { field: string; name: string; type: string; bytes: Uint8Array }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----hoso${randomUUID()}`;
  const parts = [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="dossier"\r\n\r\n${JSON.stringify(dossier)}\r\n`)];
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), Buffer.from(f.bytes), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const payload = Buffer.concat(parts);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function main(): Promise<void> {
  const ctx = await createTestContext();
  try {
    await seedIntakeCatalog(ctx);
    const signing = await createTestSigning('bench');
    const signer = await P12Backend.fromFile(signing.pki.people.cert!.p12Path, signing.pki.people.cert!.password);
    const pdf = (await signPdf(await makeSamplePdf({ xref: 'table', padBytes: 100_000 }), { signer, trustAnchors: signing.pki.trustAnchors })).bytes;
    const room: RoomPlugin = async (instance: FastifyInstance, opts: { ctx: AppContext }) =>
      dossierRoutes(instance, { ctx: opts.ctx, intake: { trustAnchors: async () => signing.pki.trustAnchors } });
    const app = await buildApp(ctx, { rooms: [identityRoutes, room], logger: false });
    await app.ready();
    const citizens: TestSession[] = [];
    for (let i = 0; i < CONCURRENCY; i++) citizens.push(await createSignedInUser(ctx, { role: 'citizen' }));

    const once = async (who: TestSession): Promise<number> => {
      const m = multipart(
        {
          procedure: WORLD.procedure,
          receivingAgency: WORLD.branch,
          components: usualComponents(who.principal.subjectId!, [{ key: C.photo, basis: 'DIGITIZED_SIGNED' }]),
        },
        [
          { field: `component:${C.diploma}`, name: 'van-bang.pdf', type: 'application/pdf', bytes: pdf },
          // Two ~100 KB photos (distinct bytes per dossier, as real uploads are) of one paper component.
          { field: `component:${C.photo}`, name: 'anh-1.jpg', type: 'image/jpeg', bytes: jpegOfSize(100_000) },
          { field: `component:${C.photo}`, name: 'anh-2.jpg', type: 'image/jpeg', bytes: jpegOfSize(100_000) },
        ],
      );
      const t0 = performance.now();
      const res = await app.inject({ method: 'POST', url: '/api/dossiers', payload: m.payload, headers: { ...who.headers, ...m.headers } });
      if (res.statusCode !== 201) throw new Error(`submission failed: ${res.statusCode} ${res.body}`);
      return performance.now() - t0;
    };

    // Warm-up: JIT, connection pool, first blob directory writes.
    for (const c of citizens) await once(c);

    let next = 0;
    const started = performance.now();
    await profiled(process.env.INTAKE_BENCH_PROFILE, () =>
      Promise.all(
        citizens.map(async (c) => {
          while (next < DOSSIERS) {
            next++;
            await once(c);
          }
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ bench: 'intake', figure: 'dossiers_per_second', engine: ctx.db.kind, concurrency: CONCURRENCY, dossiers: DOSSIERS, uploadedFiles: 3, signedPdfBytes: pdf.length, photoBytes: 2 * 100_000, value: Math.round((DOSSIERS / seconds) * 10) / 10 }));

    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < RATE * SECONDS; i++) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(once(citizens[i % citizens.length]!).then((ms) => void latencies.push(ms)));
    }
    await Promise.all(pending);
    latencies.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        bench: 'intake',
        figure: 'latency_at_fixed_rate_ms',
        engine: ctx.db.kind,
        ratePerSecond: RATE,
        seconds: SECONDS,
        p50: Math.round(percentile(latencies, 50)),
        p99: Math.round(percentile(latencies, 99)),
      }),
    );
    await app.close();
  } finally {
    await ctx.cleanup();
  }
}

await main();
