import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventContent {
  seq: number;
  at: Date;
  type: string;
  actorId: string | null;
  actorRole: string | null;
  agencyId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  data: Record<string, unknown>;
}

/** JSON with object keys sorted at every level, so the same content always hashes the same after a DB round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash_n = sha256(hash_{n-1} || canonical content_n). */
export function chainHash(prevHash: string, event: AuditEventContent): string {
  const content = canonicalJson({
    seq: event.seq,
    at: event.at.toISOString(),
    type: event.type,
    actorId: event.actorId,
    actorRole: event.actorRole,
    agencyId: event.agencyId,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    data: event.data,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** An event as stored: its content plus the two hashes that chain it. */
export interface ChainEvent extends AuditEventContent {
  prevHash: string;
  hash: string;
}

/** What a checkpoint claims about the chain: after `eventCount` events, the head hash was `headHash`. */
export interface CheckpointClaim {
  id: number;
  at: Date;
  eventCount: number;
  headHash: string;
}

/**
 * The first place where the stored log disagrees with itself or with a checkpoint. Every kind names the rows
 * involved so an operator can look at them directly.
 */
export type ChainBreak =
  /** Row `seq`'s content no longer hashes to its stored hash: it was edited in place. */
  | { kind: 'altered'; seq: number; storedHash: string; computedHash: string }
  /** Rows `missingFrom..missingTo` are absent between `afterSeq` (null: start of log) and `seq`. */
  | { kind: 'gap'; seq: number; afterSeq: number | null; missingFrom: number; missingTo: number }
  /** Row `seq` was chained after the row now at `chainedAfterSeq` instead of after `seq - 1`: rows were moved. */
  | { kind: 'reordered'; seq: number; chainedAfterSeq: number; expectedNextAtSeq: number | null }
  /** Row `seq` is not chained to its predecessor, and no stored row has the hash it was chained after. */
  | { kind: 'broken-link'; seq: number; expectedPrevHash: string; actualPrevHash: string }
  /** Input rows were not in increasing seq order (only from callers passing arbitrary arrays). */
  | { kind: 'out-of-order'; seq: number; afterSeq: number }
  /** The log ends at `lastSeq` although the head or a checkpoint says it reached `expectedSeq`. */
  | { kind: 'missing-tail'; lastSeq: number; expectedSeq: number; evidence: 'head' | 'checkpoint'; checkpointId: number | null }
  /** The head row disagrees with the last stored row (rows appended around the head, or the head was rewritten). */
  | { kind: 'head-mismatch'; headSeq: number; headHash: string; lastSeq: number; lastHash: string }
  /**
   * The recomputed chain at `eventCount` differs from what checkpoint `checkpointId` signed: rows in
   * `sinceSeq..eventCount` were changed and the chain re-hashed to hide it.
   */
  | { kind: 'checkpoint-mismatch'; checkpointId: number; eventCount: number; signedHash: string; computedHash: string; sinceSeq: number };

export interface ChainStart {
  /** The seq the first row must have (1 for the whole log). */
  nextSeq: number;
  /** The hash the first row must be chained after (GENESIS_HASH for the whole log). */
  prevHash: string;
}

/** What a link break looked like, for classification; `chainedAfterSeq` is where the row's prev_hash is found. */
export interface LinkBreakFacts {
  seq: number;
  expectedPrevHash: string;
  actualPrevHash: string;
  /** Seq of the stored row whose hash equals the row's prev_hash, or null when no row has it. */
  chainedAfterSeq: number | null;
  /** Seq of the stored row chained after the expected predecessor, or null when none is. */
  expectedNextAtSeq: number | null;
}

/** A row chained after an existing row other than its predecessor was moved; otherwise the link itself is broken. */
export function classifyLinkBreak(f: LinkBreakFacts): ChainBreak {
  if (f.chainedAfterSeq !== null && f.chainedAfterSeq !== f.seq - 1) {
    return { kind: 'reordered', seq: f.seq, chainedAfterSeq: f.chainedAfterSeq, expectedNextAtSeq: f.expectedNextAtSeq };
  }
  return { kind: 'broken-link', seq: f.seq, expectedPrevHash: f.expectedPrevHash, actualPrevHash: f.actualPrevHash };
}

/**
 * Recomputes the chain over rows fed in increasing seq order, batch by batch, and stops at the first break.
 * It holds only the running hash and the checkpoint claims, so memory stays flat whatever the log's length.
 * Checks per row, in this order: seq continuity (gap), link to the predecessor (reordered / broken link),
 * hash of the content (altered), then any checkpoint signed at that count.
 */
export class ChainVerifier {
  private nextSeq: number;
  private prevHash: string;
  private readonly firstSeq: number;
  private readonly claims: CheckpointClaim[];
  private claimIndex = 0;
  private lastCheckpointCount: number;
  private broken: ChainBreak | null = null;
  /** Facts of a link break found at a batch edge, awaiting the caller's lookup (see `pendingLinkBreak`). */
  private pending: LinkBreakFacts | null = null;
  rowsChecked = 0;
  checkpointsMatched = 0;

  constructor(start: ChainStart = { nextSeq: 1, prevHash: GENESIS_HASH }, checkpoints: CheckpointClaim[] = []) {
    this.nextSeq = start.nextSeq;
    this.prevHash = start.prevHash;
    this.firstSeq = start.nextSeq;
    this.claims = [...checkpoints].filter((c) => c.eventCount >= start.nextSeq - 1).sort((a, b) => a.eventCount - b.eventCount || a.id - b.id);
    this.lastCheckpointCount = start.nextSeq - 1;
    // A checkpoint taken exactly at the start point is checked against the starting hash.
    this.matchClaims(start.nextSeq - 1, start.prevHash);
  }

  /** The first break found so far, or null. */
  get result(): ChainBreak | null {
    return this.broken;
  }

  /** Seq of the last row whose link and hash were verified (start − 1 when none). */
  get verifiedThrough(): number {
    return this.nextSeq - 1;
  }

  /** The running hash: the recomputed hash of the row at `verifiedThrough`. */
  get headHash(): string {
    return this.prevHash;
  }

  /**
   * A link break whose row's predecessor was not in the same batch: the caller looks up which stored rows carry
   * the hashes involved and calls `resolveLinkBreak` (the verifier itself never touches the database).
   */
  get pendingLinkBreak(): LinkBreakFacts | null {
    return this.pending;
  }

  resolveLinkBreak(lookup: { chainedAfterSeq: number | null; expectedNextAtSeq: number | null }): ChainBreak {
    if (!this.pending) throw new Error('no pending link break');
    this.broken = classifyLinkBreak({ ...this.pending, ...lookup });
    this.pending = null;
    return this.broken;
  }

  /** Feeds the next rows (increasing seq). Returns the first break, once found; later calls are ignored. */
  push(events: readonly ChainEvent[]): ChainBreak | null {
    if (this.broken || this.pending) return this.broken;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.seq < this.nextSeq) {
        this.broken = { kind: 'out-of-order', seq: e.seq, afterSeq: this.nextSeq - 1 };
        return this.broken;
      }
      if (e.seq > this.nextSeq) {
        const afterSeq = this.nextSeq - 1 >= 1 && this.nextSeq - 1 >= this.firstSeq - 1 ? this.nextSeq - 1 : null;
        this.broken = { kind: 'gap', seq: e.seq, afterSeq, missingFrom: this.nextSeq, missingTo: e.seq - 1 };
        return this.broken;
      }
      if (e.prevHash !== this.prevHash) {
        const facts: LinkBreakFacts = {
          seq: e.seq,
          expectedPrevHash: this.prevHash,
          actualPrevHash: e.prevHash,
          chainedAfterSeq: events.find((o) => o.hash === e.prevHash)?.seq ?? null,
          expectedNextAtSeq: events.find((o) => o.prevHash === this.prevHash)?.seq ?? null,
        };
        if (facts.chainedAfterSeq === null || facts.expectedNextAtSeq === null) {
          // Not decidable from this batch alone; the caller completes it from the whole log.
          this.pending = facts;
          return null;
        }
        this.broken = classifyLinkBreak(facts);
        return this.broken;
      }
      const computed = chainHash(this.prevHash, e);
      if (computed !== e.hash) {
        this.broken = { kind: 'altered', seq: e.seq, storedHash: e.hash, computedHash: computed };
        return this.broken;
      }
      this.prevHash = computed;
      this.nextSeq = e.seq + 1;
      this.rowsChecked++;
      if (this.matchClaims(e.seq, computed)) return this.broken;
    }
    return null;
  }

  /** Checks claims signed at `count`; sets and reports a mismatch. */
  private matchClaims(count: number, hash: string): boolean {
    while (this.claimIndex < this.claims.length && this.claims[this.claimIndex]!.eventCount <= count) {
      const c = this.claims[this.claimIndex]!;
      this.claimIndex++;
      if (c.eventCount < count) continue; // only reachable for claims before the start; filtered in the constructor
      if (c.headHash !== hash) {
        this.broken = {
          kind: 'checkpoint-mismatch',
          checkpointId: c.id,
          eventCount: c.eventCount,
          signedHash: c.headHash,
          computedHash: hash,
          sinceSeq: Math.min(this.lastCheckpointCount + 1, c.eventCount),
        };
        return true;
      }
      this.lastCheckpointCount = c.eventCount;
      this.checkpointsMatched++;
    }
    return false;
  }

  /**
   * Ends the pass. With `atEndOfLog` the rows fed were the whole tail, so the head row and every checkpoint beyond
   * the last row must agree with it; a range that stops earlier leaves those checks out.
   */
  finish(o: { atEndOfLog: boolean; head?: { seq: number; hash: string } | null }): ChainBreak | null {
    if (this.pending) {
      // The caller did not resolve the pending break: classify with what the batch showed.
      this.broken = classifyLinkBreak(this.pending);
      this.pending = null;
    }
    if (this.broken || !o.atEndOfLog) return this.broken;
    const lastSeq = this.nextSeq - 1;
    const beyond = this.claims.slice(this.claimIndex).filter((c) => c.eventCount > lastSeq);
    const furthest = beyond.reduce<CheckpointClaim | null>((m, c) => (m && m.eventCount >= c.eventCount ? m : c), null);
    if (o.head && o.head.seq > lastSeq && (!furthest || o.head.seq >= furthest.eventCount)) {
      this.broken = { kind: 'missing-tail', lastSeq, expectedSeq: o.head.seq, evidence: 'head', checkpointId: null };
      return this.broken;
    }
    if (furthest) {
      this.broken = { kind: 'missing-tail', lastSeq, expectedSeq: furthest.eventCount, evidence: 'checkpoint', checkpointId: furthest.id };
      return this.broken;
    }
    if (o.head && (o.head.seq !== lastSeq || o.head.hash !== this.prevHash)) {
      this.broken = { kind: 'head-mismatch', headSeq: o.head.seq, headHash: o.head.hash, lastSeq, lastHash: this.prevHash };
      return this.broken;
    }
    return null;
  }
}

/** Whole-array form of the verifier, for callers (and tests) that hold every row in memory. */
export function verifyChain(
  events: readonly ChainEvent[],
  checkpoints: readonly CheckpointClaim[] = [],
  options: { start?: ChainStart; head?: { seq: number; hash: string } | null; atEndOfLog?: boolean } = {},
): { ok: boolean; firstBreak: ChainBreak | null; verifiedThrough: number; checkpointsMatched: number } {
  const v = new ChainVerifier(options.start, [...checkpoints]);
  v.push(events);
  const firstBreak = v.finish({ atEndOfLog: options.atEndOfLog ?? true, head: options.head ?? null });
  return { ok: firstBreak === null, firstBreak, verifiedThrough: v.verifiedThrough, checkpointsMatched: v.checkpointsMatched };
}

/** What a checkpoint signs. Versioned so the format can evolve without making old checkpoints unverifiable. */
export interface CheckpointPayload {
  id: number;
  at: Date;
  eventCount: number;
  headHash: string;
  prevCheckpointHash: string;
}

/** The exact bytes signed for a checkpoint: canonical JSON with a type tag, so the signature cannot be replayed elsewhere. */
export function checkpointPayloadBytes(p: CheckpointPayload): Uint8Array {
  return new TextEncoder().encode(
    canonicalJson({
      type: 'hoso.audit.checkpoint',
      version: 1,
      id: p.id,
      at: p.at.toISOString(),
      eventCount: p.eventCount,
      headHash: p.headHash,
      prevCheckpointHash: p.prevCheckpointHash,
    }),
  );
}

/** Identifies a checkpoint (payload and signature) for the next checkpoint to chain after. */
export function checkpointHash(payload: Uint8Array, signature: Uint8Array): string {
  return createHash('sha256').update(payload).update('\n').update(signature).digest('hex');
}
