/**
 * The dossier lifecycle as a pure state machine: (dossier, action, actor, now, env) → new state + events, or a
 * refusal with a stable code. The service loads the dossier, calls `decide`, and stores the state and the events
 * in one transaction; nothing here does I/O or reads the clock.
 *
 * Legal sources of each rule are listed in docs/lifecycle.md. Two rules shape everything below:
 * - R3/R4: no action asks for paper and no status waits for it; the only way to ask for more is the single
 *   completion request at reception and the single supplement request after it, each limited to components that
 *   are missing or whose e-version is invalid (decided by `assessComponent`, not by the officer).
 * - R5: the clock starts at e-reception and is paused, to the exact instant, while the applicant supplements.
 */
import { assessComponent, assessDossier, SIGNATURE_BASES, type ProvidedComponent } from '../../documents/rules.ts';
import { parseCccd, parseTaxpayerId } from '../../identity/identifiers.ts';
import { workingTimeBetween } from '../../calendar/rules.ts';
import { dossierDeadline, procedureCalendar, promisedDueDate, stepStatus, type RulesEnv } from './deadline.ts';
import { refuse, type Refusal } from './refusals.ts';
import {
  CLOSED_STATUSES,
  type Action,
  type Actor,
  type ActorRef,
  type ApplicantActor,
  type ApplicantRole,
  type DossierDraft,
  type DossierEvent,
  type DossierState,
  type DossierStatus,
  type EventDetails,
  type EventType,
  type FormNumber,
  type HandOver,
  type OfficerRole,
  type RequestItem,
  type RouteStep,
  type StepDefinition,
  type StepRole,
  type SystemService,
} from './types.ts';

export type Decision = { ok: true; state: DossierState; events: DossierEvent[] } | Refusal;

// ---------------------------------------------------------------------------------------------------------------
// Who may do what, from where

/**
 * Where an actor must stand to be allowed:
 * - `own_dossier`: an applicant acting for the dossier's applicant (an agent with recorded consent);
 * - `receiving_agency`: an officer of the one-stop branch that received the dossier;
 * - `current_agency`: an officer of the agency holding the dossier now;
 * - `current_step`: the officer role and agency of the step in progress (any step role of the current agency when
 *   no step is in progress);
 * - `system`: a machine counterpart (the payment gateway, the result mailer).
 */
export type Scope = 'own_dossier' | 'receiving_agency' | 'current_agency' | 'current_step' | 'system';

export type PermittedRole = ApplicantRole | OfficerRole | SystemService;

export interface Permission {
  roles: readonly PermittedRole[];
  scope: Scope;
}

export interface ActionRule {
  from: readonly DossierStatus[];
  who: readonly Permission[];
  /** TT 03/2025 form the action issues. */
  form: FormNumber | null;
  /** Refused with `result_exists` once a result exists (withdraw, stop, supplement, apology: "while no result"). */
  beforeResultOnly: boolean;
}

const APPLICANTS: readonly ApplicantRole[] = ['citizen', 'business', 'agent'];
const STEP_ROLES: readonly StepRole[] = ['counter_officer', 'specialist', 'leader'];
const OPEN_BEFORE_RESULT: readonly DossierStatus[] = ['received', 'processing', 'supplement_requested', 'awaiting_financial_obligation'];

export const ACTION_RULES: Readonly<Record<Action['type'], ActionRule>> = Object.freeze({
  receive: { from: ['new'], who: [{ roles: ['counter_officer'], scope: 'receiving_agency' }], form: '01', beforeResultOnly: false },
  refuse: { from: ['new'], who: [{ roles: ['counter_officer'], scope: 'receiving_agency' }], form: '03', beforeResultOnly: false },
  return_for_completion: {
    from: ['new'],
    who: [{ roles: ['counter_officer'], scope: 'receiving_agency' }],
    form: '02',
    beforeResultOnly: false,
  },
  start_processing: { from: ['received'], who: [{ roles: STEP_ROLES, scope: 'current_step' }], form: null, beforeResultOnly: false },
  request_supplement: {
    from: ['received', 'processing'],
    who: [{ roles: STEP_ROLES, scope: 'current_agency' }],
    form: '02',
    beforeResultOnly: true,
  },
  supplement: {
    from: ['new', 'supplement_requested'],
    who: [
      { roles: APPLICANTS, scope: 'own_dossier' },
      // A walk-in answer: the counter scans and signs the supplied papers at reception again.
      { roles: ['counter_officer'], scope: 'receiving_agency' },
    ],
    form: null,
    beforeResultOnly: true,
  },
  record_validation: {
    from: ['new', 'received', 'processing', 'supplement_requested'],
    who: [{ roles: STEP_ROLES, scope: 'current_agency' }],
    form: null,
    beforeResultOnly: true,
  },
  complete_step: { from: ['processing'], who: [{ roles: STEP_ROLES, scope: 'current_step' }], form: null, beforeResultOnly: false },
  transfer: { from: ['processing'], who: [{ roles: STEP_ROLES, scope: 'current_step' }], form: null, beforeResultOnly: true },
  request_financial_obligation: {
    from: ['processing', 'processed'],
    who: [{ roles: STEP_ROLES, scope: 'current_agency' }],
    form: null,
    beforeResultOnly: false,
  },
  confirm_payment: {
    from: ['awaiting_financial_obligation'],
    who: [
      { roles: ['payment_gateway'], scope: 'system' },
      { roles: ['counter_officer'], scope: 'receiving_agency' },
      { roles: STEP_ROLES, scope: 'current_agency' },
    ],
    form: null,
    beforeResultOnly: false,
  },
  approve: { from: ['processing'], who: [{ roles: ['leader'], scope: 'current_step' }], form: null, beforeResultOnly: true },
  mark_processed: { from: ['processing'], who: [{ roles: STEP_ROLES, scope: 'current_step' }], form: null, beforeResultOnly: true },
  return_result: {
    from: ['processed'],
    // Handed over at the counter, or received online: the applicant's own download of the signed result, or the
    // result mailed to them.
    who: [
      { roles: ['counter_officer'], scope: 'receiving_agency' },
      { roles: APPLICANTS, scope: 'own_dossier' },
      { roles: ['result_mailer'], scope: 'system' },
    ],
    form: null,
    beforeResultOnly: false,
  },
  withdraw: {
    from: ['new', ...OPEN_BEFORE_RESULT],
    who: [{ roles: APPLICANTS, scope: 'own_dossier' }],
    form: null,
    beforeResultOnly: true,
  },
  stop: {
    from: OPEN_BEFORE_RESULT,
    who: [
      { roles: ['counter_officer'], scope: 'receiving_agency' },
      { roles: ['leader'], scope: 'current_agency' },
    ],
    form: '05',
    beforeResultOnly: true,
  },
  issue_apology: {
    from: OPEN_BEFORE_RESULT,
    who: [{ roles: ['specialist', 'leader'], scope: 'current_agency' }],
    form: '04',
    beforeResultOnly: true,
  },
});

function roleOf(actor: Actor): PermittedRole {
  return actor.kind === 'system' ? actor.service : actor.role;
}

/** The applicant an applicant-actor acts for, or a refusal (an agent needs recorded consent). */
function actingFor(actor: ApplicantActor): string | Refusal {
  if (actor.role !== 'agent') return actor.subjectId;
  if (!actor.onBehalfOf || !actor.onBehalfOf.consentRef.trim() || !actor.onBehalfOf.subjectId.trim()) {
    return refuse('consent_required');
  }
  return actor.onBehalfOf.subjectId;
}

function currentStep(d: DossierState): RouteStep | null {
  return d.currentStep === null ? null : (d.route[d.currentStep] ?? null);
}

/** What scope checks look at (a draft has no step yet). */
interface ScopeView {
  applicant: { subjectId: string };
  receivingAgency: string;
  currentAgency: string;
  step: RouteStep | null;
}

function viewOf(d: DossierState): ScopeView {
  return { applicant: d.applicant, receivingAgency: d.receivingAgency, currentAgency: d.currentAgency, step: currentStep(d) };
}

/** null when the actor stands in `scope`, else the refusal to give. */
function scopeRefusal(v: ScopeView, actor: Actor, scope: Scope): Refusal | null {
  switch (scope) {
    case 'system':
      return actor.kind === 'system' ? null : refuse('actor_not_allowed');
    case 'own_dossier': {
      if (actor.kind !== 'applicant') return refuse('actor_not_allowed');
      const who = actingFor(actor);
      if (typeof who !== 'string') return who;
      return who === v.applicant.subjectId ? null : refuse('out_of_scope');
    }
    case 'receiving_agency':
      if (actor.kind !== 'officer') return refuse('actor_not_allowed');
      return actor.agency === v.receivingAgency ? null : refuse('out_of_scope');
    case 'current_agency':
      if (actor.kind !== 'officer') return refuse('actor_not_allowed');
      return actor.agency === v.currentAgency ? null : refuse('out_of_scope');
    case 'current_step': {
      if (actor.kind !== 'officer') return refuse('actor_not_allowed');
      if (actor.agency !== v.currentAgency) return refuse('out_of_scope');
      if (v.step === null) return null;
      return v.step.role === actor.role && v.step.agency === actor.agency ? null : refuse('step_role_mismatch');
    }
  }
}

/** The first permission whose role matches decides; no matching role at all → actor_not_allowed. */
function permissionRefusal(d: DossierState, actor: Actor, who: readonly Permission[]): Refusal | null {
  let first: Refusal | null = null;
  let roleMatched = false;
  for (const p of who) {
    if (!p.roles.includes(roleOf(actor))) continue;
    roleMatched = true;
    const r = scopeRefusal(viewOf(d), actor, p.scope);
    if (r === null) return null;
    first ??= r;
  }
  return roleMatched ? first : refuse('actor_not_allowed');
}

/**
 * Checks that do not depend on the action's payload, in a fixed order: time, closed dossier, result, status, who
 * (what the dossier allows is said before whether this actor may do it).
 * `allowedActions` uses the same checks, so the UI offers exactly what `decide` would accept (payload aside).
 */
export function precheck(d: DossierState, type: Action['type'], actor: Actor, now: Date): Refusal | null {
  if (Number.isNaN(now.getTime())) throw new RangeError('now is not a valid date');
  if (d.lastEventAt !== null && now.getTime() < d.lastEventAt.getTime()) return refuse('clock_regression');
  const rule = ACTION_RULES[type];
  if ((CLOSED_STATUSES as readonly DossierStatus[]).includes(d.status)) return refuse('dossier_closed');
  if (rule.beforeResultOnly && d.result !== null) return refuse('result_exists');
  if (!rule.from.includes(d.status)) return refuse('invalid_state', { status: d.status });
  return permissionRefusal(d, actor, rule.who);
}

/** The actions `actor` may take on `d` at `now` (their payload is checked only when taken). */
export function allowedActions(d: DossierState, actor: Actor, now: Date): Action['type'][] {
  return (Object.keys(ACTION_RULES) as Action['type'][]).filter((t) => precheck(d, t, actor, now) === null);
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function actorRef(actor: Actor): ActorRef {
  if (actor.kind === 'system') return { kind: 'system', service: actor.service };
  if (actor.kind === 'officer') return { kind: 'officer', role: actor.role, userId: actor.userId, agency: actor.agency };
  return {
    kind: 'applicant',
    role: actor.role,
    userId: actor.userId,
    subjectId: actor.subjectId,
    onBehalfOf: actor.onBehalfOf?.subjectId ?? null,
  };
}

function actorId(actor: Actor): string {
  return actor.kind === 'system' ? `system:${actor.service}` : actor.userId;
}

/** User text is stored NFC and trimmed (Vietnamese typed on different keyboards must compare equal). */
function text(s: string | undefined): string {
  return (s ?? '').normalize('NFC').trim();
}

function event<K extends EventType>(
  type: K,
  d: DossierState,
  actor: Actor,
  now: Date,
  from: DossierStatus | null,
  to: DossierStatus,
  form: FormNumber | null,
  detail: EventDetails[K],
): DossierEvent {
  return { type, dossierId: d.id, at: now, actor: actorRef(actor), fromStatus: from, toStatus: to, form, detail } as DossierEvent;
}

function ok(prev: DossierState, next: DossierState, now: Date, events: DossierEvent[]): Decision {
  return { ok: true, state: { ...next, lastEventAt: now, version: prev.version + 1 }, events };
}

function cloneRoute(route: readonly RouteStep[]): RouteStep[] {
  return route.map((s) => ({ ...s }));
}

function closeOpenPause(pauses: DossierState['pauses'], now: Date): DossierState['pauses'] {
  return pauses.map((p) => (p.end === null ? { start: p.start, end: now } : p));
}

/**
 * Validates a completion or supplement request: only missing or invalid components, each once, each with a reason.
 * Naming a valid (or shown-only) component is checked before the reasons, so the attempt is flagged as an R3
 * violation whatever else is wrong with the request; every offending component is listed.
 */
function checkRequestItems(d: DossierState, items: readonly RequestItem[]): { items: RequestItem[] } | Refusal {
  if (items.length === 0) return refuse('items_required');
  const seen = new Set<string>();
  for (const item of items) {
    if (!d.procedure.components.some((c) => c.key === item.componentKey)) return refuse('unknown_component', { componentKey: item.componentKey });
    if (seen.has(item.componentKey)) return refuse('duplicate_item', { componentKey: item.componentKey });
    seen.add(item.componentKey);
  }
  const status = (key: string) => assessComponent(d.procedure.components.find((c) => c.key === key)!, d.components[key]).status;
  const valid = items.filter((i) => status(i.componentKey) === 'valid').map((i) => i.componentKey);
  if (valid.length) return refuse('supplement_names_valid_component', { componentKey: valid[0], components: valid });
  const exempt = items.filter((i) => status(i.componentKey) === 'exempt').map((i) => i.componentKey);
  if (exempt.length) return refuse('supplement_names_exempt_component', { componentKey: exempt[0], components: exempt });
  const out: RequestItem[] = [];
  for (const item of items) {
    const reason = text(item.reason);
    if (!reason) return refuse('reason_required', { componentKey: item.componentKey });
    out.push({ componentKey: item.componentKey, reason });
  }
  return { items: out };
}

/** Merges supplied components limited to the requested keys; every requested component must end up valid. */
function applySupplied(
  d: DossierState,
  requested: readonly RequestItem[],
  supplied: Record<string, ProvidedComponent>,
): { components: Record<string, ProvidedComponent>; keys: string[] } | Refusal {
  const keys = Object.keys(supplied);
  if (keys.length === 0) return refuse('items_required');
  const wanted = new Set(requested.map((i) => i.componentKey));
  for (const key of keys) {
    if (!wanted.has(key)) return refuse('not_requested_component', { componentKey: key });
    const def = d.procedure.components.find((c) => c.key === key)!;
    const a = assessComponent(def, supplied[key]);
    if (a.status !== 'valid' && a.status !== 'exempt') return refuse('component_invalid', { componentKey: key, assessment: a });
  }
  const components = { ...d.components, ...supplied };
  const still = [...wanted].filter((k) => {
    const def = d.procedure.components.find((c) => c.key === k)!;
    const s = assessComponent(def, components[k]).status;
    return s !== 'valid' && s !== 'exempt';
  });
  if (still.length) return refuse('supplement_incomplete', { components: still });
  return { components, keys };
}

function handOver(d: DossierState, from: number, to: number | null, actor: Actor, now: Date, env: RulesEnv): HandOver {
  const step = d.route[from]!;
  const s = stepStatus({ startedAt: step.startedAt ?? now, endedAt: now, quotaHours: step.quotaHours }, now, env, d.pauses);
  const next = to === null ? null : d.route[to]!;
  const giverRole = actor.kind === 'officer' && (STEP_ROLES as readonly string[]).includes(actor.role) ? (actor.role as StepRole) : step.role;
  return {
    fromStep: from,
    toStep: to,
    giver: { userId: actorId(actor), agency: step.agency, role: giverRole },
    receiver: next === null ? null : { agency: next.agency, role: next.role },
    stepDue: s.due,
    onTime: s.sla !== 'late',
  };
}

function resolveSteps(steps: readonly StepDefinition[], agency: string, origin: RouteStep['origin']): RouteStep[] {
  return steps.map((s) => ({
    kind: s.kind,
    name: s.name,
    role: s.role,
    agency: s.agency ?? agency,
    quotaHours: s.quotaHours,
    origin,
    startedAt: null,
    endedAt: null,
    completedBy: null,
  }));
}

function validSteps(steps: readonly StepDefinition[]): boolean {
  return (
    steps.length > 0 &&
    steps.every(
      (s) =>
        (STEP_ROLES as readonly string[]).includes(s.role) &&
        Number.isFinite(s.quotaHours) &&
        s.quotaHours >= 0 &&
        (s.agency === null || AGENCY_CODE.test(s.agency)),
    )
  );
}

function validAmount(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Creation: online submission and counter reception

function draftScope(draft: DossierDraft, actor: Actor, scope: Scope): Refusal | null {
  return scopeRefusal({ applicant: draft.applicant, receivingAgency: draft.receivingAgency, currentAgency: draft.receivingAgency, step: null }, actor, scope);
}

function baseState(draft: DossierDraft, channel: DossierState['channel']): DossierState {
  return {
    id: draft.id,
    channel,
    applicant: { ...draft.applicant },
    receivingAgency: draft.receivingAgency,
    currentAgency: draft.receivingAgency,
    procedure: draft.procedure,
    process: draft.process,
    status: 'new',
    components: { ...draft.components },
    submittedAt: null,
    receivedAt: null,
    pauses: [],
    completionRequest: null,
    supplementRequest: null,
    supplementResumeStatus: null,
    route: [],
    currentStep: null,
    financialObligation: null,
    approval: null,
    result: null,
    resultReturnedAt: null,
    apologies: [],
    closure: null,
    lastEventAt: null,
    version: 0,
  };
}

/** Agency electronic identifier: four dot-separated levels, e.g. 000.00.12.H26 (catalog's AgencyCodeSchema). */
const AGENCY_CODE = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-K][0-9]{2}$/;

/**
 * A citizen is identified by the 12-digit personal number; a business by its MST (or, for a household business,
 * the owner's 12-digit number used as tax code since TT 86/2024).
 */
function applicantRefusal(draft: DossierDraft): Refusal | null {
  const id = draft.applicant.subjectId;
  const parsed = draft.applicant.kind === 'citizen' ? parseCccd(id) : parseTaxpayerId(id);
  if (!parsed.ok) return refuse('invalid_applicant_id', { problem: parsed.code });
  if (!AGENCY_CODE.test(draft.receivingAgency) || !AGENCY_CODE.test(draft.process.agency)) return refuse('invalid_agency');
  return null;
}

/** Provided items must belong to the procedure, and none may be invalid (a failing signature cannot be submitted). */
function checkProvided(draft: DossierDraft): Refusal | null {
  const who = applicantRefusal(draft);
  if (who) return who;
  for (const key of Object.keys(draft.components)) {
    if (!draft.procedure.components.some((c) => c.key === key)) return refuse('unknown_component', { componentKey: key });
  }
  const a = assessDossier(draft.procedure.components, draft.components);
  if (a.invalid.length) return refuse('component_invalid', { components: a.invalid, assessments: a.byKey });
  return null;
}

/** Online submission (status 1). Missing components are allowed: reception may return the dossier once for them. */
export function submit(draft: DossierDraft, actor: Actor, now: Date): Decision {
  if (Number.isNaN(now.getTime())) throw new RangeError('now is not a valid date');
  if (actor.kind !== 'applicant') return refuse('actor_not_allowed');
  const denied = draftScope(draft, actor, 'own_dossier');
  if (denied) return denied;
  const bad = checkProvided(draft);
  if (bad) return bad;
  const state: DossierState = { ...baseState(draft, 'online'), submittedAt: now };
  return {
    ok: true,
    state: { ...state, lastEventAt: now, version: 1 },
    events: [event('submitted', state, actor, now, null, 'new', null, { components: Object.keys(draft.components) })],
  };
}

/** Starts the clock: builds the route from the process version, closes a leading reception step, starts the next. */
function received(d: DossierState, actor: Actor, now: Date, env: RulesEnv): { state: DossierState; event: DossierEvent } {
  const route = resolveSteps(d.process.steps, d.process.agency, 'process');
  let current = 0;
  if (route[0]?.kind === 'reception' && route.length > 1) {
    route[0] = { ...route[0], startedAt: now, endedAt: now, completedBy: actorId(actor) };
    current = 1;
  }
  route[current] = { ...route[current]!, startedAt: now };
  const state: DossierState = {
    ...d,
    status: 'received',
    receivedAt: now,
    route,
    currentStep: current,
    currentAgency: route[current]!.agency,
  };
  const promisedDue = promisedDueDate(state, now, env);
  return { state, event: event('received', state, actor, now, d.channel === 'counter' ? null : 'new', 'received', '01', { promisedDue, channel: d.channel }) };
}

/**
 * A walk-in dossier, scanned and signed at the counter, is received in the same act (status 2 at once, R1: every
 * required component must already be a valid e-document or a recorded exemption).
 */
export function receiveAtCounter(draft: DossierDraft, actor: Actor, now: Date, env: RulesEnv): Decision {
  if (Number.isNaN(now.getTime())) throw new RangeError('now is not a valid date');
  if (actor.kind !== 'officer' || actor.role !== 'counter_officer') return refuse('actor_not_allowed');
  const denied = draftScope(draft, actor, 'receiving_agency');
  if (denied) return denied;
  const bad = checkProvided(draft);
  if (bad) return bad;
  const a = assessDossier(draft.procedure.components, draft.components);
  if (!a.complete) return refuse('components_incomplete', { missing: a.missingRequired, invalid: a.invalid });
  const base: DossierState = { ...baseState(draft, 'counter'), submittedAt: now };
  const r = received(base, actor, now, env);
  return { ok: true, state: { ...r.state, lastEventAt: now, version: 1 }, events: [r.event] };
}

// ---------------------------------------------------------------------------------------------------------------
// decide

/**
 * Applies `action` by `actor` at `now`. `env.calendar` is the administrator's calendar (treated as immutable); it
 * derives the promised date, step due instants and the apology deadline.
 */
export function decide(d: DossierState, action: Action, actor: Actor, now: Date, env: RulesEnv): Decision {
  const pre = precheck(d, action.type, actor, now);
  if (pre) return pre;
  const from = d.status;
  const form = ACTION_RULES[action.type].form;
  const by = actorId(actor);

  switch (action.type) {
    case 'receive': {
      if (d.completionRequest !== null && d.completionRequest.answeredAt === null) return refuse('completion_pending');
      const a = assessDossier(d.procedure.components, d.components);
      if (!a.complete) return refuse('components_incomplete', { missing: a.missingRequired, invalid: a.invalid });
      const r = received(d, actor, now, env);
      return ok(d, r.state, now, [r.event]);
    }

    case 'refuse': {
      const reason = text(action.reason);
      if (!reason) return refuse('reason_required');
      const next: DossierState = { ...d, status: 'not_received', closure: { kind: 'refused', at: now, by, reason } };
      return ok(d, next, now, [event('refused', next, actor, now, from, 'not_received', form, { reason })]);
    }

    case 'return_for_completion': {
      if (d.completionRequest !== null) return refuse('completion_already_returned');
      const checked = checkRequestItems(d, action.items);
      if ('ok' in checked) return checked;
      const next: DossierState = { ...d, completionRequest: { at: now, by, items: checked.items, answeredAt: null } };
      return ok(d, next, now, [event('returned_for_completion', next, actor, now, from, 'new', form, { items: checked.items })]);
    }

    case 'start_processing': {
      const a = assessDossier(d.procedure.components, d.components);
      // R1: processing starts only on a complete set of valid e-documents.
      if (!a.complete) return refuse('components_incomplete', { missing: a.missingRequired, invalid: a.invalid });
      const next: DossierState = { ...d, status: 'processing' };
      return ok(d, next, now, [event('processing_started', next, actor, now, from, 'processing', null, {})]);
    }

    case 'request_supplement': {
      if (d.supplementRequest !== null) return refuse('supplement_already_requested');
      const checked = checkRequestItems(d, action.items);
      if ('ok' in checked) return checked;
      const next: DossierState = {
        ...d,
        status: 'supplement_requested',
        supplementRequest: { at: now, by, items: checked.items, answeredAt: null },
        supplementResumeStatus: from === 'received' ? 'received' : 'processing',
        pauses: [...d.pauses, { start: now, end: null }],
      };
      return ok(d, next, now, [event('supplement_requested', next, actor, now, from, 'supplement_requested', form, { items: checked.items })]);
    }

    case 'supplement': {
      if (d.status === 'new') {
        const req = d.completionRequest;
        if (req === null || req.answeredAt !== null) return refuse('invalid_state', { status: d.status });
        const r = applySupplied(d, req.items, action.components);
        if ('ok' in r) return r;
        const next: DossierState = { ...d, components: r.components, completionRequest: { ...req, answeredAt: now } };
        return ok(d, next, now, [event('completion_supplied', next, actor, now, from, 'new', null, { components: r.keys })]);
      }
      const req = d.supplementRequest!;
      const r = applySupplied(d, req.items, action.components);
      if ('ok' in r) return r;
      const open = d.pauses.find((p) => p.end === null);
      const to = d.supplementResumeStatus ?? 'processing';
      const next: DossierState = {
        ...d,
        status: to,
        components: r.components,
        supplementRequest: { ...req, answeredAt: now },
        supplementResumeStatus: null,
        // The clock resumes at the exact instant of the supplement (R5).
        pauses: closeOpenPause(d.pauses, now),
      };
      const pausedWallMs = open ? now.getTime() - open.start.getTime() : 0;
      const pausedWorkingMs = open ? workingTimeBetween(open.start, now, procedureCalendar(env.calendar, null)) : 0;
      return ok(d, next, now, [event('supplemented', next, actor, now, from, to, null, { components: r.keys, pausedWallMs, pausedWorkingMs })]);
    }

    case 'record_validation': {
      const key = action.componentKey;
      if (!d.procedure.components.some((c) => c.key === key)) return refuse('unknown_component', { componentKey: key });
      const c = d.components[key];
      if (!c || c.kind !== 'basis' || !(SIGNATURE_BASES as readonly string[]).includes(c.basis)) {
        return refuse('not_signature_based', { componentKey: key });
      }
      const updated = { ...c, validation: { ...action.validation } } as ProvidedComponent;
      const next: DossierState = { ...d, components: { ...d.components, [key]: updated } };
      return ok(d, next, now, [
        event('validation_recorded', next, actor, now, from, from, null, {
          componentKey: key,
          reportId: action.validation.reportId,
          indication: action.validation.indication,
        }),
      ]);
    }

    case 'complete_step': {
      const i = d.currentStep;
      if (i === null) return refuse('invalid_state', { status: d.status });
      if (d.route[i]!.kind === 'approval') return refuse('approval_required');
      // Handing the result back belongs after `mark_processed`: a step cannot pass the dossier to it before.
      if (i + 1 >= d.route.length || d.route[i + 1]!.kind === 'result_return') return refuse('no_next_step');
      const h = handOver(d, i, i + 1, actor, now, env);
      const route = cloneRoute(d.route);
      route[i] = { ...route[i]!, endedAt: now, completedBy: by };
      route[i + 1] = { ...route[i + 1]!, startedAt: now };
      const next: DossierState = { ...d, route, currentStep: i + 1, currentAgency: route[i + 1]!.agency };
      return ok(d, next, now, [event('step_completed', next, actor, now, from, from, null, h)]);
    }

    case 'transfer': {
      const toAgency = text(action.toAgency);
      const reason = text(action.reason);
      if (!AGENCY_CODE.test(toAgency)) return refuse('invalid_agency');
      if (toAgency === d.currentAgency) return refuse('transfer_same_agency');
      if (!validSteps(action.steps)) return refuse('transfer_steps_invalid');
      if (!reason) return refuse('reason_required');
      const i = d.currentStep;
      if (i === null) return refuse('invalid_state', { status: d.status });
      const added = resolveSteps(action.steps, toAgency, 'transfer');
      const before = cloneRoute(d.route.slice(0, i + 1));
      const after = action.returnAfter ? cloneRoute(d.route.slice(i + 1)) : [];
      const route = [...before, ...added, ...after];
      route[i] = { ...route[i]!, endedAt: now, completedBy: by };
      route[i + 1] = { ...route[i + 1]!, startedAt: now };
      const next: DossierState = { ...d, route, currentStep: i + 1, currentAgency: route[i + 1]!.agency };
      const h = handOver(next, i, i + 1, actor, now, env);
      return ok(d, next, now, [
        event('transferred', next, actor, now, from, from, null, {
          ...h,
          toAgency,
          reason,
          returnAfter: action.returnAfter,
          addedSteps: added.length,
        }),
      ]);
    }

    case 'request_financial_obligation': {
      const n = action.notice;
      if (!validAmount(n.amountVnd) || !text(n.reference)) return refuse('invalid_notice');
      if (d.financialObligation !== null && d.financialObligation.paidAt === null) return refuse('invalid_state', { status: d.status });
      const notice = { kind: n.kind, amountVnd: n.amountVnd, reference: text(n.reference) };
      const resumeStatus = from === 'processed' ? 'processed' : 'processing';
      const next: DossierState = {
        ...d,
        status: 'awaiting_financial_obligation',
        financialObligation: { notice, issuedAt: now, paidAt: null, paymentRef: null, resumeStatus },
      };
      return ok(d, next, now, [event('financial_obligation_requested', next, actor, now, from, next.status, null, { notice })]);
    }

    case 'confirm_payment': {
      const f = d.financialObligation!;
      if (!validAmount(action.amountVnd) || !text(action.paymentRef)) return refuse('invalid_notice');
      if (action.amountVnd !== f.notice.amountVnd) return refuse('payment_amount_mismatch', { expected: f.notice.amountVnd, paid: action.amountVnd });
      const paymentRef = text(action.paymentRef);
      const next: DossierState = { ...d, status: f.resumeStatus, financialObligation: { ...f, paidAt: now, paymentRef } };
      return ok(d, next, now, [event('payment_confirmed', next, actor, now, from, next.status, null, { paymentRef, amountVnd: action.amountVnd })]);
    }

    case 'approve': {
      const i = d.currentStep;
      if (i === null || d.route[i]!.kind !== 'approval') return refuse('approval_step_not_current');
      // The result stays with the competent agency until it is marked processed; only then does it go back to the
      // one-stop for return, so a following result_return step is not started here.
      const follower = d.route[i + 1];
      const nextIndex = follower !== undefined && follower.kind !== 'result_return' ? i + 1 : null;
      const h = handOver(d, i, nextIndex, actor, now, env);
      const route = cloneRoute(d.route);
      route[i] = { ...route[i]!, endedAt: now, completedBy: by };
      if (nextIndex !== null) route[nextIndex] = { ...route[nextIndex]!, startedAt: now };
      const next: DossierState = {
        ...d,
        route,
        approval: { by, at: now },
        currentStep: nextIndex,
        currentAgency: nextIndex === null ? d.currentAgency : route[nextIndex]!.agency,
      };
      return ok(d, next, now, [event('approved', next, actor, now, from, from, null, h)]);
    }

    case 'mark_processed': {
      const documentId = text(action.resultDocumentId);
      if (!documentId) return refuse('result_document_required');
      if (d.approval === null && d.route.some((s) => s.kind === 'approval')) return refuse('approval_required');
      const route = cloneRoute(d.route);
      let current = d.currentStep;
      if (current === null || route[current]!.kind !== 'result_return') {
        if (current !== null) route[current] = { ...route[current]!, endedAt: now, completedBy: by };
        // Once the result exists, only handing it back to the applicant may remain.
        const unstarted = route.map((s, k) => (s.startedAt === null ? k : -1)).filter((k) => k >= 0);
        if (unstarted.some((k) => route[k]!.kind !== 'result_return')) return refuse('steps_remaining');
        current = unstarted.length ? unstarted[0]! : null;
        if (current !== null) route[current] = { ...route[current]!, startedAt: now };
      }
      const next: DossierState = {
        ...d,
        status: 'processed',
        route,
        currentStep: current,
        currentAgency: current === null ? d.currentAgency : route[current]!.agency,
        result: { documentId, readyAt: now },
      };
      const due = dossierDeadline(d, env, now)!.due;
      return ok(d, next, now, [
        event('processed', next, actor, now, from, 'processed', null, {
          resultDocumentId: documentId,
          due,
          onTime: now.getTime() <= due.getTime(),
          receiver: current === null ? null : { agency: route[current]!.agency, role: route[current]!.role },
        }),
      ]);
    }

    case 'return_result': {
      const route = cloneRoute(d.route);
      const i = d.currentStep;
      if (i !== null) route[i] = { ...route[i]!, endedAt: now, completedBy: by };
      const next: DossierState = { ...d, status: 'result_returned', route, currentStep: null, resultReturnedAt: now };
      // Due as of now: a dossier whose result was ready in time can still be handed back late.
      const due = dossierDeadline({ ...d, result: null }, env, now)!.due;
      return ok(d, next, now, [event('result_returned', next, actor, now, from, 'result_returned', null, { due, onTime: now.getTime() <= due.getTime() })]);
    }

    case 'withdraw':
    case 'stop': {
      const reason = text(action.reason);
      if (action.type === 'stop' && !reason) return refuse('reason_required');
      const to: DossierStatus = action.type === 'stop' ? 'stopped' : 'withdrawn';
      const route = cloneRoute(d.route);
      if (d.currentStep !== null) route[d.currentStep] = { ...route[d.currentStep]!, endedAt: now };
      const next: DossierState = {
        ...d,
        status: to,
        route,
        currentStep: null,
        pauses: closeOpenPause(d.pauses, now),
        closure: { kind: action.type === 'stop' ? 'stopped' : 'withdrawn', at: now, by, reason },
      };
      return ok(d, next, now, [
        action.type === 'stop'
          ? event('stopped', next, actor, now, from, to, form, { reason })
          : event('withdrawn', next, actor, now, from, to, null, { reason }),
      ]);
    }

    case 'issue_apology': {
      const reason = text(action.reason);
      if (!reason) return refuse('reason_required');
      const ext = action.extension;
      if (!Number.isFinite(ext.value) || ext.value <= 0 || (ext.unit !== 'working_days' && ext.unit !== 'working_hours')) {
        return refuse('extension_invalid');
      }
      const before = dossierDeadline(d, env, now)!;
      // Form 04 must reach the applicant before the deadline passes.
      if (now.getTime() >= before.due.getTime()) return refuse('deadline_passed', { due: before.due });
      const next: DossierState = { ...d, apologies: [...d.apologies, { at: now, by, reason, extension: { ...ext } }] };
      const after = dossierDeadline(next, env, now)!;
      return ok(d, next, now, [
        event('apology_issued', next, actor, now, from, from, form, { reason, previousDue: before.due, newDue: after.due }),
      ]);
    }
  }
}
