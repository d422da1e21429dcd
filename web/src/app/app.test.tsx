// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRouter, type RouteObject } from 'react-router';
import { createI18n, LANGUAGE_STORAGE_KEY } from '../i18n/index.ts';
import { setLanguageSource } from '../lib/api.ts';
import { App } from './App.tsx';
import { routesFromModule } from './extensions.ts';
import { HOME_CARDS } from './homes.ts';
import { PATHS, safeNextPath } from './paths.ts';
import { buildRoutes } from './routes.tsx';
import { ROLES, type Role, type SessionState, type SessionUser } from './session.tsx';

const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  citizen: { vi: 'Công dân', en: 'Citizen' },
  business: { vi: 'Đại diện doanh nghiệp', en: 'Business representative' },
  agent: { vi: 'Đại lý dịch vụ công', en: 'Public-service agent' },
  counter_officer: { vi: 'Cán bộ một cửa', en: 'Counter officer' },
  specialist: { vi: 'Chuyên viên', en: 'Specialist' },
  leader: { vi: 'Lãnh đạo', en: 'Leader' },
  supervisor: { vi: 'Giám sát (TTPVHCC)', en: 'Supervisor' },
  inspector: { vi: 'Hậu kiểm', en: 'Inspector' },
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
};

function user(role: Role): SessionUser {
  return { username: `demo.${role}`, displayName: `Người dùng ${role}`, role, roleLabel: ROLE_LABELS[role], agencyCode: role === 'citizen' ? null : '000.00.01.H26' };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers } });
}

function renderApp(options: { path?: string; session?: SessionState; extensions?: RouteObject[]; lang?: 'vi' | 'en' } = {}) {
  const i18n = createI18n(options.lang ?? 'vi');
  setLanguageSource(() => (i18n.language === 'en' ? 'en' : 'vi'));
  const routes = buildRoutes(options.extensions ?? []);
  const router = createMemoryRouter(routes, { initialEntries: [options.path ?? '/'] });
  render(<App i18n={i18n} router={router} routes={routes} session={options.session} />);
  return { i18n, router };
}

beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('shell layout', () => {
  it('has a skip link, one main landmark, navigation and a footer, in Vietnamese by default', () => {
    renderApp({ session: { status: 'anonymous', user: null } });
    expect(screen.getByRole('link', { name: 'Bỏ qua, đến nội dung chính' }).getAttribute('href')).toBe('#main');
    expect(screen.getAllByRole('main')).toHaveLength(1);
    expect(screen.getByRole('navigation', { name: 'Điều hướng chính' })).toBeTruthy();
    expect(screen.getByRole('contentinfo')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Dịch vụ công trực tuyến' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('vi');
  });

  it('switches to English and back, remembering the choice', () => {
    renderApp({ session: { status: 'anonymous', user: null } });
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Online public services' })).toBeTruthy();
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    fireEvent.click(screen.getByRole('button', { name: 'Tiếng Việt' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Dịch vụ công trực tuyến' })).toBeTruthy();
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('vi');
  });

  it('shows the not-found page for unknown addresses', () => {
    renderApp({ path: '/khong-co', session: { status: 'anonymous', user: null } });
    expect(screen.getByTestId('not-found')).toBeTruthy();
  });
});

describe('public home', () => {
  it('does not link to a catalog that is not registered', () => {
    renderApp({ session: { status: 'anonymous', user: null } });
    const home = screen.getByTestId('home-public');
    expect(within(home).queryByRole('link', { name: 'Xem danh mục thủ tục' })).toBeNull();
    expect(within(home).getByText('Chưa có trong phiên bản này')).toBeTruthy();
    expect(within(home).getByRole('link', { name: 'Đến trang đăng nhập' }).getAttribute('href')).toBe('/dang-nhap');
  });

  it('links to the catalog and shows it in the navigation once its routes are registered', () => {
    const extensions = routesFromModule({ default: [{ path: 'thu-tuc', element: <p>Danh mục</p> }] });
    renderApp({ session: { status: 'anonymous', user: null }, extensions });
    expect(screen.getByRole('link', { name: 'Xem danh mục thủ tục' }).getAttribute('href')).toBe('/thu-tuc');
    expect(within(screen.getByRole('navigation')).getByRole('link', { name: 'Thủ tục hành chính' })).toBeTruthy();
  });
});

describe('role homes', () => {
  it.each(ROLES)('%s sees its own home, with no link to unbuilt pages', (role) => {
    renderApp({ session: { status: 'authenticated', user: user(role) } });
    const home = screen.getByTestId(`home-${role}`);
    expect(within(home).getByRole('heading', { level: 1 }).textContent).toBe(`Xin chào, Người dùng ${role}`);
    expect(within(home).getByText(`Vai trò: ${ROLE_LABELS[role].vi}`)).toBeTruthy();
    expect(within(home).getAllByRole('heading', { level: 2 })).toHaveLength(HOME_CARDS[role].length);
    expect(within(home).queryAllByRole('link')).toHaveLength(0);
  });

  it('gives applicants the five services the directive names', () => {
    renderApp({ session: { status: 'authenticated', user: user('citizen') } });
    for (const name of ['Nộp hồ sơ trực tuyến', 'Hồ sơ của tôi', 'Kho dữ liệu điện tử', 'Tra cứu hồ sơ', 'Xác thực văn bản']) {
      expect(screen.getByRole('heading', { level: 2, name })).toBeTruthy();
    }
  });

  it('links a card once its page exists', () => {
    const extensions = [{ path: PATHS.myDossiers.slice(1), element: <p>Hồ sơ</p> }];
    renderApp({ session: { status: 'authenticated', user: user('citizen') }, extensions });
    expect(screen.getByRole('link', { name: 'Hồ sơ của tôi' }).getAttribute('href')).toBe('/ho-so-cua-toi');
  });

  it('shows the role label in English after the switch', () => {
    renderApp({ session: { status: 'authenticated', user: user('leader') } });
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByText('Role: Leader')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Awaiting approval' })).toBeTruthy();
  });
});

describe('login', () => {
  it('validates empty fields without calling the server', () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    renderApp({ path: '/dang-nhap', session: { status: 'anonymous', user: null } });
    fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect(screen.getByText('Vui lòng nhập tên đăng nhập.')).toBeTruthy();
    expect(screen.getByLabelText(/Tên đăng nhập/).getAttribute('aria-invalid')).toBe('true');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('shows the server error in the current language and follows the switch', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(401, { code: 'INVALID_CREDENTIALS', status: 401, title: 'Tên đăng nhập hoặc mật khẩu không đúng', titles: { vi: 'Tên đăng nhập hoặc mật khẩu không đúng', en: 'Wrong username or password' } })),
    );
    renderApp({ path: '/dang-nhap', session: { status: 'anonymous', user: null } });
    fireEvent.change(screen.getByLabelText(/Tên đăng nhập/), { target: { value: 'demo.citizen' } });
    fireEvent.change(screen.getByLabelText(/Mật khẩu/), { target: { value: 'sai' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect((await screen.findByTestId('login-error')).textContent).toBe('Tên đăng nhập hoặc mật khẩu không đúng');
    expect(screen.getByRole('alert')).toBeTruthy();
    expect((screen.getByLabelText(/Mật khẩu/) as HTMLInputElement).value).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByTestId('login-error').textContent).toBe('Wrong username or password');
  });

  it('explains a lockout with the waiting time', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(429, { code: 'LOGIN_RATE_LIMITED', status: 429, titles: { vi: 'Đăng nhập sai quá nhiều lần, vui lòng thử lại sau', en: 'Too many sign-in attempts, try again later' } }, { 'retry-after': '900' })),
    );
    renderApp({ path: '/dang-nhap', session: { status: 'anonymous', user: null } });
    fireEvent.change(screen.getByLabelText(/Tên đăng nhập/), { target: { value: 'demo.citizen' } });
    fireEvent.change(screen.getByLabelText(/Mật khẩu/), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect(await screen.findByText(/thử lại sau 15 phút/)).toBeTruthy();
  });

  it('signs in, sends NFC text, and lands on the role home', async () => {
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => json(200, { user: user('specialist'), csrfToken: 'csrf-1' }));
    vi.stubGlobal('fetch', fetchMock);
    const { router } = renderApp({ path: '/dang-nhap', session: { status: 'anonymous', user: null } });
    fireEvent.change(screen.getByLabelText(/Tên đăng nhập/), { target: { value: ' demo.specialist ' } });
    fireEvent.change(screen.getByLabelText(/Mật khẩu/), { target: { value: 'Mật-khẩu'.normalize('NFD') } });
    fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    await screen.findByTestId('home-specialist');
    expect(router.state.location.pathname).toBe('/');
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/auth/login');
    expect(JSON.parse(String(init?.body))).toEqual({ username: 'demo.specialist', password: 'Mật-khẩu' });
  });

  it('signs out with the CSRF token and returns to the public home', async () => {
    const fetchMock = vi.fn(async (url: string, _init?: RequestInit) =>
      url === '/api/auth/login' ? json(200, { user: user('admin'), csrfToken: 'csrf-xyz' }) : new Response(null, { status: 204 }),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderApp({ path: '/dang-nhap', session: { status: 'anonymous', user: null } });
    fireEvent.change(screen.getByLabelText(/Tên đăng nhập/), { target: { value: 'demo.admin' } });
    fireEvent.change(screen.getByLabelText(/Mật khẩu/), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    await screen.findByTestId('home-admin');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Đăng xuất' }));
    });
    await screen.findByTestId('home-public');
    const logout = fetchMock.mock.calls.find(([u]) => u === '/api/auth/logout')!;
    expect((logout[1]?.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-xyz');
    await waitFor(() => expect(screen.getByText('Bạn đã đăng xuất.')).toBeTruthy());
  });
});

describe('safeNextPath', () => {
  it('refuses other hosts and the login page itself', () => {
    expect(safeNextPath('/ho-so-cua-toi?x=1')).toBe('/ho-so-cua-toi?x=1');
    expect(safeNextPath('//evil.example/')).toBe('/');
    expect(safeNextPath('https://evil.example/')).toBe('/');
    expect(safeNextPath('/\\evil.example')).toBe('/');
    expect(safeNextPath('/dang-nhap?next=/')).toBe('/');
    expect(safeNextPath(null)).toBe('/');
  });
});

describe('card order', () => {
  it('puts pages that exist before the ones not built yet', () => {
    const extensions = [{ path: PATHS.eStore.slice(1), element: <p>Kho</p> }];
    renderApp({ session: { status: 'authenticated', user: user('citizen') }, extensions });
    const titles = within(screen.getByTestId('home-citizen')).getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(titles[0]).toBe('Kho dữ liệu điện tử');
    expect(titles.slice(1)).toEqual(['Nộp hồ sơ trực tuyến', 'Hồ sơ của tôi', 'Tra cứu hồ sơ', 'Xác thực văn bản', 'Phản ánh bị yêu cầu giấy tờ', 'Thủ tục hành chính']);
  });
});

describe('extension routes', () => {
  it('collects every route array a module exports, once, and ignores other exports', async () => {
    const shared = [{ path: 'a', element: <p /> }];
    const { loadExtensionRoutes } = await import('./extensions.ts');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const routes = await loadExtensionRoutes({
      '../x/routes.tsx': async () => ({ default: shared, routes: shared, helper: () => 1, other: [{ path: 'b' }] }),
      '../y/routes.tsx': async () => {
        throw new Error('broken room');
      },
    });
    expect(routes.map((r) => r.path)).toEqual(['a', 'b']);
    expect(errors).toHaveBeenCalledOnce();
    errors.mockRestore();
  });
});
