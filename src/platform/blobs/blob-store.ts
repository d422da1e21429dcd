import { createHash } from 'node:crypto';

export interface StoredBlob {
  sha256: string;
  size: number;
}

export interface BlobListing extends StoredBlob {
  storedAt: Date;
}

/**
 * Content-addressed, write-once storage. Keys are the sha256 of the bytes, so a write of the same bytes is a no-op
 * and a read is verified against its key: a corrupted or swapped object is an error, never silently returned.
 */
export interface BlobStore {
  readonly kind: 'file' | 's3';
  put(bytes: Uint8Array): Promise<StoredBlob>;
  get(sha256: string): Promise<Uint8Array>;
  has(sha256: string): Promise<boolean>;
  delete(sha256: string): Promise<void>;
  list(): AsyncIterable<BlobListing>;
  /** Removes temporaries of writes that died before completing (crash mid-put) and were last touched before `cutoff`. */
  removeStaleTemporaries(cutoff: Date): Promise<number>;
  /** Throws when the store cannot be reached or written (readiness probe). */
  check(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  readonly code = 'BLOB_NOT_FOUND';
  constructor(readonly sha256: string) {
    super(`blob ${sha256} not found`);
  }
}

export class BlobIntegrityError extends Error {
  readonly code = 'BLOB_INTEGRITY';
  constructor(readonly sha256: string, readonly actual: string) {
    super(`blob ${sha256} is corrupt: its content hashes to ${actual}`);
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function assertSha256(sha256: string): void {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 key: ${JSON.stringify(sha256)}`);
}

export function verifyBlob(sha256: string, bytes: Uint8Array): Uint8Array {
  const actual = sha256Hex(bytes);
  if (actual !== sha256) throw new BlobIntegrityError(sha256, actual);
  return bytes;
}
