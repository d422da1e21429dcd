/**
 * Walk-in reception at the counter (issue 4, "Counter reception"): the officer types the applicant's identity, scans
 * each paper component (images in the order given, or PDFs from the scanner), and in one act the system builds one
 * PDF per component, marks it as converted from paper with the converter's identity (Law 20/2023 Art. 12), signs it
 * with the officer's credential, keeps the received bytes unchanged beside the signed copy, creates the dossier and
 * receives it (status 2, code, promised date), then produces the receipt. Atomic like online submission: all is
 * checked and signed first, blobs are written, then one transaction stores everything or nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../identity/access.ts';
import { appendAuditEvent } from '../oversight/audit/store.ts';
import type { AppContext } from '../platform/context.ts';
import { defineError, type LocalizedText } from '../platform/http/problem.ts';
import { requestFingerprint, runIdempotent } from '../platform/http/idempotency.ts';
import { allocateDossierCode } from '../catalog/dossier-code.ts';
import { getProcedureDetail } from '../catalog/service.ts';
import * as catalogStore from '../catalog/store.ts';
import type { ComponentView } from '../catalog/store.ts';
import { MIN_SCAN_DPI, imageFacts } from '../documents/scan.ts';
import { checkFile, prepareComponentFiles, type UploadedFile } from '../documents/uploads.ts';
import { configuredTrustAnchors } from '../identity/credentials/service.ts';
import { DigitizeErrors, receptionSigner, signDigitizedCopy, type ReceptionSigner } from './digitize.ts';
import { enqueueReceiptJob, issueReceiptNow } from './receipt.ts';
import { enqueueOcrJobs } from '../documents/ocr/service.ts';
import { PORTAL_STATUS_CODE, dossierDeadline, receiveAtCounter, type DossierDraft } from './rules.ts';
import { newSecret } from './secret.ts';
import {
  DEFAULT_MAX_FILE_BYTES,
  DossierErrors,
  auditActor,
  insertPreparedDocuments,
  loadForOfficer,
  officerActor,
  prepareComponent,
  providedOf,
  putBlobs,
  recordSupplement,
  refusalProblem,
  rulesEnv,
  snapshotOf,
  type DecisionResult,
  storeAcceptedComponents,
  type IntakeOptions,
  type PreparedComponent,
  type SubmittedComponent,
} from './service.ts';
import * as store from './store.ts';
import { inboxFields } from './processing/rules.ts';

export const CounterErrors = {
  notAtCounter: defineError('PROCEDURE_NOT_AT_COUNTER', 422, {
    vi: 'Thủ tục này không tiếp nhận hồ sơ trực tiếp tại bộ phận một cửa',
    en: 'This procedure does not take dossiers at the counter',
  }),
  applicantInvalid: defineError('APPLICANT_INVALID', 422, { vi: 'Thông tin người nộp hồ sơ không hợp lệ', en: "The applicant's details are not valid" }),
  scanSigningFailed: DigitizeErrors.scanSigningFailed,
};

export interface WalkInApplicant {
  kind: 'citizen' | 'business';
  subjectId: string;
  fullName: string;
  email?: string;
  phone?: string;
  address?: string;
}

export interface WalkInInput {
  procedure: string;
  applicant: WalkInApplicant;
  components: SubmittedComponent[];
}

export interface ScanWarning {
  code: 'SCAN_LOW_RESOLUTION' | 'SCAN_RESOLUTION_UNKNOWN';
  component: string;
  file: string;
  page: number;
  dpi: number | null;
  source: 'declared' | 'a4' | null;
  message: LocalizedText;
}

export interface WalkInResult {
  id: string;
  code: string;
  status: string;
  portalStatus: number;
  receivedAt: string;
  promisedDue: string;
  /** The public status secret; also printed on the receipt. Absent on an idempotent replay (read it from the receipt). */
  statusSecret?: string;
  receipt: { documentId: string; sha256: string } | null;
  components: { key: string; basis: string | null; documentId: string | null; signedSha256: string | null; originalSha256: string | null }[];
  warnings: ScanWarning[];
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

function checkApplicant(a: WalkInApplicant): WalkInApplicant {
  const fullName = a.fullName.normalize('NFC').trim().replace(/\s+/g, ' ');
  const problems: { field: string; message: LocalizedText }[] = [];
  if (fullName.length < 1 || fullName.length > 200) problems.push({ field: 'fullName', message: { vi: 'Họ tên từ 1 đến 200 ký tự', en: 'The name has 1 to 200 characters' } });
  const email = a.email?.trim() || undefined;
  if (email && !EMAIL.test(email)) problems.push({ field: 'email', message: { vi: 'Địa chỉ thư điện tử không hợp lệ', en: 'The e-mail address is not valid' } });
  const phone = a.phone?.replace(/[\s.-]/g, '') || undefined;
  if (phone && !/^\+?[0-9]{8,15}$/.test(phone)) problems.push({ field: 'phone', message: { vi: 'Số điện thoại không hợp lệ', en: 'The phone number is not valid' } });
  if (problems.length) throw CounterErrors.applicantInvalid({ problems });
  const address = a.address?.normalize('NFC').trim() || undefined;
  return { kind: a.kind, subjectId: a.subjectId.trim(), fullName, ...(email ? { email } : {}), ...(phone ? { phone } : {}), ...(address ? { address } : {}) };
}

/** Resolution warnings of one component's images (PDFs from a scanner carry their own page size; not checked). */
export function resolutionWarnings(componentKey: string, files: UploadedFile[], maxBytes: number): ScanWarning[] {
  const out: ScanWarning[] = [];
  files.forEach((f, i) => {
    const kind = checkFile(f, maxBytes);
    if (kind === 'pdf') return;
    const facts = imageFacts(kind, f.bytes);
    if (!facts) {
      out.push({
        code: 'SCAN_RESOLUTION_UNKNOWN',
        component: componentKey,
        file: f.filename,
        page: i + 1,
        dpi: null,
        source: null,
        message: { vi: 'Không xác định được độ phân giải của ảnh quét', en: 'The resolution of the scan could not be determined' },
      });
    } else if (facts.dpi < MIN_SCAN_DPI) {
      out.push({
        code: 'SCAN_LOW_RESOLUTION',
        component: componentKey,
        file: f.filename,
        page: i + 1,
        dpi: facts.dpi,
        source: facts.source,
        message: {
          vi: `Trang ${i + 1}: độ phân giải khoảng ${facts.dpi} dpi, thấp hơn ${MIN_SCAN_DPI} dpi khuyến nghị; nên quét lại nếu bản số hóa khó đọc`,
          en: `Page ${i + 1}: about ${facts.dpi} dpi, under the recommended ${MIN_SCAN_DPI} dpi; rescan if the copy is hard to read`,
        },
      });
    }
  });
  return out;
}

interface ScanContext extends ReceptionSigner {
  maxBytes: number;
}

/** One scanned component: built PDF → conversion mark → officer's signature → validation report (TOTAL_PASSED). */
async function prepareScan(ctx: AppContext, def: ComponentView, files: UploadedFile[], env: ScanContext): Promise<{ prepared: PreparedComponent; warnings: ScanWarning[] }> {
  const where = { component: def.key, componentName: def.name };
  if (!def.acceptedBases.includes('DIGITIZED_SIGNED')) throw DossierErrors.basisNotAccepted({ ...where, basis: 'DIGITIZED_SIGNED', accepted: def.acceptedBases });
  if (!files.length) throw DossierErrors.fileRequired(where);
  const warnings = resolutionWarnings(def.key, files, env.maxBytes);
  const file = await prepareComponentFiles(def.key, files, env.maxBytes);
  const documentId = randomUUID();
  const copy = await signDigitizedCopy(ctx, file.pdf, { key: def.key, name: def.name, documentId, pages: file.pages, fromImages: file.converted, source: 'counter_scan' }, env);
  return {
    warnings,
    prepared: {
      key: def.key,
      provided: copy.provided,
      row: copy.row,
      document: { id: documentId, bytes: file.pdf, signed: copy.signed, mediaType: 'application/pdf', pages: file.pages, origin: 'scanned', report: copy.report },
    },
  };
}

/** Creates and receives a walk-in dossier in one act; the receipt follows right after commit. */
export async function receiveWalkIn(
  ctx: AppContext,
  principal: Principal,
  raw: WalkInInput,
  files: UploadedFile[],
  opts: IntakeOptions & { idempotencyKey?: string } = {},
): Promise<{ status: number; body: WalkInResult; replayed: boolean }> {
  const now = ctx.now();
  const actor = officerActor(principal);
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const applicant = checkApplicant(raw.applicant);
  const detail = await getProcedureDetail(ctx.db, raw.procedure);
  const procedure = detail.procedure;
  const defs = detail.components.filter((c) => c.active);
  if (!procedure.channels.includes('counter')) throw CounterErrors.notAtCounter({ procedure: procedure.key });
  const branch = principal.agencyId ? await catalogStore.getAgency(ctx.db, principal.agencyId) : null;
  if (!branch || (procedure.receivingAgencies.length > 0 && !procedure.receivingAgencies.includes(branch.code))) {
    throw DossierErrors.receivingAgency({ receivingAgency: branch?.code ?? null, accepted: procedure.receivingAgencies });
  }
  const competent = await catalogStore.getAgency(ctx.db, procedure.competentAgency ?? branch.code);
  const process = competent ? await catalogStore.currentProcessFor(ctx.db, procedure.id, competent.id) : null;
  if (!process) throw DossierErrors.noProcess({ procedure: procedure.key, agency: procedure.competentAgency ?? branch.code });

  const byKey = new Map<string, UploadedFile[]>();
  for (const f of files) {
    if (!defs.some((c) => c.key === f.componentKey)) throw DossierErrors.unknownComponent({ component: f.componentKey });
    byKey.set(f.componentKey, [...(byKey.get(f.componentKey) ?? []), f]);
  }
  const uploadAnchors = await (opts.trustAnchors ?? (() => configuredTrustAnchors(ctx)))();
  const scanEnv: ScanContext = { ...(await receptionSigner(ctx, principal, now, { agencyName: branch.name, uploadAnchors })), maxBytes };
  const dossierId = randomUUID();
  const prepared: PreparedComponent[] = [];
  const warnings: ScanWarning[] = [];
  for (const c of raw.components) {
    const def = defs.find((x) => x.key === c.key);
    if (!def) throw DossierErrors.unknownComponent({ component: c.key });
    if (prepared.some((p) => p.key === c.key)) throw DossierErrors.invalidSubmission({ component: c.key, reason: 'duplicate component' });
    const own = byKey.get(c.key) ?? [];
    const scanned = !c.exempt && !c.form && (c.basis === 'DIGITIZED_SIGNED' || (c.basis === undefined && own.length > 0));
    if (scanned) {
      const s = await prepareScan(ctx, def, own, scanEnv);
      prepared.push(s.prepared);
      warnings.push(...s.warnings);
    } else {
      prepared.push(await prepareComponent(def, c, own, { dossierId, now, maxBytes, anchors: uploadAnchors }));
    }
  }
  for (const key of byKey.keys()) {
    if (!prepared.some((p) => p.key === key)) throw DossierErrors.invalidSubmission({ component: key, reason: 'file without a component entry' });
  }

  const draft: DossierDraft = {
    id: dossierId,
    applicant: { subjectId: applicant.subjectId, kind: applicant.kind },
    receivingAgency: branch.code,
    procedure: snapshotOf(procedure, defs),
    process: {
      agency: process.agency ?? branch.code,
      versionId: process.id,
      steps: process.steps.map((s) => ({ kind: s.kind, name: s.name, role: s.role, agency: s.agency, quotaHours: s.quotaHours })),
    },
    components: providedOf(prepared),
  };
  const env = await rulesEnv(ctx.db);
  const decision = receiveAtCounter(draft, actor, now, env);
  if (!decision.ok) throw refusalProblem(decision);
  const state = decision.state;
  const deadline = dossierDeadline(state, env, now)!;

  const docs = prepared.flatMap((p) => (p.document ? [p.document] : []));
  const stored = await putBlobs(ctx, docs);
  const secret = newSecret();
  const fingerprint = requestFingerprint({ input: raw, files: docs.map((d) => stored.get(d.id)!.sha256) });
  const result = await runIdempotent<Omit<WalkInResult, 'statusSecret' | 'receipt' | 'warnings'>>(
    ctx.db,
    { key: opts.idempotencyKey, principalId: principal.userId, route: 'POST /api/reception/walk-in', fingerprint },
    async (q) => {
      await insertPreparedDocuments(q, docs, stored, principal.userId, now);
      const code = (await allocateDossierCode(q, branch.id, now)).code;
      let currentAgencyId = branch.id;
      if (state.currentAgency !== branch.code) currentAgencyId = (await catalogStore.getAgency(q, state.currentAgency))?.id ?? branch.id;
      await store.insertDossier(q, {
        id: dossierId,
        code,
        procedureId: procedure.id,
        processId: process.id,
        submittedBy: principal.userId,
        consentId: null,
        receivingAgencyId: branch.id,
        currentAgencyId,
        dueAt: deadline.due,
        inbox: inboxFields(state, env, now),
        state,
        statusSecretHash: secret.hash,
        applicantName: applicant.fullName,
        applicantContact: { ...(applicant.email ? { email: applicant.email } : {}), ...(applicant.phone ? { phone: applicant.phone } : {}), ...(applicant.address ? { address: applicant.address } : {}) },
        at: now,
      });
      await store.insertComponents(q, dossierId, prepared.map((p) => p.row), now);
      await store.appendEvents(q, dossierId, decision.events);
      const forReuse = await storeAcceptedComponents(q, { id: dossierId, procedureId: procedure.id }, state, now);
      await enqueueReceiptJob(q, dossierId, now);
      // Text of the scans for search, from the originals as received (a derived copy; nothing is rewritten).
      await enqueueOcrJobs(q, docs.filter((d) => d.signed).map((d) => d.id), now);
      await appendAuditEvent(q, {
        type: 'dossier.received_at_counter',
        at: now,
        actor: auditActor(principal),
        agencyId: branch.id,
        subjectType: 'dossier',
        subjectId: dossierId,
        data: {
          code,
          procedure: procedure.key,
          channel: 'counter',
          components: prepared.map((p) => p.key),
          scanned: docs.filter((d) => d.signed).map((d) => d.id),
          warnings: warnings.length,
          ...(forReuse.length ? { storedForReuse: forReuse } : {}),
        },
      });
      return {
        status: 201,
        body: {
          id: dossierId,
          code,
          status: state.status,
          portalStatus: PORTAL_STATUS_CODE[state.status],
          receivedAt: now.toISOString(),
          promisedDue: deadline.promisedDue.toISOString(),
          components: prepared.map((p) => ({
            key: p.key,
            basis: p.row.basis,
            documentId: p.document?.id ?? null,
            originalSha256: p.document ? stored.get(p.document.id)!.sha256 : null,
            signedSha256: p.document ? (stored.get(`${p.document.id}:signed`)?.sha256 ?? null) : null,
          })),
        },
      };
    },
  );
  if (result.replayed) {
    const receipt = await store.getReceipt(ctx.db, result.body.id);
    return { status: result.status, body: { ...result.body, receipt: receipt ? { documentId: receipt.documentId, sha256: receipt.sha256 } : null, warnings }, replayed: true };
  }
  const receipt = await issueReceiptNow(ctx, dossierId, secret.secret);
  return {
    status: result.status,
    body: { ...result.body, statusSecret: secret.secret, receipt: receipt ? { documentId: receipt.documentId, sha256: receipt.sha256 } : null, warnings },
    replayed: false,
  };
}

/**
 * The applicant answers the completion or supplement request at the counter: the papers are scanned and signed at
 * reception again (DIGITIZED_SIGNED, like a walk-in), or signed PDFs and forms are taken as online; the rules accept
 * only the requested components, and the clock resumes at this instant.
 */
export async function supplyAtCounter(
  ctx: AppContext,
  principal: Principal,
  id: string,
  components: SubmittedComponent[],
  files: UploadedFile[],
  opts: IntakeOptions = {},
): Promise<DecisionResult> {
  const now = ctx.now();
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const row = await loadForOfficer(ctx.db, principal, id);
  const detail = await getProcedureDetail(ctx.db, row.procedureId, { includeInactive: true });
  const defs = detail.components.filter((c) => row.state.procedure.components.some((x) => x.key === c.key));
  const branch = principal.agencyId ? await catalogStore.getAgency(ctx.db, principal.agencyId) : null;
  const byKey = new Map<string, UploadedFile[]>();
  for (const f of files) byKey.set(f.componentKey, [...(byKey.get(f.componentKey) ?? []), f]);
  const uploadAnchors = await (opts.trustAnchors ?? (() => configuredTrustAnchors(ctx)))();
  // The officer's signer only when there is paper to scan (a typed form or a signed PDF needs none).
  let scanEnv: ScanContext | null = null;
  const scanner = async () => (scanEnv ??= { ...(await receptionSigner(ctx, principal, now, { agencyName: branch?.name ?? '', uploadAnchors })), maxBytes });
  const prepared: PreparedComponent[] = [];
  for (const c of components) {
    const def = defs.find((x) => x.key === c.key);
    if (!def) throw DossierErrors.unknownComponent({ component: c.key });
    if (prepared.some((p) => p.key === c.key)) throw DossierErrors.invalidSubmission({ component: c.key, reason: 'duplicate component' });
    const own = byKey.get(c.key) ?? [];
    const scanned = !c.exempt && !c.form && (c.basis === 'DIGITIZED_SIGNED' || (c.basis === undefined && own.length > 0));
    prepared.push(scanned ? (await prepareScan(ctx, def, own, await scanner())).prepared : await prepareComponent(def, c, own, { dossierId: row.id, now, maxBytes, anchors: uploadAnchors }));
  }
  for (const key of byKey.keys()) {
    if (!prepared.some((p) => p.key === key)) throw DossierErrors.invalidSubmission({ component: key, reason: 'file without a component entry' });
  }
  return recordSupplement(ctx, principal, row, prepared, officerActor(principal), now);
}
