/**
 * Where the law also requires a paper result (catalog `result.paperAlsoRequiredByLaw`, e.g. the birth certificate's
 * original): after the electronic result is issued, the printed, wet-signed paper is scanned back in, marked as
 * converted with who converted it (Law 20/2023 Art. 12) and signed by the issuing agency's seal as an electronic
 * copy (R6). The scan as received and the signed copy are both kept; the copy is the dossier's, for its officers and
 * its applicant. One per dossier.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../identity/access.ts';
import { appendAuditEvent } from '../../oversight/audit/store.ts';
import type { AppContext } from '../../platform/context.ts';
import { defineError } from '../../platform/http/problem.ts';
import { getProcedureDetail } from '../../catalog/service.ts';
import * as catalogStore from '../../catalog/store.ts';
import { prepareComponentFiles, type UploadedFile } from '../../documents/uploads.ts';
import { resolutionWarnings, type ScanWarning } from '../counter.ts';
import { receptionSigner, signDigitizedCopy } from '../digitize.ts';
import { sealAgency } from '../receipt.ts';
import { auditActor, DEFAULT_MAX_FILE_BYTES, insertPreparedDocuments, loadForOfficer, putBlobs } from '../service.ts';
import * as store from '../store.ts';

export const PaperResultErrors = {
  notRequired: defineError('PAPER_RESULT_NOT_REQUIRED', 409, {
    vi: 'Thủ tục này không yêu cầu kết quả bản giấy: kết quả điện tử có ký số là đủ',
    en: 'This procedure does not require a paper result: the signed electronic result is enough',
  }),
  noResult: defineError('PAPER_RESULT_BEFORE_RESULT', 409, {
    vi: 'Chỉ số hóa kết quả bản giấy sau khi kết quả điện tử đã được ban hành',
    en: 'The paper result is scanned back in only after the electronic result is issued',
  }),
  exists: defineError('PAPER_RESULT_EXISTS', 409, { vi: 'Kết quả bản giấy của hồ sơ đã được số hóa', en: 'The paper result of this dossier was already scanned in' }),
  notIssuer: defineError('PAPER_RESULT_NOT_ISSUER', 403, {
    vi: 'Chỉ cơ quan đã ban hành kết quả số hóa kết quả bản giấy',
    en: 'Only the agency that issued the result scans its paper original in',
  }),
  noSeal: defineError('PAPER_RESULT_NO_SEAL', 409, {
    vi: 'Cơ quan ban hành chưa có chứng thư số của tổ chức để ký bản sao điện tử',
    en: 'The issuing agency has no organisation certificate to sign the electronic copy',
  }),
};

/** Scans the paper result back in (images or a scanner's PDF), marks it converted and seals it as an e-copy. */
export async function scanPaperResult(
  ctx: AppContext,
  principal: Principal,
  dossierId: string,
  files: UploadedFile[],
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<store.PaperResultCopy & { pages: number; warnings: ScanWarning[] }> {
  const row = await loadForOfficer(ctx.db, principal, dossierId);
  const issuer = row.state.process.agency;
  if (principal.agencyCode !== issuer && principal.agencyId !== row.receivingAgencyId) throw PaperResultErrors.notIssuer({ issuer });
  const detail = await getProcedureDetail(ctx.db, row.procedureId, { includeInactive: true });
  if (!detail.procedure.result.paperAlsoRequiredByLaw) throw PaperResultErrors.notRequired({ procedure: detail.procedure.key });
  if (!row.state.result) throw PaperResultErrors.noResult({ status: row.status });
  if (await store.getPaperResultCopy(ctx.db, row.id)) throw PaperResultErrors.exists();
  const issuing = await catalogStore.getAgency(ctx.db, issuer);
  const seal = issuing ? await sealAgency(ctx.db, issuing.id) : null;
  if (!issuing || !seal) throw PaperResultErrors.noSeal({ agency: issuer });

  const key = 'paper-result';
  const warnings = resolutionWarnings(key, files, maxBytes);
  const file = await prepareComponentFiles(key, files, maxBytes);
  const now = ctx.now();
  const documentId = randomUUID();
  const env = await receptionSigner(ctx, principal, now, { agencyName: issuing.name });
  const copy = await signDigitizedCopy(
    ctx,
    file.pdf,
    { key, name: detail.procedure.result.name, documentId, pages: file.pages, fromImages: file.converted, source: 'paper_result' },
    env,
    { owner: { agencyId: seal }, reason: 'Bản sao điện tử từ kết quả bản giấy' },
  );
  const docs = [{ id: documentId, bytes: file.pdf, signed: copy.signed, mediaType: 'application/pdf', pages: file.pages, origin: 'scanned' as const, report: copy.report }];
  const stored = await putBlobs(ctx, docs);
  await ctx.db.tx(async (q) => {
    const locked = await loadForOfficer(q, principal, dossierId, true);
    if (!locked.state.result) throw PaperResultErrors.noResult({ status: locked.status });
    if (await store.getPaperResultCopy(q, locked.id)) throw PaperResultErrors.exists();
    await insertPreparedDocuments(q, docs, stored, principal.userId, now);
    await q.query('INSERT INTO result_paper_copy (dossier_id, document_id, converted_by, at) VALUES ($1, $2, $3, $4)', [locked.id, documentId, principal.userId, now]);
    await appendAuditEvent(q, {
      type: 'document.paper_result_scanned',
      at: now,
      actor: auditActor(principal),
      agencyId: principal.agencyId,
      subjectType: 'dossier',
      subjectId: locked.id,
      data: {
        documentId,
        result: locked.state.result.documentId,
        originalSha256: stored.get(documentId)!.sha256,
        signedSha256: stored.get(`${documentId}:signed`)!.sha256,
        pages: file.pages,
        warnings: warnings.length,
      },
    });
  });
  return { documentId, at: now.toISOString(), convertedBy: env.officerName, pages: file.pages, warnings };
}
