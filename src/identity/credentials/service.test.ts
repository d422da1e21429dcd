import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/context.ts';
import { DEMO_AGENCY_CODES } from '../../catalog/demo-codes.ts';
import { seedDemo } from '../../platform/server.ts';
import { signPdf } from '../../signatures/signing/index.ts';
import { validatePdf } from '../../signatures/validation/index.ts';
import { configuredTrustAnchors, openSigner, signingEnvironment } from './service.ts';
import { findActiveCredential } from './store.ts';

/** The demo seed gives every signing officer and every demo agency a working key, and signatures made with them validate. */
describe('signing credentials (demo PKI)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ demo: true });
    await seedDemo(ctx);
  }, 300_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('registers a personal credential for signing officers and a seal for demo agencies, idempotently', async () => {
    const users = await ctx.db.query<{ id: string; role: string }>(`SELECT id, role FROM app_user ORDER BY username`);
    for (const u of users.rows) {
      const credential = await findActiveCredential(ctx.db, { userId: u.id });
      const signs = ['counter_officer', 'specialist', 'leader', 'supervisor'].includes(u.role);
      expect(Boolean(credential), `${u.role} has a personal credential`).toBe(signs);
    }
    const before = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM signing_credential')).rows[0]!.n;
    await seedDemo(ctx);
    const after = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM signing_credential')).rows[0]!.n;
    expect(after).toBe(before);
    const signing = users.rows.filter((u) => ['counter_officer', 'specialist', 'leader', 'supervisor'].includes(u.role)).length;
    expect(before).toBe(signing + Object.keys(DEMO_AGENCY_CODES).length);
  });

  it('signs with an officer key and an agency seal; both validate against the demo root', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    const pdf = await doc.save({ useObjectStreams: false });
    const officer = (await ctx.db.query<{ id: string }>(`SELECT id FROM app_user WHERE role = 'counter_officer' LIMIT 1`)).rows[0]!;
    const branch = (await ctx.db.query<{ id: string }>('SELECT id FROM agency WHERE code = $1', [DEMO_AGENCY_CODES.serviceCenterBranch1])).rows[0]!;
    const env = await signingEnvironment(ctx);
    const first = await signPdf(pdf, { ...env, signer: await openSigner(ctx, { userId: officer.id }), level: 'B-T' });
    const second = await signPdf(first.bytes, { ...env, signer: await openSigner(ctx, { agencyId: branch.id }), level: 'B-LT' });
    const report = await validatePdf(second.bytes, { trustAnchors: env.trustAnchors });
    const signatures = report.signatures.filter((s) => s.type === 'signature');
    expect(signatures).toHaveLength(2);
    for (const s of signatures) expect(s.indication).toBe('TOTAL_PASSED');
  });

  it('refuses a user without a credential with a clear problem', async () => {
    const citizen = (await ctx.db.query<{ id: string }>(`SELECT id FROM app_user WHERE role = 'citizen' LIMIT 1`)).rows[0]!;
    await expect(openSigner(ctx, { userId: citizen.id })).rejects.toMatchObject({ code: 'SIGNING_CREDENTIAL_MISSING' });
  });
});

describe('configured trust anchors', () => {
  it('reads HOSO_TRUST outside demo mode, so uploads can be validated in production', async () => {
    const ctx = await createTestContext({ demo: false });
    try {
      expect(await configuredTrustAnchors(ctx, {})).toEqual([]);
      const { mkdtemp, writeFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      const { tmpdir } = await import('node:os');
      const { createDemoPki } = await import('../../signatures/pki/index.ts');
      const dir = await mkdtemp(join(tmpdir(), 'hoso-trust-'));
      const pki = await createDemoPki(join(dir, 'pki'), { people: [], seals: [] });
      await writeFile(join(dir, 'root.pem'), await (await import('node:fs/promises')).readFile(pki.root.certPath));
      const anchors = await configuredTrustAnchors(ctx, { HOSO_TRUST: join(dir, 'root.pem') });
      expect(anchors).toHaveLength(1);
      expect(Buffer.from(anchors[0]!).equals(Buffer.from(pki.trustAnchors[0]!))).toBe(true);
    } finally {
      await ctx.cleanup();
    }
  });
});
