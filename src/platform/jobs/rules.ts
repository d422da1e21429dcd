/** Pure rules of the job queue: retry backoff and what a failed attempt leads to. */

/** First retry after 5 s, doubling, at most one hour apart. */
export function retryDelayMs(attempt: number, baseMs = 5_000, capMs = 3_600_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export type AfterFailure = { state: 'failed' } | { state: 'pending'; runAt: Date };

/** After attempt `attempt` of `maxAttempts` failed at `now`: retry later, or give up (listed as failed). */
export function afterFailure(attempt: number, maxAttempts: number, now: Date, baseMs?: number): AfterFailure {
  if (attempt >= maxAttempts) return { state: 'failed' };
  return { state: 'pending', runAt: new Date(now.getTime() + retryDelayMs(attempt, baseMs)) };
}

/** Error text kept on the job: the message only (no stack, no payload), bounded. */
export function errorText(error: unknown): string {
  // A problem's extensions name what is wrong (e.g. which variable is unset): operations need them to act.
  const extensions = error instanceof Error && 'extensions' in error ? (error as { extensions: unknown }).extensions : null;
  const extra = extensions && typeof extensions === 'object' && Object.keys(extensions).length ? ` ${JSON.stringify(extensions)}` : '';
  const message = error instanceof Error ? `${error.name}: ${error.message}${extra}` : String(error);
  return message.length > 2000 ? `${message.slice(0, 1997)}...` : message;
}
