/**
 * The receipt by e-mail (issue 4): a received dossier whose applicant has an address — typed at the counter, or the
 * account's — gets exactly one message over real SMTP (with AUTH) with the code, the promised date (dd/mm/yyyy), the
 * status link and the signed receipt PDF byte for byte; no job when SMTP is off or no address is known; a refused
 * send is retried; a message that cannot be delivered ends as a failed job with no address in its error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { createSignedInUser, testSubjectId, type TestSession } from '../identity/testing.ts';
import { runJobsUntilIdle } from '../platform/jobs/index.ts';
import { parseMail, startTestSmtpServer, type ParsedMail, type TestSmtpServer } from '../platform/mail/testing.ts';
import { receiveWalkIn } from './counter.ts';
import { jobHandlers } from './jobs.ts';
import { RECEIPT_EMAIL_JOB, RECEIPT_EMAIL_MAX_ATTEMPTS } from './receipt.ts';
import * as service from './service.ts';
import * as store from './store.ts';
import { COMPONENTS as C, WORLD, createTestSigning, provisionDemoSigning, seedIntakeCatalog, submitUsualDossier, usualComponents, type TestSigning } from './testing.ts';

type User = TestSession & { userId: string };

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let smtp: TestSmtpServer;
let certifier: TestSigning;
let counter: User;

const PUBLIC_URL = 'https://dichvucong.example.vn';
const vnDate = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  ctx = await createTestContext({ demo: true, publicUrl: PUBLIC_URL, smtpUrl: smtp.url, mailFrom: '"Hệ thống hồ sơ điện tử" <no-reply@dichvucong.example.vn>', smtpTimeoutSeconds: 5 });
  await seedIntakeCatalog(ctx);
  certifier = await createTestSigning('receipt-email');
  counter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch, displayName: 'Lê Văn Cường' });
  await provisionDemoSigning(ctx, [WORLD.branch]);
}, 120_000);

afterAll(async () => {
  await ctx?.cleanup();
  await smtp?.close();
});

async function citizenWith(email: string | null): Promise<User> {
  const u = await createSignedInUser(ctx, { role: 'citizen', displayName: 'Trần Thị Bình' });
  if (email) await ctx.db.query('UPDATE app_user SET email = $1 WHERE id = $2', [email, u.userId]);
  return u;
}

/** Submits online and receives at the counter; returns the reception result. */
async function onlineReceived(citizen: User) {
  const r = await submitUsualDossier(ctx, citizen.principal, certifier);
  const received = await service.receiveDossier(ctx, counter.principal, r.body.id);
  expect(received.receipt).not.toBeNull();
  return received;
}

let walkIns = 0;

/** A walk-in dossier received at the counter in one act, with the contact e-mail typed by the officer (or none). */
async function walkInReceived(email: string | null) {
  walkIns += 1;
  const subjectId = testSubjectId('citizen', 500_000 + walkIns + Math.floor(Math.random() * 100_000));
  const r = await receiveWalkIn(
    ctx,
    counter.principal,
    {
      procedure: WORLD.procedure,
      applicant: { kind: 'citizen', subjectId, fullName: 'Phạm Thị Dung', ...(email ? { email } : {}), phone: '0912 345 678' },
      components: usualComponents(subjectId),
    },
    [{ componentKey: C.diploma, filename: 'v.pdf', declaredType: 'application/pdf', bytes: await certifier.signed('Van bang') }],
    { trustAnchors: async () => certifier.pki.trustAnchors },
  );
  expect(r.body.receipt).not.toBeNull();
  return r.body;
}

const emailJobs = async (dossierId: string) =>
  (
    await ctx.db.query<{ state: string; attempts: number; last_error: string | null; payload: unknown }>(
      'SELECT state, attempts, last_error, payload FROM job WHERE type = $1 AND dedupe_key = $2 ORDER BY created_at',
      [RECEIPT_EMAIL_JOB, dossierId],
    )
  ).rows;

const sentAudits = async (dossierId: string) =>
  (await ctx.db.query<{ data: unknown; actor_id: string | null }>("SELECT data, actor_id FROM audit_event WHERE type = 'dossier.receipt_emailed' AND subject_id = $1", [dossierId])).rows.map((r) => ({
    ...r,
    data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
  }));

/** The messages received for `address` since `from`. */
const messagesTo = (address: string, from = 0): ParsedMail[] => smtp.received.slice(from).filter((m) => m.envelopeTo.includes(address)).map((m) => parseMail(m.raw));

async function expectReceiptMail(mail: ParsedMail, dossier: { id: string; code: string | null; promisedDue: string | null }) {
  const code = dossier.code!;
  const date = vnDate(new Date(dossier.promisedDue!));
  expect(date).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  expect(mail.subject).toBe(`Giấy tiếp nhận hồ sơ ${code} / Receipt for dossier ${code}`);
  expect(mail.from).toContain('Hệ thống hồ sơ điện tử');
  const link = `${PUBLIC_URL}/tra-cuu?ma=${encodeURIComponent(code)}`;
  for (const body of [mail.text!, mail.html!]) {
    expect(body).toContain(code);
    expect(body).toContain(date);
    expect(body).toContain(link);
    expect(body).toContain('Cấp giấy phép thử nghiệm');
  }
  // Vietnamese first, English below.
  expect(mail.text!.indexOf('Ngày hẹn trả kết quả')).toBeGreaterThanOrEqual(0);
  expect(mail.text!.indexOf('Ngày hẹn trả kết quả')).toBeLessThan(mail.text!.indexOf('Promised result date'));
  expect(mail.attachments).toHaveLength(1);
  const att = mail.attachments[0]!;
  expect(att.type).toBe('application/pdf');
  expect(att.filename).toBe(`giay-tiep-nhan-${code}.pdf`);
  const receipt = await store.getReceipt(ctx.db, dossier.id);
  const stored = await ctx.blobs.get(receipt!.sha256);
  expect(Buffer.compare(att.content, Buffer.from(stored))).toBe(0);
}

describe('receipt e-mail', () => {
  it('mails a counter-received dossier to the contact address typed at the counter, once', async () => {
    const address = 'dung.pham@example.vn';
    const from = smtp.received.length;
    const d = await walkInReceived(address);
    const jobs = await emailJobs(d.id);
    expect(jobs).toHaveLength(1);
    // The payload names no one.
    expect(JSON.stringify(jobs[0]!.payload)).not.toContain(address);
    await runJobsUntilIdle(ctx, jobHandlers);
    const mails = messagesTo(address, from);
    expect(mails).toHaveLength(1);
    expect(smtp.received.at(-1)!.user).toBe(smtp.user);
    await expectReceiptMail(mails[0]!, d);
    expect((await emailJobs(d.id)).map((j) => j.state)).toEqual(['done']);
    const audits = await sentAudits(d.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.data).toMatchObject({ recipient: 'contact', attempt: 1 });
    expect(JSON.stringify(audits[0])).not.toContain(address);
    // Running the queue again sends nothing more.
    await runJobsUntilIdle(ctx, jobHandlers);
    expect(messagesTo(address, from)).toHaveLength(1);
  });

  it("mails an online-received dossier to the applicant account's address", async () => {
    const address = 'binh.tran@example.vn';
    const citizen = await citizenWith(address);
    const from = smtp.received.length;
    const received = await onlineReceived(citizen);
    expect(await emailJobs(received.id)).toHaveLength(1);
    await runJobsUntilIdle(ctx, jobHandlers);
    const mails = messagesTo(address, from);
    expect(mails).toHaveLength(1);
    await expectReceiptMail(mails[0]!, received);
    expect((await sentAudits(received.id))[0]!.data).toMatchObject({ recipient: 'account' });
  });

  it('makes no job when the applicant has no e-mail address', async () => {
    const citizen = await citizenWith(null);
    const from = smtp.received.length;
    const online = await onlineReceived(citizen);
    const walkIn = await walkInReceived(null);
    expect(await emailJobs(online.id)).toHaveLength(0);
    expect(await emailJobs(walkIn.id)).toHaveLength(0);
    await runJobsUntilIdle(ctx, jobHandlers);
    expect(smtp.received.length).toBe(from);
  });

  it('makes no job when SMTP is not configured', async () => {
    const saved = ctx.config.smtpUrl;
    ctx.config.smtpUrl = undefined;
    try {
      const from = smtp.received.length;
      const d = await walkInReceived('nobody@example.vn');
      expect(await emailJobs(d.id)).toHaveLength(0);
      await runJobsUntilIdle(ctx, jobHandlers);
      expect(smtp.received.length).toBe(from);
    } finally {
      ctx.config.smtpUrl = saved;
    }
  });

  it('retries after the SMTP server refuses the message once, and then sends it exactly once', async () => {
    const address = 'retry.me@example.vn';
    const from = smtp.received.length;
    const d = await walkInReceived(address);
    smtp.rejectNext(1, 451, `Mailbox <${address}> busy, try again later`);
    await runJobsUntilIdle(ctx, jobHandlers);
    expect(messagesTo(address, from)).toHaveLength(0);
    const [failed] = await emailJobs(d.id);
    expect(failed).toMatchObject({ state: 'pending', attempts: 1 });
    expect(failed!.last_error).toContain('451');
    expect(failed!.last_error).not.toContain(address);
    expect(await sentAudits(d.id)).toHaveLength(0);

    ctx.setNow(new Date(Date.now() + 30_000));
    try {
      await runJobsUntilIdle(ctx, jobHandlers);
    } finally {
      ctx.setNow(null);
    }
    const mails = messagesTo(address, from);
    expect(mails).toHaveLength(1);
    await expectReceiptMail(mails[0]!, d);
    expect((await emailJobs(d.id)).map((j) => [j.state, j.attempts])).toEqual([['done', 2]]);
    expect((await sentAudits(d.id)).map((a) => a.data.attempt)).toEqual([2]);
  });

  it('gives up after the last attempt and leaves a failed job for the operations view', async () => {
    const address = 'no.such.user@example.vn';
    const d = await walkInReceived(address);
    smtp.rejectNext(RECEIPT_EMAIL_MAX_ATTEMPTS, 550, `5.1.1 <${address}>: mailbox unavailable`);
    try {
      for (let i = 0; i < RECEIPT_EMAIL_MAX_ATTEMPTS; i++) {
        ctx.setNow(new Date(Date.now() + i * 3_600_000));
        await runJobsUntilIdle(ctx, jobHandlers);
      }
    } finally {
      ctx.setNow(null);
      smtp.rejectNext(0);
    }
    const [job] = await emailJobs(d.id);
    expect(job).toMatchObject({ state: 'failed', attempts: RECEIPT_EMAIL_MAX_ATTEMPTS });
    expect(job!.last_error).toContain('550');
    expect(job!.last_error).not.toContain(address);
    expect(await sentAudits(d.id)).toHaveLength(0);
  });
});
