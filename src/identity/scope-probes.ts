import type { Role } from './roles.ts';
import type { ScopeProbe, ScopeWorld } from './scope-probe.ts';
import * as service from './service.ts';

/**
 * Scope probes of the identity room's administration API (see scope-probe.ts). An administrator of one agency
 * must not see or change users of a sibling agency, nor create users there.
 */

let n = 0;

/** A fresh officer in the given agency, so that each probe run changes its own user. */
async function freshOfficer(world: ScopeWorld, agencyCode: string, role: Role = 'specialist'): Promise<string> {
  n += 1;
  const { user } = await service.createUser(world.ctx, null, {
    username: `probe-${n}-${Math.random().toString(36).slice(2, 8)}`,
    role,
    agencyCode,
    password: 'Probe password long enough 1',
  });
  return user.id;
}

function pair(build: (world: ScopeWorld, agencyCode: string) => Promise<{ url: string; payload?: unknown }>): ScopeProbe['build'] {
  return async (world) => ({
    own: await build(world, world.agencies.mine.code),
    foreign: await build(world, world.agencies.other.code),
  });
}

export const scopeProbes: ScopeProbe[] = [
  {
    route: 'GET /api/admin/users/:userId',
    build: pair(async (world, code) => ({ url: `/api/admin/users/${await freshOfficer(world, code)}` })),
  },
  {
    route: 'PATCH /api/admin/users/:userId',
    build: pair(async (world, code) => ({
      url: `/api/admin/users/${await freshOfficer(world, code)}`,
      payload: { displayName: 'Tên đã đổi' },
    })),
  },
  {
    route: 'POST /api/admin/users/:userId/disable',
    build: pair(async (world, code) => ({ url: `/api/admin/users/${await freshOfficer(world, code)}/disable` })),
  },
  {
    route: 'POST /api/admin/users/:userId/enable',
    build: pair(async (world, code) => {
      const id = await freshOfficer(world, code);
      await service.setUserDisabled(world.ctx, null, id, true);
      return { url: `/api/admin/users/${id}/enable` };
    }),
  },
  {
    route: 'POST /api/admin/users/:userId/password',
    build: pair(async (world, code) => ({ url: `/api/admin/users/${await freshOfficer(world, code)}/password`, payload: {} })),
  },
  {
    route: 'POST /api/admin/users',
    build: pair(async (_world, code) => {
      n += 1;
      return {
        url: '/api/admin/users',
        payload: { username: `probe-new-${n}-${Math.random().toString(36).slice(2, 8)}`, role: 'leader', agencyCode: code },
      };
    }),
  },
  {
    // Listing is the scope: filtering on another agency must not reveal its users. The "refusal" of a list is an
    // empty page, so the foreign request names a user that exists there and the test checks it is not returned.
    route: 'GET /api/admin/users',
    build: async (world) => ({
      own: {
        url: `/api/admin/users?agency=${encodeURIComponent(world.agencies.mine.code)}&limit=200`,
        contains: [world.callers.specialist.userId],
      },
      foreign: {
        url: `/api/admin/users?agency=${encodeURIComponent(world.agencies.other.code)}&limit=200`,
        excludes: [world.others.specialist.userId, world.others.admin.userId],
      },
    }),
  },
];
