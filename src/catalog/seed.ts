/**
 * Demo seeder of the catalog room: the Hà Nội organisation (city, departments, service center and branches, the
 * 126 communes/wards) and the seed procedures. It runs first among the demo seeders because the identity seeder
 * binds demo officers to these agencies. Idempotent: it adds only the agencies and procedures that are missing,
 * so an administrator's later edits survive restarts.
 */
import type { AppContext } from '../platform/context.ts';
import type { DemoSeeder } from '../platform/rooms.ts';
import { importCatalog } from './service.ts';
import { seedCatalogFile } from './seed-data.ts';

export async function seedCatalog(ctx: AppContext): Promise<string[]> {
  const file = seedCatalogFile();
  const haveAgencies = new Set((await ctx.db.query<{ code: string }>('SELECT code FROM agency')).rows.map((r) => r.code));
  const haveProcedures = new Set((await ctx.db.query<{ key: string }>('SELECT key FROM procedure')).rows.map((r) => r.key));
  const agencies = file.agencies.filter((a) => !haveAgencies.has(a.code));
  const procedures = file.procedures.filter((p) => !haveProcedures.has(p.key));
  if (!agencies.length && !procedures.length) return ['catalog: demo agencies and procedures already present'];
  const report = await importCatalog(ctx, null, { ...file, agencies, procedures });
  return [
    `catalog: ${report.agencies.created} agencies, ${report.procedures.created} procedures, ${report.processVersions.created} internal processes seeded`,
  ];
}

export const catalogSeeder: DemoSeeder = { name: 'catalog', seed: seedCatalog };
