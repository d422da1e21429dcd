import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { currentLang } from '../i18n/index.ts';
import { errorMessage } from '../lib/api.ts';
import { Spinner, useToast } from '../ui/index.ts';
import { PATHS } from './paths.ts';
import { useRouteExists } from './route-registry.tsx';
import { useSession } from './session.tsx';

function BrandMark() {
  return (
    <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="6" fill="#fff" />
      <path d="M9 7h10l5 5v13H9z" fill="#9b1419" />
      <path d="M19 7v5h5" fill="#f6d27a" />
      <path d="M12 17h9M12 21h9" stroke="#fff" strokeWidth="2" />
    </svg>
  );
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const lang = currentLang(i18n);
  const next = lang === 'vi' ? 'en' : 'vi';
  return (
    <button type="button" className="header-button" lang={next} onClick={() => void i18n.changeLanguage(next)} data-testid="language-switch">
      {t('nav.switchLanguage')}
    </button>
  );
}

/** The shell around every page: skip link, header, navigation, the one main landmark, footer. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const lang = currentLang(i18n);
  const { state, signOut } = useSession();
  const routeExists = useRouteExists();
  const toast = useToast();
  const navigate = useNavigate();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const [signingOut, setSigningOut] = useState(false);

  // After a client-side navigation, move focus to the new page like a full page load would, so screen readers
  // and keyboard users start at the content rather than at the link they left. Not on the first load.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [location.pathname]);

  async function onSignOut() {
    setSigningOut(true);
    try {
      await signOut();
      toast.show(t('login.signedOut'), 'success');
    } catch (error) {
      toast.show(errorMessage(error, lang), 'error');
    } finally {
      setSigningOut(false);
      navigate(PATHS.home);
    }
  }

  const user = state.user;
  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        {t('nav.skipToContent')}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to={PATHS.home} className="brand">
            <BrandMark />
            <span className="brand__name">
              {t('app.name')}
              <span className="brand__tagline">{t('app.tagline')}</span>
            </span>
          </Link>
          <div className="header-tools">
            {user ? (
              <span className="header-user" data-testid="signed-in-user">
                {t('nav.signedInAs', { name: user.displayName, role: user.roleLabel[lang] })}
                {user.agencyCode ? ` · ${t('nav.agency', { code: user.agencyCode })}` : null}
              </span>
            ) : null}
            <LanguageSwitch />
            {state.status === 'authenticated' ? (
              <button type="button" className="header-button" onClick={() => void onSignOut()} aria-busy={signingOut || undefined} disabled={signingOut}>
                {signingOut ? t('nav.signingOut') : t('nav.signOut')}
              </button>
            ) : state.status === 'anonymous' && location.pathname !== PATHS.login ? (
              <Link className="header-button" to={PATHS.login}>
                {t('nav.signIn')}
              </Link>
            ) : null}
          </div>
        </div>
        <nav className="site-nav" aria-label={t('nav.main')}>
          <ul>
            <li>
              <NavLink to={PATHS.home} end>
                {t('nav.home')}
              </NavLink>
            </li>
            {routeExists(PATHS.procedures) ? (
              <li>
                <NavLink to={PATHS.procedures}>{t('nav.procedures')}</NavLink>
              </li>
            ) : null}
          </ul>
        </nav>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {state.status === 'loading' ? <Spinner label={t('common.loading')} /> : <Outlet />}
      </main>
      <footer className="site-footer">
        <div className="site-footer__inner">
          <p>{t('app.footer')}</p>
          <p>
            <a href="/docs">{t('app.apiDocs')}</a>
          </p>
        </div>
      </footer>
    </>
  );
}
