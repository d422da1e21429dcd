/**
 * Test-only helpers of the oversight room: real dossiers through the intake services (online submission, then
 * reception at the branch), so indicators and the register are tested on what intake really writes.
 */
import { createSignedInUser } from '../identity/testing.ts';
import { receiveDossier } from '../dossiers/service.ts';
import { WORLD, createTestSigning, seedIntakeCatalog, submitUsualDossier } from '../dossiers/testing.ts';
import type { AppContext } from '../platform/context.ts';

export interface OversightWorld {
  citizen: Awaited<ReturnType<typeof createSignedInUser>>;
  counter: Awaited<ReturnType<typeof createSignedInUser>>;
  /** Submitted dossiers in order; the first `received` of them were received (code and new secret set). */
  dossiers: { id: string; code: string | null; secret: string }[];
}

/** Submits `submitted` online dossiers at `submitAt`, and receives the first `received` of them at `receiveAt`. */
export async function seedOversightWorld(
  ctx: AppContext & { setNow(d: Date | null): void },
  opts: { submitted: number; received: number; submitAt: Date; receiveAt: Date },
): Promise<OversightWorld> {
  await seedIntakeCatalog(ctx);
  const signing = await createTestSigning('oversight');
  const citizen = await createSignedInUser(ctx, { role: 'citizen' });
  const counter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch });
  const diploma = await signing.signed('Ban sao chung thuc');
  const dossiers: OversightWorld['dossiers'] = [];
  ctx.setNow(opts.submitAt);
  for (let i = 0; i < opts.submitted; i++) {
    const r = await submitUsualDossier(ctx, citizen.principal, signing, { diploma });
    dossiers.push({ id: r.body.id, code: null, secret: r.body.statusSecret });
  }
  ctx.setNow(opts.receiveAt);
  for (const d of dossiers.slice(0, opts.received)) {
    const r = await receiveDossier(ctx, counter.principal, d.id);
    d.code = r.code;
    d.secret = r.statusSecret ?? d.secret;
  }
  return { citizen, counter, dossiers };
}
