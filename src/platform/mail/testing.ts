/**
 * Test-only helpers for mail: an in-process SMTP server (smtp-server, port 0, with AUTH) that keeps what it receives
 * and can refuse messages on demand, and a small MIME reader for what nodemailer writes (multipart, base64,
 * quoted-printable, RFC 2047 words). Nothing in src/ outside tests imports this.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The authenticated user of the session. */
  user: string | undefined;
  envelopeFrom: string | undefined;
  envelopeTo: string[];
  raw: Buffer;
}

export interface TestSmtpServer {
  /** `smtp://user:pass@127.0.0.1:<port>` (the password has characters that need percent-encoding). */
  url: string;
  user: string;
  password: string;
  received: ReceivedMail[];
  /** Refuses the next `n` messages (after DATA) with the given reply; 451 = try again later. */
  rejectNext(n: number, code?: number, text?: string): void;
  /** Sessions that tried to authenticate with the wrong credentials. */
  failedLogins: number;
  close(): Promise<void>;
}

export async function startTestSmtpServer(opts: { user?: string; password?: string } = {}): Promise<TestSmtpServer> {
  const user = opts.user ?? 'hoso-mailer';
  const password = opts.password ?? 'p@ss:w/rd mật';
  const received: ReceivedMail[] = [];
  let reject = { left: 0, code: 451, text: 'Try again later' };
  let failedLogins = 0;
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    logger: false,
    // close() waits for open connections up to this long; tests do not need 30 s.
    closeTimeout: 200,
    size: 20 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      failedLogins += 1;
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (reject.left > 0) {
          reject.left -= 1;
          return callback(Object.assign(new Error(reject.text), { responseCode: reject.code }));
        }
        received.push({
          user: typeof session.user === 'string' ? session.user : undefined,
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        return callback(null, 'OK: queued');
      });
    },
  });
  await new Promise<void>((resolve, reject_) => {
    server.once('error', reject_);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    user,
    password,
    received,
    rejectNext(n, code = 451, text = 'Try again later') {
      reject = { left: n, code, text };
    },
    get failedLogins() {
      return failedLogins;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// --- a small MIME reader ------------------------------------------------------------------------------------------

export interface MimePart {
  headers: Record<string, string>;
  /** Lower-cased media type, e.g. `text/plain`. */
  type: string;
  params: Record<string, string>;
  /** Decoded body bytes (transfer encoding removed). */
  body: Buffer;
  parts: MimePart[];
}

export interface ParsedMail {
  subject: string;
  from: string;
  to: string;
  text: string | undefined;
  html: string | undefined;
  attachments: { filename: string | undefined; type: string; content: Buffer }[];
  root: MimePart;
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) => {
      const bytes = enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpBytes(data.replace(/_/g, ' '));
      return bytes.toString('utf8');
    });
}

function qpBytes(text: string): Buffer {
  const soft = text.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const ch = soft[i]!;
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      out.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(soft.charCodeAt(i) & 0xff);
  }
  return Buffer.from(out);
}

function parseHeaderBlock(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function parseParams(value: string): { value: string; params: Record<string, string> } {
  const [head, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const i = p.indexOf('=');
    if (i < 0) continue;
    const key = p.slice(0, i).trim().toLowerCase();
    let v = p.slice(i + 1).trim();
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    if (key.endsWith('*')) {
      // RFC 2231: charset''percent-encoded
      const m = /^[^']*'[^']*'(.*)$/.exec(v);
      params[key.slice(0, -1)] = decodeURIComponent(m ? m[1]! : v);
    } else params[key] = decodeWords(v);
  }
  return { value: (head ?? '').trim().toLowerCase(), params };
}

/** Parses one entity from its bytes (latin1 string keeps byte values). */
function parseEntity(raw: string): MimePart {
  const split = /\r?\n\r?\n/.exec(raw);
  const headerText = split ? raw.slice(0, split.index) : raw;
  const bodyText = split ? raw.slice(split.index + split[0].length) : '';
  const headers = parseHeaderBlock(headerText);
  const ct = parseParams(headers['content-type'] ?? 'text/plain');
  const parts: MimePart[] = [];
  let body: Buffer;
  if (ct.value.startsWith('multipart/') && ct.params.boundary) {
    const marker = `--${ct.params.boundary}`;
    const pieces = bodyText.split(marker);
    // pieces[0] is the preamble; the piece starting with "--" follows the closing marker.
    for (const piece of pieces.slice(1)) {
      if (piece.startsWith('--')) break;
      parts.push(parseEntity(piece.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
    }
    body = Buffer.alloc(0);
  } else {
    const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
    if (cte === 'base64') body = Buffer.from(bodyText.replace(/\s+/g, ''), 'base64');
    else if (cte === 'quoted-printable') body = qpBytes(bodyText);
    else body = Buffer.from(bodyText, 'latin1');
  }
  return { headers, type: ct.value, params: ct.params, body, parts };
}

function leaves(part: MimePart): MimePart[] {
  return part.parts.length ? part.parts.flatMap(leaves) : [part];
}

export function parseMail(raw: Buffer): ParsedMail {
  const root = parseEntity(raw.toString('latin1'));
  // Header values were read as latin1 bytes: re-read them as UTF-8 before decoding words.
  const header = (name: string) => decodeWords(Buffer.from(root.headers[name] ?? '', 'latin1').toString('utf8'));
  const all = leaves(root);
  const isAttachment = (p: MimePart) => /^attachment/i.test(p.headers['content-disposition'] ?? '');
  const text = all.find((p) => p.type === 'text/plain' && !isAttachment(p));
  const html = all.find((p) => p.type === 'text/html' && !isAttachment(p));
  return {
    subject: header('subject'),
    from: header('from'),
    to: header('to'),
    text: text?.body.toString('utf8'),
    html: html?.body.toString('utf8'),
    attachments: all.filter(isAttachment).map((p) => ({
      filename: parseParams(p.headers['content-disposition'] ?? '').params.filename ?? p.params.name,
      type: p.type,
      content: p.body,
    })),
    root,
  };
}
