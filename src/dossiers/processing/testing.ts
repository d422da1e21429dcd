/**
 * Test-only helpers of processing: a procedure of the intake test catalog's department with an assignment step and
 * an optional e-certified component (what a supplement request can ask for), and a second department to transfer to.
 */
import type { FastifyInstance } from 'fastify';
import { createTestContext } from '../../../test/support/context.ts';
import { importCatalog } from '../../catalog/service.ts';
import { identityRoutes } from '../../identity/routes.ts';
import { createSignedInUser, type TestSession } from '../../identity/testing.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Config } from '../../platform/config.ts';
import { buildApp, type RoomPlugin } from '../../platform/http/app.ts';
import { resultRoutes } from '../../results/routes.ts';
import { dossierRoutes } from '../routes.ts';
import * as intake from '../service.ts';
import {
  CARD_COMPONENT,
  COMPONENTS,
  FORM_COMPONENT,
  WORLD,
  createTestSigning,
  provisionDemoSigning,
  samplePdf,
  seedIntakeCatalog,
  usualComponents,
  type TestSigning,
} from '../testing.ts';
import type { PaymentGateway } from './payments.ts';
import { processingRoutes } from './routes.ts';
import type { Workspace } from './service.ts';

export const PROCESSING = {
  procedure: 'thu-nghiem-xu-ly',
  justice: '000.00.13.H26',
  /** Optional, e-certified: missing at reception, so a supplement may ask for it. */
  experience: 'xac-nhan-kinh-nghiem',
  priorLicense: 'giay-phep-da-cap',
  licenseType: 'test.license',
  degreeType: 'test.degree',
} as const;

export async function seedProcessingCatalog(ctx: AppContext): Promise<void> {
  await seedIntakeCatalog(ctx);
  await importCatalog(ctx, null, {
    format: 'hoso-catalog',
    formatVersion: 1,
    agencies: [
      { code: WORLD.root, name: 'UBND Thành phố (thử nghiệm)', kind: 'people_committee', parentCode: null },
      { code: PROCESSING.justice, name: 'Sở Tư pháp (thử nghiệm)', kind: 'department', parentCode: WORLD.root },
    ],
    procedures: [
      {
        key: PROCESSING.procedure,
        nationalCode: null,
        name: 'Thủ tục thử nghiệm xử lý liên thông',
        field: 'Y tế',
        level: 'province',
        competentAgency: WORLD.health,
        receivingAgencies: [WORLD.branch],
        channels: ['full_online', 'counter'],
        deadline: { value: 5, unit: 'working_days' },
        cutoff: '15:00',
        fees: [],
        result: { name: 'Giấy phép thử nghiệm', paperAlsoRequiredByLaw: false, documentType: PROCESSING.licenseType },
        postAudit: { sampleRate: 0.1, riskRules: [] },
        components: [
          FORM_COMPONENT,
          // Kept in the applicant's e-store once accepted: a later dossier takes it from there.
          { key: COMPONENTS.diploma, name: 'Bản sao văn bằng chuyên môn', required: true, input: 'upload', copies: 1, documentType: PROCESSING.degreeType, acceptedBases: ['E_CERTIFIED', 'REUSED'] },
          { key: PROCESSING.experience, name: 'Giấy xác nhận kinh nghiệm', required: false, input: 'upload', copies: 1, acceptedBases: ['E_CERTIFIED', 'DIGITIZED_SIGNED'] },
          // A licence issued earlier: taken from the applicant's e-store (once-only) or an e-certified copy.
          { key: PROCESSING.priorLicense, name: 'Giấy phép đã được cấp', required: false, input: 'upload', copies: 1, documentType: PROCESSING.licenseType, acceptedBases: ['E_CERTIFIED', 'REUSED'] },
          CARD_COMPONENT,
        ],
        processes: [
          {
            agency: WORLD.health,
            steps: [
              { kind: 'reception', name: 'Tiếp nhận', role: 'counter_officer', agency: WORLD.branch, quotaHours: 4 },
              { kind: 'assignment', name: 'Phân công', role: 'leader', agency: null, quotaHours: 4 },
              { kind: 'appraisal', name: 'Thẩm định', role: 'specialist', agency: null, quotaHours: 20 },
              { kind: 'approval', name: 'Phê duyệt', role: 'leader', agency: null, quotaHours: 8 },
              { kind: 'result_return', name: 'Trả kết quả', role: 'counter_officer', agency: WORLD.branch, quotaHours: 4 },
            ],
          },
        ],
      },
    ],
  });
}


/** An officer or applicant of the processing world, signed in. */
export type WorldUser = TestSession & { userId: string };

/** A dossier of the processing procedure the citizen submitted online (with a valid e-certified diploma) and the counter received; its id. */
export async function submitAndReceiveProcessingDossier(ctx: AppContext, citizen: Pick<TestSession, 'principal'>, counter: Pick<TestSession, 'principal'>, certifier: TestSigning): Promise<string> {
  const r = await intake.submitOnline(
    ctx,
    citizen.principal,
    { procedure: PROCESSING.procedure, receivingAgency: WORLD.branch, components: usualComponents(citizen.principal.subjectId!) },
    [{ componentKey: COMPONENTS.diploma, filename: 'van-bang.pdf', declaredType: 'application/pdf', bytes: await certifier.signed('Van bang') }],
    { trustAnchors: async () => certifier.pki.trustAnchors },
  );
  await intake.receiveDossier(ctx, counter.principal, r.body.id);
  return r.body.id;
}

/**
 * The processing world of the HTTP tests: the processing catalog, demo signing for the branch and both departments,
 * a citizen, a counter officer, two leaders and two specialists at Health, a specialist at Justice, and an app with
 * the identity, dossier, processing and results rooms. `cleanup` closes it all.
 */
export async function startProcessingWorld(opts: { paymentGateways?: readonly PaymentGateway[]; config?: Partial<Config> } = {}) {
  const ctx = await createTestContext({ demo: true, publicUrl: 'https://dichvucong.example.vn', ...opts.config });
  await seedProcessingCatalog(ctx);
  const certifier = await createTestSigning('processing-cert');
  const users = {
    citizen: await createSignedInUser(ctx, { role: 'citizen', displayName: 'Trần Thị Bình' }),
    counter: await createSignedInUser(ctx, { role: 'counter_officer', agencyCode: WORLD.branch, displayName: 'Lê Văn Cường' }),
    leader: await createSignedInUser(ctx, { role: 'leader', agencyCode: WORLD.health, displayName: 'Vũ Quốc Khánh' }),
    leader2: await createSignedInUser(ctx, { role: 'leader', agencyCode: WORLD.health, displayName: 'Phó Giám đốc' }),
    specialist: await createSignedInUser(ctx, { role: 'specialist', agencyCode: WORLD.health, displayName: 'Hoàng Thu Hà' }),
    specialist2: await createSignedInUser(ctx, { role: 'specialist', agencyCode: WORLD.health, displayName: 'Ngô Văn Tú' }),
    justiceSpecialist: await createSignedInUser(ctx, { role: 'specialist', agencyCode: PROCESSING.justice, displayName: 'Đinh Thị Mai' }),
  } satisfies Record<string, WorldUser>;
  await provisionDemoSigning(ctx, [WORLD.branch, WORLD.health, PROCESSING.justice]);
  const dossiers: RoomPlugin = async (i: FastifyInstance, o: { ctx: AppContext }) => dossierRoutes(i, { ctx: o.ctx });
  const processingRoom: RoomPlugin = async (i: FastifyInstance, o: { ctx: AppContext }) =>
    processingRoutes(i, { ctx: o.ctx, paymentGateways: [...(opts.paymentGateways ?? [])] });
  const results: RoomPlugin = async (i: FastifyInstance, o: { ctx: AppContext }) => resultRoutes(i, { ctx: o.ctx });
  const app = await buildApp(ctx, { rooms: [identityRoutes, dossiers, processingRoom, results], logger: false });
  await app.ready();

  const submitAndReceive = () => submitAndReceiveProcessingDossier(ctx, users.citizen, users.counter, certifier);
  const act = (who: WorldUser, id: string, body: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/processing/dossiers/${id}/actions`, headers: who.headers, payload: body });
  async function workspaceOf(who: WorldUser, id: string): Promise<Workspace> {
    const r = await app.inject({ method: 'GET', url: `/api/processing/dossiers/${id}`, headers: who.headers });
    if (r.statusCode !== 200) throw new Error(`workspace ${r.statusCode}: ${r.body}`);
    return r.json() as Workspace;
  }
  /** The specialist's uploaded PDF draft of the result (multipart, as the workspace sends it). */
  async function addDraft(who: WorldUser, id: string, title: string): Promise<{ id: string; documentId: string }> {
    const boundary = '----hoso-draft';
    const pdf = Buffer.from(await samplePdf('Du thao giay phep'));
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${title}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="du-thao.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await app.inject({
      method: 'POST',
      url: `/api/processing/dossiers/${id}/working-documents`,
      headers: { ...who.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    if (r.statusCode !== 201) throw new Error(`working document ${r.statusCode}: ${r.body}`);
    return r.json() as { id: string; documentId: string };
  }
  return {
    ctx,
    app,
    certifier,
    users,
    submitAndReceive,
    act,
    workspaceOf,
    addDraft,
    async cleanup() {
      await app.close();
      await ctx.cleanup();
    },
  };
}
export type ProcessingWorld = Awaited<ReturnType<typeof startProcessingWorld>>;
