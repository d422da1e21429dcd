import type { Queryable } from '../db/db.ts';
import type { BlobStore } from './blob-store.ts';

/**
 * Removes stored blobs that no `blob` row references and that are older than the grace period. Blobs are written
 * before the transaction that records them; the grace period covers transactions still in flight, and anything
 * older without a row belongs to a transaction that rolled back or a process that died.
 */
export async function sweepOrphanBlobs(
  db: Queryable,
  store: BlobStore,
  options: { graceSeconds: number; now: Date },
): Promise<{ scanned: number; removed: string[]; temporaries: number }> {
  const cutoff = options.now.getTime() - options.graceSeconds * 1000;
  const candidates: string[] = [];
  let scanned = 0;
  for await (const b of store.list()) {
    scanned++;
    if (b.storedAt.getTime() <= cutoff) candidates.push(b.sha256);
  }
  const removed: string[] = [];
  for (let i = 0; i < candidates.length; i += 500) {
    const batch = candidates.slice(i, i + 500);
    const known = await db.query<{ sha256: string }>('SELECT sha256 FROM blob WHERE sha256 = ANY($1::text[])', [batch]);
    const referenced = new Set(known.rows.map((r) => r.sha256));
    for (const sha of batch) {
      if (referenced.has(sha)) continue;
      await store.delete(sha);
      removed.push(sha);
    }
  }
  const temporaries = await store.removeStaleTemporaries(new Date(cutoff));
  return { scanned, removed, temporaries };
}
