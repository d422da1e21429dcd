import type { RouteObject } from 'react-router';

type RouteModule = Record<string, unknown>;

/**
 * Pages other rooms contribute (the public procedure catalog, administration, …): every `web/src/<room>/routes.tsx`.
 * A glob, not a static import, so the shell builds and runs whether or not a room has shipped its routes yet; each
 * module exports an array of react-router route objects (as `default`, `routes` or any named export).
 */
const modules = import.meta.glob<RouteModule>(['../*/routes.tsx', '!../app/routes.tsx']);

function isRouteArray(value: unknown): value is RouteObject[] {
  return Array.isArray(value) && value.length > 0 && value.every((r) => r !== null && typeof r === 'object' && ('path' in r || 'index' in r || 'children' in r));
}

export function routesFromModule(mod: RouteModule): RouteObject[] {
  const seen = new Set<unknown>();
  const out: RouteObject[] = [];
  for (const value of Object.values(mod)) {
    if (seen.has(value) || !isRouteArray(value)) continue;
    seen.add(value);
    out.push(...value);
  }
  return out;
}

export async function loadExtensionRoutes(loaders: Record<string, () => Promise<RouteModule>> = modules): Promise<RouteObject[]> {
  const out: RouteObject[] = [];
  for (const [file, load] of Object.entries(loaders).sort(([a], [b]) => a.localeCompare(b))) {
    try {
      out.push(...routesFromModule(await load()));
    } catch (error) {
      // One room's broken module must not take down sign-in and every other page.
      console.error(`hoso: could not load routes from ${file}`, error);
    }
  }
  return out;
}
