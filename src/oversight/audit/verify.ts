import type { Queryable } from '../../platform/db/db.ts';
import {
  CheckpointSequenceVerifier, type CheckpointCheck, type CheckpointProblem, type CheckpointTrust, listCheckpoints,
} from './checkpoint.ts';
import { listAuditEvents } from './store.ts';
import { ChainVerifier, GENESIS_HASH, type ChainBreak, type ChainEvent, type CheckpointClaim } from './rules.ts';

export interface AuditVerifyOptions {
  /** First seq to check (default 1). The row before it is taken as given; the chain is checked from there on. */
  fromSeq?: number;
  /** Last seq to check (default: the end of the log, which also checks the head and every later checkpoint). */
  toSeq?: number;
  /** Time bounds, turned into seq bounds by the events' `at`. */
  fromTime?: Date;
  toTime?: Date;
  /** Rows per query (default 5,000): memory stays flat however long the log is. */
  batchSize?: number;
  trust?: CheckpointTrust;
}

export interface AuditVerification {
  ok: boolean;
  fromSeq: number;
  /** Last seq asked for; null means to the end of the log. */
  toSeq: number | null;
  rowsChecked: number;
  /** Seq of the last row whose link and hash are verified. */
  verifiedThrough: number;
  head: { seq: number; hash: string } | null;
  firstBreak: ChainBreak | null;
  checkpoints: {
    total: number;
    /** Checkpoints whose count falls in the verified range (all of them beyond its start when it runs to the end). */
    inRange: number;
    /** Checkpoints whose signed head was compared with the recomputed chain and matched. */
    matched: number;
    latest: { id: number; at: Date; eventCount: number; signer: string | null; timestampedAt: Date | null } | null;
    problems: CheckpointProblem[];
  };
}

/** Turns the time bounds into seq bounds (events are appended in time order up to clock skew between writers). */
async function resolveRange(q: Queryable, o: AuditVerifyOptions): Promise<{ fromSeq: number; toSeq: number | null }> {
  let fromSeq = o.fromSeq ?? 1;
  let toSeq = o.toSeq ?? null;
  if (o.fromTime) {
    const r = await q.query<{ seq: number | null }>('SELECT min(seq) AS seq FROM audit_event WHERE at >= $1', [o.fromTime]);
    const s = r.rows[0]?.seq;
    // No event at or after the start: the range is empty, which is expressed as starting past the end.
    fromSeq = Math.max(fromSeq, s === null || s === undefined ? Number.MAX_SAFE_INTEGER : Number(s));
  }
  if (o.toTime) {
    const r = await q.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM audit_event WHERE at <= $1', [o.toTime]);
    const s = r.rows[0]?.seq;
    const bound = s === null || s === undefined ? 0 : Number(s);
    toSeq = toSeq === null ? bound : Math.min(toSeq, bound);
  }
  return { fromSeq: Math.max(1, fromSeq), toSeq };
}

/**
 * Recomputes the audit chain from the database in seq order, batch by batch, checks every checkpoint's signature,
 * timestamp and signed head, and reports the first broken link. Read-only: it can run against a live system.
 */
export async function verifyAuditLog(q: Queryable, options: AuditVerifyOptions = {}): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? 5_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new Error('batchSize must be a positive integer');
  const { fromSeq, toSeq } = await resolveRange(q, options);
  const atEndOfLog = toSeq === null;
  const headRow = (await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1')).rows[0];
  const head = headRow ? { seq: Number(headRow.seq), hash: headRow.hash } : null;

  // Checkpoints are read page by page too; only their claims (id, count, head) are kept for the chain pass.
  const checkpointVerifier = new CheckpointSequenceVerifier(options.trust);
  const records: CheckpointClaim[] = [];
  const problems: CheckpointProblem[] = [];
  let latest: CheckpointCheck | null = null;
  for (let afterId = 0; ; ) {
    const page = await listCheckpoints(q, { afterId, limit: 500 });
    if (!page.length) break;
    for (const c of checkpointVerifier.check(page)) {
      problems.push(...c.problems);
      latest = c;
    }
    for (const r of page) records.push({ id: r.id, at: r.at, eventCount: r.eventCount, headHash: r.headHash });
    afterId = page[page.length - 1]!.id;
    if (page.length < 500) break;
  }

  // Start from the stored row before the range (trusted as the range's anchor), or from genesis.
  let start = { nextSeq: 1, prevHash: GENESIS_HASH };
  if (fromSeq > 1) {
    const before = (
      await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_event WHERE seq < $1 ORDER BY seq DESC LIMIT 1', [fromSeq])
    ).rows[0];
    if (before) start = { nextSeq: Number(before.seq) + 1, prevHash: before.hash };
  }
  const verifier = new ChainVerifier(start, records);
  const upper = toSeq ?? Number.MAX_SAFE_INTEGER;
  const fetchAfter = async (after: number): Promise<ChainEvent[]> =>
    after >= upper ? [] : listAuditEvents(q, { fromSeq: after + 1, toSeq: upper, limit: batchSize });
  // The next batch is fetched while this one is hashed, so the database and the CPU work at the same time.
  let next: Promise<ChainEvent[]> | null = fetchAfter(start.nextSeq - 1);
  try {
    while (next) {
      const rows: ChainEvent[] = await next;
      next = null;
      if (!rows.length) break;
      if (rows.length === batchSize) next = fetchAfter(Number(rows[rows.length - 1]!.seq));
      verifier.push(rows);
      const pending = verifier.pendingLinkBreak;
      if (pending) {
        // The rows involved lie outside this batch: find where the hashes in question are stored.
        const chainedAfter = await q.query<{ seq: number }>('SELECT seq FROM audit_event WHERE hash = $1', [pending.actualPrevHash]);
        const expectedNext = await q.query<{ seq: number }>('SELECT seq FROM audit_event WHERE prev_hash = $1 ORDER BY seq LIMIT 1', [
          pending.expectedPrevHash,
        ]);
        verifier.resolveLinkBreak({
          chainedAfterSeq: chainedAfter.rows[0] ? Number(chainedAfter.rows[0].seq) : null,
          expectedNextAtSeq: expectedNext.rows[0] ? Number(expectedNext.rows[0].seq) : null,
        });
      }
      if (verifier.result) break;
    }
  } finally {
    // Never leave a prefetch running on a connection the caller is about to close.
    if (next) await (next as Promise<ChainEvent[]>).catch(() => []);
  }
  const firstBreak = verifier.finish({ atEndOfLog, head });
  return {
    ok: firstBreak === null && problems.length === 0,
    fromSeq: start.nextSeq === 1 ? 1 : fromSeq,
    toSeq,
    rowsChecked: verifier.rowsChecked,
    verifiedThrough: verifier.verifiedThrough,
    head,
    firstBreak,
    checkpoints: {
      total: records.length,
      inRange: records.filter((c) => c.eventCount >= start.nextSeq - 1 && (toSeq === null || c.eventCount <= toSeq)).length,
      matched: verifier.checkpointsMatched,
      latest: latest
        ? { id: latest.id, at: latest.at, eventCount: latest.eventCount, signer: latest.signer, timestampedAt: latest.timestampedAt }
        : null,
      problems,
    },
  };
}
