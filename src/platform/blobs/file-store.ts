import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BlobNotFoundError,
  assertSha256,
  sha256Hex,
  verifyBlob,
  type BlobListing,
  type BlobStore,
  type StoredBlob,
} from './blob-store.ts';

/** Blobs as files `root/ab/cd/<sha256>`; written to a temp file, fsynced, then renamed, so a crash leaves no torn blob. */
export class FileBlobStore implements BlobStore {
  readonly kind = 'file' as const;
  /** Fan-out directories known to exist, so a write does not ask the file system again. */
  private readonly madeDirs = new Set<string>();
  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Uint8Array): Promise<StoredBlob> {
    const sha256 = sha256Hex(bytes);
    const path = this.pathOf(sha256);
    // No look first: the rename below replaces a blob already there with the same bytes, atomically, and the new
    // file's age gives this reference the sweeper's full grace period too. A look costs a system call (and an error
    // object) on every new blob, to save a write only on the rare repeated one.
    const dir = join(this.root, sha256.slice(0, 2), sha256.slice(2, 4));
    if (!this.madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    const tmp = join(this.root, `.tmp-${randomUUID()}`);
    // flush: fsync before the file is closed, so the rename below never exposes bytes still only in memory.
    await writeFile(tmp, bytes, { flag: 'wx', mode: 0o640, flush: true });
    try {
      await rename(tmp, path);
    } catch (err) {
      // The directory went away since it was made (someone cleared the store): make it again.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(dir, { recursive: true });
      await rename(tmp, path);
    }
    return { sha256, size: bytes.byteLength };
  }

  async get(sha256: string): Promise<Uint8Array> {
    assertSha256(sha256);
    try {
      return verifyBlob(sha256, await readFile(this.pathOf(sha256)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(sha256);
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    assertSha256(sha256);
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async delete(sha256: string): Promise<void> {
    assertSha256(sha256);
    await rm(this.pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<BlobListing> {
    let level1: string[];
    try {
      level1 = await readdir(this.root);
    } catch {
      return;
    }
    for (const a of level1.filter((d) => /^[0-9a-f]{2}$/.test(d))) {
      for (const b of (await readdir(join(this.root, a))).filter((d) => /^[0-9a-f]{2}$/.test(d))) {
        for (const name of await readdir(join(this.root, a, b))) {
          if (!/^[0-9a-f]{64}$/.test(name)) continue;
          const s = await stat(join(this.root, a, b, name));
          yield { sha256: name, size: s.size, storedAt: s.mtime };
        }
      }
    }
  }

  async removeStaleTemporaries(cutoff: Date): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names.filter((n) => n.startsWith('.tmp-') || n.startsWith('.probe-'))) {
      const path = join(this.root, name);
      try {
        if ((await stat(path)).mtime.getTime() > cutoff.getTime()) continue;
        await rm(path, { force: true });
        removed++;
      } catch (err) {
        // Renamed into place (or removed) by a concurrent writer between readdir and stat: nothing to do.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return removed;
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const probe = join(this.root, `.probe-${randomUUID()}`);
    const handle = await open(probe, 'wx');
    await handle.close();
    await unlink(probe);
  }
}
