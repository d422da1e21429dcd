import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile, access, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fromPemAll, toPem } from './asn1.ts';
import { certificateInfo, issueCertificate, type NameSpec } from './certificates.ts';
import { createCrl, parseCrl, type RevokedEntry } from './crl.ts';
import { generateKey, type KeySpec } from './keys.ts';
import { readPkcs12, writePkcs12 } from './pkcs12.ts';

export interface DemoPersonSpec {
  id: string;
  commonName: string;
  organization: string;
  /** Defaults to RSA-2048. */
  key?: KeySpec;
  /** Listed on the agency CA's CRL (to exercise revocation checks). */
  revoked?: boolean;
}

export interface DemoSealSpec {
  id: string;
  organization: string;
  key?: KeySpec;
  revoked?: boolean;
}

export interface DemoPkiSpec {
  people: DemoPersonSpec[];
  seals: DemoSealSpec[];
  /** Locality written into end-entity names; default "Hà Nội". */
  locality?: string;
}

export interface DemoCertAndKey {
  certificate: Uint8Array;
  certPath: string;
  privateKey: KeyObject;
  keyPath: string;
}

export interface DemoSigner {
  id: string;
  p12Path: string;
  password: string;
  certificate: Uint8Array;
  /** [agency CA, root]. */
  chain: Uint8Array[];
  serialHex: string;
}

export interface DemoPki {
  dir: string;
  root: DemoCertAndKey;
  agencyCa: DemoCertAndKey;
  tsa: DemoCertAndKey & { chain: Uint8Array[] };
  ocsp: DemoCertAndKey;
  people: Record<string, DemoSigner>;
  seals: Record<string, DemoSigner>;
  crls: { root: Uint8Array; rootPath: string; agency: Uint8Array; agencyPath: string };
  /** Certificates to trust: the demo root only. */
  trustAnchors: Uint8Array[];
  /** Every CA certificate (agency CA and root), for chain building. */
  caCertificates: Uint8Array[];
}

const YEAR = 365 * 24 * 3600 * 1000;

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** Writes through a temporary name so that a crash never leaves half a key; secrets get mode 0600. */
async function writeAtomic(path: string, data: string | Uint8Array, secret: boolean): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data, { mode: secret ? 0o600 : 0o644 });
  if (secret) await chmod(tmp, 0o600);
  await rename(tmp, path);
}

async function certAndKey(
  dir: string,
  name: string,
  make: () => { certificate: Uint8Array; privateKey: KeyObject },
): Promise<DemoCertAndKey> {
  const certPath = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}.key.pem`);
  if ((await exists(certPath)) && (await exists(keyPath))) {
    const certificate = fromPemAll(await readFile(certPath, 'utf8'), 'CERTIFICATE')[0];
    if (!certificate) throw new Error(`${certPath} holds no certificate`);
    const privateKey = createPrivateKey(await readFile(keyPath, 'utf8'));
    return { certificate, certPath, privateKey, keyPath };
  }
  const made = make();
  await writeAtomic(keyPath, made.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, true);
  await writeAtomic(certPath, toPem('CERTIFICATE', made.certificate), false);
  return { ...made, certPath, keyPath };
}

function safeId(id: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(id) || id.startsWith('.')) throw new Error(`invalid demo PKI id "${id}" (letters, digits, _ . - only)`);
  return id;
}

/**
 * Creates (or reuses) the demo PKI in `dir`: root CA "hoso Demo Root CA", an agency CA, one PKCS#12 per person and
 * per agency seal, a TSA certificate (critical EKU timeStamping), an OCSP responder and CRLs. Private keys are
 * written only under `dir` with mode 0600. Existing files are reused; missing ones are added.
 */
export async function createDemoPki(dir: string, spec: DemoPkiSpec, now: Date = new Date()): Promise<DemoPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Serialise creators: in this process by promise chain, across processes (several workers starting at once) by
  // an exclusive lock file, so two of them never issue different roots into the same folder.
  const previous = inProcess.get(dir) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => { release = r; });
  inProcess.set(dir, previous.then(() => mine));
  await previous;
  const lock = join(dir, '.lock');
  try {
    await acquireLock(lock);
    try {
      return await createUnlocked(dir, spec, now);
    } finally {
      await rm(lock, { force: true });
    }
  } finally {
    release();
  }
}

const inProcess = new Map<string, Promise<void>>();

async function acquireLock(path: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const h = await open(path, 'wx', 0o600);
      await h.writeFile(String(process.pid));
      await h.close();
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock older than two minutes belongs to a crashed process.
      const age = await stat(path).then((st) => Date.now() - st.mtimeMs, () => 0);
      if (age > 120_000) await rm(path, { force: true });
      else if (Date.now() > deadline) throw new Error(`demo PKI in ${path} is locked by another process`);
      else await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function createUnlocked(dir: string, spec: DemoPkiSpec, now: Date): Promise<DemoPki> {
  await mkdir(join(dir, 'people'), { recursive: true, mode: 0o700 });
  await mkdir(join(dir, 'seals'), { recursive: true, mode: 0o700 });
  const notBefore = new Date(now.getTime() - 3600_000);
  const locality = spec.locality ?? 'Hà Nội';

  const root = await certAndKey(dir, 'root-ca', () => {
    const k = generateKey({ kind: 'rsa', bits: 3072 });
    const subject: NameSpec = { commonName: 'hoso Demo Root CA', organization: 'hoso Demo', country: 'VN' };
    return {
      privateKey: k.privateKey,
      certificate: issueCertificate({
        profile: 'root-ca', subject, publicKey: k.publicKey, selfSignKey: k.privateKey,
        notBefore, notAfter: new Date(now.getTime() + 20 * YEAR),
      }),
    };
  });
  const rootIssuer = { certificate: root.certificate, privateKey: root.privateKey };
  const agencyCa = await certAndKey(dir, 'agency-ca', () => {
    const k = generateKey({ kind: 'rsa', bits: 2048 });
    return {
      privateKey: k.privateKey,
      certificate: issueCertificate({
        profile: 'intermediate-ca',
        subject: { commonName: 'hoso Demo Agency CA', organization: 'hoso Demo', country: 'VN' },
        publicKey: k.publicKey, issuer: rootIssuer, notBefore, notAfter: new Date(now.getTime() + 10 * YEAR),
      }),
    };
  });
  const caIssuer = { certificate: agencyCa.certificate, privateKey: agencyCa.privateKey };
  const tsaBase = await certAndKey(dir, 'tsa', () => {
    const k = generateKey({ kind: 'rsa', bits: 2048 });
    return {
      privateKey: k.privateKey,
      certificate: issueCertificate({
        profile: 'tsa',
        subject: { commonName: 'hoso Demo TSA', organization: 'hoso Demo', country: 'VN' },
        publicKey: k.publicKey, issuer: caIssuer, notBefore, notAfter: new Date(now.getTime() + 10 * YEAR),
      }),
    };
  });
  const ocsp = await certAndKey(dir, 'ocsp', () => {
    const k = generateKey({ kind: 'ec', curve: 'P-256' });
    return {
      privateKey: k.privateKey,
      certificate: issueCertificate({
        profile: 'ocsp',
        subject: { commonName: 'hoso Demo OCSP Responder', organization: 'hoso Demo', country: 'VN' },
        publicKey: k.publicKey, issuer: caIssuer, notBefore, notAfter: new Date(now.getTime() + 10 * YEAR),
      }),
    };
  });

  const secretsPath = join(dir, 'secrets.json');
  const secrets: Record<string, string> = (await exists(secretsPath))
    ? (JSON.parse(await readFile(secretsPath, 'utf8')) as Record<string, string>)
    : {};
  let secretsChanged = false;
  const chain = [agencyCa.certificate, root.certificate];
  const revoked: RevokedEntry[] = [];

  async function endEntity(kind: 'people' | 'seals', id: string, subject: NameSpec, key: KeySpec | undefined, isRevoked: boolean | undefined): Promise<DemoSigner> {
    const p12Path = join(dir, kind, `${safeId(id)}.p12`);
    const secretKey = `${kind}/${id}`;
    let password = secrets[secretKey];
    let certificate: Uint8Array;
    if (password && (await exists(p12Path))) {
      certificate = readPkcs12(new Uint8Array(await readFile(p12Path)), password).certificate;
    } else {
      password = randomBytes(12).toString('base64url');
      const k = generateKey(key ?? { kind: 'rsa', bits: 2048 });
      certificate = issueCertificate({
        profile: kind === 'people' ? 'person' : 'seal', subject, publicKey: k.publicKey, issuer: caIssuer,
        notBefore, notAfter: new Date(now.getTime() + 3 * YEAR),
      });
      await writeAtomic(p12Path, writePkcs12({ privateKey: k.privateKey, certificate, chain, password, friendlyName: subject.commonName }), true);
      secrets[secretKey] = password;
      secretsChanged = true;
    }
    const serialHex = certificateInfo(certificate).serialHex;
    if (isRevoked) revoked.push({ serial: Buffer.from(serialHex, 'hex'), date: notBefore, reason: 1 });
    return { id, p12Path, password, certificate, chain, serialHex };
  }

  const people: Record<string, DemoSigner> = {};
  for (const p of spec.people) {
    people[p.id] = await endEntity('people', p.id, {
      commonName: p.commonName, organization: p.organization, locality, country: 'VN',
    }, p.key, p.revoked);
  }
  const seals: Record<string, DemoSigner> = {};
  for (const s of spec.seals) {
    seals[s.id] = await endEntity('seals', s.id, {
      commonName: s.organization, organization: s.organization, locality, country: 'VN',
    }, s.key, s.revoked);
  }
  if (secretsChanged) await writeAtomic(secretsPath, `${JSON.stringify(secrets, null, 2)}\n`, true);

  // CRLs are cheap: reissue when missing, stale, or when the revoked set changed.
  async function crlFile(name: string, issuer: { certificate: Uint8Array; privateKey: KeyObject }, entries: RevokedEntry[]): Promise<{ bytes: Uint8Array; path: string }> {
    const path = join(dir, `${name}.crl`);
    const wanted = new Set(entries.map((e) => Buffer.from(e.serial).toString('hex')));
    if (await exists(path)) {
      const bytes = new Uint8Array(await readFile(path));
      const info = parseCrl(bytes);
      const same = info.revoked.size === wanted.size && [...info.revoked.keys()].every((s) => wanted.has(s));
      if (same && info.nextUpdate && info.nextUpdate.getTime() > now.getTime() + 24 * 3600_000 && info.thisUpdate.getTime() <= now.getTime()) {
        return { bytes, path };
      }
    }
    const bytes = createCrl({
      issuer, revoked: entries, thisUpdate: notBefore, nextUpdate: new Date(now.getTime() + 30 * 24 * 3600_000),
      crlNumber: Math.floor(now.getTime() / 1000),
    });
    await writeAtomic(path, bytes, false);
    return { bytes, path };
  }
  const rootCrl = await crlFile('root-ca', rootIssuer, []);
  const agencyCrl = await crlFile('agency-ca', caIssuer, revoked);
  await writeAtomic(join(dir, 'chain.pem'), toPem('CERTIFICATE', agencyCa.certificate) + toPem('CERTIFICATE', root.certificate), false);

  return {
    dir,
    root,
    agencyCa,
    tsa: { ...tsaBase, chain },
    ocsp,
    people,
    seals,
    crls: { root: rootCrl.bytes, rootPath: rootCrl.path, agency: agencyCrl.bytes, agencyPath: agencyCrl.path },
    trustAnchors: [root.certificate],
    caCertificates: chain,
  };
}


