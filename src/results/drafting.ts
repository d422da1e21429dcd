/**
 * Drafting the result from its template (issue 6): the specialist fills the template's inputs, previews the ND 30
 * document drawn from the dossier's data, and it becomes a working document of the dossier. What the draft was filled
 * from (template and facts) is kept with it, so at signing the result is rendered again from exactly that, with the
 * records office's number, the signing date, the approver's name and the QR code to its verification page.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../identity/access.ts';
import { appendAuditEvent } from '../oversight/audit/store.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db/db.ts';
import { defineError } from '../platform/http/problem.ts';
import { getProcedureDetail } from '../catalog/service.ts';
import * as catalogStore from '../catalog/store.ts';
import type { ResultTemplateInput } from '../catalog/schema.ts';
import * as documents from '../documents/store.ts';
import { vietnamDateParts, type RenderedDocument } from '../documents/nd30/index.ts';
import { renderInPool } from '../documents/pdf-work.ts';
import { applicantFacts } from '../dossiers/receipt.ts';
import { loadForOfficer } from '../dossiers/service.ts';
import * as dossierStore from '../dossiers/store.ts';
import * as workingDocuments from '../dossiers/processing/store.ts';
import type { DossierStatus } from '../dossiers/rules/types.ts';
import { nextResultNumber, resultVerificationUrl } from './register.ts';
import { checkDecisionInputs, resultDocument, templateFor, templateHeading, TemplateFillError, type ResultFacts } from './templates.ts';

export const DraftErrors = {
  notDrafter: defineError('RESULT_DRAFT_ROLE', 403, {
    vi: 'Chỉ chuyên viên hoặc lãnh đạo đang xử lý hồ sơ mới soạn dự thảo kết quả',
    en: 'Only the specialist or leader processing the dossier drafts its result',
  }),
  notInProcessing: defineError('RESULT_DRAFT_NOT_IN_PROCESSING', 409, {
    vi: 'Hồ sơ không còn ở giai đoạn giải quyết nên không soạn được dự thảo kết quả',
    en: 'The dossier is not being processed, so no result can be drafted',
  }),
  inputs: defineError('RESULT_DRAFT_INPUTS', 400, {
    vi: 'Thông tin dự thảo kết quả chưa hợp lệ',
    en: 'The result draft’s inputs are not valid',
  }),
  missingData: defineError('RESULT_TEMPLATE_DATA_MISSING', 422, {
    vi: 'Hồ sơ thiếu dữ liệu mà mẫu kết quả cần',
    en: 'The dossier lacks data the result template needs',
  }),
};

/** Statuses in which the result may be drafted: from reception until the leader has signed it. */
const DRAFTABLE: ReadonlySet<DossierStatus> = new Set(['received', 'processing', 'supplement_requested', 'awaiting_financial_obligation']);
const PLACE = 'Hà Nội';
/** Printed in the signer block of a draft: who signs is known only at approval. */
const DRAFT_SIGNER = '(Người có thẩm quyền ký số)';

/** Kept with the draft (JSON): the signed result is rendered again from it. */
export interface StoredDraft {
  template: ResultTemplateInput;
  standard: boolean;
  facts: ResultFacts;
}

/** The dossier's data a result may print: applicant, procedure, issuer, self-declared forms, the drafter's inputs. */
export async function resultFacts(
  q: Queryable,
  row: dossierStore.DossierRow,
  decision: Record<string, string>,
  loaded?: Awaited<ReturnType<typeof getProcedureDetail>>,
): Promise<ResultFacts> {
  const detail = loaded ?? (await getProcedureDetail(q, row.procedureId, { includeInactive: true }));
  const issuer = await catalogStore.getAgency(q, row.currentAgencyId);
  const parent = issuer?.parentId ? await catalogStore.getAgency(q, issuer.parentId) : null;
  const applicant = await applicantFacts(q, row);
  const rows = await dossierStore.listComponents(q, row.id);
  const forms = detail.components
    .filter((c) => c.input === 'form' && c.formTemplate)
    .flatMap((c) => {
      const values = ((rows.find((r) => r.componentKey === c.key)?.evidence ?? {}) as { form?: Record<string, unknown> }).form;
      return values ? [{ componentKey: c.key, name: c.name, template: c.formTemplate!, values }] : [];
    });
  return {
    dossier: { code: row.code ?? row.id, receivedAt: row.state.receivedAt ?? row.createdAt },
    applicant: {
      kind: row.applicantKind,
      name: applicant.fullName,
      idNumber: applicant.idNumber,
      ...(applicant.address ? { address: applicant.address } : {}),
      ...(applicant.phone ? { phone: applicant.phone } : {}),
      ...(applicant.email ? { email: applicant.email } : {}),
    },
    procedure: {
      name: detail.procedure.name,
      nationalCode: detail.procedure.nationalCode ?? null,
      field: detail.procedure.field,
      legalBasis: detail.procedure.legalBasis ?? null,
      resultName: detail.procedure.result.name,
    },
    issuer: { name: issuer?.name ?? row.state.currentAgency, kind: issuer?.kind ?? 'other', ...(parent ? { governingBody: parent.name } : {}) },
    forms,
    decision,
  };
}

function asDraftRole(p: Principal): void {
  if (p.role !== 'specialist' && p.role !== 'leader') throw DraftErrors.notDrafter({ role: p.role });
}

function filled(template: ResultTemplateInput, facts: ResultFacts, details: Parameters<typeof resultDocument>[2]) {
  try {
    return resultDocument(template, facts, details);
  } catch (err) {
    if (err instanceof TemplateFillError) throw DraftErrors.missingData({ missing: err.missing });
    throw err;
  }
}

/** What the drafting form shows: the template's title, whether it is the standard one, and its inputs. */
export async function draftingForm(ctx: AppContext, principal: Principal, dossierId: string) {
  asDraftRole(principal);
  const row = await loadForOfficer(ctx.db, principal, dossierId);
  const procedure = (await catalogStore.getProcedure(ctx.db, row.procedureId))!;
  return { resultName: procedure.result.name, ...templateHeading(procedure.result.template) };
}

/**
 * Fills the template from the dossier and the drafter's `inputs`, renders the draft (no number yet) and attaches it
 * to the dossier as a working document the leader can approve and sign.
 */
export async function draftResult(
  ctx: AppContext,
  principal: Principal,
  dossierId: string,
  inputs: Readonly<Record<string, unknown>>,
): Promise<{ id: string; documentId: string; title: string; pages: number }> {
  asDraftRole(principal);
  const row = await loadForOfficer(ctx.db, principal, dossierId);
  if (!DRAFTABLE.has(row.status)) throw DraftErrors.notInProcessing({ status: row.status });
  const detail = await getProcedureDetail(ctx.db, row.procedureId, { includeInactive: true });
  const own = detail.procedure.result.template;
  const checked = checkDecisionInputs(templateHeading(own), inputs);
  if (checked.problems.length) throw DraftErrors.inputs({ problems: checked.problems });
  const facts = await resultFacts(ctx.db, row, checked.values, detail);
  const { template, standard } = templateFor(own, facts);
  const now = ctx.now();
  const doc = filled(template, facts, { place: PLACE, date: now, number: null, signerName: DRAFT_SIGNER });
  const rendered = await renderInPool(ctx, doc, { now, subject: `Dự thảo: ${doc.title}` });
  const put = await ctx.blobs.put(rendered.pdf);
  const title = `Dự thảo ${detail.procedure.result.name}`.slice(0, 300);
  const stored: StoredDraft = { template, standard, facts };
  return ctx.db.tx(async (q) => {
    const locked = await loadForOfficer(q, principal, dossierId, true);
    if (!DRAFTABLE.has(locked.status)) throw DraftErrors.notInProcessing({ status: locked.status });
    const documentId = await documents.insertDocument(q, {
      id: randomUUID(),
      blob: { sha256: put.sha256, size: put.size, mediaType: 'application/pdf' },
      pages: rendered.pageCount,
      origin: 'uploaded',
      createdBy: principal.userId,
      at: now,
    });
    const id = await workingDocuments.insertWorkingDocument(q, {
      dossierId: locked.id,
      stepIndex: locked.state.currentStep,
      documentId,
      title,
      addedBy: principal.userId,
      at: now,
      draft: stored,
    });
    await appendAuditEvent(q, {
      type: 'dossier.result_drafted',
      at: now,
      actor: { userId: principal.userId, role: principal.role },
      agencyId: principal.agencyId,
      subjectType: 'dossier',
      subjectId: locked.id,
      data: { workingDocumentId: id, documentId, sha256: put.sha256, standardTemplate: standard, inputs: Object.keys(checked.values) },
    });
    return { id, documentId, title, pages: rendered.pageCount };
  });
}

/** The stored draft of a working document, or null for an uploaded PDF. */
export async function storedDraft(q: Queryable, workingDocumentId: string): Promise<StoredDraft | null> {
  const r = await q.query<{ draft: StoredDraft | null }>('SELECT draft FROM dossier_working_document WHERE id = $1', [workingDocumentId]);
  const d = r.rows[0]?.draft;
  if (!d) return null;
  // JSON keeps instants as strings.
  const f = d.facts;
  return { ...d, facts: { ...f, dossier: { ...f.dossier, receivedAt: new Date(f.dossier.receivedAt) } } };
}

export interface FinalResult {
  rendered: RenderedDocument;
  title: string;
  number: number;
  symbol: string;
}

/**
 * The result as it will be signed: the draft rendered again with its number (allocated now, per agency and year),
 * the signing date, the approver in the signer block and the QR code to `documentId`'s verification page.
 */
export async function renderFinalResult(
  ctx: AppContext,
  draft: StoredDraft,
  opts: { documentId: string; agencyId: string; approverName: string; now: Date },
): Promise<FinalResult> {
  const number = await nextResultNumber(ctx.db, opts.agencyId, vietnamDateParts(opts.now).year);
  const doc = filled(draft.template, draft.facts, {
    place: PLACE,
    date: opts.now,
    number,
    signerName: opts.approverName,
    qr: { url: resultVerificationUrl(ctx.config.publicUrl, opts.documentId), caption: 'Quét mã để kiểm tra văn bản trên Cổng xác thực' },
  });
  const rendered = await renderInPool(ctx, doc, { now: opts.now, subject: doc.title, keywords: [draft.facts.dossier.code] });
  return { rendered, title: doc.title, number, symbol: doc.number!.symbol };
}
