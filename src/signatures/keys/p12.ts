import { createHash, privateEncrypt, constants, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { nodeHash } from '../pki/asn1.ts';
import { keyKindOf, signInPool } from '../pki/keys.ts';
import { readPkcs12, Pkcs12Error } from '../pki/pkcs12.ts';
import { HASH_LENGTH, KeyBackendError, digestInfo, type KeyBackend, type SignRequest } from './backend.ts';

const OPENED_MAX = 256;
const opened = new Map<string, P12Backend>();

/** A key held in a PKCS#12 file (in-process signing with node:crypto). */
export class P12Backend implements KeyBackend {
  readonly keyKind: 'RSA' | 'EC';
  private constructor(
    readonly description: string,
    private readonly privateKey: KeyObject,
    readonly certificate: Uint8Array,
    readonly chain: Uint8Array[],
  ) {
    this.keyKind = keyKindOf(privateKey);
  }

  /**
   * Opening a PKCS#12 runs its password KDF (tens of milliseconds): a signing server opens the same few files for
   * every document, so an opened key is kept by the file's content and the password's hash. A replaced file has
   * other content and is opened afresh; a wrong password is never cached.
   */
  static fromBytes(bytes: Uint8Array, password: string, name = 'PKCS#12'): P12Backend {
    const key = createHash('sha256').update(bytes).update('\0').update(password, 'utf8').update('\0').update(name).digest('hex');
    const cached = opened.get(key);
    if (cached) return cached;
    try {
      const c = readPkcs12(bytes, password);
      const backend = new P12Backend(name, c.privateKey, c.certificate, c.chain);
      if (opened.size >= OPENED_MAX) opened.delete(opened.keys().next().value!);
      opened.set(key, backend);
      return backend;
    } catch (e) {
      if (e instanceof Pkcs12Error) throw new KeyBackendError('P12', `${name}: ${e.message}`);
      throw e;
    }
  }

  static async fromFile(path: string, password: string): Promise<P12Backend> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (e) {
      throw new KeyBackendError('P12', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return P12Backend.fromBytes(bytes, password, `PKCS#12 ${basename(path)}`);
  }

  async sign(r: SignRequest): Promise<Uint8Array> {
    if (r.digest.length !== HASH_LENGTH[r.hash]) throw new KeyBackendError('BAD_DIGEST', `digest length ${r.digest.length} does not fit ${r.hash}`);
    // The callback form runs in libuv's thread pool, so signatures overlap the main thread's PDF work.
    if (r.message) return signInPool(this.privateKey, r.hash, r.message);
    if (this.keyKind === 'RSA') {
      return new Uint8Array(privateEncrypt({ key: this.privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo(r.hash, r.digest)));
    }
    // node:crypto has no raw-digest ECDSA; the signing pipeline always passes the message for in-process keys.
    throw new KeyBackendError('NEEDS_MESSAGE', 'in-process ECDSA signing needs the message, not only its digest');
  }
}
