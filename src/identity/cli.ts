import type { CliCommand } from '../cli/command.ts';
import { UsageError, parseFlags } from '../cli/command.ts';
import { loadConfig } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import { openMigratedDb } from '../platform/database.ts';
import { AppError } from '../platform/http/problem.ts';
import { openBlobStore } from '../platform/blobs/index.ts';
import pino from 'pino';
import { IdentityErrors } from './errors.ts';
import { ROLES, ROLE_LABELS, isOfficer, isRole, type Role } from './roles.ts';
import { normalizeUsername } from './rules.ts';
import { findUserByUsername } from './store.ts';
import * as service from './service.ts';

const USER_ADD_USAGE = `Usage: hoso user add --username U --role R [--agency CODE] [--display-name N] [--subject-id ID]
                     [--email E] [--password-env VAR]

Creates a user in the configured database (DATABASE_URL, or the embedded PGlite under DATA_DIR).

  --username U       3–64 characters: lower-case letters, digits, dot, hyphen, underscore
  --role R           one of: ${ROLES.join(', ')}
  --agency CODE      agency code (required for officers, e.g. 000.00.12.H26; not allowed for applicants)
  --display-name N   full name as shown in the app (default: the username)
  --subject-id ID    CCCD (12 digits) for citizens, tax code (MST) for businesses; either for agents (required)
  --email E          e-mail address
  --password-env VAR read the password from environment variable VAR (never pass it on the command line);
                     without it a strong password is generated and printed once

Exit codes: 0 created, 2 bad input (unknown role, officer without agency, unknown agency, …).`;

const userAdd: CliCommand = {
  name: ['user', 'add'],
  summary: 'Create a user (officers with an agency, applicants with a CCCD or tax code)',
  usage: USER_ADD_USAGE,
  async run(argv, io) {
    const { flags, positionals } = parseFlags(argv, {
      string: ['username', 'role', 'agency', 'display-name', 'subject-id', 'email', 'password-env'],
    });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const username = flags.username as string | undefined;
    const role = flags.role as string | undefined;
    if (!username) throw new UsageError('--username is required');
    if (!role) throw new UsageError('--role is required');
    if (!isRole(role)) throw new UsageError(`unknown role "${role}"; roles: ${ROLES.join(', ')}`);
    const agencyCode = flags.agency as string | undefined;
    if (isOfficer(role) && !agencyCode) throw new UsageError(`role ${role} is an officer role and needs --agency CODE`);
    if (!isOfficer(role) && agencyCode) throw new UsageError(`role ${role} is an applicant role and takes no --agency`);
    const password = passwordFromEnv(flags['password-env'] as string | undefined);
    return withContext(io, 'user add', async (ctx) => {
      const { user, generatedPassword } = await service.createUser(ctx, null, {
        username,
        role,
        agencyCode: agencyCode ?? null,
        displayName: flags['display-name'] as string | undefined,
        subjectId: (flags['subject-id'] as string | undefined) ?? null,
        email: (flags.email as string | undefined) ?? null,
        password,
      });
      io.out(
        `created user ${user.username} (${ROLE_LABELS[user.role].en} / ${ROLE_LABELS[user.role].vi})` +
          (user.agencyCode ? ` in agency ${user.agencyCode}` : '') +
          ` — id ${user.id}`,
      );
      if (generatedPassword) io.out(`password: ${generatedPassword}\n(shown once; store it safely)`);
      return 0;
    });
  },
};

function describeProblem(err: AppError): string {
  const ext = err.extensions;
  if (Array.isArray(ext.problems)) {
    return (ext.problems as Array<{ message: { en: string } }>).map((p) => p.message.en).join('; ');
  }
  return Object.entries(ext)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
}

/** Opens the configured database for one command and closes it afterwards; problems become exit code 2. */
async function withContext(io: { err(t: string): void }, name: string, fn: (ctx: AppContext) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const { db } = await openMigratedDb(config);
  const ctx: AppContext = { config, db, blobs: openBlobStore(config), log: pino({ level: 'warn' }), now: () => new Date() };
  try {
    return await fn(ctx);
  } catch (err) {
    if (err instanceof AppError) {
      const details = describeProblem(err);
      io.err(`hoso ${name}: ${err.title.en} / ${err.title.vi}${details ? ` — ${details}` : ''}`);
      return 2;
    }
    throw err;
  } finally {
    await db.close();
  }
}

function passwordFromEnv(flag: string | undefined): string | undefined {
  if (flag === undefined) return undefined;
  const value = process.env[flag];
  if (!value) throw new UsageError(`environment variable ${flag} is not set or empty`);
  return value;
}

async function userIdByName(ctx: AppContext, username: string): Promise<string> {
  const user = await findUserByUsername(ctx.db, normalizeUsername(username));
  if (!user) throw IdentityErrors.userNotFound({ username });
  return user.id;
}

const userResetPassword: CliCommand = {
  name: ['user', 'reset-password'],
  summary: 'Set a new password for a user (lifts a lockout, ends their sessions)',
  usage: `Usage: hoso user reset-password --username U [--password-env VAR]

Without --password-env a strong password is generated and printed once. Exit 2 if the user does not exist.`,
  async run(argv, io) {
    const { flags, positionals } = parseFlags(argv, { string: ['username', 'password-env'] });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const username = flags.username as string | undefined;
    if (!username) throw new UsageError('--username is required');
    const password = passwordFromEnv(flags['password-env'] as string | undefined);
    return withContext(io, 'user reset-password', async (ctx) => {
      const r = await service.resetPassword(ctx, null, await userIdByName(ctx, username), password);
      io.out(`password of ${r.user.username} reset; their sessions were ended`);
      if (r.generatedPassword) io.out(`password: ${r.generatedPassword}\n(shown once; store it safely)`);
      return 0;
    });
  },
};

function disableCommand(disabled: boolean): CliCommand {
  const word = disabled ? 'disable' : 'enable';
  return {
    name: ['user', word],
    summary: disabled ? 'Disable a user (ends their sessions)' : 'Enable a disabled user',
    usage: `Usage: hoso user ${word} --username U`,
    async run(argv, io) {
      const { flags, positionals } = parseFlags(argv, { string: ['username'] });
      if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
      const username = flags.username as string | undefined;
      if (!username) throw new UsageError('--username is required');
      return withContext(io, `user ${word}`, async (ctx) => {
        const user = await service.setUserDisabled(ctx, null, await userIdByName(ctx, username), disabled);
        io.out(`${user.username} is ${user.disabled ? 'disabled' : 'enabled'}`);
        return 0;
      });
    },
  };
}

const userList: CliCommand = {
  name: ['user', 'list'],
  summary: 'List users (optionally by role or agency code)',
  usage: 'Usage: hoso user list [--role R] [--agency CODE] [--limit N]',
  async run(argv, io) {
    const { flags, positionals } = parseFlags(argv, { string: ['role', 'agency', 'limit'] });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const role = flags.role as string | undefined;
    if (role !== undefined && !isRole(role)) throw new UsageError(`unknown role "${role}"; roles: ${ROLES.join(', ')}`);
    const limit = flags.limit === undefined ? 200 : Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new UsageError('--limit must be an integer from 1 to 200');
    return withContext(io, 'user list', async (ctx) => {
      const r = await service.listUsers(ctx, null, { role: role as Role | undefined, agencyCode: flags.agency as string | undefined, limit });
      for (const u of r.items) {
        const state = u.disabled ? ' [disabled]' : u.locked ? ' [locked]' : '';
        io.out(`${u.username.padEnd(24)} ${u.role.padEnd(16)} ${(u.agencyCode ?? u.subjectId ?? '').padEnd(16)} ${u.displayName}${state}`);
      }
      io.out(`${r.items.length} of ${r.total} users`);
      return 0;
    });
  },
};

export const commands: CliCommand[] = [userAdd, userResetPassword, disableCommand(true), disableCommand(false), userList];
