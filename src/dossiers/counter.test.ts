/**
 * Walk-in reception (POST /api/reception/walk-in): three scanned pages become one PDF, marked as converted from paper
 * with the officer's identity and signed at once; the original bytes are kept beside the signed copy; the dossier is
 * created and received in the same act with its code, promised date and signed receipt. Bad input changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { procedureDueDate } from '../catalog/service.ts';
import { imageFacts } from '../documents/scan.ts';
import { configuredTrustAnchors } from '../identity/credentials/service.ts';
import { identityRoutes } from '../identity/routes.ts';
import { createSignedInUser, type TestSession } from '../identity/testing.ts';
import type { AppContext } from '../platform/context.ts';
import { buildApp, type RoomPlugin } from '../platform/http/app.ts';
import { validatePdf } from '../signatures/validation/index.ts';
import { dossierRoutes } from './routes.ts';
import { COMPONENTS as C, TINY_JPEG, WORLD, provisionDemoSigning, seedIntakeCatalog, tinyPng, validForm } from './testing.ts';

type User = TestSession & { userId: string };
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let app: FastifyInstance;
let counter: User;

/** The tiny JPEG with its JFIF density set to `dpi` dots per inch. */
function jpegAt(dpi: number): Uint8Array {
  const b = new Uint8Array(TINY_JPEG);
  b[13] = 1;
  b[14] = dpi >> 8;
  b[15] = dpi & 0xff;
  b[16] = dpi >> 8;
  b[17] = dpi & 0xff;
  return b;
}

interface Part {
  field: string;
  filename: string;
  type: string;
  bytes: Uint8Array;
}

function multipart(dossier: unknown, files: Part[]) {
  const boundary = `----hoso${randomUUID()}`;
  const parts: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="dossier"\r\n\r\n${JSON.stringify(dossier)}\r\n`)];
  for (const f of files) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`),
      Buffer.from(f.bytes),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const SUBJECT = '001085012345';

function walkIn(extra: Record<string, unknown> = {}) {
  return {
    procedure: WORLD.procedure,
    applicant: { kind: 'citizen', subjectId: SUBJECT, fullName: 'Phạm Thị Dung', email: 'dung@example.vn', phone: '0912 345 678' },
    components: [
      { key: C.form, form: validForm(SUBJECT) },
      { key: C.diploma, basis: 'DIGITIZED_SIGNED' },
      { key: C.card, exempt: { reason: 'SHOWN_ONLY', note: 'Đã đối chiếu bản gốc' } },
    ],
    ...extra,
  };
}

// Realistic page sizes (A4 at 200 dpi, and a low-resolution photo at about 72 dpi), so the pages are A4 in the PDF.
const PAGE_200 = tinyPng(1654, 2339, [250, 250, 245]);
const PAGE_72 = tinyPng(595, 842, [240, 240, 250]);
const scans = (): Part[] => [
  { field: `component:${C.diploma}`, filename: 'trang-1.png', type: 'image/png', bytes: PAGE_200 },
  { field: `component:${C.diploma}`, filename: 'trang-2.png', type: 'image/png', bytes: PAGE_72 },
  { field: `component:${C.diploma}`, filename: 'trang-3.png', type: 'image/png', bytes: tinyPng(1654, 2339, [230, 250, 230]) },
];

async function send(dossier: unknown, files: Part[], headers: Record<string, string> = {}) {
  const m = multipart(dossier, files);
  return app.inject({ method: 'POST', url: '/api/reception/walk-in', payload: m.payload, headers: { ...counter.headers, ...m.headers, ...headers } });
}

const count = async (table: string) => (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-walkin-'));
  writeFileSync(join(dir, 'f.pdf'), pdf);
  return execFileSync('pdftotext', [join(dir, 'f.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

beforeAll(async () => {
  ctx = await createTestContext({ demo: true });
  await seedIntakeCatalog(ctx);
  counter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch, displayName: 'Hoàng Minh Tâm' });
  await provisionDemoSigning(ctx, [WORLD.branch]);
  const room: RoomPlugin = async (instance: FastifyInstance, opts: { ctx: AppContext }) => dossierRoutes(instance, { ctx: opts.ctx });
  app = await buildApp(ctx, { rooms: [identityRoutes, room], logger: false });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

describe('scan resolution', () => {
  it('reads the declared density of JPEG (JFIF) and falls back to the pixel size against A4', () => {
    expect(imageFacts('jpeg', jpegAt(300))).toMatchObject({ dpi: 300, source: 'declared' });
    expect(imageFacts('png', tinyPng(2480, 3508))).toMatchObject({ dpi: 300, source: 'a4' });
    expect(imageFacts('png', tinyPng(8, 6))!.dpi).toBeLessThan(200);
    expect(imageFacts('jpeg', new Uint8Array([0xff, 0xd8, 0xff, 0x00]))).toBeNull();
  });
});

describe('walk-in reception', () => {
  it('scans 3 pages into one signed PDF, keeps the original, receives the dossier and gives the receipt in one act', async () => {
    const key = randomUUID();
    const r = await send(walkIn(), scans(), { 'idempotency-key': key });
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    expect(body.status).toBe('received');
    expect(body.portalStatus).toBe(2);
    expect(body.code).toMatch(/^000\.01\.30\.H26-/);
    const { due } = await procedureDueDate(ctx.db, WORLD.procedure, new Date(body.receivedAt));
    expect(new Date(body.promisedDue).getTime()).toBe(due.getTime());
    // Only the 72 dpi page is under 200 dpi.
    expect(body.warnings).toHaveLength(1);
    expect(body.warnings[0]).toMatchObject({ code: 'SCAN_LOW_RESOLUTION', component: C.diploma, page: 2 });

    const scan = body.components.find((c: { key: string }) => c.key === C.diploma);
    expect(scan.basis).toBe('DIGITIZED_SIGNED');
    const original = await ctx.blobs.get(scan.originalSha256);
    const signed = await ctx.blobs.get(scan.signedSha256);
    expect((await PDFDocument.load(original)).getPageCount()).toBe(3);
    // The original is the conversion as built (no mark, no signature); the signed copy is a different blob.
    expect(Buffer.from(original).toString('latin1')).not.toContain('/ByteRange');
    expect(scan.signedSha256).not.toBe(scan.originalSha256);
    const anchors = await configuredTrustAnchors(ctx);
    const report = await validatePdf(signed, { trustAnchors: anchors });
    expect(report.signatures.filter((s) => s.type === 'signature').map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
    const text = pdfText(signed);
    expect(text).toContain('Bản số hóa từ bản giấy — người chuyển đổi: Hoàng Minh Tâm, Chi nhánh một cửa số 1');

    // The receipt was produced in the same sitting and validates (officer + seal).
    expect(body.receipt).not.toBeNull();
    const receipt = await app.inject({ method: 'GET', url: `/api/reception/dossiers/${body.id}/receipt`, headers: counter.headers });
    expect(receipt.statusCode).toBe(200);
    const rr = await validatePdf(new Uint8Array(receipt.rawPayload), { trustAnchors: anchors });
    expect(rr.signatures.filter((s) => s.type === 'signature').map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    const rt = pdfText(new Uint8Array(receipt.rawPayload));
    expect(rt).toContain(body.code);
    expect(rt).toContain('Phạm Thị Dung');
    expect(rt).toContain('Số hóa từ bản giấy, ký số khi tiếp nhận');

    // The officer's view shows the bases with evidence: the converter's identity and the validation report.
    const detail = (await app.inject({ method: 'GET', url: `/api/reception/dossiers/${body.id}`, headers: counter.headers })).json();
    const comp = detail.components.find((c: { key: string }) => c.key === C.diploma);
    expect(comp.evidence.convertedBy).toMatchObject({ userId: counter.userId, name: 'Hoàng Minh Tâm' });
    expect(comp.validation.indication).toBe('TOTAL_PASSED');
    expect(comp.document).toMatchObject({ sha256: scan.originalSha256, signedSha256: scan.signedSha256, origin: 'scanned' });
    expect(detail.channel).toBe('counter');
    expect(detail.receipt).toMatchObject({ documentId: body.receipt.documentId });

    // A retry with the same key returns the first answer and creates nothing.
    const dossiers = await count('dossier');
    const again = await send(walkIn(), scans(), { 'idempotency-key': key });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(body.id);
    expect(await count('dossier')).toBe(dossiers);
  });

  it('refuses bad input precisely and stores nothing', async () => {
    const before = { dossier: await count('dossier'), document: await count('document'), component: await count('dossier_component') };
    const disguised = await send(walkIn(), [{ field: `component:${C.diploma}`, filename: 'scan.pdf', type: 'application/pdf', bytes: jpegAt(300) }]);
    expect(disguised.statusCode).toBe(422);
    expect(disguised.json().code).toBe('FILE_TYPE_MISMATCH');
    const badId = await send(walkIn({ applicant: { kind: 'citizen', subjectId: '999085012345', fullName: 'Phạm Thị Dung' } }), scans());
    expect(badId.statusCode).toBe(422);
    expect(badId.json().code).toBe('DOSSIER_INVALID_APPLICANT_ID');
    const badMail = await send(walkIn({ applicant: { kind: 'citizen', subjectId: SUBJECT, fullName: 'Phạm Thị Dung', email: 'not-an-address' } }), scans());
    expect(badMail.statusCode).toBe(422);
    expect(badMail.json().code).toBe('APPLICANT_INVALID');
    const noScan = await send(walkIn(), []);
    expect(noScan.statusCode).toBe(422);
    expect(noScan.json().code).toBe('COMPONENT_FILE_REQUIRED');
    const notScannable = await send(
      walkIn({ components: [{ key: C.form, basis: 'DIGITIZED_SIGNED' }] }),
      [{ field: `component:${C.form}`, filename: 'a.jpg', type: 'image/jpeg', bytes: jpegAt(300) }],
    );
    expect(notScannable.statusCode).toBe(422);
    expect(notScannable.json().code).toBe('BASIS_NOT_ACCEPTED');
    const missing = await send(walkIn({ components: [{ key: C.form, form: validForm(SUBJECT) }] }), []);
    expect(missing.statusCode).toBe(422);
    expect(missing.json().code).toBe('DOSSIER_COMPONENTS_INCOMPLETE');
    expect({ dossier: await count('dossier'), document: await count('document'), component: await count('dossier_component') }).toEqual(before);
  });

  it('is for counter officers only', async () => {
    const citizen = await createSignedInUser(ctx, { role: 'citizen' });
    const m = multipart(walkIn(), scans());
    const r = await app.inject({ method: 'POST', url: '/api/reception/walk-in', payload: m.payload, headers: { ...citizen.headers, ...m.headers } });
    expect(r.statusCode).toBe(403);
  });
});
