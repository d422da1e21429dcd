import type { ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/** A short status label. The text carries the meaning; colour only repeats it. `long`: a sentence that may wrap. */
export function Badge({ tone = 'neutral', long = false, children }: { tone?: BadgeTone; long?: boolean; children: ReactNode }) {
  return <span className={`badge badge--${tone}${long ? ' badge--long' : ''}`}>{children}</span>;
}
