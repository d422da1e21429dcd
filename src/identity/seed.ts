import { chmod, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_AGENCY_CODES } from '../catalog/demo-codes.ts';
import type { AppContext } from '../platform/context.ts';
import type { DemoSeeder } from '../platform/rooms.ts';
import { generatePassword } from './passwords.ts';
import { ROLE_LABELS, type Role } from './roles.ts';
import * as service from './service.ts';
import * as store from './store.ts';

/** One demo account per role. Usernames are stable so the web app's end-to-end tests can find them. */
export interface DemoUser {
  role: Role;
  username: string;
  displayName: string;
  agencyCode: string | null;
  subjectId: string | null;
}

export const DEMO_USERS: readonly DemoUser[] = [
  // CCCD: 001 = Hà Nội, 0 = male born in the 20th century, 85 = 1985, then six random digits.
  { role: 'citizen', username: 'citizen', displayName: 'Nguyễn Văn An', agencyCode: null, subjectId: '001085012345' },
  // MST 0100109106 is a check-digit-valid code (../shared/reference/vn-data.md §4.2).
  { role: 'business', username: 'business', displayName: 'Trần Thị Bình', agencyCode: null, subjectId: '0100109106' },
  // An agent who is a person: CCCD, woman born 1990.
  { role: 'agent', username: 'agent', displayName: 'Lê Thị Cúc', agencyCode: null, subjectId: '001190054321' },
  {
    role: 'counter_officer',
    username: 'counter',
    displayName: 'Phạm Minh Dũng',
    agencyCode: DEMO_AGENCY_CODES.serviceCenterBranch1,
    subjectId: null,
  },
  {
    role: 'specialist',
    username: 'specialist',
    displayName: 'Hoàng Thu Hà',
    agencyCode: DEMO_AGENCY_CODES.departmentOfHealth,
    subjectId: null,
  },
  {
    role: 'leader',
    username: 'leader',
    displayName: 'Vũ Quốc Khánh',
    agencyCode: DEMO_AGENCY_CODES.departmentOfHealth,
    subjectId: null,
  },
  {
    // A second department, so a dossier can be transferred for an opinion (liên thông) in the demo.
    role: 'specialist',
    username: 'specialist.tp',
    displayName: 'Đinh Thị Mai',
    agencyCode: DEMO_AGENCY_CODES.departmentOfJustice,
    subjectId: null,
  },
  {
    role: 'supervisor',
    username: 'supervisor',
    displayName: 'Đặng Thị Lan',
    agencyCode: DEMO_AGENCY_CODES.serviceCenter,
    subjectId: null,
  },
  {
    role: 'inspector',
    username: 'inspector',
    displayName: 'Bùi Văn Minh',
    agencyCode: DEMO_AGENCY_CODES.serviceCenter,
    subjectId: null,
  },
  {
    role: 'admin',
    username: 'admin',
    displayName: 'Đỗ Thanh Nam',
    agencyCode: DEMO_AGENCY_CODES.cityPeoplesCommittee,
    subjectId: null,
  },
];

export const DEMO_CREDENTIALS_FILE = 'demo-credentials.txt';

interface CredentialRow {
  user: DemoUser;
  password: string;
}

function pad(text: string, width: number): string {
  // Vietnamese labels are NFC, one code point per letter, so length is the display width.
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

export function formatCredentials(rows: CredentialRow[], publicUrl: string): string {
  const header = ['Vai trò / Role', 'Tên đăng nhập / Username', 'Mật khẩu / Password', 'Cơ quan / Agency'];
  const body = rows.map((r) => [
    `${ROLE_LABELS[r.user.role].vi} / ${ROLE_LABELS[r.user.role].en}`,
    r.user.username,
    r.password,
    r.user.agencyCode ?? '—',
  ]);
  const widths = header.map((h, i) => Math.max([...h].length, ...body.map((b) => [...b[i]!].length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd();
  return [
    `Tài khoản thử nghiệm / Demo logins — ${publicUrl}`,
    'Chỉ dùng để trình diễn; mật khẩu được tạo ngẫu nhiên một lần. / Demo only; passwords were generated once at random.',
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
  ].join('\n');
}

/**
 * Creates the demo users on first start and writes their passwords to `${dataDir}/demo-credentials.txt` (0600).
 * Runs after the catalog seeder (agencies). A second run with all users present changes nothing. If some are
 * missing (e.g. a database reset while the data dir stayed), the missing ones are created and every demo user
 * gets a fresh password, so the file always matches the database.
 */
export const identityDemoSeeder: DemoSeeder = {
  name: 'identity',
  async seed(ctx: AppContext): Promise<string[]> {
    const missingAgencies = new Set<string>();
    for (const u of DEMO_USERS) {
      if (u.agencyCode && !(await store.findAgencyByCode(ctx.db, u.agencyCode))) missingAgencies.add(u.agencyCode);
    }
    if (missingAgencies.size) {
      throw new Error(
        `identity demo seeder: agencies ${[...missingAgencies].join(', ')} are missing — the catalog demo seeder must run first`,
      );
    }
    const existing = new Map<string, store.UserRow>();
    for (const u of DEMO_USERS) {
      const row = await store.findUserByUsername(ctx.db, u.username);
      if (row) existing.set(u.username, row);
    }
    if (existing.size === DEMO_USERS.length) return [`identity: ${DEMO_USERS.length} demo users present`];

    const rows: CredentialRow[] = [];
    for (const u of DEMO_USERS) {
      const password = generatePassword();
      const row = existing.get(u.username);
      if (row) {
        if (row.role !== u.role) {
          throw new Error(`identity demo seeder: user "${u.username}" exists with role ${row.role}, expected ${u.role}`);
        }
        await service.resetPassword(ctx, null, row.id, password);
      } else {
        await service.createUser(ctx, null, {
          username: u.username,
          displayName: u.displayName,
          role: u.role,
          agencyCode: u.agencyCode,
          subjectId: u.subjectId,
          password,
        });
      }
      rows.push({ user: u, password });
    }
    await mkdir(ctx.config.dataDir, { recursive: true });
    const file = join(ctx.config.dataDir, DEMO_CREDENTIALS_FILE);
    await writeFile(file, formatCredentials(rows, ctx.config.publicUrl), { encoding: 'utf8', mode: 0o600 });
    // writeFile's mode applies only when it creates the file; an older file keeps its mode otherwise.
    await chmod(file, 0o600);
    return [`identity: ${DEMO_USERS.length - existing.size} demo users created; logins in ${file}`];
  },
};
