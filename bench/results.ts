// Results on the 2-core machine, one JSON line per figure:
//  - results rendered (ND 30, Tinos, QR) and double-signed per second — the leader's personal signature (visible, in
//    the signature box) then the agency seal — PAdES B-LT with the demo TSA, PKCS#12 demo keys, RESULTS_BENCH_COUNT
//    (40) results with RESULTS_BENCH_CONCURRENCY (4) of them in flight;
//  - verification-page requests per second for a one-page result (POST /api/public/verify, through HTTP handling),
//    RESULTS_BENCH_VERIFY (200) requests.
// On PostgreSQL (BENCH_DATABASE_URL, default the local server; BENCH_DATABASE_URL=pglite for the embedded engine).
// RESULTS_BENCH_PROFILE=<file> writes a CPU profile of the timed issuances (open it in Chrome DevTools).
// Target (issue 6): ≥ 100 results/s.
import type { FastifyInstance } from 'fastify';
import { performance } from 'node:perf_hooks';
import { createTestContext } from '../test/support/context.ts';
import { createSignedInUser } from '../src/identity/testing.ts';
import { configuredTrustAnchors } from '../src/identity/credentials/service.ts';
import type { AppContext } from '../src/platform/context.ts';
import { buildApp, type RoomPlugin } from '../src/platform/http/app.ts';
import { issueSignedDocument } from '../src/documents/issue.ts';
import type { AdministrativeDocument } from '../src/documents/nd30/index.ts';
import { WORLD, provisionDemoSigning, seedIntakeCatalog } from '../src/dossiers/testing.ts';
import { resultRoutes } from '../src/results/routes.ts';
import { percentile, profiled } from './_support.ts';

const engine = process.env.BENCH_DATABASE_URL === 'pglite' ? 'pglite' : 'postgres';
if (engine === 'postgres') process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
else delete process.env.TEST_DATABASE_URL;
const COUNT = Number(process.env.RESULTS_BENCH_COUNT ?? 40);
const VERIFY = Number(process.env.RESULTS_BENCH_VERIFY ?? 200);
const CONCURRENCY = Number(process.env.RESULTS_BENCH_CONCURRENCY ?? 4);


function result(n: number, now: Date): AdministrativeDocument {
  return {
    governingBody: 'UBND THÀNH PHỐ HÀ NỘI',
    issuingAgency: 'SỞ Y TẾ',
    number: { value: n + 1, symbol: 'CCHN-SYT' },
    place: 'Hà Nội',
    date: now,
    title: 'CHỨNG CHỈ HÀNH NGHỀ DƯỢC',
    body: [
      { kind: 'paragraph', text: `Cấp cho ông/bà Nguyễn Văn An, số định danh cá nhân 001085012345, phạm vi hành nghề: bán lẻ thuốc (hồ sơ số ${n}).` },
      { kind: 'paragraph', text: 'Chứng chỉ có giá trị trên phạm vi toàn quốc.' },
    ],
    signer: { authority: 'KT. GIÁM ĐỐC', position: 'PHÓ GIÁM ĐỐC', fullName: 'Vũ Quốc Khánh' },
    qr: { url: `https://dichvucong.hanoi.gov.vn/xac-thuc?ma=${n}`, caption: 'Quét mã để xác thực' },
  };
}

async function main(): Promise<void> {
  const ctx = await createTestContext({ demo: true });
  try {
    await seedIntakeCatalog(ctx);
    const leader = await createSignedInUser(ctx, { role: 'leader', agencyCode: WORLD.health });
    await provisionDemoSigning(ctx, [WORLD.health]);
    const seal = (await ctx.db.query<{ id: string }>('SELECT id FROM agency WHERE code = $1', [WORLD.health])).rows[0]!.id;
    const sign = (n: number) =>
      issueSignedDocument(ctx, {
        document: result(n, new Date()),
        signers: [
          // As the product signs: the approver at B-T, the seal's B-LT revision carries the validation data of both.
          { owner: { userId: leader.userId }, appearance: 'signature-box', reason: 'Phê duyệt kết quả', location: 'Hà Nội' },
          { owner: { agencyId: seal }, appearance: 'invisible', reason: 'Đóng dấu kết quả', location: 'Hà Nội' },
        ],
        now: new Date(),
        level: 'B-LT',
      });
    const first = await sign(0); // warm-up: fonts, keys, TSA
    const ms: number[] = [];
    let next = 1;
    // CONCURRENCY issuances in flight, as leaders of several agencies sign at once: PostgreSQL and the thread pool's
    // hashing overlap the main thread's PDF and CMS work.
    const worker = async (): Promise<void> => {
      while (next <= COUNT) {
        const n = next++;
        const s = performance.now();
        await sign(n);
        ms.push(performance.now() - s);
      }
    };
    const t0 = performance.now();
    await profiled(process.env.RESULTS_BENCH_PROFILE, () => Promise.all(Array.from({ length: CONCURRENCY }, worker)));
    const seconds = (performance.now() - t0) / 1000;
    ms.sort((a, b) => a - b);
    console.log(
      JSON.stringify({ figure: 'results.double_signed_per_s', engine, results: COUNT, concurrency: CONCURRENCY, per_s: Number((COUNT / seconds).toFixed(1)), p50_ms: Number(percentile(ms, 50).toFixed(0)), p99_ms: Number(percentile(ms, 99).toFixed(0)), level: 'B-LT', target_per_s: 100 }),
    );

    const anchors = await configuredTrustAnchors(ctx);
    const room: RoomPlugin = async (i: FastifyInstance, o: { ctx: AppContext }) =>
      resultRoutes(i, { ctx: o.ctx, trustAnchors: async () => anchors, verifyRate: { max: 1_000_000, windowSeconds: 60 } });
    const app = await buildApp(ctx, { rooms: [room], logger: false });
    await app.ready();
    const payload = Buffer.from(first.bytes);
    const vms: number[] = [];
    const v0 = performance.now();
    for (let i = 0; i < VERIFY; i++) {
      const s = performance.now();
      const r = await app.inject({ method: 'POST', url: '/api/public/verify', payload, headers: { 'content-type': 'application/pdf' } });
      if (r.statusCode !== 200 || r.json().verdict !== 'TOTAL_PASSED') throw new Error(`verification failed: ${r.statusCode} ${r.body.slice(0, 200)}`);
      vms.push(performance.now() - s);
    }
    const vs = (performance.now() - v0) / 1000;
    vms.sort((a, b) => a - b);
    console.log(
      JSON.stringify({ figure: 'results.verify_requests_per_s', requests: VERIFY, per_s: Number((VERIFY / vs).toFixed(1)), p50_ms: Number(percentile(vms, 50).toFixed(1)), p99_ms: Number(percentile(vms, 99).toFixed(1)), pdf_bytes: payload.length }),
    );
    await app.close();
  } finally {
    await ctx.cleanup();
  }
}

await main();
