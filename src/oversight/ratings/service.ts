/**
 * The applicant rates their dossier once it is delivered (QĐ 766 indicator 5.4). One rating per dossier; audited.
 * The indicators read it with the facts of each dossier (a rating of 1–2 counts as a "dislike").
 */
import type { Principal } from '../../identity/access.ts';
import { appendAuditEvent } from '../audit/store.ts';
import type { AppContext } from '../../platform/context.ts';
import { defineError } from '../../platform/http/problem.ts';
import { loadForApplicant } from '../../dossiers/service.ts';
import { RATING_LABELS, ratingRefusal, type Rating } from './rules.ts';
import * as store from './store.ts';

export const RatingErrors = {
  bad_rating: defineError('RATING_INVALID', 400, { vi: 'Hãy chọn mức đánh giá từ 1 đến 5', en: 'Choose a rating from 1 to 5' }),
  comment_too_long: defineError('RATING_COMMENT_TOO_LONG', 400, { vi: 'Ý kiến tối đa 2000 ký tự', en: 'The comment has at most 2000 characters' }),
  not_delivered: defineError('RATING_NOT_YET', 409, {
    vi: 'Chỉ đánh giá được sau khi đã nhận kết quả giải quyết',
    en: 'A dossier is rated once its result was delivered',
  }),
  already_rated: defineError('RATING_EXISTS', 409, { vi: 'Hồ sơ này đã được đánh giá', en: 'This dossier was already rated' }),
};

export interface RatingView {
  rating: Rating;
  label: { vi: string; en: string };
  comment: string | null;
  at: string;
}

const view = (r: store.StoredRating): RatingView => ({ rating: r.rating, label: RATING_LABELS[r.rating], comment: r.comment, at: r.at.toISOString() });

export async function myRating(ctx: AppContext, principal: Principal, dossierId: string): Promise<{ canRate: boolean; rating: RatingView | null }> {
  const row = await loadForApplicant(ctx.db, principal, dossierId);
  const r = await store.getRating(ctx.db, row.id);
  return { canRate: !r && row.status === 'result_returned', rating: r ? view(r) : null };
}

export async function rateMyDossier(ctx: AppContext, principal: Principal, dossierId: string, input: { rating: unknown; comment?: string | null }): Promise<RatingView> {
  const comment = input.comment?.normalize('NFC').trim() || null;
  const now = ctx.now();
  return ctx.db.tx(async (q) => {
    const row = await loadForApplicant(q, principal, dossierId, true);
    const refusal = ratingRefusal({ status: row.status, alreadyRated: (await store.getRating(q, row.id)) !== null, rating: input.rating, comment });
    if (refusal) throw RatingErrors[refusal]({ status: row.status });
    const rating = input.rating as Rating;
    if (!(await store.insertRating(q, { dossierId: row.id, rating, comment, ratedBy: principal.userId, at: now }))) throw RatingErrors.already_rated();
    await appendAuditEvent(q, {
      type: 'dossier.rated',
      at: now,
      actor: { userId: principal.userId, role: principal.role },
      agencyId: row.currentAgencyId,
      subjectType: 'dossier',
      subjectId: row.id,
      // The score only: the comment is the applicant's words, kept with the rating, not copied into the log.
      data: { rating, comment: comment !== null },
    });
    return view({ rating, comment, at: now });
  });
}
