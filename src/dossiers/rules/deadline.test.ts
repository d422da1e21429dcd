import { describe, expect, it } from 'vitest';
import { defaultCalendarConfig } from '../../calendar/rules.ts';
import { formatInstant } from '../../calendar/time.ts';
import { dossierDeadline, dueSoonThresholdMs, lateHandling, planSteps, receptionDeadline, routeStatus, slaStateOf, stepStatus, totalDuration } from './deadline.ts';
import { ENV, PROCESS, VALID, citizen, counter, draft, leader, specialist, vn } from './fixtures.ts';
import { decide, submit, type Decision } from './machine.ts';
import type { Action, Actor, DossierState } from './types.ts';

const H = 3_600_000;
const f = formatInstant;

function act(state: DossierState, action: Action, actor: Actor, at: string): DossierState {
  const d: Decision = decide(state, action, actor, vn(at), ENV);
  if (!d.ok) throw new Error(`refused: ${d.code}`);
  return d.state;
}

function receivedAt(at: string): DossierState {
  const s = submit(draft(), citizen, vn(at));
  if (!s.ok) throw new Error(s.code);
  return act(s.state, { type: 'receive' }, counter, at);
}

const askPhoto: Action = { type: 'request_supplement', items: [{ componentKey: 'photo', reason: 'Thiếu ảnh' }] };
const givePhoto: Action = { type: 'supplement', components: { photo: VALID.photo } };

describe('the promised date and the supplement pause (R5)', () => {
  it('an online dossier must be decided on within 8 working hours of submission', () => {
    const at = (t: string) => {
      const s = submit(draft(), citizen, vn(t));
      if (!s.ok) throw new Error(s.code);
      return f(receptionDeadline(s.state, ENV)!);
    };
    expect(at('2026-03-02T10:00')).toBe('2026-03-03T10:00:00+07:00');
    // Friday night → counted from Monday 08:00; a due instant at closing time is shown as the next opening
    // (the calendar's convention, docs/calendar.md).
    expect(at('2026-03-06T21:30')).toBe('2026-03-10T08:00:00+07:00');
    expect(at('2026-02-13T16:00')).toBe('2026-02-23T16:00:00+07:00'); // across Tết
    expect(receptionDeadline(receivedAt('2026-03-02T09:00'), ENV)).not.toBeNull();
    const counterDossier = { ...receivedAt('2026-03-02T09:00'), channel: 'counter' as const };
    expect(receptionDeadline(counterDossier, ENV)).toBeNull();
  });

  it('before reception there is no deadline', () => {
    const s = submit(draft(), citizen, vn('2026-03-02T08:00'));
    expect(s.ok && dossierDeadline(s.state, ENV, vn('2026-03-02T09:00'))).toBeNull();
  });

  it('across a weekend: the clock stops at the request and resumes at the exact instant of the supplement', () => {
    const s2 = receivedAt('2026-03-02T09:00'); // Monday
    expect(f(dossierDeadline(s2, ENV, vn('2026-03-02T09:00'))!.due)).toBe('2026-03-16T09:00:00+07:00');

    const s5 = act(act(s2, { type: 'start_processing' }, specialist, '2026-03-02T10:00'), askPhoto, specialist, '2026-03-05T10:00'); // Thursday
    const paused = dossierDeadline(s5, ENV, vn('2026-03-07T11:00'))!; // Saturday
    expect(paused.paused).toBe(true);
    // Frozen: Mon 09:00 → Thu 10:00 consumed 3 days 1 h; 6 days 7 h remain however long the applicant takes.
    expect(paused.remainingMs).toBe((6 * 8 + 7) * H);

    const answered = decide(s5, givePhoto, citizen, vn('2026-03-09T14:30'), ENV); // Monday afternoon
    const ev = answered.ok ? answered.events[0]! : null;
    expect(ev?.type === 'supplemented' && [ev.detail.pausedWorkingMs, ev.detail.pausedWallMs]).toEqual([19.5 * H, (4 * 24 + 4.5) * H]);
    const back = act(s5, givePhoto, citizen, '2026-03-09T14:30');
    const d = dossierDeadline(back, ENV, vn('2026-03-09T14:30'))!;
    // 19.5 working hours paused (Thu 6 h, Fri 8 h, Mon 5.5 h) → Mon 16/03 09:00 + 19.5 h.
    expect(f(d.due)).toBe('2026-03-18T13:30:00+07:00');
    expect(f(d.promisedDue)).toBe('2026-03-16T09:00:00+07:00');
    expect(d.paused).toBe(false);
    expect(d.remainingMs).toBe((6 * 8 + 7) * H);
  });

  it('across Tết 2026 (14–22/02 off): only office hours of working days count, in and out of the pause', () => {
    const s2 = receivedAt('2026-02-11T10:00'); // Wednesday before Tết
    // 10 working days: 12, 13, 23, 24, 25, 26, 27/02, 2, 3, 4/03.
    expect(f(dossierDeadline(s2, ENV, vn('2026-02-11T10:00'))!.due)).toBe('2026-03-04T10:00:00+07:00');
    const s5 = act(s2, askPhoto, specialist, '2026-02-12T14:00');
    const back = act(s5, givePhoto, citizen, '2026-02-24T10:15');
    expect(back.status).toBe('received');
    // Paused: Thu 12 3 h, Fri 13 8 h, Mon 23 8 h, Tue 24 2.25 h = 21.25 h → Wed 04/03 10:00 + 21.25 h.
    expect(f(dossierDeadline(back, ENV, vn('2026-02-24T10:15'))!.due)).toBe('2026-03-06T16:15:00+07:00');
  });

  it('reception after the procedure cut-off counts from the next working day', () => {
    const late = receivedAt('2026-03-06T15:30'); // Friday after 15:00
    const d = dossierDeadline(late, ENV, vn('2026-03-06T16:00'))!;
    expect(f(d.clockStart)).toBe('2026-03-09T08:00:00+07:00');
    expect(f(d.due)).toBe('2026-03-23T08:00:00+07:00');
  });

  it('a finished dossier keeps the mark it finished with', () => {
    let s = receivedAt('2026-03-02T09:00');
    s = act(s, { type: 'start_processing' }, specialist, '2026-03-02T10:00');
    s = act(s, { type: 'complete_step' }, specialist, '2026-03-03T10:00');
    s = act(s, { type: 'approve' }, leader, '2026-03-03T11:00');
    s = act(s, { type: 'mark_processed', resultDocumentId: 'r' }, leader, '2026-03-03T12:00');
    const long = dossierDeadline(s, ENV, vn('2026-06-01T09:00'))!;
    expect([long.finished, long.late, long.sla, long.evaluatedAt]).toEqual([true, false, 'on_time', vn('2026-03-03T12:00')]);
  });

  it('SLA state of the dossier: on time, due soon in the last 20 %, late', () => {
    const s = act(receivedAt('2026-03-02T09:00'), { type: 'start_processing' }, specialist, '2026-03-02T09:30');
    expect(dossierDeadline(s, ENV, vn('2026-03-09T09:00'))!.sla).toBe('on_time'); // 5 days left of 10
    expect(dossierDeadline(s, ENV, vn('2026-03-13T09:00'))!.sla).toBe('due_soon'); // 1 day left < 2 days (20 %)
    expect(dossierDeadline(s, ENV, vn('2026-03-16T09:30'))!.sla).toBe('late');
  });

  it('late handling: warn before the deadline, then late with or without the apology (form 04)', () => {
    const s = act(receivedAt('2026-03-02T09:00'), { type: 'start_processing' }, specialist, '2026-03-02T09:30');
    expect(lateHandling(s, ENV, vn('2026-03-09T09:00'))).toBe('on_track');
    expect(lateHandling(s, ENV, vn('2026-03-13T09:00'))).toBe('warn');
    expect(lateHandling(s, ENV, vn('2026-03-16T10:00'))).toBe('late_without_apology');
    const sorry = act(s, { type: 'issue_apology', reason: 'Cần xác minh', extension: { value: 2, unit: 'working_days' } }, specialist, '2026-03-13T09:00');
    // New date Wed 18/03 09:00: 25 h left of 96 right after the apology, 16 h (< 20 %) on Monday.
    expect(lateHandling(sorry, ENV, vn('2026-03-13T09:00'))).toBe('on_track');
    expect(lateHandling(sorry, ENV, vn('2026-03-16T10:00'))).toBe('warn');
    expect(lateHandling(sorry, ENV, vn('2026-03-18T10:00'))).toBe('late_after_apology');
    const s2 = submit(draft(), citizen, vn('2026-03-02T08:00'));
    expect(s2.ok && lateHandling(s2.state, ENV, vn('2026-03-02T09:00'))).toBeNull();
  });

  it('fractional days count as office hours', () => {
    expect(totalDuration([{ value: 10, unit: 'working_days' }], ENV.calendar)).toEqual({ days: 10 });
    expect(totalDuration([{ value: 0.5, unit: 'working_days' }], ENV.calendar)).toEqual({ hours: 4 });
    expect(totalDuration([{ value: 2, unit: 'working_days' }, { value: 3, unit: 'working_hours' }], ENV.calendar)).toEqual({ hours: 19 });
  });
});

describe('steps and SLA', () => {
  it('due soon: the last 20 % of the quota, at least 4 h, at most half of it', () => {
    expect(dueSoonThresholdMs(48 * H)).toBeCloseTo(9.6 * H);
    expect(dueSoonThresholdMs(8 * H)).toBe(4 * H);
    expect(dueSoonThresholdMs(2 * H)).toBe(1 * H);
    expect(slaStateOf({ late: false, remainingMs: 10 * H, allowanceMs: 48 * H })).toBe('on_time');
    expect(slaStateOf({ late: false, remainingMs: 9 * H, allowanceMs: 48 * H })).toBe('due_soon');
    expect(slaStateOf({ late: true, remainingMs: 0, allowanceMs: 48 * H })).toBe('late');
  });

  it('a step quota is counted from its start in working hours, without the reception cut-off', () => {
    const start = vn('2026-03-02T16:00'); // after 15:00: a hand-over is not a reception
    const at = (t: string) => stepStatus({ startedAt: start, endedAt: null, quotaHours: 8 }, vn(t), ENV);
    expect(f(at('2026-03-02T16:30').due)).toBe('2026-03-03T16:00:00+07:00');
    expect(at('2026-03-03T08:30').sla).toBe('on_time'); // 6.5 h left
    expect(at('2026-03-03T13:30').sla).toBe('due_soon'); // 2.5 h left < 4 h
    expect(at('2026-03-03T16:30').sla).toBe('late');
    // Ended in time: stays on time whenever asked.
    expect(stepStatus({ startedAt: start, endedAt: vn('2026-03-03T10:00'), quotaHours: 8 }, vn('2026-04-01T10:00'), ENV).sla).toBe('on_time');
  });

  it('a supplement pause stops the step clock too', () => {
    const pauses = [{ start: vn('2026-03-03T08:00'), end: vn('2026-03-05T08:00') }];
    const s = stepStatus({ startedAt: vn('2026-03-02T08:00'), endedAt: null, quotaHours: 16 }, vn('2026-03-05T09:00'), ENV, pauses);
    expect(f(s.due)).toBe('2026-03-06T08:00:00+07:00');
    const open = stepStatus({ startedAt: vn('2026-03-02T08:00'), endedAt: null, quotaHours: 16 }, vn('2026-03-09T09:00'), ENV, [{ start: vn('2026-03-03T08:00'), end: null }]);
    expect([open.paused, open.sla, open.remainingMs]).toEqual([true, 'on_time', 8 * H]);
  });

  it('plans a process version step by step, over Tết', () => {
    const plan = planSteps(PROCESS, vn('2026-02-12T09:00'), ENV);
    expect(plan.map((p) => [p.step.kind, f(p.due)])).toEqual([
      ['reception', '2026-02-12T14:00:00+07:00'], // 4 h: 09–12, 13–14
      ['appraisal', '2026-02-27T14:00:00+07:00'], // 48 h: Thu 12 3 h, Fri 13 8 h, 23–26/02 32 h, Fri 27 5 h
      ['approval', '2026-03-03T14:00:00+07:00'], // 16 h: Fri 3 h, Mon 8 h, Tue 5 h
      ['result_return', '2026-03-04T09:00:00+07:00'], // 4 h: Tue 3 h, Wed 1 h
    ]);
  });

  it('route status follows each started step of a dossier', () => {
    const s = act(receivedAt('2026-03-02T09:00'), { type: 'start_processing' }, specialist, '2026-03-02T09:30');
    const r = routeStatus(s, ENV, vn('2026-03-10T10:00'));
    expect(r.map((x) => [x.index, x.sla])).toEqual([
      [0, 'on_time'], // reception ended at once
      [1, 'late'], // 48 h from Mon 09:00 → Tue 10/03 09:00
    ]);
  });

  it('uses the calendar it is given (office hours from configuration)', () => {
    const cfg = defaultCalendarConfig({ officeHours: [{ start: '07:30', end: '11:30' }, { start: '13:30', end: '17:00' }] });
    const s = stepStatus({ startedAt: vn('2026-03-02T11:00'), endedAt: null, quotaHours: 1 }, vn('2026-03-02T11:00'), { calendar: cfg });
    expect(f(s.due)).toBe('2026-03-02T14:00:00+07:00');
  });
});
