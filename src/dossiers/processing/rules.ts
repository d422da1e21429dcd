/**
 * Processing rules beside the lifecycle machine (issue 5): what the inboxes sort and filter by, who may assign a
 * step, and the action an officer's first move on a received dossier implies. Plain functions: data in, data out.
 */
import {
  allowedActions,
  decide,
  DEFAULT_SLA_POLICY,
  dueSoonAt,
  procedureCalendar,
  stepStatus,
  type Action,
  type Actor,
  type Decision,
  type DossierState,
  type RulesEnv,
  type SlaPolicy,
  type StepKind,
  type StepRole,
} from '../rules.ts';

const HOUR_MS = 3_600_000;

/** The columns an inbox reads, copied from the state on every write. */
export interface InboxFields {
  stepIndex: number | null;
  stepKind: StepKind | null;
  stepRole: StepRole | null;
  /** When the current step is due; null when no step runs or the clock is paused for the applicant. */
  stepDueAt: Date | null;
  /** When it becomes "due soon" (the SLA policy's threshold before the due instant). */
  stepSoonAt: Date | null;
}

export const NO_STEP: InboxFields = Object.freeze({ stepIndex: null, stepKind: null, stepRole: null, stepDueAt: null, stepSoonAt: null });

/** Statuses in which a step may be in progress: what an inbox lists. */
export const OPEN_STATUSES = ['received', 'processing', 'supplement_requested', 'awaiting_financial_obligation', 'processed'] as const;

export function inboxFields(d: DossierState, env: RulesEnv, now: Date, policy: SlaPolicy = DEFAULT_SLA_POLICY): InboxFields {
  const i = d.currentStep;
  const step = i === null ? undefined : d.route[i];
  if (i === null || !step || !(OPEN_STATUSES as readonly string[]).includes(d.status)) {
    return NO_STEP;
  }
  if (d.status === 'supplement_requested' || !step.startedAt) return { stepIndex: i, stepKind: step.kind, stepRole: step.role, stepDueAt: null, stepSoonAt: null };
  const s = stepStatus({ startedAt: step.startedAt, endedAt: null, quotaHours: step.quotaHours }, now, env, d.pauses, policy);
  const soon = dueSoonAt({ ...s, allowanceMs: step.quotaHours * HOUR_MS }, now, procedureCalendar(env.calendar, null), policy);
  return { stepIndex: i, stepKind: step.kind, stepRole: step.role, stepDueAt: s.due, stepSoonAt: soon };
}

export type InboxSla = 'on_time' | 'due_soon' | 'late' | 'paused' | 'none';

/** The SLA state an inbox row shows at `now`, from its stored instants (the same split as `stepStatus`). */
export function inboxSla(f: Pick<InboxFields, 'stepDueAt' | 'stepSoonAt' | 'stepIndex'>, status: string, now: Date): InboxSla {
  if (status === 'supplement_requested') return 'paused';
  if (f.stepIndex === null || f.stepDueAt === null) return 'none';
  if (now.getTime() > f.stepDueAt.getTime()) return 'late';
  if (f.stepSoonAt && now.getTime() >= f.stepSoonAt.getTime()) return 'due_soon';
  return 'on_time';
}

/** Actions that mean "work has started": on a received dossier the service records `start_processing` first. */
const STARTS_WORK: ReadonlySet<Action['type']> = new Set(['complete_step', 'transfer', 'approve', 'mark_processed', 'request_financial_obligation']);

export function impliesStart(d: Pick<DossierState, 'status'>, action: Action): boolean {
  return d.status === 'received' && STARTS_WORK.has(action.type);
}

/**
 * The actions to offer `actor` now, as `decideWork` takes them: on a received dossier, the work actions allowed once
 * processing started (starting is then implied and not offered by itself).
 */
export function allowedWork(d: DossierState, actor: Actor, now: Date): Action['type'][] {
  const direct = allowedActions(d, actor, now);
  if (d.status !== 'received' || !direct.includes('start_processing')) return direct;
  const started = allowedActions({ ...d, status: 'processing' }, actor, now).filter((t) => STARTS_WORK.has(t));
  return [...direct.filter((t) => t !== 'start_processing'), ...started.filter((t) => !direct.includes(t))];
}

/** `decide`, with `start_processing` recorded first when the action implies it (one decision, both events). */
export function decideWork(d: DossierState, action: Action, actor: Actor, now: Date, env: RulesEnv): Decision {
  if (!impliesStart(d, action)) return decide(d, action, actor, now, env);
  const started = decide(d, { type: 'start_processing' }, actor, now, env);
  if (!started.ok) return started;
  const then = decide(started.state, action, actor, now, env);
  if (!then.ok) return then;
  return { ok: true, state: { ...then.state, version: d.version + 1 }, events: [...started.events, ...then.events] };
}

export type AssignmentRefusal = 'no_current_step' | 'not_step_leader' | 'assignee_not_eligible';

/**
 * A step is assigned by a leader of the agency holding it, to an active officer of that agency who has the step's
 * role (or to a leader, who may take any step of their agency).
 */
export function assignmentRefusal(
  d: Pick<DossierState, 'currentStep' | 'route' | 'status'>,
  assigner: { role: string; agency: string },
  assignee: { role: string; agency: string; disabled: boolean },
): AssignmentRefusal | null {
  const step = d.currentStep === null ? undefined : d.route[d.currentStep];
  if (!step || !(OPEN_STATUSES as readonly string[]).includes(d.status)) return 'no_current_step';
  if (assigner.role !== 'leader' || assigner.agency !== step.agency) return 'not_step_leader';
  if (assignee.disabled || assignee.agency !== step.agency || (assignee.role !== step.role && assignee.role !== 'leader')) return 'assignee_not_eligible';
  return null;
}

/** Whether the assignee stays when the state moves on: only while the same step is in progress. */
export function keepsAssignee(before: Pick<DossierState, 'currentStep'>, after: Pick<DossierState, 'currentStep'>): boolean {
  return before.currentStep === after.currentStep;
}
