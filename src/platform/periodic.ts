/**
 * A task run in the server process every `intervalMs`: runs never overlap (the next one is scheduled when the
 * previous one ends), a failure goes to `onError` and is retried at the next tick, and the timer does not keep the
 * process alive. Several processes may each run one; the task itself must be safe to run concurrently.
 */
export interface Periodic<T> {
  /** Runs the task now (or joins the run in progress). */
  runNow(): Promise<T | null>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startPeriodic<T>(name: string, intervalMs: number, task: () => Promise<T>, onError: (err: unknown) => void): Periodic<T> {
  if (!Number.isFinite(intervalMs) || intervalMs < 1000) throw new Error(`${name} interval must be at least 1000 ms, got ${intervalMs}`);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<T | null> | null = null;
  let stopped = false;

  const run = (): Promise<T | null> => {
    if (running) return running;
    running = (async () => {
      try {
        return await task();
      } catch (err) {
        onError(err);
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
