/**
 * Deadline bookkeeping of a dossier and SLA states of its steps, derived from the calendar room's arithmetic.
 *
 * Nothing here is typed in: the promised date comes from the reception instant, the procedure's legal deadline and
 * cut-off, the supplement pauses and the apology extensions (R5); a step's due instant from its start and quota.
 */
import {
  deadlineStatus,
  dueDate,
  frozenCalendarConfig,
  type CalendarConfig,
  type DeadlineStatus,
  type Duration,
} from '../../calendar/rules.ts';
import { parseHhmm } from '../../calendar/time.ts';
import type { DossierState, PauseInterval, ProcessVersion, StepDefinition } from './types.ts';

/**
 * What the rules need from the outside world besides the dossier: the administrator-maintained calendar. Pass one
 * long-lived (ideally `frozenCalendarConfig`) value and a new one when the administrator edits it: derived copies
 * are cached per value, so mutating it in place would go unseen.
 */
export interface RulesEnv {
  calendar: CalendarConfig;
}

const HOUR_MS = 3_600_000;

// A frozen copy per (calendar, cut-off): the calendar skips its content check on frozen configs, and the
// per-procedure cut-off overrides the calendar default without copying the holiday data on every call.
const withCutoffCache = new WeakMap<CalendarConfig, Map<string | null, CalendarConfig>>();

/** The calendar with the procedure's cut-off (R5: configurable per procedure, 15:00 by default). */
export function procedureCalendar(calendar: CalendarConfig, cutoff: string | null): CalendarConfig {
  let byCutoff = withCutoffCache.get(calendar);
  if (!byCutoff) withCutoffCache.set(calendar, (byCutoff = new Map()));
  let cfg = byCutoff.get(cutoff);
  if (!cfg) byCutoff.set(cutoff, (cfg = frozenCalendarConfig({ ...calendar, cutoff })));
  return cfg;
}

/** Length of one office day in hours (8 with the civil-service hours). */
export function officeDayHours(calendar: CalendarConfig): number {
  const minutes = calendar.officeHours.reduce((s, p) => s + (parseHhmm(p.end) ?? 0) - (parseHhmm(p.start) ?? 0), 0);
  return minutes / 60;
}

export type DeadlineAmount = { value: number; unit: 'working_days' | 'working_hours' };

/**
 * Sum of deadline amounts as one calendar duration. Whole days stay days (they keep the time of day of the start);
 * anything fractional or in hours is counted in office hours, a working day being one office day.
 */
export function totalDuration(amounts: readonly DeadlineAmount[], calendar: CalendarConfig): Duration {
  const allWholeDays = amounts.every((a) => a.unit === 'working_days' && Number.isInteger(a.value));
  if (allWholeDays) return { days: amounts.reduce((s, a) => s + a.value, 0) };
  const day = officeDayHours(calendar);
  return { hours: amounts.reduce((s, a) => s + (a.unit === 'working_days' ? a.value * day : a.value), 0) };
}

/** Instant the dossier's processing ended, for lateness: result ready, or closed (stopped, withdrawn). */
export function finishedAt(dossier: DossierState): Date | null {
  if (dossier.result) return dossier.result.readyAt;
  if (dossier.closure && dossier.closure.kind !== 'refused') return dossier.closure.at;
  return null;
}

export type SlaState = 'on_time' | 'due_soon' | 'late';

/**
 * When "due soon" starts. The warning must leave time to act (Đồng Tháp QĐ 138/2025 asks for the apology at least
 * one day before the deadline), so it scales with the allowance: the last 20 % of it, but at least 4 working hours
 * — capped at half the allowance, so a short step is not "due soon" from its first minute.
 */
export interface SlaPolicy {
  fraction: number;
  minimumHours: number;
}
export const DEFAULT_SLA_POLICY: SlaPolicy = Object.freeze({ fraction: 0.2, minimumHours: 4 });

export function dueSoonThresholdMs(allowanceMs: number, policy: SlaPolicy = DEFAULT_SLA_POLICY): number {
  return Math.max(policy.fraction * allowanceMs, Math.min(policy.minimumHours * HOUR_MS, allowanceMs / 2));
}

/**
 * The instant "due soon" starts for a running clock seen at `now` (remaining working time and allowance from its
 * deadline status): now or the due instant when already inside the threshold, else when the working time left
 * reaches it. Office hours only, no cut-off: it is a point on the running clock.
 */
export function dueSoonAt(s: Pick<DeadlineStatus, 'due' | 'remainingMs' | 'allowanceMs'>, now: Date, cfg: CalendarConfig, policy: SlaPolicy = DEFAULT_SLA_POLICY): Date {
  const threshold = dueSoonThresholdMs(s.allowanceMs, policy);
  if (s.remainingMs <= threshold) return s.due.getTime() < now.getTime() ? s.due : now;
  return dueDate(now, { hours: (s.remainingMs - threshold) / HOUR_MS }, cfg, { applyCutoff: false });
}

/** SLA state from a calendar deadline status: late after the due instant, due soon inside the threshold. */
export function slaStateOf(s: Pick<DeadlineStatus, 'late' | 'remainingMs' | 'allowanceMs'>, policy: SlaPolicy = DEFAULT_SLA_POLICY): SlaState {
  if (s.late) return 'late';
  return s.remainingMs < dueSoonThresholdMs(s.allowanceMs, policy) ? 'due_soon' : 'on_time';
}

export interface DossierDeadline extends DeadlineStatus {
  /** The date promised on the receipt (form 01): legal deadline from reception, no pauses, no extensions. */
  promisedDue: Date;
  /** The instant the status is evaluated at: `now`, or when processing ended. */
  evaluatedAt: Date;
  finished: boolean;
  sla: SlaState;
}

/**
 * By when the counter must receive, return or refuse an online dossier: 8 working hours after it reached the system
 * (ND 45/2020, regulations §1; "within the working day" in the product spec). The reception cut-off does not apply:
 * a submission at night counts from the next opening. Null for a dossier that was never submitted online.
 */
export function receptionDeadline(dossier: Pick<DossierState, 'submittedAt' | 'channel'>, env: RulesEnv): Date | null {
  if (dossier.channel !== 'online' || dossier.submittedAt === null) return null;
  return dueDate(dossier.submittedAt, { hours: RECEPTION_HOURS }, procedureCalendar(env.calendar, null), { applyCutoff: false });
}
export const RECEPTION_HOURS = 8;

/** The promised date printed on the receipt for a reception at `receivedAt` (R5). */
export function promisedDueDate(dossier: Pick<DossierState, 'procedure'>, receivedAt: Date, env: RulesEnv): Date {
  const cfg = procedureCalendar(env.calendar, dossier.procedure.cutoff);
  return dueDate(receivedAt, totalDuration([dossier.procedure.deadline], cfg), cfg);
}

/**
 * The dossier's deadline at `now` (null before reception): due instant with supplement pauses excluded and apology
 * extensions added; once processing ended, evaluated at that end instant so a finished dossier keeps its mark.
 */
export function dossierDeadline(dossier: DossierState, env: RulesEnv, now: Date, policy: SlaPolicy = DEFAULT_SLA_POLICY): DossierDeadline | null {
  if (dossier.receivedAt === null) return null;
  const cfg = procedureCalendar(env.calendar, dossier.procedure.cutoff);
  const end = finishedAt(dossier);
  const at = end !== null && end.getTime() < now.getTime() ? end : now;
  const duration = totalDuration([dossier.procedure.deadline, ...dossier.apologies.map((a) => a.extension)], cfg);
  const status = deadlineStatus(dossier.receivedAt, duration, at, cfg, { pauses: dossier.pauses });
  return {
    ...status,
    promisedDue: promisedDueDate(dossier, dossier.receivedAt, env),
    evaluatedAt: at,
    finished: end !== null,
    sla: slaStateOf(status, policy),
  };
}

/**
 * Late handling of a received dossier at `now` (issue 5; form 04 must reach the applicant before the deadline):
 * - `on_track`: on time, or finished in time;
 * - `warn`: due soon and still open — the responsible officer is warned (an apology, if needed, is due now);
 * - `late_without_apology`: the deadline passed and no apology was sent before it (a violation to record);
 * - `late_after_apology`: late even on the date given in the apology.
 */
export type LateHandling = 'on_track' | 'warn' | 'late_without_apology' | 'late_after_apology';

export function lateHandling(dossier: DossierState, env: RulesEnv, now: Date, policy: SlaPolicy = DEFAULT_SLA_POLICY): LateHandling | null {
  const d = dossierDeadline(dossier, env, now, policy);
  if (d === null) return null;
  if (d.late) return dossier.apologies.length ? 'late_after_apology' : 'late_without_apology';
  return d.sla === 'due_soon' && !d.finished ? 'warn' : 'on_track';
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

export interface StepStatus {
  due: Date;
  sla: SlaState;
  remainingMs: number;
  overdueMs: number;
  paused: boolean;
}

/**
 * SLA of one step started at `startedAt` with `quotaHours`, at `at` (or at its end if it ended earlier). Step quotas
 * start at the hand-over instant, so no reception cut-off applies; supplement pauses stop step clocks too.
 */
export function stepStatus(
  step: { startedAt: Date; endedAt: Date | null; quotaHours: number },
  at: Date,
  env: RulesEnv,
  pauses: readonly PauseInterval[] = [],
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): StepStatus {
  const when = step.endedAt !== null && step.endedAt.getTime() < at.getTime() ? step.endedAt : at;
  const cfg = procedureCalendar(env.calendar, null);
  const s = deadlineStatus(step.startedAt, { hours: step.quotaHours }, when, cfg, { pauses, applyCutoff: false });
  return { due: s.due, sla: slaStateOf(s, policy), remainingMs: s.remainingMs, overdueMs: s.overdueMs, paused: s.paused };
}

export interface PlannedStep {
  index: number;
  step: StepDefinition;
  /** Planned start: the process start for the first step, the previous step's due instant after that. */
  start: Date;
  due: Date;
}

/**
 * The schedule of an internal-process version if every step used its whole quota: each step's due instant from its
 * planned start. Its last due instant is what the process promises; the catalog checks it against the legal
 * deadline.
 */
export function planSteps(process: Pick<ProcessVersion, 'steps'>, start: Date, env: RulesEnv): PlannedStep[] {
  const cfg = procedureCalendar(env.calendar, null);
  const out: PlannedStep[] = [];
  let t = start;
  process.steps.forEach((step, index) => {
    const due = dueDate(t, { hours: step.quotaHours }, cfg, { applyCutoff: false });
    out.push({ index, step, start: t, due });
    t = due;
  });
  return out;
}

export interface RouteStepStatus extends StepStatus {
  index: number;
  startedAt: Date;
  endedAt: Date | null;
}

/** SLA state of every started step of a dossier's route at `now` (ended steps keep the state they ended with). */
export function routeStatus(dossier: DossierState, env: RulesEnv, now: Date, policy: SlaPolicy = DEFAULT_SLA_POLICY): RouteStepStatus[] {
  const out: RouteStepStatus[] = [];
  dossier.route.forEach((step, index) => {
    if (step.startedAt === null) return;
    const s = stepStatus({ startedAt: step.startedAt, endedAt: step.endedAt, quotaHours: step.quotaHours }, now, env, dossier.pauses, policy);
    out.push({ ...s, index, startedAt: step.startedAt, endedAt: step.endedAt });
  });
  return out;
}
