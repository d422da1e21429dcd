import type { Queryable } from '../../platform/db/db.ts';
import type { Rating } from './rules.ts';

export interface StoredRating {
  rating: Rating;
  comment: string | null;
  at: Date;
}

export async function getRating(q: Queryable, dossierId: string): Promise<StoredRating | null> {
  const r = await q.query<{ rating: number; comment: string | null; at: Date }>('SELECT rating, comment, at FROM dossier_rating WHERE dossier_id = $1', [dossierId]);
  const x = r.rows[0];
  return x ? { rating: x.rating as Rating, comment: x.comment, at: new Date(x.at) } : null;
}

/** False when the dossier was rated meanwhile (one rating per dossier). */
export async function insertRating(q: Queryable, r: { dossierId: string; rating: Rating; comment: string | null; ratedBy: string; at: Date }): Promise<boolean> {
  const res = await q.query(
    'INSERT INTO dossier_rating (dossier_id, rating, comment, rated_by, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dossier_id) DO NOTHING',
    [r.dossierId, r.rating, r.comment, r.ratedBy, r.at],
  );
  return (res.rowCount ?? 0) > 0;
}
