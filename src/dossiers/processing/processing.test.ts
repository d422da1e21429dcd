/**
 * Processing end to end through the HTTP API (issue 5): reception → assignment by the leader → the specialist's
 * one supplement (form 02, signed) → the applicant supplements → transfer to a second department and back →
 * approval → processed with a signed result; inboxes and SLA states along the way; the control sheet shows each
 * hand-over with its mark. Then the refusals (a request naming a valid component is refused and registered, a second
 * request is refused), assignment rules, stop with form 05, and two officers acting at once.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredTrustAnchors } from '../../identity/credentials/service.ts';
import { createSignedInUser } from '../../identity/testing.ts';
import { validatePdf } from '../../signatures/validation/index.ts';
import * as intake from '../service.ts';
import { COMPONENTS as C, TINY_JPEG, WORLD, usualComponents } from '../testing.ts';
import { PROCESSING, startProcessingWorld, type ProcessingWorld, type WorldUser } from './testing.ts';
import * as processing from './service.ts';
import type { Inbox } from './service.ts';
import { watchDeadlines } from './deadline-watch.ts';
import type { PaymentCallback, PaymentGateway } from './payments.ts';

type User = WorldUser;

let world: ProcessingWorld;
let ctx: ProcessingWorld['ctx'];
let app: ProcessingWorld['app'];
let citizen: User;
let counter: User;
let leader: User;
let leader2: User;
let specialist: User;
let specialist2: User;
let justiceSpecialist: User;
let certifier: ProcessingWorld['certifier'];

function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'hoso-processing-'));
  writeFileSync(join(dir, 'f.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', join(dir, 'f.pdf'), '-'], { encoding: 'utf8' });
}

const submitAndReceive = () => world.submitAndReceive();
const act = (who: User, id: string, body: Record<string, unknown>) => world.act(who, id, body);
const workspaceOf = (who: User, id: string) => world.workspaceOf(who, id);
const addDraft = (who: User, id: string, title: string) => world.addDraft(who, id, title);
const inboxOf = async (who: User, query = ''): Promise<Inbox> => {
  const r = await app.inject({ method: 'GET', url: `/api/processing/inbox${query}`, headers: who.headers });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Inbox;
};

/** A local stand-in for a payment gateway (tests only): callbacks signed with HMAC-SHA256 over the body. */
const GATEWAY_KEY = 'test-gateway-secret';
const fakeGateway: PaymentGateway = {
  id: 'fake',
  async verifyCallback(headers, body) {
    const expected = createHmac('sha256', GATEWAY_KEY).update(body).digest('hex');
    if (headers['x-signature'] !== expected) return null;
    return JSON.parse(Buffer.from(body).toString('utf8')) as PaymentCallback;
  },
};
const signedCallback = (body: PaymentCallback, key = GATEWAY_KEY) => {
  const raw = JSON.stringify(body);
  return { payload: raw, headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', key).update(raw).digest('hex') } };
};

beforeAll(async () => {
  world = await startProcessingWorld({ paymentGateways: [fakeGateway] });
  ({ ctx, app, certifier } = world);
  ({ citizen, counter, leader, leader2, specialist, specialist2, justiceSpecialist } = world.users);
}, 180_000);

afterAll(async () => {
  await world?.cleanup();
});

describe('processing', () => {
  it('goes reception → assignment → appraisal → supplement → transfer and back → approval → processed, with the control sheet', async () => {
    const id = await submitAndReceive();

    // The assignment step is the Health leader's; nobody else sees it in "mine".
    const leaderBox = await inboxOf(leader);
    const mine = leaderBox.items.find((i) => i.id === id);
    expect(mine).toMatchObject({ status: 'received', sla: 'on_time', step: { kind: 'assignment', role: 'leader' } });
    expect(leaderBox.counts.total).toBeGreaterThanOrEqual(1);
    expect((await inboxOf(specialist)).items.some((i) => i.id === id)).toBe(false);

    // The leader hands it to one specialist: processing starts with the hand-over.
    let ws = await workspaceOf(leader, id);
    expect(ws.allowed).toEqual(expect.arrayContaining(['complete_step', 'assign', 'request_supplement']));
    expect(ws.nextAssignees.map((a) => a.id)).toEqual(expect.arrayContaining([specialist.userId, specialist2.userId]));
    const handed = await act(leader, id, { action: { type: 'complete_step' }, version: ws.version, assignTo: specialist.userId });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json().status).toBe('processing');
    expect((await inboxOf(specialist)).items.find((i) => i.id === id)).toMatchObject({ assignee: { id: specialist.userId }, step: { kind: 'appraisal' } });
    expect((await inboxOf(specialist2)).items.some((i) => i.id === id)).toBe(false);

    // Only missing or invalid components may be asked for: naming the valid diploma is refused and registered (R3).
    ws = await workspaceOf(specialist, id);
    expect(ws.requestable.map((c) => c.key)).toEqual([PROCESSING.experience, PROCESSING.priorLicense]);
    const paper = await act(specialist, id, { action: { type: 'request_supplement', items: [{ componentKey: C.diploma, reason: 'Nộp bản giấy' }] } });
    expect(paper.statusCode).toBe(422);
    expect(paper.json()).toMatchObject({ code: 'DOSSIER_SUPPLEMENT_NAMES_VALID_COMPONENT', violation: 'R3' });
    const violations = await ctx.db.query('SELECT code FROM violation_attempt WHERE dossier_id = $1', [id]);
    expect(violations.rows).toEqual([{ code: 'supplement_names_valid_component' }]);

    const draft = await addDraft(specialist, id, 'Dự thảo giấy phép');
    const asked = await act(specialist, id, {
      action: { type: 'request_supplement', items: [{ componentKey: PROCESSING.experience, reason: 'Cần xác nhận kinh nghiệm 2 năm' }] },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().status).toBe('supplement_requested');
    expect((await inboxOf(specialist)).items.find((i) => i.id === id)?.sla).toBe('paused');

    // Form 02 is issued at once as a signed PDF (specialist, then the Health seal) and given to the applicant.
    const detail = await intake.getMyDossier(ctx, citizen.principal, id);
    expect(detail.supplementRequest).toMatchObject({ items: [{ componentKey: PROCESSING.experience }], answeredAt: null });
    const form02 = detail.forms.find((f) => f.form === '02')!;
    expect(form02).toBeDefined();
    const pdf = await app.inject({ method: 'GET', url: `/api/my/dossiers/${id}/documents/${form02.documentId}`, headers: citizen.headers });
    expect(pdf.statusCode).toBe(200);
    const report = await validatePdf(pdf.rawPayload, { trustAnchors: await configuredTrustAnchors(ctx) });
    expect(report.signatures.map((x) => x.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(pdfText(pdf.rawPayload).normalize('NFC')).toContain('Giấy xác nhận kinh nghiệm');

    // The applicant answers online; the clock resumes; a second request is refused.
    const supplied = await intake.supplyCompletion(
      ctx,
      citizen.principal,
      id,
      [{ key: PROCESSING.experience, basis: 'E_CERTIFIED' }],
      [{ componentKey: PROCESSING.experience, filename: 'xac-nhan.pdf', declaredType: 'application/pdf', bytes: await certifier.signed('Xac nhan') }],
      { trustAnchors: async () => certifier.pki.trustAnchors },
    );
    expect(supplied.status).toBe('processing');
    const again = await act(specialist, id, { action: { type: 'request_supplement', items: [{ componentKey: PROCESSING.experience, reason: 'Lần hai' }] } });
    expect(again.json().code).toBe('DOSSIER_SUPPLEMENT_ALREADY_REQUESTED');

    // Transfer for an opinion of the Department of Justice, then back to the Health leader.
    const transferred = await act(specialist, id, {
      action: {
        type: 'transfer',
        toAgency: PROCESSING.justice,
        steps: [{ kind: 'appraisal', name: 'Cho ý kiến', role: 'specialist', quotaHours: 8 }],
        reason: 'Lấy ý kiến Sở Tư pháp',
        returnAfter: true,
      },
    });
    expect(transferred.statusCode, transferred.body).toBe(200);
    // Health still follows it, but only the Department of Justice may act now.
    expect((await workspaceOf(specialist, id)).allowed).toEqual([]);
    expect((await act(specialist, id, { action: { type: 'complete_step' } })).statusCode).toBe(404);
    expect((await inboxOf(justiceSpecialist)).items.find((i) => i.id === id)).toMatchObject({ step: { name: 'Cho ý kiến', agency: PROCESSING.justice } });
    const opinion = await workspaceOf(justiceSpecialist, id);
    // The receiving agency works on the same e-documents, with their bases.
    expect(opinion.dossier.components.find((c) => c.key === PROCESSING.experience)).toMatchObject({ basis: 'E_CERTIFIED', assessment: 'valid' });
    expect((await act(justiceSpecialist, id, { action: { type: 'complete_step' } })).statusCode).toBe(200);

    // Back at Health: the approval queue, approval, and the result signed from the draft.
    expect((await inboxOf(leader, '?view=approval')).items.some((i) => i.id === id)).toBe(true);
    expect((await act(leader, id, { action: { type: 'approve' } })).statusCode).toBe(200);
    const done = await act(leader, id, { action: { type: 'mark_processed', workingDocumentId: draft.id } });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'processed', portalStatus: 9 });
    ws = await workspaceOf(leader, id);
    const resultId = ws.dossier.result!.documentId;
    const result = await app.inject({ method: 'GET', url: `/api/processing/dossiers/${id}/documents/${resultId}`, headers: leader.headers });
    const resultReport = await validatePdf(result.rawPayload, { trustAnchors: await configuredTrustAnchors(ctx) });
    expect(resultReport.signatures.map((x) => x.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    // The counter sees it to hand back.
    expect((await inboxOf(counter)).items.find((i) => i.id === id)?.status).toBe('processed');

    // The control sheet: every hand-over, giver and receiver, each marked.
    expect(ws.controlSheet.map((r) => r.event)).toEqual(['received', 'step_completed', 'transferred', 'step_completed', 'approved', 'processed']);
    expect(ws.controlSheet.slice(1).every((r) => r.mark === 'early' || r.mark === 'on_time')).toBe(true);
    expect(ws.controlSheet[2]!.receiver).toContain('Sở Tư pháp (thử nghiệm)');
    expect(ws.controlSheet[1]!.giver).toContain('Vũ Quốc Khánh');
    const sheet = await app.inject({ method: 'GET', url: `/api/processing/dossiers/${id}/control-sheet.pdf`, headers: leader.headers });
    expect(sheet.statusCode).toBe(200);
    const text = pdfText(sheet.rawPayload).normalize('NFC');
    expect(text).toContain('PHIẾU KIỂM SOÁT');
    expect(text).toContain(ws.dossier.code!);
    expect(text).toMatch(/Trước hạn|Đúng hạn/);

    // Every change went through the audit log.
    const audit = await ctx.db.query<{ type: string }>(`SELECT type FROM audit_event WHERE subject_id = $1 ORDER BY seq`, [id]);
    const types = audit.rows.map((r) => r.type);
    expect(types).toEqual(
      expect.arrayContaining(['dossier.step_completed', 'dossier.supplement_requested', 'dossier.supplemented', 'dossier.transferred', 'dossier.approved', 'dossier.processed', 'dossier.form_issued', 'document.result_signed', 'dossier.violation_attempt']),
    );
  }, 180_000);

  it('the result enters the citizen’s e-store; a second dossier reuses it without uploading; nobody else can', async () => {
    const id = await submitAndReceive();
    await act(leader, id, { action: { type: 'complete_step' }, assignTo: specialist.userId });
    const draft = await addDraft(specialist, id, 'Dự thảo giấy phép');
    expect((await act(specialist, id, { action: { type: 'complete_step' } })).statusCode).toBe(200);
    expect((await act(leader, id, { action: { type: 'approve' } })).statusCode).toBe(200);
    expect((await act(leader, id, { action: { type: 'mark_processed', workingDocumentId: draft.id } })).statusCode).toBe(200);
    const store = await app.inject({ method: 'GET', url: `/api/my/estore?documentType=${PROCESSING.licenseType}`, headers: citizen.headers });
    expect(store.statusCode, store.body).toBe(200);
    const result = (await intake.getMyDossier(ctx, citizen.principal, id)).result!;
    const item = (store.json() as { items: { id: string; documentId: string; title: string; status: string; basis: string; issuer: string }[] }).items.find((i) => i.documentId === result.documentId)!;
    expect(item).toMatchObject({ title: 'Giấy phép thử nghiệm', status: 'valid', basis: 'ECOPY_FROM_REGISTER', issuer: 'Sở Y tế (thử nghiệm)' });
    const pdf = await app.inject({ method: 'GET', url: `/api/my/estore/${item.id}/document`, headers: citizen.headers });
    expect(pdf.headers['content-type']).toBe('application/pdf');

    // Downloading the result in the portal is its delivery: status 10, the last hand-over on the control sheet.
    const download = await app.inject({ method: 'GET', url: `/api/my/dossiers/${id}/documents/${result.documentId}`, headers: citizen.headers });
    expect(download.statusCode).toBe(200);
    const delivered = await intake.getMyDossier(ctx, citizen.principal, id);
    expect(delivered).toMatchObject({ status: 'result_returned', portalStatus: 10 });
    expect((await workspaceOf(counter, id)).controlSheet.at(-1)).toMatchObject({ event: 'result_returned', receiver: expect.stringContaining('Tổ chức, cá nhân') });
    await app.inject({ method: 'GET', url: `/api/my/dossiers/${id}/documents/${result.documentId}`, headers: citizen.headers });
    expect((await intake.getMyDossier(ctx, citizen.principal, id)).version).toBe(delivered.version);

    // Once-only: the next dossier takes the licence from the e-store; no file is uploaded.
    const again = await intake.submitOnline(
      ctx,
      citizen.principal,
      {
        procedure: PROCESSING.procedure,
        receivingAgency: WORLD.branch,
        components: usualComponents(citizen.principal.subjectId!, [{ key: PROCESSING.priorLicense, basis: 'REUSED', reuse: { estoreItemId: item.id } }]),
      },
      [{ componentKey: C.diploma, filename: 'van-bang.pdf', declaredType: 'application/pdf', bytes: await certifier.signed('Van bang') }],
      { trustAnchors: async () => certifier.pki.trustAnchors },
    );
    const reused = (await intake.getMyDossier(ctx, citizen.principal, again.body.id)).components.find((c) => c.key === PROCESSING.priorLicense)!;
    expect(reused).toMatchObject({ basis: 'REUSED', assessment: 'valid', document: { id: result.documentId } });

    // Someone else's item is not found; an item of another type is not usable for the component.
    const stranger = await createSignedInUser(ctx, { role: 'citizen' });
    await expect(
      intake.submitOnline(ctx, stranger.principal, { procedure: PROCESSING.procedure, receivingAgency: WORLD.branch, components: [{ key: PROCESSING.priorLicense, basis: 'REUSED', reuse: { estoreItemId: item.id } }] }, []),
    ).rejects.toMatchObject({ code: 'ESTORE_ITEM_NOT_FOUND' });
    const otherBox = await app.inject({ method: 'GET', url: '/api/my/estore', headers: stranger.headers });
    expect((otherBox.json() as { items: unknown[] }).items).toEqual([]);
    expect((await app.inject({ method: 'GET', url: `/api/my/estore/${item.id}/document`, headers: stranger.headers })).statusCode).toBe(404);

    // Revocation by the issuing agency's leader: the verification page and the e-store say so at once; no more reuse.
    expect((await app.inject({ method: 'POST', url: `/api/processing/dossiers/${id}/revoke-result`, headers: specialist.headers, payload: { reason: 'x' } })).statusCode).toBe(403);
    expect((await workspaceOf(leader, id)).allowed).toContain('revoke_result');
    const revoked = await app.inject({ method: 'POST', url: `/api/processing/dossiers/${id}/revoke-result`, headers: leader.headers, payload: { reason: 'Hậu kiểm phát hiện văn bằng không hợp lệ' } });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const check = await app.inject({ method: 'POST', url: '/api/public/verify', payload: pdf.rawPayload, headers: { 'content-type': 'application/pdf' } });
    expect(check.json().registry).toMatchObject({ kind: 'result', status: 'revoked', revocation: { reason: 'Hậu kiểm phát hiện văn bằng không hợp lệ' } });
    const after = (await app.inject({ method: 'GET', url: '/api/my/estore', headers: citizen.headers })).json() as { items: { id: string; status: string }[] };
    expect(after.items.find((i) => i.id === item.id)?.status).toBe('revoked');
    await expect(
      intake.submitOnline(ctx, citizen.principal, { procedure: PROCESSING.procedure, receivingAgency: WORLD.branch, components: [{ key: PROCESSING.priorLicense, basis: 'REUSED', reuse: { estoreItemId: item.id } }] }, []),
    ).rejects.toMatchObject({ code: 'ESTORE_ITEM_NOT_USABLE' });
    const twice = await app.inject({ method: 'POST', url: `/api/processing/dossiers/${id}/revoke-result`, headers: leader.headers, payload: { reason: 'Lần hai' } });
    expect(twice.json().code).toBe('RESULT_ALREADY_REVOKED');
    expect((await workspaceOf(leader, id)).resultRevocation).toMatchObject({ reason: 'Hậu kiểm phát hiện văn bằng không hợp lệ' });
  });

  it('the applicant may answer the supplement at the counter: the papers are scanned and signed at reception again', async () => {
    const id = await submitAndReceive();
    await act(leader, id, { action: { type: 'complete_step' }, assignTo: specialist.userId });
    const asked = await act(specialist, id, { action: { type: 'request_supplement', items: [{ componentKey: PROCESSING.experience, reason: 'Thiếu giấy xác nhận' }] } });
    expect(asked.statusCode, asked.body).toBe(200);
    const boundary = '----hoso-counter';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="completion"\r\n\r\n${JSON.stringify({ components: [{ key: PROCESSING.experience, basis: 'DIGITIZED_SIGNED' }] })}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="component:${PROCESSING.experience}"; filename="trang-1.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      TINY_JPEG,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const supplied = await app.inject({
      method: 'POST',
      url: `/api/reception/dossiers/${id}/supplement`,
      headers: { ...counter.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(supplied.statusCode, supplied.body).toBe(200);
    expect(supplied.json().status).toBe('processing');
    const c = (await workspaceOf(specialist, id)).dossier.components.find((x) => x.key === PROCESSING.experience)!;
    expect(c).toMatchObject({ basis: 'DIGITIZED_SIGNED', assessment: 'valid', document: { origin: 'scanned', signedSha256: expect.any(String) } });
    const ocr = await ctx.db.query(`SELECT 1 FROM job WHERE type = 'document.ocr' AND payload->>'documentId' = $1`, [c.document!.id]);
    expect(ocr.rowCount).toBe(1);
    // Another branch's counter cannot answer for this dossier.
    const other = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.otherBranch });
    const foreign = await app.inject({ method: 'POST', url: `/api/reception/dossiers/${id}/supplement`, headers: other.headers, payload: { components: [] } });
    expect(foreign.statusCode).toBe(404);
  });

  it('assignment: only the step agency’s leader, only to an eligible officer of that agency', async () => {
    const id = await submitAndReceive();
    const bySpecialist = await app.inject({ method: 'POST', url: `/api/processing/dossiers/${id}/assign`, headers: specialist.headers, payload: { assigneeId: specialist.userId } });
    expect(bySpecialist.statusCode).toBe(403);
    const outsider = await app.inject({ method: 'POST', url: `/api/processing/dossiers/${id}/assign`, headers: leader.headers, payload: { assigneeId: justiceSpecialist.userId } });
    expect(outsider.statusCode).toBe(422);
    expect(outsider.json().code).toBe('ASSIGNEE_NOT_ELIGIBLE');
    const ok = await app.inject({ method: 'POST', url: `/api/processing/dossiers/${id}/assign`, headers: leader.headers, payload: { assigneeId: leader2.userId, note: 'Đồng chí phó phụ trách' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await inboxOf(leader)).items.some((i) => i.id === id)).toBe(false);
    expect((await inboxOf(leader2)).items.find((i) => i.id === id)?.assignee?.id).toBe(leader2.userId);
    const ws = await workspaceOf(leader2, id);
    expect(ws.assignments).toEqual([expect.objectContaining({ assignee: 'Phó Giám đốc', by: 'Vũ Quốc Khánh', note: 'Đồng chí phó phụ trách' })]);
    const comment = await app.inject({ method: 'POST', url: `/api/processing/dossiers/${id}/comments`, headers: leader2.headers, payload: { body: '  Đề nghị kiểm tra kỹ  ' } });
    expect(comment.statusCode).toBe(201);
    expect((await workspaceOf(leader, id)).comments).toEqual([expect.objectContaining({ author: 'Phó Giám đốc', body: 'Đề nghị kiểm tra kỹ' })]);
    const empty = await app.inject({ method: 'POST', url: `/api/processing/dossiers/${id}/comments`, headers: leader2.headers, payload: { body: '   ' } });
    expect(empty.json().code).toBe('COMMENT_EMPTY');
  });

  it('a stopped dossier gets form 05 and accepts no further action', async () => {
    const id = await submitAndReceive();
    const stopped = await act(leader, id, { action: { type: 'stop', reason: 'Công dân đề nghị dừng giải quyết' } });
    expect(stopped.statusCode, stopped.body).toBe(200);
    expect(stopped.json().portalStatus).toBe(8);
    const forms = (await intake.getMyDossier(ctx, citizen.principal, id)).forms;
    expect(forms.map((f) => f.form)).toEqual(['05']);
    const after = await act(leader, id, { action: { type: 'complete_step' } });
    expect(after.statusCode).toBe(409);
    expect(after.json().code).toBe('DOSSIER_DOSSIER_CLOSED');
  });

  it('the applicant withdraws (status 7); nothing can be done after, and another applicant cannot withdraw it', async () => {
    const id = await submitAndReceive();
    const other = await createSignedInUser(ctx, { role: 'citizen' });
    const foreign = await app.inject({ method: 'POST', url: `/api/my/dossiers/${id}/withdraw`, headers: other.headers, payload: { reason: 'x' } });
    expect(foreign.statusCode).toBe(404);
    const w = await app.inject({ method: 'POST', url: `/api/my/dossiers/${id}/withdraw`, headers: citizen.headers, payload: { reason: 'Không còn nhu cầu' } });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json()).toMatchObject({ status: 'withdrawn', portalStatus: 7 });
    expect((await act(leader, id, { action: { type: 'complete_step' } })).json().code).toBe('DOSSIER_DOSSIER_CLOSED');
    expect((await inboxOf(leader)).items.some((i) => i.id === id)).toBe(false);
  });

  it('the dossier register (form 07) lists what the agency received or handles in the period, as JSON and PDF', async () => {
    const id = await submitAndReceive();
    const { code } = (await intake.getMyDossier(ctx, citizen.principal, id)) as { code: string };
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    for (const who of [leader, counter]) {
      const r = await app.inject({ method: 'GET', url: `/api/processing/register?from=${day}&to=${day}`, headers: who.headers });
      expect(r.statusCode, r.body).toBe(200);
      expect((r.json() as { items: { dossierCode: string; applicant: string }[] }).items).toEqual(
        expect.arrayContaining([expect.objectContaining({ dossierCode: code, applicant: 'Trần Thị Bình' })]),
      );
    }
    const outsider = await app.inject({ method: 'GET', url: `/api/processing/register?from=${day}&to=${day}`, headers: justiceSpecialist.headers });
    expect((outsider.json() as { items: { dossierCode: string }[] }).items.some((e) => e.dossierCode === code)).toBe(false);
    const pdf = await app.inject({ method: 'GET', url: `/api/processing/register?from=${day}&to=${day}&format=pdf`, headers: leader.headers });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.rawPayload).normalize('NFC');
    // The code wraps at its last hyphen in the narrow column.
    expect(text).toContain(code.slice(0, code.lastIndexOf('-')));
    expect(text).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(text).toContain('Trần Thị Bình');
    const bad = await app.inject({ method: 'GET', url: `/api/processing/register?from=2026-12-31&to=2026-01-01`, headers: leader.headers });
    expect(bad.json().code).toBe('REGISTER_PERIOD_INVALID');
  });

  it('a financial obligation is confirmed by the payment gateway behind its interface: unverified or wrong amounts change nothing', async () => {
    const id = await submitAndReceive();
    const notice = await act(leader, id, { action: { type: 'request_financial_obligation', notice: { kind: 'fee', amountVnd: 500_000, reference: 'TB-2026-001' } } });
    expect(notice.statusCode, notice.body).toBe(200);
    expect(notice.json().portalStatus).toBe(6);
    const { code } = notice.json() as { code: string };
    const post = (x: { payload: string; headers: Record<string, string> }, gateway = 'fake') =>
      app.inject({ method: 'POST', url: `/api/payments/${gateway}/callback`, payload: x.payload, headers: x.headers });
    const forged = await post(signedCallback({ dossierCode: code, paymentRef: 'PAY-1', amountVnd: 500_000 }, 'wrong-key'));
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('PAYMENT_CALLBACK_UNVERIFIED');
    expect((await post(signedCallback({ dossierCode: code, paymentRef: 'PAY-1', amountVnd: 500_000 }), 'other')).json().code).toBe('PAYMENT_GATEWAY_UNKNOWN');
    const short = await post(signedCallback({ dossierCode: code, paymentRef: 'PAY-1', amountVnd: 50_000 }));
    expect(short.json().code).toBe('DOSSIER_PAYMENT_AMOUNT_MISMATCH');
    const paid = await post(signedCallback({ dossierCode: code, paymentRef: 'PAY-1', amountVnd: 500_000 }));
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'processing', portalStatus: 4 });
    const events = await ctx.db.query<{ type: string; actor: { kind: string } }>(`SELECT type, actor FROM dossier_event WHERE dossier_id = $1 ORDER BY seq`, [id]);
    expect(events.rows.at(-1)).toMatchObject({ type: 'payment_confirmed', actor: { kind: 'system' } });
    expect((await workspaceOf(leader, id)).financialObligation).toMatchObject({ amountVnd: 500_000, reference: 'TB-2026-001', paidAt: expect.any(String) });
  });

  it('two officers acting at once: one wins, the other gets a conflict, no event is lost', async () => {
    const id = await submitAndReceive();
    const { version } = await workspaceOf(leader, id);
    const before = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dossier_event WHERE dossier_id = $1', [id]);
    const [a, b] = await Promise.all([
      act(leader, id, { action: { type: 'complete_step' }, version, assignTo: specialist.userId }),
      act(leader2, id, { action: { type: 'complete_step' }, version, assignTo: specialist2.userId }),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().code).toBe('CONFLICT');
    const after = await ctx.db.query<{ type: string }>('SELECT type FROM dossier_event WHERE dossier_id = $1 AND seq > $2 ORDER BY seq', [id, before.rows[0]!.n]);
    expect(after.rows.map((r) => r.type)).toEqual(['processing_started', 'step_completed']);
    const winner = a.statusCode === 200 ? specialist : specialist2;
    expect((await inboxOf(winner)).items.some((i) => i.id === id)).toBe(true);
  });

  it('the deadline watch warns before the due instant, then registers lateness without apology once; an apology in time prevents it', async () => {
    const late = await submitAndReceive();
    const apologised = await submitAndReceive();
    const due = new Date((await workspaceOf(leader, late)).deadline!.due);
    try {
      // One working hour before the deadline: due soon, both warned; the officer apologises for one of them.
      ctx.setNow(new Date(due.getTime() - 3_600_000));
      const first = await watchDeadlines(ctx);
      expect(first.warned).toBeGreaterThanOrEqual(2);
      expect((await processing.workspace(ctx, leader.principal, late)).notices.map((n) => n.kind)).toEqual(['due_soon']);
      // (The sessions would have expired over the moved clock: the service is called directly.)
      await processing.act(ctx, leader.principal, apologised, { type: 'issue_apology', reason: 'Cần thêm thời gian lấy ý kiến', extension: { value: 2, unit: 'working_days' } });
      expect((await watchDeadlines(ctx)).warned).toBe(0);

      // Past the deadline: only the dossier without an apology is late, registered once.
      ctx.setNow(new Date(due.getTime() + 3_600_000));
      await watchDeadlines(ctx);
      await watchDeadlines(ctx);
      const v = await ctx.db.query<{ dossier_id: string; rule: string }>(`SELECT dossier_id, rule FROM violation WHERE source = 'late_without_apology' AND dossier_id = ANY($1::uuid[])`, [[late, apologised]]);
      expect(v.rows).toEqual([{ dossier_id: late, rule: 'R5' }]);
      expect((await processing.workspace(ctx, leader.principal, late)).notices.map((n) => n.kind)).toEqual(['due_soon', 'late']);
      expect((await processing.workspace(ctx, leader.principal, apologised)).notices).toEqual([]);
    } finally {
      ctx.setNow(null);
    }
  });
});
