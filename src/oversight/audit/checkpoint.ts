import { createHash, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import {
  type HashName, certificateInfo, nodeHash, publicKeyOfCertificate, signData, verifyChain as verifyCertificatePath,
} from '../../signatures/pki/index.ts';
import { type TimestampSource, verifyTimeStampToken } from '../../signatures/tsa/index.ts';
import type { KeyBackend } from '../../signatures/keys/backend.ts';
import { GENESIS_HASH, checkpointHash, checkpointPayloadBytes, type CheckpointClaim, type CheckpointPayload } from './rules.ts';

/**
 * Signs checkpoint bytes with the system seal. A plain signature plus the signer's certificate chain keeps the
 * checkpoint verifiable offline with nothing but the certificates; the optional RFC 3161 token (over
 * sha256(signature)) proves the signature existed at the TSA's time.
 */
export interface CheckpointSigner {
  sign(bytes: Uint8Array): Promise<{
    signature: Uint8Array;
    /** DER certificates, signer first. */
    certificateChain: Uint8Array[];
    timestampToken?: Uint8Array;
    /** Hash the signature was made with; SHA-256 when absent. */
    hash?: HashName;
  }>;
}

/**
 * A signer over an in-process private key (the seal's PKCS#12, a test key). RSA signatures are PKCS#1 v1.5 and
 * ECDSA signatures DER, as node:crypto makes them. With a timestamp source, every signature is also timestamped;
 * a TSA failure fails the checkpoint rather than silently producing an untimestamped one.
 */
export function keyCheckpointSigner(o: {
  privateKey: KeyObject;
  certificateChain: Uint8Array[];
  hash?: HashName;
  timestamps?: TimestampSource;
}): CheckpointSigner {
  if (!o.certificateChain.length) throw new Error('a checkpoint signer needs its certificate');
  const hash = o.hash ?? 'SHA-256';
  return {
    async sign(bytes) {
      const signature = signData(o.privateKey, hash, bytes);
      const timestampToken = o.timestamps
        ? await o.timestamps.timestamp(new Uint8Array(createHash('sha256').update(signature).digest()), 'SHA-256')
        : undefined;
      return { signature, certificateChain: o.certificateChain, timestampToken, hash };
    },
  };
}

/** A stored checkpoint row. */
export interface CheckpointRecord extends CheckpointClaim {
  prevCheckpointHash: string;
  signatureHash: HashName;
  signature: Uint8Array;
  certificateChain: Uint8Array[];
  timestampToken: Uint8Array | null;
  checkpointHash: string;
}

interface CheckpointRow {
  id: number;
  at: Date | string;
  event_count: number;
  head_hash: string;
  prev_checkpoint_hash: string;
  signature_hash: string;
  signature: Uint8Array;
  certificate_chain: Uint8Array[];
  timestamp_token: Uint8Array | null;
  checkpoint_hash: string;
}

function toRecord(r: CheckpointRow): CheckpointRecord {
  return {
    id: Number(r.id),
    at: new Date(r.at),
    eventCount: Number(r.event_count),
    headHash: r.head_hash,
    prevCheckpointHash: r.prev_checkpoint_hash,
    signatureHash: r.signature_hash as HashName,
    signature: new Uint8Array(r.signature),
    certificateChain: r.certificate_chain.map((c) => new Uint8Array(c)),
    timestampToken: r.timestamp_token ? new Uint8Array(r.timestamp_token) : null,
    checkpointHash: r.checkpoint_hash,
  };
}

export async function listCheckpoints(q: Queryable, page: { afterId?: number; limit?: number } = {}): Promise<CheckpointRecord[]> {
  const r = await q.query<CheckpointRow>('SELECT * FROM audit_checkpoint WHERE id > $1 ORDER BY id LIMIT $2', [
    page.afterId ?? 0,
    page.limit ?? 1_000_000,
  ]);
  return r.rows.map(toRecord);
}

export async function lastCheckpoint(q: Queryable): Promise<CheckpointRecord | null> {
  const r = await q.query<CheckpointRow>('SELECT * FROM audit_checkpoint ORDER BY id DESC LIMIT 1');
  return r.rows[0] ? toRecord(r.rows[0]) : null;
}

/** Signs a checkpoint payload: the record to store, whose checkpoint hash the next checkpoint chains to. */
export async function signCheckpoint(signer: CheckpointSigner, p: CheckpointPayload): Promise<CheckpointRecord> {
  const payload = checkpointPayloadBytes(p);
  const signed = await signer.sign(payload);
  return {
    ...p,
    signatureHash: signed.hash ?? 'SHA-256',
    signature: signed.signature,
    certificateChain: signed.certificateChain,
    timestampToken: signed.timestampToken ?? null,
    checkpointHash: checkpointHash(payload, signed.signature),
  };
}

/** Arbitrary constant: one checkpoint writer at a time across processes (several servers may run the timer). */
const CHECKPOINT_LOCK_KEY = 7_260_440;

/**
 * Signs and stores a checkpoint of the current head. Without `force`, nothing is written when no event was appended
 * since the last checkpoint (a timer then costs nothing on an idle system). Appends are not blocked: the head is
 * read as committed, and the lock only orders checkpoint writers.
 */
export async function createCheckpoint(
  db: { tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> },
  signer: CheckpointSigner,
  now: Date,
  options: { force?: boolean } = {},
): Promise<{ created: boolean; checkpoint: CheckpointRecord | null }> {
  return db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [CHECKPOINT_LOCK_KEY]);
    const prev = await lastCheckpoint(q);
    const head = (await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1')).rows[0];
    if (!head) throw new Error('audit_head row is missing: the audit log was not initialised');
    const eventCount = Number(head.seq);
    if (prev && prev.eventCount === eventCount && !options.force) return { created: false, checkpoint: prev };
    const id = (prev?.id ?? 0) + 1;
    const prevCheckpointHash = prev?.checkpointHash ?? GENESIS_HASH;
    // Timestamps are stored with microsecond precision but JS dates carry milliseconds, so the signed value survives.
    const record = await signCheckpoint(signer, { id, at: now, eventCount, headHash: head.hash, prevCheckpointHash });
    await q.query(
      `INSERT INTO audit_checkpoint (id, at, event_count, head_hash, prev_checkpoint_hash, signature_hash, signature,
         certificate_chain, timestamp_token, checkpoint_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        record.id,
        record.at,
        record.eventCount,
        record.headHash,
        record.prevCheckpointHash,
        record.signatureHash,
        Buffer.from(record.signature),
        record.certificateChain.map((c) => Buffer.from(c)),
        record.timestampToken ? Buffer.from(record.timestampToken) : null,
        record.checkpointHash,
      ],
    );
    return { created: true, checkpoint: record };
  });
}

export type CheckpointProblem = {
  checkpointId: number;
  reason: 'signature' | 'certificate' | 'timestamp' | 'sequence' | 'link' | 'regressed' | 'record';
  detail: string;
};

export interface CheckpointCheck {
  id: number;
  at: Date;
  eventCount: number;
  signer: string | null;
  /** TSA time, when the checkpoint carries a valid timestamp. */
  timestampedAt: Date | null;
  problems: CheckpointProblem[];
}

export interface CheckpointTrust {
  /** Roots the seal certificate must chain to; empty or absent: the chain is not checked (reported as such). */
  sealAnchors?: Uint8Array[];
  /** Roots the TSA certificate must chain to; empty or absent: the TSA chain is not checked. */
  tsaAnchors?: Uint8Array[];
  /** Require every checkpoint to carry a timestamp. */
  requireTimestamp?: boolean;
}

function verifyWith(publicKey: KeyObject, hash: HashName, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return nodeVerify(nodeHash(hash), data, publicKey, signature);
  } catch {
    return false;
  }
}

const HASHES: readonly string[] = ['SHA-256', 'SHA-384', 'SHA-512'];

/**
 * Checks checkpoints on their own (signature over the rebuilt payload, certificate path, timestamp imprint and
 * signature) and as a sequence (dense ids, each chained to the previous, counts never decreasing), fed in id
 * order batch by batch so that years of checkpoints never have to be in memory at once. Whether each
 * checkpoint's head matches the events is the chain verifier's part.
 *
 * Certificates repeat from one checkpoint to the next, so each distinct chain is parsed and path-checked once
 * (at the first checkpoint that uses it); every checkpoint is still checked against its signer's validity period.
 */
export class CheckpointSequenceVerifier {
  private prev: CheckpointRecord | null = null;
  private readonly signers = new Map<string, { subject: string; publicKey: KeyObject; notBefore: Date; notAfter: Date; pathError: string | null }>();
  private readonly tsaPaths = new Map<string, string | null>();

  constructor(private readonly trust: CheckpointTrust = {}) {}

  private signerOf(chain: Uint8Array[], at: Date) {
    const key = chain.map((c) => Buffer.from(c).toString('base64')).join('.');
    let s = this.signers.get(key);
    if (!s) {
      const leaf = chain[0]!;
      const info = certificateInfo(leaf);
      let pathError: string | null = null;
      if (this.trust.sealAnchors?.length) {
        const path = verifyCertificatePath({ certificate: leaf, intermediates: chain.slice(1), anchors: this.trust.sealAnchors, at });
        pathError = path.ok ? null : (path.error ?? 'no path to a trust anchor');
      }
      s = { subject: info.subject, publicKey: publicKeyOfCertificate(leaf), notBefore: info.notBefore, notAfter: info.notAfter, pathError };
      this.signers.set(key, s);
    }
    return s;
  }

  check(batch: readonly CheckpointRecord[]): CheckpointCheck[] {
    const out: CheckpointCheck[] = [];
    for (const r of [...batch].sort((a, b) => a.id - b.id)) {
      const problems: CheckpointProblem[] = [];
      const add = (reason: CheckpointProblem['reason'], detail: string) => problems.push({ checkpointId: r.id, reason, detail });
      const prev = this.prev;
      const expectedId = (prev?.id ?? 0) + 1;
      if (r.id !== expectedId) add('sequence', `#${expectedId}–#${r.id - 1}`);
      const expectedPrev = r.id === 1 ? GENESIS_HASH : prev && prev.id === r.id - 1 ? prev.checkpointHash : null;
      if (expectedPrev !== null && r.prevCheckpointHash !== expectedPrev) add('link', r.prevCheckpointHash);
      if (prev && r.eventCount < prev.eventCount) add('regressed', `${r.eventCount} < ${prev.eventCount}`);

      const payload = checkpointPayloadBytes(r);
      if (checkpointHash(payload, r.signature) !== r.checkpointHash) add('record', 'checkpoint_hash');
      let signer: string | null = null;
      if (!r.certificateChain.length) add('signature', 'no certificate');
      else if (!HASHES.includes(r.signatureHash)) add('signature', `unsupported hash ${r.signatureHash}`);
      else {
        try {
          const s = this.signerOf(r.certificateChain, r.at);
          signer = s.subject;
          if (!verifyWith(s.publicKey, r.signatureHash, payload, r.signature)) add('signature', `signer ${signer}`);
          if (this.trust.sealAnchors?.length) {
            if (s.pathError) add('certificate', s.pathError);
            else if (r.at < s.notBefore || r.at > s.notAfter) add('certificate', `certificate is not valid at ${r.at.toISOString()}`);
          }
        } catch (err) {
          add('signature', `unreadable certificate: ${(err as Error).message}`);
        }
      }

      let timestampedAt: Date | null = null;
      if (r.timestampToken) {
        try {
          const info = verifyTimeStampToken(r.timestampToken);
          const imprint = createHash(nodeHash(info.hash)).update(r.signature).digest();
          if (!Buffer.from(info.imprint).equals(imprint)) add('timestamp', 'the token does not cover this signature');
          else if (this.trust.tsaAnchors?.length && info.signerCertificate) {
            const key = Buffer.from(info.signerCertificate).toString('base64');
            if (!this.tsaPaths.has(key)) {
              const path = verifyCertificatePath({ certificate: info.signerCertificate, intermediates: info.certificates, anchors: this.trust.tsaAnchors, at: info.genTime });
              this.tsaPaths.set(key, path.ok ? null : (path.error ?? 'no path to a trust anchor'));
            }
            const error = this.tsaPaths.get(key);
            if (error) add('timestamp', `TSA certificate: ${error}`);
            else timestampedAt = info.genTime;
          } else timestampedAt = info.genTime;
        } catch (err) {
          add('timestamp', (err as Error).message);
        }
      } else if (this.trust.requireTimestamp) add('timestamp', 'missing');

      out.push({ id: r.id, at: r.at, eventCount: r.eventCount, signer, timestampedAt, problems });
      this.prev = r;
    }
    return out;
  }
}

/** Whole-array form of `CheckpointSequenceVerifier`. */
export function verifyCheckpoints(records: readonly CheckpointRecord[], trust: CheckpointTrust = {}): CheckpointCheck[] {
  return new CheckpointSequenceVerifier(trust).check(records);
}

/**
 * A signer over a signatures-room key backend (PKCS#12 file, PKCS#11 token, remote signing service): the seal's
 * key never has to be in this process. The backend gets the message too, so in-process ECDSA works.
 */
export function backendCheckpointSigner(backend: KeyBackend, o: { hash?: HashName; timestamps?: TimestampSource } = {}): CheckpointSigner {
  const hash = o.hash ?? 'SHA-256';
  return {
    async sign(bytes) {
      const digest = new Uint8Array(createHash(nodeHash(hash)).update(bytes).digest());
      const signature = await backend.sign({ hash, digest, message: bytes });
      const timestampToken = o.timestamps
        ? await o.timestamps.timestamp(new Uint8Array(createHash('sha256').update(signature).digest()), 'SHA-256')
        : undefined;
      return { signature, certificateChain: [backend.certificate, ...backend.chain], timestampToken, hash };
    },
  };
}
