import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import type { Principal } from './access.ts';
import { actsForAgency, officerAgencyIds, ownsApplicantResource } from './scope.ts';
import { insertTestAgency } from './testing.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
const ids: Record<string, string> = {};

function principal(p: Partial<Principal>): Principal {
  return {
    userId: 'u1',
    username: 'u1',
    displayName: 'U1',
    role: 'citizen',
    agencyId: null,
    agencyCode: null,
    subjectId: null,
    sessionId: 's1',
    ...p,
  };
}

beforeAll(async () => {
  ctx = await createTestContext();
  ids.root = await insertTestAgency(ctx, { code: 'SC.ROOT', kind: 'people_committee' });
  ids.center = await insertTestAgency(ctx, { code: 'SC.CENTER', kind: 'service_center', parentId: ids.root });
  ids.branch = await insertTestAgency(ctx, { code: 'SC.BRANCH', kind: 'branch', parentId: ids.center });
  ids.health = await insertTestAgency(ctx, { code: 'SC.HEALTH', parentId: ids.root });
});
afterAll(async () => ctx?.cleanup());

describe('scope helpers', () => {
  it('applicants own resources by user id or subject id; officers own none', () => {
    const citizen = principal({ subjectId: '001085012345' });
    expect(ownsApplicantResource(citizen, { userId: 'u1' })).toBe(true);
    expect(ownsApplicantResource(citizen, { subjectId: '001085012345' })).toBe(true);
    expect(ownsApplicantResource(citizen, { userId: 'u2', subjectId: '001085099999' })).toBe(false);
    expect(ownsApplicantResource(citizen, { subjectId: null })).toBe(false);
    expect(ownsApplicantResource(principal({ role: 'specialist', agencyId: ids.health }), { userId: 'u1' })).toBe(false);
  });

  it('officers act for their agency and the agencies below it, not for siblings or parents', async () => {
    const supervisor = principal({ role: 'supervisor', agencyId: ids.center });
    expect(new Set(await officerAgencyIds(ctx.db, supervisor))).toEqual(new Set([ids.center, ids.branch]));
    expect(await actsForAgency(ctx.db, supervisor, ids.branch)).toBe(true);
    expect(await actsForAgency(ctx.db, supervisor, ids.health)).toBe(false);
    expect(await actsForAgency(ctx.db, supervisor, ids.root)).toBe(false);
    expect(await actsForAgency(ctx.db, principal({ role: 'citizen' }), ids.center)).toBe(false);
    expect(await actsForAgency(ctx.db, supervisor, null)).toBe(false);
  });
});
