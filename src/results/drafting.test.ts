/**
 * A result drafted from the template and issued (issue 6, R6), through the HTTP API: the specialist drafts it from
 * the dossier's data and previews it; the leader approves and signs; the result is numbered, carries the QR code to
 * its verification page, validates TOTAL_PASSED at B-LT in hoso and as valid and trusted in pdfsig (both
 * signatures), its text extracts back as NFC Vietnamese and its page renders with the header, the QR and the
 * visible signature where the layout put them. The public lookup the QR opens shows it valid, then revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredTrustAnchors, demoPkiOfCredentials } from '../identity/credentials/service.ts';
import { runJobsUntilIdle } from '../platform/jobs/index.ts';
import { jobHandlers } from '../dossiers/jobs.ts';
import { WORLD } from '../dossiers/testing.ts';
import { darkShare, pdftotext, renderPageGray } from '../documents/nd30/testkit.ts';
import { formatVietnameseDateWords, renderAdministrativeDocument } from '../documents/nd30/index.ts';
import { makeNssDb, pdfsigAvailable, runPdfsig } from '../signatures/signing/pdfsig.ts';
import { validatePdf } from '../signatures/validation/index.ts';
import { startProcessingWorld, type ProcessingWorld } from '../dossiers/processing/testing.ts';
import { resultDocument } from './templates.ts';
import { storedDraft } from './drafting.ts';

let world: ProcessingWorld;

beforeAll(async () => {
  world = await startProcessingWorld();
}, 180_000);

afterAll(async () => {
  await world?.cleanup();
});

const get = (url: string, headers: Record<string, string> = {}) => world.app.inject({ method: 'GET', url, headers });
const post = (url: string, headers: Record<string, string>, payload: unknown) => world.app.inject({ method: 'POST', url, headers, payload: payload as object });

/** A dossier in the specialist's hands (appraisal step). */
async function atAppraisal(): Promise<string> {
  const { leader, specialist } = world.users;
  const id = await world.submitAndReceive();
  const handed = await world.act(leader, id, { action: { type: 'complete_step' }, assignTo: specialist.userId });
  expect(handed.statusCode, handed.body).toBe(200);
  return id;
}

describe('result drafted from the template and issued', () => {
  it('drafts, previews, signs twice (B-LT, visible in the signer block), numbers and registers the result', async () => {
    const { specialist, leader, citizen } = world.users;
    const id = await atAppraisal();

    const form = await get(`/api/processing/dossiers/${id}/result-draft`, specialist.headers);
    expect(form.statusCode, form.body).toBe(200);
    expect(form.json()).toMatchObject({ resultName: 'Giấy phép thử nghiệm', standard: true, inputs: [{ name: 'content', required: false }] });

    // Inputs the template does not have are refused with the field named; nothing is attached.
    const bad = await post(`/api/processing/dossiers/${id}/result-draft`, specialist.headers, { inputs: { nope: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'RESULT_DRAFT_INPUTS', problems: [{ name: 'nope' }] });
    // A citizen cannot draft.
    expect((await post(`/api/processing/dossiers/${id}/result-draft`, citizen.headers, {})).statusCode).toBe(403);

    const content = 'Phạm vi hoạt động: khám bệnh, chữa bệnh nội khoa tại Phường Hoàn Kiếm.';
    const drafted = await post(`/api/processing/dossiers/${id}/result-draft`, specialist.headers, { inputs: { content } });
    expect(drafted.statusCode, drafted.body).toBe(201);
    const draft = drafted.json() as { id: string; documentId: string; title: string };
    expect(draft.title).toBe('Dự thảo Giấy phép thử nghiệm');
    let ws = await world.workspaceOf(specialist, id);
    expect(ws.workingDocuments.find((w) => w.id === draft.id)).toMatchObject({ fromTemplate: true });

    // The preview: ND 30 layout, the dossier's data, no number yet.
    const preview = await get(`/api/processing/dossiers/${id}/documents/${draft.documentId}`, specialist.headers);
    expect(preview.statusCode).toBe(200);
    const previewText = pdftotext(new Uint8Array(preview.rawPayload)).normalize('NFC').replace(/\s+/g, ' ');
    expect(previewText).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(previewText).toContain('GIẤY PHÉP THỬ NGHIỆM');
    expect(previewText).toContain('Trần Thị Bình');
    expect(previewText).toContain(ws.dossier.code!);
    expect(previewText).toContain(content);
    expect(previewText).toMatch(/Số: +\/KQ/);

    expect((await world.act(specialist, id, { action: { type: 'complete_step' } })).statusCode).toBe(200);
    expect((await world.act(leader, id, { action: { type: 'approve' } })).statusCode).toBe(200);
    const done = await world.act(leader, id, { action: { type: 'mark_processed', workingDocumentId: draft.id } });
    expect(done.statusCode, done.body).toBe(200);
    ws = await world.workspaceOf(leader, id);
    const resultId = ws.dossier.result!.documentId;
    const res = await get(`/api/processing/dossiers/${id}/documents/${resultId}`, leader.headers);
    const bytes = new Uint8Array(res.rawPayload);

    // hoso's engine: both signatures TOTAL_PASSED at B-LT or better.
    const anchors = await configuredTrustAnchors(world.ctx);
    const report = await validatePdf(bytes, { trustAnchors: anchors });
    const signatures = report.signatures.filter((s) => s.type === 'signature');
    expect(signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    for (const s of signatures) expect(['B-LT', 'B-LTA']).toContain(s.padesLevel);

    // poppler's pdfsig with the trust root in an NSS database: both valid and trusted, the leader's first.
    if (pdfsigAvailable()) {
      const entries = runPdfsig(bytes, makeNssDb(anchors)).filter((e) => e.type !== 'unknown');
      expect(entries).toHaveLength(2);
      for (const e of entries) expect(e, JSON.stringify(e)).toMatchObject({ valid: true, trusted: true });
      expect(entries[0]!.commonName).toContain('Vũ Quốc Khánh');
    }

    // Text: NFC Vietnamese as written, numbered, dated in words, signed by the approver.
    const raw = pdftotext(bytes);
    expect(raw).toBe(raw.normalize('NFC'));
    const text = raw.replace(/\s+/g, ' ');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('GIẤY PHÉP THỬ NGHIỆM');
    expect(text).toMatch(/Số: 0?1\/KQ/);
    expect(text).toContain(`Hà Nội, ${formatVietnameseDateWords(new Date(ws.dossier.result!.readyAt))}`);
    expect(text).toContain('GIÁM ĐỐC');
    expect(text).toContain('Vũ Quốc Khánh');
    expect(text).toContain('Trần Thị Bình');
    expect(text).toContain(content);
    expect(text).toContain('Nơi nhận:');

    // The page image: the layout's own boxes, computed from the stored draft, hold the QR and the visible
    // signature; the header has ink; the left margin is blank.
    const stored = (await storedDraft(world.ctx.db, draft.id))!;
    const layout = await renderAdministrativeDocument(
      resultDocument(stored.template, stored.facts, {
        place: 'Hà Nội',
        date: new Date(ws.dossier.result!.readyAt),
        number: 1,
        signerName: 'Vũ Quốc Khánh',
        qr: { url: `https://dichvucong.example.vn/xac-thuc/kq/${resultId}`, caption: 'Quét mã để kiểm tra văn bản trên Cổng xác thực' },
      }),
    );
    const dpi = 100;
    const page = renderPageGray(bytes, 1, dpi);
    const pageHeight = 842;
    const fromTop = (r: { x: number; y: number; width: number; height: number }) => ({ x: r.x, top: pageHeight - r.y - r.height, width: r.width, height: r.height });
    const qr = darkShare(page, dpi, fromTop(layout.qrBox!));
    expect(qr).toBeGreaterThan(0.2);
    expect(qr).toBeLessThan(0.8);
    expect(darkShare(page, dpi, fromTop(layout.signatureBox!))).toBeGreaterThan(0.01);
    expect(darkShare(page, dpi, { x: 85, top: 57, width: 480, height: 40 })).toBeGreaterThan(0.01);
    expect(darkShare(page, dpi, { x: 5, top: 100, width: 60, height: 600 })).toBe(0);

    // The public lookup the QR opens: valid, numbered, nothing about the applicant.
    const lookup = await get(`/api/public/results/${resultId}`);
    expect(lookup.statusCode, lookup.body).toBe(200);
    expect(lookup.json()).toMatchObject({ status: 'valid', title: 'Giấy phép thử nghiệm', number: expect.stringMatching(/^Số: 0?1\/KQ$/) });
    expect(lookup.body).not.toContain('Trần Thị Bình');
    expect(lookup.body).not.toContain(world.users.citizen.principal.subjectId!);
    const unknown = await get('/api/public/results/00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'RESULT_NOT_REGISTERED' });

    const revoked = await post(`/api/processing/dossiers/${id}/revoke-result`, leader.headers, { reason: 'Hậu kiểm: văn bằng không hợp lệ' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await get(`/api/public/results/${resultId}`)).json()).toMatchObject({ status: 'revoked', revocation: { reason: 'Hậu kiểm: văn bằng không hợp lệ' } });
  }, 180_000);

  it('numbers results per agency and year in order; an uploaded PDF draft is signed as it is, without a number', async () => {
    const { specialist, leader } = world.users;
    const issue = async (fromTemplate: boolean) => {
      const id = await atAppraisal();
      const draft = fromTemplate
        ? ((await post(`/api/processing/dossiers/${id}/result-draft`, specialist.headers, {})).json() as { id: string })
        : await world.addDraft(specialist, id, 'Dự thảo tải lên');
      await world.act(specialist, id, { action: { type: 'complete_step' } });
      await world.act(leader, id, { action: { type: 'approve' } });
      const done = await world.act(leader, id, { action: { type: 'mark_processed', workingDocumentId: draft.id } });
      expect(done.statusCode, done.body).toBe(200);
      const resultId = (await world.workspaceOf(leader, id)).dossier.result!.documentId;
      return (await get(`/api/public/results/${resultId}`)).json() as { number: string | null };
    };
    const a = await issue(true);
    const b = await issue(false);
    const c = await issue(true);
    const n = (x: { number: string | null }) => Number(/Số: (\d+)\//.exec(x.number!)![1]);
    expect(b.number).toBeNull();
    expect(n(c)).toBe(n(a) + 1);
  }, 180_000);

  it('when the seal cannot be added, the approver’s signature is kept and the result job adds the seal and issues it', async () => {
    const { specialist, leader } = world.users;
    const { ctx } = world;
    const id = await atAppraisal();
    const draft = (await post(`/api/processing/dossiers/${id}/result-draft`, specialist.headers, {})).json() as { id: string };
    await world.act(specialist, id, { action: { type: 'complete_step' } });
    await world.act(leader, id, { action: { type: 'approve' } });
    // The Health seal moves to a PKCS#12 file whose PIN variable is not set: the seal fails as an unreachable HSM would.
    const seal = (
      await ctx.db.query<{ id: string; backend: string; settings: Record<string, unknown>; demo_id: string }>(
        `SELECT c.id, c.backend, c.settings, c.settings->>'demoId' AS demo_id FROM signing_credential c JOIN agency a ON a.id = c.agency_id
          WHERE c.active AND c.purpose = 'seal' AND a.code = $1`,
        [WORLD.health],
      )
    ).rows[0]!;
    const p12 = (await demoPkiOfCredentials(ctx)).seals[seal.demo_id]!;
    const PIN = 'HOSO_TEST_RESULT_SEAL_PIN';
    delete process.env[PIN];
    await ctx.db.query(`UPDATE signing_credential SET backend = 'pkcs12', settings = $2 WHERE id = $1`, [seal.id, JSON.stringify({ path: p12.p12Path, passwordEnv: PIN })]);
    try {
      const signed = await world.act(leader, id, { action: { type: 'mark_processed', workingDocumentId: draft.id } });
      expect(signed.statusCode, signed.body).toBe(200);
      expect(signed.json()).toMatchObject({ status: 'processing', sealing: { attempts: 1, failed: false, lastError: expect.stringContaining(PIN) } });
      let ws = await world.workspaceOf(leader, id);
      expect(ws.sealing).toMatchObject({ attempts: 1 });
      expect(ws.allowed).not.toContain('mark_processed');
      const again = await world.act(leader, id, { action: { type: 'mark_processed', workingDocumentId: draft.id } });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'RESULT_SEALING' });

      // The job's first attempt fails the same way and is retried later; the dossier waits, nothing is lost.
      expect(await runJobsUntilIdle(ctx, jobHandlers)).toBe(1);
      expect((await world.workspaceOf(leader, id)).sealing).toMatchObject({ attempts: 2 });
      // The PIN is configured again: the retry seals and issues the result in the approver's name.
      process.env[PIN] = p12.password;
      await ctx.db.query(`UPDATE job SET run_at = now() - interval '1 second' WHERE type = 'result.seal' AND state = 'pending'`);
      expect(await runJobsUntilIdle(ctx, jobHandlers)).toBe(1);
      ws = await world.workspaceOf(leader, id);
      expect(ws.sealing).toBeNull();
      expect(ws.dossier.status).toBe('processed');
      const resultId = ws.dossier.result!.documentId;
      const bytes = new Uint8Array((await get(`/api/processing/dossiers/${id}/documents/${resultId}`, leader.headers)).rawPayload);
      const report = await validatePdf(bytes, { trustAnchors: await configuredTrustAnchors(ctx) });
      expect(report.signatures.filter((x) => x.type === 'signature').map((x) => x.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
      expect((await get(`/api/public/results/${resultId}`)).json()).toMatchObject({ status: 'valid' });
      const events = await ctx.db.query<{ type: string; actor_id: string; data: { sealedLater?: boolean } }>(
        `SELECT type, actor_id, data FROM audit_event WHERE subject_id = $1 AND type IN ('document.result_seal_pending', 'document.result_signed') ORDER BY seq`,
        [id],
      );
      expect(events.rows.map((e) => e.type)).toEqual(['document.result_seal_pending', 'document.result_signed']);
      expect(events.rows[1]).toMatchObject({ actor_id: leader.userId, data: { sealedLater: true } });
    } finally {
      await ctx.db.query(`UPDATE signing_credential SET backend = $2, settings = $3 WHERE id = $1`, [seal.id, seal.backend, JSON.stringify(seal.settings)]);
      delete process.env[PIN];
    }
  }, 180_000);

  it('cannot be drafted once the result is signed', async () => {
    const { specialist, leader } = world.users;
    const id = await atAppraisal();
    const draft = (await post(`/api/processing/dossiers/${id}/result-draft`, specialist.headers, {})).json() as { id: string };
    await world.act(specialist, id, { action: { type: 'complete_step' } });
    await world.act(leader, id, { action: { type: 'approve' } });
    expect((await world.act(leader, id, { action: { type: 'mark_processed', workingDocumentId: draft.id } })).statusCode).toBe(200);
    const late = await post(`/api/processing/dossiers/${id}/result-draft`, leader.headers, {});
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'RESULT_DRAFT_NOT_IN_PROCESSING' });
  }, 180_000);
});
