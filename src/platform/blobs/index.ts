import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { BlobStore } from './blob-store.ts';
import { FileBlobStore } from './file-store.ts';
import { S3BlobStore } from './s3-store.ts';

export * from './blob-store.ts';
export { FileBlobStore } from './file-store.ts';
export { S3BlobStore, parseS3Url } from './s3-store.ts';
export { sweepOrphanBlobs } from './sweeper.ts';

export function openBlobStore(config: Pick<Config, 'blobStore' | 'dataDir' | 's3Endpoint' | 's3Region' | 's3ForcePathStyle'>): BlobStore {
  if (config.blobStore === 'file') return new FileBlobStore(join(config.dataDir, 'blobs'));
  return new S3BlobStore({
    url: config.blobStore,
    endpoint: config.s3Endpoint,
    region: config.s3Region,
    forcePathStyle: config.s3ForcePathStyle,
  });
}
