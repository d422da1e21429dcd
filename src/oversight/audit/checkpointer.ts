import type { AppContext } from '../../platform/context.ts';
import { startPeriodic } from '../../platform/periodic.ts';
import { createCheckpoint, type CheckpointRecord, type CheckpointSigner } from './checkpoint.ts';

export interface AuditCheckpointer {
  /** Takes a checkpoint now (skipped when nothing was appended since the last one). */
  runNow(): Promise<CheckpointRecord | null>;
  /** Stops the timer and waits for a checkpoint in progress. */
  stop(): Promise<void>;
}

/**
 * Signs a checkpoint of the audit chain every `intervalMs` in the server process (`startPeriodic`: never
 * overlapping, failures logged and retried at the next tick). Several server processes may each run one:
 * `createCheckpoint` serialises them and skips when the head has not moved.
 */
export function startAuditCheckpointer(ctx: AppContext, intervalMs: number, signer: CheckpointSigner): AuditCheckpointer {
  return startPeriodic(
    'audit checkpoint',
    intervalMs,
    async () => {
      const { created, checkpoint } = await createCheckpoint(ctx.db, signer, ctx.now());
      if (created && checkpoint) {
        ctx.log.info({ checkpoint: checkpoint.id, eventCount: checkpoint.eventCount, timestamped: Boolean(checkpoint.timestampToken) }, 'audit checkpoint signed');
      }
      return created ? checkpoint : null;
    },
    (err) => ctx.log.error({ err }, 'audit checkpoint failed; retrying at the next interval'),
  );
}
