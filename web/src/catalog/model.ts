/**
 * Shapes of the catalog API (src/catalog/routes.ts) as the web app sees them, and the Vietnamese/English labels
 * of their codes. Kept here rather than imported from src/ so the browser bundle carries no server code.
 */
export type Channel = 'full_online' | 'partly_online' | 'counter' | 'post';
export type Basis = 'DIGITIZED_SIGNED' | 'ECOPY_FROM_REGISTER' | 'E_CERTIFIED' | 'SELF_DECLARED' | 'REUSED';
export type StepKind = 'reception' | 'assignment' | 'appraisal' | 'review' | 'approval' | 'result_return' | 'transfer';
export type StepRole = 'counter_officer' | 'specialist' | 'leader';
export type AgencyKind = 'people_committee' | 'department' | 'commune' | 'service_center' | 'branch' | 'other';
export type DeadlineUnit = 'working_days' | 'working_hours';

export interface Agency {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  kind: AgencyKind;
  parentId: string | null;
  parentCode: string | null;
  gsoCode: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  address: string | null;
}

export interface Fee {
  kind: 'fee' | 'charge';
  case: string;
  amountVnd: number;
}

export interface ProcedureFields {
  key: string;
  nationalCode: string | null;
  name: string;
  field: string;
  level: 'province' | 'commune';
  competentAgency: string | null;
  receivingAgencies: string[];
  channels: Channel[];
  deadline: { value: number; unit: DeadlineUnit; note?: string | null };
  cutoff: string;
  fees: Fee[];
  result: { name: string; paperAlsoRequiredByLaw: boolean };
  postAudit: { sampleRate: number; riskRules: { id: string; description: string; sampleRate: number }[] };
  legalBasis?: string | null;
  sourceUrl?: string | null;
  active?: boolean;
}

export interface Procedure extends ProcedureFields {
  id: string;
  active: boolean;
  competentAgencyName: string | null;
}

export interface FormField {
  name: string;
  label: string;
  type: string;
  required: boolean;
  maxLength?: number;
  options?: { value: string; label: string }[];
}

export interface ComponentFields {
  key: string;
  name: string;
  required: boolean;
  input: 'upload' | 'form';
  formTemplate?: { title: string; fields: FormField[] } | null;
  copies: number;
  documentType?: string | null;
  acceptedBases: Basis[];
  exempt?: { reason: 'SHOWN_ONLY' | 'CLASSIFIED' | 'OTHER'; note?: string | null } | null;
  note?: string | null;
}

export interface Component extends ComponentFields {
  id: string;
  position: number;
  active: boolean;
}

export interface Step {
  kind: StepKind;
  name: string;
  role: StepRole;
  agency: string | null;
  quotaHours: number;
}

export interface Process {
  id: string;
  agency: string | null;
  agencyName: string | null;
  version: number;
  deadline: { value: number; unit: DeadlineUnit };
  totalHours: number;
  note: string | null;
  createdAt: string;
  steps: (Step & { position: number })[];
  matchesDeadline?: boolean;
}

export interface ProcedureDetail {
  procedure: Procedure;
  components: Component[];
  processes: Process[];
}

export interface CatalogIssue {
  path: string;
  reason: string;
}

type Labels<K extends string> = Record<K, { vi: string; en: string }>;

export const CHANNEL_LABELS: Labels<Channel> = {
  full_online: { vi: 'Trực tuyến toàn trình', en: 'Fully online' },
  partly_online: { vi: 'Trực tuyến một phần', en: 'Partly online' },
  counter: { vi: 'Trực tiếp tại bộ phận một cửa', en: 'At the counter' },
  post: { vi: 'Qua dịch vụ bưu chính', en: 'By post' },
};

export const BASIS_LABELS: Labels<Basis> = {
  DIGITIZED_SIGNED: { vi: 'Số hóa và ký số khi tiếp nhận', en: 'Digitized and signed at reception' },
  ECOPY_FROM_REGISTER: { vi: 'Bản sao điện tử từ sổ gốc', en: 'E-copy from the original register' },
  E_CERTIFIED: { vi: 'Bản sao chứng thực điện tử', en: 'Electronically certified copy' },
  SELF_DECLARED: { vi: 'Tự kê khai trực tuyến', en: 'Self-declared online form' },
  REUSED: { vi: 'Tái sử dụng từ kho dữ liệu', en: 'Reused from the e-store' },
};

export const STEP_LABELS: Labels<StepKind> = {
  reception: { vi: 'Tiếp nhận', en: 'Reception' },
  assignment: { vi: 'Phân công', en: 'Assignment' },
  appraisal: { vi: 'Thẩm định', en: 'Appraisal' },
  review: { vi: 'Kiểm tra, trình', en: 'Review' },
  approval: { vi: 'Phê duyệt, ký số', en: 'Approval and signing' },
  result_return: { vi: 'Trả kết quả', en: 'Result return' },
  transfer: { vi: 'Chuyển liên thông', en: 'Transfer' },
};

export const ROLE_LABELS: Labels<StepRole> = {
  counter_officer: { vi: 'Cán bộ một cửa', en: 'Counter officer' },
  specialist: { vi: 'Chuyên viên', en: 'Specialist' },
  leader: { vi: 'Lãnh đạo', en: 'Leader' },
};

export const KIND_LABELS: Labels<AgencyKind> = {
  people_committee: { vi: 'Ủy ban nhân dân', en: "People's Committee" },
  department: { vi: 'Sở, ban, ngành', en: 'Department' },
  commune: { vi: 'Xã, phường', en: 'Commune/ward' },
  service_center: { vi: 'Trung tâm Phục vụ hành chính công', en: 'Service center' },
  branch: { vi: 'Chi nhánh, quầy', en: 'Branch/counter' },
  other: { vi: 'Đơn vị khác', en: 'Other unit' },
};

export const EXEMPT_LABELS: Labels<'SHOWN_ONLY' | 'CLASSIFIED' | 'OTHER'> = {
  SHOWN_ONLY: { vi: 'Chỉ xuất trình', en: 'Shown only' },
  CLASSIFIED: { vi: 'Tài liệu mật', en: 'Classified' },
  OTHER: { vi: 'Lý do khác', en: 'Other reason' },
};

/** "20 ngày làm việc", "4 giờ làm việc", "Trong ngày". */
export function deadlineText(d: { value: number; unit: DeadlineUnit }, lang: 'vi' | 'en'): string {
  if (d.unit === 'working_days' && d.value === 0) return lang === 'vi' ? 'Trong ngày làm việc' : 'Within the working day';
  if (d.unit === 'working_days') return lang === 'vi' ? `${d.value} ngày làm việc` : `${d.value} working day${d.value === 1 ? '' : 's'}`;
  return lang === 'vi' ? `${d.value} giờ làm việc` : `${d.value} working hour${d.value === 1 ? '' : 's'}`;
}

/** Working hours the steps must add up to (mirrors quotaTargetHours in src/catalog/rules.ts). */
export function quotaTargetHours(d: { value: number; unit: DeadlineUnit }, cutoff: string): number {
  if (d.unit === 'working_hours') return d.value;
  if (d.value > 0) return d.value * 8;
  const [h, m] = cutoff.split(':').map(Number) as [number, number];
  return Math.max(0, 17 - h - m / 60);
}
