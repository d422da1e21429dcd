import type { FastifyPluginAsync } from 'fastify';
import type { RoomPlugin } from './http/app.ts';
import type { AppContext } from './context.ts';
import { identityRoutes } from '../identity/routes.ts';
import { catalogRoutes } from '../catalog/routes.ts';
import { calendarRoutes } from '../calendar/routes.ts';
import { DEMO_AGENCY_CODES } from '../catalog/demo-codes.ts';
import { dossierRoutes } from '../dossiers/routes.ts';
import { ocrRoutes } from '../dossiers/ocr-routes.ts';
import { processingRoutes } from '../dossiers/processing/routes.ts';
import { resultRoutes } from '../results/routes.ts';
import { ocrJobHandlers } from '../documents/ocr/service.ts';
import { auditRoutes } from '../oversight/audit/routes.ts';
import { systemSeal } from '../oversight/audit/seal.ts';
import { jobRoutes } from './jobs/routes.ts';
import { indicatorRoutes } from '../oversight/indicators/routes.ts';
import { violationRoutes } from '../oversight/violations/routes.ts';
import { postAuditRoutes } from '../oversight/post-audit/routes.ts';
import { reportRoutes } from '../oversight/reports/routes.ts';
import { ratingRoutes } from '../oversight/ratings/routes.ts';
import { SCHEDULED_REPORT_JOB, scheduledReportHandler } from '../oversight/reports/service.ts';
import type { JobHandler } from './jobs/index.ts';
import { jobHandlers as intakeJobHandlers } from '../dossiers/jobs.ts';

/** The system seal is the Public Administrative Service Center's (demo) or the operator's configured one. */
export const SYSTEM_SEAL_AGENCY_CODE = DEMO_AGENCY_CODES.serviceCenter;

const auditRoom: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { signer, trust } = await systemSeal(ctx, SYSTEM_SEAL_AGENCY_CODE);
  await auditRoutes(app, { ctx, signer, trust });
};

/** Reports are the Center's: signed with the same seal as the audit checkpoints. */
const reportRoom: FastifyPluginAsync<{ ctx: AppContext }> = (app, { ctx }) => reportRoutes(app, { ctx, sealAgencyCode: SYSTEM_SEAL_AGENCY_CODE });

/**
 * The wiring: every room's HTTP plugin, in registration order. The identity room comes first because it sets
 * `request.principal` and enforces every route's declared access.
 */
export const roomPlugins: RoomPlugin[] = [identityRoutes, catalogRoutes, calendarRoutes, dossierRoutes, ocrRoutes, processingRoutes, resultRoutes, auditRoom, jobRoutes, indicatorRoutes, violationRoutes, postAuditRoutes, ratingRoutes, reportRoom];

/**
 * Background job handlers of every room, by job type (`src/platform/jobs`). Each room exports its own
 * `jobHandlers`; list them here. A type belongs to exactly one room.
 */
export function roomJobHandlers(): Record<string, JobHandler> {
  const rooms: Record<string, JobHandler>[] = [intakeJobHandlers, ocrJobHandlers, { [SCHEDULED_REPORT_JOB]: scheduledReportHandler({ agencyCode: SYSTEM_SEAL_AGENCY_CODE }) }];
  const all: Record<string, JobHandler> = {};
  for (const handlers of rooms) {
    for (const [type, handler] of Object.entries(handlers)) {
      if (all[type]) throw new Error(`job type ${type} has two handlers`);
      all[type] = handler;
    }
  }
  return all;
}

/** A room's contribution to the first-start demo data. Runs in order; each returns lines to print. */
export interface DemoSeeder {
  name: string;
  seed(ctx: AppContext): Promise<string[]>;
}

export async function demoSeeders(): Promise<DemoSeeder[]> {
  // The catalog seeder comes first: later seeders bind demo officers to its agencies, and the signing credentials
  // to the demo officers.
  const { catalogSeeder } = await import('../catalog/seed.ts');
  const { identityDemoSeeder } = await import('../identity/seed.ts');
  const { signingCredentialsDemoSeeder } = await import('../identity/credentials/seed.ts');
  return [catalogSeeder, identityDemoSeeder, signingCredentialsDemoSeeder];
}
