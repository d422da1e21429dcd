/**
 * Outgoing e-mail over SMTP (nodemailer). Off unless `SMTP_URL` is set: `openMailer` then returns null and rooms
 * simply do not enqueue mail. One message per connection (no pool): mail is sent from background jobs, rarely, and a
 * fresh connection per attempt keeps a half-dead server from poisoning later sends.
 *
 *   const mailer = mailerFor(ctx.config);          // null when SMTP is not configured
 *   await mailer?.send({ to, subject, text, html, attachments: [{ filename, content, contentType }] });
 *
 * Every attempt has a bounded time (`SMTP_TIMEOUT_SECONDS`): a server that accepts the connection and then says
 * nothing fails the attempt, and the job system retries it. Errors are rewritten so that neither the password nor
 * an e-mail address reaches a log line or a job's `last_error`.
 */
import nodemailer, { type SMTPTransportOptions } from 'nodemailer';
import type { Config } from '../config.ts';

export type MailConfig = Pick<Config, 'smtpUrl' | 'mailFrom' | 'smtpTimeoutSeconds'>;

export interface MailAttachment {
  filename: string;
  content: Uint8Array;
  contentType: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

export interface SentMail {
  /** The Message-ID header of the message handed over. */
  messageId: string;
  /** The server's final reply to the message, e.g. "250 OK: queued as 1234". */
  response: string;
}

export interface Mailer {
  /** The SMTP server without its credentials (`smtp://user:***@host:587`), for logs. */
  readonly server: string;
  readonly from: string;
  /** Hands one message to the server; throws `MailError` when it is not accepted for every recipient. */
  send(message: MailMessage): Promise<SentMail>;
  close(): void;
}

/** A failed send, with a message safe to log (no credentials, no addresses). */
export class MailError extends Error {
  override readonly name = 'MailError';
  constructor(
    message: string,
    /** The SMTP reply code when the server answered (4xx transient, 5xx permanent), else undefined. */
    readonly responseCode?: number,
    /** nodemailer's error code (ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE, EMESSAGE…). */
    readonly code?: string,
  ) {
    super(message);
  }
}

export const DEFAULT_SMTP_TIMEOUT_SECONDS = 30;

const ADDRESS = /[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+/g;

/** Replaces anything shaped like an e-mail address, so server replies can be kept in logs and job errors. */
export function withoutAddresses(text: string): string {
  return text.replace(ADDRESS, '<address>');
}

/** `SMTP_URL` without its password, for logs and messages. */
export function redactSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<invalid SMTP_URL>';
  }
}

/**
 * nodemailer transport options from `smtp://user:pass@host:587` (STARTTLS when the server offers it) or
 * `smtps://user:pass@host:465` (TLS from the first byte). User and password may be percent-encoded. Query options:
 * `requireTLS=true` (refuse to send without STARTTLS), `rejectUnauthorized=false` (accept a self-signed server
 * certificate — test servers only).
 */
export function smtpOptions(url: string, timeoutSeconds: number = DEFAULT_SMTP_TIMEOUT_SECONDS): SMTPTransportOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('SMTP_URL is not a valid URL (expected smtp://user:pass@host:587 or smtps://user:pass@host:465)');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`SMTP_URL must start with smtp:// or smtps://, got "${u.protocol}//"`);
  if (!u.hostname) throw new Error('SMTP_URL names no host');
  const secure = u.protocol === 'smtps:';
  const ms = Math.max(1, Math.round(timeoutSeconds * 1000));
  const hostname = u.hostname.startsWith('[') && u.hostname.endsWith(']') ? u.hostname.slice(1, -1) : u.hostname;
  const options: SMTPTransportOptions = {
    host: hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    connectionTimeout: ms,
    greetingTimeout: ms,
    socketTimeout: ms,
    dnsTimeout: ms,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  if (u.username || u.password) options.auth = { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
  const q = u.searchParams;
  if (q.get('requireTLS') === 'true') options.requireTLS = true;
  if (q.get('rejectUnauthorized') === 'false') options.tls = { rejectUnauthorized: false };
  return options;
}

/** The limit of one whole send (connect, greet, authenticate, transfer): a hard stop beyond the socket timeouts. */
function sendDeadlineMs(timeoutSeconds: number): number {
  return Math.max(1000, Math.round(timeoutSeconds * 1000) * 4);
}

function mailError(error: unknown): MailError {
  const e = error as { message?: unknown; responseCode?: unknown; code?: unknown };
  const responseCode = typeof e?.responseCode === 'number' ? e.responseCode : undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const raw = typeof e?.message === 'string' ? e.message : String(error);
  return new MailError(`SMTP send failed${code ? ` (${code})` : ''}: ${withoutAddresses(raw).slice(0, 500)}`, responseCode, code);
}

/** A mailer for the configured SMTP server, or null when `SMTP_URL` is unset (mail is off). */
export function openMailer(config: MailConfig): Mailer | null {
  if (!config.smtpUrl) return null;
  const timeoutSeconds = config.smtpTimeoutSeconds ?? DEFAULT_SMTP_TIMEOUT_SECONDS;
  const transport = nodemailer.createTransport(smtpOptions(config.smtpUrl, timeoutSeconds));
  const from = config.mailFrom;
  return {
    server: redactSmtpUrl(config.smtpUrl),
    from,
    async send(message) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), sendDeadlineMs(timeoutSeconds));
      try {
        const info = await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          attachments: (message.attachments ?? []).map((a) => ({ filename: a.filename, content: Buffer.from(a.content), contentType: a.contentType })),
          signal: controller.signal,
        });
        const rejected = Array.isArray(info.rejected) ? info.rejected.length : 0;
        if (rejected > 0) throw new MailError(`SMTP server rejected ${rejected} recipient(s): ${withoutAddresses(String(info.response ?? ''))}`);
        return { messageId: String(info.messageId ?? ''), response: withoutAddresses(String(info.response ?? '')) };
      } catch (error) {
        if (error instanceof MailError) throw error;
        if (controller.signal.aborted) throw new MailError(`SMTP send did not finish within ${sendDeadlineMs(timeoutSeconds) / 1000} s`, undefined, 'ETIMEDOUT');
        throw mailError(error);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      transport.close();
    },
  };
}

const opened = new WeakMap<MailConfig, { url: string; mailer: Mailer | null }>();

/** `openMailer`, once per configuration object (the transport holds no connection between sends). */
export function mailerFor(config: MailConfig): Mailer | null {
  const known = opened.get(config);
  if (known && known.url === (config.smtpUrl ?? '')) return known.mailer;
  const mailer = openMailer(config);
  opened.set(config, { url: config.smtpUrl ?? '', mailer });
  return mailer;
}
