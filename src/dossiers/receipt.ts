/**
 * The receipt (form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả) of a received dossier: rendered by the ND 30
 * renderer, signed by the receiving counter officer (visible, in the form's signature box) and then sealed by the
 * branch (invisible), stored as a document and linked to the dossier.
 *
 * Signing takes a TSA round trip and must never hold the dossier's row lock, so the receipt is produced right after
 * the reception commits. The reception's own transaction enqueues a `dossier.receipt` job a little in the future as
 * the safety net: if the inline attempt fails (key unreachable, TSA down) or the process dies in between, the job
 * produces it, with retries, and a receipt that still cannot be made ends as a visible failed job — never silently
 * missing. Issuing is idempotent: the first receipt recorded wins.
 *
 * The QR carries only `PUBLIC_URL/tra-cuu?ma=<code>`; the lookup secret is printed as text beside it. A URL ends up
 * in access logs, proxies and browser history, and a photo of the QR would then open the dossier's status to anyone;
 * typed by hand, the secret stays with the paper.
 *
 * When SMTP is configured and the applicant has an e-mail address (given at the counter, else the account's), the
 * receipt's transaction also enqueues `receipt.email`: a background job that mails the signed PDF with the code, the
 * promised date and the status page link. A refused or failed send throws, so the job system retries it; a message
 * that cannot be delivered ends as a failed job in the operations view. The job carries the dossier id only: the
 * address is read again when sending and appears neither in the payload, nor in logs, nor in the audit event.
 */
import { appendAuditEvent } from '../oversight/audit/store.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db/db.ts';
import { defineError } from '../platform/http/problem.ts';
import { enqueueJob, pokeJobs, type JobHandler } from '../platform/jobs/index.ts';
import { mailerFor } from '../platform/mail/index.ts';
import { bilingualMail } from '../platform/mail/compose.ts';
import { frozenCalendarConfig } from '../calendar/rules.ts';
import { loadCalendarConfig } from '../calendar/store.ts';
import * as catalogStore from '../catalog/store.ts';
import { getProcedureDetail } from '../catalog/service.ts';
import { findActiveCredential } from '../identity/credentials/store.ts';
import { DEFAULT_ISSUE_LEVEL, issueSignedDocument, recordIssuedDocument } from '../documents/issue.ts';
import { buildReceipt, type ComponentBasis, type ReceivedComponent } from '../documents/nd30/index.ts';
import { formatShortDate } from '../documents/nd30/format.ts';
import type { PadesLevel } from '../signatures/signing/index.ts';
import { dossierDeadline, type DossierState } from './rules.ts';
import { newSecret } from './secret.ts';
import * as store from './store.ts';

export const RECEIPT_JOB = 'dossier.receipt';

/** Mails the signed receipt to the applicant (only enqueued when SMTP is configured and an address is known). */
export const RECEIPT_EMAIL_JOB = 'receipt.email';

/** Attempts of `receipt.email`: with the queue's doubling backoff from 5 s, about ten minutes before it gives up. */
export const RECEIPT_EMAIL_MAX_ATTEMPTS = 8;

/** How long the safety-net job waits before trying, so it does not race the inline attempt. */
export const RECEIPT_JOB_DELAY_MS = 60_000;

export const ReceiptErrors = {
  notReady: defineError('RECEIPT_NOT_READY', 404, {
    vi: 'Giấy tiếp nhận hồ sơ đang được tạo và ký số, vui lòng thử lại sau ít phút',
    en: 'The receipt is being produced and signed; try again in a moment',
  }),
  noSeal: defineError('RECEIPT_SEAL_MISSING', 409, {
    vi: 'Chưa cấu hình con dấu số của bộ phận một cửa để ký giấy tiếp nhận',
    en: "No digital seal is configured for the counter's agency to seal the receipt",
  }),
  notReceived: defineError('RECEIPT_DOSSIER_NOT_RECEIVED', 409, {
    vi: 'Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận',
    en: 'The dossier has not been received, so it has no receipt',
  }),
};

const EXEMPT_LABELS: Record<string, string> = {
  SHOWN_ONLY: 'chỉ xuất trình bản giấy để đối chiếu',
  CLASSIFIED: 'tài liệu thuộc danh mục bí mật',
  OTHER: 'trường hợp khác theo quy định',
};

/** The PAdES level of receipts: B-LT by default (R6), `HOSO_RECEIPT_LEVEL=B-T` where no revocation data is reachable. */
export function receiptLevel(env: NodeJS.ProcessEnv = process.env): PadesLevel {
  const v = env.HOSO_RECEIPT_LEVEL;
  return v === 'B-T' || v === 'B-B' || v === 'B-LT' || v === 'B-LTA' ? v : DEFAULT_ISSUE_LEVEL;
}

/** The public status page for one dossier code (no secret in it: see the header comment). */
export function statusPageUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/tra-cuu?ma=${encodeURIComponent(code)}`;
}

function evidenceText(row: store.ComponentRow | undefined, channel: DossierState['channel']): string | undefined {
  if (!row) return undefined;
  const ev = (row.evidence ?? {}) as Record<string, unknown>;
  if (row.exemptReason) {
    const note = (ev.exemption as { note?: string | null } | undefined)?.note;
    return `${EXEMPT_LABELS[row.exemptReason] ?? row.exemptReason}${note ? ` (${note})` : ''}`;
  }
  if (typeof ev.validationReportId === 'string') {
    return `chữ ký số hợp lệ, báo cáo kiểm tra ${ev.validationReportId.slice(0, 8)}`;
  }
  if (row.basis === 'SELF_DECLARED') return channel === 'counter' ? 'cán bộ tiếp nhận nhập theo lời khai' : 'kê khai qua tài khoản định danh điện tử';
  if (row.basis === 'REUSED' && typeof ev.estoreItemId === 'string') return `mục ${ev.estoreItemId.slice(0, 8)} của kho dữ liệu`;
  return undefined;
}

/** The nearest agency, from the branch up, that has an active seal. */
export async function sealAgency(q: Queryable, agencyId: string): Promise<string | null> {
  let id: string | null = agencyId;
  for (let depth = 0; id && depth < 8; depth++) {
    if (await findActiveCredential(q, { agencyId: id })) return id;
    id = (await catalogStore.getAgency(q, id))?.parentId ?? null;
  }
  return null;
}

interface ApplicantFacts {
  fullName: string;
  idNumber: string;
  email?: string;
  phone?: string;
  address?: string;
}

/** Name and contact: as typed at the counter, else the applicant's own account, else the identifier alone. */
export async function applicantFacts(q: Queryable, row: store.DossierRow): Promise<ApplicantFacts> {
  const account = await q.query<{ display_name: string; email: string | null }>(
    `SELECT display_name, email FROM app_user WHERE subject_id = $1 AND role = ANY($2::text[]) AND NOT disabled ORDER BY created_at LIMIT 1`,
    [row.applicantSubjectId, [row.applicantKind]],
  );
  const a = account.rows[0];
  const c = row.applicantContact ?? {};
  const email = c.email ?? a?.email ?? undefined;
  return {
    fullName: row.applicantName ?? a?.display_name ?? row.applicantSubjectId,
    idNumber: row.applicantSubjectId,
    ...(email ? { email } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
    ...(c.address ? { address: c.address } : {}),
  };
}

export interface IssuedReceipt {
  documentId: string;
  sha256: string;
  /** False when the dossier already had its receipt (nothing was signed). */
  created: boolean;
}

/**
 * Produces the dossier's signed receipt unless it has one. `secret` is the status secret just given at reception;
 * without it (the retry job, which must not carry a secret in its payload) a fresh secret is issued with the receipt
 * and the receipt is the only place it appears.
 */
export async function issueReceipt(ctx: AppContext, dossierId: string, opts: { secret?: string } = {}): Promise<IssuedReceipt> {
  const existing = await store.getReceipt(ctx.db, dossierId);
  if (existing) return { documentId: existing.documentId, sha256: existing.sha256, created: false };
  const row = await store.getDossier(ctx.db, dossierId);
  if (!row) throw new Error(`dossier ${dossierId} does not exist`);
  const s = row.state;
  if (!s.receivedAt || !row.code) throw ReceiptErrors.notReceived({ dossierId });
  const events = await store.listEvents(ctx.db, row.id);
  const received = events.find((e) => e.type === 'received');
  const receiver = (received?.actor as { kind?: string; userId?: string } | undefined)?.userId;
  if (!receiver) throw new Error(`dossier ${dossierId} has no reception event`);
  const officer = await ctx.db.query<{ display_name: string }>('SELECT display_name FROM app_user WHERE id = $1', [receiver]);
  const seal = await sealAgency(ctx.db, row.receivingAgencyId);
  if (!seal) throw ReceiptErrors.noSeal({ agencyId: row.receivingAgencyId });

  const env = { calendar: frozenCalendarConfig(await loadCalendarConfig(ctx.db)) };
  const deadline = dossierDeadline(s, env, s.receivedAt);
  if (!deadline) throw new Error(`dossier ${dossierId} has no deadline`);
  const branch = await catalogStore.getAgency(ctx.db, row.receivingAgencyId);
  const parent = branch?.parentId ? await catalogStore.getAgency(ctx.db, branch.parentId) : null;
  const detail = await getProcedureDetail(ctx.db, row.procedureId, { includeInactive: true });
  const comps = await store.listComponents(ctx.db, row.id);
  const applicant = await applicantFacts(ctx.db, row);

  const listed: ReceivedComponent[] = [];
  for (const def of s.procedure.components) {
    const provided = s.components[def.key];
    if (!provided) continue;
    const basis: ComponentBasis = provided.kind === 'exempt' ? 'EXEMPT' : provided.basis;
    const evidence = evidenceText(
      comps.find((c) => c.componentKey === def.key),
      s.channel,
    );
    listed.push({ name: def.name, basis, ...(evidence ? { evidence } : {}) });
  }
  const secret: { secret: string; hash: string | null } = opts.secret ? { secret: opts.secret, hash: null } : newSecret();
  const now = ctx.now();
  const deadlineText = s.procedure.deadline.unit === 'working_days' ? 'ngày làm việc' : s.procedure.deadline.unit === 'working_hours' ? 'giờ làm việc' : 'ngày';
  const issued = await issueSignedDocument(ctx, {
    document: buildReceipt({
      office: { ...(parent ? { governingBody: parent.name } : {}), name: branch?.name ?? s.receivingAgency, place: 'Hà Nội' },
      issuedAt: s.receivedAt,
      signer: { position: 'Người tiếp nhận hồ sơ', fullName: officer.rows[0]?.display_name ?? receiver },
      dossierCode: row.code,
      applicant,
      procedure: { name: detail.procedure.name, ...(detail.procedure.nationalCode ? { code: detail.procedure.nationalCode } : {}) },
      components: listed,
      receivedAt: s.receivedAt,
      promisedAt: deadline.promisedDue,
      processingTime: `${String(s.procedure.deadline.value).padStart(2, '0')} ${deadlineText}`,
      resultDelivery: s.channel === 'online' ? 'Nhận trực tuyến trên Cổng Dịch vụ công' : `Nhận tại ${branch?.name ?? 'bộ phận một cửa'} hoặc trực tuyến`,
      statusPage: { url: statusPageUrl(ctx.config.publicUrl, row.code), secret: secret.secret },
    }),
    signers: [
      { owner: { userId: receiver }, appearance: 'signature-box', reason: 'Tiếp nhận hồ sơ', location: 'Hà Nội' },
      { owner: { agencyId: seal }, appearance: 'invisible', reason: 'Đóng dấu giấy tiếp nhận hồ sơ', location: 'Hà Nội' },
    ],
    now,
    level: receiptLevel(),
  });
  const code = row.code;
  // Only when a mailer is configured: with mail off, no job is made that could never run.
  const mailIt = Boolean(applicant.email) && mailerFor(ctx.config) !== null;
  const result = await ctx.db.tx(async (q) => {
    const docId = await recordIssuedDocument(q, issued, { createdBy: receiver, at: now });
    if (!(await store.insertReceipt(q, row.id, docId, now))) {
      // Someone else recorded it first: roll back our copy (its blob is swept as an orphan).
      const won = await store.getReceipt(q, row.id);
      throw Object.assign(new Error('receipt already recorded'), { won });
    }
    if (secret.hash) await store.setStatusSecretHash(q, row.id, secret.hash);
    await appendAuditEvent(q, {
      type: 'dossier.receipt_issued',
      at: now,
      actor: { userId: receiver, role: 'counter_officer' },
      agencyId: row.receivingAgencyId,
      subjectType: 'dossier',
      subjectId: row.id,
      data: { documentId: docId, sha256: issued.blob.sha256, level: issued.level, signers: issued.signers, secretReissued: Boolean(secret.hash) },
    });
    if (mailIt) await enqueueReceiptEmailJob(q, row.id, now);
    return { documentId: docId, sha256: issued.blob.sha256, created: true };
  }).catch((err: unknown): IssuedReceipt => {
    const won = (err as { won?: store.ReceiptRef | null }).won;
    if (won) return { documentId: won.documentId, sha256: won.sha256, created: false };
    throw err;
  });
  if (result.created && mailIt) pokeJobs();
  return result;
}

/** In the receipt's transaction: mail it once (one job per dossier; the payload names no one). */
export async function enqueueReceiptEmailJob(q: Queryable, dossierId: string, now: Date): Promise<void> {
  await enqueueJob(q, { type: RECEIPT_EMAIL_JOB, payload: { dossierId }, maxAttempts: RECEIPT_EMAIL_MAX_ATTEMPTS, dedupeKey: dossierId }, now);
}

export interface ReceiptEmailFacts {
  code: string;
  applicantName: string;
  procedureName: string;
  agencyName: string;
  promisedAt: Date;
  statusUrl: string;
}

/** The receipt e-mail: Vietnamese first, English below; plain text and a simple HTML alternative. */
export function receiptEmail(f: ReceiptEmailFacts): { subject: string; text: string; html: string } {
  const date = formatShortDate(f.promisedAt);
  return bilingualMail(
    `Giấy tiếp nhận hồ sơ ${f.code} / Receipt for dossier ${f.code}`,
    {
      greeting: `Kính gửi Ông/Bà ${f.applicantName},`,
      lead: `${f.agencyName} đã tiếp nhận hồ sơ của Ông/Bà.`,
      rows: [
        { label: 'Mã hồ sơ', value: f.code },
        { label: 'Thủ tục', value: f.procedureName },
        { label: 'Ngày hẹn trả kết quả', value: date },
        { label: 'Tra cứu tình trạng hồ sơ', value: f.statusUrl, link: true },
      ],
      notes: [
        'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (đã ký số) được đính kèm thư này. Mã tra cứu được in trên giấy tiếp nhận;',
        'vui lòng giữ kín mã này. Đây là thư tự động, vui lòng không trả lời.',
      ],
    },
    {
      greeting: `Dear ${f.applicantName},`,
      lead: `${f.agencyName} has received your dossier.`,
      rows: [
        { label: 'Dossier code', value: f.code },
        { label: 'Procedure', value: f.procedureName },
        { label: 'Promised result date', value: `${date} (dd/mm/yyyy)` },
        { label: 'Status page', value: f.statusUrl, link: true },
      ],
      notes: ['The digitally signed receipt is attached. The lookup code for the status page is printed on it; keep it private.', 'This message was sent automatically; please do not reply.'],
    },
  );
}

/** Sends the dossier's receipt to the applicant's address; throws (to be retried) when the server does not take it. */
export async function sendReceiptEmail(ctx: AppContext, dossierId: string, attempt = 1): Promise<'sent' | 'no-address'> {
  const mailer = mailerFor(ctx.config);
  if (!mailer) throw new Error('SMTP is not configured (SMTP_URL): the receipt cannot be mailed');
  const row = await store.getDossier(ctx.db, dossierId);
  if (!row) throw new Error(`dossier ${dossierId} does not exist`);
  const receipt = await store.getReceipt(ctx.db, dossierId);
  if (!row.code || !row.state.receivedAt || !receipt) throw new Error(`dossier ${dossierId} has no receipt to mail`);
  const applicant = await applicantFacts(ctx.db, row);
  // The address was removed since (the account's e-mail cleared): nothing to send, nothing to retry.
  if (!applicant.email) return 'no-address';
  const env = { calendar: frozenCalendarConfig(await loadCalendarConfig(ctx.db)) };
  const deadline = dossierDeadline(row.state, env, row.state.receivedAt);
  if (!deadline) throw new Error(`dossier ${dossierId} has no deadline`);
  const detail = await getProcedureDetail(ctx.db, row.procedureId, { includeInactive: true });
  const branch = await catalogStore.getAgency(ctx.db, row.receivingAgencyId);
  const message = receiptEmail({
    code: row.code,
    applicantName: applicant.fullName,
    procedureName: detail.procedure.name,
    agencyName: branch?.name ?? row.state.receivingAgency,
    promisedAt: deadline.promisedDue,
    statusUrl: statusPageUrl(ctx.config.publicUrl, row.code),
  });
  const pdf = await ctx.blobs.get(receipt.sha256);
  const sent = await mailer.send({
    to: applicant.email,
    ...message,
    attachments: [{ filename: `giay-tiep-nhan-${row.code}.pdf`, content: pdf, contentType: 'application/pdf' }],
  });
  const now = ctx.now();
  await ctx.db.tx((q) =>
    appendAuditEvent(q, {
      type: 'dossier.receipt_emailed',
      at: now,
      actor: null,
      agencyId: row.receivingAgencyId,
      subjectType: 'dossier',
      subjectId: row.id,
      // Which address (not the address itself): the counter's contact entry or the applicant's account.
      data: {
        documentId: receipt.documentId,
        sha256: receipt.sha256,
        recipient: row.applicantContact?.email ? 'contact' : 'account',
        messageId: sent.messageId,
        attempt,
      },
    }),
  );
  return 'sent';
}

/** In the reception's transaction: the job that produces the receipt if the inline attempt does not. */
export async function enqueueReceiptJob(q: Queryable, dossierId: string, now: Date): Promise<void> {
  await enqueueJob(q, { type: RECEIPT_JOB, payload: { dossierId }, runAt: new Date(now.getTime() + RECEIPT_JOB_DELAY_MS), maxAttempts: 10, dedupeKey: dossierId }, now);
}

/** Right after the reception commits: try now; a failure is logged and left to the job. */
export async function issueReceiptNow(ctx: AppContext, dossierId: string, secret: string | undefined): Promise<IssuedReceipt | null> {
  try {
    return await issueReceipt(ctx, dossierId, secret ? { secret } : {});
  } catch (err) {
    ctx.log.warn({ err, dossierId }, 'receipt not produced at reception; the dossier.receipt job will retry');
    return null;
  }
}

export const receiptJobHandlers: Record<string, JobHandler> = {
  [RECEIPT_JOB]: async (ctx, job) => {
    await issueReceipt(ctx, String(job.payload.dossierId));
  },
  [RECEIPT_EMAIL_JOB]: async (ctx, job) => {
    await sendReceiptEmail(ctx, String(job.payload.dossierId), job.attempt);
  },
};
