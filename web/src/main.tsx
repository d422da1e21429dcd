import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { App } from './app/App.tsx';
import { loadExtensionRoutes } from './app/extensions.ts';
import { buildRoutes } from './app/routes.tsx';
import { createI18n, currentLang } from './i18n/index.ts';
import { setLanguageSource } from './lib/api.ts';
import './ui/styles.css';

const i18n = createI18n();
// API errors come back in the UI language (Accept-Language follows the switch).
setLanguageSource(() => currentLang(i18n));

void loadExtensionRoutes().then((extensions) => {
  const routes = buildRoutes(extensions);
  const router = createBrowserRouter(routes);
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root element');
  createRoot(container).render(<App i18n={i18n} router={router} routes={routes} />);
});
