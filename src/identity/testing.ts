import type { AppContext } from '../platform/context.ts';
import type { Principal } from './access.ts';
import { SESSION_COOKIE } from './routes.ts';
import type { Role } from './roles.ts';
import * as service from './service.ts';

/**
 * Helpers for tests of any room: make a user of a role and a signed-in session for `app.inject`, without going
 * through the login route (and its rate limits). Test code only — nothing in src/ outside tests imports this.
 */

export interface TestSession {
  principal: Principal;
  /** Headers for `app.inject`: the session cookie and the CSRF token (needed on POST/PUT/PATCH/DELETE). */
  headers: { cookie: string; 'x-csrf-token': string };
  cookie: string;
  csrfToken: string;
}

export async function signInAs(ctx: AppContext, userId: string): Promise<TestSession> {
  const s = await service.openSessionForUser(ctx, userId);
  const cookie = `${SESSION_COOKIE}=${s.token}`;
  return { principal: s.principal, cookie, csrfToken: s.csrfToken, headers: { cookie, 'x-csrf-token': s.csrfToken } };
}

let counter = 0;

/** A valid-looking, unique CCCD (Hà Nội, 001) or enterprise tax code for test applicants. */
export function testSubjectId(role: Role, n: number): string {
  if (role === 'business') return taxCodeFor(1_000_000 + n);
  return `0010${String(90_000_000 + n).padStart(8, '0')}`;
}

function taxCodeFor(sequence: number): string {
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  for (let s = sequence; ; s++) {
    const body = `01${String(s).padStart(7, '0')}`;
    const sum = body.split('').reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
    const check = 10 - (sum % 11);
    if (check < 10) return `${body}${check}`;
  }
}

/**
 * Creates a user (officers need `agencyCode` of an existing agency) and signs them in.
 * Applicants get a fresh subject id unless one is given.
 */
export async function createSignedInUser(
  ctx: AppContext,
  input: { role: Role; agencyCode?: string; username?: string; subjectId?: string; displayName?: string },
): Promise<TestSession & { userId: string }> {
  counter += 1;
  const n = counter + Math.floor(Math.random() * 1_000_000);
  const applicant = ['citizen', 'business', 'agent'].includes(input.role);
  const { user } = await service.createUser(ctx, null, {
    username: input.username ?? `t-${input.role.replace(/_/g, '-')}-${n}`,
    displayName: input.displayName ?? `Test ${input.role} ${n}`,
    role: input.role,
    agencyCode: applicant ? null : input.agencyCode,
    subjectId: applicant ? (input.subjectId ?? testSubjectId(input.role, n)) : null,
  });
  return { ...(await signInAs(ctx, user.id)), userId: user.id };
}

/** Inserts an agency row for tests that have no catalog seed (the catalog room owns real agency management). */
export async function insertTestAgency(
  ctx: AppContext,
  input: { code: string; name?: string; kind?: 'people_committee' | 'department' | 'commune' | 'service_center' | 'branch' | 'other'; parentId?: string | null },
): Promise<string> {
  const r = await ctx.db.query<{ id: string }>(
    'INSERT INTO agency (code, name, kind, parent_id) VALUES ($1, $2, $3, $4) RETURNING id',
    [input.code, input.name ?? `Agency ${input.code}`, input.kind ?? 'department', input.parentId ?? null],
  );
  return r.rows[0]!.id;
}
