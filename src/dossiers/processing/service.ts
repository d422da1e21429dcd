/**
 * Processing service (issue 5): the officer inboxes, the dossier workspace, the step actions through the lifecycle
 * rules, assignment by the step's leader, comments, working documents and the control sheet (form 06).
 * Every read of a dossier's personal data and every change is audited in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../identity/access.ts';
import { officerAgencyIds } from '../../identity/scope.ts';
import { findActiveCredential } from '../../identity/credentials/store.ts';
import { appendAuditEvent } from '../../oversight/audit/store.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/db.ts';
import { defineError, Problems, type LocalizedText } from '../../platform/http/problem.ts';
import * as catalogStore from '../../catalog/store.ts';
import { getProcedureDetail } from '../../catalog/service.ts';
import { assessComponent, reportIndication, type SignatureIndication } from '../../documents/rules.ts';
import { validatePdf } from '../../signatures/validation/index.ts';
import { configuredTrustAnchors } from '../../identity/credentials/service.ts';
import { addResult } from '../../results/estore.ts';
import { revocationOf } from '../../results/revocation.ts';
import { registerResult } from '../../results/register.ts';
import { renderFinalResult, storedDraft } from '../../results/drafting.ts';
import * as documents from '../../documents/store.ts';
import { DEFAULT_ISSUE_LEVEL, signInSequence } from '../../documents/issue.ts';
import { renderInPool } from '../../documents/pdf-work.ts';
import { buildControlSheet, buildRegister, handoverOutcome, type HandoverParty, type RegisterEntry } from '../../documents/nd30/index.ts';
import { instantMs, isoToDay } from '../../calendar/time.ts';
import { checkFile, inspectPdf, type UploadedFile } from '../../documents/uploads.ts';
import {
  controlSheet,
  dossierDeadline,
  HAND_OVER_MARK_LABELS,
  routeStatus,
  STATUS_LABELS,
  type Action,
  type ControlSheetRow,
  type HandOverMark,
  type Party,
  type StepRole,
} from '../rules.ts';
import { applicantFacts, sealAgency } from '../receipt.ts';
import {
  applyAction,
  decisionResult,
  auditActor,
  DEFAULT_MAX_FILE_BYTES,
  DossierErrors,
  getDossierForOfficer,
  loadForOfficer,
  officerActor,
  rulesEnv,
  type DecisionResult,
  type DossierDetail,
} from '../service.ts';
import * as dossierStore from '../store.ts';
import { checkedAssignee, recordAssignment } from './assignment.ts';
import * as sealing from './result-sealing.ts';
import { enqueueResultEmail } from './result-mail.ts';
import { pokeJobs } from '../../platform/jobs/index.ts';
import type { SealingState } from './result-sealing.ts';
import { currentNotices, type DeadlineNotice } from './deadline-watch.ts';
import { allowedWork, inboxSla, type InboxSla } from './rules.ts';
import * as store from './store.ts';

const STEP_ROLES: readonly StepRole[] = ['counter_officer', 'specialist', 'leader'];

export const ProcessingErrors = {
  notStepRole: defineError('NOT_A_STEP_ROLE', 403, {
    vi: 'Chỉ cán bộ tiếp nhận, chuyên viên và lãnh đạo xử lý hồ sơ',
    en: 'Only counter officers, specialists and leaders process dossiers',
  }),
  workingDocumentNotFound: defineError('WORKING_DOCUMENT_NOT_FOUND', 404, {
    vi: 'Không tìm thấy tài liệu dự thảo của hồ sơ',
    en: 'No such working document on this dossier',
  }),
  noSigningCredential: defineError('NO_SIGNING_CREDENTIAL', 409, {
    vi: 'Người phê duyệt chưa có chứng thư số đang hoạt động để ký kết quả',
    en: 'The approver has no active signing certificate to sign the result',
  }),
  noSeal: defineError('NO_AGENCY_SEAL', 409, {
    vi: 'Cơ quan giải quyết chưa có chứng thư số của tổ chức (con dấu điện tử)',
    en: 'The competent agency has no organisation certificate (e-seal)',
  }),
  sealing: defineError('RESULT_SEALING', 409, {
    vi: 'Kết quả đã được ký và đang chờ đóng dấu của cơ quan; hệ thống tự thử lại',
    en: 'The result is signed and waiting for the agency’s seal; the system retries it',
  }),
};

function stepRoleOf(p: Principal): StepRole {
  if (!(STEP_ROLES as readonly string[]).includes(p.role)) throw ProcessingErrors.notStepRole({ role: p.role });
  return p.role as StepRole;
}

// ---------------------------------------------------------------------------------------------------------------
// Inbox

export interface InboxQuery {
  view?: store.InboxView;
  sla?: store.InboxSlaFilter;
  procedure?: string;
  code?: string;
  limit?: number;
  offset?: number;
}

export interface InboxItem {
  id: string;
  code: string | null;
  procedure: { key: string; name: string };
  status: string;
  label: LocalizedText;
  step: { index: number; kind: string | null; name: string | null; role: string | null; agency: string | null; dueAt: string | null } | null;
  sla: InboxSla;
  assignee: { id: string; name: string } | null;
  dueAt: string | null;
  receivedAt: string | null;
  version: number;
}

export interface Inbox {
  view: store.InboxView;
  items: InboxItem[];
  counts: store.InboxCounts;
}

/** The caller's inbox: no personal data in it (codes, procedures, steps and deadlines), so reading it is not audited. */
export async function inbox(ctx: AppContext, principal: Principal, query: InboxQuery = {}): Promise<Inbox> {
  const role = stepRoleOf(principal);
  const view = query.view ?? 'mine';
  if (view !== 'mine' && role !== 'leader') throw Problems.forbidden({ view, role });
  const now = ctx.now();
  const agencyIds = await officerAgencyIds(ctx.db, principal);
  let procedureId: string | undefined;
  if (query.procedure) {
    const r = await ctx.db.query<{ id: string }>('SELECT id FROM procedure WHERE key = $1 OR id::text = $1', [query.procedure]);
    procedureId = r.rows[0]?.id ?? '00000000-0000-0000-0000-000000000000';
  }
  const filter: store.InboxFilter = {
    agencyIds,
    view,
    userId: principal.userId,
    role,
    ...(query.sla ? { sla: query.sla } : {}),
    ...(procedureId ? { procedureId } : {}),
    ...(query.code ? { code: query.code.trim().toUpperCase() } : {}),
    now,
    limit: Math.min(Math.max(query.limit ?? 50, 1), 200),
    offset: Math.max(query.offset ?? 0, 0),
  };
  const [rows, counts] = await Promise.all([store.listInbox(ctx.db, filter), store.countInbox(ctx.db, filter)]);
  return {
    view,
    counts,
    items: rows.map((r) => ({
      id: r.id,
      code: r.code,
      procedure: { key: r.procedureKey, name: r.procedureName },
      status: r.status,
      label: STATUS_LABELS[r.status as keyof typeof STATUS_LABELS],
      step:
        r.stepIndex === null
          ? null
          : { index: r.stepIndex, kind: r.stepKind, name: r.stepName, role: r.stepRole, agency: r.stepAgency, dueAt: r.stepDueAt?.toISOString() ?? null },
      sla: inboxSla(r, r.status, now),
      assignee: r.assigneeId ? { id: r.assigneeId, name: r.assigneeName ?? '' } : null,
      dueAt: r.dueAt?.toISOString() ?? null,
      receivedAt: r.receivedAt?.toISOString() ?? null,
      version: r.version,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Workspace

export interface WorkspaceStep {
  index: number;
  kind: string;
  name: string;
  role: string;
  agency: { code: string; name: string };
  origin: string;
  quotaHours: number;
  startedAt: string | null;
  endedAt: string | null;
  due: string | null;
  sla: string | null;
  current: boolean;
}

export interface ControlSheetLine {
  no: number;
  event: string;
  at: string;
  giver: string;
  receiver: string;
  due: string | null;
  mark: HandOverMark | null;
  markLabel: LocalizedText | null;
}

export interface Workspace {
  dossier: DossierDetail;
  applicantName: string;
  version: number;
  deadline: { promisedDue: string; due: string; late: boolean; paused: boolean; sla: string; remainingMs: number; overdueMs: number } | null;
  route: WorkspaceStep[];
  currentStep: number | null;
  assignee: { id: string; name: string } | null;
  /** Actions the rules accept from the caller now (payload aside), plus `assign` for the step's leader. */
  allowed: string[];
  /** The only components a supplement request may name: missing or whose e-version is not valid (R3). */
  requestable: { key: string; name: string; status: string }[];
  /** Who may take the current step (for re-assignment by its leader). */
  assignees: { id: string; displayName: string; role: string }[];
  /** Who may take the next step, when the step's leader hands over within the agency. */
  nextAssignees: { id: string; displayName: string; role: string }[];
  assignments: { stepIndex: number; assignee: string; by: string; note: string | null; at: string }[];
  comments: { id: string; stepIndex: number | null; author: string; body: string; at: string }[];
  /** `fromTemplate`: drafted from the result template (signed as rendered again with number and QR). */
  workingDocuments: { id: string; documentId: string; stepIndex: number | null; title: string; addedBy: string; pages: number | null; size: number; at: string; fromTemplate: boolean }[];
  controlSheet: ControlSheetLine[];
  financialObligation: { kind: string; amountVnd: number; reference: string; issuedAt: string; paidAt: string | null } | null;
  apologies: { at: string; reason: string }[];
  /** The deadline watch's warnings about the current due instant. */
  notices: DeadlineNotice[];
  /** Set once the result was revoked. */
  resultRevocation: { reason: string; at: string } | null;
  /** Set while the approver has signed and the agency's seal is being added by the result job. */
  sealing: SealingState | null;
  /** Whether the law also requires a paper result, and its sealed e-copy once scanned back in. */
  paperResult: { required: boolean; copy: dossierStore.PaperResultCopy | null };
}

/** Agency code → display name, for steps and hand-overs. */
async function agencyNames(q: Queryable, codes: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(codes)];
  const r = await q.query<{ code: string; name: string }>('SELECT code, name FROM agency WHERE code = ANY($1::text[])', [list]);
  return new Map(r.rows.map((x) => [x.code, x.name]));
}

async function userNames(q: Queryable, ids: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(ids)].filter((x) => /^[0-9a-f-]{36}$/i.test(x));
  const r = await q.query<{ id: string; display_name: string }>('SELECT id, display_name FROM app_user WHERE id = ANY($1::uuid[])', [list]);
  return new Map(r.rows.map((x) => [x.id, x.display_name]));
}

const ROLE_TEXT: Record<string, string> = { counter_officer: 'Bộ phận Một cửa', specialist: 'Chuyên viên', leader: 'Lãnh đạo' };

function partyText(p: Party, agencies: Map<string, string>, users: Map<string, string>, applicant: string): HandoverParty {
  if (p.kind === 'applicant') return { unit: 'Tổ chức, cá nhân', name: applicant };
  if (p.kind === 'post') return { unit: `${ROLE_TEXT[p.role] ?? p.role} – ${agencies.get(p.agency) ?? p.agency}` };
  const a = p.actor;
  if (a.kind === 'officer') return { unit: agencies.get(a.agency) ?? a.agency, name: users.get(a.userId) ?? a.userId };
  if (a.kind === 'applicant') return { unit: 'Tổ chức, cá nhân', name: applicant };
  return { unit: a.service };
}

interface SheetContext {
  rows: ControlSheetRow[];
  agencies: Map<string, string>;
  users: Map<string, string>;
}

async function sheetOf(q: Queryable, row: dossierStore.DossierRow): Promise<SheetContext> {
  const events = (await dossierStore.listEvents(q, row.id)).map((e) => dossierStore.reviveEvent(row.id, e));
  const rows = controlSheet(events);
  const codes = new Set<string>(row.state.route.map((s) => s.agency));
  const ids = new Set<string>();
  for (const r of rows) {
    for (const p of [r.giver, r.receiver]) {
      if (p.kind === 'post') codes.add(p.agency);
      if (p.kind === 'actor' && p.actor.kind === 'officer') {
        codes.add(p.actor.agency);
        ids.add(p.actor.userId);
      }
    }
  }
  return { rows, agencies: await agencyNames(q, codes), users: await userNames(q, ids) };
}

const partyLine = (p: HandoverParty) => (p.name ? `${p.name} (${p.unit})` : p.unit);

export async function workspace(ctx: AppContext, principal: Principal, id: string): Promise<Workspace> {
  stepRoleOf(principal);
  const now = ctx.now();
  // The audited read of the dossier (components, bases, validation reports, history).
  const detail = await getDossierForOfficer(ctx, principal, id);
  const q = ctx.db;
  const row = await loadForOfficer(q, principal, id);
  const s = row.state;
  const env = await rulesEnv(q);
  const actor = officerActor(principal);
  const applicant = await applicantFacts(q, row);
  const sheet = await sheetOf(q, row);
  const statuses = new Map(routeStatus(s, env, now).map((r) => [r.index, r]));
  const names = await agencyNames(q, s.route.map((x) => x.agency));
  const current = s.currentStep === null ? undefined : s.route[s.currentStep];
  const deadline = dossierDeadline(s, env, now);
  const isStepLeader = principal.role === 'leader' && current !== undefined && current.agency === principal.agencyCode;
  const seal = await sealing.pendingSeal(q, row.id);
  // While the seal is pending the result is being issued: signing it again is not offered.
  const allowed: string[] = allowedWork(s, actor, now).filter((a) => a !== 'record_validation' && a !== 'supplement' && a !== 'withdraw' && !(seal && a === 'mark_processed'));
  if (isStepLeader && ['received', 'processing', 'awaiting_financial_obligation'].includes(s.status)) allowed.push('assign');
  const resultRevocation = s.result ? await revocationOf(q, s.result.documentId) : null;
  // The competent agency's leader may revoke the result it issued (e.g. after a post-audit finding).
  if (s.result && !resultRevocation && principal.role === 'leader' && principal.agencyCode === s.process.agency) allowed.push('revoke_result');
  // Paper also required by law: the issuing agency (or the counter that hands it over) scans the wet-signed paper in.
  const paperRequired = (await catalogStore.getProcedure(q, row.procedureId))?.result.paperAlsoRequiredByLaw ?? false;
  const paperCopy = detail.paperResultCopy;
  if (paperRequired && s.result && !paperCopy && (principal.agencyCode === s.process.agency || principal.agencyId === row.receivingAgencyId)) allowed.push('scan_paper_result');
  let assignees: Workspace['assignees'] = [];
  let nextAssignees: Workspace['nextAssignees'] = [];
  const following = s.currentStep === null ? undefined : s.route[s.currentStep + 1];
  if (isStepLeader && current) {
    const agency = await catalogStore.getAgency(q, current.agency);
    if (agency) assignees = await store.eligibleAssignees(q, agency.id, current.role);
    // The leader handing over may name who takes the next step when it stays in their agency.
    if (agency && following && following.agency === current.agency) nextAssignees = await store.eligibleAssignees(q, agency.id, following.role);
  }
  const assigneeName = row.assigneeId ? (await userNames(q, [row.assigneeId])).get(row.assigneeId) : undefined;
  const fo = s.financialObligation;
  return {
    dossier: detail,
    applicantName: applicant.fullName,
    version: row.version,
    deadline: deadline
      ? {
          promisedDue: deadline.promisedDue.toISOString(),
          due: deadline.due.toISOString(),
          late: deadline.late,
          paused: deadline.paused,
          sla: deadline.sla,
          remainingMs: deadline.remainingMs,
          overdueMs: deadline.overdueMs,
        }
      : null,
    route: s.route.map((step, index) => {
      const st = statuses.get(index);
      return {
        index,
        kind: step.kind,
        name: step.name,
        role: step.role,
        agency: { code: step.agency, name: names.get(step.agency) ?? step.agency },
        origin: step.origin,
        quotaHours: step.quotaHours,
        startedAt: step.startedAt?.toISOString() ?? null,
        endedAt: step.endedAt?.toISOString() ?? null,
        due: st?.due.toISOString() ?? null,
        sla: st ? (st.paused && step.endedAt === null ? 'paused' : st.sla) : null,
        current: index === s.currentStep,
      };
    }),
    currentStep: s.currentStep,
    assignee: row.assigneeId ? { id: row.assigneeId, name: assigneeName ?? '' } : null,
    allowed,
    requestable: s.procedure.components
      .map((def) => ({ key: def.key, name: def.name, status: assessComponent(def, s.components[def.key]).status }))
      .filter((c) => c.status !== 'valid' && c.status !== 'exempt'),
    assignees,
    nextAssignees,
    assignments: (await store.listAssignments(q, id)).map((a) => ({
      stepIndex: a.stepIndex,
      assignee: a.assigneeName,
      by: a.assignedByName,
      note: a.note,
      at: a.at.toISOString(),
    })),
    comments: (await store.listComments(q, id)).map((c) => ({ id: c.id, stepIndex: c.stepIndex, author: c.authorName, body: c.body, at: c.at.toISOString() })),
    workingDocuments: (await store.listWorkingDocuments(q, id)).map((w) => ({
      id: w.id,
      documentId: w.documentId,
      stepIndex: w.stepIndex,
      title: w.title,
      addedBy: w.addedByName,
      pages: w.pages,
      size: w.size,
      at: w.at.toISOString(),
      fromTemplate: w.fromTemplate,
    })),
    controlSheet: sheet.rows.map((r) => ({
      no: r.no,
      event: r.event,
      at: r.at.toISOString(),
      giver: partyLine(partyText(r.giver, sheet.agencies, sheet.users, applicant.fullName)),
      receiver: partyLine(partyText(r.receiver, sheet.agencies, sheet.users, applicant.fullName)),
      due: r.due?.toISOString() ?? null,
      mark: r.mark,
      markLabel: r.mark ? HAND_OVER_MARK_LABELS[r.mark] : null,
    })),
    financialObligation: fo
      ? { kind: fo.notice.kind, amountVnd: fo.notice.amountVnd, reference: fo.notice.reference, issuedAt: fo.issuedAt.toISOString(), paidAt: fo.paidAt?.toISOString() ?? null }
      : null,
    apologies: s.apologies.map((a) => ({ at: a.at.toISOString(), reason: a.reason })),
    notices: await currentNotices(q, id, deadline?.due ?? null),
    resultRevocation,
    sealing: seal,
    paperResult: { required: paperRequired, copy: paperCopy },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Actions

/** What officers send; `mark_processed` names the approved working document that becomes the signed result. */
export type ProcessingAction =
  | Exclude<Action, { type: 'mark_processed' | 'supplement' | 'record_validation' | 'withdraw' | 'receive' | 'refuse' | 'return_for_completion' }>
  | { type: 'mark_processed'; workingDocumentId: string };

export async function act(
  ctx: AppContext,
  principal: Principal,
  id: string,
  action: ProcessingAction,
  opts: { version?: number; assignTo?: string } = {},
): Promise<DecisionResult & { sealing?: SealingState }> {
  stepRoleOf(principal);
  if (action.type !== 'mark_processed') return applyAction(ctx, principal, id, action, opts.version, opts.assignTo ? { assignTo: opts.assignTo } : {});
  if (await sealing.pendingSeal(ctx.db, id)) throw ProcessingErrors.sealing();
  const { approved, bytes } = await signAsApprover(ctx, principal, id, action.workingDocumentId);
  let sealed: SealedResult;
  try {
    sealed = await sealResult(ctx, approved, bytes);
  } catch (err) {
    // The approver has signed; the seal (HSM, TSA, revocation source) failed. The result job adds it with retries
    // and issues the result then; operations see it in their view. Nothing is lost and nothing is pending silently.
    ctx.log.warn({ err, dossierId: id }, 'result seal failed; the result.seal job will retry');
    const state = await sealing.queueSeal(ctx, principal, id, approved, err);
    // Nothing changed but the approver's signature: the dossier as it stands.
    const row = await loadForOfficer(ctx.db, principal, id);
    return { ...decisionResult(row, row.state, await rulesEnv(ctx.db), ctx.now()), sealing: state };
  }
  return issueResult(ctx, principal, id, sealed, opts.version);
}

/** Written with the result: its document, report, e-store entry, register row, and the signing event. */
export async function issueResult(ctx: AppContext, principal: Principal, id: string, result: SealedResult, version?: number): Promise<DecisionResult> {
  let mailed = false;
  const decided = await applyAction(ctx, principal, id, { type: 'mark_processed', resultDocumentId: result.id }, version, {
    inTx: async (q) => {
      await documents.insertValidationReport(q, { id: result.report.id, indication: result.report.indication, report: result.report.report, at: result.at });
      await documents.insertDocument(q, {
        id: result.id,
        blob: result.blob,
        pages: result.pages,
        origin: 'issued',
        validationReportId: result.report.id,
        createdBy: principal.userId,
        at: result.at,
      });
      // The result enters the applicant's e-store at once (R3 once-only: a later dossier reuses it).
      await addResult(q, {
        ownerSubjectId: result.owner.subjectId,
        ownerKind: result.owner.kind,
        documentId: result.id,
        documentType: result.documentType,
        title: result.title,
        issuer: result.issuer,
        original: { kind: 'basis', basis: 'ECOPY_FROM_REGISTER', documentId: result.id, validation: { reportId: result.report.id, indication: result.report.indication } },
        dossierId: id,
        at: result.at,
      });
      await appendAuditEvent(q, {
        type: 'document.result_signed',
        at: result.at,
        actor: auditActor(principal),
        agencyId: principal.agencyId,
        subjectType: 'dossier',
        subjectId: id,
        data: {
          documentId: result.id,
          sha256: result.blob.sha256,
          from: result.workingDocumentId,
          signers: result.signers,
          level: result.level,
          number: result.number,
          sealedLater: result.sealedLater,
        },
      });
      await registerResult(q, {
        documentId: result.id,
        dossierId: id,
        agencyId: result.agencyId,
        number: result.number?.value ?? null,
        symbol: result.number?.symbol ?? null,
        title: result.title,
        issuer: result.issuer,
        issuedAt: result.at,
      });
      await sealing.clearSeal(q, id);
      mailed = await enqueueResultEmail(ctx, q, id, result.at);
    },
  });
  if (mailed) pokeJobs();
  return decided;
}

/** The result signed by the approver only; kept (blob and JSON) until the agency's seal is added. */
export interface ApprovedResult {
  id: string;
  workingDocumentId: string;
  /** sha256 and size of the approver-signed bytes in the blob store. */
  approverSigned: string;
  approverSignedSize: number;
  approverSigner: string;
  sealAgencyId: string;
  agencyId: string;
  pages: number | null;
  at: string;
  title: string;
  number: { value: number; symbol: string } | null;
  documentType: string | null;
  issuer: string;
  owner: { subjectId: string; kind: 'citizen' | 'business' };
}

export type SealedResult = Omit<ApprovedResult, 'approverSigned' | 'approverSignedSize' | 'approverSigner' | 'sealAgencyId' | 'at'> & {
  blob: documents.BlobRef;
  signers: string[];
  level: string;
  at: Date;
  report: { id: string; indication: SignatureIndication; report: Awaited<ReturnType<typeof validatePdf>> };
  sealedLater: boolean;
};

/**
 * The result (R6), first part: the approver's personal signature (PAdES B-LT). A draft from the template is rendered
 * again with its number, date, signer and QR and signed visibly in the signer block; an uploaded PDF draft is signed
 * as it is. Signed outside the dossier's row lock (a TSA call); if the decision is then refused, the unused blob is
 * swept as an orphan.
 */
async function signAsApprover(ctx: AppContext, principal: Principal, dossierId: string, workingDocumentId: string): Promise<{ approved: ApprovedResult; bytes: Uint8Array }> {
  const row = await loadForOfficer(ctx.db, principal, dossierId);
  const wd = (await store.listWorkingDocuments(ctx.db, dossierId)).find((w) => w.id === workingDocumentId);
  if (!wd) throw ProcessingErrors.workingDocumentNotFound({ workingDocumentId });
  if (!(await findActiveCredential(ctx.db, { userId: principal.userId }))) throw ProcessingErrors.noSigningCredential();
  const seal = await sealAgency(ctx.db, row.currentAgencyId);
  if (!seal) throw ProcessingErrors.noSeal({ agencyId: row.currentAgencyId });
  const now = ctx.now();
  const id = randomUUID();
  const detail = await getProcedureDetail(ctx.db, row.procedureId, { includeInactive: true });
  const draft = await storedDraft(ctx.db, wd.id);
  const final = draft ? await renderFinalResult(ctx, draft, { documentId: id, agencyId: row.currentAgencyId, approverName: principal.displayName, now }) : null;
  const doc = final ? null : (await documents.getDocuments(ctx.db, [wd.documentId])).get(wd.documentId)!;
  const box = final?.rendered.signatureBox;
  const signed = await signInSequence(
    ctx,
    final ? final.rendered.pdf : await ctx.blobs.get(doc!.sha256),
    [{ owner: { userId: principal.userId }, appearance: box ? 'signature-box' : 'invisible', reason: 'Phê duyệt kết quả giải quyết thủ tục hành chính', location: 'Hà Nội' }],
    // B-T here: the seal's B-LT revision (signInSequence) adds the long-term validation data for this signature too.
    { now, level: 'B-T', ...(box ? { signatureBox: box } : {}) },
  );
  const put = await ctx.blobs.put(signed.bytes);
  const issuer = await catalogStore.getAgency(ctx.db, row.currentAgencyId);
  const approved: ApprovedResult = {
    id,
    workingDocumentId,
    approverSigned: put.sha256,
    approverSignedSize: put.size,
    approverSigner: signed.signers[0]!,
    sealAgencyId: seal,
    agencyId: row.currentAgencyId,
    pages: final ? final.rendered.pageCount : wd.pages,
    at: now.toISOString(),
    title: detail.procedure.result.name,
    number: final ? { value: final.number, symbol: final.symbol } : null,
    documentType: detail.procedure.result.documentType ?? null,
    issuer: issuer?.name ?? row.state.currentAgency,
    owner: { subjectId: row.applicantSubjectId, kind: row.applicantKind },
  };
  return { approved, bytes: signed.bytes };
}

/** Second part: the competent agency's seal (organisation certificate, B-LT), then validation as any reader would. */
export async function sealResult(ctx: AppContext, approved: ApprovedResult, approverSigned: Uint8Array, sealedLater = false): Promise<SealedResult> {
  const now = ctx.now();
  // Validated as any later reader would (the configured anchors): the e-store keeps the report as the result's
  // evidence. signInSequence's long-term check (the approver's B-T signature included) makes that report.
  const trustAnchors = await configuredTrustAnchors(ctx);
  const signed = await signInSequence(
    ctx,
    approverSigned,
    [{ owner: { agencyId: approved.sealAgencyId }, appearance: 'invisible', reason: 'Đóng dấu kết quả giải quyết thủ tục hành chính', location: 'Hà Nội' }],
    { now, level: DEFAULT_ISSUE_LEVEL, trustAnchors },
  );
  const bytes = signed.bytes;
  const report = signed.report ?? (await validatePdf(bytes, { trustAnchors }));
  const put = await ctx.blobs.put(bytes);
  return {
    id: approved.id,
    workingDocumentId: approved.workingDocumentId,
    agencyId: approved.agencyId,
    pages: approved.pages,
    title: approved.title,
    number: approved.number,
    documentType: approved.documentType,
    issuer: approved.issuer,
    owner: approved.owner,
    blob: { sha256: put.sha256, size: put.size, mediaType: 'application/pdf' },
    signers: [approved.approverSigner, ...signed.signers],
    level: signed.level,
    at: now,
    report: { id: randomUUID(), indication: reportIndication(report), report },
    sealedLater,
  };
}

/** (Re)assigns the current step: a leader of the agency holding it, to an eligible officer of that agency. */
export async function assign(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { assigneeId: string; note?: string; version?: number },
): Promise<{ id: string; assignee: string; version: number }> {
  stepRoleOf(principal);
  const now = ctx.now();
  return ctx.db.tx(async (q) => {
    const row = await loadForOfficer(q, principal, id, true);
    if (input.version !== undefined && input.version !== row.version) throw Problems.conflict({ version: row.version });
    const assignee = await checkedAssignee(q, row.state, officerActor(principal), input.assigneeId);
    const note = input.note?.normalize('NFC').trim() || null;
    await store.setAssignee(q, row.id, assignee);
    await recordAssignment(q, { dossierId: row.id, stepIndex: row.state.currentStep!, assigneeId: assignee, assignedBy: principal.userId, note, at: now });
    await appendAuditEvent(q, {
      type: 'dossier.assigned',
      at: now,
      actor: auditActor(principal),
      agencyId: principal.agencyId,
      subjectType: 'dossier',
      subjectId: row.id,
      data: { stepIndex: row.state.currentStep, assignee, previous: row.assigneeId },
    });
    return { id: row.id, assignee, version: row.version };
  });
}

export const CommentErrors = {
  empty: defineError('COMMENT_EMPTY', 400, { vi: 'Nội dung trao đổi không được để trống', en: 'The comment is empty' }),
};

export async function addComment(ctx: AppContext, principal: Principal, id: string, body: string): Promise<{ id: string; at: string }> {
  stepRoleOf(principal);
  const text = body.normalize('NFC').trim();
  if (!text) throw CommentErrors.empty();
  const now = ctx.now();
  return ctx.db.tx(async (q) => {
    const row = await loadForOfficer(q, principal, id);
    const commentId = await store.insertComment(q, { dossierId: row.id, stepIndex: row.state.currentStep, authorId: principal.userId, body: text, at: now });
    await appendAuditEvent(q, {
      type: 'dossier.comment_added',
      at: now,
      actor: auditActor(principal),
      agencyId: principal.agencyId,
      subjectType: 'dossier',
      subjectId: row.id,
      data: { commentId, stepIndex: row.state.currentStep, length: text.length },
    });
    return { id: commentId, at: now.toISOString() };
  });
}

export const WorkingDocumentErrors = {
  title: defineError('WORKING_DOCUMENT_TITLE', 400, { vi: 'Tài liệu cần có tên (1–300 ký tự)', en: 'A working document needs a title (1–300 characters)' }),
  pdfOnly: defineError('WORKING_DOCUMENT_PDF_ONLY', 415, { vi: 'Tài liệu dự thảo phải là tệp PDF', en: 'Working documents are PDF files' }),
};

/** Attaches a PDF draft (result draft, opinion…) to the current step; checked like any upload, stored by hash. */
export async function addWorkingDocument(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { title: string; file: UploadedFile },
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<{ id: string; documentId: string }> {
  stepRoleOf(principal);
  const title = input.title.normalize('NFC').trim();
  if (!title || title.length > 300) throw WorkingDocumentErrors.title();
  const row = await loadForOfficer(ctx.db, principal, id);
  if (checkFile(input.file, maxBytes) !== 'pdf') throw WorkingDocumentErrors.pdfOnly();
  const facts = await inspectPdf(input.file.componentKey, input.file.bytes);
  const now = ctx.now();
  const put = await ctx.blobs.put(input.file.bytes);
  return ctx.db.tx(async (q) => {
    const locked = await loadForOfficer(q, principal, id);
    if ((['not_received', 'withdrawn', 'stopped', 'result_returned'] as string[]).includes(locked.status)) throw DossierErrors.notFound();
    const documentId = await documents.insertDocument(q, {
      id: randomUUID(),
      blob: { sha256: put.sha256, size: put.size, mediaType: 'application/pdf' },
      pages: facts.pages,
      origin: 'uploaded',
      createdBy: principal.userId,
      at: now,
    });
    const wid = await store.insertWorkingDocument(q, { dossierId: row.id, stepIndex: locked.state.currentStep, documentId, title, addedBy: principal.userId, at: now });
    await appendAuditEvent(q, {
      type: 'dossier.working_document_added',
      at: now,
      actor: auditActor(principal),
      agencyId: principal.agencyId,
      subjectType: 'dossier',
      subjectId: row.id,
      data: { workingDocumentId: wid, documentId, sha256: put.sha256, stepIndex: locked.state.currentStep },
    });
    return { id: wid, documentId };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Control sheet (form 06)

/** Form 06 as a PDF, rendered from the events now (not signed: it is an internal tracking sheet). The read is audited. */
export async function controlSheetPdf(ctx: AppContext, principal: Principal, id: string): Promise<{ bytes: Uint8Array; code: string }> {
  const now = ctx.now();
  const row = await loadForOfficer(ctx.db, principal, id);
  if (!row.code || !row.state.receivedAt) throw DossierErrors.notFound();
  const env = await rulesEnv(ctx.db);
  const sheet = await sheetOf(ctx.db, row);
  const applicant = await applicantFacts(ctx.db, row);
  const detail = await getProcedureDetail(ctx.db, row.procedureId, { includeInactive: true });
  const branch = await catalogStore.getAgency(ctx.db, row.receivingAgencyId);
  const parent = branch?.parentId ? await catalogStore.getAgency(ctx.db, branch.parentId) : null;
  const deadline = dossierDeadline(row.state, env, now)!;
  const doc = buildControlSheet({
    office: { ...(parent ? { governingBody: parent.name } : {}), name: branch?.name ?? row.state.receivingAgency, place: 'Hà Nội' },
    issuedAt: now,
    dossierCode: row.code,
    applicant,
    procedure: { name: detail.procedure.name, ...(detail.procedure.nationalCode ? { code: detail.procedure.nationalCode } : {}) },
    receivedAt: row.state.receivedAt,
    promisedAt: deadline.promisedDue,
    handovers: sheet.rows.map((r) => ({
      giver: partyText(r.giver, sheet.agencies, sheet.users, applicant.fullName),
      receiver: partyText(r.receiver, sheet.agencies, sheet.users, applicant.fullName),
      at: r.at,
      outcome: r.due ? handoverOutcome(r.at, r.due) : null,
      ...(r.event === 'transferred' ? { note: 'Chuyển liên thông' } : r.event === 'received' ? { note: 'Tiếp nhận' } : {}),
    })),
  });
  const rendered = await renderInPool(ctx, doc, { now });
  await appendAuditEvent(ctx.db, {
    type: 'document.read',
    at: now,
    actor: auditActor(principal),
    agencyId: principal.agencyId,
    subjectType: 'dossier',
    subjectId: row.id,
    data: { form: '06', rows: sheet.rows.length },
  });
  return { bytes: rendered.pdf, code: row.code };
}

// ---------------------------------------------------------------------------------------------------------------
// Dossier register (form 07)

export const RegisterErrors = {
  period: defineError('REGISTER_PERIOD_INVALID', 400, {
    vi: 'Khoảng thời gian không hợp lệ: từ ngày, đến ngày (yyyy-mm-dd), tối đa 366 ngày',
    en: 'Invalid period: from and to dates (yyyy-mm-dd), at most 366 days',
  }),
};

const REGISTER_MAX_ROWS = 5000;

/**
 * Form 07 (Sổ theo dõi hồ sơ) of the caller's agency for the days `from`–`to` (Vietnamese civil days): every dossier
 * received in the period that the agency received, holds or runs the process of, with its dates. Names and contacts
 * are personal data: the read is audited.
 */
export async function register(
  ctx: AppContext,
  principal: Principal,
  period: { from: string; to: string },
  format: 'json' | 'pdf',
): Promise<{ entries: RegisterEntry[]; pdf: Uint8Array | null }> {
  stepRoleOf(principal);
  const fromDay = isoToDay(period.from);
  const toDay = isoToDay(period.to);
  if (fromDay === null || toDay === null || toDay < fromDay || toDay - fromDay > 365) throw RegisterErrors.period(period);
  const from = new Date(instantMs(fromDay, 0));
  const to = new Date(instantMs(toDay + 1, 0));
  const now = ctx.now();
  const mine = await officerAgencyIds(ctx.db, principal);
  const ids = await ctx.db.query<{ id: string }>(
    `SELECT d.id FROM dossier d
      WHERE d.received_at >= $1 AND d.received_at < $2
        AND (d.receiving_agency_id = ANY($3::uuid[]) OR d.current_agency_id = ANY($3::uuid[])
             OR d.state->'process'->>'agency' IN (SELECT code FROM agency WHERE id = ANY($3::uuid[])))
      ORDER BY d.received_at, d.code LIMIT $4`,
    [from, to, mine, REGISTER_MAX_ROWS],
  );
  const env = await rulesEnv(ctx.db);
  const entries: RegisterEntry[] = [];
  const agencies = new Map<string, string>();
  for (const { id } of ids.rows) {
    const row = (await dossierStore.getDossier(ctx.db, id))!;
    const s = row.state;
    const applicant = await applicantFacts(ctx.db, row);
    const detail = await getProcedureDetail(ctx.db, row.procedureId, { includeInactive: true });
    if (!agencies.has(s.process.agency)) agencies.set(s.process.agency, (await catalogStore.getAgency(ctx.db, s.process.agency))?.name ?? s.process.agency);
    const events = await dossierStore.listEvents(ctx.db, id);
    const transferred = events.find((e) => e.type === 'transferred');
    const resolved = s.result?.readyAt ?? (s.closure && s.closure.kind !== 'refused' ? s.closure.at : undefined);
    entries.push({
      dossierCode: row.code ?? row.id,
      procedure: detail.procedure.name,
      applicant: applicant.fullName,
      ...(applicant.address || applicant.phone ? { contact: [applicant.address, applicant.phone].filter(Boolean).join(' – ') } : {}),
      handlingAgency: agencies.get(s.process.agency)!,
      receivedAt: s.receivedAt!,
      promisedAt: dossierDeadline(s, env, now)!.promisedDue,
      ...(transferred ? { transferredAt: transferred.at } : {}),
      ...(resolved ? { resolvedAt: resolved } : {}),
      ...(s.resultReturnedAt ? { returnedAt: s.resultReturnedAt } : {}),
      ...(s.closure ? { note: STATUS_LABELS[s.status].vi } : {}),
    });
  }
  let pdf: Uint8Array | null = null;
  if (format === 'pdf') {
    const office = principal.agencyId ? await catalogStore.getAgency(ctx.db, principal.agencyId) : null;
    const parent = office?.parentId ? await catalogStore.getAgency(ctx.db, office.parentId) : null;
    const doc = buildRegister({
      office: { ...(parent ? { governingBody: parent.name } : {}), name: office?.name ?? principal.agencyCode ?? '', place: 'Hà Nội' },
      issuedAt: now,
      period: { from, to: new Date(to.getTime() - 1) },
      entries,
    });
    pdf = (await renderInPool(ctx, doc, { now })).pdf;
  }
  // Audited when it reveals dossiers (names and contacts); an empty register discloses nothing.
  if (entries.length) await appendAuditEvent(ctx.db, {
    type: 'document.read',
    at: now,
    actor: auditActor(principal),
    agencyId: principal.agencyId,
    subjectType: 'agency',
    subjectId: principal.agencyId,
    data: { form: '07', from: period.from, to: period.to, rows: entries.length, format },
  });
  return { entries, pdf };
}
