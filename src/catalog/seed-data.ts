/**
 * The demo organisation and seed catalog of Hà Nội, as a catalog file (the import format), built from data:
 * the 126 communes/wards of `data/hanoi-126.json` (Công văn 1027/CTK-CSCL, see data/LICENSE-NOTE.md) and real
 * procedures whose deadlines, fees and components come from the published sources named in each `sourceUrl`.
 * National codes are given only where a source confirms them; the rest are null.
 */
import hanoi from './data/hanoi-126.json' with { type: 'json' };
import { DEMO_AGENCY_CODES as C } from './demo-codes.ts';
import { communeAgencyCode, quotaTargetHours, standardQuotas } from './rules.ts';
import {
  CATALOG_FORMAT,
  CATALOG_FORMAT_VERSION,
  type AgencyInput,
  type CatalogFile,
  type ComponentInput,
  type FormTemplate,
  type ProcedureInput,
  type ProcessInput,
  type ResultTemplateInput,
  type StepInput,
} from './schema.ts';

interface HanoiUnit {
  code: string;
  name: string;
  type: string;
  nameEn: string;
}

/** The date the 2025 reform's communes/wards took effect (Nghị quyết 1656/NQ-UBTVQH15 for Hà Nội). */
export const COMMUNES_EFFECTIVE_FROM = '2025-07-01';

export function demoAgencies(): AgencyInput[] {
  const city: AgencyInput = {
    code: C.cityPeoplesCommittee,
    name: 'Ủy ban nhân dân thành phố Hà Nội',
    nameEn: "Hanoi People's Committee",
    kind: 'people_committee',
    parentCode: null,
    gsoCode: '01',
  };
  const under = (code: string, name: string, nameEn: string, kind: AgencyInput['kind'], parentCode: string, address?: string): AgencyInput => ({
    code,
    name,
    nameEn,
    kind,
    parentCode,
    address: address ?? null,
  });
  const fixed: AgencyInput[] = [
    city,
    under(C.departmentOfHealth, 'Sở Y tế thành phố Hà Nội', 'Hanoi Department of Health', 'department', C.cityPeoplesCommittee, '4 Sơn Tây, phường Ba Đình, Hà Nội'),
    under(C.departmentOfJustice, 'Sở Tư pháp thành phố Hà Nội', 'Hanoi Department of Justice', 'department', C.cityPeoplesCommittee),
    under(C.departmentOfConstruction, 'Sở Xây dựng thành phố Hà Nội', 'Hanoi Department of Construction', 'department', C.cityPeoplesCommittee),
    under(C.serviceCenter, 'Trung tâm Phục vụ hành chính công thành phố Hà Nội', 'Hanoi Public Administrative Service Center', 'service_center', C.cityPeoplesCommittee),
    under(C.serviceCenterBranch1, 'Chi nhánh số 1 – Trung tâm Phục vụ hành chính công thành phố Hà Nội', 'Service Center – Branch 1', 'branch', C.serviceCenter),
    under(C.serviceCenterBranch2, 'Chi nhánh số 2 – Trung tâm Phục vụ hành chính công thành phố Hà Nội', 'Service Center – Branch 2', 'branch', C.serviceCenter),
  ];
  const communes = (hanoi.units as HanoiUnit[]).map(
    (u): AgencyInput => ({
      code: communeAgencyCode(u.code),
      // "Phường Ba Đình" → "Ủy ban nhân dân phường Ba Đình"
      name: `Ủy ban nhân dân ${u.name.charAt(0).toLowerCase()}${u.name.slice(1)}`,
      nameEn: `People's Committee of ${u.nameEn}`,
      kind: 'commune',
      parentCode: C.cityPeoplesCommittee,
      gsoCode: u.code,
      effectiveFrom: COMMUNES_EFFECTIVE_FROM,
    }),
  );
  return [...fixed, ...communes];
}

// ---------------------------------------------------------------------------------------------------------------
// Components

const PERSON_FIELDS: FormTemplate['fields'] = [
  { name: 'fullName', label: 'Họ và tên', type: 'text', required: true, maxLength: 100 },
  { name: 'dateOfBirth', label: 'Ngày sinh', type: 'date', required: true },
  { name: 'personalId', label: 'Số định danh cá nhân (CCCD)', type: 'id_number', required: true },
  { name: 'address', label: 'Nơi cư trú', type: 'textarea', required: true, maxLength: 500 },
  { name: 'phone', label: 'Số điện thoại', type: 'phone', required: true },
  { name: 'email', label: 'Thư điện tử', type: 'email', required: false },
];

const form = (key: string, name: string, title: string, extra: FormTemplate['fields'] = [], note?: string): ComponentInput => ({
  key,
  name,
  required: true,
  input: 'form',
  formTemplate: { title, fields: [...PERSON_FIELDS, ...extra] },
  copies: 1,
  documentType: null,
  // Filled online (self-declared, post-audited) or brought on paper and scanned/signed at the counter.
  acceptedBases: ['SELF_DECLARED', 'DIGITIZED_SIGNED'],
  exempt: null,
  note: note ?? null,
});

const upload = (
  key: string,
  name: string,
  acceptedBases: ComponentInput['acceptedBases'],
  documentType: string | null,
  opts: { required?: boolean; copies?: number; note?: string } = {},
): ComponentInput => ({
  key,
  name,
  required: opts.required ?? true,
  input: 'upload',
  formTemplate: null,
  copies: opts.copies ?? 1,
  documentType,
  acceptedBases,
  exempt: null,
  note: opts.note ?? null,
});

const CERTIFIED: ComponentInput['acceptedBases'] = ['E_CERTIFIED', 'ECOPY_FROM_REGISTER', 'DIGITIZED_SIGNED', 'REUSED'];
const ISSUED: ComponentInput['acceptedBases'] = ['ECOPY_FROM_REGISTER', 'DIGITIZED_SIGNED', 'REUSED'];

const showId: ComponentInput = {
  key: 'identity-document',
  name: 'Giấy tờ tùy thân có ảnh (Căn cước công dân, hộ chiếu…) — chỉ xuất trình để đối chiếu',
  required: true,
  input: 'upload',
  formTemplate: null,
  copies: 1,
  documentType: null,
  acceptedBases: [],
  exempt: { reason: 'SHOWN_ONLY', note: 'Xuất trình khi nộp trực tiếp; nộp trực tuyến thì xác thực qua VNeID (TT 03/2025 Điều 5).' },
  note: null,
};

// ---------------------------------------------------------------------------------------------------------------
// Processes

const STEP_NAMES: Record<StepInput['kind'], string> = {
  reception: 'Tiếp nhận, số hóa và ký số hồ sơ',
  assignment: 'Phân công xử lý',
  appraisal: 'Thẩm định hồ sơ, dự thảo kết quả',
  review: 'Kiểm tra, trình lãnh đạo',
  approval: 'Phê duyệt, ký số kết quả',
  result_return: 'Trả kết quả',
  transfer: 'Chuyển liên thông',
};

/** A process of the competent department: reception and result return at the service center, the rest in the department. */
function departmentProcess(p: Pick<ProcedureInput, 'deadline' | 'cutoff'>, department: string): ProcessInput {
  const q = standardQuotas(quotaTargetHours(p.deadline, p.cutoff));
  const step = (kind: keyof typeof q, role: StepInput['role'], agency: string | null): StepInput => ({
    kind,
    name: STEP_NAMES[kind],
    role,
    agency,
    quotaHours: q[kind],
  });
  return {
    agency: department,
    note: null,
    steps: [
      step('reception', 'counter_officer', C.serviceCenter),
      step('assignment', 'leader', null),
      step('appraisal', 'specialist', null),
      step('review', 'leader', null),
      step('approval', 'leader', null),
      step('result_return', 'counter_officer', C.serviceCenter),
    ],
  };
}

/** The default process of a commune-level procedure, run entirely by the commune that receives the dossier. */
function communeProcess(p: Pick<ProcedureInput, 'deadline' | 'cutoff'>): ProcessInput {
  const q = standardQuotas(quotaTargetHours(p.deadline, p.cutoff));
  const step = (kind: keyof typeof q, role: StepInput['role']): StepInput => ({ kind, name: STEP_NAMES[kind], role, agency: null, quotaHours: q[kind] });
  return {
    agency: null,
    note: 'Quy trình mặc định áp dụng cho mọi xã, phường; xã, phường có thể ban hành quy trình riêng.',
    steps: [
      step('reception', 'counter_officer'),
      step('assignment', 'leader'),
      step('appraisal', 'specialist'),
      step('review', 'specialist'),
      step('approval', 'leader'),
      step('result_return', 'counter_officer'),
    ],
  };
}

type ProcedureDraft = Omit<ProcedureInput, 'processes' | 'postAudit' | 'cutoff' | 'receivingAgencies' | 'channels' | 'level' | 'competentAgency'> &
  Partial<Pick<ProcedureInput, 'postAudit' | 'cutoff' | 'channels'>>;

const DEFAULT_POST_AUDIT: ProcedureInput['postAudit'] = { sampleRate: 0.05, riskRules: [] };

/** A procedure decided by a department, received at the service center's branches. */
function departmentProcedure(department: string, d: ProcedureDraft): ProcedureInput {
  const p: ProcedureInput = {
    ...d,
    level: 'province',
    competentAgency: department,
    receivingAgencies: [C.serviceCenterBranch1, C.serviceCenterBranch2],
    channels: d.channels ?? ['full_online', 'counter', 'post'],
    cutoff: d.cutoff ?? '15:00',
    postAudit: d.postAudit ?? DEFAULT_POST_AUDIT,
    processes: [],
  };
  p.processes = [departmentProcess(p, department)];
  return p;
}

const health = (d: ProcedureDraft) => departmentProcedure(C.departmentOfHealth, d);

function commune(d: ProcedureDraft): ProcedureInput {
  const p: ProcedureInput = {
    ...d,
    level: 'commune',
    competentAgency: null,
    receivingAgencies: [],
    channels: d.channels ?? ['full_online', 'counter'],
    cutoff: d.cutoff ?? '15:00',
    postAudit: d.postAudit ?? DEFAULT_POST_AUDIT,
    processes: [],
  };
  p.processes = [communeProcess(p)];
  return p;
}

const LAOCAI_1_014076 = 'https://dichvucong.laocai.gov.vn/trang-chu/tra-cuu/chi-tiet-thu-tuc?ma-thu-tuc=110458';
const NINHTHUAN_COSMETICS =
  'https://thuvienphapluat.vn/van-ban/bo-may-hanh-chinh/quyet-dinh-263-qd-ubnd-2022-cong-bo-thu-tuc-hanh-chinh-sua-doi-so-y-te-ninh-thuan-506472.aspx';
const QUANGHANH_CIVIL = 'https://phuongquanghanh.campha.gov.vn/phuongquanghanh/thu-tuc-hanh-chinh/tieude-/linhvuc-0/donvi-0';

const pharmacistForm = form('application', 'Đơn đề nghị cấp Chứng chỉ hành nghề dược (kèm ảnh chân dung)', 'Mẫu số 02 Phụ lục I Nghị định 54/2017/NĐ-CP', [
  { name: 'professionalDegree', label: 'Văn bằng chuyên môn', type: 'text', required: true, maxLength: 300 },
  { name: 'practiceScope', label: 'Phạm vi hành nghề đề nghị', type: 'textarea', required: true, maxLength: 1000 },
]);

/**
 * The pharmacist's certificate in the ND 30 layout (its content after Mẫu số 07 Phụ lục I NĐ 54/2017): who holds it
 * from the application form, what is granted as the specialist decided it. `replaces` adds the line of a re-issue.
 */
function pharmacistCertificate(replaces: boolean): ResultTemplateInput {
  return {
    title: 'Chứng chỉ hành nghề dược',
    numberSymbol: 'CCHND-SYT',
    body: [
      { kind: 'paragraph', text: 'Căn cứ {{procedure.legalBasis}};', italic: true },
      { kind: 'paragraph', text: 'Xét hồ sơ số {{dossier.code}} tiếp nhận ngày {{dossier.receivedAt|date}},' },
      { kind: 'paragraph', text: 'Giám đốc {{issuer.name}} cấp Chứng chỉ hành nghề dược cho:' },
      {
        kind: 'keyValue',
        items: [
          { label: 'Họ và tên', value: '{{form.application.fullName|upper}}' },
          { label: 'Ngày sinh', value: '{{form.application.dateOfBirth|date}}' },
          { label: 'Số định danh cá nhân', value: '{{form.application.personalId}}' },
          { label: 'Nơi cư trú', value: '{{form.application.address}}' },
          { label: 'Văn bằng chuyên môn', value: '{{decision.degree}}' },
          { label: 'Phạm vi hoạt động chuyên môn', value: '{{decision.scope}}' },
        ],
      },
      ...(replaces
        ? [{ kind: 'paragraph' as const, text: 'Chứng chỉ này thay thế Chứng chỉ hành nghề dược số {{form.application.certificateNumber}} (lý do: {{form.application.reason}}).' }]
        : []),
      { kind: 'paragraph', text: 'Chứng chỉ có giá trị trên phạm vi toàn quốc kể từ ngày ký.' },
    ],
    recipients: ['Ông/Bà {{form.application.fullName}};', 'Cục Quản lý Dược (để báo cáo);', 'Lưu: VT, NVD.'],
    inputs: [
      { name: 'degree', label: 'Văn bằng chuyên môn (ghi trên chứng chỉ)', required: true, maxLength: 300 },
      { name: 'scope', label: 'Phạm vi hoạt động chuyên môn', required: true, maxLength: 1000 },
    ],
  };
}

export function seedProcedures(): ProcedureInput[] {
  return [
    health({
      key: 'syt-cchn-duoc-xet-ho-so',
      nationalCode: null,
      name: 'Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ (bao gồm trường hợp bị thu hồi theo Điều 28 Luật Dược)',
      field: 'Dược',
      deadline: { value: 20, unit: 'working_days', note: '20 ngày kể từ ngày ghi trên Phiếu tiếp nhận hồ sơ' },
      fees: [{ kind: 'fee', case: 'Phí thẩm định cấp Chứng chỉ hành nghề dược', amountVnd: 500_000 }],
      result: { name: 'Chứng chỉ hành nghề dược', paperAlsoRequiredByLaw: false, documentType: 'health.pharmacist_certificate', template: pharmacistCertificate(false) },
      postAudit: { sampleRate: 0.05, riskRules: [{ id: 'foreign-degree', description: 'Văn bằng do cơ sở đào tạo nước ngoài cấp', sampleRate: 1 }] },
      legalBasis: 'Luật Dược 2016 (sửa đổi bởi Luật 44/2024/QH15); Nghị định 54/2017/NĐ-CP',
      sourceUrl: 'https://daotaolientuc.edu.vn/thu-tuc-cap-chung-chi-hanh-nghe-duoc-tphcm/',
      components: [
        pharmacistForm,
        upload('degree', 'Bản sao có chứng thực văn bằng chuyên môn', CERTIFIED, 'education.degree'),
        upload('degree-equivalence', 'Giấy công nhận tương đương (văn bằng do cơ sở nước ngoài cấp)', CERTIFIED, 'education.degree_equivalence', { required: false }),
        upload('criminal-record', 'Phiếu lý lịch tư pháp', ISSUED, 'justice.criminal_record'),
        upload('legalisation', 'Hợp pháp hóa lãnh sự đối với giấy tờ do nước ngoài cấp', ['E_CERTIFIED', 'DIGITIZED_SIGNED'], null, { required: false }),
        upload('health-certificate', 'Giấy chứng nhận đủ sức khỏe để hành nghề dược', ISSUED, 'health.fitness_certificate'),
        upload('practice-confirmation', 'Giấy xác nhận thời gian thực hành chuyên môn (Mẫu số 03 Phụ lục I Nghị định 54/2017/NĐ-CP)', ISSUED, 'health.practice_confirmation'),
        upload('training-update', 'Giấy xác nhận hoàn thành đào tạo, cập nhật kiến thức chuyên môn về dược (Mẫu số 08; chỉ khi bị thu hồi chứng chỉ)', ISSUED, 'health.cpd_certificate', {
          required: false,
        }),
      ],
    }),
    health({
      key: 'syt-cchn-duoc-cap-lai',
      nationalCode: null,
      name: 'Cấp lại, điều chỉnh nội dung Chứng chỉ hành nghề dược (thẩm quyền Sở Y tế)',
      field: 'Dược',
      deadline: { value: 10, unit: 'working_days', note: '10 ngày kể từ ngày nhận đủ hồ sơ (Điều 27 Luật Dược 2016)' },
      fees: [],
      result: { name: 'Chứng chỉ hành nghề dược (cấp lại/điều chỉnh)', paperAlsoRequiredByLaw: false, documentType: 'health.pharmacist_certificate', template: pharmacistCertificate(true) },
      legalBasis: 'Luật Dược 2016, Điều 25, 27',
      sourceUrl: 'https://lawnet.vn/thong-tin-phap-luat/khac/ho-so-thu-tuc-cap-lai-noi-dung-chung-chi-hanh-nghe-duoc-103024.html',
      components: [
        form('application', 'Đơn đề nghị cấp lại/điều chỉnh Chứng chỉ hành nghề dược (kèm ảnh chân dung)', 'Mẫu số 04 Phụ lục I Nghị định 54/2017/NĐ-CP', [
          { name: 'certificateNumber', label: 'Số Chứng chỉ hành nghề dược đã cấp', type: 'text', required: true, maxLength: 50 },
          { name: 'reason', label: 'Lý do đề nghị', type: 'select', required: true, options: [
            { value: 'lost', label: 'Bị mất' },
            { value: 'damaged', label: 'Bị hư hỏng' },
            { value: 'amend', label: 'Điều chỉnh nội dung' },
          ] },
        ]),
        upload('certificate-copy', 'Bản sao Chứng chỉ hành nghề dược đã cấp (trừ trường hợp bị mất)', ISSUED, 'health.pharmacist_certificate', { required: false }),
      ],
    }),
    health({
      key: 'syt-gcn-dkkd-duoc',
      nationalCode: '1.014076',
      name: 'Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược thuộc thẩm quyền của Sở Y tế (bán buôn, bán lẻ thuốc, dược liệu)',
      field: 'Dược',
      deadline: { value: 30, unit: 'working_days', note: '30 ngày kể từ ngày nhận đủ hồ sơ' },
      fees: [
        { kind: 'fee', case: 'Thẩm định cơ sở bán buôn (GDP)', amountVnd: 4_000_000 },
        { kind: 'fee', case: 'Thẩm định cơ sở bán lẻ (GPP)', amountVnd: 1_000_000 },
        { kind: 'fee', case: 'Thẩm định cơ sở bán lẻ (GPP) tại vùng có điều kiện kinh tế – xã hội khó khăn (Nghị định 31/2021/NĐ-CP)', amountVnd: 500_000 },
      ],
      result: { name: 'Giấy chứng nhận đủ điều kiện kinh doanh dược (kèm Giấy chứng nhận thực hành tốt nếu có đề nghị)', paperAlsoRequiredByLaw: false },
      postAudit: { sampleRate: 0.1, riskRules: [] },
      legalBasis: 'Luật Dược 2016 (sửa đổi 2024); Nghị định 54/2017/NĐ-CP',
      sourceUrl: LAOCAI_1_014076,
      components: [
        form('application', 'Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dược', 'Mẫu số 19 Phụ lục I Nghị định 54/2017/NĐ-CP', [
          { name: 'businessName', label: 'Tên cơ sở kinh doanh', type: 'text', required: true, maxLength: 300 },
          { name: 'businessType', label: 'Loại hình kinh doanh', type: 'select', required: true, options: [
            { value: 'wholesale', label: 'Bán buôn thuốc' },
            { value: 'pharmacy', label: 'Nhà thuốc' },
            { value: 'drugstore', label: 'Quầy thuốc' },
            { value: 'commune-health', label: 'Tủ thuốc trạm y tế xã' },
            { value: 'herbal', label: 'Bán lẻ dược liệu' },
          ] },
        ]),
        upload('technical-documents', 'Tài liệu kỹ thuật về địa điểm, cơ sở vật chất, nhân sự của cơ sở kinh doanh', ['DIGITIZED_SIGNED', 'E_CERTIFIED'], null),
        upload('pharmacist-certificate', 'Bản sao Chứng chỉ hành nghề dược của người chịu trách nhiệm chuyên môn', CERTIFIED, 'health.pharmacist_certificate'),
        upload('business-registration', 'Giấy tờ pháp lý về thành lập cơ sở (đăng ký doanh nghiệp/hộ kinh doanh)', ISSUED, 'business.registration'),
      ],
    }),
    health({
      key: 'syt-gcn-dkkd-duoc-cap-lai-a',
      nationalCode: null,
      name: 'Cấp lại, điều chỉnh Giấy chứng nhận đủ điều kiện kinh doanh dược thuộc thẩm quyền Sở Y tế (điểm a khoản 2 và khoản 3 Điều 36 Luật Dược)',
      field: 'Dược',
      deadline: { value: 20, unit: 'working_days', note: '20 ngày (điểm a khoản 2 và khoản 3 Điều 36 Luật Dược)' },
      fees: [],
      result: { name: 'Giấy chứng nhận đủ điều kiện kinh doanh dược', paperAlsoRequiredByLaw: false },
      legalBasis: 'Luật Dược 2016, Điều 36',
      sourceUrl: 'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=406962',
      components: [
        form('application', 'Đơn đề nghị cấp lại/điều chỉnh Giấy chứng nhận đủ điều kiện kinh doanh dược', 'Mẫu số 20, 21 Phụ lục I Nghị định 54/2017/NĐ-CP', [
          { name: 'certificateNumber', label: 'Số Giấy chứng nhận đã cấp', type: 'text', required: true, maxLength: 50 },
          { name: 'changes', label: 'Nội dung đề nghị điều chỉnh', type: 'textarea', required: true, maxLength: 2000 },
        ]),
        upload('supporting-documents', 'Tài liệu chứng minh nội dung thay đổi', ['DIGITIZED_SIGNED', 'E_CERTIFIED', 'ECOPY_FROM_REGISTER'], null),
      ],
    }),
    health({
      key: 'syt-gcn-dkkd-duoc-cap-lai-b',
      nationalCode: null,
      name: 'Cấp lại Giấy chứng nhận đủ điều kiện kinh doanh dược thuộc thẩm quyền Sở Y tế (điểm b khoản 2 Điều 36 Luật Dược)',
      field: 'Dược',
      deadline: { value: 7, unit: 'working_days', note: '07 ngày làm việc (điểm b khoản 2 Điều 36 Luật Dược)' },
      fees: [],
      result: { name: 'Giấy chứng nhận đủ điều kiện kinh doanh dược (cấp lại)', paperAlsoRequiredByLaw: false },
      legalBasis: 'Luật Dược 2016, Điều 36',
      sourceUrl: 'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=406962',
      components: [
        form('application', 'Đơn đề nghị cấp lại Giấy chứng nhận đủ điều kiện kinh doanh dược', 'Mẫu số 20 Phụ lục I Nghị định 54/2017/NĐ-CP', [
          { name: 'certificateNumber', label: 'Số Giấy chứng nhận đã cấp', type: 'text', required: true, maxLength: 50 },
        ]),
      ],
    }),
    health({
      key: 'syt-gphn-kcb-cap-moi',
      nationalCode: null,
      name: 'Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh (giai đoạn chuyển tiếp) đối với bác sỹ, y sỹ, điều dưỡng, hộ sinh, kỹ thuật y, dinh dưỡng lâm sàng, cấp cứu viên ngoại viện, tâm lý lâm sàng',
      field: 'Khám bệnh, chữa bệnh',
      deadline: { value: 30, unit: 'working_days', note: '30 ngày kể từ ngày nhận đủ hồ sơ (30 ngày sau xác minh nếu giấy tờ nước ngoài cần xác minh)' },
      fees: [{ kind: 'fee', case: 'Phí thẩm định cấp giấy phép hành nghề', amountVnd: 430_000 }],
      result: { name: 'Giấy phép hành nghề khám bệnh, chữa bệnh', paperAlsoRequiredByLaw: false },
      postAudit: { sampleRate: 0.05, riskRules: [{ id: 'foreign-documents', description: 'Có giấy tờ do nước ngoài cấp', sampleRate: 1 }] },
      legalBasis: 'Luật Khám bệnh, chữa bệnh 15/2023/QH15, Điều 28; Nghị định 96/2023/NĐ-CP, Điều 130',
      sourceUrl: 'https://tthc.thuathienhue.gov.vn/Content/Thutuc/chitiet.aspx?iThuTuc=20517',
      components: [
        form('application', 'Đơn đề nghị cấp mới giấy phép hành nghề', 'Mẫu 01 Phụ lục I Nghị định 96/2023/NĐ-CP', [
          { name: 'profession', label: 'Chức danh chuyên môn', type: 'select', required: true, options: [
            { value: 'doctor', label: 'Bác sỹ' },
            { value: 'physician-assistant', label: 'Y sỹ' },
            { value: 'nurse', label: 'Điều dưỡng' },
            { value: 'midwife', label: 'Hộ sinh' },
            { value: 'technician', label: 'Kỹ thuật y' },
            { value: 'nutritionist', label: 'Dinh dưỡng lâm sàng' },
            { value: 'paramedic', label: 'Cấp cứu viên ngoại viện' },
            { value: 'psychologist', label: 'Tâm lý lâm sàng' },
          ] },
        ]),
        upload('degree', 'Bản sao văn bằng chuyên môn phù hợp', CERTIFIED, 'education.degree'),
        upload('health-certificate', 'Giấy chứng nhận đủ sức khỏe hành nghề', ISSUED, 'health.fitness_certificate'),
        upload('practice-confirmation', 'Giấy xác nhận quá trình thực hành', ISSUED, 'health.practice_confirmation'),
      ],
    }),
    health({
      key: 'syt-gcn-sx-my-pham',
      nationalCode: null,
      name: 'Cấp Giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm',
      field: 'Mỹ phẩm',
      deadline: { value: 30, unit: 'working_days' },
      fees: [{ kind: 'fee', case: 'Phí thẩm định điều kiện sản xuất mỹ phẩm', amountVnd: 6_000_000 }],
      result: { name: 'Giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm', paperAlsoRequiredByLaw: false },
      postAudit: { sampleRate: 0.1, riskRules: [] },
      legalBasis: 'Nghị định 93/2016/NĐ-CP',
      sourceUrl: NINHTHUAN_COSMETICS,
      components: [
        form('application', 'Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm', 'Mẫu số 01 Nghị định 93/2016/NĐ-CP', [
          { name: 'factoryName', label: 'Tên cơ sở sản xuất', type: 'text', required: true, maxLength: 300 },
        ]),
        upload('site-plan', 'Sơ đồ mặt bằng và thiết kế của cơ sở sản xuất', ['DIGITIZED_SIGNED'], null),
        upload('equipment-list', 'Danh mục thiết bị hiện có của cơ sở sản xuất', ['DIGITIZED_SIGNED'], null),
      ],
    }),
    health({
      key: 'syt-gcn-sx-my-pham-cap-lai',
      nationalCode: null,
      name: 'Cấp lại Giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm',
      field: 'Mỹ phẩm',
      deadline: { value: 5, unit: 'working_days' },
      fees: [],
      result: { name: 'Giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm (cấp lại)', paperAlsoRequiredByLaw: false },
      legalBasis: 'Nghị định 93/2016/NĐ-CP',
      sourceUrl: NINHTHUAN_COSMETICS,
      components: [form('application', 'Đơn đề nghị cấp lại Giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm', 'Mẫu số 03 Nghị định 93/2016/NĐ-CP')],
    }),
    health({
      key: 'syt-gcn-sx-my-pham-dieu-chinh',
      nationalCode: null,
      name: 'Điều chỉnh Giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm',
      field: 'Mỹ phẩm',
      deadline: { value: 4, unit: 'working_days' },
      fees: [],
      result: { name: 'Giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm (điều chỉnh)', paperAlsoRequiredByLaw: false },
      legalBasis: 'Nghị định 93/2016/NĐ-CP',
      sourceUrl: NINHTHUAN_COSMETICS,
      components: [
        form('application', 'Đơn đề nghị điều chỉnh Giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm', 'Mẫu số 04 Nghị định 93/2016/NĐ-CP'),
        upload('change-evidence', 'Giấy tờ chứng minh nội dung thay đổi', ['DIGITIZED_SIGNED', 'E_CERTIFIED', 'ECOPY_FROM_REGISTER'], null),
      ],
    }),
    health({
      key: 'syt-cfs-my-pham',
      nationalCode: null,
      name: 'Cấp giấy chứng nhận lưu hành tự do (CFS) đối với mỹ phẩm sản xuất trong nước để xuất khẩu',
      field: 'Mỹ phẩm',
      deadline: { value: 3, unit: 'working_days' },
      fees: [],
      result: { name: 'Giấy chứng nhận lưu hành tự do (CFS)', paperAlsoRequiredByLaw: true },
      legalBasis: 'Nghị định 93/2016/NĐ-CP; Nghị định 69/2018/NĐ-CP',
      sourceUrl: NINHTHUAN_COSMETICS,
      components: [
        form('application', 'Văn bản đề nghị cấp CFS', 'Mẫu số 04 Phụ lục V Nghị định 69/2018/NĐ-CP', [
          { name: 'productName', label: 'Tên sản phẩm', type: 'text', required: true, maxLength: 300 },
          { name: 'importingCountry', label: 'Nước nhập khẩu', type: 'text', required: true, maxLength: 100 },
        ]),
        upload('notification-receipt', 'Phiếu công bố sản phẩm mỹ phẩm đã được cấp số tiếp nhận', ISSUED, 'health.cosmetic_notification'),
      ],
    }),
    departmentProcedure(C.departmentOfJustice, {
      key: 'stp-ly-lich-tu-phap',
      nationalCode: null,
      name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
      field: 'Lý lịch tư pháp',
      deadline: { value: 10, unit: 'working_days', note: 'Không quá 10 ngày kể từ ngày nhận đủ hồ sơ hợp lệ (Điều 48 Luật Lý lịch tư pháp)' },
      fees: [
        { kind: 'fee', case: 'Phí cung cấp thông tin lý lịch tư pháp', amountVnd: 200_000 },
        { kind: 'fee', case: 'Sinh viên, người có công với cách mạng, thân nhân liệt sĩ', amountVnd: 100_000 },
      ],
      result: { name: 'Phiếu lý lịch tư pháp', paperAlsoRequiredByLaw: false },
      legalBasis: 'Luật Lý lịch tư pháp 2009, Điều 45–48; Thông tư 244/2016/TT-BTC',
      sourceUrl: null,
      components: [
        form('application', 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', 'Mẫu số 03/2013/TT-LLTP', [
          { name: 'certificateType', label: 'Loại Phiếu', type: 'select', required: true, options: [
            { value: '1', label: 'Phiếu lý lịch tư pháp số 1' },
            { value: '2', label: 'Phiếu lý lịch tư pháp số 2' },
          ] },
          { name: 'copies', label: 'Số lượng Phiếu yêu cầu cấp', type: 'number', required: true },
        ]),
        showId,
      ],
    }),
    departmentProcedure(C.departmentOfConstruction, {
      key: 'sxd-giay-phep-xay-dung-cong-trinh',
      nationalCode: null,
      name: 'Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II (công trình không theo tuyến, theo tuyến trong đô thị, tín ngưỡng, tôn giáo, tượng đài, tranh hoành tráng, quảng cáo)',
      field: 'Hoạt động xây dựng',
      deadline: { value: 20, unit: 'working_days', note: '20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ (Điều 102 Luật Xây dựng 2014, sửa đổi 2020)' },
      fees: [{ kind: 'charge', case: 'Lệ phí cấp giấy phép xây dựng công trình (mức tham khảo; áp dụng theo Nghị quyết HĐND Thành phố)', amountVnd: 150_000 }],
      result: { name: 'Giấy phép xây dựng', paperAlsoRequiredByLaw: false },
      postAudit: { sampleRate: 0.1, riskRules: [] },
      legalBasis: 'Luật Xây dựng 2014 (sửa đổi 2020), Điều 89, 102, 103; Nghị định 15/2021/NĐ-CP, Điều 43',
      sourceUrl: null,
      components: [
        form('application', 'Đơn đề nghị cấp giấy phép xây dựng', 'Mẫu số 01 Phụ lục II Nghị định 15/2021/NĐ-CP', [
          { name: 'projectName', label: 'Tên công trình', type: 'text', required: true, maxLength: 300 },
          { name: 'site', label: 'Địa điểm xây dựng', type: 'textarea', required: true, maxLength: 500 },
        ]),
        upload('land-rights', 'Giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất đai', ISSUED, 'land.use_right_certificate'),
        upload('project-approval', 'Quyết định phê duyệt dự án; văn bản thông báo kết quả thẩm định của cơ quan chuyên môn về xây dựng', ['ECOPY_FROM_REGISTER', 'DIGITIZED_SIGNED', 'E_CERTIFIED'], null),
        upload('design-drawings', 'Bản vẽ thiết kế xây dựng (mặt bằng, mặt cắt, mặt đứng, móng, đấu nối hạ tầng)', ['DIGITIZED_SIGNED'], null),
      ],
    }),
    commune({
      key: 'xa-dang-ky-khai-sinh',
      nationalCode: null,
      name: 'Đăng ký khai sinh',
      field: 'Hộ tịch',
      deadline: { value: 0, unit: 'working_days', note: 'Trong ngày; hồ sơ tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo' },
      fees: [{ kind: 'charge', case: 'Đăng ký khai sinh đúng hạn (miễn lệ phí, Điều 11 Luật Hộ tịch)', amountVnd: 0 }],
      result: { name: 'Giấy khai sinh (bản chính) và trích lục khai sinh điện tử', paperAlsoRequiredByLaw: true },
      legalBasis: 'Luật Hộ tịch 2014, Điều 11, 16; Nghị định 123/2015/NĐ-CP',
      sourceUrl: 'http://chauphu.angiang.gov.vn/wps/portal/Home/Xem%20th%E1%BB%A7%20t%E1%BB%A5c%20h%C3%A0nh%20ch%C3%ADnh/',
      components: [
        form('declaration', 'Tờ khai đăng ký khai sinh', 'Mẫu Tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)', [
          { name: 'childName', label: 'Họ, chữ đệm, tên của trẻ', type: 'text', required: true, maxLength: 100 },
          { name: 'childSex', label: 'Giới tính', type: 'select', required: true, options: [
            { value: 'F', label: 'Nữ' },
            { value: 'M', label: 'Nam' },
          ] },
          { name: 'childBirthDate', label: 'Ngày, tháng, năm sinh của trẻ', type: 'date', required: true },
          { name: 'birthPlace', label: 'Nơi sinh', type: 'text', required: true, maxLength: 300 },
          { name: 'motherName', label: 'Họ tên người mẹ', type: 'text', required: false, maxLength: 100 },
          { name: 'fatherName', label: 'Họ tên người cha', type: 'text', required: false, maxLength: 100 },
          { name: 'relationship', label: 'Quan hệ với trẻ', type: 'text', required: true, maxLength: 50 },
        ]),
        upload('birth-certificate', 'Giấy chứng sinh (hoặc văn bản của người làm chứng, giấy cam đoan về việc sinh)', ['ECOPY_FROM_REGISTER', 'DIGITIZED_SIGNED', 'REUSED'], 'health.birth_notice'),
        showId,
      ],
    }),
    commune({
      key: 'xa-dang-ky-khai-sinh-luu-dong',
      nationalCode: null,
      name: 'Đăng ký khai sinh lưu động',
      field: 'Hộ tịch',
      channels: ['counter'],
      deadline: { value: 5, unit: 'working_days', note: '05 ngày làm việc' },
      fees: [{ kind: 'charge', case: 'Đăng ký đúng hạn; người thuộc diện ưu tiên, miễn lệ phí', amountVnd: 0 }],
      result: { name: 'Giấy khai sinh (bản chính)', paperAlsoRequiredByLaw: true },
      legalBasis: 'Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP',
      sourceUrl: 'http://molao.hadong.hanoi.gov.vn/print-multi.php?in-thutuc=20855',
      components: [
        form('declaration', 'Tờ khai đăng ký khai sinh', 'Mẫu Tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)', [
          { name: 'childName', label: 'Họ, chữ đệm, tên của trẻ', type: 'text', required: true, maxLength: 100 },
          { name: 'childBirthDate', label: 'Ngày, tháng, năm sinh của trẻ', type: 'date', required: true },
        ]),
        upload('birth-certificate', 'Bản chính Giấy chứng sinh, hoặc văn bản của người làm chứng, giấy cam đoan về việc sinh', ['ECOPY_FROM_REGISTER', 'DIGITIZED_SIGNED', 'REUSED'], 'health.birth_notice'),
        upload('surrogacy-confirmation', 'Văn bản xác nhận của cơ sở y tế đã thực hiện kỹ thuật hỗ trợ sinh sản (trường hợp mang thai hộ)', ['ECOPY_FROM_REGISTER', 'DIGITIZED_SIGNED'], null, { required: false }),
        showId,
      ],
    }),
    commune({
      key: 'xa-ban-sao-trich-luc-ho-tich',
      nationalCode: null,
      name: 'Cấp bản sao Trích lục hộ tịch',
      field: 'Hộ tịch',
      deadline: { value: 0, unit: 'working_days', note: 'Trong ngày; hồ sơ tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo' },
      fees: [{ kind: 'fee', case: 'Mỗi bản sao trích lục của một sự kiện hộ tịch', amountVnd: 8_000 }],
      result: { name: 'Bản sao trích lục hộ tịch', paperAlsoRequiredByLaw: false },
      postAudit: { sampleRate: 0.02, riskRules: [] },
      legalBasis: 'Luật Hộ tịch 2014, Điều 63, 64; Thông tư 281/2016/TT-BTC',
      sourceUrl: QUANGHANH_CIVIL,
      components: [
        form('request', 'Tờ khai cấp bản sao trích lục hộ tịch', 'Mẫu Tờ khai cấp bản sao trích lục hộ tịch (Thông tư 04/2020/TT-BTP)', [
          { name: 'eventType', label: 'Sự kiện hộ tịch', type: 'select', required: true, options: [
            { value: 'birth', label: 'Khai sinh' },
            { value: 'marriage', label: 'Kết hôn' },
            { value: 'death', label: 'Khai tử' },
          ] },
          { name: 'copies', label: 'Số bản sao', type: 'number', required: true },
        ]),
        showId,
      ],
    }),
    commune({
      key: 'xa-xac-nhan-thong-tin-ho-tich',
      nationalCode: null,
      name: 'Xác nhận thông tin hộ tịch',
      field: 'Hộ tịch',
      deadline: { value: 3, unit: 'working_days', note: '03 ngày làm việc; trường hợp phải xác minh thì không quá 10 ngày làm việc' },
      fees: [{ kind: 'charge', case: 'Mỗi văn bản xác nhận (mức theo nguồn công bố; áp dụng mức do HĐND Thành phố quy định)', amountVnd: 8_000 }],
      result: { name: 'Văn bản xác nhận thông tin hộ tịch', paperAlsoRequiredByLaw: false },
      legalBasis: 'Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP (sửa đổi bởi Nghị định 07/2025/NĐ-CP)',
      sourceUrl: QUANGHANH_CIVIL,
      components: [
        form('request', 'Tờ khai xác nhận thông tin hộ tịch', 'Mẫu Tờ khai xác nhận thông tin hộ tịch', [
          { name: 'purpose', label: 'Mục đích sử dụng', type: 'textarea', required: true, maxLength: 1000 },
        ]),
        showId,
      ],
    }),
    commune({
      key: 'xa-lien-thong-khai-sinh-thuong-tru-bhyt',
      nationalCode: null,
      name: 'Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
      field: 'Hộ tịch',
      deadline: { value: 15, unit: 'working_days', note: 'Tối đa 15 ngày làm việc' },
      fees: [{ kind: 'charge', case: 'Miễn lệ phí', amountVnd: 0 }],
      result: { name: 'Giấy khai sinh, xác nhận đăng ký thường trú, thẻ bảo hiểm y tế', paperAlsoRequiredByLaw: true },
      legalBasis: 'Thông tư liên tịch 05/2015/TTLT-BTP-BCA-BYT',
      sourceUrl: QUANGHANH_CIVIL,
      components: [
        form('declaration', 'Tờ khai liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế', 'Mẫu Tờ khai liên thông (TTLT 05/2015)', [
          { name: 'childName', label: 'Họ, chữ đệm, tên của trẻ', type: 'text', required: true, maxLength: 100 },
          { name: 'childBirthDate', label: 'Ngày, tháng, năm sinh của trẻ', type: 'date', required: true },
        ]),
        upload('birth-certificate', 'Giấy chứng sinh', ['ECOPY_FROM_REGISTER', 'DIGITIZED_SIGNED', 'REUSED'], 'health.birth_notice'),
        showId,
      ],
    }),
  ];
}

export function seedCatalogFile(): CatalogFile {
  return { format: CATALOG_FORMAT, formatVersion: CATALOG_FORMAT_VERSION, agencies: demoAgencies(), procedures: seedProcedures() };
}
