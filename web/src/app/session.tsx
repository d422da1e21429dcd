import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, setCsrfToken, type LocalizedText } from '../lib/api.ts';
import { nfc } from '../lib/text.ts';

/** The roles of the product spec §1; mirrors src/identity/roles.ts (the web app does not import server code). */
export const ROLES = ['citizen', 'business', 'agent', 'counter_officer', 'specialist', 'leader', 'supervisor', 'inspector', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const APPLICANT_ROLES: readonly Role[] = ['citizen', 'business', 'agent'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface SessionUser {
  username: string;
  displayName: string;
  role: Role;
  roleLabel: LocalizedText;
  agencyCode: string | null;
}

/** What POST /api/auth/login and GET /api/auth/me answer. */
export interface SessionResponse {
  user: SessionUser;
  csrfToken: string;
}

export type SessionState =
  | { status: 'loading'; user: null }
  | { status: 'anonymous'; user: null }
  | { status: 'authenticated'; user: SessionUser };

export interface SessionApi {
  state: SessionState;
  /** Throws ApiError (wrong password, lockout…) for the login page to show. */
  signIn(username: string, password: string): Promise<SessionUser>;
  signOut(): Promise<void>;
  /** Re-reads the session, e.g. after a 401 from another call. */
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children, initial }: { children: ReactNode; initial?: SessionState }) {
  const [state, setState] = useState<SessionState>(initial ?? { status: 'loading', user: null });

  const accept = useCallback((response: SessionResponse) => {
    setCsrfToken(response.csrfToken ?? null);
    setState({ status: 'authenticated', user: { ...response.user, agencyCode: response.user.agencyCode ?? null } });
    return response.user;
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await api.get<SessionResponse>('/api/auth/me'));
    } catch (error) {
      // 401 is the normal anonymous answer. Anything else (server down) also leaves the visitor anonymous,
      // so public pages still work; signing in will then show the real error.
      if (!(error instanceof ApiError)) throw error;
      setCsrfToken(null);
      setState({ status: 'anonymous', user: null });
    }
  }, [accept]);

  useEffect(() => {
    if (initial) return;
    void refresh();
  }, [initial, refresh]);

  const signIn = useCallback(
    async (username: string, password: string) => accept(await api.post<SessionResponse>('/api/auth/login', { username: nfc(username.trim()), password: nfc(password) })),
    [accept],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } finally {
      // Forget the session locally even if the server could not be reached: the cookie dies with its TTL.
      setCsrfToken(null);
      setState({ status: 'anonymous', user: null });
    }
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, refresh }), [state, signIn, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}
