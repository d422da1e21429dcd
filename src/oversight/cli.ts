import type { CliCommand } from '../cli/command.ts';
import { UsageError, parseFlags } from '../cli/command.ts';
import { loadConfig } from '../platform/config.ts';
import { openMigratedDb } from '../platform/database.ts';
import type { Db } from '../platform/db/db.ts';
import { createCheckpoint, type CheckpointSigner, type CheckpointTrust } from './audit/checkpoint.ts';
import { hardenSql } from './audit/harden.ts';
import { checkpointJson, formatVerification, verificationJson } from './audit/report.ts';
import { checkpointSignerFromEnv, checkpointTrustFromEnv, readCertificates } from './audit/seal.ts';
import { verifyAuditLog, type AuditVerifyOptions } from './audit/verify.ts';
import type { Lang } from './audit/messages.ts';

/** What the audit commands need from outside; tests pass their own database and signer. */
export interface AuditCliDeps {
  /** Opens the database; `close` is called when the command ends. */
  openDb(): Promise<{ db: Db; close(): Promise<void> }>;
  signer(): Promise<CheckpointSigner | null>;
  trust(): Promise<CheckpointTrust>;
  now(): Date;
}

const defaultDeps: AuditCliDeps = {
  async openDb() {
    const { db } = await openMigratedDb(loadConfig());
    return { db, close: () => db.close() };
  },
  signer: () => checkpointSignerFromEnv(),
  trust: () => checkpointTrustFromEnv(),
  now: () => new Date(),
};

function langOf(v: string | boolean | string[] | undefined): Lang {
  if (v === undefined) return 'vi';
  if (v === 'vi' || v === 'en') return v;
  throw new UsageError('--lang must be vi or en');
}

/** A bound is a seq (digits) or an ISO 8601 time. */
function bound(v: string | boolean | string[] | undefined, name: string): { seq?: number; time?: Date } {
  if (v === undefined) return {};
  const s = String(v);
  if (/^\d+$/.test(s)) {
    const seq = Number(s);
    if (!Number.isSafeInteger(seq) || seq < 1) throw new UsageError(`--${name} must be a seq ≥ 1 or an ISO time`);
    return { seq };
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(new Date(s).getTime())) {
    throw new UsageError(`--${name} must be a seq (e.g. 1200) or an ISO time (e.g. 2026-11-01T00:00:00+07:00), got "${s}"`);
  }
  return { time: new Date(s) };
}

function positiveInt(v: string | boolean | string[] | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

export function createAuditCommands(deps: AuditCliDeps = defaultDeps): CliCommand[] {
  const verify: CliCommand = {
    name: ['audit', 'verify'],
    summary: 'Recompute the audit hash chain and check the signed checkpoints; report the first broken link',
    usage: `Usage: hoso audit verify [--from SEQ|ISO] [--to SEQ|ISO] [--json] [--lang vi|en] [--batch N]
                         [--trust ROOTS.pem] [--tsa-trust ROOTS.pem] [--require-timestamp]

Recomputes every event's hash from its content and the previous hash, in seq order (streamed in batches), and
checks every checkpoint: its signature, its timestamp, and that the chain at its count has the hash it signed.
Reports OK or the first broken link: an edited row, missing rows, reordered rows, a truncated tail, a head or
checkpoint that disagrees with the rows.

  --from, --to       limit to a seq range or a time range (by the events' time); without --to the head row and
                     every checkpoint beyond the last row are checked too
  --trust            PEM roots the checkpoint seal must chain to (default HOSO_AUDIT_SEAL_TRUST)
  --tsa-trust        PEM roots the timestamp authority must chain to (default HOSO_TSA_TRUST)
  --require-timestamp  a checkpoint without a TSA timestamp is a problem
  --json             machine-readable result

Exit status: 0 intact, 1 broken or a checkpoint problem, 2 usage or database error.`,
    async run(argv, io) {
      const { flags, positionals } = parseFlags(argv, {
        string: ['from', 'to', 'lang', 'batch', 'trust', 'tsa-trust'],
        boolean: ['json', 'require-timestamp'],
      });
      if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
      const lang = langOf(flags.lang);
      const from = bound(flags.from, 'from');
      const to = bound(flags.to, 'to');
      const options: AuditVerifyOptions = {
        fromSeq: from.seq,
        fromTime: from.time,
        toSeq: to.seq,
        toTime: to.time,
        batchSize: positiveInt(flags.batch, 'batch', 5_000),
      };
      const trust = await deps.trust();
      if (flags.trust) trust.sealAnchors = await readCertificates(String(flags.trust));
      if (flags['tsa-trust']) trust.tsaAnchors = await readCertificates(String(flags['tsa-trust']));
      if (flags['require-timestamp']) trust.requireTimestamp = true;
      options.trust = trust;
      const { db, close } = await deps.openDb();
      try {
        const result = await verifyAuditLog(db, options);
        io.out(flags.json ? JSON.stringify(verificationJson(result, lang), null, 2) : formatVerification(result, lang));
        return result.ok ? 0 : 1;
      } finally {
        await close();
      }
    },
  };

  const checkpoint: CliCommand = {
    name: ['audit', 'checkpoint'],
    summary: 'Sign (and timestamp) a checkpoint of the audit chain head now',
    usage: `Usage: hoso audit checkpoint [--force] [--json] [--lang vi|en]

Signs the current head of the audit chain (hash and event count) with the system seal and, when a TSA is
configured, timestamps the signature (RFC 3161). Skipped when nothing was appended since the last checkpoint,
unless --force.

The seal: HOSO_AUDIT_SEAL_P12 (PKCS#12 file) and HOSO_AUDIT_SEAL_PASSWORD; the TSA: HOSO_TSA_URL (comma-separated
URLs) and HOSO_TSA_TRUST (PEM roots).`,
    async run(argv, io) {
      const { flags, positionals } = parseFlags(argv, { string: ['lang'], boolean: ['force', 'json'] });
      if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
      const lang = langOf(flags.lang);
      const signer = await deps.signer();
      if (!signer) {
        io.err(
          lang === 'vi'
            ? 'Chưa cấu hình con dấu hệ thống: đặt HOSO_AUDIT_SEAL_P12 và HOSO_AUDIT_SEAL_PASSWORD.'
            : 'No system seal is configured: set HOSO_AUDIT_SEAL_P12 and HOSO_AUDIT_SEAL_PASSWORD.',
        );
        return 2;
      }
      const { db, close } = await deps.openDb();
      try {
        const { created, checkpoint: cp } = await createCheckpoint(db, signer, deps.now(), { force: Boolean(flags.force) });
        if (flags.json) {
          io.out(JSON.stringify({ created, checkpoint: cp ? checkpointJson(cp) : null }, null, 2));
        } else if (!cp) {
          io.out(lang === 'vi' ? 'Nhật ký trống và chưa có điểm kiểm tra.' : 'The log is empty and has no checkpoint.');
        } else if (created) {
          const ts = cp.timestampToken ? (lang === 'vi' ? ', có dấu thời gian TSA' : ', TSA-timestamped') : '';
          io.out(
            lang === 'vi'
              ? `Đã ký điểm kiểm tra #${cp.id}: ${cp.eventCount} bản ghi, đầu chuỗi ${cp.headHash}${ts}.`
              : `Signed checkpoint #${cp.id}: ${cp.eventCount} events, head ${cp.headHash}${ts}.`,
          );
        } else {
          io.out(
            lang === 'vi'
              ? `Không có bản ghi mới kể từ điểm kiểm tra #${cp.id} (${cp.eventCount} bản ghi); dùng --force để ký lại.`
              : `Nothing was appended since checkpoint #${cp.id} (${cp.eventCount} events); use --force to sign anyway.`,
          );
        }
        return 0;
      } finally {
        await close();
      }
    },
  };

  const harden: CliCommand = {
    name: ['audit', 'harden'],
    summary: 'Print (or apply) the PostgreSQL grants that keep the app role from changing audit rows',
    usage: `Usage: hoso audit harden --app-role ROLE [--apply]

Prints the SQL that grants ROLE ordinary access to the hoso tables but only INSERT/SELECT on the audit log (and
forward-only UPDATE of its head row). It refuses a role that is a superuser or owns tables, since either could
disable the audit triggers. Run it as the tables' owner after \`hoso migrate\`; with --apply it runs the SQL on
DATABASE_URL (which must then connect as the owner). See docs/audit-log.md.`,
    async run(argv, io) {
      const { flags, positionals } = parseFlags(argv, { string: ['app-role'], boolean: ['apply'] });
      if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
      if (!flags['app-role']) throw new UsageError('--app-role is required');
      let sql: string;
      try {
        sql = hardenSql(String(flags['app-role']));
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      if (!flags.apply) {
        io.out(sql);
        return 0;
      }
      const { db, close } = await deps.openDb();
      try {
        if (db.kind !== 'postgres') {
          io.err('--apply needs PostgreSQL (DATABASE_URL); embedded PGlite has a single user.');
          return 2;
        }
        await db.exec(sql);
        io.out(`applied: ${String(flags['app-role'])} may append to the audit log but not change it`);
        return 0;
      } finally {
        await close();
      }
    },
  };

  return [verify, checkpoint, harden];
}

export const commands: CliCommand[] = createAuditCommands();
