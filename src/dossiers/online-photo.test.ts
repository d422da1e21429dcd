/**
 * Photos sent online (issue 4, "attach each component (PDF or photos/scans that become one PDF)"): the photos become
 * one PDF kept as received; the counter officer signs it at reception (R1), so the component is DIGITIZED_SIGNED with
 * a TOTAL_PASSED report, a conversion mark naming the officer, and the original bytes unchanged beside the signed copy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { configuredTrustAnchors, signingEnvironment } from '../identity/credentials/service.ts';
import { createSignedInUser, type TestSession } from '../identity/testing.ts';
import { reportIndication } from '../documents/rules.ts';
import { sha256Hex } from '../platform/blobs/index.ts';
import { validatePdf } from '../signatures/validation/index.ts';
import * as service from './service.ts';
import { COMPONENTS as C, TINY_JPEG, WORLD, createTestSigning, provisionDemoSigning, seedIntakeCatalog, submitUsualDossier, tinyPng, type TestSigning } from './testing.ts';

type User = TestSession & { userId: string };
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let certifier: TestSigning;
let citizen: User;
let counter: User;

async function submitWithPhotos(): Promise<string> {
  const r = await submitUsualDossier(ctx, citizen.principal, certifier, {
    components: [{ key: C.photo, basis: 'DIGITIZED_SIGNED' }],
    files: [
      { componentKey: C.photo, filename: 'anh-1.jpg', declaredType: 'image/jpeg', bytes: new Uint8Array(TINY_JPEG) },
      { componentKey: C.photo, filename: 'anh-2.png', declaredType: 'image/png', bytes: tinyPng(8, 6) },
    ],
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

beforeAll(async () => {
  ctx = await createTestContext({ demo: true });
  await seedIntakeCatalog(ctx);
  certifier = await createTestSigning('photo-cert');
  citizen = await createSignedInUser(ctx, { role: 'citizen', displayName: 'Nguyễn Thị Lan' });
  counter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch, displayName: 'Đỗ Minh Quân' });
  await provisionDemoSigning(ctx, [WORLD.branch]);
}, 120_000);

afterAll(async () => {
  await ctx?.cleanup();
});

describe('photos sent online are signed at reception', () => {
  it('awaits the signature until reception, then is DIGITIZED_SIGNED by the receiving officer, original kept', async () => {
    const id = await submitWithPhotos();
    const before = await service.getMyDossier(ctx, citizen.principal, id);
    const pending = before.components.find((c) => c.key === C.photo)!;
    expect(pending).toMatchObject({ basis: 'DIGITIZED_SIGNED', assessment: 'awaiting_signature', validation: null });
    expect(pending.document).toMatchObject({ mediaType: 'application/pdf', pages: 2, origin: 'uploaded', signedSha256: null });
    const originalSha = pending.document!.sha256;

    const received = await service.receiveDossier(ctx, counter.principal, id);
    expect(received.status).toBe('received');

    const after = await service.getDossierForOfficer(ctx, counter.principal, id);
    const photo = after.components.find((c) => c.key === C.photo)!;
    expect(photo.assessment).toBe('valid');
    expect(photo.validation).toMatchObject({ indication: 'TOTAL_PASSED' });
    expect(photo.evidence).toMatchObject({ indication: 'TOTAL_PASSED', source: 'online_photo', fromImages: true, pages: 2, convertedBy: { userId: counter.userId, name: 'Đỗ Minh Quân' } });
    expect(String(photo.evidence!.conversionMark)).toContain('Đỗ Minh Quân');
    // The bytes as received are untouched; the signed copy sits beside them and validates on its own.
    expect(photo.document!.sha256).toBe(originalSha);
    expect(sha256Hex(await ctx.blobs.get(originalSha))).toBe(originalSha);
    const signed = await ctx.blobs.get(photo.document!.signedSha256!);
    const anchors = [...(await signingEnvironment(ctx)).trustAnchors, ...(await configuredTrustAnchors(ctx))];
    const report = await validatePdf(signed, { trustAnchors: anchors, at: new Date() });
    expect(reportIndication(report)).toBe('TOTAL_PASSED');
    const audit = await ctx.db.query<{ data: { digitizedAtReception?: string[] } }>(
      `SELECT data FROM audit_event WHERE subject_id = $1 AND type = 'dossier.received'`,
      [id],
    );
    expect(audit.rows[0]!.data.digitizedAtReception).toEqual([C.photo]);
    // The signed photos' text is recognised afterwards, from the original (documents/ocr): one job, queued by the reception.
    const ocr = await ctx.db.query<{ payload: { documentId: string } }>(`SELECT payload FROM job WHERE type = 'document.ocr'`);
    expect(ocr.rows.map((j) => j.payload.documentId)).toEqual([photo.document!.id]);
  });

  it('a photo the officer finds unusable can be named in the one completion request instead', async () => {
    const id = await submitWithPhotos();
    const r = await service.returnForCompletion(ctx, counter.principal, id, [{ componentKey: C.photo, reason: 'Ảnh mờ, không đọc được' }]);
    expect(r.status).toBe('new');
    const detail = await service.getMyDossier(ctx, citizen.principal, id);
    expect(detail.completionRequest?.items.map((i) => i.componentKey)).toEqual([C.photo]);
  });
});
