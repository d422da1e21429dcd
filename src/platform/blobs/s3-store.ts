import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  BlobNotFoundError,
  assertSha256,
  sha256Hex,
  verifyBlob,
  type BlobListing,
  type BlobStore,
  type StoredBlob,
} from './blob-store.ts';

export interface S3BlobStoreOptions {
  /** `s3://bucket/prefix` */
  url: string;
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`not an s3:// URL: ${url}`);
  const prefix = m[2]!.replace(/\/+$/, '');
  return { bucket: m[1]!, prefix: prefix ? `${prefix}/` : '' };
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** Blobs as objects `prefix/ab/<sha256>` in an S3-compatible bucket (credentials from the usual AWS_* variables). */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3BlobStoreOptions) {
    const { bucket, prefix } = parseS3Url(options.url);
    this.bucket = bucket;
    this.prefix = prefix;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private keyOf(sha256: string): string {
    return `${this.prefix}${sha256.slice(0, 2)}/${sha256}`;
  }

  async put(bytes: Uint8Array): Promise<StoredBlob> {
    const sha256 = sha256Hex(bytes);
    // Always PUT (same key, same bytes): it refreshes LastModified, which the sweeper's grace period relies on.
    {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.keyOf(sha256),
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: 'application/octet-stream',
        }),
      );
    }
    return { sha256, size: bytes.byteLength };
  }

  async get(sha256: string): Promise<Uint8Array> {
    assertSha256(sha256);
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
      const bytes = await r.Body!.transformToByteArray();
      return verifyBlob(sha256, bytes);
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(sha256);
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    assertSha256(sha256);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async delete(sha256: string): Promise<void> {
    assertSha256(sha256);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
  }

  async *list(): AsyncIterable<BlobListing> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        const name = o.Key?.slice(o.Key.lastIndexOf('/') + 1) ?? '';
        if (/^[0-9a-f]{64}$/.test(name)) yield { sha256: name, size: o.Size ?? 0, storedAt: o.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** A PutObject is atomic on S3: an interrupted upload leaves no object, so there is nothing to remove. */
  async removeStaleTemporaries(_cutoff: Date): Promise<number> {
    return 0;
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  destroy(): void {
    this.client.destroy();
  }
}
