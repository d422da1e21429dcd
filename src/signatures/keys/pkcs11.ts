import type * as Pkcs11Types from 'pkcs11js';
import { orderChain } from '../pki/pkcs12.ts';
import { certificateInfo } from '../pki/certificates.ts';
import { HASH_LENGTH, KeyBackendError, digestInfo, ecdsaRawToDer, type KeyBackend, type SignRequest } from './backend.ts';

type Pkcs11Module = typeof Pkcs11Types;

export interface Pkcs11Options {
  /** Path of the PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  module: string;
  /** Slot ID, or index in the list of slots with a token when no slot has that ID. */
  slot: number;
  /** CKA_LABEL of the private key; its certificate is found by CKA_ID (or the same label). */
  keyLabel: string;
  pin: string;
}

interface LoadedModule {
  lib: Pkcs11Types.PKCS11;
  users: number;
}

// C_Initialize may run once per library and process; backends on the same library share it.
const loaded = new Map<string, LoadedModule>();

async function binding(): Promise<Pkcs11Module> {
  try {
    return ((await import('pkcs11js')) as unknown as { default: Pkcs11Module }).default;
  } catch (e) {
    throw new KeyBackendError('PKCS11_UNAVAILABLE', `PKCS#11 support is not built (npm package pkcs11js): ${(e as Error).message}`);
  }
}

function p11code(e: unknown): number | undefined {
  return typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : undefined;
}

/** A key on a PKCS#11 token (HSM, USB token, SoftHSM2): the token signs digests (CKM_RSA_PKCS / CKM_ECDSA). */
export class Pkcs11Backend implements KeyBackend {
  readonly description: string;
  private closed = false;

  private constructor(
    private readonly p: Pkcs11Module,
    private readonly mod: LoadedModule,
    private readonly modulePath: string,
    private readonly session: Buffer,
    private readonly key: Buffer,
    readonly certificate: Uint8Array,
    readonly chain: Uint8Array[],
    readonly keyKind: 'RSA' | 'EC',
    slotLabel: string,
    keyLabel: string,
  ) {
    this.description = `PKCS#11 ${slotLabel} key "${keyLabel}"`;
  }

  static async open(o: Pkcs11Options): Promise<Pkcs11Backend> {
    const p = await binding();
    let mod = loaded.get(o.module);
    if (!mod) {
      const lib = new p.PKCS11();
      try {
        lib.load(o.module);
      } catch (e) {
        throw new KeyBackendError('PKCS11_MODULE', `cannot load PKCS#11 module ${o.module}: ${(e as Error).message}`);
      }
      try {
        lib.C_Initialize();
      } catch (e) {
        if (p11code(e) !== p.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw new KeyBackendError('PKCS11_MODULE', `PKCS#11 module ${o.module} failed to initialise: ${(e as Error).message}`);
      }
      mod = { lib, users: 0 };
      loaded.set(o.module, mod);
    }
    const lib = mod.lib;
    mod.users++;
    let session: Buffer | undefined;
    try {
      const slots = lib.C_GetSlotList(true);
      const slot = slots.find((s) => s.readUIntLE(0, Math.min(6, s.length)) === o.slot) ?? slots[o.slot];
      if (!slot) throw new KeyBackendError('PKCS11_SLOT', `no token in slot ${o.slot} (${slots.length} slots with a token)`);
      const token = lib.C_GetTokenInfo(slot);
      const slotLabel = `token "${token.label.trim()}"`;
      session = lib.C_OpenSession(slot, p.CKF_SERIAL_SESSION);
      try {
        lib.C_Login(session, p.CKU_USER, o.pin);
      } catch (e) {
        const code = p11code(e);
        if (code === p.CKR_PIN_INCORRECT) throw new KeyBackendError('PIN_INCORRECT', `wrong PIN for ${slotLabel}`);
        if (code === p.CKR_PIN_LOCKED) throw new KeyBackendError('PIN_LOCKED', `the PIN of ${slotLabel} is locked`);
        if (code !== p.CKR_USER_ALREADY_LOGGED_IN) throw new KeyBackendError('PKCS11_LOGIN', `login to ${slotLabel} failed: ${(e as Error).message}`);
      }
      const find = (template: Pkcs11Types.Template): Buffer[] => {
        lib.C_FindObjectsInit(session!, template);
        try {
          return lib.C_FindObjects(session!, 100);
        } finally {
          lib.C_FindObjectsFinal(session!);
        }
      };
      const keys = find([{ type: p.CKA_CLASS, value: p.CKO_PRIVATE_KEY }, { type: p.CKA_LABEL, value: o.keyLabel }]);
      if (!keys.length) throw new KeyBackendError('PKCS11_KEY', `no private key labelled "${o.keyLabel}" on ${slotLabel}`);
      const key = keys[0]!;
      const [idAttr, typeAttr] = lib.C_GetAttributeValue(session, key, [{ type: p.CKA_ID }, { type: p.CKA_KEY_TYPE }]);
      const keyType = (typeAttr!.value as Buffer).readUIntLE(0, Math.min(6, (typeAttr!.value as Buffer).length));
      const keyKind = keyType === p.CKK_RSA ? 'RSA' : keyType === p.CKK_EC ? 'EC' : undefined;
      if (!keyKind) throw new KeyBackendError('PKCS11_KEY', `key "${o.keyLabel}" is neither RSA nor EC`);
      const certValue = (h: Buffer): Uint8Array => new Uint8Array(lib.C_GetAttributeValue(session!, h, [{ type: p.CKA_VALUE }])[0]!.value as Buffer);
      const id = idAttr!.value as Buffer | undefined;
      let certs = id?.length ? find([{ type: p.CKA_CLASS, value: p.CKO_CERTIFICATE }, { type: p.CKA_ID, value: id }]) : [];
      if (!certs.length) certs = find([{ type: p.CKA_CLASS, value: p.CKO_CERTIFICATE }, { type: p.CKA_LABEL, value: o.keyLabel }]);
      if (!certs.length) throw new KeyBackendError('PKCS11_CERT', `no certificate for key "${o.keyLabel}" on ${slotLabel}`);
      const certificate = certValue(certs[0]!);
      // CA certificates stored on the token complete the chain.
      const others = find([{ type: p.CKA_CLASS, value: p.CKO_CERTIFICATE }])
        .map(certValue)
        .filter((c) => Buffer.compare(Buffer.from(c), Buffer.from(certificate)) !== 0)
        .filter((c) => {
          try {
            return certificateInfo(c).isCa;
          } catch {
            return false;
          }
        });
      return new Pkcs11Backend(p, mod, o.module, session, key, certificate, orderChain(certificate, others), keyKind, slotLabel, o.keyLabel);
    } catch (e) {
      if (session) {
        try {
          lib.C_CloseSession(session);
        } catch {
          // the session is unusable anyway
        }
      }
      Pkcs11Backend.release(o.module);
      throw e;
    }
  }

  private static release(modulePath: string): void {
    const mod = loaded.get(modulePath);
    if (!mod) return;
    mod.users--;
    if (mod.users <= 0) {
      loaded.delete(modulePath);
      try {
        mod.lib.C_Finalize();
      } catch {
        // finalising is best effort at shutdown
      }
    }
  }

  async sign(r: SignRequest): Promise<Uint8Array> {
    if (this.closed) throw new KeyBackendError('CLOSED', `${this.description} is closed`);
    if (r.digest.length !== HASH_LENGTH[r.hash]) throw new KeyBackendError('BAD_DIGEST', `digest length ${r.digest.length} does not fit ${r.hash}`);
    const lib = this.mod.lib;
    const input = this.keyKind === 'RSA' ? digestInfo(r.hash, r.digest) : r.digest;
    const mechanism = this.keyKind === 'RSA' ? this.p.CKM_RSA_PKCS : this.p.CKM_ECDSA;
    try {
      lib.C_SignInit(this.session, { mechanism }, this.key);
      const out = lib.C_Sign(this.session, Buffer.from(input), Buffer.alloc(1024));
      const sig = new Uint8Array(out);
      return this.keyKind === 'EC' ? ecdsaRawToDer(sig) : sig;
    } catch (e) {
      throw new KeyBackendError('PKCS11_SIGN', `${this.description}: signing failed: ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.mod.lib.C_Logout(this.session);
    } catch {
      // already logged out (another session of the same token may have logged out first)
    }
    try {
      this.mod.lib.C_CloseSession(this.session);
    } finally {
      Pkcs11Backend.release(this.modulePath);
    }
  }
}
