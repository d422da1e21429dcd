/**
 * Stable refusal codes of the lifecycle rules, with their Vietnamese/English messages. The service maps a refusal
 * to an HTTP problem; a refusal with `violation: 'R3'` is also written to the violations register (an attempt to
 * ask for something the applicant already provided validly, i.e. for paper).
 */
import type { LocalizedText } from '../../platform/http/problem.ts';

export const REFUSAL_CODES = [
  'actor_not_allowed',
  'out_of_scope',
  'consent_required',
  'invalid_state',
  'dossier_closed',
  'result_exists',
  'clock_regression',
  'components_incomplete',
  'component_invalid',
  'unknown_component',
  'items_required',
  'duplicate_item',
  'reason_required',
  'completion_already_returned',
  'completion_pending',
  'supplement_already_requested',
  'supplement_names_valid_component',
  'supplement_names_exempt_component',
  'not_requested_component',
  'supplement_incomplete',
  'not_signature_based',
  'step_role_mismatch',
  'no_next_step',
  'approval_step_not_current',
  'approval_required',
  'result_document_required',
  'invalid_applicant_id',
  'invalid_agency',
  'transfer_same_agency',
  'transfer_steps_invalid',
  'invalid_notice',
  'steps_remaining',
  'payment_amount_mismatch',
  'deadline_passed',
  'extension_invalid',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  ok: false;
  code: RefusalCode;
  message: LocalizedText;
  /** Set when the attempt breaks rule R3 and must enter the violations register. */
  violation?: 'R3';
  /** Machine-readable particulars (e.g. the component keys concerned). */
  details?: Record<string, unknown>;
}

export const REFUSAL_MESSAGES: Readonly<Record<RefusalCode, LocalizedText>> = Object.freeze({
  actor_not_allowed: { vi: 'Vai trò của người dùng không được thực hiện thao tác này', en: 'Your role may not perform this action' },
  out_of_scope: {
    vi: 'Hồ sơ không thuộc phạm vi xử lý của người dùng (cơ quan đang giữ hồ sơ hoặc hồ sơ của chính mình)',
    en: 'The dossier is outside your scope (the agency holding it, or your own dossier)',
  },
  consent_required: {
    vi: 'Đại lý dịch vụ công phải có sự đồng ý đã ghi nhận của người nộp hồ sơ',
    en: "A public-service agent needs the applicant's recorded consent",
  },
  invalid_state: { vi: 'Không thể thực hiện thao tác ở trạng thái hiện tại của hồ sơ', en: 'The action is not allowed in the current status' },
  dossier_closed: {
    vi: 'Hồ sơ đã kết thúc (từ chối, rút, dừng hoặc đã trả kết quả)',
    en: 'The dossier is closed (refused, withdrawn, stopped or result returned)',
  },
  result_exists: { vi: 'Hồ sơ đã có kết quả giải quyết', en: 'The dossier already has a result' },
  clock_regression: { vi: 'Thời điểm thao tác sớm hơn thao tác trước đó', en: 'The action is dated before the previous one' },
  components_incomplete: {
    vi: 'Hồ sơ chưa đủ thành phần điện tử hợp lệ (thiếu hoặc không hợp lệ)',
    en: 'Not every required component is a valid e-document',
  },
  component_invalid: { vi: 'Thành phần hồ sơ không hợp lệ', en: 'A component is not valid' },
  unknown_component: { vi: 'Thủ tục không có thành phần hồ sơ này', en: 'The procedure has no such component' },
  items_required: { vi: 'Phải nêu ít nhất một thành phần cần bổ sung', en: 'Name at least one component' },
  duplicate_item: { vi: 'Một thành phần được nêu nhiều lần', en: 'A component is named more than once' },
  reason_required: { vi: 'Phải nêu lý do', en: 'A reason is required' },
  completion_already_returned: {
    vi: 'Hồ sơ chỉ được trả lại để hoàn thiện một lần',
    en: 'A dossier may be returned for completion only once',
  },
  completion_pending: {
    vi: 'Hồ sơ đang chờ người nộp hoàn thiện',
    en: 'The dossier is waiting for the applicant to complete it',
  },
  supplement_already_requested: {
    vi: 'Mỗi hồ sơ chỉ được yêu cầu bổ sung một lần',
    en: 'A dossier may be asked for a supplement only once',
  },
  supplement_names_valid_component: {
    vi: 'Không được yêu cầu bổ sung thành phần đã có bản điện tử hợp lệ (không yêu cầu nộp lại giấy tờ)',
    en: 'A component with a valid e-version cannot be requested again (no paper requests)',
  },
  supplement_names_exempt_component: {
    vi: 'Không được yêu cầu nộp thành phần đã được miễn số hóa (chỉ xuất trình)',
    en: 'A component exempted from digitization (shown only) cannot be requested',
  },
  not_requested_component: {
    vi: 'Thành phần này không nằm trong yêu cầu bổ sung',
    en: 'This component was not in the request',
  },
  supplement_incomplete: {
    vi: 'Chưa bổ sung hợp lệ đủ các thành phần được yêu cầu',
    en: 'Not every requested component has been supplied validly',
  },
  not_signature_based: {
    vi: 'Thành phần này không dựa trên chữ ký số nên không có kết quả kiểm tra chữ ký',
    en: 'This component is not signature-based, so it has no signature validation',
  },
  step_role_mismatch: {
    vi: 'Bước xử lý hiện tại không thuộc vai trò hoặc cơ quan của người dùng',
    en: 'The current step belongs to another role or agency',
  },
  no_next_step: {
    vi: 'Đây là bước cuối của quy trình: hãy hoàn thành xử lý hồ sơ',
    en: 'This is the last step: mark the dossier processed instead',
  },
  approval_step_not_current: { vi: 'Hồ sơ chưa đến bước phê duyệt', en: 'The dossier is not at an approval step' },
  approval_required: { vi: 'Kết quả phải được lãnh đạo phê duyệt trước', en: 'The result must first be approved by a leader' },
  result_document_required: { vi: 'Thiếu tài liệu kết quả đã ký số', en: 'The signed result document is missing' },
  invalid_applicant_id: {
    vi: 'Số định danh cá nhân hoặc mã số thuế của người nộp không hợp lệ',
    en: "The applicant's personal identification number or tax code is not valid",
  },
  invalid_agency: {
    vi: 'Mã định danh điện tử của cơ quan không đúng cấu trúc (QĐ 20/2020/QĐ-TTg)',
    en: 'The agency electronic identifier is malformed (QĐ 20/2020/QĐ-TTg)',
  },
  transfer_same_agency: { vi: 'Không thể chuyển hồ sơ cho chính cơ quan đang giữ', en: 'Cannot transfer to the agency holding the dossier' },
  transfer_steps_invalid: {
    vi: 'Quy trình của cơ quan nhận phải có ít nhất một bước hợp lệ (vai trò, thời hạn)',
    en: "The receiving agency's steps must be at least one valid step (role, quota)",
  },
  invalid_notice: {
    vi: 'Thông báo nghĩa vụ tài chính phải có số hiệu và số tiền là số nguyên dương (VNĐ)',
    en: 'The notice needs a reference and an amount that is a positive whole number of VND',
  },
  steps_remaining: {
    vi: 'Quy trình còn bước xử lý chưa thực hiện',
    en: 'Process steps remain to be done',
  },
  payment_amount_mismatch: {
    vi: 'Số tiền thanh toán không khớp với thông báo nghĩa vụ tài chính',
    en: 'The amount paid does not match the notice',
  },
  deadline_passed: {
    vi: 'Đã quá hạn giải quyết: văn bản xin lỗi phải gửi trước thời hạn',
    en: 'The deadline has passed: the apology had to be sent before it',
  },
  extension_invalid: {
    vi: 'Thời gian gia hạn phải lớn hơn 0 (ngày làm việc hoặc giờ làm việc)',
    en: 'The extension must be more than 0 working days or hours',
  },
});

export function refuse(code: RefusalCode, details?: Record<string, unknown>): Refusal {
  const r: Refusal = { ok: false, code, message: REFUSAL_MESSAGES[code] };
  if (code === 'supplement_names_valid_component' || code === 'supplement_names_exempt_component') r.violation = 'R3';
  if (details !== undefined) r.details = details;
  return r;
}
