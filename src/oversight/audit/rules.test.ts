import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ChainVerifier,
  GENESIS_HASH,
  canonicalJson,
  chainHash,
  checkpointPayloadBytes,
  verifyChain,
  type AuditEventContent,
  type ChainEvent,
  type CheckpointClaim,
} from './rules.ts';

function content(seq: number, data: Record<string, unknown> = { n: seq }): AuditEventContent {
  return {
    seq,
    at: new Date(Date.UTC(2026, 10, 22, 8, 0, seq)),
    type: 'dossier.received',
    actorId: 'u1',
    actorRole: 'counter_officer',
    agencyId: null,
    subjectType: 'dossier',
    subjectId: `D-${seq}`,
    data,
  };
}

/** A well-formed chain of `n` events, as appendAuditEvent would have written it. */
function chain(n: number): ChainEvent[] {
  const out: ChainEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const c = content(seq);
    const hash = chainHash(prev, c);
    out.push({ ...c, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

const claim = (events: ChainEvent[], id: number, count: number): CheckpointClaim => ({
  id,
  at: new Date(),
  eventCount: count,
  headHash: count === 0 ? GENESIS_HASH : events[count - 1]!.hash,
});

const headOf = (events: ChainEvent[]) => ({ seq: events.length, hash: events[events.length - 1]?.hash ?? GENESIS_HASH });

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
  it('is the same for any key order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });
});

describe('verifyChain', () => {
  it('accepts an untouched chain with its head and checkpoints', () => {
    const ev = chain(20);
    const r = verifyChain(ev, [claim(ev, 1, 0), claim(ev, 2, 7), claim(ev, 3, 20)], { head: headOf(ev) });
    expect(r).toEqual({ ok: true, firstBreak: null, verifiedThrough: 20, checkpointsMatched: 3 });
  });

  it('accepts the empty log', () => {
    expect(verifyChain([], [], { head: { seq: 0, hash: GENESIS_HASH } }).ok).toBe(true);
  });

  it('reports an edited row as altered at its seq', () => {
    const ev = chain(10);
    ev[4] = { ...ev[4]!, data: { n: 999 } };
    const r = verifyChain(ev, [], { head: headOf(ev) });
    expect(r.firstBreak).toMatchObject({ kind: 'altered', seq: 5, storedHash: ev[4]!.hash });
    expect(r.verifiedThrough).toBe(4);
  });

  it.each([
    ['type', { type: 'dossier.refused' }],
    ['time', { at: new Date(0) }],
    ['actor', { actorId: 'u2' }],
    ['role', { actorRole: 'admin' }],
    ['agency', { agencyId: '00000000-0000-0000-0000-000000000001' }],
    ['subject type', { subjectType: 'user' }],
    ['subject id', { subjectId: 'D-x' }],
  ])('covers the %s column with the hash', (_name, change) => {
    const ev = chain(3);
    ev[1] = { ...ev[1]!, ...change };
    expect(verifyChain(ev, [], { head: headOf(ev) }).firstBreak).toMatchObject({ kind: 'altered', seq: 2 });
  });

  it('reports an edited and re-hashed row at the next link, naming both hashes', () => {
    const ev = chain(10);
    const edited = { ...ev[4]!, data: { n: 999 } };
    ev[4] = { ...edited, hash: chainHash(edited.prevHash, edited) };
    const r = verifyChain(ev, [], { head: headOf(ev) });
    expect(r.firstBreak).toEqual({ kind: 'broken-link', seq: 6, expectedPrevHash: ev[4]!.hash, actualPrevHash: ev[5]!.prevHash });
  });

  it('reports a deleted middle row as a gap', () => {
    const ev = chain(10);
    ev.splice(6, 1);
    expect(verifyChain(ev, [], { head: headOf(chain(10)) }).firstBreak).toEqual({
      kind: 'gap',
      seq: 8,
      afterSeq: 6,
      missingFrom: 7,
      missingTo: 7,
    });
  });

  it('reports a deleted first row and several deleted rows', () => {
    const ev = chain(10);
    expect(verifyChain(ev.slice(1), []).firstBreak).toEqual({ kind: 'gap', seq: 2, afterSeq: null, missingFrom: 1, missingTo: 1 });
    const cut = [...ev.slice(0, 3), ...ev.slice(6)];
    expect(verifyChain(cut, []).firstBreak).toMatchObject({ kind: 'gap', afterSeq: 3, missingFrom: 4, missingTo: 6 });
  });

  it('reports a deleted row whose successors were renumbered as a broken link', () => {
    const ev = chain(10);
    const renumbered = [...ev.slice(0, 3), ...ev.slice(4).map((e) => ({ ...e, seq: e.seq - 1 }))];
    expect(verifyChain(renumbered, []).firstBreak).toMatchObject({ kind: 'broken-link', seq: 4 });
  });

  it('reports two swapped rows as reordered, naming where each belongs', () => {
    const ev = chain(10);
    const a = ev[4]!;
    const b = ev[5]!;
    ev[4] = { ...b, seq: 5 };
    ev[5] = { ...a, seq: 6 };
    expect(verifyChain(ev, []).firstBreak).toEqual({ kind: 'reordered', seq: 5, chainedAfterSeq: 6, expectedNextAtSeq: 6 });
  });

  it('reports a row moved far away as reordered', () => {
    const ev = chain(10);
    // Row 3 and row 9 trade places.
    const three = ev[2]!;
    const nine = ev[8]!;
    ev[2] = { ...nine, seq: 3 };
    ev[8] = { ...three, seq: 9 };
    expect(verifyChain(ev, []).firstBreak).toEqual({ kind: 'reordered', seq: 3, chainedAfterSeq: 8, expectedNextAtSeq: 9 });
  });

  it('reports rows out of seq order in the input', () => {
    const ev = chain(5);
    expect(verifyChain([ev[0]!, ev[2]!, ev[1]!], []).firstBreak).toMatchObject({ kind: 'gap', seq: 3 });
    expect(verifyChain([ev[0]!, ev[1]!, ev[0]!], []).firstBreak).toEqual({ kind: 'out-of-order', seq: 1, afterSeq: 2 });
  });

  it('reports a truncated tail against the head', () => {
    const ev = chain(10);
    expect(verifyChain(ev.slice(0, 7), [], { head: headOf(ev) }).firstBreak).toEqual({
      kind: 'missing-tail',
      lastSeq: 7,
      expectedSeq: 10,
      evidence: 'head',
      checkpointId: null,
    });
  });

  it('reports a truncated tail against a checkpoint when the head was rolled back too', () => {
    const ev = chain(10);
    const kept = ev.slice(0, 6);
    const r = verifyChain(kept, [claim(ev, 1, 4), claim(ev, 2, 9)], { head: headOf(kept) });
    expect(r.firstBreak).toEqual({ kind: 'missing-tail', lastSeq: 6, expectedSeq: 9, evidence: 'checkpoint', checkpointId: 2 });
    expect(r.checkpointsMatched).toBe(1);
  });

  it('reports a head that is behind or different from the last row', () => {
    const ev = chain(10);
    expect(verifyChain(ev, [], { head: { seq: 9, hash: ev[8]!.hash } }).firstBreak).toMatchObject({ kind: 'head-mismatch', headSeq: 9, lastSeq: 10 });
    expect(verifyChain(ev, [], { head: { seq: 10, hash: 'f'.repeat(64) } }).firstBreak).toMatchObject({ kind: 'head-mismatch', headSeq: 10 });
  });

  it('catches a consistently re-hashed tail at the first checkpoint after the edit', () => {
    const ev = chain(12);
    // Edit row 6 and re-hash everything after it: links and hashes are all consistent again.
    ev[5] = { ...ev[5]!, data: { n: -1 } };
    for (let i = 5; i < ev.length; i++) {
      const prevHash = i === 0 ? GENESIS_HASH : ev[i - 1]!.hash;
      ev[i] = { ...ev[i]!, prevHash, hash: chainHash(prevHash, ev[i]!) };
    }
    const original = chain(12);
    const r = verifyChain(ev, [claim(original, 1, 4), claim(original, 2, 8), claim(original, 3, 12)], { head: headOf(ev) });
    expect(r.firstBreak).toEqual({
      kind: 'checkpoint-mismatch',
      checkpointId: 2,
      eventCount: 8,
      signedHash: original[7]!.hash,
      computedHash: ev[7]!.hash,
      sinceSeq: 5,
    });
    expect(r.verifiedThrough).toBe(8);
  });

  it('checks a checkpoint at count 0 against the genesis hash', () => {
    const ev = chain(2);
    const r = verifyChain(ev, [{ id: 1, at: new Date(), eventCount: 0, headHash: 'a'.repeat(64) }]);
    expect(r.firstBreak).toMatchObject({ kind: 'checkpoint-mismatch', checkpointId: 1, eventCount: 0, sinceSeq: 0 });
  });

  it('verifies a range from a trusted starting row, ignoring checks beyond its end', () => {
    const ev = chain(20);
    const r = verifyChain(ev.slice(5, 15), [claim(ev, 1, 5), claim(ev, 2, 10), claim(ev, 3, 18)], {
      start: { nextSeq: 6, prevHash: ev[4]!.hash },
      atEndOfLog: false,
      head: headOf(ev),
    });
    expect(r).toEqual({ ok: true, firstBreak: null, verifiedThrough: 15, checkpointsMatched: 2 });
  });

  it('reports the first break only, even with several tamperings', () => {
    const ev = chain(10);
    ev[7] = { ...ev[7]!, data: { n: 0 } };
    ev.splice(2, 1);
    expect(verifyChain(ev, []).firstBreak).toMatchObject({ kind: 'gap', missingFrom: 3 });
  });

  it('gives the same answer whatever the batch size (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom('edit', 'delete', 'swap', 'none'),
        fc.integer({ min: 0, max: 1000 }),
        (n, batch, tamper, pick) => {
          const ev = chain(n);
          const i = pick % n;
          if (tamper === 'edit') ev[i] = { ...ev[i]!, data: { n: 'x' } };
          if (tamper === 'delete' && n > 1) ev.splice(i, 1);
          if (tamper === 'swap' && i + 1 < n) {
            const a = ev[i]!;
            ev[i] = { ...ev[i + 1]!, seq: a.seq };
            ev[i + 1] = { ...a, seq: a.seq + 1 };
          }
          const whole = verifyChain(ev, []).firstBreak;
          const v = new ChainVerifier();
          for (let k = 0; k < ev.length && !v.result && !v.pendingLinkBreak; k += batch) v.push(ev.slice(k, k + batch));
          if (v.pendingLinkBreak) {
            const p = v.pendingLinkBreak;
            v.resolveLinkBreak({
              chainedAfterSeq: ev.find((e) => e.hash === p.actualPrevHash)?.seq ?? null,
              expectedNextAtSeq: ev.find((e) => e.prevHash === p.expectedPrevHash)?.seq ?? null,
            });
          }
          expect(v.finish({ atEndOfLog: true })).toEqual(whole);
          if (tamper === 'none') expect(whole).toBeNull();
          else if (!(tamper === 'delete' && (n === 1 || i === n - 1)) && !(tamper === 'swap' && i + 1 >= n)) expect(whole).not.toBeNull();
        },
      ),
    );
  });
});

describe('checkpointPayloadBytes', () => {
  it('is canonical JSON with a type tag and every field', () => {
    const text = new TextDecoder().decode(
      checkpointPayloadBytes({ id: 3, at: new Date('2026-11-22T08:00:00.123Z'), eventCount: 42, headHash: 'a'.repeat(64), prevCheckpointHash: 'b'.repeat(64) }),
    );
    expect(text).toBe(
      `{"at":"2026-11-22T08:00:00.123Z","eventCount":42,"headHash":"${'a'.repeat(64)}","id":3,"prevCheckpointHash":"${'b'.repeat(64)}","type":"hoso.audit.checkpoint","version":1}`,
    );
  });
});
