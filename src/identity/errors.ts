import { defineError } from '../platform/http/problem.ts';

/** Problems the identity room raises (stable codes; titles in Vietnamese and English). */
export const IdentityErrors = {
  invalidCredentials: defineError('INVALID_CREDENTIALS', 401, {
    vi: 'Tên đăng nhập hoặc mật khẩu không đúng',
    en: 'Wrong username or password',
  }),
  accountDisabled: defineError('ACCOUNT_DISABLED', 403, {
    vi: 'Tài khoản đã bị khóa bởi quản trị viên',
    en: 'This account has been disabled by an administrator',
  }),
  loginRateLimited: defineError('LOGIN_RATE_LIMITED', 429, {
    vi: 'Đăng nhập sai quá nhiều lần, vui lòng thử lại sau',
    en: 'Too many sign-in attempts, try again later',
  }),
  wrongCurrentPassword: defineError('WRONG_CURRENT_PASSWORD', 400, {
    vi: 'Mật khẩu hiện tại không đúng',
    en: 'The current password is wrong',
  }),
  userNotFound: defineError('USER_NOT_FOUND', 404, { vi: 'Không tìm thấy người dùng', en: 'User not found' }),
  usernameTaken: defineError('USERNAME_TAKEN', 409, { vi: 'Tên đăng nhập đã được sử dụng', en: 'This username is already taken' }),
  subjectTaken: defineError('SUBJECT_ID_TAKEN', 409, {
    vi: 'Số định danh này đã có tài khoản công dân',
    en: 'A citizen account already exists for this identification number',
  }),
  invalidUsername: defineError('INVALID_USERNAME', 400, {
    vi: 'Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới (3–64 ký tự)',
    en: 'Usernames are 3–64 characters: lower-case letters, digits, dot, hyphen, underscore',
  }),
  weakPassword: defineError('WEAK_PASSWORD', 400, { vi: 'Mật khẩu chưa đủ mạnh', en: 'The password is too weak' }),
  agencyRequired: defineError('AGENCY_REQUIRED', 400, {
    vi: 'Cán bộ phải thuộc một cơ quan',
    en: 'An officer must belong to an agency',
  }),
  agencyForbidden: defineError('AGENCY_NOT_ALLOWED', 400, {
    vi: 'Tài khoản người nộp hồ sơ không gắn với cơ quan',
    en: 'Applicant accounts do not belong to an agency',
  }),
  unknownAgency: defineError('UNKNOWN_AGENCY', 400, { vi: 'Không có cơ quan với mã này', en: 'No agency has this code' }),
  invalidSubjectId: defineError('INVALID_SUBJECT_ID', 400, {
    vi: 'Số định danh (CCCD hoặc mã số thuế) không hợp lệ',
    en: 'The identification number (CCCD or tax code) is not valid',
  }),
  invalidEmail: defineError('INVALID_EMAIL', 400, { vi: 'Địa chỉ thư điện tử không hợp lệ', en: 'The e-mail address is not valid' }),
  outOfScope: defineError('OUT_OF_SCOPE', 403, {
    vi: 'Thao tác nằm ngoài phạm vi cơ quan của bạn',
    en: 'This is outside the scope of your agency',
  }),
  cannotChangeSelf: defineError('CANNOT_CHANGE_OWN_ACCOUNT', 409, {
    vi: 'Không thể tự khóa hoặc tự đổi vai trò của chính mình',
    en: 'You cannot disable your own account or change your own role',
  }),
};
