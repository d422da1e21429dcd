/**
 * A paper result required by law (issue 6, R6): after the e-result is issued, the printed, wet-signed paper is
 * scanned back in, marked as converted with who converted it, and sealed by the issuing agency as an electronic
 * copy; the scan as received and the signed copy are both kept; officers and the applicant can open the copy. Only
 * where the law asks for paper, only after the result, only once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredTrustAnchors } from '../../identity/credentials/service.ts';
import { pdftotext } from '../../documents/nd30/testkit.ts';
import { validatePdf } from '../../signatures/validation/index.ts';
import { TINY_JPEG, samplePdf } from '../testing.ts';
import { PROCESSING, startProcessingWorld, type ProcessingWorld, type WorldUser } from './testing.ts';

let world: ProcessingWorld;

beforeAll(async () => {
  world = await startProcessingWorld();
}, 180_000);

afterAll(async () => {
  await world?.cleanup();
});

const paperRequired = (required: boolean) =>
  world.ctx.db.query(`UPDATE procedure SET result = jsonb_set(result, '{paperAlsoRequiredByLaw}', $2::jsonb) WHERE key = $1`, [PROCESSING.procedure, JSON.stringify(required)]);

/** Photographed pages (JPEG), or one PDF from a scanner. */
async function scans(what: { jpegPages: number } | 'scanner-pdf'): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const boundary = '----hoso-paper';
  const file = (name: string, type: string, bytes: Uint8Array) =>
    Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`), Buffer.from(bytes), Buffer.from('\r\n')]);
  const parts =
    what === 'scanner-pdf'
      ? [file('ket-qua-giay.pdf', 'application/pdf', await samplePdf('Giay khai sinh ban chinh'))]
      : Array.from({ length: what.jpegPages }, (_, i) => file(`trang-${i + 1}.jpg`, 'image/jpeg', TINY_JPEG));
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const scan = async (who: WorldUser, id: string, what: { jpegPages: number } | 'scanner-pdf' = { jpegPages: 2 }) => {
  const body = await scans(what);
  return world.app.inject({ method: 'POST', url: `/api/processing/dossiers/${id}/paper-result`, headers: { ...who.headers, ...body.headers }, payload: body.payload });
};

async function processed(): Promise<string> {
  const { leader, specialist } = world.users;
  const id = await world.submitAndReceive();
  await world.act(leader, id, { action: { type: 'complete_step' }, assignTo: specialist.userId });
  const draft = await world.addDraft(specialist, id, 'Dự thảo');
  await world.act(specialist, id, { action: { type: 'complete_step' } });
  await world.act(leader, id, { action: { type: 'approve' } });
  expect((await world.act(leader, id, { action: { type: 'mark_processed', workingDocumentId: draft.id } })).statusCode).toBe(200);
  return id;
}

describe('paper result scanned back in', () => {
  it('is marked as converted and sealed by the issuing agency; both the scan and the copy are kept', async () => {
    await paperRequired(true);
    const { specialist, citizen, leader } = world.users;
    const id = await processed();
    const ws = await world.workspaceOf(specialist, id);
    expect(ws.paperResult).toEqual({ required: true, copy: null });
    expect(ws.allowed).toContain('scan_paper_result');

    const r = await scan(specialist, id, 'scanner-pdf');
    expect(r.statusCode, r.body).toBe(201);
    const copy = r.json() as { documentId: string; pages: number; convertedBy: string; warnings: { code: string }[] };
    expect(copy).toMatchObject({ pages: 1, convertedBy: 'Hoàng Thu Hà', warnings: [] });

    const after = await world.workspaceOf(leader, id);
    expect(after.paperResult.copy).toMatchObject({ documentId: copy.documentId, convertedBy: 'Hoàng Thu Hà' });
    expect(after.allowed).not.toContain('scan_paper_result');

    // The signed e-copy: the agency's seal, TOTAL_PASSED, the conversion mark naming the converter.
    const doc = await world.ctx.db.query<{ blob_sha256: string; signed_blob_sha256: string; origin: string }>('SELECT blob_sha256, signed_blob_sha256, origin FROM document WHERE id = $1', [copy.documentId]);
    expect(doc.rows[0]).toMatchObject({ origin: 'scanned', signed_blob_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(doc.rows[0]!.blob_sha256).not.toBe(doc.rows[0]!.signed_blob_sha256);
    const signed = await world.ctx.blobs.get(doc.rows[0]!.signed_blob_sha256);
    const report = await validatePdf(signed, { trustAnchors: await configuredTrustAnchors(world.ctx) });
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED']);
    expect(report.signatures[0]!.signer?.subject).toContain('Sở Y tế');
    expect(pdftotext(signed, []).normalize('NFC').replace(/\s+/g, ' ')).toContain('Bản số hóa từ bản giấy — người chuyển đổi: Hoàng Thu Hà');

    // The applicant opens the copy from their dossier.
    const mine = await world.app.inject({ method: 'GET', url: `/api/my/dossiers/${id}`, headers: citizen.headers });
    expect((mine.json() as { paperResultCopy: { documentId: string } | null }).paperResultCopy).toMatchObject({ documentId: copy.documentId });
    const download = await world.app.inject({ method: 'GET', url: `/api/my/dossiers/${id}/documents/${copy.documentId}`, headers: citizen.headers });
    expect(download.statusCode).toBe(200);

    const twice = await scan(specialist, id);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'PAPER_RESULT_EXISTS' });
    const audit = await world.ctx.db.query<{ type: string }>(`SELECT type FROM audit_event WHERE subject_id = $1 AND type = 'document.paper_result_scanned'`, [id]);
    expect(audit.rows).toHaveLength(1);
  }, 180_000);

  it('takes photographed pages too, warning when they are under 200 dpi', async () => {
    await paperRequired(true);
    const id = await processed();
    const r = await scan(world.users.specialist, id, { jpegPages: 2 });
    expect(r.statusCode, r.body).toBe(201);
    const copy = r.json() as { pages: number; warnings: { code: string; page: number }[] };
    expect(copy.pages).toBe(2);
    expect(copy.warnings.map((w) => w.code)).toEqual(['SCAN_LOW_RESOLUTION', 'SCAN_LOW_RESOLUTION']);
  }, 180_000);

  it('only where the law requires paper, and only after the result', async () => {
    const { specialist, leader } = world.users;
    await paperRequired(true);
    const early = await world.submitAndReceive();
    await world.act(leader, early, { action: { type: 'complete_step' }, assignTo: specialist.userId });
    const before = await scan(specialist, early);
    expect(before.statusCode).toBe(409);
    expect(before.json()).toMatchObject({ code: 'PAPER_RESULT_BEFORE_RESULT' });

    await paperRequired(false);
    const id = await processed();
    expect((await world.workspaceOf(specialist, id)).allowed).not.toContain('scan_paper_result');
    const r = await scan(specialist, id);
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'PAPER_RESULT_NOT_REQUIRED' });
    // Another agency's officer does not even see the dossier.
    expect((await scan(world.users.justiceSpecialist, id)).statusCode).toBe(404);
  }, 180_000);
});
