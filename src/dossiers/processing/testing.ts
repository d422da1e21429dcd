/**
 * Test-only helpers of processing: a procedure of the intake test catalog's department with an assignment step and
 * an optional e-certified component (what a supplement request can ask for), and a second department to transfer to.
 */
import { importCatalog } from '../../catalog/service.ts';
import type { AppContext } from '../../platform/context.ts';
import { CARD_COMPONENT, COMPONENTS, FORM_COMPONENT, WORLD, seedIntakeCatalog } from '../testing.ts';

export const PROCESSING = {
  procedure: 'thu-nghiem-xu-ly',
  justice: '000.00.13.H26',
  /** Optional, e-certified: missing at reception, so a supplement may ask for it. */
  experience: 'xac-nhan-kinh-nghiem',
  priorLicense: 'giay-phep-da-cap',
  licenseType: 'test.license',
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
          { key: COMPONENTS.diploma, name: 'Bản sao văn bằng chuyên môn', required: true, input: 'upload', copies: 1, acceptedBases: ['E_CERTIFIED'] },
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

