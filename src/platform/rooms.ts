import type { RoomPlugin } from './http/app.ts';
import type { AppContext } from './context.ts';
import { identityRoutes } from '../identity/routes.ts';
import { catalogRoutes } from '../catalog/routes.ts';

/**
 * The wiring: every room's HTTP plugin, in registration order. The identity room comes first because it sets
 * `request.principal` and enforces every route's declared access.
 */
export const roomPlugins: RoomPlugin[] = [identityRoutes, catalogRoutes];

/** A room's contribution to the first-start demo data. Runs in order; each returns lines to print. */
export interface DemoSeeder {
  name: string;
  seed(ctx: AppContext): Promise<string[]>;
}

export async function demoSeeders(): Promise<DemoSeeder[]> {
  // The catalog seeder comes first: later seeders bind demo officers to its agencies.
  const { catalogSeeder } = await import('../catalog/seed.ts');
  const { identityDemoSeeder } = await import('../identity/seed.ts');
  return [catalogSeeder, identityDemoSeeder];
}
