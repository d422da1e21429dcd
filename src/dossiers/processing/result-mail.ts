/**
 * The result by e-mail (issue 6, delivery): when a result is issued and the applicant has an address (typed at the
 * counter, or their account's) and SMTP is configured, one message carries the signed result PDF with the links to
 * the portal and to its verification page. The mail server taking it is a delivery (status 10, "trả kết quả qua thư
 * điện tử") applied as the `result_mailer` system actor; a dossier already delivered (downloaded, handed over) is not
 * changed. A refused send is retried by the job; no address is ever written to a log or a job's error.
 */
import { appendAuditEvent } from '../../oversight/audit/store.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/db.ts';
import { enqueueJob, type JobHandler } from '../../platform/jobs/index.ts';
import { bilingualMail } from '../../platform/mail/compose.ts';
import { mailerFor } from '../../platform/mail/index.ts';
import { formatShortDate } from '../../documents/nd30/index.ts';
import { getProcedureDetail } from '../../catalog/service.ts';
import { resultVerificationUrl } from '../../results/register.ts';
import { applicantFacts } from '../receipt.ts';
import { applyAction } from '../service.ts';
import * as store from '../store.ts';

export const RESULT_EMAIL_JOB = 'result.email';
export const RESULT_EMAIL_MAX_ATTEMPTS = 8;

export interface ResultEmailFacts {
  code: string;
  applicantName: string;
  procedureName: string;
  resultName: string;
  agencyName: string;
  issuedAt: Date;
  portalUrl: string;
  verifyUrl: string;
}

/** The message: Vietnamese first, English below. */
export function resultEmail(f: ResultEmailFacts) {
  const date = formatShortDate(f.issuedAt);
  return bilingualMail(
    `Kết quả hồ sơ ${f.code} / Result of dossier ${f.code}`,
    {
      greeting: `Kính gửi Ông/Bà ${f.applicantName},`,
      lead: `${f.agencyName} đã giải quyết xong hồ sơ của Ông/Bà và cấp kết quả dưới dạng văn bản điện tử có chữ ký số.`,
      rows: [
        { label: 'Mã hồ sơ', value: f.code },
        { label: 'Thủ tục', value: f.procedureName },
        { label: 'Kết quả', value: f.resultName },
        { label: 'Ngày cấp', value: date },
        { label: 'Xem hồ sơ và tải kết quả', value: f.portalUrl, link: true },
        { label: 'Xác thực văn bản', value: f.verifyUrl, link: true },
      ],
      notes: [
        'Kết quả (tệp PDF đã ký số) được đính kèm thư này và lưu trong Kho dữ liệu điện tử của Ông/Bà để dùng lại khi làm thủ tục khác.',
        'Đây là thư tự động, vui lòng không trả lời.',
      ],
    },
    {
      greeting: `Dear ${f.applicantName},`,
      lead: `${f.agencyName} has decided your dossier and issued the result as a digitally signed electronic document.`,
      rows: [
        { label: 'Dossier code', value: f.code },
        { label: 'Procedure', value: f.procedureName },
        { label: 'Result', value: f.resultName },
        { label: 'Issued on', value: `${date} (dd/mm/yyyy)` },
        { label: 'Your dossier', value: f.portalUrl, link: true },
        { label: 'Verify the document', value: f.verifyUrl, link: true },
      ],
      notes: ['The signed result (PDF) is attached and kept in your e-store for reuse in other procedures.', 'This message was sent automatically; please do not reply.'],
    },
  );
}

/** In the result's transaction: mail it once, when SMTP is on and an address is known (the payload names no one). */
export async function enqueueResultEmail(ctx: AppContext, q: Queryable, dossierId: string, now: Date): Promise<boolean> {
  if (!mailerFor(ctx.config)) return false;
  const row = await store.getDossier(q, dossierId);
  if (!row || !(await applicantFacts(q, row)).email) return false;
  await enqueueJob(q, { type: RESULT_EMAIL_JOB, payload: { dossierId }, maxAttempts: RESULT_EMAIL_MAX_ATTEMPTS, dedupeKey: dossierId }, now);
  return true;
}

export async function sendResultEmail(ctx: AppContext, dossierId: string, attempt = 1): Promise<'sent' | 'no-address'> {
  const mailer = mailerFor(ctx.config);
  if (!mailer) throw new Error('SMTP is not configured (SMTP_URL): the result cannot be mailed');
  const row = await store.getDossier(ctx.db, dossierId);
  const result = row?.state.result;
  if (!row || !row.code || !result) throw new Error(`dossier ${dossierId} has no result to mail`);
  const applicant = await applicantFacts(ctx.db, row);
  if (!applicant.email) return 'no-address';
  const detail = await getProcedureDetail(ctx.db, row.procedureId, { includeInactive: true });
  const doc = await ctx.db.query<{ sha256: string; issuer: string | null }>(
    `SELECT d.blob_sha256 AS sha256, g.issuer FROM document d LEFT JOIN result_register g ON g.document_id = d.id WHERE d.id = $1`,
    [result.documentId],
  );
  const found = doc.rows[0];
  if (!found) throw new Error(`result document ${result.documentId} is missing`);
  const base = ctx.config.publicUrl.replace(/\/+$/, '');
  const message = resultEmail({
    code: row.code,
    applicantName: applicant.fullName,
    procedureName: detail.procedure.name,
    resultName: detail.procedure.result.name,
    agencyName: found.issuer ?? row.state.currentAgency,
    issuedAt: result.readyAt,
    portalUrl: `${base}/ho-so-cua-toi/${row.id}`,
    verifyUrl: resultVerificationUrl(ctx.config.publicUrl, result.documentId),
  });
  const sent = await mailer.send({
    to: applicant.email,
    ...message,
    attachments: [{ filename: `ket-qua-${row.code}.pdf`, content: await ctx.blobs.get(found.sha256), contentType: 'application/pdf' }],
  });
  const now = ctx.now();
  await appendAuditEvent(ctx.db, {
    type: 'dossier.result_emailed',
    at: now,
    actor: null,
    agencyId: row.currentAgencyId,
    subjectType: 'dossier',
    subjectId: row.id,
    data: { documentId: result.documentId, recipient: row.applicantContact?.email ? 'contact' : 'account', messageId: sent.messageId, attempt },
  });
  // Handed to the applicant's mail: delivered, unless they already received it another way. The message is gone,
  // so a failure here must not make the job send it again: an officer meeting the dossier still at status 9 hands
  // it over as usual.
  try {
    const current = await store.getDossier(ctx.db, dossierId);
    if (current?.status === 'processed') await applyAction(ctx, null, dossierId, { type: 'return_result' }, undefined, { system: 'result_mailer' });
  } catch (err) {
    ctx.log.warn({ err, dossierId }, 'result mailed but the delivery was not recorded');
  }
  return 'sent';
}

export const jobHandlers: Record<string, JobHandler> = {
  [RESULT_EMAIL_JOB]: async (ctx, job) => {
    await sendResultEmail(ctx, String(job.payload.dossierId), job.attempt);
  },
};
