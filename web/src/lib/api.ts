/**
 * The one way the web app talks to the hoso API: JSON in and out, the session cookie sent by the browser,
 * the CSRF token on every unsafe request, the UI language in Accept-Language, and RFC 9457 problem+json
 * errors turned into `ApiError`s that can be shown in either language.
 */
export type Lang = 'vi' | 'en';

export interface LocalizedText {
  vi: string;
  en: string;
}

export interface FieldError {
  path?: string;
  message?: string;
  [key: string]: unknown;
}

export interface Problem {
  type?: string;
  title?: string;
  titles?: Partial<LocalizedText>;
  status?: number;
  code?: string;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Problems the client itself produces (no answer, or an answer that is not problem+json). */
const CLIENT_TITLES = {
  NETWORK_ERROR: { vi: 'Không kết nối được tới máy chủ. Vui lòng kiểm tra mạng và thử lại.', en: 'Cannot reach the server. Check your connection and try again.' },
  HTTP_ERROR: { vi: 'Máy chủ trả lời không như mong đợi', en: 'The server sent an unexpected answer' },
} satisfies Record<string, LocalizedText>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  /** Seconds until a retry may succeed (Retry-After header or a `retryAfter` extension), when the server said. */
  readonly retryAfterSeconds: number | null;

  constructor(status: number, problem: Problem, retryAfterSeconds: number | null = null) {
    super(`${problem.code ?? 'HTTP_ERROR'} (${status}): ${problem.titles?.en ?? problem.title ?? ''}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? 'HTTP_ERROR';
    this.problem = problem;
    const fromBody = Number(problem.retryAfter ?? problem.retryAfterSeconds);
    this.retryAfterSeconds = retryAfterSeconds ?? (Number.isFinite(fromBody) && fromBody > 0 ? fromBody : null);
  }

  /** The title in the requested language, falling back to the other language and then to the code. */
  title(lang: Lang): string {
    const titles = this.problem.titles;
    return titles?.[lang] ?? this.problem.title ?? titles?.[lang === 'vi' ? 'en' : 'vi'] ?? this.code;
  }

  get fieldErrors(): FieldError[] {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

export function clientProblem(code: keyof typeof CLIENT_TITLES, status = 0, extra: Problem = {}): ApiError {
  const titles = CLIENT_TITLES[code];
  return new ApiError(status, { code, status, title: titles.vi, titles, ...extra });
}

/** Any thrown value as a message in the UI language (for Alerts and Toasts). */
export function errorMessage(error: unknown, lang: Lang): string {
  if (error instanceof ApiError) return error.title(lang);
  return clientProblem('HTTP_ERROR').title(lang);
}

let csrfToken: string | null = null;
let currentLang: () => Lang = () => 'vi';

/** The CSRF token comes with the session (login and /api/auth/me); it lives in memory only, never in storage. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setLanguageSource(source: () => Lang): void {
  currentLang = source;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'accept-language': currentLang(), ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (!SAFE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw clientProblem('NETWORK_ERROR');
  }

  const type = response.headers.get('content-type') ?? '';
  const isJson = type.includes('json');
  if (!response.ok) {
    if (isJson) {
      const problem = (await response.json().catch(() => null)) as Problem | null;
      if (problem && typeof problem === 'object') {
        const retryAfter = Number(response.headers.get('retry-after'));
        throw new ApiError(response.status, { status: response.status, ...problem }, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
      }
    }
    throw clientProblem('HTTP_ERROR', response.status);
  }
  if (response.status === 204 || !isJson) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>(path, { method: 'GET', signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body: body ?? {} }),
};
