import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../calendar/time.ts';
import { controlSheet, handOverMark } from './control-sheet.ts';
import { AGENCY, ENV, VALID, citizen, counter, draft, justiceSpecialist, leader, specialist, vn } from './fixtures.ts';
import { decide, submit, type Decision } from './machine.ts';
import type { Action, Actor, DossierEvent, DossierState } from './types.ts';

describe('hand-over marks', () => {
  it('early on an earlier day, on time on the due day, late after the due instant', () => {
    const due = vn('2026-03-10T09:00');
    expect(handOverMark(vn('2026-03-09T16:59'), due)).toBe('early');
    expect(handOverMark(vn('2026-03-10T08:00'), due)).toBe('on_time');
    expect(handOverMark(vn('2026-03-10T09:00'), due)).toBe('on_time');
    expect(handOverMark(vn('2026-03-10T09:01'), due)).toBe('late');
    // The local day, not the UTC day: 06:30 in Hanoi is still the previous day in UTC.
    expect(handOverMark(vn('2026-03-10T06:30'), due)).toBe('on_time');
  });
});

describe('control sheet (form 06) from the events', () => {
  it('lists each hand-over with giver, receiver, instant and mark', () => {
    const events: DossierEvent[] = [];
    const run = (d: Decision): DossierState => {
      if (!d.ok) throw new Error(d.code);
      events.push(...d.events);
      return d.state;
    };
    const step = (s: DossierState, a: Action, who: Actor, at: string) => run(decide(s, a, who, vn(at), ENV));
    let s = run(submit(draft(), citizen, vn('2026-03-02T08:30')));
    s = step(s, { type: 'receive' }, counter, '2026-03-02T09:00');
    s = step(s, { type: 'start_processing' }, specialist, '2026-03-02T09:30');
    s = step(s, { type: 'request_supplement', items: [{ componentKey: 'photo', reason: 'Thiếu ảnh' }] }, specialist, '2026-03-03T09:00');
    s = step(s, { type: 'supplement', components: { photo: VALID.photo } }, citizen, '2026-03-04T09:00');
    s = step(
      s,
      { type: 'transfer', toAgency: AGENCY.justice, steps: [{ kind: 'appraisal', name: 'Ý kiến', role: 'specialist', agency: null, quotaHours: 8 }], reason: 'Lấy ý kiến', returnAfter: true },
      specialist,
      '2026-03-05T10:00',
    );
    s = step(s, { type: 'complete_step' }, justiceSpecialist, '2026-03-09T10:00'); // 8 h quota from Thu 10:00 → Fri 10:00: late
    s = step(s, { type: 'approve' }, leader, '2026-03-10T08:30');
    s = step(s, { type: 'mark_processed', resultDocumentId: 'kq' }, leader, '2026-03-10T09:00');
    s = step(s, { type: 'return_result' }, counter, '2026-03-19T10:00');
    expect(s.status).toBe('result_returned');

    const rows = controlSheet(events);
    expect(rows.map((r) => [r.no, r.event, r.mark])).toEqual([
      [1, 'received', null],
      [2, 'transferred', 'early'], // appraisal 48 h + 1 day paused: due 11/03
      [3, 'step_completed', 'late'],
      [4, 'approved', 'early'],
      [5, 'processed', 'early'],
      [6, 'result_returned', 'late'], // promised 16/03 09:00 + 8 h paused → 17/03 09:00
    ]);
    expect(rows[1]!.giver).toMatchObject({ kind: 'actor', actor: { userId: 'specialist-1', agency: AGENCY.health } });
    expect(rows[1]!.receiver).toEqual({ kind: 'post', agency: AGENCY.justice, role: 'specialist' });
    expect(rows[3]!.receiver).toEqual({ kind: 'post', agency: AGENCY.health, role: 'leader' });
    expect(rows[4]!.receiver).toEqual({ kind: 'post', agency: AGENCY.branch, role: 'counter_officer' });
    expect(rows[5]!.receiver).toEqual({ kind: 'applicant' });
    expect(formatInstant(rows[2]!.due!)).toBe('2026-03-06T10:00:00+07:00');
    expect(formatInstant(rows[5]!.due!)).toBe('2026-03-17T09:00:00+07:00');
  });
});
