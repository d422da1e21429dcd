import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { currentLang } from '../i18n/index.ts';
import { ApiError, errorMessage } from '../lib/api.ts';
import { Alert, Button, Form, FormActions, PageHeader, TextField } from '../ui/index.ts';
import { useDocumentTitle } from './document-title.ts';
import { safeNextPath } from './paths.ts';
import { useSession } from './session.tsx';

const LOCKOUT_CODES = new Set(['LOGIN_RATE_LIMITED', 'ACCOUNT_LOCKED', 'RATE_LIMITED']);

export function isLockout(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.status === 429 || LOCKOUT_CODES.has(error.code));
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const lang = currentLang(i18n);
  const { state, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ username?: string; password?: string }>({});
  // The error object, not its text, so switching language re-renders the message in the new language.
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  useDocumentTitle(t('login.title'));

  useEffect(() => {
    if (failure) alertRef.current?.focus();
  }, [failure]);

  if (state.status === 'authenticated' && !busy) return <Navigate to={next} replace />;

  async function submit() {
    const errors = {
      username: username.trim() ? undefined : t('login.usernameRequired'),
      password: password ? undefined : t('login.passwordRequired'),
    };
    setFieldErrors(errors);
    setFailure(null);
    if (errors.username) return usernameRef.current?.focus();
    if (errors.password) return passwordRef.current?.focus();
    setBusy(true);
    try {
      await signIn(username, password);
      navigate(next, { replace: true });
    } catch (error) {
      setPassword('');
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  const minutes = isLockout(failure) && failure.retryAfterSeconds ? Math.ceil(failure.retryAfterSeconds / 60) : null;
  // Messages computed at render time follow the language switch, including the client-side field errors.
  const usernameError = fieldErrors.username ? t('login.usernameRequired') : null;
  const passwordError = fieldErrors.password ? t('login.passwordRequired') : null;

  return (
    <div className="login-panel">
      <PageHeader title={t('login.title')} lead={t('login.intro')} />
      {failure ? (
        <Alert tone="error" title={t('login.failedTitle')} ref={alertRef} tabIndex={-1}>
          <p data-testid="login-error">{errorMessage(failure, lang)}</p>
          {isLockout(failure) ? <p>{minutes ? t('login.lockedHint', { minutes }) : t('login.lockedHintNoTime')}</p> : null}
        </Alert>
      ) : null}
      <Form onSubmit={() => void submit()} aria-label={t('login.title')}>
        <TextField
          ref={usernameRef}
          label={t('login.username')}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          value={username}
          error={usernameError}
          onChange={(e) => setUsername(e.target.value)}
        />
        <TextField
          ref={passwordRef}
          label={t('login.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          error={passwordError}
          onChange={(e) => setPassword(e.target.value)}
        />
        <FormActions>
          <Button type="submit" busy={busy} block>
            {busy ? t('login.submitting') : t('login.submit')}
          </Button>
        </FormActions>
      </Form>
    </div>
  );
}
