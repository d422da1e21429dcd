import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/support/db.ts';
import { BlobIntegrityError, BlobNotFoundError, sha256Hex, type BlobStore } from './blob-store.ts';
import { FileBlobStore } from './file-store.ts';
import { S3BlobStore, parseS3Url } from './s3-store.ts';
import { sweepOrphanBlobs } from './sweeper.ts';

const hello = new TextEncoder().encode('Xin chào — hồ sơ điện tử');

function contract(name: string, make: () => Promise<{ store: BlobStore; corrupt(sha: string): Promise<void> }>) {
  describe(`${name} blob store`, () => {
    it('stores by sha256, reads back verified, and is idempotent', async () => {
      const { store } = await make();
      const a = await store.put(hello);
      const b = await store.put(hello);
      expect(a).toEqual({ sha256: sha256Hex(hello), size: hello.byteLength });
      expect(b).toEqual(a);
      expect(Buffer.from(await store.get(a.sha256)).equals(Buffer.from(hello))).toBe(true);
      expect(await store.has(a.sha256)).toBe(true);
      const listed = [];
      for await (const x of store.list()) listed.push(x.sha256);
      expect(listed).toEqual([a.sha256]);
      await store.check();
    });

    it('reports a missing blob and refuses a corrupted one', async () => {
      const { store, corrupt } = await make();
      await expect(store.get('0'.repeat(64))).rejects.toBeInstanceOf(BlobNotFoundError);
      const { sha256 } = await store.put(hello);
      await corrupt(sha256);
      await expect(store.get(sha256)).rejects.toBeInstanceOf(BlobIntegrityError);
      await store.delete(sha256);
      expect(await store.has(sha256)).toBe(false);
    });

    it('rejects keys that are not sha256 hex', async () => {
      const { store } = await make();
      await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a sha256 key/);
    });
  });
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

contract('file', async () => {
  const root = await mkdtemp(join(tmpdir(), 'hoso-blobs-'));
  dirs.push(root);
  return {
    store: new FileBlobStore(root),
    corrupt: async (sha) => writeFile(join(root, sha.slice(0, 2), sha.slice(2, 4), sha), 'tampered'),
  };
});

describe('S3-compatible store (in-process s3rver)', () => {
  let server: S3rver;
  let endpoint = '';
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hoso-s3-'));
    dirs.push(root);
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: root, configureBuckets: [{ name: 'hoso', configs: [] }] });
    const { port } = (await server.run()) as { port: number };
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await server.close();
  });

  let n = 0;
  contract('s3', async () => {
    const prefix = `run${n++}`;
    const store = new S3BlobStore({
      url: `s3://hoso/${prefix}`,
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    return {
      store,
      // Overwrite the object under the same key with other bytes, as a disk fault or an intruder would.
      corrupt: async (sha) => {
        const raw = new S3BlobStore({
          url: `s3://hoso/${prefix}`,
          endpoint,
          region: 'us-east-1',
          forcePathStyle: true,
          credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        }) as unknown as { client: { send(c: unknown): Promise<unknown> } };
        const { PutObjectCommand } = await import('@aws-sdk/client-s3');
        await raw.client.send(new PutObjectCommand({ Bucket: 'hoso', Key: `${prefix}/${sha.slice(0, 2)}/${sha}`, Body: 'tampered' }));
      },
    };
  });

  it('parses bucket and prefix', () => {
    expect(parseS3Url('s3://bucket/a/b/')).toEqual({ bucket: 'bucket', prefix: 'a/b/' });
    expect(parseS3Url('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
  });
});

describe('orphan sweeper', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('removes only unreferenced blobs older than the grace period', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hoso-sweep-'));
    dirs.push(root);
    const store = new FileBlobStore(root);
    const referenced = await store.put(new TextEncoder().encode('referenced'));
    const orphanOld = await store.put(new TextEncoder().encode('orphan, old'));
    const orphanNew = await store.put(new TextEncoder().encode('orphan, in flight'));
    await t.db.query('INSERT INTO blob (sha256, size, media_type) VALUES ($1, $2, $3)', [
      referenced.sha256,
      referenced.size,
      'text/plain',
    ]);
    const old = new Date(Date.now() - 3 * 24 * 3600 * 1000);
    for (const b of [referenced, orphanOld]) {
      await utimes(join(root, b.sha256.slice(0, 2), b.sha256.slice(2, 4), b.sha256), old, old);
    }
    // Temporaries of puts that died mid-write: the old one goes, the fresh one may still be renamed into place.
    const staleTmp = join(root, '.tmp-stale');
    const freshTmp = join(root, '.tmp-fresh');
    await writeFile(staleTmp, 'torn');
    await writeFile(freshTmp, 'being written');
    await utimes(staleTmp, old, old);
    const r = await sweepOrphanBlobs(t.db, store, { graceSeconds: 24 * 3600, now: new Date() });
    expect(r.scanned).toBe(3);
    expect(r.temporaries).toBe(1);
    expect((await readdir(root)).filter((f) => f.startsWith('.tmp-'))).toEqual(['.tmp-fresh']);
    await rm(freshTmp);
    expect(r.removed).toEqual([orphanOld.sha256]);
    expect(await store.has(referenced.sha256)).toBe(true);
    expect(await store.has(orphanNew.sha256)).toBe(true);
    expect(await store.has(orphanOld.sha256)).toBe(false);
    expect((await readdir(root)).some((f) => f.startsWith('.tmp-'))).toBe(false);
  });

  it('counts the grace period of a blob put again from the new put', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hoso-sweep-'));
    dirs.push(root);
    const store = new FileBlobStore(root);
    const bytes = new TextEncoder().encode('uploaded twice, referenced by a row about to commit');
    const first = await store.put(bytes);
    const old = new Date(Date.now() - 3 * 24 * 3600 * 1000);
    await utimes(join(root, first.sha256.slice(0, 2), first.sha256.slice(2, 4), first.sha256), old, old);
    expect(await store.put(bytes)).toEqual(first);
    const r = await sweepOrphanBlobs(t.db, store, { graceSeconds: 24 * 3600, now: new Date() });
    expect(r.removed).toEqual([]);
    expect(Buffer.from(await store.get(first.sha256)).equals(Buffer.from(bytes))).toBe(true);
    expect((await readdir(root)).some((f) => f.startsWith('.tmp-'))).toBe(false);
  });
});
