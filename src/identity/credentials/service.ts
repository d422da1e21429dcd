import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadTrustAnchors } from '../../signatures/validation/index.ts';
import { createDemoPki, certificateInfo, type DemoPki, type DemoPkiSpec } from '../../signatures/pki/index.ts';
import { demoSigning } from '../../signatures/signing/index.ts';
import {
  CscBackend,
  HttpRevocationSource,
  P12Backend,
  Pkcs11Backend,
  type KeyBackend,
  type RevocationSource,
} from '../../signatures/keys/index.ts';
import { TsaClient, type TimestampSource } from '../../signatures/tsa/index.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/db.ts';
import { defineError } from '../../platform/http/problem.ts';
import { appendAuditEvent } from '../../oversight/audit/store.ts';
import { activateCredential, findActiveCredential, type SigningCredentialRow } from './store.ts';

export const CredentialErrors = {
  noCredential: defineError('SIGNING_CREDENTIAL_MISSING', 409, {
    vi: 'Chưa cấu hình chứng thư số để ký cho người dùng hoặc cơ quan này',
    en: 'No signing certificate is configured for this user or agency',
  }),
  unusable: defineError('SIGNING_CREDENTIAL_UNUSABLE', 503, {
    vi: 'Không mở được khóa ký số đã cấu hình',
    en: 'The configured signing key cannot be opened',
  }),
};

/** What every signing call needs besides the key: anchors to check chains, revocation data and a TSA. */
export interface SigningEnvironment {
  trustAnchors: Uint8Array[];
  revocation: RevocationSource;
  tsa: TimestampSource;
}

/** Officers who sign (personal certificates) and agencies with a seal in the demo. */
const DEMO_SIGNING_ROLES = ['counter_officer', 'specialist', 'leader', 'supervisor'];

/** The demo PKI's contents follow the database: every signing officer and every agency that has a demo seal. */
export async function demoPkiSpec(q: Queryable, sealAgencyCodes: readonly string[]): Promise<DemoPkiSpec> {
  const people = await q.query<{ username: string; display_name: string; agency_name: string }>(
    `SELECT u.username, u.display_name, a.name AS agency_name FROM app_user u JOIN agency a ON a.id = u.agency_id
     WHERE u.role = ANY($1::text[]) AND NOT u.disabled ORDER BY u.username`,
    [DEMO_SIGNING_ROLES],
  );
  const seals = await q.query<{ code: string; name: string }>('SELECT code, name FROM agency WHERE code = ANY($1::text[]) ORDER BY code', [
    [...sealAgencyCodes],
  ]);
  return {
    people: people.rows.map((p) => ({ id: p.username, commonName: p.display_name, organization: p.agency_name })),
    seals: seals.rows.map((s) => ({ id: s.code, organization: s.name })),
  };
}

const demoPkiCache = new Map<string, Promise<DemoPki>>();

/** Opens (creating on first use) the demo PKI under the data directory. Demo mode only. */
export function openDemoPki(ctx: AppContext, spec: DemoPkiSpec): Promise<DemoPki> {
  if (!ctx.config.demo) throw new Error('the demo PKI exists only in demo mode (HOSO_DEMO=true)');
  const dir = join(ctx.config.dataDir, 'pki');
  const key = `${dir}\n${JSON.stringify(spec)}`;
  let pki = demoPkiCache.get(key);
  if (!pki) {
    pki = createDemoPki(dir, spec, ctx.now());
    demoPkiCache.set(key, pki);
    pki.catch(() => demoPkiCache.delete(key));
  }
  return pki;
}

async function currentDemoPki(ctx: AppContext): Promise<DemoPki> {
  const seals = await ctx.db.query<{ code: string }>(
    `SELECT a.code FROM signing_credential c JOIN agency a ON a.id = c.agency_id WHERE c.active AND c.backend = 'demo' ORDER BY a.code`,
  );
  return openDemoPki(ctx, await demoPkiSpec(ctx.db, seals.rows.map((r) => r.code)));
}

/** One per process: the CRLs and OCSP answers it fetched serve every document while they are current. */
const sharedHttpRevocation = new HttpRevocationSource();

/**
 * Demo: the demo PKI's root, CRLs and in-process TSA. Otherwise: trust anchors from HOSO_TRUST (files or folders,
 * comma-separated), TSAs from HOSO_TSA_URL (comma-separated, tried in order), revocation fetched over HTTP.
 */
export async function signingEnvironment(ctx: AppContext, env: NodeJS.ProcessEnv = process.env): Promise<SigningEnvironment> {
  if (ctx.config.demo) return demoSigning(await currentDemoPki(ctx)).options;
  const trustAnchors = await configuredTrustAnchors(ctx, env);
  const urls = (env.HOSO_TSA_URL ?? '').split(',').filter(Boolean);
  if (!urls.length) throw CredentialErrors.unusable({}, { vi: 'Chưa cấu hình HOSO_TSA_URL', en: 'HOSO_TSA_URL is not configured' });
  return { trustAnchors, revocation: sharedHttpRevocation, tsa: new TsaClient({ urls, trustAnchors }) };
}

function secret(env: NodeJS.ProcessEnv, name: unknown): string {
  const value = typeof name === 'string' ? env[name] : undefined;
  if (!value) throw CredentialErrors.unusable({ variable: name });
  return value;
}

/**
 * The roots that signed documents must chain to, for validating uploads and checking signers: HOSO_TRUST (files or
 * folders, comma-separated) and, in demo mode, the demo PKI's root once it exists. Reads only certificates, so
 * validation never generates a PKI.
 */
export async function configuredTrustAnchors(ctx: AppContext, env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array[]> {
  const paths = (env.HOSO_TRUST ?? '').split(',').filter(Boolean);
  const demoRoot = join(ctx.config.dataDir, 'pki', 'root-ca.pem');
  if (ctx.config.demo && existsSync(demoRoot)) paths.push(demoRoot);
  return paths.length ? loadTrustAnchors(paths) : [];
}

/** Opens the key backend of a credential row. Secrets come from the environment variables the row names. */
export async function openBackend(ctx: AppContext, row: SigningCredentialRow, env: NodeJS.ProcessEnv = process.env): Promise<KeyBackend> {
  const s = row.settings;
  switch (row.backend) {
    case 'demo': {
      const signing = demoSigning(await currentDemoPki(ctx));
      return row.purpose === 'personal' ? signing.person(String(s.demoId)) : signing.seal(String(s.demoId));
    }
    case 'pkcs12':
      return P12Backend.fromFile(String(s.path), secret(env, s.passwordEnv));
    case 'pkcs11':
      return Pkcs11Backend.open({ module: String(s.module), slot: Number(s.slot), keyLabel: String(s.keyLabel), pin: secret(env, s.pinEnv) });
    case 'csc':
      return CscBackend.open({
        baseUrl: String(s.baseUrl),
        credentialId: String(s.credentialId),
        accessToken: typeof s.tokenEnv === 'string' ? env[s.tokenEnv] : undefined,
        pin: typeof s.pinEnv === 'string' ? env[s.pinEnv] : undefined,
      });
  }
}

/** The signer for an officer's personal signature, or an agency's seal. */
export async function openSigner(ctx: AppContext, owner: { userId: string } | { agencyId: string }): Promise<KeyBackend> {
  const row = await findActiveCredential(ctx.db, owner);
  if (!row) throw CredentialErrors.noCredential(owner);
  return openBackend(ctx, row);
}

/** Registers a certificate as the owner's active credential (audited). */
export async function registerCredential(
  ctx: AppContext,
  q: Queryable,
  actor: { userId: string; role: string } | null,
  input: Omit<SigningCredentialRow, 'id' | 'subject' | 'serialHex' | 'notAfter'>,
): Promise<string> {
  const info = certificateInfo(input.certificate);
  const id = await activateCredential(q, { ...input, subject: info.subject, serialHex: info.serialHex, notAfter: info.notAfter });
  await appendAuditEvent(q, {
    type: 'signing_credential.activated',
    at: ctx.now(),
    actor,
    agencyId: input.agencyId,
    subjectType: input.purpose === 'personal' ? 'user' : 'agency',
    subjectId: input.userId ?? input.agencyId,
    data: { credentialId: id, backend: input.backend, subject: info.subject, serial: info.serialHex },
  });
  return id;
}

/** The demo PKI as the registered credentials describe it (demo mode only). */
export async function demoPkiOfCredentials(ctx: AppContext): Promise<DemoPki> {
  return currentDemoPki(ctx);
}
