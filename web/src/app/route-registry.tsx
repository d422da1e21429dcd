import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { matchRoutes, type RouteObject } from 'react-router';

export const NOT_FOUND_ROUTE_ID = 'not-found';

type RouteExists = (path: string) => boolean;

const RegistryContext = createContext<RouteExists>(() => false);

/** True when a real page (not the catch-all "not found") answers this path. */
export function makeRouteExists(routes: RouteObject[]): RouteExists {
  return (path) => {
    const matches = matchRoutes(routes, path);
    if (!matches?.length) return false;
    const leaf = matches[matches.length - 1]!.route;
    return leaf.id !== NOT_FOUND_ROUTE_ID && leaf.path !== '*';
  };
}

export function RouteRegistryProvider({ routes, children }: { routes: RouteObject[]; children: ReactNode }) {
  const exists = useMemo(() => makeRouteExists(routes), [routes]);
  return <RegistryContext.Provider value={exists}>{children}</RegistryContext.Provider>;
}

/** Lets pages link only to what exists: a link to an unbuilt page would pretend. */
export function useRouteExists(): RouteExists {
  return useContext(RegistryContext);
}
