import type { AppContext } from '../../platform/context.ts';
import { startPeriodic, type Periodic } from '../../platform/periodic.ts';
import { createCheckpoint, type CheckpointRecord, type CheckpointSigner } from './checkpoint.ts';

/** `runNow` takes a checkpoint now (null when nothing was appended since the last one); `stop` ends the timer. */
export type AuditCheckpointer = Periodic<CheckpointRecord | null>;

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
