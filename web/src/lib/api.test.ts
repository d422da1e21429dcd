import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiRequest, errorMessage, setCsrfToken, setLanguageSource } from './api.ts';

function respond(status: number, body: unknown, type = 'application/json') {
  return vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': type } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  setLanguageSource(() => 'vi');
});

describe('apiRequest', () => {
  it('sends the CSRF token and the UI language on unsafe requests only', async () => {
    const fetchMock = respond(200, { ok: true });
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('tok-1');
    setLanguageSource(() => 'en');

    await apiRequest('/api/x', { method: 'POST', body: { a: 1 } });
    await apiRequest('/api/x');

    const [, post] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    const [, get] = fetchMock.mock.calls[1] as unknown as [string, RequestInit];
    expect((post.headers as Record<string, string>)['x-csrf-token']).toBe('tok-1');
    expect((post.headers as Record<string, string>)['accept-language']).toBe('en');
    expect(post.body).toBe('{"a":1}');
    expect((get.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });

  it('turns problem+json into an ApiError readable in both languages', async () => {
    vi.stubGlobal(
      'fetch',
      respond(401, { code: 'LOGIN_FAILED', status: 401, title: 'Sai tên đăng nhập hoặc mật khẩu', titles: { vi: 'Sai tên đăng nhập hoặc mật khẩu', en: 'Wrong username or password' } }, 'application/problem+json'),
    );
    const error = await apiRequest('/api/auth/login', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(401);
    expect(apiError.code).toBe('LOGIN_FAILED');
    expect(apiError.title('vi')).toBe('Sai tên đăng nhập hoặc mật khẩu');
    expect(apiError.title('en')).toBe('Wrong username or password');
  });

  it('reports an unreachable server as a network problem, in the asked language', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('fetch failed'); }));
    const error = await apiRequest('/api/x').catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('NETWORK_ERROR');
    expect(errorMessage(error, 'en')).toMatch(/Cannot reach the server/);
    expect(errorMessage(error, 'vi')).toMatch(/Không kết nối được/);
  });

  it('does not trust a non-JSON error page', async () => {
    vi.stubGlobal('fetch', respond(502, undefined, 'text/html'));
    const error = (await apiRequest('/api/x').catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('HTTP_ERROR');
    expect(error.status).toBe(502);
  });

  it('returns undefined for 204 No Content', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    await expect(apiRequest('/api/auth/logout', { method: 'POST', body: {} })).resolves.toBeUndefined();
  });
});

describe('ApiError.retryAfterSeconds', () => {
  it('reads the Retry-After header of a lockout', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ code: 'LOGIN_RATE_LIMITED', status: 429 }), { status: 429, headers: { 'content-type': 'application/problem+json', 'retry-after': '900' } })),
    );
    const error = (await apiRequest('/api/auth/login', { body: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error.retryAfterSeconds).toBe(900);
  });

  it('is null when the server does not say', () => {
    expect(new ApiError(429, { code: 'X' }).retryAfterSeconds).toBeNull();
    expect(new ApiError(429, { code: 'X', retryAfter: 60 }).retryAfterSeconds).toBe(60);
  });
});
