/**
 * Satisfaction ratings (QĐ 766 indicator 5.4): the scale, its words, and who may rate when. Pure.
 */
import type { LocalizedText } from '../../platform/http/problem.ts';

export const RATINGS = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof RATINGS)[number];

/** The scale as the national portal words it: 1 very dissatisfied … 5 very satisfied. */
export const RATING_LABELS: Readonly<Record<Rating, LocalizedText>> = Object.freeze({
  1: { vi: 'Rất không hài lòng', en: 'Very dissatisfied' },
  2: { vi: 'Không hài lòng', en: 'Dissatisfied' },
  3: { vi: 'Bình thường', en: 'Neutral' },
  4: { vi: 'Hài lòng', en: 'Satisfied' },
  5: { vi: 'Rất hài lòng', en: 'Very satisfied' },
});

/** A rating of 1 or 2 counts with confirmed complaints against indicator 5.4 ("dislikes"). */
export const DISLIKE_AT_MOST: Rating = 2;

export type RatingRefusal = 'not_delivered' | 'already_rated' | 'bad_rating' | 'comment_too_long';

/** Whether the applicant may rate now: once, after the result reached them (status 10). */
export function ratingRefusal(input: { status: string; alreadyRated: boolean; rating: unknown; comment: string | null }): RatingRefusal | null {
  if (!RATINGS.includes(input.rating as Rating)) return 'bad_rating';
  if (input.comment !== null && input.comment.length > 2000) return 'comment_too_long';
  if (input.status !== 'result_returned') return 'not_delivered';
  if (input.alreadyRated) return 'already_rated';
  return null;
}
