/**
 * Test-only helpers of the intake room: a small catalog (one branch, one department, one procedure with a form, an
 * e-certified copy, a photo digitized at the counter and a shown-only card), signed and tampered PDFs from a throw-away demo PKI, and tiny
 * JPEG/PNG images. Nothing in src/ outside tests imports this.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { importCatalog } from '../catalog/service.ts';
import type { AppContext } from '../platform/context.ts';
import { createDemoPki, type DemoPki } from '../signatures/pki/index.ts';
import { P12Backend } from '../signatures/keys/index.ts';
import { signPdf } from '../signatures/signing/index.ts';
import { demoPkiSpec, openDemoPki, registerCredential } from '../identity/credentials/service.ts';
import { findActiveCredential } from '../identity/credentials/store.ts';
import type { Principal } from '../identity/access.ts';
import type { UploadedFile } from '../documents/uploads.ts';
import { submitOnline, type SubmittedComponent } from './service.ts';

export const WORLD = {
  root: '000.00.00.H26',
  branch: '000.01.30.H26',
  otherBranch: '000.02.30.H26',
  health: '000.00.12.H26',
  procedure: 'cap-giay-phep-thu-nghiem',
} as const;

export const COMPONENTS = {
  form: 'don-de-nghi',
  diploma: 'ban-sao-van-bang',
  photo: 'anh-chan-dung',
  card: 'the-can-cuoc',
} as const;

/** The self-declared application form of the test procedures (a name, a CCCD, a date, an amount). */
export const FORM_COMPONENT = {
  key: COMPONENTS.form,
  name: 'Đơn đề nghị cấp giấy phép',
  required: true,
  input: 'form',
  formTemplate: {
    title: 'Mẫu số 01',
    fields: [
      { name: 'hoTen', label: 'Họ và tên', type: 'text', required: true, maxLength: 100 },
      { name: 'soDinhDanh', label: 'Số định danh cá nhân', type: 'id_number', required: true },
      { name: 'ngaySinh', label: 'Ngày sinh', type: 'date', required: true },
      { name: 'lePhiVnd', label: 'Lệ phí (đồng)', type: 'number', required: false },
    ],
  },
  copies: 1,
  acceptedBases: ['SELF_DECLARED'],
} as const;

/** The identity card, only shown (exempt from digitisation). */
export const CARD_COMPONENT = {
  key: COMPONENTS.card,
  name: 'Thẻ căn cước (xuất trình)',
  required: true,
  input: 'upload',
  copies: 1,
  acceptedBases: [],
  exempt: { reason: 'SHOWN_ONLY', note: null },
} as const;

/** Imports the intake test catalog (idempotent). */
export async function seedIntakeCatalog(ctx: AppContext): Promise<void> {
  await importCatalog(ctx, null, {
    format: 'hoso-catalog',
    formatVersion: 1,
    agencies: [
      { code: WORLD.root, name: 'UBND Thành phố (thử nghiệm)', kind: 'people_committee', parentCode: null },
      { code: WORLD.branch, name: 'Chi nhánh một cửa số 1', kind: 'branch', parentCode: WORLD.root },
      { code: WORLD.otherBranch, name: 'Chi nhánh một cửa số 2', kind: 'branch', parentCode: WORLD.root },
      { code: WORLD.health, name: 'Sở Y tế (thử nghiệm)', kind: 'department', parentCode: WORLD.root },
    ],
    procedures: [
      {
        key: WORLD.procedure,
        nationalCode: null,
        name: 'Cấp giấy phép thử nghiệm',
        field: 'Y tế',
        level: 'province',
        competentAgency: WORLD.health,
        receivingAgencies: [WORLD.branch, WORLD.otherBranch],
        channels: ['full_online', 'counter'],
        deadline: { value: 5, unit: 'working_days' },
        cutoff: '15:00',
        fees: [],
        result: { name: 'Giấy phép', paperAlsoRequiredByLaw: false },
        postAudit: { sampleRate: 0.1, riskRules: [] },
        components: [
          FORM_COMPONENT,
          {
            key: COMPONENTS.diploma,
            name: 'Bản sao văn bằng chuyên môn',
            required: true,
            input: 'upload',
            copies: 1,
            acceptedBases: ['E_CERTIFIED', 'ECOPY_FROM_REGISTER', 'DIGITIZED_SIGNED'],
          },
          {
            key: COMPONENTS.photo,
            name: 'Ảnh chân dung',
            required: false,
            input: 'upload',
            copies: 1,
            acceptedBases: ['DIGITIZED_SIGNED'],
          },
          CARD_COMPONENT,
        ],
        processes: [
          {
            agency: WORLD.health,
            steps: [
              { kind: 'reception', name: 'Tiếp nhận', role: 'counter_officer', agency: WORLD.branch, quotaHours: 4 },
              { kind: 'appraisal', name: 'Thẩm định', role: 'specialist', agency: null, quotaHours: 24 },
              { kind: 'approval', name: 'Phê duyệt', role: 'leader', agency: null, quotaHours: 8 },
              { kind: 'result_return', name: 'Trả kết quả', role: 'counter_officer', agency: WORLD.branch, quotaHours: 4 },
            ],
          },
        ],
      },
    ],
  });
}

/** A valid self-declared form for the test procedure. */
export function validForm(subjectId: string): Record<string, unknown> {
  return { hoTen: 'Nguyễn Văn An', soDinhDanh: subjectId, ngaySinh: '1985-03-14', lePhiVnd: 50000 };
}

export async function samplePdf(text = 'Bản sao văn bằng'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  const page = doc.addPage([595, 842]);
  page.drawText(text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd'), { x: 50, y: 780, size: 14 });
  return doc.save({ useObjectStreams: false });
}

/** A PDF whose catalogue runs JavaScript when opened (OpenAction). */
export async function javascriptPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]);
  const action = doc.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of('app.alert(1)') });
  doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(action));
  return doc.save({ useObjectStreams: true });
}

/** A PNG of `w`×`h` solid colour pixels (RGB), built by hand so tests need no image library. */
export function tinyPng(w = 4, h = 3, rgb: [number, number, number] = [200, 30, 30]): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Uint8Array) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows = Buffer.alloc(h * (1 + 3 * w));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rows.set(rgb, y * (1 + 3 * w) + 1 + 3 * x);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array()),
  ]);
}

export interface TestSigning {
  pki: DemoPki;
  /** A PDF signed (PAdES B-B) by a person of this PKI. */
  signed(text?: string): Promise<Uint8Array>;
}

/** A throw-away demo PKI in a temp dir, and a signer of it. */
export async function createTestSigning(label = 'intake'): Promise<TestSigning> {
  const dir = await mkdtemp(join(tmpdir(), `hoso-${label}-pki-`));
  const pki = await createDemoPki(dir, {
    people: [{ id: 'cert', commonName: 'Nguyễn Thị Chứng Thực', organization: 'UBND phường Thử Nghiệm' }],
    seals: [],
  });
  const signer = await P12Backend.fromFile(pki.people.cert!.p12Path, pki.people.cert!.password);
  return {
    pki,
    signed: async (text) => (await signPdf(await samplePdf(text), { signer, level: 'B-B', trustAnchors: pki.trustAnchors, reason: 'Chứng thực bản sao' })).bytes,
  };
}

/** The components of the usual test dossier: a valid self-declared form, an e-certified diploma, the card only shown. */
export function usualComponents(subjectId: string, extra: readonly SubmittedComponent[] = []): SubmittedComponent[] {
  return [
    { key: COMPONENTS.form, form: validForm(subjectId) },
    { key: COMPONENTS.diploma, basis: 'E_CERTIFIED' },
    ...extra,
    { key: COMPONENTS.card, exempt: { reason: 'SHOWN_ONLY' } },
  ];
}

/**
 * The usual online dossier of these tests: a valid self-declared form, an e-certified diploma signed by `certifier`
 * (or the given signed bytes, to sign once for many dossiers) and the identity card only shown; `extra` adds
 * components with their files.
 */
export async function submitUsualDossier(
  ctx: AppContext,
  applicant: Principal,
  certifier: TestSigning,
  extra: { diploma?: Uint8Array; components?: SubmittedComponent[]; files?: UploadedFile[] } = {},
): ReturnType<typeof submitOnline> {
  return submitOnline(
    ctx,
    applicant,
    {
      procedure: WORLD.procedure,
      receivingAgency: WORLD.branch,
      components: usualComponents(applicant.subjectId!, extra.components),
    },
    [
      { componentKey: COMPONENTS.diploma, filename: 'van-bang.pdf', declaredType: 'application/pdf', bytes: extra.diploma ?? (await certifier.signed('Van bang')) },
      ...(extra.files ?? []),
    ],
    { trustAnchors: async () => certifier.pki.trustAnchors },
  );
}

/** Flips one byte inside the first stream's data (covered by the signature), so the digest no longer matches. */
export function tamper(signed: Uint8Array): Uint8Array {
  const out = new Uint8Array(signed);
  const text = Buffer.from(out).toString('latin1');
  const i = text.indexOf('stream\n');
  if (i < 0) throw new Error('no stream to tamper with');
  const j = i + 'stream\n'.length + 5;
  out[j] = out[j]! ^ 0x01;
  return out;
}

/** The smallest baseline JPEG (1×1, greyscale): enough for the image → PDF conversion, which does not re-encode. */
export const TINY_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

/**
 * Demo-mode signing for a test world: every signing officer in the database gets a personal demo credential and
 * each named agency a seal (what the demo seeder does for the demo organisation). The context must be in demo mode.
 */
export async function provisionDemoSigning(ctx: AppContext, sealAgencyCodes: readonly string[]): Promise<void> {
  const pki = await openDemoPki(ctx, await demoPkiSpec(ctx.db, sealAgencyCodes));
  await ctx.db.tx(async (q) => {
    for (const [username, signer] of Object.entries(pki.people)) {
      const userId = (await q.query<{ id: string }>('SELECT id FROM app_user WHERE username = $1', [username])).rows[0]?.id;
      if (!userId || (await findActiveCredential(q, { userId }))?.serialHex === signer.serialHex) continue;
      await registerCredential(ctx, q, null, { purpose: 'personal', userId, agencyId: null, backend: 'demo', settings: { demoId: username }, certificate: signer.certificate });
    }
    for (const [code, signer] of Object.entries(pki.seals)) {
      const agencyId = (await q.query<{ id: string }>('SELECT id FROM agency WHERE code = $1', [code])).rows[0]?.id;
      if (!agencyId || (await findActiveCredential(q, { agencyId }))?.serialHex === signer.serialHex) continue;
      await registerCredential(ctx, q, null, { purpose: 'seal', userId: null, agencyId, backend: 'demo', settings: { demoId: code }, certificate: signer.certificate });
    }
  });
}
