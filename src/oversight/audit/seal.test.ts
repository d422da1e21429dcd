import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../platform/context.ts';
import { createDemoPki, toPem, writePkcs12, generateKey, issueCertificate } from '../../signatures/pki/index.ts';
import { openTestDb } from '../../../test/support/db.ts';
import { signCheckpoint, verifyCheckpoints } from './checkpoint.ts';
import { GENESIS_HASH } from './rules.ts';
import { checkpointSignerFromEnv, checkpointTrustFromEnv, demoCheckpointSigner, startAuditCheckpointerFromEnv } from './seal.ts';
import { makeTestSeal } from './testing.ts';

const payload = { id: 1, at: new Date(), eventCount: 0, headHash: GENESIS_HASH, prevCheckpointHash: GENESIS_HASH };

describe('the configured seal', () => {
  let dir: string;
  const seal = makeTestSeal();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoso-audit-seal-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('signs with the PKCS#12 named in the environment and verifies against the configured roots', async () => {
    const k = generateKey({ kind: 'ec', curve: 'P-256' });
    const certificate = issueCertificate({
      profile: 'seal',
      subject: { commonName: 'Seal from env', organization: 'hoso Test', country: 'VN' },
      publicKey: k.publicKey,
      issuer: { certificate: seal.root, privateKey: seal.rootKey },
      notBefore: new Date(Date.now() - 3600_000),
      notAfter: new Date(Date.now() + 3600_000),
    });
    await writeFile(join(dir, 'seal.p12'), writePkcs12({ privateKey: k.privateKey, certificate, chain: [seal.root], password: 'secret' }));
    await writeFile(join(dir, 'root.pem'), toPem('CERTIFICATE', seal.root));
    const env = { HOSO_AUDIT_SEAL_P12: join(dir, 'seal.p12'), HOSO_AUDIT_SEAL_PASSWORD: 'secret', HOSO_AUDIT_SEAL_TRUST: join(dir, 'root.pem') };
    const signer = await checkpointSignerFromEnv(env);
    const record = await signCheckpoint(signer!, payload);
    expect(record.timestampToken).toBeNull();
    expect(verifyCheckpoints([record], await checkpointTrustFromEnv(env))[0]).toMatchObject({ problems: [], signer: expect.stringContaining('Seal from env') });
    expect(verifyCheckpoints([record], { sealAnchors: [makeTestSeal().root] })[0]!.problems.map((p) => p.reason)).toEqual(['certificate']);
  });

  it('is absent without HOSO_AUDIT_SEAL_P12 and refuses a missing password', async () => {
    expect(await checkpointSignerFromEnv({})).toBeNull();
    await expect(checkpointSignerFromEnv({ HOSO_AUDIT_SEAL_P12: join(dir, 'seal.p12') })).rejects.toThrow(/HOSO_AUDIT_SEAL_PASSWORD/);
    await expect(checkpointSignerFromEnv({ HOSO_AUDIT_SEAL_P12: join(dir, 'seal.p12'), HOSO_AUDIT_SEAL_PASSWORD: 'wrong' })).rejects.toThrow();
  });

  it('uses a demo PKI seal with the demo TSA in demo mode', async () => {
    const pki = await createDemoPki(join(dir, 'pki'), { people: [], seals: [{ id: 'center', organization: 'Trung tâm PVHCC Hà Nội' }] });
    const { signer, trust } = await demoCheckpointSigner(pki, 'center');
    const record = await signCheckpoint(signer, payload);
    const [check] = verifyCheckpoints([record], { ...trust, requireTimestamp: true });
    expect(check!.problems).toEqual([]);
    expect(check!.timestampedAt).toBeInstanceOf(Date);
    await expect(demoCheckpointSigner(pki, 'nope')).rejects.toThrow(/no seal "nope"/);
  });

  it('starts the timer only when a seal and an interval are configured', async () => {
    const t = await openTestDb();
    try {
      const warnings: unknown[] = [];
      const ctx = { db: t.db, log: { ...pino({ level: 'silent' }), warn: (m: unknown) => warnings.push(m) }, now: () => new Date() } as unknown as AppContext;
      expect(await startAuditCheckpointerFromEnv(ctx, { HOSO_AUDIT_CHECKPOINT_SECONDS: '0' }, seal.signer)).toBeNull();
      expect(await startAuditCheckpointerFromEnv(ctx, {})).toBeNull();
      expect(warnings).toHaveLength(1);
      await expect(startAuditCheckpointerFromEnv(ctx, { HOSO_AUDIT_CHECKPOINT_SECONDS: 'soon' }, seal.signer)).rejects.toThrow(/non-negative/);
      const running = await startAuditCheckpointerFromEnv(ctx, { HOSO_AUDIT_CHECKPOINT_SECONDS: '3600' }, seal.signer);
      expect(await running!.runNow()).toMatchObject({ id: 1 });
      await running!.stop();
    } finally {
      await t.cleanup();
    }
  });
});
