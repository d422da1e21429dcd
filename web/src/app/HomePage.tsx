import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { currentLang } from '../i18n/index.ts';
import { Badge, Card, PageHeader } from '../ui/index.ts';
import { useDocumentTitle } from './document-title.ts';
import { HOME_CARDS, type HomeCard } from './homes.ts';
import { PATHS } from './paths.ts';
import { useRouteExists } from './route-registry.tsx';
import { useSession, type SessionUser } from './session.tsx';

export function HomePage() {
  const { state } = useSession();
  return state.status === 'authenticated' ? <RoleHome user={state.user} /> : <PublicHome />;
}

/** For visitors: the procedure catalog and sign-in. Nothing here needs an account. */
export function PublicHome() {
  const { t } = useTranslation();
  const routeExists = useRouteExists();
  useDocumentTitle(null);
  return (
    <div data-testid="home-public">
      <PageHeader title={t('home.publicTitle')} lead={t('home.publicLead')} />
      <ul className="card-grid">
        <li>
          {routeExists(PATHS.procedures) ? (
            <Card title={t('home.publicProceduresTitle')} link={<Link to={PATHS.procedures}>{t('home.publicProceduresLink')}</Link>}>
              <p>{t('home.publicProceduresBody')}</p>
            </Card>
          ) : (
            <Card title={t('home.publicProceduresTitle')} footer={<Badge>{t('common.notYetAvailable')}</Badge>}>
              <p>{t('home.publicProceduresBody')}</p>
            </Card>
          )}
        </li>
        <li>
          <Card title={t('home.publicSignInTitle')} link={<Link to={PATHS.login}>{t('home.publicSignInLink')}</Link>}>
            <p>{t('home.publicSignInBody')}</p>
          </Card>
        </li>
        {(['lookup', 'verify'] as const).map((key) =>
          routeExists(PATHS[key]) ? (
            <li key={key}>
              <Card title={t(`home.cards.${key}.title`)} link={<Link to={PATHS[key]}>{t(`home.cards.${key}.title`)}</Link>}>
                <p>{t(`home.cards.${key}.body`)}</p>
              </Card>
            </li>
          ) : null,
        )}
      </ul>
    </div>
  );
}

function HomeCardView({ card }: { card: HomeCard }) {
  const { t } = useTranslation();
  const routeExists = useRouteExists();
  const path = PATHS[card.path];
  const title = t(`home.cards.${card.key}.title`);
  const body = <p>{t(`home.cards.${card.key}.body`)}</p>;
  // A card for a page that is not built yet says what the role will do there and that it is not available:
  // no link, no sample numbers.
  return routeExists(path) ? (
    <Card title={title} link={<Link to={path}>{title}</Link>}>
      {body}
    </Card>
  ) : (
    <Card title={title} footer={<Badge>{t('common.notYetAvailable')}</Badge>}>
      {body}
    </Card>
  );
}

/** The signed-in home: what this role does, as cards. */
export function RoleHome({ user }: { user: SessionUser }) {
  const { t, i18n } = useTranslation();
  const lang = currentLang(i18n);
  const routeExists = useRouteExists();
  // Pages that exist come first, so the first thing on a phone screen is something the user can open.
  const all = HOME_CARDS[user.role] ?? [];
  const cards = [...all.filter((c) => routeExists(PATHS[c.path])), ...all.filter((c) => !routeExists(PATHS[c.path]))];
  useDocumentTitle(user.roleLabel[lang]);
  return (
    <div data-testid={`home-${user.role}`} className={`home home--${user.role}`}>
      <PageHeader
        title={t('home.greeting', { name: user.displayName })}
        meta={t('home.roleLine', { role: user.roleLabel[lang] })}
        lead={t(`home.roleIntro.${user.role}`)}
      />
      <ul className="card-grid">
        {cards.map((card) => (
          <li key={card.key}>
            <HomeCardView card={card} />
          </li>
        ))}
      </ul>
    </div>
  );
}
