import { checkRateWindow, hitRateWindow, type RateLimit, type RateWindow } from '../../identity/rules.ts';

/**
 * A fixed-window limit per key (usually the client IP) for public endpoints where guessing must stay slow or
 * anonymous input must stay bounded. Per process, like the login IP limit.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, RateWindow>();
  constructor(private readonly limit: RateLimit) {}

  hit(key: string, nowMs: number): { allowed: boolean; retryAfterSeconds: number } {
    const pre = checkRateWindow(this.windows.get(key), nowMs, this.limit);
    if (!pre.allowed) return pre;
    // Bounded memory under a flood of distinct keys: forgetting windows only ever lets a request through early.
    if (this.windows.size > 50_000) this.windows.clear();
    const r = hitRateWindow(this.windows.get(key), nowMs, this.limit);
    this.windows.set(key, r.window);
    return { allowed: true, retryAfterSeconds: 0 };
  }
}
