import type { AppContext } from '../../platform/context.ts';
import { createCheckpoint, type CheckpointRecord, type CheckpointSigner } from './checkpoint.ts';

export interface AuditCheckpointer {
  /** Takes a checkpoint now (skipped when nothing was appended since the last one). */
  runNow(): Promise<CheckpointRecord | null>;
  /** Stops the timer and waits for a checkpoint in progress. */
  stop(): Promise<void>;
}

/**
 * Signs a checkpoint of the audit chain every `intervalMs` in the server process. Runs never overlap (the next
 * one is scheduled when the previous one ends), a failure is logged and retried at the next tick, and the timer
 * does not keep the process alive. Several server processes may each run one: `createCheckpoint` serialises them
 * and skips when the head has not moved.
 */
export function startAuditCheckpointer(ctx: AppContext, intervalMs: number, signer: CheckpointSigner): AuditCheckpointer {
  if (!Number.isFinite(intervalMs) || intervalMs < 1000) throw new Error(`audit checkpoint interval must be at least 1000 ms, got ${intervalMs}`);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<CheckpointRecord | null> | null = null;
  let stopped = false;

  const run = (): Promise<CheckpointRecord | null> => {
    if (running) return running;
    running = (async () => {
      try {
        const { created, checkpoint } = await createCheckpoint(ctx.db, signer, ctx.now());
        if (created && checkpoint) {
          ctx.log.info({ checkpoint: checkpoint.id, eventCount: checkpoint.eventCount, timestamped: Boolean(checkpoint.timestampToken) }, 'audit checkpoint signed');
        }
        return created ? checkpoint : null;
      } catch (err) {
        ctx.log.error({ err }, 'audit checkpoint failed; retrying at the next interval');
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void run().finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runNow: run,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}
