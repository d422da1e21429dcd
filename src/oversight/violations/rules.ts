/**
 * The violations register's life cycle as a pure function: open → assigned → investigating → closed with a finding
 * (confirmed or unfounded). Re-assignment is allowed until closed; a closed entry never changes.
 */
import type { LocalizedText } from '../../platform/http/problem.ts';

export const VIOLATION_STATES = ['open', 'assigned', 'investigating', 'closed'] as const;
export type ViolationState = (typeof VIOLATION_STATES)[number];

export const VIOLATION_SOURCES = ['refused_attempt', 'citizen_report', 'late_without_apology', 'extra_supplement'] as const;
export type ViolationSource = (typeof VIOLATION_SOURCES)[number];

export const SOURCE_LABELS: Readonly<Record<ViolationSource, LocalizedText>> = Object.freeze({
  refused_attempt: { vi: 'Yêu cầu giấy tờ đã bị hệ thống từ chối', en: 'Request for paper refused by the system' },
  citizen_report: { vi: 'Người dân phản ánh bị yêu cầu giấy tờ', en: 'Citizen reports being asked for paper' },
  late_without_apology: { vi: 'Trễ hạn không có thư xin lỗi kịp thời', en: 'Late without a timely apology' },
  extra_supplement: { vi: 'Yêu cầu bổ sung quá một lần', en: 'More than one supplement request' },
});

export type ViolationAction =
  | { type: 'assign'; assigneeId: string }
  | { type: 'start_investigation'; by: string }
  | { type: 'close'; by: string; finding: 'confirmed' | 'unfounded'; note: string };

export interface ViolationCase {
  state: ViolationState;
  assigneeId: string | null;
  finding: 'confirmed' | 'unfounded' | null;
  findingNote: string | null;
  closedAt: Date | null;
}

export type ViolationDecision =
  | { ok: true; next: ViolationCase }
  | { ok: false; code: 'VIOLATION_CLOSED' | 'VIOLATION_NOT_ASSIGNED' | 'VIOLATION_NOT_ASSIGNEE' | 'VIOLATION_NOTE_REQUIRED' };

/** What an action does to an entry at `now`; only the assignee investigates and closes. */
export function decideViolation(c: ViolationCase, action: ViolationAction, now: Date): ViolationDecision {
  if (c.state === 'closed') return { ok: false, code: 'VIOLATION_CLOSED' };
  switch (action.type) {
    case 'assign':
      return { ok: true, next: { ...c, state: c.state === 'investigating' ? 'investigating' : 'assigned', assigneeId: action.assigneeId } };
    case 'start_investigation':
      if (c.state === 'open' || !c.assigneeId) return { ok: false, code: 'VIOLATION_NOT_ASSIGNED' };
      if (c.assigneeId !== action.by) return { ok: false, code: 'VIOLATION_NOT_ASSIGNEE' };
      return { ok: true, next: { ...c, state: 'investigating' } };
    case 'close': {
      if (c.state === 'open' || !c.assigneeId) return { ok: false, code: 'VIOLATION_NOT_ASSIGNED' };
      if (c.assigneeId !== action.by) return { ok: false, code: 'VIOLATION_NOT_ASSIGNEE' };
      const note = action.note.normalize('NFC').trim();
      // A finding without its reasons cannot be checked later.
      if (!note) return { ok: false, code: 'VIOLATION_NOTE_REQUIRED' };
      return { ok: true, next: { ...c, state: 'closed', finding: action.finding, findingNote: note, closedAt: now } };
    }
  }
}
