import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

/** Everything a process needs at start comes from the environment; see the configuration table in README.md. */
export interface Config {
  host: string;
  port: number;
  /** Public base URL used in QR codes and links (no trailing slash). */
  publicUrl: string;
  dataDir: string;
  /** undefined → embedded PGlite under `${dataDir}/pglite`. */
  databaseUrl: string | undefined;
  /** `file` (default, `${dataDir}/blobs`) or `s3://bucket/prefix`. */
  blobStore: string;
  s3Endpoint: string | undefined;
  s3Region: string;
  s3ForcePathStyle: boolean;
  jsonBodyLimit: number;
  uploadBodyLimit: number;
  logLevel: string;
  /** Demo mode: seeds demo data and PKI on first start and trusts the demo root. Never enable in production. */
  demo: boolean;
  /** Run background jobs in this process (HOSO_JOBS, default true); turn off on API-only processes. */
  jobs: boolean;
  /** Worker threads for PDF rendering and validation on the issuing path (HOSO_PDF_WORKERS; 0 = in the calling thread). */
  pdfWorkers: number;
  /** Minimum age before an unreferenced blob may be removed by the sweeper. */
  blobGraceSeconds: number;
  sessionTtlSeconds: number;
  loginMaxAttempts: number;
  loginLockSeconds: number;
  webDist: string;
  /** Trust X-Forwarded-* only behind a known reverse proxy; otherwise clients could spoof their address. */
  trustProxy: boolean;
  /**
   * Outgoing mail server (SMTP_URL: `smtp://user:pass@host:587`, or `smtps://` for TLS from the start); undefined →
   * no e-mail is sent. It carries a password: log it only through `redactSmtpUrl` (platform/mail).
   */
  smtpUrl: string | undefined;
  /** From header of outgoing mail (MAIL_FROM). */
  mailFrom: string;
  /** Bound on each SMTP step (connect, greeting, idle socket) of one attempt (SMTP_TIMEOUT_SECONDS). */
  smtpTimeoutSeconds: number;
}

const MB = 1024 * 1024;

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = int(env, 'PORT', 3000);
  const host = env.HOST || '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR || 'data');
  const config: Config = {
    host,
    port,
    publicUrl: (env.PUBLIC_URL || `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`).replace(/\/+$/, ''),
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    blobStore: env.BLOB_STORE || 'file',
    s3Endpoint: env.S3_ENDPOINT || undefined,
    s3Region: env.S3_REGION || env.AWS_REGION || 'us-east-1',
    s3ForcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', true),
    jsonBodyLimit: int(env, 'JSON_BODY_LIMIT', 1 * MB),
    uploadBodyLimit: int(env, 'UPLOAD_BODY_LIMIT', 50 * MB),
    logLevel: env.LOG_LEVEL || 'info',
    demo: bool(env, 'HOSO_DEMO', true),
    jobs: bool(env, 'HOSO_JOBS', true),
    pdfWorkers: int(env, 'HOSO_PDF_WORKERS', Math.max(0, availableParallelism() - 1)),
    blobGraceSeconds: int(env, 'BLOB_GRACE_SECONDS', 24 * 3600),
    sessionTtlSeconds: int(env, 'SESSION_TTL_SECONDS', 8 * 3600),
    loginMaxAttempts: int(env, 'LOGIN_MAX_ATTEMPTS', 5),
    loginLockSeconds: int(env, 'LOGIN_LOCK_SECONDS', 15 * 60),
    webDist: resolve(env.WEB_DIST || 'web/dist'),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || '"Hệ thống hồ sơ điện tử" <no-reply@localhost>',
    smtpTimeoutSeconds: int(env, 'SMTP_TIMEOUT_SECONDS', 30),
    ...overrides,
  };
  if (config.blobStore !== 'file' && !config.blobStore.startsWith('s3://')) {
    throw new Error(`BLOB_STORE must be "file" or "s3://bucket/prefix", got "${config.blobStore}"`);
  }
  // The URL itself is never echoed: it carries the SMTP password.
  if (config.smtpUrl && !/^smtps?:\/\/[^/?#]/i.test(config.smtpUrl)) throw new Error('SMTP_URL must be smtp://[user:pass@]host[:port] or smtps://…');
  if (config.smtpTimeoutSeconds <= 0) throw new Error('SMTP_TIMEOUT_SECONDS must be positive');
  return config;
}
