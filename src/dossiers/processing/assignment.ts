/**
 * Assignment of a dossier's current step to one officer: checked against the rules (a leader of the agency holding
 * the step, an eligible officer of that agency) and recorded with its history.
 */
import type { Queryable } from '../../platform/db/db.ts';
import { defineError } from '../../platform/http/problem.ts';
import type { Actor, DossierState } from '../rules.ts';
import { assignmentRefusal, type AssignmentRefusal } from './rules.ts';

export const AssignmentErrors = {
  noCurrentStep: defineError('NO_CURRENT_STEP', 409, {
    vi: 'Hồ sơ không có bước đang xử lý để phân công',
    en: 'The dossier has no step in progress to assign',
  }),
  notStepLeader: defineError('NOT_STEP_LEADER', 403, {
    vi: 'Chỉ lãnh đạo của cơ quan đang giữ bước xử lý mới được phân công',
    en: 'Only a leader of the agency holding the step may assign it',
  }),
  assigneeNotEligible: defineError('ASSIGNEE_NOT_ELIGIBLE', 422, {
    vi: 'Người được phân công phải là cán bộ đang hoạt động của cơ quan giữ bước, có vai trò của bước',
    en: "The assignee must be an active officer of the agency holding the step, with the step's role",
  }),
};

const ERRORS: Record<AssignmentRefusal, (typeof AssignmentErrors)[keyof typeof AssignmentErrors]> = {
  no_current_step: AssignmentErrors.noCurrentStep,
  not_step_leader: AssignmentErrors.notStepLeader,
  assignee_not_eligible: AssignmentErrors.assigneeNotEligible,
};

/** The assignee's id if `assigner` may give `state`'s current step to them, else the problem to answer. */
export async function checkedAssignee(q: Queryable, state: DossierState, assigner: Actor, assigneeId: string): Promise<string> {
  if (assigner.kind !== 'officer') throw AssignmentErrors.notStepLeader();
  const r = await q.query<{ role: string; code: string | null; disabled: boolean }>(
    `SELECT u.role, a.code, u.disabled FROM app_user u LEFT JOIN agency a ON a.id = u.agency_id WHERE u.id = $1`,
    [assigneeId],
  );
  const u = r.rows[0];
  const refusal = u
    ? assignmentRefusal(state, assigner, { role: u.role, agency: u.code ?? '', disabled: u.disabled })
    : 'assignee_not_eligible';
  if (refusal) throw ERRORS[refusal]({ assignee: assigneeId });
  return assigneeId;
}

export interface AssignmentRow {
  dossierId: string;
  stepIndex: number;
  assigneeId: string;
  assignedBy: string;
  note: string | null;
  at: Date;
}

export async function recordAssignment(q: Queryable, a: AssignmentRow): Promise<void> {
  await q.query(
    'INSERT INTO dossier_assignment (dossier_id, step_index, assignee_id, assigned_by, note, at) VALUES ($1, $2, $3, $4, $5, $6)',
    [a.dossierId, a.stepIndex, a.assigneeId, a.assignedBy, a.note, a.at],
  );
}
