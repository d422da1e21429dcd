/**
 * A small, realistic world for the lifecycle rules' tests and demos: one one-stop branch, a competent department,
 * a second department for transfers, a procedure with four components and a four-step process, and one actor per
 * role and agency. Pure data.
 */
import { defaultCalendarConfig, frozenCalendarConfig } from '../../calendar/rules.ts';
import type { ProvidedComponent } from '../../documents/rules.ts';
import type { RulesEnv } from './deadline.ts';
import type { ApplicantActor, DossierDraft, OfficerActor, OfficerRole, ProcedureSnapshot, ProcessVersion, SystemActor } from './types.ts';

export const AGENCY = {
  branch: '000.01.30.H26',
  otherBranch: '000.02.30.H26',
  health: '000.00.12.H26',
  justice: '000.00.13.H26',
} as const;

export const ENV: RulesEnv = { calendar: frozenCalendarConfig(defaultCalendarConfig()) };

export const PROCEDURE: ProcedureSnapshot = {
  key: 'cap-giay-phep-hanh-nghe',
  deadline: { value: 10, unit: 'working_days' },
  cutoff: '15:00',
  components: [
    { key: 'application', name: 'Đơn đề nghị', required: true, acceptedBases: ['SELF_DECLARED'], exempt: null },
    { key: 'diploma', name: 'Bản sao văn bằng chuyên môn', required: true, acceptedBases: ['E_CERTIFIED', 'ECOPY_FROM_REGISTER', 'DIGITIZED_SIGNED', 'REUSED'], exempt: null },
    { key: 'photo', name: 'Ảnh chân dung', required: false, acceptedBases: ['DIGITIZED_SIGNED', 'REUSED'], exempt: null },
    { key: 'id-card', name: 'Thẻ căn cước (xuất trình)', required: true, acceptedBases: [], exempt: { reason: 'SHOWN_ONLY', note: null } },
  ],
};

export const PROCESS: ProcessVersion = {
  agency: AGENCY.health,
  versionId: 'process-health-v1',
  steps: [
    { kind: 'reception', name: 'Tiếp nhận hồ sơ', role: 'counter_officer', agency: AGENCY.branch, quotaHours: 4 },
    { kind: 'appraisal', name: 'Thẩm định hồ sơ', role: 'specialist', agency: null, quotaHours: 48 },
    { kind: 'approval', name: 'Phê duyệt kết quả', role: 'leader', agency: null, quotaHours: 16 },
    { kind: 'result_return', name: 'Trả kết quả', role: 'counter_officer', agency: AGENCY.branch, quotaHours: 4 },
  ],
};

export const PASSED = { reportId: 'report-ok', indication: 'TOTAL_PASSED' as const };

export const VALID: Record<'application' | 'diploma' | 'photo' | 'id-card', ProvidedComponent> = {
  application: { kind: 'basis', basis: 'SELF_DECLARED', documentId: 'doc-form', submission: { id: 'sub-1', authenticated: true } },
  diploma: { kind: 'basis', basis: 'E_CERTIFIED', documentId: 'doc-diploma', validation: PASSED },
  photo: { kind: 'basis', basis: 'DIGITIZED_SIGNED', documentId: 'doc-photo', validation: PASSED, convertedBy: 'counter-1' },
  'id-card': { kind: 'exempt', reason: 'SHOWN_ONLY', note: null },
};

export const FAILED_DIPLOMA: ProvidedComponent = {
  kind: 'basis',
  basis: 'E_CERTIFIED',
  documentId: 'doc-diploma-bad',
  validation: { reportId: 'report-bad', indication: 'TOTAL_FAILED' },
};

export const CITIZEN_ID = '001085012345';

export function draft(components: Record<string, ProvidedComponent> = { application: VALID.application, diploma: VALID.diploma, 'id-card': VALID['id-card'] }): DossierDraft {
  return {
    id: 'dossier-1',
    applicant: { subjectId: CITIZEN_ID, kind: 'citizen' },
    receivingAgency: AGENCY.branch,
    procedure: PROCEDURE,
    process: PROCESS,
    components,
  };
}

export const citizen: ApplicantActor = { kind: 'applicant', role: 'citizen', userId: 'u-citizen', subjectId: CITIZEN_ID };
export const otherCitizen: ApplicantActor = { kind: 'applicant', role: 'citizen', userId: 'u-other', subjectId: '079303000123' };
export const agentWithConsent: ApplicantActor = {
  kind: 'applicant',
  role: 'agent',
  userId: 'u-agent',
  subjectId: '0100109106',
  onBehalfOf: { subjectId: CITIZEN_ID, consentRef: 'consent-42' },
};
export const agentWithoutConsent: ApplicantActor = { kind: 'applicant', role: 'agent', userId: 'u-agent2', subjectId: '0100109106' };
export const gateway: SystemActor = { kind: 'system', service: 'payment_gateway' };

export function officer(role: OfficerRole, agency: string, userId = `${role}@${agency}`): OfficerActor {
  return { kind: 'officer', role, userId, agency };
}

export const counter = officer('counter_officer', AGENCY.branch, 'counter-1');
export const specialist = officer('specialist', AGENCY.health, 'specialist-1');
export const leader = officer('leader', AGENCY.health, 'leader-1');
export const justiceSpecialist = officer('specialist', AGENCY.justice, 'specialist-j');
export const justiceLeader = officer('leader', AGENCY.justice, 'leader-j');

/** Instant from a Vietnamese wall-clock time `YYYY-MM-DDTHH:MM`. */
export function vn(local: string): Date {
  return new Date(`${local}:00+07:00`);
}
