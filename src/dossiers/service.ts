/**
 * Intake use cases (issue 4): online submission, the counter's reception decision (receive, return for completion
 * once, refuse), the public status page and the applicant's own views. Each change is load → rules → store in one
 * transaction with its audit event; blobs are written before that transaction (the sweeper removes orphans).
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../identity/access.ts';
import { officerAgencyIds } from '../identity/scope.ts';
import { configuredTrustAnchors } from '../identity/credentials/service.ts';
import { appendAuditEvent } from '../oversight/audit/store.ts';
import { canonicalJson } from '../oversight/audit/rules.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db/db.ts';
import { Problems, defineError, type LocalizedText } from '../platform/http/problem.ts';
import { requestFingerprint, runIdempotent } from '../platform/http/idempotency.ts';
import { frozenCalendarConfig } from '../calendar/rules.ts';
import { loadCalendarConfig } from '../calendar/store.ts';
import { allocateDossierCode } from '../catalog/dossier-code.ts';
import { getProcedureDetail } from '../catalog/service.ts';
import * as catalogStore from '../catalog/store.ts';
import type { ComponentView } from '../catalog/store.ts';
import type { ValidityBasis } from '../catalog/schema.ts';
import { assessDossier, reportIndication, reportReason, type ProvidedComponent, type SignatureIndication } from '../documents/rules.ts';
import * as documents from '../documents/store.ts';
import { prepareComponentFiles, type UploadedFile } from '../documents/uploads.ts';
import { validatePdf, type ValidationReport } from '../signatures/validation/index.ts';
import { validateFormData } from './form-data.ts';
import {
  STATUS_LABELS,
  PORTAL_STATUS_CODE,
  REFUSAL_MESSAGES,
  decide,
  dossierDeadline,
  receptionDeadline,
  submit,
  type Action,
  type Actor,
  type DossierDraft,
  type DossierState,
  type SystemService,
  type ProcedureSnapshot,
  type Refusal,
  type RequestItem,
  type RulesEnv,
} from './rules.ts';
import { enqueueOcrJobs } from '../documents/ocr/service.ts';
import { isAwaitingSignature, receptionSigner, signDigitizedCopy, type AwaitingSignatureEvidence, type DigitizedCopy } from './digitize.ts';
import { enqueueReceiptJob, issueReceiptNow, ReceiptErrors } from './receipt.ts';
import { hashSecret, newSecret } from './secret.ts';
import * as store from './store.ts';
import { acceptedComponents, addComponents, reusableEvidence } from '../results/estore.ts';
import { decideWork, inboxFields, keepsAssignee, NO_STEP } from './processing/rules.ts';
import { checkedAssignee, recordAssignment } from './processing/assignment.ts';
import { enqueueFormJobs, issueFormsNow, listForms, type FormJob } from './processing/forms.ts';

// ---------------------------------------------------------------------------------------------------------------
// Errors

export const DossierErrors = {
  notFound: defineError('DOSSIER_NOT_FOUND', 404, { vi: 'Không tìm thấy hồ sơ', en: 'Dossier not found' }),
  invalidSubmission: defineError('SUBMISSION_INVALID', 422, { vi: 'Hồ sơ nộp không hợp lệ', en: 'The submission is not valid' }),
  unknownComponent: defineError('COMPONENT_UNKNOWN', 422, { vi: 'Thủ tục không có thành phần hồ sơ này', en: 'The procedure has no such component' }),
  basisNotAccepted: defineError('BASIS_NOT_ACCEPTED', 422, {
    vi: 'Căn cứ pháp lý đã chọn không được chấp nhận cho thành phần hồ sơ này',
    en: 'The chosen validity basis is not accepted for this component',
  }),
  basisCounterOnly: defineError('BASIS_COUNTER_ONLY', 422, {
    vi: 'Bản số hóa có ký số chỉ được tạo tại bộ phận một cửa khi tiếp nhận',
    en: 'A digitized signed copy is made only at the counter, at reception',
  }),
  estoreUnavailable: defineError('ESTORE_NOT_AVAILABLE', 422, {
    vi: 'Chưa thể lấy tài liệu từ kho dữ liệu điện tử: hãy tải tệp lên',
    en: 'Documents cannot be taken from the e-store yet: upload the file instead',
  }),
  fileRequired: defineError('COMPONENT_FILE_REQUIRED', 422, {
    vi: 'Thành phần hồ sơ này cần tệp đính kèm',
    en: 'This component needs an attached file',
  }),
  formInvalid: defineError('FORM_INVALID', 422, { vi: 'Tờ khai có thông tin không hợp lệ', en: 'The form has invalid entries' }),
  signatureInvalid: defineError('SIGNATURE_NOT_VALID', 422, {
    vi: 'Chữ ký số của tài liệu không hợp lệ',
    en: 'The document signature is not valid',
  }),
  notOnline: defineError('PROCEDURE_NOT_ONLINE', 422, {
    vi: 'Thủ tục này không được cung cấp dịch vụ công trực tuyến: hãy nộp hồ sơ tại bộ phận một cửa',
    en: 'This procedure is not offered online: submit the dossier at the counter',
  }),
  receivingAgency: defineError('RECEIVING_AGENCY_INVALID', 422, {
    vi: 'Cơ quan tiếp nhận không tiếp nhận hồ sơ của thủ tục này',
    en: 'This agency does not receive dossiers of this procedure',
  }),
  noProcess: defineError('PROCESS_NOT_DEFINED', 422, {
    vi: 'Thủ tục chưa có quy trình nội bộ tại cơ quan này',
    en: 'The procedure has no internal process at this agency',
  }),
  consentRequired: defineError('CONSENT_REQUIRED', 403, {
    vi: 'Đại lý dịch vụ công phải có sự đồng ý đã ghi nhận của người nộp hồ sơ',
    en: "A public-service agent needs the applicant's recorded consent",
  }),
  agentNotFound: defineError('AGENT_NOT_FOUND', 404, { vi: 'Không tìm thấy đại lý dịch vụ công', en: 'Public-service agent not found' }),
  statusNotFound: defineError('DOSSIER_STATUS_NOT_FOUND', 404, {
    vi: 'Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập',
    en: 'No dossier matches this code and secret',
  }),
};

/** The lifecycle rules' refusal as an HTTP problem: stable code, the rules' message, the rules' details. */
export function refusalProblem(r: Refusal) {
  const status =
    r.code === 'actor_not_allowed' || r.code === 'consent_required'
      ? 403
      : r.code === 'out_of_scope'
        ? 404
        : ['invalid_state', 'dossier_closed', 'completion_already_returned', 'completion_pending', 'clock_regression'].includes(r.code)
          ? 409
          : 422;
  const make = defineError(`DOSSIER_${r.code.toUpperCase()}`, status, r.message);
  return make({ ...(r.details ?? {}), ...(r.violation ? { violation: r.violation } : {}) });
}

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers

/** Where the signature engine finds trusted roots; tests and deployments pass their own. */
export interface IntakeOptions {
  trustAnchors?: () => Promise<Uint8Array[]>;
  /** Largest accepted file, in bytes (below the platform's multipart limit). */
  maxFileBytes?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

export async function rulesEnv(q: Queryable): Promise<RulesEnv> {
  return { calendar: frozenCalendarConfig(await loadCalendarConfig(q)) };
}

function applicantActor(p: Principal, onBehalfOf?: { subjectId: string; consentRef: string }): Actor {
  if (p.role !== 'citizen' && p.role !== 'business' && p.role !== 'agent') throw Problems.forbidden({ role: p.role });
  return { kind: 'applicant', role: p.role, userId: p.userId, subjectId: p.subjectId ?? '', ...(onBehalfOf ? { onBehalfOf } : {}) };
}

export function officerActor(p: Principal): Actor {
  if (p.role === 'citizen' || p.role === 'business' || p.role === 'agent' || !p.agencyCode) throw Problems.forbidden({ role: p.role });
  return { kind: 'officer', role: p.role, userId: p.userId, agency: p.agencyCode };
}

export const auditActor = (p: Principal) => ({ userId: p.userId, role: p.role });


export function snapshotOf(procedure: catalogStore.ProcedureView, components: ComponentView[]): ProcedureSnapshot {
  return {
    key: procedure.key,
    deadline: { value: procedure.deadline.value, unit: procedure.deadline.unit },
    cutoff: procedure.cutoff,
    components: components
      .filter((c) => c.active)
      .map((c) => ({ key: c.key, name: c.name, required: c.required, acceptedBases: c.acceptedBases, exempt: c.exempt ?? null })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Consent (an applicant lets a public-service agent submit for them)

export async function grantConsent(ctx: AppContext, principal: Principal, agentUsername: string): Promise<{ id: string; agentUserId: string }> {
  if ((principal.role !== 'citizen' && principal.role !== 'business') || !principal.subjectId) throw Problems.forbidden({ role: principal.role });
  const now = ctx.now();
  return ctx.db.tx(async (q) => {
    const a = await q.query<{ id: string }>("SELECT id FROM app_user WHERE username = $1 AND role = 'agent' AND NOT disabled", [
      agentUsername.trim().toLowerCase(),
    ]);
    const agent = a.rows[0];
    if (!agent) throw DossierErrors.agentNotFound();
    const id = await store.insertConsent(q, { applicantSubjectId: principal.subjectId!, grantedBy: principal.userId, agentUserId: agent.id, at: now });
    await appendAuditEvent(q, {
      type: 'dossier.consent_granted',
      at: now,
      actor: auditActor(principal),
      subjectType: 'applicant_consent',
      subjectId: id,
      data: { agentUserId: agent.id },
    });
    return { id, agentUserId: agent.id };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Online submission

export interface SubmittedComponent {
  key: string;
  basis?: ValidityBasis;
  /** Self-declared form data (components whose input is a form). */
  form?: Record<string, unknown>;
  exempt?: { reason: 'SHOWN_ONLY' | 'CLASSIFIED' | 'OTHER'; note?: string | null };
  /** Basis REUSED: the item of the applicant's e-store the component takes (with the applicant's consent). */
  reuse?: { estoreItemId: string };
}

export interface SubmissionInput {
  procedure: string;
  receivingAgency?: string;
  /** Only for public-service agents: whose dossier it is. */
  applicant?: { subjectId: string; kind: 'citizen' | 'business' };
  components: SubmittedComponent[];
}

export interface SubmissionResult {
  id: string;
  status: string;
  portalStatus: number;
  submittedAt: string;
  /** Given once (and again on an idempotent replay): the secret for the public status page. Only its hash is kept. */
  statusSecret: string;
}

export interface PreparedDocument {
  id: string;
  bytes: Uint8Array;
  /** The copy signed at reception (counter scans); `bytes` stay the original as received. */
  signed?: Uint8Array;
  mediaType: string;
  pages: number | null;
  origin: documents.DocumentOrigin;
  report: { id: string; indication: SignatureIndication; report: ValidationReport } | null;
}

export interface PreparedComponent {
  key: string;
  /** Null while awaiting the officer's signature at reception (an online photo/scan, see digitize.ts). */
  provided: ProvidedComponent | null;
  row: store.ComponentRow;
  document: PreparedDocument | null;
}

/**
 * Submits a dossier online (status 1, new). Everything is checked before anything is stored: forms, files (type,
 * parse, active content), signatures of e-certified copies and e-copies (only TOTAL_PASSED), the lifecycle rules.
 * Then the blobs are written, and one transaction stores the dossier, components, documents, reports, history and
 * the audit event — all or nothing; an `Idempotency-Key` makes a retry return the first answer.
 */
export async function submitOnline(
  ctx: AppContext,
  principal: Principal,
  input: SubmissionInput,
  files: UploadedFile[],
  opts: IntakeOptions & { idempotencyKey?: string } = {},
): Promise<{ status: number; body: SubmissionResult; replayed: boolean }> {
  const now = ctx.now();
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const detail = await getProcedureDetail(ctx.db, input.procedure, { withProcesses: false });
  const procedure = detail.procedure;
  const defs = detail.components.filter((c) => c.active);
  if (!procedure.channels.some((c) => c === 'full_online' || c === 'partly_online')) throw DossierErrors.notOnline({ procedure: procedure.key });

  // Receiving agency: named, or the procedure's only one.
  const receivingCode = input.receivingAgency ?? (procedure.receivingAgencies.length === 1 ? procedure.receivingAgencies[0] : undefined);
  if (!receivingCode || (procedure.receivingAgencies.length > 0 && !procedure.receivingAgencies.includes(receivingCode))) {
    throw DossierErrors.receivingAgency({ receivingAgency: receivingCode ?? null, accepted: procedure.receivingAgencies });
  }
  const competentCode = procedure.competentAgency ?? receivingCode;
  const agencies = await catalogStore.getAgenciesByCode(ctx.db, [receivingCode, competentCode]);
  const receiving = agencies.get(receivingCode);
  if (!receiving) throw DossierErrors.receivingAgency({ receivingAgency: receivingCode });
  const competent = agencies.get(competentCode);
  const process = competent ? await catalogStore.currentProcessFor(ctx.db, procedure.id, competent.id) : null;
  if (!process) throw DossierErrors.noProcess({ procedure: procedure.key, agency: competentCode });

  // Who the dossier belongs to; an agent needs the applicant's recorded consent.
  let applicant: DossierDraft['applicant'];
  let consentId: string | null = null;
  if (principal.role === 'agent') {
    if (!input.applicant) throw DossierErrors.consentRequired();
    consentId = await store.findActiveConsent(ctx.db, principal.userId, input.applicant.subjectId);
    if (!consentId) throw DossierErrors.consentRequired({ applicant: input.applicant.subjectId });
    applicant = { subjectId: input.applicant.subjectId, kind: input.applicant.kind };
  } else {
    applicant = { subjectId: principal.subjectId ?? '', kind: principal.role === 'business' ? 'business' : 'citizen' };
    // Citizens and businesses submit only for themselves; naming someone else is outside their scope.
    if (input.applicant && (input.applicant.subjectId !== applicant.subjectId || input.applicant.kind !== applicant.kind)) {
      throw refusalProblem({ ok: false, code: 'out_of_scope', message: REFUSAL_MESSAGES.out_of_scope });
    }
  }
  const actor = applicantActor(principal, consentId ? { subjectId: applicant.subjectId, consentRef: consentId } : undefined);

  // Files per component key.
  const byKey = new Map<string, UploadedFile[]>();
  for (const f of files) {
    if (!defs.some((c) => c.key === f.componentKey)) throw DossierErrors.unknownComponent({ component: f.componentKey });
    byKey.set(f.componentKey, [...(byKey.get(f.componentKey) ?? []), f]);
  }
  const dossierId = randomUUID();
  const anchors = await (opts.trustAnchors ?? (() => configuredTrustAnchors(ctx)))();
  const seen = new Set<string>();
  const prepared: PreparedComponent[] = [];
  for (const c of input.components) {
    const def = defs.find((x) => x.key === c.key);
    if (!def) throw DossierErrors.unknownComponent({ component: c.key });
    if (seen.has(c.key)) throw DossierErrors.invalidSubmission({ component: c.key, reason: 'duplicate component' });
    seen.add(c.key);
    prepared.push(
      await prepareComponent(def, c, byKey.get(c.key) ?? [], {
        dossierId,
        now,
        maxBytes,
        anchors,
        awaitSignatureAtReception: true,
        reuse: (itemId, documentType) => reusableEvidence(ctx.db, itemId, applicant.subjectId, documentType, now),
      }),
    );
  }
  for (const key of byKey.keys()) {
    if (!seen.has(key)) throw DossierErrors.invalidSubmission({ component: key, reason: 'file without a component entry' });
  }

  const draft: DossierDraft = {
    id: dossierId,
    applicant,
    receivingAgency: receiving.code,
    procedure: snapshotOf(procedure, defs),
    process: {
      agency: process.agency ?? receiving.code,
      versionId: process.id,
      steps: process.steps.map((s) => ({ kind: s.kind, name: s.name, role: s.role, agency: s.agency, quotaHours: s.quotaHours })),
    },
    components: providedOf(prepared),
  };
  const decision = submit(draft, actor, now);
  if (!decision.ok) throw refusalProblem(decision);

  // Blobs first; their rows come with the dossier in one transaction.
  const docs = prepared.flatMap((p) => (p.document ? [p.document] : []));
  const stored = await putBlobs(ctx, docs);
  const secret = newSecret();
  const fingerprint = requestFingerprint({ input, files: docs.map((d) => stored.get(d.id)!.sha256) });
  const result = await runIdempotent<Omit<SubmissionResult, 'statusSecret'>>(
    ctx.db,
    { key: opts.idempotencyKey, principalId: principal.userId, route: 'POST /api/dossiers', fingerprint },
    async (q) => {
      await insertPreparedDocuments(q, docs, stored, principal.userId, now);
      await store.insertDossier(q, {
        id: dossierId,
        code: null,
        procedureId: procedure.id,
        processId: process.id,
        submittedBy: principal.userId,
        consentId,
        receivingAgencyId: receiving.id,
        currentAgencyId: receiving.id,
        dueAt: null,
        inbox: NO_STEP,
        state: decision.state,
        statusSecretHash: secret.hash,
        at: now,
      });
      await store.insertComponents(q, dossierId, prepared.map((p) => p.row), now);
      await store.appendEvents(q, dossierId, decision.events);
      await appendAuditEvent(q, {
        type: 'dossier.submitted',
        at: now,
        actor: auditActor(principal),
        agencyId: receiving.id,
        subjectType: 'dossier',
        subjectId: dossierId,
        data: { procedure: procedure.key, channel: 'online', components: prepared.map((p) => p.key), consentId },
      });
      return {
        status: 201,
        body: { id: dossierId, status: decision.state.status, portalStatus: PORTAL_STATUS_CODE[decision.state.status], submittedAt: now.toISOString() },
      };
    },
  );
  if (!result.replayed) return { status: result.status, body: { ...result.body, statusSecret: secret.secret }, replayed: false };
  // A replay usually means the first answer was lost: issue a fresh secret (the lost one stops working).
  const again = newSecret();
  await ctx.db.tx(async (q) => {
    await store.setStatusSecretHash(q, result.body.id, again.hash);
    await appendAuditEvent(q, {
      type: 'dossier.status_secret_reissued',
      at: now,
      actor: auditActor(principal),
      subjectType: 'dossier',
      subjectId: result.body.id,
    });
  });
  return { status: result.status, body: { ...result.body, statusSecret: again.secret }, replayed: true };
}

/** The components the lifecycle rules see: one awaiting its signature at reception counts as not yet provided. */
export function providedOf(prepared: readonly PreparedComponent[]): Record<string, ProvidedComponent> {
  return Object.fromEntries(prepared.flatMap((p) => (p.provided ? [[p.key, p.provided] as const] : [])));
}

export async function putBlobs(ctx: AppContext, docs: PreparedDocument[]): Promise<Map<string, documents.BlobRef>> {
  const stored = new Map<string, documents.BlobRef>();
  for (const doc of docs) {
    const b = await ctx.blobs.put(doc.bytes);
    stored.set(doc.id, { sha256: b.sha256, size: b.size, mediaType: doc.mediaType });
    if (doc.signed) {
      const sb = await ctx.blobs.put(doc.signed);
      stored.set(`${doc.id}:signed`, { sha256: sb.sha256, size: sb.size, mediaType: 'application/pdf' });
    }
  }
  return stored;
}

export async function insertPreparedDocuments(
  q: Queryable,
  docs: PreparedDocument[],
  stored: Map<string, documents.BlobRef>,
  userId: string,
  now: Date,
): Promise<void> {
  await documents.insertValidationReports(
    q,
    docs.flatMap((doc) => (doc.report ? [{ id: doc.report.id, indication: doc.report.indication, report: doc.report.report, at: now }] : [])),
  );
  await documents.insertDocuments(
    q,
    docs.map((doc) => ({
      id: doc.id,
      blob: stored.get(doc.id)!,
      signedBlob: stored.get(`${doc.id}:signed`) ?? null,
      pages: doc.pages,
      origin: doc.origin,
      validationReportId: doc.report?.id ?? null,
      createdBy: userId,
      at: now,
    })),
  );
}

export async function prepareComponent(
  def: ComponentView,
  c: SubmittedComponent,
  files: UploadedFile[],
  env: {
    dossierId: string;
    now: Date;
    maxBytes: number;
    anchors: Uint8Array[];
    awaitSignatureAtReception?: boolean;
    /** Looks up an e-store item the applicant may reuse for a component of `documentType` (online submission). */
    reuse?: (itemId: string, documentType: string | null) => ReturnType<typeof reusableEvidence>;
  },
): Promise<PreparedComponent> {
  const where = { component: def.key, componentName: def.name };
  if (c.exempt) {
    if (files.length) throw DossierErrors.invalidSubmission({ ...where, reason: 'an exempt component has no file' });
    const note = c.exempt.note?.normalize('NFC').trim() || null;
    return {
      key: def.key,
      provided: { kind: 'exempt', reason: c.exempt.reason, note },
      row: { componentKey: def.key, basis: null, exemptReason: c.exempt.reason, evidence: { exemption: { reason: c.exempt.reason, note } }, documentId: null },
      document: null,
    };
  }
  const basis = c.basis ?? (c.form ? 'SELF_DECLARED' : undefined);
  if (!basis) throw DossierErrors.invalidSubmission({ ...where, reason: 'basis required' });
  if (basis === 'REUSED') {
    if (!env.reuse || !c.reuse || files.length || c.form !== undefined) {
      throw env.reuse ? DossierErrors.invalidSubmission({ ...where, reason: 'a reused component names its e-store item, without files' }) : DossierErrors.estoreUnavailable(where);
    }
    if (!def.acceptedBases.includes('REUSED')) throw DossierErrors.basisNotAccepted({ ...where, basis, accepted: def.acceptedBases });
    const { item, evidence } = await env.reuse(c.reuse.estoreItemId, def.documentType ?? null);
    return {
      key: def.key,
      provided: evidence,
      // The stored document itself: nothing is copied or uploaded again.
      row: { componentKey: def.key, basis, exemptReason: null, evidence: { estoreItemId: item.id, original: item.original.basis }, documentId: item.documentId },
      document: null,
    };
  }
  if (basis === 'DIGITIZED_SIGNED' && !env.awaitSignatureAtReception) throw DossierErrors.basisCounterOnly(where);
  if (!def.acceptedBases.includes(basis) || (basis === 'DIGITIZED_SIGNED' && def.input !== 'upload')) {
    throw DossierErrors.basisNotAccepted({ ...where, basis, accepted: def.acceptedBases });
  }

  const documentId = randomUUID();
  if (c.form !== undefined) {
    if (basis !== 'SELF_DECLARED' || !def.formTemplate || files.length) {
      throw DossierErrors.invalidSubmission({ ...where, reason: 'form data only for a self-declared form component, without files' });
    }
    const checked = validateFormData(def.formTemplate, c.form);
    if (!checked.ok) throw DossierErrors.formInvalid({ ...where, problems: checked.problems });
    const bytes = new TextEncoder().encode(canonicalJson({ component: def.key, template: def.formTemplate.title, data: checked.data }));
    return {
      key: def.key,
      provided: { kind: 'basis', basis: 'SELF_DECLARED', documentId, submission: { id: env.dossierId, authenticated: true } },
      row: { componentKey: def.key, basis, exemptReason: null, evidence: { form: checked.data, submission: env.dossierId }, documentId },
      document: { id: documentId, bytes, mediaType: 'application/json', pages: null, origin: 'declared', report: null },
    };
  }
  if (!files.length) throw DossierErrors.fileRequired(where);
  // The catalog allows SELF_DECLARED only on form components: a self-declared basis always comes with form data.
  if (basis === 'SELF_DECLARED') throw DossierErrors.invalidSubmission({ ...where, reason: 'a self-declared component is a form: send its data' });
  const file = await prepareComponentFiles(def.key, files, env.maxBytes);
  if (basis === 'DIGITIZED_SIGNED') {
    // Photos or a scan sent online: kept as received (one PDF), signed by the counter officer when the dossier is
    // received (R1); until then the rules count the component as not yet provided.
    const evidence: AwaitingSignatureEvidence = { awaitingSignature: true, pages: file.pages, fromImages: file.converted };
    return {
      key: def.key,
      provided: null,
      row: { componentKey: def.key, basis, exemptReason: null, evidence: { ...evidence }, documentId },
      document: { id: documentId, bytes: file.pdf, mediaType: 'application/pdf', pages: file.pages, origin: 'uploaded', report: null },
    };
  }
  // E_CERTIFIED / ECOPY_FROM_REGISTER: the signature is the evidence; only TOTAL_PASSED is accepted (R2).
  if (file.converted) throw DossierErrors.signatureInvalid({ ...where, reason: { vi: 'Ảnh chụp không mang chữ ký số', en: 'A photo carries no digital signature' } }, signatureDetail(def.name, { vi: 'Ảnh chụp không mang chữ ký số; hãy tải lên tệp PDF đã ký số.', en: 'A photo carries no digital signature; upload the signed PDF.' }));
  const report = await validatePdf(file.pdf, { trustAnchors: env.anchors, at: env.now });
  const indication = reportIndication(report);
  if (indication !== 'TOTAL_PASSED') {
    const reason = reportReason(report);
    throw DossierErrors.signatureInvalid({ ...where, indication, reason }, signatureDetail(def.name, reason));
  }
  const reportId = randomUUID();
  return {
    key: def.key,
    provided: { kind: 'basis', basis, documentId, validation: { reportId, indication } },
    row: { componentKey: def.key, basis, exemptReason: null, evidence: { validationReportId: reportId, indication }, documentId },
    document: { id: documentId, bytes: file.pdf, mediaType: 'application/pdf', pages: file.pages, origin: 'uploaded', report: { id: reportId, indication, report } },
  };
}

function signatureDetail(componentName: string, reason: LocalizedText): LocalizedText {
  return {
    vi: `Thành phần "${componentName}": chữ ký số không hợp lệ. ${reason.vi}`,
    en: `Component "${componentName}": the digital signature is not valid. ${reason.en}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reception decision

/**
 * Loads a dossier the officer may see: its receiving or current agency is theirs, or their agency holds a step of
 * its route (the competent agency after the result went back to the counter, a department consulted by transfer).
 * What they may do with it is the rules' decision. Else 404.
 */
export async function loadForOfficer(q: Queryable, principal: Principal, id: string, forUpdate = false): Promise<store.DossierRow> {
  const row = await store.getDossier(q, id, forUpdate);
  if (!row) throw DossierErrors.notFound();
  const mine = await officerAgencyIds(q, principal);
  if (mine.includes(row.receivingAgencyId) || mine.includes(row.currentAgencyId)) return row;
  const onRoute = [...new Set(row.state.route.map((s) => s.agency))];
  if (onRoute.length) {
    const r = await q.query<{ id: string }>('SELECT id FROM agency WHERE code = ANY($1::text[]) AND id = ANY($2::uuid[]) LIMIT 1', [onRoute, mine]);
    if (r.rows.length) return row;
  }
  throw DossierErrors.notFound();
}

export interface QueueItem {
  id: string;
  procedure: string;
  applicantKind: string;
  submittedAt: string | null;
  receptionDue: string | null;
  components: string[];
  completionRequested: boolean;
  version: number;
}

export async function receptionQueue(ctx: AppContext, principal: Principal, page: { limit?: number; offset?: number } = {}): Promise<QueueItem[]> {
  // Only the officer's own branch: the rules let exactly the receiving agency's counter decide (not a parent's).
  const agencies = principal.agencyId ? [principal.agencyId] : [];
  const rows = await store.listQueue(ctx.db, agencies, Math.min(Math.max(page.limit ?? 50, 1), 200), Math.max(page.offset ?? 0, 0));
  const env = await rulesEnv(ctx.db);
  return rows.map((r) => ({
    id: r.id,
    procedure: r.state.procedure.key,
    applicantKind: r.applicantKind,
    submittedAt: r.submittedAt?.toISOString() ?? null,
    receptionDue: receptionDeadline(r.state, env)?.toISOString() ?? null,
    components: Object.keys(r.state.components),
    completionRequested: r.state.completionRequest !== null,
    version: r.version,
  }));
}

/** What a decision answers: the dossier as its state now stands (status, version, reception, promised date). */
export function decisionResult(row: { id: string; code: string | null }, s: DossierState, env: RulesEnv, now: Date): DecisionResult {
  return {
    id: row.id,
    code: row.code,
    status: s.status,
    portalStatus: PORTAL_STATUS_CODE[s.status],
    version: s.version,
    receivedAt: s.receivedAt?.toISOString() ?? null,
    promisedDue: dossierDeadline(s, env, now)?.promisedDue.toISOString() ?? null,
  };
}

/**
 * The dossier's accepted e-documents enter the applicant's e-store for reuse (R3 once-only), at reception and when a
 * supplement is accepted; returns the component keys stored.
 */
export async function storeAcceptedComponents(q: Queryable, row: { id: string; procedureId: string }, state: DossierState, now: Date): Promise<string[]> {
  const definitions = await catalogStore.listComponents(q, row.procedureId, true);
  const accepted = acceptedComponents(definitions, state.procedure.components, state.components);
  if (!accepted.length) return [];
  await addComponents(q, { ownerSubjectId: state.applicant.subjectId, ownerKind: state.applicant.kind, dossierId: row.id, at: now, components: accepted });
  return accepted.map((a) => a.componentKey);
}

export interface DecisionResult {
  id: string;
  code: string | null;
  status: string;
  portalStatus: number;
  version: number;
  receivedAt: string | null;
  promisedDue: string | null;
  /** Given once at reception (a new secret; the one from submission stops working). */
  statusSecret?: string;
  /** At reception: the signed receipt (form 01), or null while the retry job still has to produce it. */
  receipt?: { documentId: string; sha256: string } | null;
}

/**
 * Applies one action (reception, processing, results; an applicant's withdrawal) through the lifecycle rules.
 * Optimistic concurrency: the row is written only at the version read (and, when the client sends one, at the
 * version it saw), so of two people acting at once one wins and the other gets 409. A refusal flagged R3 is recorded
 * in the violations register and the audit log, then returned.
 */
export async function applyAction(
  ctx: AppContext,
  /** Null for a machine counterpart (`opts.system`). */
  principal: Principal | null,
  id: string,
  action: Action,
  expectedVersion: number | undefined,
  opts: {
    assignTo?: string;
    /** Rows the decision brings with it (e.g. the result document), written in its transaction once it is accepted. */
    inTx?: (q: Queryable) => Promise<void>;
    /** The applicant acts (their own dossier, or for it with recorded consent) rather than an officer. */
    applicant?: { onBehalfOf?: { subjectId: string; consentRef: string } };
    /** A machine counterpart acts (the payment gateway confirming a payment it received). */
    system?: SystemService;
  } = {},
): Promise<DecisionResult> {
  const now = ctx.now();
  if (!principal && !opts.system) throw Problems.unauthenticated();
  const actor: Actor = !principal ? { kind: 'system', service: opts.system! } : opts.applicant ? applicantActor(principal, opts.applicant.onBehalfOf) : officerActor(principal);
  const who = principal ? auditActor(principal) : null;
  // Signed outside the row lock (a TSA call); a conflicting decision meanwhile aborts the write, and the unused
  // signed bytes are swept as orphan blobs.
  const digitized = action.type === 'receive' && principal ? await signAwaitingComponents(ctx, principal, id, now) : [];
  let forms: FormJob[] = [];
  const refusal = await ctx.db.tx(async (q): Promise<{ refusal: Refusal; row: store.DossierRow } | DecisionResult> => {
    const row = !principal ? await loadAny(q, id) : opts.applicant ? await loadForApplicant(q, principal, id, true) : await loadForOfficer(q, principal, id, true);
    if (expectedVersion !== undefined && expectedVersion !== row.version) throw Problems.conflict({ version: row.version });
    const env = await rulesEnv(q);
    let state = row.state;
    if (digitized.length) {
      state = { ...state, components: { ...state.components, ...Object.fromEntries(digitized.map((d) => [d.row.componentKey, d.provided])) } };
    }
    const decision = decideWork(state, action, actor, now, env);
    if (!decision.ok) return { refusal: decision, row };
    if (opts.inTx) await opts.inTx(q);
    const next = decision.state;
    let currentAgencyId = row.currentAgencyId;
    if (next.currentAgency !== row.state.currentAgency) {
      const a = await catalogStore.getAgency(q, next.currentAgency);
      if (a) currentAgencyId = a.id;
    }
    const deadline = dossierDeadline(next, env, now);
    let code = row.code;
    let secret: string | undefined;
    // The row is locked (FOR UPDATE above), so a code is allocated only by the decision that will be written.
    if (action.type === 'receive') code = (await allocateDossierCode(q, row.receivingAgencyId, now)).code;
    const assignee = keepsAssignee(row.state, next) ? 'keep' : opts.assignTo && principal ? await checkedAssignee(q, next, actor, opts.assignTo) : null;
    const assigned = assignee !== 'keep' && assignee !== null ? assignee : null;
    const written = await store.updateDossierState(q, {
      id: row.id,
      expectedVersion: row.version,
      state: next,
      currentAgencyId,
      dueAt: deadline?.due ?? null,
      inbox: inboxFields(next, env, now),
      assignee,
      at: now,
      ...(code ? { code } : {}),
    });
    if (!written) throw Problems.conflict();
    if (assigned) await recordAssignment(q, { dossierId: row.id, stepIndex: next.currentStep!, assigneeId: assigned, assignedBy: principal!.userId, note: null, at: now });
    await documents.insertValidationReports(
      q,
      digitized.map((d) => ({ id: d.report.id, indication: d.report.indication, report: d.report.report, at: now })),
    );
    for (const d of digitized) {
      if (!(await documents.attachSignedCopy(q, d.row.documentId!, d.signedBlob, d.report.id))) throw Problems.conflict();
    }
    await store.insertComponents(q, row.id, digitized.map((d) => d.row), now);
    if (digitized.length) await enqueueOcrJobs(q, digitized.map((d) => d.row.documentId!), now);
    if (action.type === 'receive') {
      const s = newSecret();
      await store.setStatusSecretHash(q, row.id, s.hash);
      secret = s.secret;
      // The receipt is signed after commit (no row lock across a TSA call); this job is its safety net.
      await enqueueReceiptJob(q, row.id, now);
    }
    const seqs = await store.appendEvents(q, row.id, decision.events);
    forms = await enqueueFormJobs(q, row.id, decision.events, seqs, now);
    const forReuse = action.type === 'receive' ? await storeAcceptedComponents(q, row, next, now) : [];
    await appendAuditEvent(q, {
      type: `dossier.${decision.events.at(-1)?.type ?? action.type}`,
      at: now,
      actor: who,
      agencyId: row.receivingAgencyId,
      subjectType: 'dossier',
      subjectId: row.id,
      data: {
        code,
        from: row.status,
        to: next.status,
        version: next.version,
        events: decision.events.map((e) => e.type),
        ...(assigned ? { assignee: assigned } : {}),
        ...(digitized.length ? { digitizedAtReception: digitized.map((d) => d.row.componentKey) } : {}),
        ...(forReuse.length ? { storedForReuse: forReuse } : {}),
      },
    });
    return { ...decisionResult({ id: row.id, code }, next, env, now), ...(secret ? { statusSecret: secret } : {}) };
  });
  if (!('refusal' in refusal)) {
    await issueFormsNow(ctx, forms);
    if (action.type === 'receive') {
      const receipt = await issueReceiptNow(ctx, refusal.id, refusal.statusSecret);
      return { ...refusal, receipt: receipt ? { documentId: receipt.documentId, sha256: receipt.sha256 } : null };
    }
    return refusal;
  }
  const { refusal: r, row } = refusal;
  if (r.violation) {
    await ctx.db.tx(async (q) => {
      const vid = await store.insertViolationAttempt(q, {
        rule: r.violation!,
        code: r.code,
        dossierId: row.id,
        actorId: principal?.userId ?? null,
        agencyId: principal?.agencyId ?? null,
        action: action.type,
        details: { ...(r.details ?? {}) },
        at: now,
      });
      await appendAuditEvent(q, {
        type: 'dossier.violation_attempt',
        at: now,
        actor: who,
        agencyId: principal?.agencyId ?? null,
        subjectType: 'dossier',
        subjectId: row.id,
        data: { violationId: vid, rule: r.violation, code: r.code, action: action.type, details: r.details ?? {} },
      });
    });
  }
  throw refusalProblem(r);
}

/**
 * Online photos/scans awaiting their signature (DIGITIZED_SIGNED): marked as converted and signed by the receiving
 * officer, with their validation reports, ready to be stored by the reception decision.
 */
async function signAwaitingComponents(
  ctx: AppContext,
  principal: Principal,
  id: string,
  now: Date,
): Promise<(DigitizedCopy & { signedBlob: documents.BlobRef })[]> {
  const row = await loadForOfficer(ctx.db, principal, id);
  if (row.status !== 'new' || principal.role !== 'counter_officer') return [];
  const awaiting = (await store.listComponents(ctx.db, id)).filter((c) => c.documentId && isAwaitingSignature(c.evidence) && !row.state.components[c.componentKey]);
  if (!awaiting.length) return [];
  const docs = await documents.getDocuments(ctx.db, awaiting.map((c) => c.documentId!));
  const env = await receptionSigner(ctx, principal, now);
  const out: (DigitizedCopy & { signedBlob: documents.BlobRef })[] = [];
  for (const c of awaiting) {
    const doc = docs.get(c.documentId!)!;
    const evidence = c.evidence as unknown as AwaitingSignatureEvidence;
    const name = row.state.procedure.components.find((x) => x.key === c.componentKey)?.name ?? c.componentKey;
    const copy = await signDigitizedCopy(
      ctx,
      await ctx.blobs.get(doc.sha256),
      { key: c.componentKey, name, documentId: doc.id, pages: evidence.pages, fromImages: evidence.fromImages, source: 'online_photo' },
      env,
    );
    const b = await ctx.blobs.put(copy.signed);
    out.push({ ...copy, signedBlob: { sha256: b.sha256, size: b.size, mediaType: 'application/pdf' } });
  }
  return out;
}

export function receiveDossier(ctx: AppContext, principal: Principal, id: string, expectedVersion?: number): Promise<DecisionResult> {
  return applyAction(ctx, principal, id, { type: 'receive' }, expectedVersion);
}

export function returnForCompletion(
  ctx: AppContext,
  principal: Principal,
  id: string,
  items: RequestItem[],
  expectedVersion?: number,
): Promise<DecisionResult> {
  return applyAction(ctx, principal, id, { type: 'return_for_completion', items }, expectedVersion);
}

export function refuseDossier(ctx: AppContext, principal: Principal, id: string, reason: string, expectedVersion?: number): Promise<DecisionResult> {
  return applyAction(ctx, principal, id, { type: 'refuse', reason }, expectedVersion);
}

async function loadAny(q: Queryable, id: string): Promise<store.DossierRow> {
  const row = await store.getDossier(q, id, true);
  if (!row) throw DossierErrors.notFound();
  return row;
}

/** One of the applicant's own dossiers (submitted by them, or theirs by CCCD / tax code); NOT_FOUND otherwise. */
export async function loadForApplicant(q: Queryable, principal: Principal, id: string, forUpdate = false): Promise<store.DossierRow> {
  const row = await store.getDossier(q, id, forUpdate);
  if (!row || !ownsRow(principal, row)) throw DossierErrors.notFound();
  return row;
}

/** The consent an agent acts under for the dossier's applicant (citizens and businesses act for themselves). */
async function agentConsent(ctx: AppContext, principal: Principal, row: store.DossierRow): Promise<{ subjectId: string; consentRef: string } | undefined> {
  if (principal.role !== 'agent') return undefined;
  const consent = await store.findActiveConsent(ctx.db, principal.userId, row.applicantSubjectId);
  if (!consent) throw DossierErrors.consentRequired({ applicant: row.applicantSubjectId });
  return { subjectId: row.applicantSubjectId, consentRef: consent };
}

/** The applicant withdraws the dossier (status 7) while no result exists; the reason is optional. */
export async function withdrawDossier(ctx: AppContext, principal: Principal, id: string, reason: string, expectedVersion?: number): Promise<DecisionResult> {
  const row = await loadForApplicant(ctx.db, principal, id);
  const onBehalfOf = await agentConsent(ctx, principal, row);
  return applyAction(ctx, principal, id, { type: 'withdraw', reason }, expectedVersion, { applicant: onBehalfOf ? { onBehalfOf } : {} });
}

// ---------------------------------------------------------------------------------------------------------------
// Completion: the applicant answers the one return for completion (only the components it named)

/**
 * Supplies the components named in the completion request (same checks as submission). The dossier stays new and
 * goes back to the counter's queue; the rules refuse anything not requested or still invalid.
 */
export async function supplyCompletion(
  ctx: AppContext,
  principal: Principal,
  id: string,
  components: SubmittedComponent[],
  files: UploadedFile[],
  opts: IntakeOptions = {},
): Promise<DecisionResult> {
  const now = ctx.now();
  const row = await store.getDossier(ctx.db, id);
  if (!row || !ownsRow(principal, row)) throw DossierErrors.notFound();
  const actor = applicantActor(principal, await agentConsent(ctx, principal, row));
  const detail = await getProcedureDetail(ctx.db, row.procedureId, { includeInactive: true });
  const defs = detail.components.filter((c) => row.state.procedure.components.some((x) => x.key === c.key));
  const byKey = new Map<string, UploadedFile[]>();
  for (const f of files) byKey.set(f.componentKey, [...(byKey.get(f.componentKey) ?? []), f]);
  const anchors = await (opts.trustAnchors ?? (() => configuredTrustAnchors(ctx)))();
  const prepared: PreparedComponent[] = [];
  for (const c of components) {
    const def = defs.find((x) => x.key === c.key);
    if (!def) throw DossierErrors.unknownComponent({ component: c.key });
    if (prepared.some((p) => p.key === c.key)) throw DossierErrors.invalidSubmission({ component: c.key, reason: 'duplicate component' });
    prepared.push(await prepareComponent(def, c, byKey.get(c.key) ?? [], { dossierId: row.id, now, maxBytes: opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, anchors }));
  }
  for (const key of byKey.keys()) {
    if (!prepared.some((p) => p.key === key)) throw DossierErrors.invalidSubmission({ component: key, reason: 'file without a component entry' });
  }
  return recordSupplement(ctx, principal, row, prepared, actor, now);
}

/**
 * Stores what the applicant (online) or the counter (scanned and signed again at reception) supplies for the
 * completion or supplement request: checked by the rules before any byte is stored and again under the row lock.
 */
export async function recordSupplement(
  ctx: AppContext,
  principal: Principal,
  row: store.DossierRow,
  prepared: PreparedComponent[],
  actor: Actor,
  now: Date,
): Promise<DecisionResult> {
  const id = row.id;
  const action: Action = { type: 'supplement', components: providedOf(prepared) };
  const env = await rulesEnv(ctx.db);
  // Checked before any byte is stored; checked again under the row lock below.
  const early = decide(row.state, action, actor, now, env);
  if (!early.ok) throw refusalProblem(early);
  const docs = prepared.flatMap((p) => (p.document ? [p.document] : []));
  const stored = await putBlobs(ctx, docs);
  return ctx.db.tx(async (q) => {
    const locked = await store.getDossier(q, id, true);
    if (!locked || locked.version !== row.version) throw Problems.conflict();
    const decision = decide(locked.state, action, actor, now, env);
    if (!decision.ok) throw refusalProblem(decision);
    await insertPreparedDocuments(q, docs, stored, principal.userId, now);
    // Papers scanned and signed at the counter are read (OCR) like any counter scan.
    await enqueueOcrJobs(q, docs.filter((d) => d.signed).map((d) => d.id), now);
    await store.insertComponents(q, locked.id, prepared.map((p) => p.row), now);
    const written = await store.updateDossierState(q, {
      id: locked.id,
      expectedVersion: locked.version,
      state: decision.state,
      currentAgencyId: locked.currentAgencyId,
      // Resuming after a supplement moves the due instant by the paused time (R5).
      dueAt: dossierDeadline(decision.state, env, now)?.due ?? null,
      inbox: inboxFields(decision.state, env, now),
      assignee: 'keep',
      at: now,
    });
    if (!written) throw Problems.conflict();
    await store.appendEvents(q, locked.id, decision.events);
    const forReuse = await storeAcceptedComponents(q, locked, decision.state, now);
    await appendAuditEvent(q, {
      type: `dossier.${decision.events[0]!.type}`,
      at: now,
      actor: auditActor(principal),
      agencyId: locked.receivingAgencyId,
      subjectType: 'dossier',
      subjectId: locked.id,
      data: { components: prepared.map((p) => p.key), version: decision.state.version, ...(forReuse.length ? { storedForReuse: forReuse } : {}) },
    });
    return decisionResult(locked, decision.state, env, now);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Public status (no sign-in: dossier code or id + the secret)

export interface PublicStatus {
  code: string | null;
  status: string;
  portalStatus: number;
  label: LocalizedText;
  procedure: string;
  receivedAt: string | null;
  promisedDue: string | null;
  /** What the dossier is waiting for, in words the applicant understands. */
  awaiting: LocalizedText;
  /** Components asked for in a completion or supplement request still open. */
  requested: { componentKey: string; reason: string }[];
}

const DUMMY_HASH = '0'.repeat(64);

function awaitingOf(s: DossierState): LocalizedText {
  if (s.status === 'new' && s.completionRequest && !s.completionRequest.answeredAt) {
    return { vi: 'Chờ người nộp hoàn thiện hồ sơ', en: 'Waiting for the applicant to complete the dossier' };
  }
  switch (s.status) {
    case 'new':
      return { vi: 'Chờ bộ phận một cửa tiếp nhận', en: 'Waiting for the counter to receive it' };
    case 'received':
    case 'processing':
      return { vi: 'Cơ quan đang giải quyết', en: 'The agency is processing it' };
    case 'supplement_requested':
      return { vi: 'Chờ người nộp bổ sung hồ sơ', en: 'Waiting for the applicant to supplement it' };
    case 'awaiting_financial_obligation':
      return { vi: 'Chờ thực hiện nghĩa vụ tài chính', en: 'Waiting for the financial obligation to be paid' };
    case 'processed':
      return { vi: 'Chờ trả kết quả', en: 'Waiting for the result to be returned' };
    default:
      return { vi: 'Không còn chờ gì', en: 'Nothing is awaited' };
  }
}

/** The dossier whose code (or id) and receipt secret match, else DOSSIER_STATUS_NOT_FOUND. */
async function rowBySecret(ctx: AppContext, codeOrId: string, secret: string): Promise<store.DossierRow> {
  const row = /^[0-9a-f-]{36}$/i.test(codeOrId) ? await store.getDossier(ctx.db, codeOrId) : await store.getDossierByCode(ctx.db, codeOrId);
  // Compare even when nothing was found, so the answer time does not tell which codes exist.
  const expected = Buffer.from(row?.statusSecretHash ?? DUMMY_HASH, 'hex');
  const match = timingSafeEqual(expected, Buffer.from(hashSecret(secret), 'hex'));
  if (!row || !match) throw DossierErrors.statusNotFound();
  return row;
}

export async function publicStatus(ctx: AppContext, codeOrId: string, secret: string): Promise<PublicStatus> {
  const row = await rowBySecret(ctx, codeOrId, secret);
  const s = row.state;
  const open = s.supplementRequest && !s.supplementRequest.answeredAt ? s.supplementRequest : s.completionRequest && !s.completionRequest.answeredAt ? s.completionRequest : null;
  return {
    code: row.code,
    status: s.status,
    portalStatus: PORTAL_STATUS_CODE[s.status],
    label: STATUS_LABELS[s.status],
    procedure: s.procedure.key,
    receivedAt: s.receivedAt?.toISOString() ?? null,
    promisedDue: s.receivedAt ? (dossierDeadline(s, await rulesEnv(ctx.db), ctx.now())?.promisedDue.toISOString() ?? null) : null,
    awaiting: awaitingOf(s),
    requested: open ? open.items.map((i) => ({ componentKey: i.componentKey, reason: i.reason })) : [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Applicant views

export interface DossierSummary {
  id: string;
  code: string | null;
  procedure: string;
  status: string;
  portalStatus: number;
  label: LocalizedText;
  channel: string;
  submittedAt: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  version: number;
}

function summary(r: store.DossierRow): DossierSummary {
  return {
    id: r.id,
    code: r.code,
    procedure: r.state.procedure.key,
    status: r.status,
    portalStatus: PORTAL_STATUS_CODE[r.status],
    label: STATUS_LABELS[r.status],
    channel: r.channel,
    submittedAt: r.submittedAt?.toISOString() ?? null,
    receivedAt: r.receivedAt?.toISOString() ?? null,
    dueAt: r.dueAt?.toISOString() ?? null,
    version: r.version,
  };
}

function ownsRow(principal: Principal, r: store.DossierRow): boolean {
  return r.submittedBy === principal.userId || (principal.subjectId !== null && r.applicantSubjectId === principal.subjectId);
}

export async function listMyDossiers(ctx: AppContext, principal: Principal, page: { limit?: number; offset?: number } = {}): Promise<DossierSummary[]> {
  const rows = await store.listForApplicant(
    ctx.db,
    { userId: principal.userId, subjectId: principal.subjectId },
    Math.min(Math.max(page.limit ?? 50, 1), 200),
    Math.max(page.offset ?? 0, 0),
  );
  return rows.map(summary);
}

export interface DossierDetail extends DossierSummary {
  applicant: { subjectId: string; kind: string };
  receivingAgency: string;
  promisedDue: string | null;
  components: {
    key: string;
    name: string;
    required: boolean;
    acceptedBases: readonly string[];
    basis: string | null;
    exemptReason: string | null;
    evidence: Record<string, unknown> | null;
    assessment: string;
    document: { id: string; sha256: string; mediaType: string; pages: number | null; size: number; origin: string; signedSha256: string | null } | null;
    validation: { reportId: string; indication: string } | null;
  }[];
  completionRequest: { at: string; items: RequestItem[]; answeredAt: string | null } | null;
  /** The one supplement request after reception (form 02); the clock is paused while it is unanswered. */
  supplementRequest: { at: string; items: RequestItem[]; answeredAt: string | null } | null;
  /** Forms 02–05 issued to the applicant, as signed PDFs. */
  forms: { seq: number; form: string; documentId: string; issuedAt: string }[];
  /** The result document once the dossier is processed. */
  result: { documentId: string; readyAt: string } | null;
  /** Where the law also requires a paper result: its electronic copy, once scanned back in and sealed. */
  paperResultCopy: store.PaperResultCopy | null;
  history: { seq: number; type: string; at: string; fromStatus: string | null; toStatus: string; form: string | null }[];
  /** The signed receipt (form 01) once produced; null before reception and while it is being signed. */
  receipt: { documentId: string; sha256: string } | null;
}

function requestView(r: DossierState['completionRequest']): DossierDetail['completionRequest'] {
  return r ? { at: r.at.toISOString(), items: r.items, answeredAt: r.answeredAt?.toISOString() ?? null } : null;
}

/** Components with their bases and evidence, shown to every later reader (R2). */
async function detailOf(ctx: AppContext, q: Queryable, r: store.DossierRow): Promise<DossierDetail> {
  const comps = await store.listComponents(q, r.id);
  const docs = await documents.getDocuments(q, comps.flatMap((c) => (c.documentId ? [c.documentId] : [])));
  const assessment = assessDossier(r.state.procedure.components, r.state.components);
  const events = await store.listEvents(q, r.id);
  const env = r.state.receivedAt ? await rulesEnv(q) : null;
  const receipt = await store.getReceipt(q, r.id);
  return {
    ...summary(r),
    applicant: { subjectId: r.applicantSubjectId, kind: r.applicantKind },
    receivingAgency: r.state.receivingAgency,
    promisedDue: env ? (dossierDeadline(r.state, env, ctx.now())?.promisedDue.toISOString() ?? null) : null,
    components: r.state.procedure.components.map((def) => {
      const c = comps.find((x) => x.componentKey === def.key);
      const doc = c?.documentId ? docs.get(c.documentId) : undefined;
      return {
        key: def.key,
        name: def.name,
        required: def.required,
        acceptedBases: def.acceptedBases,
        basis: c?.basis ?? null,
        exemptReason: c?.exemptReason ?? null,
        evidence: c?.evidence ?? null,
        // An online photo is not yet a valid e-document: it becomes one when the counter signs it at reception.
        assessment: c && isAwaitingSignature(c.evidence) && !r.state.components[def.key] ? 'awaiting_signature' : (assessment.byKey[def.key]?.status ?? 'missing'),
        document: doc
          ? { id: doc.id, sha256: doc.sha256, mediaType: doc.mediaType, pages: doc.pages, size: doc.size, origin: doc.origin, signedSha256: doc.signedSha256 }
          : null,
        validation: doc?.validation ? { reportId: doc.validation.reportId, indication: doc.validation.indication } : null,
      };
    }),
    completionRequest: requestView(r.state.completionRequest),
    supplementRequest: requestView(r.state.supplementRequest),
    forms: (await listForms(q, r.id)).map((f) => ({ seq: f.seq, form: f.form, documentId: f.documentId, issuedAt: f.issuedAt.toISOString() })),
    result: r.state.result ? { documentId: r.state.result.documentId, readyAt: r.state.result.readyAt.toISOString() } : null,
    paperResultCopy: await store.getPaperResultCopy(q, r.id),
    history: events.map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), fromStatus: e.fromStatus, toStatus: e.toStatus, form: e.form })),
    receipt: receipt ? { documentId: receipt.documentId, sha256: receipt.sha256 } : null,
  };
}

/** One of the applicant's own dossiers; the read of personal data is audited in the same transaction. */
export async function getMyDossier(ctx: AppContext, principal: Principal, id: string): Promise<DossierDetail> {
  const now = ctx.now();
  return ctx.db.tx(async (q) => {
    const row = await store.getDossier(q, id);
    if (!row || !ownsRow(principal, row)) throw DossierErrors.notFound();
    const detail = await detailOf(ctx, q, row);
    await appendAuditEvent(q, {
      type: 'dossier.read',
      at: now,
      actor: auditActor(principal),
      agencyId: row.receivingAgencyId,
      subjectType: 'dossier',
      subjectId: row.id,
      data: { view: 'applicant' },
    });
    return detail;
  });
}

/** A dossier as the counter sees it (same content), for officers of its receiving or current agency; audited. */
export async function getDossierForOfficer(ctx: AppContext, principal: Principal, id: string): Promise<DossierDetail> {
  const now = ctx.now();
  return ctx.db.tx(async (q) => {
    const row = await loadForOfficer(q, principal, id);
    const detail = await detailOf(ctx, q, row);
    await appendAuditEvent(q, {
      type: 'dossier.read',
      at: now,
      actor: auditActor(principal),
      agencyId: principal.agencyId,
      subjectType: 'dossier',
      subjectId: row.id,
      data: { view: 'officer' },
    });
    return detail;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Documents of a dossier (the bytes as received; the signed copy when there is one)

export interface DocumentBytes {
  bytes: Uint8Array;
  mediaType: string;
  sha256: string;
}

/**
 * The bytes of one document of a dossier, for its applicant (`applicant`) or an officer of its receiving or current
 * agency (`officer`). The document must belong to a component of that dossier; the read is audited.
 */
export async function readDossierDocument(
  ctx: AppContext,
  principal: Principal,
  dossierId: string,
  documentId: string,
  view: 'applicant' | 'officer',
): Promise<DocumentBytes> {
  const now = ctx.now();
  const doc = await ctx.db.tx(async (q) => {
    const row = view === 'officer' ? await loadForOfficer(q, principal, dossierId) : await store.getDossier(q, dossierId);
    if (!row || (view === 'applicant' && !ownsRow(principal, row))) throw DossierErrors.notFound();
    if (!(await isDossierDocument(q, row, documentId, view))) throw DossierErrors.notFound();
    const found = (await documents.getDocuments(q, [documentId])).get(documentId);
    if (!found) throw DossierErrors.notFound();
    await appendAuditEvent(q, {
      type: 'document.read',
      at: now,
      actor: auditActor(principal),
      agencyId: view === 'officer' ? principal.agencyId : row.receivingAgencyId,
      subjectType: 'document',
      subjectId: documentId,
      data: { dossierId: row.id, view },
    });
    return found;
  });
  // The signed copy is what later readers rely on when it exists; the original stays available in the store.
  const sha = doc.signedSha256 ?? doc.sha256;
  const bytes = await ctx.blobs.get(sha);
  if (view === 'applicant' && principal.role !== 'agent') await deliverOnDownload(ctx, principal, dossierId, documentId);
  return { bytes, mediaType: doc.mediaType, sha256: sha };
}

/**
 * The applicant's own download of the signed result is its delivery (status 9 → 10, "trả kết quả trực tuyến"),
 * recorded like a hand-over at the counter. A later download changes nothing.
 */
async function deliverOnDownload(ctx: AppContext, principal: Principal, dossierId: string, documentId: string): Promise<void> {
  const row = await store.getDossier(ctx.db, dossierId);
  if (!row || row.status !== 'processed' || row.state.result?.documentId !== documentId) return;
  try {
    await applyAction(ctx, principal, dossierId, { type: 'return_result' }, undefined, { applicant: {} });
  } catch (err) {
    // A concurrent hand-over at the counter won: the result was delivered either way.
    if ((err as { code?: string }).code !== 'CONFLICT' && (err as { status?: number }).status !== 409) throw err;
  }
}

/**
 * Whether a document is one of the dossier's: a component, a form issued to the applicant, the result, or (officers
 * only) an internal working document.
 */
async function isDossierDocument(q: Queryable, row: store.DossierRow, documentId: string, view: 'applicant' | 'officer'): Promise<boolean> {
  if (row.state.result?.documentId === documentId) return true;
  if ((await store.listComponents(q, row.id)).some((c) => c.documentId === documentId)) return true;
  if ((await listForms(q, row.id)).some((f) => f.documentId === documentId)) return true;
  // The e-copy of a paper result scanned back in (processing/paper-result.ts).
  if ((await store.getPaperResultCopy(q, row.id))?.documentId === documentId) return true;
  if (view === 'officer') {
    const w = await q.query('SELECT 1 FROM dossier_working_document WHERE dossier_id = $1 AND document_id = $2', [row.id, documentId]);
    return (w.rowCount ?? 0) > 0;
  }
  return false;
}

/**
 * The signed receipt (form 01) of a dossier, for its applicant or an officer of its receiving or current agency;
 * RECEIPT_NOT_READY while it is being signed (the client retries). The read is audited.
 */
export async function readReceipt(ctx: AppContext, principal: Principal, dossierId: string, view: 'applicant' | 'officer'): Promise<DocumentBytes> {
  const now = ctx.now();
  const receipt = await ctx.db.tx(async (q) => {
    const row = view === 'officer' ? await loadForOfficer(q, principal, dossierId) : await store.getDossier(q, dossierId);
    if (!row || (view === 'applicant' && !ownsRow(principal, row))) throw DossierErrors.notFound();
    const found = await store.getReceipt(q, row.id);
    if (!found) throw ReceiptErrors.notReady({ dossierId: row.id, received: row.receivedAt !== null, retryAfterSeconds: 5 });
    await appendAuditEvent(q, {
      type: 'document.read',
      at: now,
      actor: auditActor(principal),
      agencyId: view === 'officer' ? principal.agencyId : row.receivingAgencyId,
      subjectType: 'document',
      subjectId: found.documentId,
      data: { dossierId: row.id, view, form: '01' },
    });
    return found;
  });
  return { bytes: await ctx.blobs.get(receipt.sha256), mediaType: 'application/pdf', sha256: receipt.sha256 };
}

/**
 * The dossier a public caller proves they hold (code or id + the secret from the receipt), for other rooms' public
 * forms (e.g. a citizen's report of being asked for paper).
 */
export async function findDossierBySecret(ctx: AppContext, codeOrId: string, secret: string): Promise<{ id: string; code: string | null; agencyId: string }> {
  const row = await rowBySecret(ctx, codeOrId, secret);
  return { id: row.id, code: row.code, agencyId: row.currentAgencyId };
}
