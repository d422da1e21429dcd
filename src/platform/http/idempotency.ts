import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../db/db.ts';
import { canonicalJson } from '../../oversight/audit/rules.ts';
import { Problems, defineError } from './problem.ts';

export const IdempotencyKeyInvalid = defineError('IDEMPOTENCY_KEY_INVALID', 400, {
  vi: 'Khóa Idempotency-Key không hợp lệ (8–128 ký tự chữ, số, dấu gạch)',
  en: 'Invalid Idempotency-Key (8–128 letters, digits, dashes or underscores)',
});

export interface IdempotentResponse<T> {
  status: number;
  body: T;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(key)) throw IdempotencyKeyInvalid();
  return key;
}

/**
 * Runs `work` exactly once per (principal, key): the key row is inserted in the same transaction as the work, so a
 * concurrent duplicate waits on the unique key and then replays the stored answer, and a crash before commit leaves
 * neither the work nor the key. The same key with a different request body is refused.
 */
export async function runIdempotent<T>(
  db: Db,
  args: { key: string | undefined; principalId: string; route: string; fingerprint: string },
  work: (q: Queryable) => Promise<{ status: number; body: T }>,
): Promise<IdempotentResponse<T>> {
  if (!args.key) {
    const r = await db.tx(work);
    return { ...r, replayed: false };
  }
  return db.tx(async (q) => {
    const inserted = await q.query(
      `INSERT INTO idempotency_key (key, principal_id, route, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (principal_id, key) DO NOTHING RETURNING key`,
      [args.key, args.principalId, args.route, args.fingerprint],
    );
    if (inserted.rowCount === 0) {
      const prev = await q.query<{ route: string; request_hash: string; status_code: number | null; response: T | null }>(
        'SELECT route, request_hash, status_code, response FROM idempotency_key WHERE principal_id = $1 AND key = $2',
        [args.principalId, args.key],
      );
      const row = prev.rows[0];
      if (!row || row.route !== args.route || row.request_hash !== args.fingerprint) throw Problems.idempotencyMismatch();
      if (row.status_code === null) throw Problems.conflict();
      return { status: row.status_code, body: row.response as T, replayed: true };
    }
    const result = await work(q);
    await q.query('UPDATE idempotency_key SET status_code = $3, response = $4 WHERE principal_id = $1 AND key = $2', [
      args.principalId,
      args.key,
      result.status,
      JSON.stringify(result.body),
    ]);
    return { ...result, replayed: false };
  });
}
