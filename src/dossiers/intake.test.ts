/**
 * Intake through the HTTP API (issue 4): online submission with a self-declared form, a signed e-certified copy
 * and a photo; every bad-file case refused precisely with nothing stored; idempotent replay; atomicity; the
 * counter's reception decisions with scope, R3 and optimistic concurrency; the public status page; applicant views.
 * Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { procedureDueDate } from '../catalog/service.ts';
import { identityRoutes } from '../identity/routes.ts';
import { createSignedInUser, type TestSession } from '../identity/testing.ts';
import { sha256Hex, sweepOrphanBlobs } from '../platform/blobs/index.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db, Queryable } from '../platform/db/db.ts';
import { buildApp, type RoomPlugin } from '../platform/http/app.ts';
import { dossierRoutes, type DossierRoutesOptions } from './routes.ts';
import {
  COMPONENTS as C,
  WORLD,
  createTestSigning,
  javascriptPdf,
  samplePdf,
  seedIntakeCatalog,
  tamper,
  tinyPng,
  usualComponents,
  validForm,
  type TestSigning,
} from './testing.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
type User = TestSession & { userId: string };

const MAX_FILE = 300_000;

let ctx: Ctx;
let app: FastifyInstance;
let signing: TestSigning;
let stranger: TestSigning;
let citizen: User;
let otherCitizen: User;
let agent: User;
let counter: User;
let otherCounter: User;
let signedPdf: Uint8Array;

function appFor(c: AppContext, intake: DossierRoutesOptions): Promise<FastifyInstance> {
  const room: RoomPlugin = async (instance: FastifyInstance, opts: { ctx: AppContext }) => dossierRoutes(instance, { ctx: opts.ctx, intake });
  return buildApp(c, { rooms: [identityRoutes, room], logger: false });
}

beforeAll(async () => {
  ctx = await createTestContext();
  await seedIntakeCatalog(ctx);
  signing = await createTestSigning('trusted');
  stranger = await createTestSigning('untrusted');
  signedPdf = await signing.signed('Ban sao chung thuc van bang');
  app = await appFor(ctx, { trustAnchors: async () => signing.pki.trustAnchors, maxFileBytes: MAX_FILE, statusRateLimit: { max: 1000, windowSeconds: 60 } });
  await app.ready();
  citizen = await createSignedInUser(ctx, { role: 'citizen' });
  otherCitizen = await createSignedInUser(ctx, { role: 'citizen' });
  agent = await createSignedInUser(ctx, { role: 'agent' });
  counter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch });
  otherCounter = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.otherBranch });
});

afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

// ---------------------------------------------------------------------------------------------------------------

interface FilePart {
  field: string;
  filename: string;
  type: string;
  bytes: Uint8Array;
}

function multipart(dossier: unknown, files: FilePart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----hoso${randomUUID()}`;
  const parts: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="dossier"\r\n\r\n${JSON.stringify(dossier)}\r\n`)];
  for (const f of files) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`),
      Buffer.from(f.bytes),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function fullDossier(who: User, extra: Partial<{ applicant: unknown }> = {}) {
  return {
    procedure: WORLD.procedure,
    receivingAgency: WORLD.branch,
    ...extra,
    components: usualComponents(who.principal.subjectId!),
  };
}

function fullFiles(diploma: Uint8Array = signedPdf): FilePart[] {
  return [{ field: `component:${C.diploma}`, filename: 'van-bang.pdf', type: 'application/pdf', bytes: diploma }];
}

async function submit(who: User, dossier: unknown, files: FilePart[], headers: Record<string, string> = {}) {
  const m = multipart(dossier, files);
  return app.inject({ method: 'POST', url: '/api/dossiers', payload: m.payload, headers: { ...who.headers, ...m.headers, ...headers } });
}

async function post(who: User, url: string, payload: unknown = {}) {
  return app.inject({ method: 'POST', url, payload: payload as object, headers: who.headers });
}

async function get(who: User | null, url: string) {
  return app.inject({ method: 'GET', url, headers: who ? who.headers : {} });
}

async function counts(q: Queryable = ctx.db) {
  const r = await q.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM dossier) AS dossier, (SELECT count(*)::int FROM dossier_component) AS component,
            (SELECT count(*)::int FROM document) AS document, (SELECT count(*)::int FROM validation_report) AS report,
            (SELECT count(*)::int FROM blob) AS blob, (SELECT count(*)::int FROM dossier_event) AS event`,
  );
  return r.rows[0]!;
}

async function storedBlobs(c: AppContext = ctx): Promise<number> {
  let n = 0;
  for await (const _ of c.blobs.list()) n++;
  return n;
}

async function submitted(who: User = citizen): Promise<{ id: string; statusSecret: string }> {
  const res = await submit(who, fullDossier(who), fullFiles());
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; statusSecret: string };
}

// ---------------------------------------------------------------------------------------------------------------

describe('online submission', () => {
  it('stores the dossier, its components with bases and evidence, documents and the signature report (status 1)', async () => {
    const before = await counts();
    const res = await submit(citizen, fullDossier(citizen), fullFiles());
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { id: string; status: string; portalStatus: number; statusSecret: string };
    expect(body).toMatchObject({ status: 'new', portalStatus: 1 });
    expect(body.statusSecret.length).toBeGreaterThanOrEqual(20);
    const after = await counts();
    expect(after.dossier - before.dossier).toBe(1);
    expect(after.component - before.component).toBe(3);
    expect(after.document - before.document).toBe(2);
    expect(after.report - before.report).toBe(1);
    expect(after.event - before.event).toBe(1);

    // The secret is kept only as a hash.
    const row = await ctx.db.query<{ status_secret_hash: string; state: unknown }>('SELECT status_secret_hash, state FROM dossier WHERE id = $1', [body.id]);
    expect(row.rows[0]!.status_secret_hash).not.toContain(body.statusSecret);
    expect(JSON.stringify(row.rows[0]!.state)).not.toContain(body.statusSecret);

    const mine = await get(citizen, `/api/my/dossiers/${body.id}`);
    expect(mine.statusCode, mine.body).toBe(200);
    const detail = mine.json() as {
      components: { key: string; basis: string | null; exemptReason: string | null; assessment: string; evidence: Record<string, unknown>; document: { mediaType: string; pages: number } | null; validation: { indication: string } | null }[];
      history: { type: string }[];
    };
    const byKey = Object.fromEntries(detail.components.map((c) => [c.key, c]));
    expect(byKey[C.form]).toMatchObject({ basis: 'SELF_DECLARED', assessment: 'valid', document: { mediaType: 'application/json' } });
    expect(byKey[C.form]!.evidence.form).toMatchObject({ hoTen: 'Nguyễn Văn An' });
    expect(byKey[C.diploma]).toMatchObject({ basis: 'E_CERTIFIED', assessment: 'valid', validation: { indication: 'TOTAL_PASSED' } });
    expect(byKey[C.photo]).toMatchObject({ basis: null, assessment: 'missing', document: null });
    expect(byKey[C.card]).toMatchObject({ basis: null, exemptReason: 'SHOWN_ONLY', assessment: 'exempt' });
    expect(detail.history.map((e) => e.type)).toEqual(['submitted']);

    // The read of personal data is audited.
    const audit = await ctx.db.query<{ type: string }>("SELECT type FROM audit_event WHERE subject_id = $1 ORDER BY seq", [body.id]);
    expect(audit.rows.map((r) => r.type)).toEqual(['dossier.submitted', 'dossier.read']);


    // The original upload is kept byte for byte, and served to the applicant and the receiving counter only.
    const doc = await ctx.db.query<{ id: string; blob_sha256: string }>(
      `SELECT d.id, d.blob_sha256 FROM dossier_component c JOIN document d ON d.id = c.document_id WHERE c.dossier_id = $1 AND c.component_key = $2`,
      [body.id, C.diploma],
    );
    expect(Buffer.from(await ctx.blobs.get(doc.rows[0]!.blob_sha256)).equals(Buffer.from(signedPdf))).toBe(true);
    const served = await get(citizen, `/api/my/dossiers/${body.id}/documents/${doc.rows[0]!.id}`);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toContain('application/pdf');
    expect(served.rawPayload.equals(Buffer.from(signedPdf))).toBe(true);
    expect((await get(counter, `/api/reception/dossiers/${body.id}/documents/${doc.rows[0]!.id}`)).statusCode).toBe(200);
    expect((await get(otherCounter, `/api/reception/dossiers/${body.id}/documents/${doc.rows[0]!.id}`)).statusCode).toBe(404);
    expect((await get(otherCitizen, `/api/my/dossiers/${body.id}/documents/${doc.rows[0]!.id}`)).statusCode).toBe(404);
    // A document id of another dossier is not reachable through this one.
    expect((await get(citizen, `/api/my/dossiers/${body.id}/documents/${randomUUID()}`)).statusCode).toBe(404);
  });

  it('accepts a JSON-only submission when no component needs a file (missing ones are allowed until reception)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: citizen.headers,
      payload: { procedure: WORLD.procedure, receivingAgency: WORLD.branch, components: [{ key: C.form, form: validForm(citizen.principal.subjectId!) }] },
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses procedures not offered online, and agencies that do not receive the procedure', async () => {
    await ctx.db.query("UPDATE procedure SET channels = '{counter}' WHERE key = $1", [WORLD.procedure]);
    try {
      const res = await submit(citizen, fullDossier(citizen), fullFiles());
      expect(res.json()).toMatchObject({ code: 'PROCEDURE_NOT_ONLINE' });
    } finally {
      await ctx.db.query("UPDATE procedure SET channels = '{full_online,counter}' WHERE key = $1", [WORLD.procedure]);
    }
    const wrongAgency = await submit(citizen, { ...fullDossier(citizen), receivingAgency: WORLD.health }, fullFiles());
    expect(wrongAgency.json()).toMatchObject({ code: 'RECEIVING_AGENCY_INVALID' });
  });

  it('validates forms on the server: identifiers, dates, VND amounts, required fields', async () => {
    const before = await counts();
    const res = await submit(
      citizen,
      { ...fullDossier(citizen), components: [{ key: C.form, form: { hoTen: '', soDinhDanh: '999085012345', ngaySinh: '1985-02-30', lePhiVnd: 12.5 } }] },
      [],
    );
    expect(res.statusCode).toBe(422);
    const p = res.json() as { code: string; problems: { field: string; code: string }[] };
    expect(p.code).toBe('FORM_INVALID');
    expect(p.problems.map((x) => `${x.field}:${x.code}`).sort()).toEqual(['hoTen:required', 'lePhiVnd:invalid_amount', 'ngaySinh:invalid_date', 'soDinhDanh:invalid_id'].sort());
    expect(await counts()).toEqual(before);
  });

  it('refuses a basis the procedure does not accept, a digitized copy of a form, and photos as signed copies', async () => {
    const before = await counts();
    const photoAsCertified = await submit(
      citizen,
      { ...fullDossier(citizen), components: [{ key: C.photo, basis: 'E_CERTIFIED' }] },
      [{ field: `component:${C.photo}`, filename: 'a.pdf', type: 'application/pdf', bytes: signedPdf }],
    );
    expect(photoAsCertified.json()).toMatchObject({ code: 'BASIS_NOT_ACCEPTED', component: C.photo });
    // A digitized copy online is photos of a paper the procedure accepts as DIGITIZED_SIGNED; the form is not one.
    const digitized = await submit(citizen, { ...fullDossier(citizen), components: [{ key: C.form, basis: 'DIGITIZED_SIGNED' }] }, [
      { field: `component:${C.form}`, filename: 'a.png', type: 'image/png', bytes: tinyPng() },
    ]);
    expect(digitized.json()).toMatchObject({ code: 'BASIS_NOT_ACCEPTED', component: C.form });
    const photoOfCopy = await submit(citizen, fullDossier(citizen), [
      { field: `component:${C.diploma}`, filename: 'anh.jpg', type: 'image/jpeg', bytes: tinyPng() },
    ]);
    expect(photoOfCopy.json()).toMatchObject({ code: 'SIGNATURE_NOT_VALID', component: C.diploma });
    expect((photoOfCopy.json() as { detail: string }).detail).toContain('Ảnh chụp không mang chữ ký số');
    expect(await counts()).toEqual(before);
  });

  describe('bad files: a precise problem each, and nothing stored', () => {
    const cases: [string, () => Promise<FilePart[]>, number, string][] = [
      ['a 0-byte file', async () => fullFiles(new Uint8Array()), 422, 'FILE_EMPTY'],
      ['a file over the limit', async () => fullFiles(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(MAX_FILE)])), 413, 'FILE_TOO_LARGE'],
      ['an image disguised as PDF', async () => fullFiles(tinyPng(8, 8)), 422, 'FILE_TYPE_MISMATCH'],
      ['a malformed PDF', async () => fullFiles(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')), 422, 'PDF_MALFORMED'],
      ['a truncated PDF', async () => fullFiles((await samplePdf()).subarray(0, 300)), 422, 'PDF_MALFORMED'],
      ['a PDF with JavaScript actions', async () => fullFiles(await javascriptPdf()), 422, 'PDF_ACTIVE_CONTENT'],
      ['an unsigned PDF as e-certified copy', async () => fullFiles(await samplePdf()), 422, 'SIGNATURE_NOT_VALID'],
      ['a tampered signed PDF', async () => fullFiles(tamper(signedPdf)), 422, 'SIGNATURE_NOT_VALID'],
      ['a PDF signed under an untrusted root', async () => fullFiles(await stranger.signed()), 422, 'SIGNATURE_NOT_VALID'],
      ['a text file', async () => [{ field: `component:${C.diploma}`, filename: 'a.txt', type: 'text/plain', bytes: Buffer.from('hello') }], 415, 'FILE_TYPE_UNSUPPORTED'],
    ];
    for (const [name, files, status, code] of cases) {
      it(name, async () => {
        const before = await counts();
        const blobs = await storedBlobs();
        const res = await submit(citizen, fullDossier(citizen), await files());
        expect(res.statusCode, res.body).toBe(status);
        const p = res.json() as { code: string; component?: string; title: string; titles: { vi: string; en: string } };
        expect(p.code).toBe(code);
        expect(p.component).toBe(C.diploma);
        expect(p.titles.vi.length).toBeGreaterThan(0);
        expect(p.titles.en.length).toBeGreaterThan(0);
        expect(await counts()).toEqual(before);
        expect(await storedBlobs()).toBe(blobs);
      });
    }

    it('a failing signature is explained in Vietnamese, naming the component', async () => {
      const res = await submit(citizen, fullDossier(citizen), fullFiles(tamper(signedPdf)));
      const p = res.json() as { title: string; detail: string; indication: string };
      expect(p.title).toBe('Chữ ký số của tài liệu không hợp lệ');
      expect(p.detail).toContain('Bản sao văn bằng chuyên môn');
      expect(p.indication).not.toBe('TOTAL_PASSED');
    });
  });

  it('is idempotent: the same key replays the first answer (with a fresh secret); another body under it is refused', async () => {
    const key = `k-${randomUUID()}`;
    const before = await counts();
    const first = await submit(citizen, fullDossier(citizen), fullFiles(), { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    const again = await submit(citizen, fullDossier(citizen), fullFiles(), { 'idempotency-key': key });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const a = first.json() as { id: string; statusSecret: string };
    const b = again.json() as { id: string; statusSecret: string };
    expect(b.id).toBe(a.id);
    expect((await counts()).dossier - before.dossier).toBe(1);
    // Only the latest secret works.
    expect((await get(null, `/api/public/dossiers/${a.id}/status?secret=${b.statusSecret}`)).statusCode).toBe(200);
    expect((await get(null, `/api/public/dossiers/${a.id}/status?secret=${a.statusSecret}`)).statusCode).toBe(404);

    const other = await submit(citizen, { ...fullDossier(citizen), components: [{ key: C.form, form: validForm(citizen.principal.subjectId!) }] }, [], {
      'idempotency-key': key,
    });
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('is atomic: a failure inside the transaction leaves no row, only orphan blobs for the sweeper', async () => {
    // The audit append is the transaction's last statement; failing it proves everything before rolls back.
    const failing: Db = {
      ...ctx.db,
      kind: ctx.db.kind,
      query: ctx.db.query.bind(ctx.db),
      exec: ctx.db.exec.bind(ctx.db),
      close: ctx.db.close.bind(ctx.db),
      tx: (fn) =>
        ctx.db.tx((q) =>
          fn({
            exec: q.exec,
            query: async (sql, params) => {
              if (sql.includes('INSERT INTO audit_event')) throw new Error('disk full (simulated)');
              return q.query(sql, params);
            },
          } as Queryable),
        ),
    };
    const broken = { ...ctx, db: failing };
    const brokenApp = await appFor(broken, { trustAnchors: async () => signing.pki.trustAnchors, maxFileBytes: MAX_FILE });
    try {
      const before = await counts();
      const pdf = await signing.signed('Atomic');
      const m = multipart(fullDossier(citizen), [{ field: `component:${C.diploma}`, filename: 'v.pdf', type: 'application/pdf', bytes: pdf }]);
      const res = await brokenApp.inject({ method: 'POST', url: '/api/dossiers', payload: m.payload, headers: { ...citizen.headers, ...m.headers } });
      expect(res.statusCode).toBe(500);
      expect(await counts()).toEqual(before);
      // The bytes were written first and have no row: the sweeper removes them (the form JSON may already be
      // referenced by an earlier identical submission, and then stays).
      const swept = await sweepOrphanBlobs(ctx.db, ctx.blobs, { graceSeconds: 0, now: new Date(Date.now() + 1000) });
      expect(swept.removed).toContain(sha256Hex(pdf));
      expect(await storedBlobs()).toBe((await counts()).blob);
    } finally {
      await brokenApp.close();
    }
  });

  it('an agent needs the applicant’s recorded consent', async () => {
    const forCitizen = fullDossier(citizen, { applicant: { subjectId: citizen.principal.subjectId, kind: 'citizen' } });
    const refused = await submit(agent, forCitizen, fullFiles());
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'CONSENT_REQUIRED' });

    const consent = await post(citizen, '/api/my/consents', { agentUsername: agent.principal.username });
    expect(consent.statusCode, consent.body).toBe(201);
    const ok = await submit(agent, forCitizen, fullFiles());
    expect(ok.statusCode, ok.body).toBe(201);
    const id = (ok.json() as { id: string }).id;
    // Both the applicant and the agent see it; another citizen does not.
    expect((await get(citizen, '/api/my/dossiers?limit=200')).body).toContain(id);
    expect((await get(agent, '/api/my/dossiers')).body).toContain(id);
    expect((await get(otherCitizen, '/api/my/dossiers?limit=200')).body).not.toContain(id);
    expect((await get(otherCitizen, `/api/my/dossiers/${id}`)).statusCode).toBe(404);
  });
});

describe('reception decision', () => {
  it('the queue shows online dossiers of the officer’s agency only', async () => {
    const { id } = await submitted();
    const mine = await get(counter, '/api/reception/queue?limit=200');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain(id);
    const other = await get(otherCounter, '/api/reception/queue?limit=200');
    expect(other.body).not.toContain(id);
    expect((await get(citizen, '/api/reception/queue')).statusCode).toBe(403);
  });

  it('receive: status 2, the clock starts now, a code is allocated, the promised date comes from the calendar', async () => {
    const { id, statusSecret } = await submitted();
    expect((await post(otherCounter, `/api/dossiers/${id}/receive`)).statusCode).toBe(404);
    const res = await post(counter, `/api/dossiers/${id}/receive`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as { code: string; status: string; portalStatus: number; receivedAt: string; promisedDue: string; statusSecret: string };
    expect(r).toMatchObject({ status: 'received', portalStatus: 2 });
    expect(r.code.startsWith(`${WORLD.branch}-`)).toBe(true);
    const expected = await procedureDueDate(ctx.db, WORLD.procedure, new Date(r.receivedAt));
    expect(r.promisedDue).toBe(expected.due.toISOString());

    const status = await get(null, `/api/public/dossiers/${encodeURIComponent(r.code)}/status?secret=${r.statusSecret}`);
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toMatchObject({ code: r.code, status: 'received', label: { vi: 'Đã tiếp nhận' }, promisedDue: r.promisedDue });
    // The submission secret is replaced by the receipt's; a wrong secret looks like an unknown dossier.
    expect((await get(null, `/api/public/dossiers/${encodeURIComponent(r.code)}/status?secret=${statusSecret}`)).statusCode).toBe(404);
    expect((await get(null, `/api/public/dossiers/${encodeURIComponent(r.code)}/status?secret=wrong`)).json()).toMatchObject({
      code: 'DOSSIER_STATUS_NOT_FOUND',
    });

    const again = await post(counter, `/api/dossiers/${id}/receive`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'DOSSIER_INVALID_STATE' });
    const audit = await ctx.db.query<{ type: string }>('SELECT type FROM audit_event WHERE subject_id = $1 ORDER BY seq', [id]);
    expect(audit.rows.map((x) => x.type)).toContain('dossier.received');
  });

  it('a stale version is refused with 409', async () => {
    const { id } = await submitted();
    const res = await post(counter, `/api/dossiers/${id}/receive`, { version: 7 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONFLICT' });
  });

  it('two officers receiving at once: one wins, the other gets 409', async () => {
    const { id } = await submitted();
    const second = await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch });
    const [a, b] = await Promise.all([post(counter, `/api/dossiers/${id}/receive`), post(second, `/api/dossiers/${id}/receive`)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const codes = await ctx.db.query<{ code: string | null }>('SELECT code FROM dossier WHERE id = $1', [id]);
    expect(codes.rows[0]!.code).not.toBeNull();
    const events = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM dossier_event WHERE dossier_id = $1 AND type = 'received'", [id]);
    expect(events.rows[0]!.n).toBe(1);
  });

  it('return for completion: once, only missing or invalid components; naming a valid one is an R3 violation', async () => {
    const res = await submit(citizen, { ...fullDossier(citizen), components: [{ key: C.form, form: validForm(citizen.principal.subjectId!) }] }, []);
    const { id } = res.json() as { id: string };
    // Receiving an incomplete dossier is refused by the rules (R1).
    expect((await post(counter, `/api/dossiers/${id}/receive`)).json()).toMatchObject({ code: 'DOSSIER_COMPONENTS_INCOMPLETE' });

    const violation = await post(counter, `/api/dossiers/${id}/return-for-completion`, {
      items: [{ componentKey: C.form, reason: 'Nộp bản giấy có chữ ký' }],
    });
    expect(violation.statusCode).toBe(422);
    expect(violation.json()).toMatchObject({ code: 'DOSSIER_SUPPLEMENT_NAMES_VALID_COMPONENT', violation: 'R3' });
    const rows = await ctx.db.query<{ rule: string; code: string; actor_id: string }>('SELECT rule, code, actor_id FROM violation_attempt WHERE dossier_id = $1', [id]);
    expect(rows.rows).toEqual([{ rule: 'R3', code: 'supplement_names_valid_component', actor_id: counter.userId }]);
    const audit = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND type = 'dossier.violation_attempt'", [id]);
    expect(audit.rows[0]!.n).toBe(1);

    const ok = await post(counter, `/api/dossiers/${id}/return-for-completion`, {
      items: [
        { componentKey: C.diploma, reason: 'Thiếu bản sao chứng thực điện tử văn bằng' },
        { componentKey: C.card, reason: 'Chưa ghi nhận việc xuất trình thẻ căn cước' },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'new', code: null });
    const status = await get(citizen, `/api/my/dossiers/${id}`);
    expect(status.json()).toMatchObject({ completionRequest: { items: [{ componentKey: C.diploma }, { componentKey: C.card }], answeredAt: null } });

    const twice = await post(counter, `/api/dossiers/${id}/return-for-completion`, { items: [{ componentKey: C.diploma, reason: 'Lần nữa' }] });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'DOSSIER_COMPLETION_ALREADY_RETURNED' });

    // The applicant answers with exactly what was asked; anything else is refused by the rules.
    const complete = (components: unknown[], files: FilePart[]) => {
      const m = multipart({ components }, files);
      const payload = Buffer.from(m.payload.toString('latin1').replace('name="dossier"', 'name="completion"'), 'latin1');
      return app.inject({ method: 'POST', url: `/api/my/dossiers/${id}/completion`, payload, headers: { ...citizen.headers, ...m.headers } });
    };
    const notAsked = await complete([{ key: C.form, form: validForm(citizen.principal.subjectId!) }], []);
    expect(notAsked.json()).toMatchObject({ code: 'DOSSIER_NOT_REQUESTED_COMPONENT' });
    const before = await counts();
    const badFile = await complete([{ key: C.diploma, basis: 'E_CERTIFIED' }, { key: C.card, exempt: { reason: 'SHOWN_ONLY' } }], fullFiles(tamper(signedPdf)));
    expect(badFile.json()).toMatchObject({ code: 'SIGNATURE_NOT_VALID' });
    expect(await counts()).toEqual(before);
    expect((await post(otherCitizen, `/api/my/dossiers/${id}/completion`, { components: [] })).statusCode).toBe(404);

    const supplied = await complete([{ key: C.diploma, basis: 'E_CERTIFIED' }, { key: C.card, exempt: { reason: 'SHOWN_ONLY' } }], fullFiles());
    expect(supplied.statusCode, supplied.body).toBe(200);
    expect(supplied.json()).toMatchObject({ status: 'new' });
    expect((await get(counter, '/api/reception/queue?limit=200')).body).toContain(id);
    const received = await post(counter, `/api/dossiers/${id}/receive`);
    expect(received.statusCode, received.body).toBe(200);
    const detail = (await get(citizen, `/api/my/dossiers/${id}`)).json() as { history: { type: string }[]; components: { key: string; assessment: string }[] };
    expect(detail.history.map((e) => e.type)).toEqual(['submitted', 'returned_for_completion', 'completion_supplied', 'received']);
    expect(detail.components.find((c) => c.key === C.diploma)!.assessment).toBe('valid');
  });

  it('refuse: a reason is required; status 3 afterwards', async () => {
    const { id, statusSecret } = await submitted();
    const empty = await post(counter, `/api/dossiers/${id}/refuse`, { reason: '   ' });
    expect(empty.json()).toMatchObject({ code: 'DOSSIER_REASON_REQUIRED' });
    const res = await post(counter, `/api/dossiers/${id}/refuse`, { reason: 'Thủ tục không thuộc thẩm quyền tiếp nhận' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'not_received', portalStatus: 3, code: null });
    const pub = await get(null, `/api/public/dossiers/${id}/status?secret=${statusSecret}`);
    expect(pub.json()).toMatchObject({ status: 'not_received', label: { vi: 'Từ chối tiếp nhận' } });
  });
});

describe('public status', () => {
  it('is rate-limited per client', async () => {
    const limited = await appFor(ctx, { trustAnchors: async () => signing.pki.trustAnchors, statusRateLimit: { max: 2, windowSeconds: 60 } });
    try {
      const { id, statusSecret } = await submitted();
      const url = `/api/public/dossiers/${id}/status?secret=${statusSecret}`;
      expect((await limited.inject({ method: 'GET', url })).statusCode).toBe(200);
      expect((await limited.inject({ method: 'GET', url: `/api/public/dossiers/${id}/status?secret=guess` })).statusCode).toBe(404);
      const third = await limited.inject({ method: 'GET', url });
      expect(third.statusCode).toBe(429);
      expect(third.json()).toMatchObject({ code: 'RATE_LIMITED' });
    } finally {
      await limited.close();
    }
  });
});
