import { DEMO_AGENCY_CODES } from '../../catalog/demo-codes.ts';
import type { DemoSeeder } from '../../platform/rooms.ts';
import { findActiveCredential } from './store.ts';
import { demoPkiSpec, openDemoPki, registerCredential } from './service.ts';

/**
 * Demo PKI on first start: a root CA, an agency CA, a certificate for every signing demo officer and a seal for
 * each demo agency, generated locally under DATA_DIR/pki (never in the repository), registered as the owners'
 * active signing credentials. Runs after the identity seeder; idempotent.
 */
export const signingCredentialsDemoSeeder: DemoSeeder = {
  name: 'signing-credentials',
  async seed(ctx) {
    const spec = await demoPkiSpec(ctx.db, Object.values(DEMO_AGENCY_CODES));
    const pki = await openDemoPki(ctx, spec);
    let added = 0;
    await ctx.db.tx(async (q) => {
      for (const [username, signer] of Object.entries(pki.people)) {
        const user = await q.query<{ id: string }>('SELECT id FROM app_user WHERE username = $1', [username]);
        const userId = user.rows[0]?.id;
        if (!userId) continue;
        const current = await findActiveCredential(q, { userId });
        if (current?.serialHex === signer.serialHex) continue;
        await registerCredential(ctx, q, null, {
          purpose: 'personal',
          userId,
          agencyId: null,
          backend: 'demo',
          settings: { demoId: username },
          certificate: signer.certificate,
        });
        added++;
      }
      for (const [code, signer] of Object.entries(pki.seals)) {
        const agency = await q.query<{ id: string }>('SELECT id FROM agency WHERE code = $1', [code]);
        const agencyId = agency.rows[0]?.id;
        if (!agencyId) continue;
        const current = await findActiveCredential(q, { agencyId });
        if (current?.serialHex === signer.serialHex) continue;
        await registerCredential(ctx, q, null, {
          purpose: 'seal',
          userId: null,
          agencyId,
          backend: 'demo',
          settings: { demoId: code },
          certificate: signer.certificate,
        });
        added++;
      }
    });
    return added
      ? [`Demo PKI: ${Object.keys(pki.people).length} officer certificates and ${Object.keys(pki.seals).length} agency seals in ${pki.dir} (root certificate: ${pki.root.certPath})`]
      : [];
  },
};
