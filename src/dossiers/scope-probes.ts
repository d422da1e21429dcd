/**
 * Scope probes of the intake routes (see identity/scope-probe.ts): an applicant reaches only their own dossiers
 * (or those they were given consent for), a counter officer only the dossiers received by their agency.
 *
 * The access test's agencies have no e-ID codes, so probe dossiers are submitted at the intake test catalog's
 * branch and then moved to the world's agency (test data only).
 */
import type { Role } from '../identity/roles.ts';
import type { ScopeProbe, ScopeWorld, WorldUser } from '../identity/scope-probe.ts';
import type { AppContext } from '../platform/context.ts';
import { randomUUID } from 'node:crypto';
import * as documents from '../documents/store.ts';
import * as service from './service.ts';
import * as store from './store.ts';
import { COMPONENTS as C, TINY_JPEG, WORLD, createTestSigning, provisionDemoSigning, seedIntakeCatalog, validForm, type TestSigning } from './testing.ts';

const seeded = new WeakSet<AppContext>();
let signing: Promise<TestSigning> | null = null;

async function prepare(world: ScopeWorld): Promise<TestSigning> {
  if (!seeded.has(world.ctx)) {
    await seedIntakeCatalog(world.ctx);
    seeded.add(world.ctx);
  }
  signing ??= createTestSigning('probe');
  return signing;
}

/** Whose dossier an applicant user submits: their own, or (agents) the citizen of the same side of the world. */
function applicantFor(world: ScopeWorld, user: WorldUser, side: 'callers' | 'others'): { subjectId: string; kind: 'citizen' | 'business' } {
  if (user.principal.role === 'agent') return { subjectId: world[side].citizen.principal.subjectId!, kind: 'citizen' };
  return { subjectId: user.principal.subjectId!, kind: user.principal.role === 'business' ? 'business' : 'citizen' };
}

async function ensureConsent(world: ScopeWorld, agent: WorldUser, subjectId: string): Promise<void> {
  if (await store.findActiveConsent(world.ctx.db, agent.userId, subjectId)) return;
  await store.insertConsent(world.ctx.db, { applicantSubjectId: subjectId, grantedBy: agent.userId, agentUserId: agent.userId, at: world.ctx.now() });
}

/** What a probe dossier carries: the form only, everything (receivable), or everything but the form. */
type Parts = 'form' | 'all' | 'no-form';

function submissionInput(applicant: { subjectId: string; kind: 'citizen' | 'business' }, agent: boolean, parts: Parts): service.SubmissionInput {
  return {
    procedure: WORLD.procedure,
    receivingAgency: WORLD.branch,
    ...(agent ? { applicant } : {}),
    components: [
      ...(parts !== 'no-form' ? [{ key: C.form, form: validForm(applicant.subjectId) }] : []),
      ...(parts !== 'form' ? [{ key: C.diploma, basis: 'E_CERTIFIED' as const }, { key: C.card, exempt: { reason: 'SHOWN_ONLY' as const } }] : []),
    ],
  };
}

/** Submits a dossier as `user`, received by `agency` of the world. */
/** An online dossier of `user` (or the applicant an agent acts for) received in `agency`; also used by other rooms' probes. */
export async function dossierOf(world: ScopeWorld, user: WorldUser, side: 'callers' | 'others', agency: 'mine' | 'other', complete: boolean | Parts): Promise<string> {
  const parts: Parts = complete === true ? 'all' : complete === false ? 'form' : complete;
  const sig = await prepare(world);
  const applicant = applicantFor(world, user, side);
  const agent = user.principal.role === 'agent';
  if (agent) await ensureConsent(world, user, applicant.subjectId);
  const files =
    parts !== 'form' ? [{ componentKey: C.diploma, filename: 'v.pdf', declaredType: 'application/pdf', bytes: await sig.signed('Probe') }] : [];
  const r = await service.submitOnline(world.ctx, user.principal, submissionInput(applicant, agent, parts), files, {
    trustAnchors: async () => sig.pki.trustAnchors,
  });
  const a = world.agencies[agency];
  await world.ctx.db.query(
    `UPDATE dossier SET receiving_agency_id = $2, current_agency_id = $2,
       state = jsonb_set(jsonb_set(state, '{receivingAgency}', to_jsonb($3::text)), '{currentAgency}', to_jsonb($3::text))
     WHERE id = $1`,
    [r.body.id, a.id, a.code],
  );
  return r.body.id;
}

const counterDossier = (world: ScopeWorld, agency: 'mine' | 'other', complete: boolean) =>
  dossierOf(world, world.callers.citizen, 'callers', agency, complete);

function officerPair(path: (id: string) => string, payload: unknown, complete: boolean): ScopeProbe['build'] {
  return async (world) => ({
    own: { url: path(await counterDossier(world, 'mine', complete)), payload },
    foreign: { url: path(await counterDossier(world, 'other', complete)), payload },
  });
}

async function firstDocument(world: ScopeWorld, dossierId: string): Promise<string> {
  const r = await world.ctx.db.query<{ document_id: string }>(
    'SELECT document_id FROM dossier_component WHERE dossier_id = $1 AND document_id IS NOT NULL ORDER BY component_key LIMIT 1',
    [dossierId],
  );
  return r.rows[0]!.document_id;
}

/**
 * A received dossier with a receipt. The access world has no signing keys, so the receipt row points at a stand-in
 * PDF blob (test data only: the probe checks who may read it, not what it is).
 */
async function withReceipt(world: ScopeWorld, id: string, officer: WorldUser): Promise<string> {
  const { ctx } = world;
  const received = await service.receiveDossier(ctx, officer.principal, id).catch(() => null);
  if (!received?.receipt) {
    const blob = await ctx.blobs.put(new TextEncoder().encode(`%PDF-1.7 probe receipt ${id}\n%%EOF`));
    await ctx.db.tx(async (q) => {
      const docId = await documents.insertDocument(q, {
        id: randomUUID(),
        blob: { sha256: blob.sha256, size: blob.size, mediaType: 'application/pdf' },
        pages: 1,
        origin: 'issued',
        createdBy: null,
        at: ctx.now(),
      });
      await store.insertReceipt(q, id, docId, ctx.now());
    });
  }
  return id;
}

export const scopeProbes: ScopeProbe[] = [
  {
    route: 'GET /api/my/dossiers/:id/receipt',
    build: async (world, role) => {
      const url = async (side: 'callers' | 'others', agency: 'mine' | 'other') => {
        const id = await dossierOf(world, world[side][role], side, agency, true);
        return { url: `/api/my/dossiers/${await withReceipt(world, id, world[side].counter_officer)}/receipt` };
      };
      return { own: await url('callers', 'mine'), foreign: await url('others', 'other') };
    },
  },
  {
    route: 'GET /api/reception/dossiers/:id/receipt',
    build: async (world) => {
      const url = async (agency: 'mine' | 'other') => {
        const id = await counterDossier(world, agency, true);
        return { url: `/api/reception/dossiers/${await withReceipt(world, id, world[agency === 'mine' ? 'callers' : 'others'].counter_officer)}/receipt` };
      };
      return { own: await url('mine'), foreign: await url('other') };
    },
  },
  {
    route: 'GET /api/my/dossiers/:id/documents/:documentId',
    build: async (world, role) => {
      const url = async (side: 'callers' | 'others', agency: 'mine' | 'other') => {
        const id = await dossierOf(world, world[side][role], side, agency, false);
        return { url: `/api/my/dossiers/${id}/documents/${await firstDocument(world, id)}` };
      };
      return { own: await url('callers', 'mine'), foreign: await url('others', 'other') };
    },
  },
  {
    route: 'GET /api/reception/dossiers/:id/documents/:documentId',
    build: async (world) => {
      const url = async (agency: 'mine' | 'other') => {
        const id = await counterDossier(world, agency, false);
        return { url: `/api/reception/dossiers/${id}/documents/${await firstDocument(world, id)}` };
      };
      return { own: await url('mine'), foreign: await url('other') };
    },
  },
  {
    route: 'POST /api/dossiers',
    build: async (world, role: Role) => {
      await prepare(world);
      const me = world.callers[role];
      const agent = role === 'agent';
      const mine = applicantFor(world, me, 'callers');
      if (agent) await ensureConsent(world, me, mine.subjectId);
      // Someone else's dossier: another applicant's identifier (an agent: one who gave this agent no consent).
      const theirs = agent ? applicantFor(world, world.others.agent, 'others') : applicantFor(world, world.others[role], 'others');
      return {
        own: { url: '/api/dossiers', payload: submissionInput(mine, agent, 'form') },
        foreign: { url: '/api/dossiers', payload: submissionInput(theirs, true, 'form') },
      };
    },
  },
  {
    route: 'GET /api/my/dossiers',
    build: async (world, role) => {
      const own = await dossierOf(world, world.callers[role], 'callers', 'mine', false);
      const foreign = await dossierOf(world, world.others[role], 'others', 'other', false);
      return {
        own: { url: '/api/my/dossiers?limit=200', contains: [own] },
        foreign: { url: '/api/my/dossiers?limit=200', excludes: [foreign] },
      };
    },
  },
  {
    route: 'GET /api/my/dossiers/:id',
    build: async (world, role) => ({
      own: { url: `/api/my/dossiers/${await dossierOf(world, world.callers[role], 'callers', 'mine', false)}` },
      foreign: { url: `/api/my/dossiers/${await dossierOf(world, world.others[role], 'others', 'other', false)}` },
    }),
  },
  {
    // The applicant answers a return for completion that named the missing form.
    route: 'POST /api/my/dossiers/:id/completion',
    build: async (world, role) => {
      const returned = async (side: 'callers' | 'others', agency: 'mine' | 'other') => {
        const user = world[side][role];
        const id = await dossierOf(world, user, side, agency, 'no-form');
        await service.returnForCompletion(world.ctx, world[side].counter_officer.principal, id, [{ componentKey: C.form, reason: 'Thiếu tờ khai' }]);
        return { url: `/api/my/dossiers/${id}/completion`, payload: { components: [{ key: C.form, form: validForm(applicantFor(world, user, side).subjectId) }] } };
      };
      return { own: await returned('callers', 'mine'), foreign: await returned('others', 'other') };
    },
  },
  {
    route: 'POST /api/my/dossiers/:id/withdraw',
    build: async (world, role) => ({
      own: { url: `/api/my/dossiers/${await dossierOf(world, world.callers[role], 'callers', 'mine', false)}/withdraw`, payload: { reason: 'Không còn nhu cầu' } },
      foreign: { url: `/api/my/dossiers/${await dossierOf(world, world.others[role], 'others', 'other', false)}/withdraw`, payload: { reason: 'Không còn nhu cầu' } },
    }),
  },
  {
    // The counter takes the answer to a return for completion that named the missing form (typed at the counter).
    route: 'POST /api/reception/dossiers/:id/supplement',
    build: async (world) => {
      const returned = async (agency: 'mine' | 'other') => {
        const side = agency === 'mine' ? 'callers' : 'others';
        const id = await dossierOf(world, world.callers.citizen, 'callers', agency, 'no-form');
        await service.returnForCompletion(world.ctx, world[side].counter_officer.principal, id, [{ componentKey: C.form, reason: 'Thiếu tờ khai' }]);
        return { url: `/api/reception/dossiers/${id}/supplement`, payload: { components: [{ key: C.form, form: validForm(world.callers.citizen.principal.subjectId!) }] } };
      };
      return { own: await returned('mine'), foreign: await returned('other') };
    },
  },
  {
    route: 'GET /api/reception/queue',
    build: async (world) => {
      const own = await counterDossier(world, 'mine', false);
      const foreign = await counterDossier(world, 'other', false);
      return {
        own: { url: '/api/reception/queue?limit=200', contains: [own] },
        foreign: { url: '/api/reception/queue?limit=200', excludes: [foreign] },
      };
    },
  },
  { route: 'GET /api/reception/dossiers/:id', build: officerPair((id) => `/api/reception/dossiers/${id}`, undefined, false) },
  { route: 'POST /api/dossiers/:id/receive', build: officerPair((id) => `/api/dossiers/${id}/receive`, {}, true) },
  {
    route: 'POST /api/dossiers/:id/return-for-completion',
    build: officerPair((id) => `/api/dossiers/${id}/return-for-completion`, { items: [{ componentKey: C.diploma, reason: 'Thiếu bản sao chứng thực' }] }, false),
  },
  { route: 'POST /api/dossiers/:id/refuse', build: officerPair((id) => `/api/dossiers/${id}/refuse`, { reason: 'Không thuộc thẩm quyền' }, false) },
  { route: 'GET /api/reception/dossiers/:id/text', build: officerPair((id) => `/api/reception/dossiers/${id}/text`, undefined, false) },
  {
    // Each dossier holds a recognised text with its own word; the other agency's is not found by its word.
    route: 'GET /api/reception/search',
    build: async (world) => {
      const words = { mine: `probe${randomUUID().replaceAll('-', '')}`, other: `probe${randomUUID().replaceAll('-', '')}` };
      const withText = async (agency: 'mine' | 'other') => {
        const word = words[agency];
        const id = await counterDossier(world, agency, true);
        await world.ctx.db.query(
          `INSERT INTO document_text (document_id, engine, language, text, pages, search_text, created_at) VALUES ($1, 'tesseract', 'vie', $2, '[]', $2, $3)`,
          [await firstDocument(world, id), word, world.ctx.now()],
        );
        return id;
      };
      const own = await withText('mine');
      const foreign = await withText('other');
      return { own: { url: `/api/reception/search?q=${words.mine}`, contains: [own] }, foreign: { url: `/api/reception/search?q=${words.other}`, excludes: [foreign] } };
    },
  },
  ...processingProbes(),
];

// ---------------------------------------------------------------------------------------------------------------
// Processing (issue 5): dossiers whose current step the caller's role holds in the world's agency.

/**
 * A dossier in processing at `agency` of the world, its current step held by `role` (test data only: the route is
 * written straight into the state, since the world's agencies have no process of their own).
 */
async function processingDossier(world: ScopeWorld, agency: 'mine' | 'other', role: Role): Promise<string> {
  const id = await counterDossier(world, agency, true);
  const code = world.agencies[agency].code;
  const now = world.ctx.now();
  const step = (kind: string, r: string, started: boolean) => ({
    kind,
    name: kind,
    role: r,
    agency: code,
    quotaHours: 8,
    origin: 'process',
    startedAt: started ? now.toISOString() : null,
    endedAt: null,
    completedBy: null,
  });
  const route = [step('appraisal', role, true), step('review', 'leader', false), step('approval', 'leader', false)];
  await world.ctx.db.query(
    `UPDATE dossier SET status = 'processing', portal_status = 4, code = $2, received_at = $3, step_index = 0, step_kind = 'appraisal',
       step_role = $4, step_due_at = $3::timestamptz + interval '2 days', step_soon_at = $3::timestamptz + interval '1 day',
       state = state || jsonb_build_object('status', 'processing', 'receivedAt', $5::text, 'submittedAt', $5::text, 'route', $6::jsonb,
         'currentStep', 0, 'currentAgency', $7::text)
     WHERE id = $1`,
    [id, `PROBE-${randomUUID().slice(0, 8)}`, now, role, now.toISOString(), JSON.stringify(route), code],
  );
  return id;
}

/** A processing dossier moved to status 9 with a result (test data: its first document stands in for the result). */
async function processedDossier(world: ScopeWorld, agency: 'mine' | 'other', role: Role): Promise<string> {
  const id = await processingDossier(world, agency, role);
  const doc = await firstDocument(world, id);
  await world.ctx.db.query(
    `UPDATE dossier SET status = 'processed', portal_status = 9,
       state = state || jsonb_build_object('status', 'processed', 'result', jsonb_build_object('documentId', $2::text, 'readyAt', $3::text),
         'process', (state->'process') || jsonb_build_object('agency', $4::text))
     WHERE id = $1`,
    [id, doc, world.ctx.now().toISOString(), world.agencies[agency].code],
  );
  return id;
}

function processingPair(path: (id: string) => string, payload?: (world: ScopeWorld, role: Role) => unknown): ScopeProbe['build'] {
  return async (world, role) => ({
    own: { url: path(await processingDossier(world, 'mine', role)), payload: payload?.(world, role) },
    foreign: { url: path(await processingDossier(world, 'other', role)), payload: payload?.(world, role) },
  });
}

function multipartDraft(): { payload: Uint8Array; contentType: string } {
  const boundary = '----hoso-probe';
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nDự thảo\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="d.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: new Uint8Array(body), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** One scanned page (a tiny JPEG) as the multipart body of the paper-result scan. */
function multipartScan(): { payload: Uint8Array; contentType: string } {
  const boundary = '----hoso-probe-scan';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="trang-1.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    Buffer.from(TINY_JPEG),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: new Uint8Array(body), contentType: `multipart/form-data; boundary=${boundary}` };
}

function processingProbes(): ScopeProbe[] {
  return [
    {
      route: 'GET /api/processing/inbox',
      build: async (world, role) => {
        const own = await processingDossier(world, 'mine', role);
        const foreign = await processingDossier(world, 'other', role);
        return { own: { url: '/api/processing/inbox?limit=200', contains: [own] }, foreign: { url: '/api/processing/inbox?limit=200', excludes: [foreign] } };
      },
    },
    {
      // Received today in the caller's agency (and in the other one): the register lists only its own agency's.
      route: 'GET /api/processing/register',
      build: async (world, role) => {
        const codeOf = async (id: string) => (await world.ctx.db.query<{ code: string }>('SELECT code FROM dossier WHERE id = $1', [id])).rows[0]!.code;
        const own = await codeOf(await processingDossier(world, 'mine', role));
        // The other agency's dossier is dated a day the caller's agency received nothing (an empty answer is not audited).
        const foreignId = await processingDossier(world, 'other', role);
        await world.ctx.db.query(`UPDATE dossier SET received_at = '2020-01-06T03:00:00Z' WHERE id = $1`, [foreignId]);
        const foreign = await codeOf(foreignId);
        const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(world.ctx.now());
        return {
          own: { url: `/api/processing/register?from=${day}&to=${day}`, contains: [own] },
          foreign: { url: '/api/processing/register?from=2020-01-06&to=2020-01-06', excludes: [foreign] },
        };
      },
    },
    {
      route: 'POST /api/processing/dossiers/:id/revoke-result',
      build: async (world, role) => ({
        own: { url: `/api/processing/dossiers/${await processedDossier(world, 'mine', role)}/revoke-result`, payload: { reason: 'Kết quả hậu kiểm' } },
        foreign: { url: `/api/processing/dossiers/${await processedDossier(world, 'other', role)}/revoke-result`, payload: { reason: 'Kết quả hậu kiểm' } },
      }),
    },
    {
      // A processed dossier of a procedure that also requires a paper result; the scan is sealed by the agency.
      route: 'POST /api/processing/dossiers/:id/paper-result',
      build: async (world, role) => {
        await provisionDemoSigning(world.ctx, [world.agencies.mine.code]);
        const withResult = async (agency: 'mine' | 'other') => {
          const id = await processedDossier(world, agency, role);
          await world.ctx.db.query(
            `UPDATE procedure SET result = jsonb_set(result, '{paperAlsoRequiredByLaw}', 'true') WHERE id = (SELECT procedure_id FROM dossier WHERE id = $1)`,
            [id],
          );
          return { url: `/api/processing/dossiers/${id}/paper-result`, ...multipartScan() };
        };
        return { own: await withResult('mine'), foreign: await withResult('other') };
      },
    },
    { route: 'GET /api/processing/dossiers/:id', build: processingPair((id) => `/api/processing/dossiers/${id}`) },
    {
      route: 'POST /api/processing/dossiers/:id/actions',
      build: processingPair((id) => `/api/processing/dossiers/${id}/actions`, () => ({ action: { type: 'complete_step' } })),
    },
    {
      route: 'POST /api/processing/dossiers/:id/assign',
      build: processingPair((id) => `/api/processing/dossiers/${id}/assign`, (world) => ({ assigneeId: world.callers.leader.userId })),
    },
    {
      route: 'POST /api/processing/dossiers/:id/comments',
      build: processingPair((id) => `/api/processing/dossiers/${id}/comments`, () => ({ body: 'Ý kiến thử' })),
    },
    {
      route: 'POST /api/processing/dossiers/:id/working-documents',
      build: async (world, role) => ({
        own: { url: `/api/processing/dossiers/${await processingDossier(world, 'mine', role)}/working-documents`, ...multipartDraft() },
        foreign: { url: `/api/processing/dossiers/${await processingDossier(world, 'other', role)}/working-documents`, ...multipartDraft() },
      }),
    },
    { route: 'GET /api/processing/dossiers/:id/result-draft', build: processingPair((id) => `/api/processing/dossiers/${id}/result-draft`) },
    {
      route: 'POST /api/processing/dossiers/:id/result-draft',
      build: processingPair((id) => `/api/processing/dossiers/${id}/result-draft`, () => ({ inputs: { content: 'Nội dung thử' } })),
    },
    { route: 'GET /api/processing/dossiers/:id/control-sheet.pdf', build: processingPair((id) => `/api/processing/dossiers/${id}/control-sheet.pdf`) },
    {
      route: 'GET /api/processing/dossiers/:id/documents/:documentId',
      build: async (world, role) => {
        const url = async (agency: 'mine' | 'other') => {
          const id = await processingDossier(world, agency, role);
          return { url: `/api/processing/dossiers/${id}/documents/${await firstDocument(world, id)}` };
        };
        return { own: await url('mine'), foreign: await url('other') };
      },
    },
  ];
}
