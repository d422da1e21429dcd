/**
 * The TT 03/2025 forms an event issues besides the receipt — 02 (completion or supplement request), 03 (refusal),
 * 04 (apology with the new date), 05 (notice of stopping) — as signed PDFs: the acting officer's signature when they
 * hold a signing credential, then the nearest agency seal. Queued in the decision's transaction and tried right
 * after it commits; the `dossier.form` job is the safety net, so no form stays silently unissued.
 */
import { randomUUID } from 'node:crypto';
import { getProcedureDetail } from '../../catalog/service.ts';
import * as catalogStore from '../../catalog/store.ts';
import { issueSignedDocument, recordIssuedDocument, type IssueSigner } from '../../documents/issue.ts';
import {
  buildApology,
  buildRefusal,
  buildStopNotice,
  buildSupplementRequest,
  type AdministrativeDocument,
  type FormCommon,
} from '../../documents/nd30/index.ts';
import { findActiveCredential } from '../../identity/credentials/store.ts';
import { appendAuditEvent } from '../../oversight/audit/store.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/db.ts';
import { enqueueJob, type JobHandler } from '../../platform/jobs/index.ts';
import { applicantFacts, receiptLevel, sealAgency, statusPageUrl } from '../receipt.ts';
import type { DossierEvent, RequestItem } from '../rules.ts';
import * as store from '../store.ts';

export const FORM_JOB = 'dossier.form';
const ISSUED_FORMS = new Set(['02', '03', '04', '05']);

export interface FormJob {
  dossierId: string;
  seq: number;
}

/** In the decision's transaction: one job per event that issues a form (deduplicated per event). */
export async function enqueueFormJobs(q: Queryable, dossierId: string, events: readonly DossierEvent[], seqs: readonly number[], now: Date): Promise<FormJob[]> {
  const out: FormJob[] = [];
  for (const [i, e] of events.entries()) {
    if (!e.form || !ISSUED_FORMS.has(e.form)) continue;
    const seq = seqs[i]!;
    await enqueueJob(q, { type: FORM_JOB, payload: { dossierId, seq }, runAt: new Date(now.getTime() + 60_000), maxAttempts: 10, dedupeKey: `${dossierId}:${seq}` }, now);
    out.push({ dossierId, seq });
  }
  return out;
}

/** Right after the decision commits; a failure is left to the job. */
export async function issueFormsNow(ctx: AppContext, jobs: readonly FormJob[]): Promise<void> {
  for (const j of jobs) {
    try {
      await issueEventForm(ctx, j.dossierId, j.seq);
    } catch (err) {
      ctx.log.warn({ err, dossierId: j.dossierId, seq: j.seq }, 'form not issued at once; the dossier.form job will retry');
    }
  }
}

export interface IssuedForm {
  form: string;
  documentId: string;
  created: boolean;
}

export async function getForm(q: Queryable, dossierId: string, seq: number): Promise<{ form: string; documentId: string } | null> {
  const r = await q.query<{ form: string; document_id: string }>('SELECT form, document_id FROM dossier_form WHERE dossier_id = $1 AND event_seq = $2', [dossierId, seq]);
  const x = r.rows[0];
  return x ? { form: x.form, documentId: x.document_id } : null;
}

export interface FormRef {
  seq: number;
  form: string;
  documentId: string;
  issuedAt: Date;
}

export async function listForms(q: Queryable, dossierId: string): Promise<FormRef[]> {
  const r = await q.query<{ event_seq: number; form: string; document_id: string; issued_at: Date }>(
    'SELECT event_seq, form, document_id, issued_at FROM dossier_form WHERE dossier_id = $1 ORDER BY event_seq',
    [dossierId],
  );
  return r.rows.map((x) => ({ seq: x.event_seq, form: x.form, documentId: x.document_id, issuedAt: new Date(x.issued_at) }));
}

/** Issues the form of event `seq` unless it exists. */
export async function issueEventForm(ctx: AppContext, dossierId: string, seq: number): Promise<IssuedForm> {
  const existing = await getForm(ctx.db, dossierId, seq);
  if (existing) return { ...existing, created: false };
  const row = await store.getDossier(ctx.db, dossierId);
  if (!row) throw new Error(`dossier ${dossierId} does not exist`);
  const event = (await store.listEvents(ctx.db, dossierId)).find((e) => e.seq === seq);
  if (!event?.form || !ISSUED_FORMS.has(event.form)) throw new Error(`event ${seq} of dossier ${dossierId} issues no form`);
  const actor = event.actor as { kind: string; userId?: string; agency?: string; role?: string };
  const officeId = actor.agency ? ((await catalogStore.getAgency(ctx.db, actor.agency))?.id ?? row.receivingAgencyId) : row.receivingAgencyId;
  const office = await catalogStore.getAgency(ctx.db, officeId);
  const parent = office?.parentId ? await catalogStore.getAgency(ctx.db, office.parentId) : null;
  const seal = await sealAgency(ctx.db, officeId);
  if (!seal) throw new Error(`no agency seal above ${officeId}`);
  const officer = actor.userId
    ? (await ctx.db.query<{ display_name: string }>('SELECT display_name FROM app_user WHERE id = $1', [actor.userId])).rows[0]
    : undefined;
  const personal = actor.userId ? await findActiveCredential(ctx.db, { userId: actor.userId }) : null;
  const detail = await getProcedureDetail(ctx.db, row.procedureId, { includeInactive: true });
  const applicant = await applicantFacts(ctx.db, row);
  const at = new Date(event.at);
  const common: FormCommon = {
    office: { ...(parent ? { governingBody: parent.name } : {}), name: office?.name ?? row.state.receivingAgency, place: 'Hà Nội' },
    issuedAt: at,
    ...(officer && personal ? { signer: { position: POSITIONS[actor.role ?? ''] ?? 'Cán bộ xử lý', fullName: officer.display_name } } : {}),
  };
  const procedure = { name: detail.procedure.name, ...(detail.procedure.nationalCode ? { code: detail.procedure.nationalCode } : {}) };
  const s = row.state;
  const detailOf = event.detail as Record<string, unknown>;
  const componentName = (key: string) => s.procedure.components.find((c) => c.key === key)?.name ?? key;
  let document: AdministrativeDocument;
  switch (event.form) {
    case '02':
      document = buildSupplementRequest({
        ...common,
        dossierCode: row.code ?? row.id,
        applicant,
        procedure,
        receivedAt: s.receivedAt ?? s.submittedAt ?? at,
        items: (detailOf.items as RequestItem[]).map((i) => ({ component: componentName(i.componentKey), reason: i.reason })),
        ...(row.code ? { supplementUrl: statusPageUrl(ctx.config.publicUrl, row.code) } : {}),
      });
      break;
    case '03':
      document = buildRefusal({ ...common, applicant, procedure, submittedAt: s.submittedAt ?? at, reasons: [String(detailOf.reason)] });
      break;
    case '04':
      document = buildApology({
        ...common,
        dossierCode: row.code ?? row.id,
        applicant,
        procedure,
        receivedAt: s.receivedAt!,
        promisedAt: new Date(String(detailOf.previousDue)),
        newPromisedAt: new Date(String(detailOf.newDue)),
        reason: String(detailOf.reason),
      });
      break;
    default:
      document = buildStopNotice({ ...common, dossierCode: row.code ?? row.id, applicant, procedure, receivedAt: s.receivedAt!, requestedAt: at, reason: String(detailOf.reason) });
  }
  const signers: IssueSigner[] = [
    ...(personal && actor.userId ? [{ owner: { userId: actor.userId }, appearance: 'signature-box' as const, reason: FORM_REASONS[event.form]!, location: 'Hà Nội' }] : []),
    { owner: { agencyId: seal }, appearance: 'invisible', reason: FORM_REASONS[event.form]!, location: 'Hà Nội' },
  ];
  const now = ctx.now();
  const issued = await issueSignedDocument(ctx, { document, signers, now, level: receiptLevel(), id: randomUUID() });
  return ctx.db
    .tx(async (q) => {
      const docId = await recordIssuedDocument(q, issued, { createdBy: actor.userId ?? null, at: now });
      const ins = await q.query('INSERT INTO dossier_form (dossier_id, event_seq, form, document_id, issued_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
        dossierId,
        seq,
        event.form,
        docId,
        now,
      ]);
      if (ins.rowCount !== 1) throw Object.assign(new Error('form already recorded'), { raced: true });
      await appendAuditEvent(q, {
        type: 'dossier.form_issued',
        at: now,
        actor: actor.userId ? { userId: actor.userId, role: actor.role ?? 'officer' } : null,
        agencyId: officeId,
        subjectType: 'dossier',
        subjectId: dossierId,
        data: { form: event.form, seq, documentId: docId, sha256: issued.blob.sha256, level: issued.level, signers: issued.signers },
      });
      return { form: event.form!, documentId: docId, created: true };
    })
    .catch(async (err: unknown) => {
      if ((err as { raced?: boolean }).raced) {
        const won = await getForm(ctx.db, dossierId, seq);
        if (won) return { ...won, created: false };
      }
      throw err;
    });
}

const POSITIONS: Record<string, string> = {
  counter_officer: 'Người tiếp nhận hồ sơ',
  specialist: 'Chuyên viên xử lý',
  leader: 'Lãnh đạo',
};

const FORM_REASONS: Record<string, string> = {
  '02': 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
  '03': 'Từ chối tiếp nhận hồ sơ',
  '04': 'Thư xin lỗi và hẹn lại ngày trả kết quả',
  '05': 'Thông báo dừng giải quyết hồ sơ',
};

export const formJobHandlers: Record<string, JobHandler> = {
  [FORM_JOB]: async (ctx, job) => {
    await issueEventForm(ctx, String(job.payload.dossierId), Number(job.payload.seq));
  },
};
