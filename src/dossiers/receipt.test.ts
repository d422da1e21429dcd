/**
 * The signed receipt (form 01, contract 2): produced at reception, signed by the counter officer then sealed by the
 * branch, valid for hoso's engine and for poppler's pdfsig; its text shows the code and the promised date that the
 * calendar computes; served to the applicant and the counter; RECEIPT_NOT_READY while missing; and the retry job
 * produces it when the inline attempt could not (here: no seal yet), reissuing the status secret on the receipt.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { procedureDueDate } from '../catalog/service.ts';
import { configuredTrustAnchors } from '../identity/credentials/service.ts';
import { identityRoutes } from '../identity/routes.ts';
import { createSignedInUser, type TestSession } from '../identity/testing.ts';
import type { AppContext } from '../platform/context.ts';
import { buildApp, type RoomPlugin } from '../platform/http/app.ts';
import { runJobsUntilIdle } from '../platform/jobs/index.ts';
import { makeNssDb, pdfsigAvailable, runPdfsig } from '../signatures/signing/pdfsig.ts';
import { validatePdf } from '../signatures/validation/index.ts';
import { jobHandlers } from './jobs.ts';
import { RECEIPT_JOB_DELAY_MS } from './receipt.ts';
import { dossierRoutes } from './routes.ts';
import * as service from './service.ts';
import { WORLD, createTestSigning, provisionDemoSigning, seedIntakeCatalog, submitUsualDossier, type TestSigning } from './testing.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
type User = TestSession & { userId: string };

let ctx: Ctx;
let app: FastifyInstance;
let certifier: TestSigning;
let citizen: User;
let counter: User;
let otherCounter: User;

// Real time: the demo TSA stamps with the clock, so the certificates must exist before "now".


const vnDate = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);

function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-receipt-'));
  writeFileSync(join(dir, 'r.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
}

async function submitted(): Promise<string> {
  const r = await submitUsualDossier(ctx, citizen.principal, certifier);
  return r.body.id;
}

beforeAll(async () => {
  ctx = await createTestContext({ demo: true, publicUrl: 'https://dichvucong.example.vn' });
  await seedIntakeCatalog(ctx);
  certifier = await createTestSigning('receipt-cert');
  citizen = await createSignedInUser(ctx, { role: 'citizen', displayName: 'Trần Thị Bình' });
  counter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch, displayName: 'Lê Văn Cường' });
  otherCounter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.otherBranch });
  const room: RoomPlugin = async (instance: FastifyInstance, opts: { ctx: AppContext }) => dossierRoutes(instance, { ctx: opts.ctx });
  app = await buildApp(ctx, { rooms: [identityRoutes, room], logger: false });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

describe('receipt (form 01)', () => {
  it('is missing, with RECEIPT_NOT_READY and Retry-After, until a seal exists; the job then produces it with a fresh secret', async () => {
    // Officers have keys, but no agency has a seal yet: the inline attempt fails and the job is the safety net.
    await provisionDemoSigning(ctx, []);
    const id = await submitted();
    const received = await service.receiveDossier(ctx, counter.principal, id);
    expect(received.receipt).toBeNull();
    const early = await app.inject({ method: 'GET', url: `/api/my/dossiers/${id}/receipt`, headers: citizen.headers });
    expect(early.statusCode).toBe(404);
    expect(early.json().code).toBe('RECEIPT_NOT_READY');
    expect(early.headers['retry-after']).toBe('5');
    expect((await service.getMyDossier(ctx, citizen.principal, id)).receipt).toBeNull();

    await provisionDemoSigning(ctx, [WORLD.branch]);
    // The job waits so as not to race the inline attempt.
    expect(await runJobsUntilIdle(ctx, jobHandlers)).toBe(0);
    ctx.setNow(new Date(Date.now() + RECEIPT_JOB_DELAY_MS + 1000));
    expect(await runJobsUntilIdle(ctx, jobHandlers)).toBe(1);
    ctx.setNow(null);

    const detail = await service.getMyDossier(ctx, citizen.principal, id);
    expect(detail.receipt).not.toBeNull();
    const pdf = await app.inject({ method: 'GET', url: `/api/my/dossiers/${id}/receipt`, headers: citizen.headers });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.rawPayload);
    // The secret given at reception no longer works; the one printed on the receipt does.
    await expect(service.publicStatus(ctx, received.code!, received.statusSecret!)).rejects.toMatchObject({ code: 'DOSSIER_STATUS_NOT_FOUND' });
    const printed = /mã tra cứu\s+([A-Za-z0-9_-]{24})/.exec(text.replace(/\s+/g, ' '));
    expect(printed).not.toBeNull();
    expect((await service.publicStatus(ctx, received.code!, printed![1]!)).status).toBe('received');
  });

  it('is produced at reception, signed by the officer then the branch seal, and validates in hoso and pdfsig', async () => {
    await provisionDemoSigning(ctx, [WORLD.branch]);
    const id = await submitted();
    const received = await service.receiveDossier(ctx, counter.principal, id);
    expect(received.receipt).toMatchObject({ documentId: expect.any(String), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const r = await app.inject({ method: 'GET', url: `/api/reception/dossiers/${id}/receipt`, headers: counter.headers });
    expect(r.statusCode).toBe(200);
    const bytes = new Uint8Array(r.rawPayload);
    const anchors = await configuredTrustAnchors(ctx);
    const report = await validatePdf(bytes, { trustAnchors: anchors });
    const sigs = report.signatures.filter((s) => s.type === 'signature');
    expect(sigs.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    if (pdfsigAvailable()) {
      const entries = runPdfsig(bytes, makeNssDb(anchors));
      expect(entries).toHaveLength(2);
      for (const e of entries) {
        expect(e.valid).toBe(true);
        expect(e.trusted).toBe(true);
      }
      expect(entries[0]!.commonName).toContain('Lê Văn Cường');
    }

    const text = pdfText(bytes);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(received.code!);
    expect(flat).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(flat).toContain('Trần Thị Bình');
    expect(flat).toContain('Cấp giấy phép thử nghiệm');
    expect(flat).toContain('Đơn đề nghị cấp giấy phép');
    expect(flat).toContain('Bản sao điện tử có chứng thực');
    expect(flat).toContain('Không số hóa');
    const { due } = await procedureDueDate(ctx.db, WORLD.procedure, new Date(received.receivedAt!));
    expect(new Date(received.promisedDue!).getTime()).toBe(due.getTime());
    expect(flat).toContain(vnDate(due));
    // The secret is printed; the QR / status URL carries only the code.
    expect(flat).toContain(received.statusSecret!);
    expect(flat).toContain(`https://dichvucong.example.vn/tra-cuu?ma=${received.code}`);
    expect(flat).not.toContain(`secret=${received.statusSecret}`);
  });

  it('is served only within scope and its reads are audited', async () => {
    await provisionDemoSigning(ctx, [WORLD.branch]);
    const id = await submitted();
    await service.receiveDossier(ctx, counter.principal, id);
    const foreign = await app.inject({ method: 'GET', url: `/api/reception/dossiers/${id}/receipt`, headers: otherCounter.headers });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('DOSSIER_NOT_FOUND');
    const stranger = await createSignedInUser(ctx, { role: 'citizen' });
    const theirs = await app.inject({ method: 'GET', url: `/api/my/dossiers/${id}/receipt`, headers: stranger.headers });
    expect(theirs.statusCode).toBe(404);
    const before = (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE type = 'document.read'")).rows[0]!.n;
    expect((await app.inject({ method: 'GET', url: `/api/my/dossiers/${id}/receipt`, headers: citizen.headers })).statusCode).toBe(200);
    const after = (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE type = 'document.read'")).rows[0]!.n;
    expect(after).toBe(before + 1);
    // Issuing again is a no-op: one receipt per dossier.
    const n = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dossier_receipt WHERE dossier_id = $1', [id])).rows[0]!.n;
    expect(n).toBe(1);
  });
});
