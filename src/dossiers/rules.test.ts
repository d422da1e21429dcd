import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ACTION_RULES,
  DOSSIER_STATUSES,
  PORTAL_STATUS_CODE,
  REFUSAL_MESSAGES,
  allowedActions,
  decide,
  dossierDeadline,
  precheck,
  receiveAtCounter,
  submit,
  type Action,
  type Actor,
  type Decision,
  type DossierState,
  type DossierStatus,
  type RefusalCode,
} from './rules.ts';
import { formatInstant } from '../calendar/time.ts';
import type { ComponentInput, StepInput } from '../catalog/schema.ts';
import type { ComponentRequirement } from '../documents/rules.ts';
import type { RequestItem, StepDefinition } from './rules.ts';
import {
  AGENCY,
  CITIZEN_ID,
  ENV,
  FAILED_DIPLOMA,
  VALID,
  agentWithConsent,
  agentWithoutConsent,
  citizen,
  counter,
  draft,
  gateway,
  justiceLeader,
  justiceSpecialist,
  leader,
  officer,
  otherCitizen,
  specialist,
  vn,
} from './rules/fixtures.ts';

// ---------------------------------------------------------------------------------------------------------------
// helpers

function accepted(d: Decision): Extract<Decision, { ok: true }> {
  if (!d.ok) throw new Error(`refused: ${d.code}`);
  return d;
}

function act(state: DossierState, action: Action, actor: Actor, at: string): DossierState {
  return accepted(decide(state, action, actor, vn(at), ENV)).state;
}

function refusal(state: DossierState, action: Action, actor: Actor, at: string): RefusalCode {
  const d = decide(state, action, actor, vn(at), ENV);
  if (d.ok) throw new Error(`accepted ${action.type}, expected a refusal`);
  expect(d.message.vi.length).toBeGreaterThan(0);
  expect(d.message.en.length).toBeGreaterThan(0);
  return d.code;
}

const RESULT_DOC = 'doc-result';
const transferToJustice: Action = {
  type: 'transfer',
  toAgency: AGENCY.justice,
  steps: [{ kind: 'appraisal', name: 'Cho ý kiến chuyên môn', role: 'specialist', agency: null, quotaHours: 16 }],
  reason: 'Lấy ý kiến Sở Tư pháp',
  returnAfter: true,
};

/** One dossier in every status, reached through accepted actions only. */
function world() {
  const s1 = accepted(submit(draft(), citizen, vn('2026-03-02T08:30'))).state;
  const s2 = act(s1, { type: 'receive' }, counter, '2026-03-02T09:00');
  const s4 = act(s2, { type: 'start_processing' }, specialist, '2026-03-02T10:00');
  const s5 = act(s4, { type: 'request_supplement', items: [{ componentKey: 'photo', reason: 'Thiếu ảnh chân dung 4x6' }] }, specialist, '2026-03-05T10:00');
  const s4b = act(s5, { type: 'supplement', components: { photo: VALID.photo } }, citizen, '2026-03-09T14:30');
  const atApproval = act(s4b, { type: 'complete_step' }, specialist, '2026-03-10T09:00');
  const approved = act(atApproval, { type: 'approve' }, leader, '2026-03-10T15:00');
  const s9 = act(approved, { type: 'mark_processed', resultDocumentId: RESULT_DOC }, leader, '2026-03-10T16:00');
  const s10 = act(s9, { type: 'return_result' }, counter, '2026-03-11T09:00');
  const s6 = act(s4, { type: 'request_financial_obligation', notice: { kind: 'charge', amountVnd: 430000, reference: 'TB-01' } }, specialist, '2026-03-03T09:00');
  const s3 = act(s1, { type: 'refuse', reason: 'Thủ tục không thuộc thẩm quyền' }, counter, '2026-03-02T09:00');
  const s7 = act(s4, { type: 'withdraw', reason: 'Không còn nhu cầu' }, citizen, '2026-03-03T09:00');
  const s8 = act(s4, { type: 'stop', reason: 'Theo đề nghị của người nộp' }, counter, '2026-03-03T09:00');
  const byStatus: Record<DossierStatus, DossierState> = {
    new: s1,
    received: s2,
    not_received: s3,
    processing: s4,
    supplement_requested: s5,
    awaiting_financial_obligation: s6,
    withdrawn: s7,
    stopped: s8,
    processed: s9,
    result_returned: s10,
  };
  return { byStatus, s1, s2, s4, s5, s4b, atApproval, approved, s6, s9, s10 };
}

const W = world();
const LATER = '2026-03-12T09:00';

// ---------------------------------------------------------------------------------------------------------------

describe('catalog rows fit the rules as they are', () => {
  it('components and steps', () => {
    const component: ComponentInput = { key: 'k', name: 'n', required: true, input: 'upload', copies: 1, acceptedBases: ['E_CERTIFIED'], exempt: null };
    const step: StepInput = { kind: 'appraisal', name: 'Thẩm định', role: 'specialist', agency: null, quotaHours: 8 };
    // Type-level: these assignments fail to compile if the catalog's shapes drift from the rules' inputs.
    const req: ComponentRequirement = component;
    const def: StepDefinition = step;
    expect([req.key, def.kind]).toEqual(['k', 'appraisal']);
  });
});

describe('statuses', () => {
  it('are the national portal codes 1–10', () => {
    expect(DOSSIER_STATUSES.map((s) => PORTAL_STATUS_CODE[s])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('the whole way: submit → receive → supplement → transfer → approve → processed → returned', () => {
  it('moves through the statuses with one event per action, each with its form', () => {
    const sub = accepted(submit(draft(), citizen, vn('2026-03-02T08:30')));
    expect(sub.state.status).toBe('new');
    expect(sub.state.receivedAt).toBeNull();
    expect(sub.events.map((e) => [e.type, e.fromStatus, e.toStatus])).toEqual([['submitted', null, 'new']]);

    const rec = accepted(decide(sub.state, { type: 'receive' }, counter, vn('2026-03-02T09:00'), ENV));
    expect(rec.state.status).toBe('received');
    expect(rec.state.receivedAt).toEqual(vn('2026-03-02T09:00'));
    // The reception step is done at the reception instant; the department's appraisal starts at once.
    expect(rec.state.route.map((s) => [s.kind, s.agency, !!s.startedAt, !!s.endedAt])).toEqual([
      ['reception', AGENCY.branch, true, true],
      ['appraisal', AGENCY.health, true, false],
      ['approval', AGENCY.health, false, false],
      ['result_return', AGENCY.branch, false, false],
    ]);
    expect(rec.state.currentAgency).toBe(AGENCY.health);
    const e = rec.events[0]!;
    expect(e.type === 'received' && formatInstant(e.detail.promisedDue)).toBe('2026-03-16T09:00:00+07:00');
    expect(e.form).toBe('01');

    const s5 = W.s5;
    expect(s5.status).toBe('supplement_requested');
    expect(s5.pauses).toEqual([{ start: vn('2026-03-05T10:00'), end: null }]);
    expect(W.s4b.status).toBe('processing');
    expect(W.s4b.pauses).toEqual([{ start: vn('2026-03-05T10:00'), end: vn('2026-03-09T14:30') }]);
    expect(W.s4b.supplementRequest?.answeredAt).toEqual(vn('2026-03-09T14:30'));

    // Liên thông: the Department of Justice gives its opinion on the same e-documents, then it comes back.
    const tr = accepted(decide(W.s4b, transferToJustice, specialist, vn('2026-03-09T15:00'), ENV));
    expect(tr.state.currentAgency).toBe(AGENCY.justice);
    expect(tr.state.route.map((s) => `${s.kind}@${s.agency}:${s.origin}`)).toEqual([
      `reception@${AGENCY.branch}:process`,
      `appraisal@${AGENCY.health}:process`,
      `appraisal@${AGENCY.justice}:transfer`,
      `approval@${AGENCY.health}:process`,
      `result_return@${AGENCY.branch}:process`,
    ]);
    expect(tr.state.components).toBe(W.s4b.components);
    const t = tr.events[0]!;
    expect(t.type).toBe('transferred');
    expect(t.type === 'transferred' && [t.detail.giver.agency, t.detail.receiver?.agency, t.detail.onTime]).toEqual([AGENCY.health, AGENCY.justice, true]);

    const back = act(tr.state, { type: 'complete_step' }, justiceSpecialist, '2026-03-10T10:00');
    expect(back.currentAgency).toBe(AGENCY.health);
    expect(back.route[back.currentStep!]!.kind).toBe('approval');

    const ap = accepted(decide(back, { type: 'approve' }, leader, vn('2026-03-10T15:00'), ENV));
    expect(ap.state.approval).toEqual({ by: 'leader-1', at: vn('2026-03-10T15:00') });
    expect(ap.state.currentStep).toBeNull();

    const done = accepted(decide(ap.state, { type: 'mark_processed', resultDocumentId: RESULT_DOC }, leader, vn('2026-03-10T16:00'), ENV));
    expect(done.state.status).toBe('processed');
    expect(done.state.result).toEqual({ documentId: RESULT_DOC, readyAt: vn('2026-03-10T16:00') });
    expect(done.state.currentAgency).toBe(AGENCY.branch);
    expect(done.state.route[done.state.currentStep!]!.kind).toBe('result_return');

    const ret = accepted(decide(done.state, { type: 'return_result' }, counter, vn('2026-03-11T09:00'), ENV));
    expect(ret.state.status).toBe('result_returned');
    expect(ret.state.route.every((s) => s.startedAt && s.endedAt)).toBe(true);
    expect(ret.state.version).toBe(done.state.version + 1);
  });

  it('a hand-over after the step quota is marked late (control sheet, form 06)', () => {
    // Appraisal: 48 working hours from Mon 02/03 09:00 → Tue 10/03 09:00, plus the 19.5 h supplement pause → Thu 12/03 13:30.
    const late = accepted(decide(W.s4b, { type: 'complete_step' }, specialist, vn('2026-03-13T09:00'), ENV)).events[0]!;
    expect(late.type === 'step_completed' && [formatInstant(late.detail.stepDue), late.detail.onTime]).toEqual(['2026-03-12T13:30:00+07:00', false]);
    const onTime = accepted(decide(W.s4b, { type: 'complete_step' }, specialist, vn('2026-03-11T11:00'), ENV)).events[0]!;
    expect(onTime.type === 'step_completed' && onTime.detail.onTime).toBe(true);
  });

  it('financial obligation: 4 → 6 → 4, and 9 → 6 → 9', () => {
    expect(W.s6.status).toBe('awaiting_financial_obligation');
    const paid = accepted(decide(W.s6, { type: 'confirm_payment', paymentRef: 'PAY-1', amountVnd: 430000 }, gateway, vn('2026-03-03T10:00'), ENV));
    expect(paid.state.status).toBe('processing');
    expect(paid.state.financialObligation?.paidAt).toEqual(vn('2026-03-03T10:00'));
    expect(paid.events[0]!.actor).toEqual({ kind: 'system', service: 'payment_gateway' });
    // Once processed, the dossier is back at the one-stop branch, which relays the tax notice.
    const s6b = act(W.s9, { type: 'request_financial_obligation', notice: { kind: 'tax', amountVnd: 1_000_000, reference: 'TB-THUE-7' } }, counter, LATER);
    expect(act(s6b, { type: 'confirm_payment', paymentRef: 'QUAY-1', amountVnd: 1_000_000 }, counter, LATER).status).toBe('processed');
  });

  it('reception: return for completion once, the applicant completes, then reception', () => {
    const missing = accepted(submit(draft({ application: VALID.application, 'id-card': VALID['id-card'] }), citizen, vn('2026-03-02T08:00'))).state;
    expect(refusal(missing, { type: 'receive' }, counter, '2026-03-02T09:00')).toBe('components_incomplete');
    const back = accepted(decide(missing, { type: 'return_for_completion', items: [{ componentKey: 'diploma', reason: 'Chưa có bản sao văn bằng' }] }, counter, vn('2026-03-02T09:00'), ENV));
    expect(back.state.status).toBe('new');
    expect(back.events[0]!.form).toBe('02');
    expect(refusal(back.state, { type: 'receive' }, counter, '2026-03-02T09:30')).toBe('completion_pending');
    const completed = act(back.state, { type: 'supplement', components: { diploma: VALID.diploma } }, agentWithConsent, '2026-03-02T10:00');
    expect(completed.completionRequest?.answeredAt).toEqual(vn('2026-03-02T10:00'));
    expect(completed.receivedAt).toBeNull();
    expect(refusal(completed, { type: 'return_for_completion', items: [{ componentKey: 'photo', reason: 'x' }] }, counter, '2026-03-02T10:30')).toBe(
      'completion_already_returned',
    );
    expect(act(completed, { type: 'receive' }, counter, '2026-03-02T10:30').status).toBe('received');
  });

  it('counter reception of a walk-in dossier is reception in the same act', () => {
    const d = accepted(receiveAtCounter(draft({ ...VALID }), counter, vn('2026-03-02T16:00'), ENV));
    expect(d.state.status).toBe('received');
    expect(d.state.channel).toBe('counter');
    expect(d.events.map((e) => [e.type, e.fromStatus, e.form])).toEqual([['received', null, '01']]);
    // After the 15:00 cut-off: counted from Tuesday 08:00.
    const e = d.events[0]!;
    expect(e.type === 'received' && formatInstant(e.detail.promisedDue)).toBe('2026-03-17T08:00:00+07:00');
    expect(receiveAtCounter(draft({ application: VALID.application }), counter, vn('2026-03-02T09:00'), ENV)).toMatchObject({ ok: false, code: 'components_incomplete' });
    expect(receiveAtCounter(draft(), specialist, vn('2026-03-02T09:00'), ENV)).toMatchObject({ ok: false, code: 'actor_not_allowed' });
    expect(receiveAtCounter(draft(), officer('counter_officer', AGENCY.otherBranch), vn('2026-03-02T09:00'), ENV)).toMatchObject({ ok: false, code: 'out_of_scope' });
  });

  it('refusal at reception (form 03), stop (form 05), withdrawal, apology (form 04)', () => {
    expect(W.byStatus.not_received.closure).toMatchObject({ kind: 'refused', reason: 'Thủ tục không thuộc thẩm quyền' });
    expect(W.byStatus.stopped.closure?.kind).toBe('stopped');
    expect(accepted(decide(W.s4, { type: 'stop', reason: 'Theo đề nghị' }, leader, vn('2026-03-03T09:00'), ENV)).events[0]!.form).toBe('05');
    const w = accepted(decide(W.s5, { type: 'withdraw', reason: '' }, agentWithConsent, vn('2026-03-06T09:00'), ENV)).state;
    // Withdrawing while the clock is paused closes the pause: no pause is left open on a closed dossier.
    expect(w.pauses).toEqual([{ start: vn('2026-03-05T10:00'), end: vn('2026-03-06T09:00') }]);
    expect(w.currentStep).toBeNull();
    const ap = accepted(decide(W.s4, { type: 'issue_apology', reason: 'Cần xác minh thêm', extension: { value: 3, unit: 'working_days' } }, specialist, vn('2026-03-13T09:00'), ENV));
    const ev = ap.events[0]!;
    expect(ev.form).toBe('04');
    expect(ev.type === 'apology_issued' && [formatInstant(ev.detail.previousDue), formatInstant(ev.detail.newDue)]).toEqual([
      '2026-03-16T09:00:00+07:00',
      '2026-03-19T09:00:00+07:00',
    ]);
    expect(formatInstant(dossierDeadline(ap.state, ENV, vn('2026-03-13T09:00'))!.due)).toBe('2026-03-19T09:00:00+07:00');
  });

  it('a failed re-validation makes a component supplementable and blocks processing (R1)', () => {
    const s2bad = act(W.s2, { type: 'record_validation', componentKey: 'diploma', validation: { reportId: 'rep-2', indication: 'TOTAL_FAILED' } }, specialist, '2026-03-02T09:30');
    expect(refusal(s2bad, { type: 'start_processing' }, specialist, '2026-03-02T10:00')).toBe('components_incomplete');
    const s5 = act(s2bad, { type: 'request_supplement', items: [{ componentKey: 'diploma', reason: 'Chữ ký số của bản chứng thực không hợp lệ' }] }, specialist, '2026-03-02T10:00');
    expect(s5.supplementResumeStatus).toBe('received');
    expect(refusal(s5, { type: 'supplement', components: { diploma: FAILED_DIPLOMA } }, citizen, '2026-03-03T10:00')).toBe('component_invalid');
    expect(refusal(s5, { type: 'supplement', components: { photo: VALID.photo } }, citizen, '2026-03-03T10:00')).toBe('not_requested_component');
    const back = act(s5, { type: 'supplement', components: { diploma: VALID.diploma } }, counter, '2026-03-03T10:00');
    expect(back.status).toBe('received');
    expect(act(back, { type: 'start_processing' }, specialist, '2026-03-03T10:30').status).toBe('processing');
    expect(refusal(W.s4, { type: 'record_validation', componentKey: 'application', validation: { reportId: 'r', indication: 'TOTAL_PASSED' } }, specialist, LATER)).toBe(
      'not_signature_based',
    );
    expect(refusal(W.s4, { type: 'record_validation', componentKey: 'nope', validation: { reportId: 'r', indication: 'TOTAL_PASSED' } }, specialist, LATER)).toBe('unknown_component');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Every action × every status

/** The from-states, written out from docs/lifecycle.md independently of ACTION_RULES. */
const EXPECTED_FROM: Record<Action['type'], DossierStatus[]> = {
  receive: ['new'],
  refuse: ['new'],
  return_for_completion: ['new'],
  start_processing: ['received'],
  request_supplement: ['received', 'processing'],
  supplement: ['new', 'supplement_requested'],
  record_validation: ['new', 'received', 'processing', 'supplement_requested'],
  complete_step: ['processing'],
  transfer: ['processing'],
  request_financial_obligation: ['processing', 'processed'],
  confirm_payment: ['awaiting_financial_obligation'],
  approve: ['processing'],
  mark_processed: ['processing'],
  return_result: ['processed'],
  withdraw: ['new', 'received', 'processing', 'supplement_requested', 'awaiting_financial_obligation'],
  stop: ['received', 'processing', 'supplement_requested', 'awaiting_financial_obligation'],
  issue_apology: ['received', 'processing', 'supplement_requested', 'awaiting_financial_obligation'],
};
const CLOSED: DossierStatus[] = ['not_received', 'withdrawn', 'stopped', 'result_returned'];
const NEEDS_NO_RESULT: Action['type'][] = ['request_supplement', 'supplement', 'record_validation', 'transfer', 'approve', 'mark_processed', 'withdraw', 'stop', 'issue_apology'];

const AGENCIES = [AGENCY.branch, AGENCY.health, AGENCY.justice];
const OFFICER_ROLES = ['counter_officer', 'specialist', 'leader', 'supervisor', 'inspector', 'admin'] as const;
const business: Actor = { kind: 'applicant', role: 'business', userId: 'u-biz', subjectId: CITIZEN_ID };
const EVERYONE: Actor[] = [
  citizen,
  business,
  agentWithConsent,
  gateway,
  ...OFFICER_ROLES.flatMap((r) => AGENCIES.map((a) => officer(r, a))),
];
const roleOf = (a: Actor) => (a.kind === 'system' ? a.service : a.role);

describe('every action in every status', () => {
  it('the rules table matches the documented from-states', () => {
    for (const [type, from] of Object.entries(EXPECTED_FROM)) expect([...ACTION_RULES[type as Action['type']].from].sort()).toEqual([...from].sort());
  });

  for (const type of Object.keys(EXPECTED_FROM) as Action['type'][]) {
    it(`${type}: allowed exactly in ${EXPECTED_FROM[type].join(', ')}`, () => {
      for (const status of DOSSIER_STATUSES) {
        // Approval needs the dossier at its approval step; every other action is tried on the plain state.
        const state = type === 'approve' && status === 'processing' ? W.atApproval : W.byStatus[status];
        const results = EVERYONE.map((a) => precheck(state, type, a, vn(LATER)));
        const allowed = results.some((r) => r === null);
        const hasResult = state.result !== null;
        const expected = EXPECTED_FROM[type].includes(status) && !(hasResult && NEEDS_NO_RESULT.includes(type));
        expect({ status, allowed }).toEqual({ status, allowed: expected });
        if (!expected) {
          const wanted: RefusalCode = CLOSED.includes(status) ? 'dossier_closed' : hasResult && NEEDS_NO_RESULT.includes(type) ? 'result_exists' : 'invalid_state';
          // Whoever tries, the refusal is about the dossier.
          expect(new Set(results.map((r) => r!.code))).toEqual(new Set([wanted]));
        }
      }
    });
  }
});

describe('who may act: every role on every action', () => {
  const cases: [Action['type'], DossierState, string[]][] = [
    ['receive', W.s1, ['counter_officer']],
    ['refuse', W.s1, ['counter_officer']],
    ['return_for_completion', W.s1, ['counter_officer']],
    ['start_processing', W.s2, ['specialist']],
    ['request_supplement', W.s4, ['counter_officer', 'specialist', 'leader']],
    ['supplement', W.s5, ['citizen', 'business', 'agent', 'counter_officer']],
    ['record_validation', W.s4, ['counter_officer', 'specialist', 'leader']],
    ['complete_step', W.s4, ['specialist']],
    ['transfer', W.s4, ['specialist']],
    ['request_financial_obligation', W.s4, ['counter_officer', 'specialist', 'leader']],
    ['confirm_payment', W.s6, ['payment_gateway', 'counter_officer', 'specialist', 'leader']],
    ['approve', W.atApproval, ['leader']],
    ['mark_processed', W.approved, ['counter_officer', 'specialist', 'leader']],
    ['return_result', W.s9, ['counter_officer', 'citizen', 'business', 'agent']],
    ['withdraw', W.s4, ['citizen', 'business', 'agent']],
    ['stop', W.s4, ['counter_officer', 'leader']],
    ['issue_apology', W.s4, ['specialist', 'leader']],
  ];
  for (const [type, state, roles] of cases) {
    it(`${type}: ${roles.join(', ')}`, () => {
      const allowedRoles = [...new Set(EVERYONE.filter((a) => precheck(state, type, a, vn(LATER)) === null).map(roleOf))].sort();
      expect(allowedRoles).toEqual([...roles].sort());
      // Every other role is refused for its role, or (a step role elsewhere) for its scope or for not holding the step.
      for (const a of EVERYONE.filter((x) => !roles.includes(roleOf(x)))) {
        const code = precheck(state, type, a, vn(LATER))!.code;
        if (a.kind === 'officer' && ['counter_officer', 'specialist', 'leader'].includes(a.role)) expect(['out_of_scope', 'step_role_mismatch', 'actor_not_allowed']).toContain(code);
        else expect(code).toBe('actor_not_allowed');
      }
    });
  }

  it('allowedActions lists what the actor may do now', () => {
    expect(allowedActions(W.s4, specialist, vn(LATER)).sort()).toEqual(
      ['complete_step', 'issue_apology', 'record_validation', 'request_financial_obligation', 'request_supplement', 'transfer', 'mark_processed'].sort(),
    );
    expect(allowedActions(W.s4, citizen, vn(LATER))).toEqual(['withdraw']);
    expect(allowedActions(W.s10, counter, vn(LATER))).toEqual([]);
  });
});

describe('scope: the agency holding the dossier, the receiving branch, one’s own dossier', () => {
  it('officers of another agency are out of scope', () => {
    expect(refusal(W.s1, { type: 'receive' }, officer('counter_officer', AGENCY.otherBranch), LATER)).toBe('out_of_scope');
    expect(refusal(W.s2, { type: 'start_processing' }, justiceSpecialist, LATER)).toBe('out_of_scope');
    expect(refusal(W.s4, { type: 'request_supplement', items: [{ componentKey: 'photo', reason: 'x' }] }, justiceSpecialist, LATER)).toBe('out_of_scope');
    expect(refusal(W.s4, { type: 'stop', reason: 'x' }, justiceLeader, LATER)).toBe('out_of_scope');
    expect(refusal(W.s9, { type: 'return_result' }, officer('counter_officer', AGENCY.otherBranch), LATER)).toBe('out_of_scope');
  });

  it('the step holder’s role is required for step actions', () => {
    expect(refusal(W.s4, { type: 'complete_step' }, leader, LATER)).toBe('step_role_mismatch');
    expect(refusal(W.atApproval, { type: 'approve' }, justiceLeader, LATER)).toBe('out_of_scope');
  });

  it('applicants act on their own dossier only; an agent needs recorded consent', () => {
    expect(refusal(W.s4, { type: 'withdraw', reason: '' }, otherCitizen, LATER)).toBe('out_of_scope');
    expect(refusal(W.s4, { type: 'withdraw', reason: '' }, agentWithoutConsent, LATER)).toBe('consent_required');
    expect(submit(draft(), otherCitizen, vn(LATER))).toMatchObject({ ok: false, code: 'out_of_scope' });
    expect(submit(draft(), agentWithoutConsent, vn(LATER))).toMatchObject({ ok: false, code: 'consent_required' });
    expect(submit(draft(), counter, vn(LATER))).toMatchObject({ ok: false, code: 'actor_not_allowed' });
    expect(accepted(submit(draft(), agentWithConsent, vn(LATER))).events[0]!.actor).toMatchObject({ role: 'agent', onBehalfOf: CITIZEN_ID });
  });

  it('officers may not submit, applicants may not decide', () => {
    expect(refusal(W.s1, { type: 'receive' }, citizen, LATER)).toBe('actor_not_allowed');
    expect(refusal(W.s4, { type: 'approve' }, citizen, LATER)).toBe('actor_not_allowed');
    expect(refusal(W.s6, { type: 'confirm_payment', paymentRef: 'x', amountVnd: 430000 }, citizen, LATER)).toBe('actor_not_allowed');
    expect(refusal(W.s4, { type: 'withdraw', reason: '' }, officer('admin', AGENCY.health), LATER)).toBe('actor_not_allowed');
  });
});

describe('the one supplement and no paper (R3, R4)', () => {
  const ask = (componentKey: string, reason = 'Lý do') => ({ type: 'request_supplement' as const, items: [{ componentKey, reason }] });

  it('a second supplement request is refused', () => {
    expect(refusal(W.s5, ask('photo'), specialist, LATER)).toBe('invalid_state');
    expect(refusal(W.s4b, ask('photo'), specialist, LATER)).toBe('supplement_already_requested');
    // The reception's completion request does not count as the supplement, and vice versa.
    expect(W.s4b.completionRequest).toBeNull();
  });

  it('a request naming a component with a valid e-version is refused and flagged as an R3 violation', () => {
    const d = decide(W.s4, ask('diploma', 'Đề nghị nộp bản gốc để đối chiếu'), specialist, vn(LATER), ENV);
    expect(d).toMatchObject({ ok: false, code: 'supplement_names_valid_component', violation: 'R3', details: { componentKey: 'diploma' } });
    // Even when listed together with a legitimately missing one.
    const mixed = decide(W.s4, { type: 'request_supplement', items: [{ componentKey: 'photo', reason: 'Thiếu ảnh' }, { componentKey: 'application', reason: 'Nộp lại' }] }, specialist, vn(LATER), ENV);
    expect(mixed).toMatchObject({ ok: false, code: 'supplement_names_valid_component', violation: 'R3' });
    // Whatever else is wrong with the request (here: no reason), the attempt is flagged.
    expect(decide(W.s4, { type: 'request_supplement', items: [{ componentKey: 'photo', reason: '' }, { componentKey: 'diploma', reason: '' }] }, specialist, vn(LATER), ENV)).toMatchObject({
      code: 'supplement_names_valid_component',
      violation: 'R3',
      details: { components: ['diploma'] },
    });
    // At reception too.
    expect(decide(W.s1, { type: 'return_for_completion', items: [{ componentKey: 'diploma', reason: 'Bản giấy' }] }, counter, vn(LATER), ENV)).toMatchObject({
      ok: false,
      code: 'supplement_names_valid_component',
      violation: 'R3',
    });
  });

  it('asking for a shown-only (exempt) paper is refused as a paper request', () => {
    expect(decide(W.s4, ask('id-card', 'Nộp bản sao thẻ căn cước'), specialist, vn(LATER), ENV)).toMatchObject({
      ok: false,
      code: 'supplement_names_exempt_component',
      violation: 'R3',
    });
  });

  it('items must be known, distinct, with a reason', () => {
    expect(refusal(W.s4, { type: 'request_supplement', items: [] }, specialist, LATER)).toBe('items_required');
    expect(refusal(W.s4, ask('unknown'), specialist, LATER)).toBe('unknown_component');
    expect(refusal(W.s4, ask('photo', '   '), specialist, LATER)).toBe('reason_required');
    expect(refusal(W.s4, { type: 'request_supplement', items: [{ componentKey: 'photo', reason: 'a' }, { componentKey: 'photo', reason: 'b' }] }, specialist, LATER)).toBe(
      'duplicate_item',
    );
  });

  it('the applicant must supply every requested item validly', () => {
    expect(refusal(W.s5, { type: 'supplement', components: {} }, citizen, '2026-03-06T09:00')).toBe('items_required');
    expect(refusal(W.s5, { type: 'supplement', components: { diploma: VALID.diploma } }, citizen, '2026-03-06T09:00')).toBe('not_requested_component');
    const badPhoto = { ...VALID.photo, validation: { reportId: 'r', indication: 'INDETERMINATE' as const } };
    expect(refusal(W.s5, { type: 'supplement', components: { photo: badPhoto } }, citizen, '2026-03-06T09:00')).toBe('component_invalid');
  });

  it('the types offer no paper variant and no waiting-for-paper status', () => {
    // A request item names a component and says why — nothing else (type-checked: a new field fails to compile).
    expectTypeOf<keyof RequestItem>().toEqualTypeOf<'componentKey' | 'reason'>();
    expect(DOSSIER_STATUSES.some((s) => /paper|giay/i.test(s))).toBe(false);
    expect(Object.keys(ACTION_RULES).some((s) => /paper|original/i.test(s))).toBe(false);
  });
});

describe('after stop, withdrawal and result', () => {
  const everyAction: Action[] = [
    { type: 'receive' },
    { type: 'start_processing' },
    { type: 'request_supplement', items: [{ componentKey: 'photo', reason: 'x' }] },
    { type: 'complete_step' },
    { type: 'withdraw', reason: '' },
    { type: 'stop', reason: 'x' },
    { type: 'issue_apology', reason: 'x', extension: { value: 1, unit: 'working_days' } },
    { type: 'return_result' },
  ];
  it('nothing is accepted on a closed dossier', () => {
    for (const status of CLOSED) {
      for (const a of everyAction) for (const who of [citizen, counter, specialist, leader]) expect(refusal(W.byStatus[status], a, who, LATER)).toBe('dossier_closed');
    }
  });

  it('once a result exists the applicant can no longer withdraw or be stopped', () => {
    expect(refusal(W.s9, { type: 'withdraw', reason: '' }, citizen, LATER)).toBe('result_exists');
    expect(refusal(W.s9, { type: 'stop', reason: 'x' }, counter, LATER)).toBe('result_exists');
    expect(refusal(W.s9, { type: 'request_supplement', items: [{ componentKey: 'photo', reason: 'x' }] }, specialist, LATER)).toBe('result_exists');
    const s6 = act(W.s9, { type: 'request_financial_obligation', notice: { kind: 'tax', amountVnd: 5, reference: 'x' } }, counter, LATER);
    expect(refusal(s6, { type: 'withdraw', reason: '' }, citizen, LATER)).toBe('result_exists');
  });
});

describe('other refusals', () => {
  it('time never runs backwards on a dossier', () => {
    expect(refusal(W.s4, { type: 'complete_step' }, specialist, '2026-03-02T09:59')).toBe('clock_regression');
  });

  it('payload checks', () => {
    expect(refusal(W.s1, { type: 'refuse', reason: ' ' }, counter, LATER)).toBe('reason_required');
    expect(refusal(W.s4, { type: 'stop', reason: '' }, counter, LATER)).toBe('reason_required');
    expect(refusal(W.s4, { ...transferToJustice, toAgency: AGENCY.health } as Action, specialist, LATER)).toBe('transfer_same_agency');
    expect(refusal(W.s4, { ...transferToJustice, steps: [] } as Action, specialist, LATER)).toBe('transfer_steps_invalid');
    expect(refusal(W.s4, { ...transferToJustice, steps: [{ kind: 'review', name: 'x', role: 'admin' as 'leader', agency: null, quotaHours: 1 }] } as Action, specialist, LATER)).toBe(
      'transfer_steps_invalid',
    );
    expect(refusal(W.s4, { ...transferToJustice, reason: '' } as Action, specialist, LATER)).toBe('reason_required');
    expect(refusal(W.s4, { type: 'request_financial_obligation', notice: { kind: 'fee', amountVnd: 0, reference: 'x' } }, specialist, LATER)).toBe('invalid_notice');
    expect(refusal(W.s4, { type: 'request_financial_obligation', notice: { kind: 'fee', amountVnd: 10.5, reference: 'x' } }, specialist, LATER)).toBe('invalid_notice');
    expect(refusal(W.s6, { type: 'confirm_payment', paymentRef: 'p', amountVnd: 400000 }, gateway, LATER)).toBe('payment_amount_mismatch');
    expect(refusal(W.atApproval, { type: 'complete_step' }, leader, LATER)).toBe('approval_required');
    expect(refusal(W.s4, { type: 'approve' }, leader, LATER)).toBe('step_role_mismatch');
    expect(refusal(W.s4, { type: 'mark_processed', resultDocumentId: 'x' }, specialist, LATER)).toBe('approval_required');
    expect(refusal(W.approved, { type: 'mark_processed', resultDocumentId: ' ' }, leader, LATER)).toBe('result_document_required');
    expect(refusal(W.s4, { type: 'issue_apology', reason: 'x', extension: { value: 0, unit: 'working_days' } }, specialist, LATER)).toBe('extension_invalid');
    expect(refusal(W.s4, { type: 'issue_apology', reason: '', extension: { value: 1, unit: 'working_days' } }, specialist, LATER)).toBe('reason_required');
  });

  it('an apology after the deadline is refused', () => {
    // Promised Mon 16/03 09:00 with no pause on this branch of the world.
    expect(refusal(W.s4, { type: 'issue_apology', reason: 'x', extension: { value: 1, unit: 'working_days' } }, specialist, '2026-03-16T09:00')).toBe('deadline_passed');
    expect(act(W.s4, { type: 'issue_apology', reason: 'x', extension: { value: 1, unit: 'working_days' } }, specialist, '2026-03-16T08:59').apologies).toHaveLength(1);
  });

  it('approval only at an approval step; the result only when no work step remains', () => {
    expect(refusal(W.approved, { type: 'approve' }, leader, LATER)).toBe('approval_step_not_current');
    const twoSteps = draft();
    twoSteps.process = {
      ...twoSteps.process,
      steps: [
        { kind: 'appraisal', name: 'Thẩm định', role: 'specialist', agency: null, quotaHours: 8 },
        { kind: 'review', name: 'Kiểm tra', role: 'specialist', agency: null, quotaHours: 8 },
      ],
    };
    let s = accepted(submit(twoSteps, citizen, vn('2026-03-02T08:00'))).state;
    s = act(s, { type: 'receive' }, counter, '2026-03-02T09:00');
    s = act(s, { type: 'start_processing' }, specialist, '2026-03-02T09:10');
    expect(refusal(s, { type: 'mark_processed', resultDocumentId: 'r' }, specialist, '2026-03-02T10:00')).toBe('steps_remaining');
    s = act(s, { type: 'complete_step' }, specialist, '2026-03-02T10:00');
    expect(act(s, { type: 'mark_processed', resultDocumentId: 'r' }, specialist, '2026-03-02T11:00').status).toBe('processed');
  });

  it('a supplement must answer every item of the request', () => {
    const bad = act(W.s4, { type: 'record_validation', componentKey: 'diploma', validation: { reportId: 'r9', indication: 'TOTAL_FAILED' } }, specialist, '2026-03-03T09:00');
    const asked = act(
      bad,
      { type: 'request_supplement', items: [{ componentKey: 'photo', reason: 'Thiếu ảnh' }, { componentKey: 'diploma', reason: 'Chữ ký không hợp lệ' }] },
      specialist,
      '2026-03-03T09:30',
    );
    expect(refusal(asked, { type: 'supplement', components: { photo: VALID.photo } }, citizen, '2026-03-04T09:00')).toBe('supplement_incomplete');
    expect(act(asked, { type: 'supplement', components: { photo: VALID.photo, diploma: VALID.diploma } }, citizen, '2026-03-04T09:00').status).toBe('processing');
  });

  it('a process without an approval step: the last step cannot be completed, only marked processed', () => {
    const noApproval = draft();
    noApproval.process = { ...noApproval.process, steps: noApproval.process.steps.filter((s) => s.kind !== 'approval') };
    let s = accepted(submit(noApproval, citizen, vn('2026-03-02T08:00'))).state;
    s = act(s, { type: 'receive' }, counter, '2026-03-02T09:00');
    s = act(s, { type: 'start_processing' }, specialist, '2026-03-02T09:10');
    expect(refusal(s, { type: 'complete_step' }, specialist, '2026-03-02T10:00')).toBe('no_next_step');
    expect(act(s, { type: 'mark_processed', resultDocumentId: 'r' }, specialist, '2026-03-02T10:00').status).toBe('processed');
  });

  it('a transfer that does not come back leaves the receiving agency to finish', () => {
    const s = act(W.s4, { ...transferToJustice, returnAfter: false } as Action, specialist, '2026-03-03T09:00');
    expect(s.route.map((r) => r.kind)).toEqual(['reception', 'appraisal', 'appraisal']);
    expect(refusal(s, { type: 'complete_step' }, justiceSpecialist, '2026-03-03T10:00')).toBe('no_next_step');
    const done = act(s, { type: 'mark_processed', resultDocumentId: 'r' }, justiceSpecialist, '2026-03-03T10:00');
    expect([done.status, done.currentStep]).toEqual(['processed', null]);
  });

  it('applicant identifiers and agency codes are checked when the dossier is created or transferred', () => {
    expect(submit({ ...draft(), applicant: { subjectId: '999085012345', kind: 'citizen' } }, { ...citizen, subjectId: '999085012345' }, vn(LATER))).toMatchObject({
      ok: false,
      code: 'invalid_applicant_id',
      details: { problem: 'cccd_unknown_province' },
    });
    const biz: Actor = { kind: 'applicant', role: 'business', userId: 'u-b', subjectId: '0100109106' };
    expect(submit({ ...draft(), applicant: { subjectId: '0100109106', kind: 'business' } }, biz, vn(LATER)).ok).toBe(true);
    expect(submit({ ...draft(), applicant: { subjectId: '0312345678', kind: 'business' } }, { ...biz, subjectId: '0312345678' }, vn(LATER))).toMatchObject({
      code: 'invalid_applicant_id',
      details: { problem: 'tax_code_check_digit' },
    });
    expect(receiveAtCounter({ ...draft({ ...VALID }), receivingAgency: 'chi-nhanh-1' }, { ...counter, agency: 'chi-nhanh-1' }, vn(LATER), ENV)).toMatchObject({ code: 'invalid_agency' });
    expect(refusal(W.s4, { ...transferToJustice, toAgency: 'So Tu phap' } as Action, specialist, LATER)).toBe('invalid_agency');
  });

  it('submission with an invalid (failing signature) component is refused', () => {
    expect(submit(draft({ ...VALID, diploma: FAILED_DIPLOMA }), citizen, vn(LATER))).toMatchObject({ ok: false, code: 'component_invalid', details: { components: ['diploma'] } });
    expect(submit(draft({ ...VALID, other: VALID.photo }), citizen, vn(LATER))).toMatchObject({ ok: false, code: 'unknown_component' });
  });

  it('every refusal code has both messages, in NFC', () => {
    for (const m of Object.values(REFUSAL_MESSAGES)) {
      expect(m.vi.normalize('NFC')).toBe(m.vi);
      expect(m.vi && m.en).toBeTruthy();
    }
  });
});
