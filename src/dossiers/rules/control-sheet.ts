/**
 * The processing control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ, TT 03/2025 form 06), derived from a
 * dossier's events alone: one row per hand-over with giver, receiver, instant and the mark "trước hạn / đúng hạn /
 * quá hạn" (regulations §3: the columns of the form).
 */
import { localDay } from '../../calendar/time.ts';
import type { LocalizedText } from '../../platform/http/problem.ts';
import type { ActorRef, DossierEvent, StepRole } from './types.ts';

/**
 * - `early` (trước hạn): handed over on a calendar day (Vietnamese civil time) before the due instant's day;
 * - `on_time` (đúng hạn): on the due day, at or before the due instant;
 * - `late` (quá hạn): after the due instant.
 */
export type HandOverMark = 'early' | 'on_time' | 'late';

export const HAND_OVER_MARK_LABELS: Readonly<Record<HandOverMark, LocalizedText>> = Object.freeze({
  early: { vi: 'Trước hạn', en: 'Early' },
  on_time: { vi: 'Đúng hạn', en: 'On time' },
  late: { vi: 'Quá hạn', en: 'Late' },
});

export function handOverMark(at: Date, due: Date): HandOverMark {
  if (at.getTime() > due.getTime()) return 'late';
  return localDay(at) < localDay(due) ? 'early' : 'on_time';
}

/** One side of a hand-over: a person (giver) or where the dossier goes (agency and role). */
export type Party =
  | { kind: 'actor'; actor: ActorRef }
  | { kind: 'post'; agency: string; role: StepRole }
  | { kind: 'applicant' };

export interface ControlSheetRow {
  /** 1-based row number. */
  no: number;
  event: DossierEvent['type'];
  at: Date;
  giver: Party;
  receiver: Party;
  /** The due instant the row is judged against; null for the reception row (nothing is due yet). */
  due: Date | null;
  mark: HandOverMark | null;
}

const post = (r: { agency: string; role: StepRole } | null): Party => (r === null ? { kind: 'applicant' } : { kind: 'post', ...r });

/** The rows of form 06, in event order. Events that hand nothing over (comments, validations…) are skipped. */
export function controlSheet(events: readonly DossierEvent[]): ControlSheetRow[] {
  const rows: Omit<ControlSheetRow, 'no'>[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'received':
        rows.push({ event: e.type, at: e.at, giver: { kind: 'applicant' }, receiver: { kind: 'actor', actor: e.actor }, due: null, mark: null });
        break;
      case 'step_completed':
      case 'transferred':
      case 'approved':
        rows.push({
          event: e.type,
          at: e.at,
          giver: { kind: 'actor', actor: e.actor },
          // After an approval the result stays with the agency until it is marked processed.
          receiver: e.detail.receiver === null ? { kind: 'post', agency: e.detail.giver.agency, role: e.detail.giver.role } : post(e.detail.receiver),
          due: e.detail.stepDue,
          mark: handOverMark(e.at, e.detail.stepDue),
        });
        break;
      case 'processed':
        rows.push({ event: e.type, at: e.at, giver: { kind: 'actor', actor: e.actor }, receiver: post(e.detail.receiver), due: e.detail.due, mark: handOverMark(e.at, e.detail.due) });
        break;
      case 'result_returned':
        rows.push({ event: e.type, at: e.at, giver: { kind: 'actor', actor: e.actor }, receiver: { kind: 'applicant' }, due: e.detail.due, mark: handOverMark(e.at, e.detail.due) });
        break;
      default:
        break;
    }
  }
  return rows.map((r, i) => ({ no: i + 1, ...r }));
}
