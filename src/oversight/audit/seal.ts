import { readFile } from 'node:fs/promises';
import type { AppContext } from '../../platform/context.ts';
import { readPemOrDer, type DemoPki } from '../../signatures/pki/index.ts';
import { P12Backend } from '../../signatures/keys/p12.ts';
import { LocalTimestampSource, TsaClient } from '../../signatures/tsa/index.ts';
import { backendCheckpointSigner, type CheckpointSigner, type CheckpointTrust } from './checkpoint.ts';
import { startAuditCheckpointer, type AuditCheckpointer } from './checkpointer.ts';

/**
 * The system seal as configured by the operator, for `hoso audit checkpoint` and the server's timer:
 * HOSO_AUDIT_SEAL_P12 (PKCS#12 file) with its password in HOSO_AUDIT_SEAL_PASSWORD, and optionally
 * HOSO_TSA_URL (comma-separated RFC 3161 endpoints, tried in order) with HOSO_TSA_TRUST (PEM roots of the TSA).
 * Returns null when no seal is configured.
 */
export async function checkpointSignerFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<CheckpointSigner | null> {
  const p12 = env.HOSO_AUDIT_SEAL_P12;
  if (!p12) return null;
  const password = env.HOSO_AUDIT_SEAL_PASSWORD;
  if (password === undefined) throw new Error('HOSO_AUDIT_SEAL_PASSWORD must be set with HOSO_AUDIT_SEAL_P12');
  const backend = await P12Backend.fromFile(p12, password);
  const urls = (env.HOSO_TSA_URL ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  const timestamps = urls.length ? new TsaClient({ urls, trustAnchors: await readCertificates(env.HOSO_TSA_TRUST) }) : undefined;
  return backendCheckpointSigner(backend, { timestamps });
}

/** Trust for verification: HOSO_AUDIT_SEAL_TRUST and HOSO_TSA_TRUST (PEM files of root certificates). */
export async function checkpointTrustFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<CheckpointTrust> {
  return { sealAnchors: await readCertificates(env.HOSO_AUDIT_SEAL_TRUST), tsaAnchors: await readCertificates(env.HOSO_TSA_TRUST) };
}

export async function readCertificates(path: string | undefined): Promise<Uint8Array[]> {
  if (!path) return [];
  return readPemOrDer(new Uint8Array(await readFile(path)), 'CERTIFICATE');
}

/**
 * Demo mode: the checkpoint seal is one of the demo PKI's agency seals, timestamped by the demo TSA in-process.
 * Verification then trusts the demo root (never do this outside demo mode).
 */
export async function demoCheckpointSigner(pki: DemoPki, sealId: string): Promise<{ signer: CheckpointSigner; trust: CheckpointTrust }> {
  const seal = pki.seals[sealId];
  if (!seal) throw new Error(`the demo PKI has no seal "${sealId}" (has: ${Object.keys(pki.seals).join(', ') || 'none'})`);
  const backend = await P12Backend.fromFile(seal.p12Path, seal.password);
  const timestamps = new LocalTimestampSource(
    { certificate: pki.tsa.certificate, privateKey: pki.tsa.privateKey, chain: pki.tsa.chain },
    pki.trustAnchors,
  );
  return { signer: backendCheckpointSigner(backend, { timestamps }), trust: { sealAnchors: pki.trustAnchors, tsaAnchors: pki.trustAnchors } };
}

/** Default interval between timed checkpoints: short enough to bound what an undetected tail deletion can hide. */
export const DEFAULT_CHECKPOINT_SECONDS = 15 * 60;

/**
 * For `startServer`: starts the checkpoint timer when a seal is configured (HOSO_AUDIT_SEAL_P12 …), every
 * HOSO_AUDIT_CHECKPOINT_SECONDS (default 900; 0 turns the timer off). Returns null when no timer runs.
 */
export async function startAuditCheckpointerFromEnv(
  ctx: AppContext,
  env: NodeJS.ProcessEnv = process.env,
  signer?: CheckpointSigner | null,
): Promise<AuditCheckpointer | null> {
  const raw = env.HOSO_AUDIT_CHECKPOINT_SECONDS;
  const seconds = raw === undefined || raw === '' ? DEFAULT_CHECKPOINT_SECONDS : Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`HOSO_AUDIT_CHECKPOINT_SECONDS must be a non-negative number, got "${raw}"`);
  if (seconds === 0) return null;
  const s = signer ?? (await checkpointSignerFromEnv(env));
  if (!s) {
    ctx.log.warn('no system seal configured (HOSO_AUDIT_SEAL_P12): audit checkpoints are not signed');
    return null;
  }
  return startAuditCheckpointer(ctx, seconds * 1000, s);
}

/**
 * The system seal that signs checkpoints: in demo mode the Public Administrative Service Center's demo seal (when
 * the demo PKI has been seeded), otherwise the operator's HOSO_AUDIT_SEAL_* configuration. Null when none is set.
 */
export function systemSeal(
  ctx: AppContext,
  sealAgencyCode: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ signer: CheckpointSigner | null; trust: CheckpointTrust }> {
  // The audit routes and the checkpoint timer both need it at start-up: open the seal once per context.
  const key = `${sealAgencyCode}\n${env.HOSO_AUDIT_SEAL_P12 ?? ''}`;
  const cached = sealCache.get(ctx)?.get(key);
  if (cached) return cached;
  const opened = openSystemSeal(ctx, sealAgencyCode, env);
  if (!sealCache.has(ctx)) sealCache.set(ctx, new Map());
  sealCache.get(ctx)!.set(key, opened);
  opened.catch(() => sealCache.get(ctx)?.delete(key));
  return opened;
}

const sealCache = new WeakMap<AppContext, Map<string, Promise<{ signer: CheckpointSigner | null; trust: CheckpointTrust }>>>();

async function openSystemSeal(
  ctx: AppContext,
  sealAgencyCode: string,
  env: NodeJS.ProcessEnv,
): Promise<{ signer: CheckpointSigner | null; trust: CheckpointTrust }> {
  if (!ctx.config.demo) return { signer: await checkpointSignerFromEnv(env), trust: await checkpointTrustFromEnv(env) };
  const seal = await ctx.db.query(
    `SELECT 1 FROM signing_credential c JOIN agency a ON a.id = c.agency_id WHERE c.active AND c.backend = 'demo' AND a.code = $1`,
    [sealAgencyCode],
  );
  if (!seal.rowCount) return { signer: null, trust: { sealAnchors: [], tsaAnchors: [] } };
  const { demoPkiOfCredentials } = await import('../../identity/credentials/service.ts');
  return demoCheckpointSigner(await demoPkiOfCredentials(ctx), sealAgencyCode);
}
