/**
 * The result by e-mail (issue 6, delivery): an issued result is mailed once, over real SMTP, to the applicant's
 * address with the signed PDF byte for byte and the portal and verification links; the mail server taking it is the
 * delivery (status 10, by the result mailer); a refused send is retried; no address, no job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../platform/jobs/index.ts';
import { parseMail, startTestSmtpServer, type TestSmtpServer } from '../../platform/mail/testing.ts';
import { jobHandlers } from '../jobs.ts';
import { RESULT_EMAIL_JOB } from './result-mail.ts';
import { startProcessingWorld, type ProcessingWorld } from './testing.ts';

let smtp: TestSmtpServer;
let world: ProcessingWorld;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  world = await startProcessingWorld({ config: { smtpUrl: smtp.url, mailFrom: '"Hệ thống hồ sơ điện tử" <no-reply@dichvucong.example.vn>', smtpTimeoutSeconds: 5 } });
}, 180_000);

afterAll(async () => {
  await world?.cleanup();
  await smtp?.close();
});

/** A dossier of the world's citizen taken to its signed result (status 9). */
async function processed(): Promise<string> {
  const { leader, specialist } = world.users;
  const id = await world.submitAndReceive();
  await world.act(leader, id, { action: { type: 'complete_step' }, assignTo: specialist.userId });
  const draft = (await world.app.inject({ method: 'POST', url: `/api/processing/dossiers/${id}/result-draft`, headers: specialist.headers, payload: {} })).json() as { id: string };
  await world.act(specialist, id, { action: { type: 'complete_step' } });
  await world.act(leader, id, { action: { type: 'approve' } });
  const done = await world.act(leader, id, { action: { type: 'mark_processed', workingDocumentId: draft.id } });
  expect(done.statusCode, done.body).toBe(200);
  return id;
}

const resultMails = (from: number) => smtp.received.slice(from).map((m) => parseMail(m.raw)).filter((m) => m.subject.startsWith('Kết quả hồ sơ'));
const jobsOf = async (id: string) =>
  (await world.ctx.db.query<{ state: string; payload: unknown }>(`SELECT state, payload FROM job WHERE type = $1 AND dedupe_key = $2`, [RESULT_EMAIL_JOB, id])).rows;

describe('result e-mail', () => {
  it('mails the signed result once to the applicant; the mail server taking it is the delivery', async () => {
    const address = 'binh.tran@example.vn';
    await world.ctx.db.query('UPDATE app_user SET email = $1 WHERE id = $2', [address, world.users.citizen.userId]);
    const from = smtp.received.length;
    const id = await processed();
    const jobs = await jobsOf(id);
    expect(jobs).toHaveLength(1);
    expect(JSON.stringify(jobs[0]!.payload)).not.toContain(address);
    // One refusal first: the job retries.
    smtp.rejectNext(1);
    await runJobsUntilIdle(world.ctx, jobHandlers);
    await world.ctx.db.query(`UPDATE job SET run_at = now() - interval '1 second' WHERE type = $1 AND state = 'pending'`, [RESULT_EMAIL_JOB]);
    await runJobsUntilIdle(world.ctx, jobHandlers);
    const mails = resultMails(from);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to).toContain(address);
    const ws = await world.workspaceOf(world.users.leader, id);
    const resultId = ws.dossier.result!.documentId;
    expect(mail.subject).toBe(`Kết quả hồ sơ ${ws.dossier.code} / Result of dossier ${ws.dossier.code}`);
    expect(mail.text).toContain('Giấy phép thử nghiệm');
    expect(mail.text).toContain(`https://dichvucong.example.vn/xac-thuc/kq/${resultId}`);
    expect(mail.text).toContain(`https://dichvucong.example.vn/ho-so-cua-toi/${id}`);
    const signed = await world.app.inject({ method: 'GET', url: `/api/processing/dossiers/${id}/documents/${resultId}`, headers: world.users.leader.headers });
    expect(mail.attachments).toHaveLength(1);
    expect(Buffer.compare(mail.attachments[0]!.content, signed.rawPayload)).toBe(0);
    expect((await jobsOf(id)).map((j) => j.state)).toEqual(['done']);
    // Delivered (status 10) by the result mailer; the control sheet's last row is the hand-over.
    const after = await world.workspaceOf(world.users.leader, id);
    expect(after.dossier.status).toBe('result_returned');
    expect(after.controlSheet.at(-1)!.event).toBe('result_returned');
    const audit = await world.ctx.db.query<{ type: string }>(`SELECT type FROM audit_event WHERE subject_id = $1 AND type IN ('dossier.result_emailed', 'dossier.result_returned') ORDER BY seq`, [id]);
    expect(audit.rows.map((r) => r.type)).toEqual(['dossier.result_emailed', 'dossier.result_returned']);
  }, 180_000);

  it('no address, no job', async () => {
    await world.ctx.db.query('UPDATE app_user SET email = NULL WHERE id = $1', [world.users.citizen.userId]);
    const id = await processed();
    expect(await jobsOf(id)).toEqual([]);
  }, 180_000);
});
