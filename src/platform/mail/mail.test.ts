/**
 * The mailer: off without SMTP_URL; URL → transport options (STARTTLS / TLS, encoded credentials, timeouts); a real
 * SMTP conversation with AUTH against an in-process server (subject, bodies, attachment bytes); failures come back
 * as MailError without the password or any address; a silent server fails the attempt within the timeout.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { MailError, mailerFor, openMailer, redactSmtpUrl, smtpOptions, withoutAddresses } from './index.ts';
import { parseMail, startTestSmtpServer, type TestSmtpServer } from './testing.ts';

let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
});

afterAll(async () => {
  await smtp?.close();
});

const config = (over: Partial<{ smtpUrl: string | undefined; mailFrom: string; smtpTimeoutSeconds: number }> = {}) => ({
  smtpUrl: smtp.url,
  mailFrom: '"Hệ thống hồ sơ điện tử" <no-reply@hoso.example>',
  smtpTimeoutSeconds: 5,
  ...over,
});

describe('configuration', () => {
  it('is off by default, with a sensible From', () => {
    const c = loadConfig({} as NodeJS.ProcessEnv);
    expect(c.smtpUrl).toBeUndefined();
    expect(c.mailFrom).toBe('"Hệ thống hồ sơ điện tử" <no-reply@localhost>');
    expect(c.smtpTimeoutSeconds).toBe(30);
    expect(openMailer(c)).toBeNull();
    expect(mailerFor(c)).toBeNull();
  });

  it('reads SMTP_URL, MAIL_FROM and SMTP_TIMEOUT_SECONDS; a bad URL is refused without echoing it', () => {
    const c = loadConfig({ SMTP_URL: 'smtps://u:secret@mail.example:465', MAIL_FROM: 'UBND <a@b.vn>', SMTP_TIMEOUT_SECONDS: '7' } as NodeJS.ProcessEnv);
    expect(c).toMatchObject({ smtpUrl: 'smtps://u:secret@mail.example:465', mailFrom: 'UBND <a@b.vn>', smtpTimeoutSeconds: 7 });
    let message = '';
    try {
      loadConfig({ SMTP_URL: 'http://u:hunter2@mail.example' } as NodeJS.ProcessEnv);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/SMTP_URL/);
    expect(message).not.toContain('hunter2');
  });

  it('turns the URL into transport options: STARTTLS on smtp://, TLS on smtps://, decoded credentials, timeouts', () => {
    const plain = smtpOptions('smtp://user%40x:p%40ss%3Aw@mail.example', 12);
    expect(plain).toMatchObject({ host: 'mail.example', port: 587, secure: false, auth: { user: 'user@x', pass: 'p@ss:w' } });
    expect(plain).toMatchObject({ connectionTimeout: 12_000, greetingTimeout: 12_000, socketTimeout: 12_000 });
    expect(plain.requireTLS).toBeUndefined();
    expect(smtpOptions('smtps://mail.example')).toMatchObject({ port: 465, secure: true });
    expect(smtpOptions('smtps://mail.example').auth).toBeUndefined();
    expect(smtpOptions('smtp://mail.example:2525?requireTLS=true')).toMatchObject({ port: 2525, requireTLS: true });
    expect(() => smtpOptions('ftp://mail.example')).toThrow(/smtp:\/\//);
  });

  it('never shows the password in the server name', () => {
    expect(redactSmtpUrl('smtp://user:s3cret@mail.example:587')).toBe('smtp://user:***@mail.example:587');
    expect(openMailer(config())!.server).not.toContain(encodeURIComponent(smtp.password));
    expect(withoutAddresses('550 5.1.1 <an.nguyen@example.vn>: no such user')).toBe('550 5.1.1 <<address>>: no such user');
  });
});

describe('sending', () => {
  it('delivers over SMTP with AUTH: From, To, Vietnamese subject, text, HTML and an attachment byte for byte', async () => {
    const mailer = openMailer(config())!;
    const pdf = new Uint8Array(3000).map((_, i) => (i * 37) % 256);
    const sent = await mailer.send({
      to: 'an.nguyen@example.vn',
      subject: 'Giấy tiếp nhận hồ sơ 000.01.30.H26-260105-0001 / Receipt',
      text: 'Kính gửi ông/bà,\nHồ sơ đã được tiếp nhận.',
      html: '<p>Hồ sơ đã được <b>tiếp nhận</b>.</p>',
      attachments: [{ filename: 'giay-tiep-nhan.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    expect(sent.messageId).toMatch(/^<.+>$/);
    expect(sent.response).toContain('250');
    const got = smtp.received.at(-1)!;
    expect(got.user).toBe(smtp.user);
    expect(got.envelopeTo).toEqual(['an.nguyen@example.vn']);
    expect(got.envelopeFrom).toBe('no-reply@hoso.example');
    const mail = parseMail(got.raw);
    expect(mail.subject).toBe('Giấy tiếp nhận hồ sơ 000.01.30.H26-260105-0001 / Receipt');
    expect(mail.from).toContain('Hệ thống hồ sơ điện tử');
    expect(mail.text).toContain('Hồ sơ đã được tiếp nhận.');
    expect(mail.html).toContain('<b>tiếp nhận</b>');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'giay-tiep-nhan.pdf', type: 'application/pdf' });
    expect(Buffer.compare(mail.attachments[0]!.content, Buffer.from(pdf))).toBe(0);
    mailer.close();
  });

  it('fails with MailError on a wrong password, without the password or the address in the message', async () => {
    const u = new URL(smtp.url);
    u.password = 'wrong-Pa55';
    const mailer = openMailer(config({ smtpUrl: u.toString() }))!;
    const before = smtp.received.length;
    const err = await mailer.send({ to: 'an.nguyen@example.vn', subject: 's', text: 't' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailError);
    expect((err as MailError).code).toBe('EAUTH');
    expect((err as MailError).message).not.toContain('wrong-Pa55');
    expect((err as MailError).message).not.toContain('an.nguyen@example.vn');
    expect(smtp.received.length).toBe(before);
  });

  it('reports a refused message with its reply code, addresses removed', async () => {
    const mailer = openMailer(config())!;
    smtp.rejectNext(1, 451, 'Mailbox <an.nguyen@example.vn> busy, try later');
    const err = await mailer.send({ to: 'an.nguyen@example.vn', subject: 's', text: 't' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailError);
    expect((err as MailError).responseCode).toBe(451);
    expect((err as MailError).message).toContain('busy');
    expect((err as MailError).message).not.toContain('an.nguyen@example.vn');
    // The next one goes through.
    await expect(mailer.send({ to: 'an.nguyen@example.vn', subject: 's', text: 't' })).resolves.toMatchObject({ response: expect.stringContaining('250') });
  });

  it('gives up on a server that accepts the connection and never greets, within the timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const mailer = openMailer(config({ smtpUrl: `smtp://u:p@127.0.0.1:${port}`, smtpTimeoutSeconds: 0.5 }))!;
      const started = Date.now();
      const err = await mailer.send({ to: 'an.nguyen@example.vn', subject: 's', text: 't' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MailError);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
