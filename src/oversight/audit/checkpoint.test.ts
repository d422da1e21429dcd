import { describe, expect, it } from 'vitest';
import { generateKey, issueCertificate, writePkcs12 } from '../../signatures/pki/index.ts';
import { P12Backend } from '../../signatures/keys/p12.ts';
import pino from 'pino';
import type { AppContext } from '../../platform/context.ts';
import { openTestDb } from '../../../test/support/db.ts';
import {
  backendCheckpointSigner,
  CheckpointSequenceVerifier,
  listCheckpoints,
  signCheckpoint,
  verifyCheckpoints,
  type CheckpointRecord,
  type CheckpointSigner,
} from './checkpoint.ts';
import { startAuditCheckpointer } from './checkpointer.ts';
import { GENESIS_HASH } from './rules.ts';
import { appendAuditEvent } from './store.ts';
import { makeTestSeal } from './testing.ts';
import { verifyAuditLog } from './verify.ts';

const seal = makeTestSeal();
const other = makeTestSeal();
const trust = { sealAnchors: [seal.root], tsaAnchors: [seal.root] };

async function series(signer: CheckpointSigner, counts: number[]): Promise<CheckpointRecord[]> {
  const out: CheckpointRecord[] = [];
  for (const [i, eventCount] of counts.entries()) {
    out.push(
      await signCheckpoint(signer, {
        id: i + 1,
        at: new Date(Date.now() - (counts.length - i) * 1000),
        eventCount,
        headHash: String(i % 10).repeat(64),
        prevCheckpointHash: out[i - 1]?.checkpointHash ?? GENESIS_HASH,
      }),
    );
  }
  return out;
}

const problemsOf = (records: CheckpointRecord[], t = trust) =>
  verifyCheckpoints(records, t).flatMap((c) => c.problems.map((p) => [p.checkpointId, p.reason]));

describe('checkpoint signatures', () => {
  it('verifies a chained, signed and timestamped series', async () => {
    const checks = verifyCheckpoints(await series(seal.signer, [0, 5, 9]), { ...trust, requireTimestamp: true });
    expect(checks.flatMap((c) => c.problems)).toEqual([]);
    expect(checks[2]!.signer).toContain('Trung tâm Phục vụ hành chính công');
    expect(checks[2]!.timestampedAt).toBeInstanceOf(Date);
  });

  it('reports a changed count or head as a bad signature', async () => {
    const r = await series(seal.signer, [3, 5]);
    expect(problemsOf([r[0]!, { ...r[1]!, eventCount: 6 }])).toEqual([
      [2, 'record'],
      [2, 'signature'],
    ]);
    expect(problemsOf([{ ...r[0]!, headHash: 'f'.repeat(64) }, r[1]!])).toContainEqual([1, 'signature']);
  });

  it('reports flipped signature bits, and a timestamp that then covers another signature', async () => {
    const [cp] = await series(seal.signer, [1]);
    const signature = new Uint8Array(cp!.signature);
    signature[10]! ^= 0x01;
    const problems = problemsOf([{ ...cp!, signature }]);
    expect(problems).toContainEqual([1, 'signature']);
    expect(problems).toContainEqual([1, 'timestamp']);
  });

  it('reports a seal from another PKI as untrusted, and a corrupt timestamp token', async () => {
    const [cp] = await series(other.signer, [1]);
    expect(problemsOf([cp!])).toEqual([
      [1, 'certificate'],
      [1, 'timestamp'],
    ]);
    expect(problemsOf([cp!], { sealAnchors: [other.root], tsaAnchors: [other.root] })).toEqual([]);
    const token = new Uint8Array(cp!.timestampToken!);
    token[token.length - 5]! ^= 0xff;
    expect(problemsOf([{ ...cp!, timestampToken: token }], { sealAnchors: [other.root], tsaAnchors: [other.root] })).toEqual([[1, 'timestamp']]);
  });

  it('requires a timestamp only when asked', async () => {
    const [cp] = await series(seal.untimestampedSigner, [1]);
    expect(problemsOf([cp!])).toEqual([]);
    expect(verifyCheckpoints([cp!], { ...trust, requireTimestamp: true })[0]!.problems).toEqual([{ checkpointId: 1, reason: 'timestamp', detail: 'missing' }]);
  });

  it('reports a removed, replaced or regressing checkpoint', async () => {
    const r = await series(seal.signer, [2, 4, 8, 9]);
    expect(problemsOf([r[0]!, r[2]!, r[3]!])).toEqual([[3, 'sequence']]);
    const replacement = (await series(seal.signer, [2, 4]))[1]!;
    expect(problemsOf([r[0]!, replacement, r[2]!])).toEqual([
      [2, 'link'],
      [3, 'link'],
    ]);
    const shrinking = await series(seal.signer, [5, 3]);
    expect(problemsOf(shrinking)).toEqual([[2, 'regressed']]);
  });

  it('carries the sequence across batches and checks each checkpoint against the seal validity', async () => {
    const r = await series(seal.signer, [1, 2, 3, 4]);
    const v = new CheckpointSequenceVerifier(trust);
    expect(v.check([r[0]!]).flatMap((c) => c.problems)).toEqual([]);
    expect(v.check([r[1]!, r[2]!]).flatMap((c) => c.problems)).toEqual([]);
    const gapped = new CheckpointSequenceVerifier(trust);
    gapped.check([r[0]!, r[1]!]);
    expect(gapped.check([r[3]!]).flatMap((c) => c.problems.map((p) => p.reason))).toEqual(['sequence']);
    // Signed "before" the seal certificate existed (a backdated checkpoint): the same chain, cached, is refused then.
    const early = await signCheckpoint(seal.signer, { ...r[0]!, id: 5, prevCheckpointHash: r[3]!.checkpointHash, at: new Date(Date.now() - 3 * 3600_000), eventCount: 5 });
    expect(v.check([r[3]!, early]).flatMap((c) => c.problems.map((p) => [p.checkpointId, p.reason]))).toEqual([[5, 'certificate']]);
  });

  it('signs through a key backend (RSA PKCS#12) as well', async () => {
    const k = generateKey({ kind: 'rsa', bits: 2048 });
    const certificate = issueCertificate({
      profile: 'seal',
      subject: { commonName: 'RSA seal', organization: 'hoso Test', country: 'VN' },
      publicKey: k.publicKey,
      issuer: { certificate: seal.root, privateKey: seal.rootKey },
      notBefore: new Date(Date.now() - 3600_000),
      notAfter: new Date(Date.now() + 3600_000),
    });
    const backend = P12Backend.fromBytes(writePkcs12({ privateKey: k.privateKey, certificate, chain: [seal.root], password: 'pw' }), 'pw');
    const records = await series(backendCheckpointSigner(backend), [1, 2]);
    expect(problemsOf(records)).toEqual([]);
  });
});

describe('startAuditCheckpointer', () => {
  it('signs on demand and on its timer, skips when idle, and stops cleanly', async () => {
    const t = await openTestDb();
    try {
      const ctx = { db: t.db, log: pino({ level: 'silent' }), now: () => new Date() } as unknown as AppContext;
      const cp = startAuditCheckpointer(ctx, 1000, seal.signer);
      expect(await cp.runNow()).toMatchObject({ id: 1, eventCount: 0 });
      expect(await cp.runNow()).toBeNull();
      await t.db.tx((q) => appendAuditEvent(q, { type: 'config.changed', at: new Date(), data: { key: 'x' } }));
      // The timer fires within about a second; wait for its checkpoint without asserting how long it took.
      for (let i = 0; i < 200 && (await listCheckpoints(t.db)).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      await cp.stop();
      expect((await listCheckpoints(t.db)).map((c) => c.eventCount)).toEqual([0, 1]);
      expect((await verifyAuditLog(t.db, { trust })).ok).toBe(true);
      expect(() => startAuditCheckpointer(ctx, 10, seal.signer)).toThrow(/at least 1000 ms/);
    } finally {
      await t.cleanup();
    }
  });

  it('logs a failing signer and keeps going', async () => {
    const t = await openTestDb();
    try {
      const errors: unknown[] = [];
      const log = { info: () => undefined, error: (o: unknown) => errors.push(o) };
      const ctx = { db: t.db, log, now: () => new Date() } as unknown as AppContext;
      const failing: CheckpointSigner = { sign: async () => Promise.reject(new Error('TSA unreachable')) };
      const cp = startAuditCheckpointer(ctx, 60_000, failing);
      expect(await cp.runNow()).toBeNull();
      await cp.stop();
      expect(errors).toHaveLength(1);
      expect(await listCheckpoints(t.db)).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });
});
