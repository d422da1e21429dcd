/**
 * The safety net of result signing (R6): when the approver has signed but the agency's seal could not be added (the
 * seal's HSM, the TSA or a revocation source unavailable), the approver-signed result is kept and the `result.seal`
 * job adds the seal with retries, then issues the result exactly as the approver's action would have. Until then the
 * dossier stays approved, the workspace says the seal is pending with the last error, and a job that gave up shows
 * in the operations view (/van-hanh) for a retry. No result stays silently "pending".
 */
import type { Principal } from '../../identity/access.ts';
import type { Role } from '../../identity/roles.ts';
import { appendAuditEvent } from '../../oversight/audit/store.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/db.ts';
import { enqueueJob, pokeJobs, type JobHandler } from '../../platform/jobs/index.ts';
import { errorText } from '../../platform/jobs/rules.ts';
import { recordBlob } from '../../documents/store.ts';
import { issueResult, sealResult, type ApprovedResult } from './service.ts';

export const RESULT_SEAL_JOB = 'result.seal';
/** Retries with doubling delays from 5 s: about an hour and a half before the job is left to operations. */
export const RESULT_SEAL_MAX_ATTEMPTS = 10;

/** What the workspace shows while the seal is pending. */
export interface SealingState {
  since: string;
  attempts: number;
  lastError: string | null;
  /** True once the job gave up: operations must act (retry from their view). */
  failed: boolean;
}

export async function pendingSeal(q: Queryable, dossierId: string): Promise<SealingState | null> {
  const r = await q.query<{ created_at: Date; attempts: number; last_error: string | null; job_state: string | null }>(
    `SELECT s.created_at, s.attempts, s.last_error,
            (SELECT j.state FROM job j WHERE j.type = $2 AND j.dedupe_key = $3 ORDER BY j.created_at DESC LIMIT 1) AS job_state
       FROM result_sealing s WHERE s.dossier_id = $1`,
    [dossierId, RESULT_SEAL_JOB, dossierId],
  );
  const x = r.rows[0];
  return x ? { since: new Date(x.created_at).toISOString(), attempts: x.attempts, lastError: x.last_error, failed: x.job_state === 'failed' } : null;
}

/** Keeps the approver-signed result and enqueues the seal job (one per dossier). */
export async function queueSeal(ctx: AppContext, principal: Principal, dossierId: string, approved: ApprovedResult, error: unknown): Promise<SealingState> {
  const now = ctx.now();
  const message = errorText(error);
  await ctx.db.tx(async (q) => {
    // The approver-signed bytes are referenced from now on: the orphan sweeper keeps them.
    await recordBlob(q, { sha256: approved.approverSigned, size: approved.approverSignedSize, mediaType: 'application/pdf' });
    await q.query(
      `INSERT INTO result_sealing (dossier_id, approved, approver_id, attempts, last_error, created_at, updated_at)
       VALUES ($1, $2, $3, 1, $4, $5, $5)`,
      [dossierId, JSON.stringify(approved), principal.userId, message, now],
    );
    await enqueueJob(q, { type: RESULT_SEAL_JOB, payload: { dossierId }, maxAttempts: RESULT_SEAL_MAX_ATTEMPTS, dedupeKey: dossierId }, now);
    await appendAuditEvent(q, {
      type: 'document.result_seal_pending',
      at: now,
      actor: { userId: principal.userId, role: principal.role },
      agencyId: principal.agencyId,
      subjectType: 'dossier',
      subjectId: dossierId,
      data: { documentId: approved.id, approverSigned: approved.approverSigned, error: message },
    });
  });
  pokeJobs();
  return { since: now.toISOString(), attempts: 1, lastError: message, failed: false };
}

/** In the result's transaction: the seal is no longer pending. */
export async function clearSeal(q: Queryable, dossierId: string): Promise<void> {
  await q.query('DELETE FROM result_sealing WHERE dossier_id = $1', [dossierId]);
}

/** The approver as the action's actor: the result is issued in their name, as their action would have. */
async function approverPrincipal(q: Queryable, userId: string): Promise<Principal> {
  const r = await q.query<{ id: string; username: string; display_name: string; role: Role; agency_id: string | null; agency_code: string | null; subject_id: string | null }>(
    `SELECT u.id, u.username, u.display_name, u.role, u.agency_id, a.code AS agency_code, u.subject_id
       FROM app_user u LEFT JOIN agency a ON a.id = u.agency_id WHERE u.id = $1`,
    [userId],
  );
  const u = r.rows[0];
  if (!u) throw new Error(`approver ${userId} no longer exists`);
  return { userId: u.id, username: u.username, displayName: u.display_name, role: u.role, agencyId: u.agency_id, agencyCode: u.agency_code, subjectId: u.subject_id, sessionId: `job:${RESULT_SEAL_JOB}` };
}

export const jobHandlers: Record<string, JobHandler> = {
  [RESULT_SEAL_JOB]: async (ctx, job) => {
    const dossierId = String(job.payload.dossierId);
    const r = await ctx.db.query<{ approved: ApprovedResult; approver_id: string }>('SELECT approved, approver_id FROM result_sealing WHERE dossier_id = $1', [dossierId]);
    const pending = r.rows[0];
    if (!pending) return; // issued meanwhile (an earlier attempt finished after its lease)
    try {
      const sealed = await sealResult(ctx, pending.approved, await ctx.blobs.get(pending.approved.approverSigned), true);
      await issueResult(ctx, await approverPrincipal(ctx.db, pending.approver_id), dossierId, sealed);
    } catch (err) {
      await ctx.db.query('UPDATE result_sealing SET attempts = $2, last_error = $3, updated_at = $4 WHERE dossier_id = $1', [dossierId, job.attempt + 1, errorText(err), ctx.now()]);
      throw err;
    }
  },
};
