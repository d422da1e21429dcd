/**
 * RFC 9457 problem details with a stable machine code and a title in Vietnamese and English.
 * Rooms throw `AppError`; the HTTP layer renders it in the language the client asked for.
 */
export interface LocalizedText {
  vi: string;
  en: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: LocalizedText,
    readonly extensions: Record<string, unknown> = {},
    readonly detail?: LocalizedText,
  ) {
    super(`${code}: ${title.en}`);
  }
}

/** Declares an error kind once; call it to create an instance with optional extensions and detail. */
export function defineError(code: string, status: number, title: LocalizedText) {
  const make = (extensions: Record<string, unknown> = {}, detail?: LocalizedText) =>
    new AppError(code, status, title, extensions, detail);
  return Object.assign(make, { code, status, title });
}

export type Lang = 'vi' | 'en';

/** Vietnamese unless the client prefers English (Accept-Language or ?lang=). */
export function pickLang(acceptLanguage: string | undefined, explicit?: string): Lang {
  if (explicit === 'en' || explicit === 'vi') return explicit;
  if (!acceptLanguage) return 'vi';
  const prefs = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((p) => p.tag)
    .sort((a, b) => b.q - a.q);
  for (const p of prefs) {
    if (p.tag.startsWith('vi')) return 'vi';
    if (p.tag.startsWith('en')) return 'en';
  }
  return 'vi';
}

export function problemBody(err: AppError, lang: Lang, instance?: string): ProblemBody {
  return {
    type: `https://hoso.example/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: err.title[lang],
    status: err.status,
    code: err.code,
    ...(err.detail ? { detail: err.detail[lang] } : {}),
    ...(instance ? { instance } : {}),
    titles: err.title,
    ...err.extensions,
  };
}

/** Errors the platform itself raises. */
export const Problems = {
  notFound: defineError('NOT_FOUND', 404, { vi: 'Không tìm thấy tài nguyên', en: 'Resource not found' }),
  routeNotFound: defineError('ROUTE_NOT_FOUND', 404, { vi: 'Không có địa chỉ này', en: 'No such route' }),
  validation: defineError('VALIDATION_FAILED', 400, { vi: 'Dữ liệu không hợp lệ', en: 'The request is not valid' }),
  invalidJson: defineError('INVALID_JSON', 400, { vi: 'Nội dung JSON không đọc được', en: 'The JSON body cannot be parsed' }),
  bodyTooLarge: defineError('BODY_TOO_LARGE', 413, { vi: 'Dữ liệu gửi lên quá lớn', en: 'The request body is too large' }),
  unsupportedMediaType: defineError('UNSUPPORTED_MEDIA_TYPE', 415, {
    vi: 'Kiểu nội dung không được hỗ trợ',
    en: 'Unsupported content type',
  }),
  unauthenticated: defineError('UNAUTHENTICATED', 401, { vi: 'Bạn cần đăng nhập', en: 'You need to sign in' }),
  forbidden: defineError('FORBIDDEN', 403, {
    vi: 'Bạn không có quyền thực hiện thao tác này',
    en: 'You are not allowed to do this',
  }),
  csrf: defineError('CSRF_TOKEN_INVALID', 403, {
    vi: 'Mã chống giả mạo yêu cầu (CSRF) không hợp lệ',
    en: 'The anti-forgery (CSRF) token is missing or invalid',
  }),
  conflict: defineError('CONFLICT', 409, { vi: 'Dữ liệu đã bị thay đổi bởi thao tác khác', en: 'The data was changed by another action' }),
  rateLimited: defineError('RATE_LIMITED', 429, { vi: 'Quá nhiều yêu cầu, vui lòng thử lại sau', en: 'Too many requests, try again later' }),
  idempotencyMismatch: defineError('IDEMPOTENCY_KEY_REUSED', 422, {
    vi: 'Khóa Idempotency-Key đã được dùng cho một yêu cầu khác',
    en: 'This Idempotency-Key was already used for a different request',
  }),
  internal: defineError('INTERNAL_ERROR', 500, { vi: 'Lỗi hệ thống', en: 'Internal server error' }),
  unavailable: defineError('SERVICE_UNAVAILABLE', 503, { vi: 'Dịch vụ tạm thời không sẵn sàng', en: 'Service temporarily unavailable' }),
};
