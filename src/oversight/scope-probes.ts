/**
 * Scope probes of the oversight room: an applicant rates only their own delivered dossier (test data: a dossier of
 * the caller and one of someone else, both moved to status 10 directly).
 */
import type { Role } from '../identity/roles.ts';
import type { ScopeProbe, ScopeWorld } from '../identity/scope-probe.ts';
import { dossierOf } from '../dossiers/scope-probes.ts';

async function delivered(world: ScopeWorld, side: 'callers' | 'others', role: Role): Promise<string> {
  const id = await dossierOf(world, world[side][role], side, side === 'callers' ? 'mine' : 'other', true);
  await world.ctx.db.query(
    `UPDATE dossier SET status = 'result_returned', portal_status = 10, state = state || jsonb_build_object('status', 'result_returned') WHERE id = $1`,
    [id],
  );
  return id;
}

export const scopeProbes: ScopeProbe[] = [
  {
    route: 'GET /api/my/dossiers/:id/rating',
    build: async (world, role) => ({
      own: { url: `/api/my/dossiers/${await delivered(world, 'callers', role)}/rating` },
      foreign: { url: `/api/my/dossiers/${await delivered(world, 'others', role)}/rating` },
    }),
  },
  {
    route: 'POST /api/my/dossiers/:id/rating',
    build: async (world, role) => ({
      own: { url: `/api/my/dossiers/${await delivered(world, 'callers', role)}/rating`, payload: { rating: 4 } },
      foreign: { url: `/api/my/dossiers/${await delivered(world, 'others', role)}/rating`, payload: { rating: 4 } },
    }),
  },
];
