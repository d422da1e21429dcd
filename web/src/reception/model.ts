/** Pure helpers of the counter's online reception: queue shapes and urgency of the reception due time. */

export interface QueueItem {
  id: string;
  procedure: string;
  applicantKind: string;
  submittedAt: string | null;
  receptionDue: string | null;
  components: string[];
  completionRequested: boolean;
  version: number;
}

export type Urgency = 'overdue' | 'soon' | 'ok' | 'none';

/** Overdue once the reception due time has passed; "soon" within the last two hours of it. */
export function urgencyOf(receptionDue: string | null, now: Date): Urgency {
  if (!receptionDue) return 'none';
  const left = new Date(receptionDue).getTime() - now.getTime();
  if (left < 0) return 'overdue';
  return left <= 2 * 3600_000 ? 'soon' : 'ok';
}

/** Oldest due first; dossiers without a due time last, then by submission. */
export function sortQueue(items: QueueItem[]): QueueItem[] {
  const key = (i: QueueItem) => (i.receptionDue ? new Date(i.receptionDue).getTime() : Number.MAX_SAFE_INTEGER);
  return [...items].sort((a, b) => key(a) - key(b) || (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''));
}

/** The components the officer may name in a return for completion: not exempt, and not already valid (R3). */
export function returnableComponents<C extends { key: string; assessment: string; exemptReason: string | null }>(components: C[]): C[] {
  return components.filter((c) => !c.exemptReason && c.assessment !== 'exempt' && c.assessment !== 'valid');
}
