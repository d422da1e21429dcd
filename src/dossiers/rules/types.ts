/**
 * Data shapes of the dossier lifecycle rules: statuses, actors, the dossier state, actions and events.
 * Plain data only (Dates as instants), so a state can be stored as a row and rebuilt from its events.
 */
import type { LocalizedText } from '../../platform/http/problem.ts';
import type { ComponentRequirement, ProvidedComponent, ValidationEvidence } from '../../documents/rules.ts';

// ---------------------------------------------------------------------------------------------------------------
// Statuses (TT 04/2025 data exchange with the national portal; product spec §3)

export const DOSSIER_STATUSES = [
  'new',
  'received',
  'not_received',
  'processing',
  'supplement_requested',
  'awaiting_financial_obligation',
  'withdrawn',
  'stopped',
  'processed',
  'result_returned',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** The national portal's status codes (TrangThaiHoSo) — the names above in the same order. */
export const PORTAL_STATUS_CODE: Readonly<Record<DossierStatus, number>> = Object.freeze({
  new: 1,
  received: 2,
  not_received: 3,
  processing: 4,
  supplement_requested: 5,
  awaiting_financial_obligation: 6,
  withdrawn: 7,
  stopped: 8,
  processed: 9,
  result_returned: 10,
});

export const STATUS_LABELS: Readonly<Record<DossierStatus, LocalizedText>> = Object.freeze({
  new: { vi: 'Mới đăng ký', en: 'New' },
  received: { vi: 'Đã tiếp nhận', en: 'Received' },
  not_received: { vi: 'Từ chối tiếp nhận', en: 'Not received' },
  processing: { vi: 'Đang xử lý', en: 'Processing' },
  supplement_requested: { vi: 'Yêu cầu bổ sung', en: 'Supplement requested' },
  awaiting_financial_obligation: { vi: 'Chờ thực hiện nghĩa vụ tài chính', en: 'Awaiting financial obligation' },
  withdrawn: { vi: 'Công dân yêu cầu rút hồ sơ', en: 'Withdrawn by the applicant' },
  stopped: { vi: 'Dừng xử lý', en: 'Stopped' },
  processed: { vi: 'Đã xử lý xong', en: 'Processed' },
  result_returned: { vi: 'Đã trả kết quả', en: 'Result returned' },
});

/** No action leaves these. */
export const CLOSED_STATUSES = ['not_received', 'withdrawn', 'stopped', 'result_returned'] as const satisfies readonly DossierStatus[];

// ---------------------------------------------------------------------------------------------------------------
// Actors

export type ApplicantRole = 'citizen' | 'business' | 'agent';
export type OfficerRole = 'counter_officer' | 'specialist' | 'leader' | 'supervisor' | 'inspector' | 'admin';
/** Roles that can hold a process step (catalog STEP_ROLES). */
export type StepRole = 'counter_officer' | 'specialist' | 'leader';

export interface ApplicantActor {
  kind: 'applicant';
  role: ApplicantRole;
  userId: string;
  /** The actor's own CCCD (citizen, agent as a person) or MST (business, agent as an enterprise). */
  subjectId: string;
  /**
   * A public-service agent acting for an applicant: whose dossier, and the reference of the applicant's recorded
   * consent. Citizens and businesses act for themselves and leave this out.
   */
  onBehalfOf?: { subjectId: string; consentRef: string };
}

export interface OfficerActor {
  kind: 'officer';
  role: OfficerRole;
  userId: string;
  /** Agency code (QĐ 20/2020 e-ID) the officer belongs to: the scope of what they may act on. */
  agency: string;
}

/**
 * A machine counterpart: the payment gateway (confirming a payment it received), or the result mailer (the signed
 * result handed to the applicant's mail server is a delivery, like their own download).
 */
export type SystemService = 'payment_gateway' | 'result_mailer';
export interface SystemActor {
  kind: 'system';
  service: SystemService;
}

export type Actor = ApplicantActor | OfficerActor | SystemActor;

/** What an event records of its actor. */
export type ActorRef =
  | { kind: 'applicant'; role: ApplicantRole; userId: string; subjectId: string; onBehalfOf: string | null }
  | { kind: 'officer'; role: OfficerRole; userId: string; agency: string }
  | { kind: 'system'; service: string };

// ---------------------------------------------------------------------------------------------------------------
// Procedure snapshot and process steps

export type StepKind = 'reception' | 'assignment' | 'appraisal' | 'review' | 'approval' | 'result_return' | 'transfer';

/** One step of an internal-process version (catalog `StepInput`): who, where, how long. */
export interface StepDefinition {
  kind: StepKind;
  name: string;
  role: StepRole;
  /** Agency code; null = the agency running the process (resolved when the steps are attached to a dossier). */
  agency: string | null;
  /** Quota in working hours (a working day is the office-hours length, 8 h by default). */
  quotaHours: number;
}

/** A step as scheduled on a dossier: agency resolved, and its place in the route. */
export interface RouteStep {
  kind: StepKind;
  name: string;
  role: StepRole;
  agency: string;
  quotaHours: number;
  /** 'process' for the dossier's own process version, 'transfer' for steps added by a liên thông transfer. */
  origin: 'process' | 'transfer';
  startedAt: Date | null;
  endedAt: Date | null;
  /** The officer who completed it (hand-over giver). */
  completedBy: string | null;
}

/** What the rules need from the procedure, frozen on the dossier at submission (a later catalog edit changes nothing). */
export interface ProcedureSnapshot {
  key: string;
  /** Legal deadline. Fractional days are counted as hours of the office day. */
  deadline: { value: number; unit: 'working_days' | 'working_hours' };
  /** Reception cut-off `HH:MM` (R5, 15:00 by default), null = none. */
  cutoff: string | null;
  components: ComponentRequirement[];
}

export interface ProcessVersion {
  /** Agency running the process (the competent agency). */
  agency: string;
  /** Version id of the catalog process, kept for the control sheet and reports. */
  versionId: string;
  steps: StepDefinition[];
}

// ---------------------------------------------------------------------------------------------------------------
// The dossier state

/** A stopped-clock interval (waiting for the applicant's supplement); `end: null` while it runs. */
export interface PauseInterval {
  start: Date;
  end: Date | null;
}

/**
 * One item of a completion (reception) or supplement request. There is deliberately no "paper original" variant
 * and no way to ask for a copy of something that exists: an item names a component that is missing or whose
 * e-version is invalid, and says why (R3). Whether it is missing/invalid is decided by the rules, not by the item.
 */
export interface RequestItem {
  componentKey: string;
  /** Why it is needed (NFC Vietnamese, shown on form 02). */
  reason: string;
}

export interface ComponentRequest {
  at: Date;
  by: string;
  items: RequestItem[];
  /** When the applicant answered (the clock resumes at this exact instant for a supplement). */
  answeredAt: Date | null;
}

export interface FinancialNotice {
  kind: 'fee' | 'charge' | 'tax';
  amountVnd: number;
  /** Reference of the notice (e.g. the tax authority's notice number). */
  reference: string;
}

export interface FinancialObligation {
  notice: FinancialNotice;
  issuedAt: Date;
  paidAt: Date | null;
  paymentRef: string | null;
  /** Status to return to once paid (processing or processed). */
  resumeStatus: 'processing' | 'processed';
}

export interface Apology {
  at: Date;
  by: string;
  reason: string;
  /** Extra working time granted on top of the previous deadline: the new date is derived from it, never typed. */
  extension: { value: number; unit: 'working_days' | 'working_hours' };
}

export interface DossierState {
  id: string;
  channel: 'online' | 'counter';
  applicant: { subjectId: string; kind: 'citizen' | 'business' };
  /** The one-stop branch (agency code) that receives the dossier and returns the result. */
  receivingAgency: string;
  /** The agency holding the dossier now; officers act only within it. */
  currentAgency: string;
  procedure: ProcedureSnapshot;
  process: ProcessVersion;
  status: DossierStatus;
  components: Record<string, ProvidedComponent>;
  submittedAt: Date | null;
  /** E-reception instant: the clock starts here (R5). */
  receivedAt: Date | null;
  /** Supplement waiting time, ordered and disjoint; at most one is open (the current supplement wait). */
  pauses: PauseInterval[];
  /** The single return for completion at reception (before the clock starts). */
  completionRequest: ComponentRequest | null;
  /** The single supplement request after reception (form 02). */
  supplementRequest: ComponentRequest | null;
  /** Status to go back to when the applicant supplements. */
  supplementResumeStatus: 'received' | 'processing' | null;
  route: RouteStep[];
  /** Index in `route` of the step in progress, null before reception and after the last step. */
  currentStep: number | null;
  financialObligation: FinancialObligation | null;
  approval: { by: string; at: Date } | null;
  result: { documentId: string; readyAt: Date } | null;
  resultReturnedAt: Date | null;
  apologies: Apology[];
  closure: { kind: 'refused' | 'withdrawn' | 'stopped'; at: Date; by: string; reason: string } | null;
  /** Instant of the last accepted action: time never runs backwards on a dossier. */
  lastEventAt: Date | null;
  /** Incremented by every accepted action (the store's optimistic-concurrency token). */
  version: number;
}

/** What the applicant (or the counter, for a walk-in) hands in to create a dossier. */
export interface DossierDraft {
  id: string;
  applicant: { subjectId: string; kind: 'citizen' | 'business' };
  receivingAgency: string;
  procedure: ProcedureSnapshot;
  process: ProcessVersion;
  components: Record<string, ProvidedComponent>;
}

// ---------------------------------------------------------------------------------------------------------------
// Actions

export type Action =
  | { type: 'receive' }
  | { type: 'refuse'; reason: string }
  | { type: 'return_for_completion'; items: RequestItem[] }
  | { type: 'start_processing' }
  | { type: 'request_supplement'; items: RequestItem[] }
  | { type: 'supplement'; components: Record<string, ProvidedComponent> }
  | { type: 'record_validation'; componentKey: string; validation: ValidationEvidence }
  | { type: 'complete_step'; note?: string }
  | { type: 'transfer'; toAgency: string; steps: StepDefinition[]; reason: string; returnAfter: boolean }
  | { type: 'request_financial_obligation'; notice: FinancialNotice }
  | { type: 'confirm_payment'; paymentRef: string; amountVnd: number }
  | { type: 'approve'; note?: string }
  | { type: 'mark_processed'; resultDocumentId: string }
  | { type: 'return_result' }
  | { type: 'withdraw'; reason: string }
  | { type: 'stop'; reason: string }
  | { type: 'issue_apology'; reason: string; extension: { value: number; unit: 'working_days' | 'working_hours' } };

// ---------------------------------------------------------------------------------------------------------------
// Events

/** TT 03/2025 Annex I form an event issues (01 receipt … 05 notice of stopping). */
export type FormNumber = '01' | '02' | '03' | '04' | '05';

export interface HandOver {
  fromStep: number;
  toStep: number | null;
  giver: { userId: string; agency: string; role: StepRole };
  receiver: { agency: string; role: StepRole } | null;
  /** Due instant of the step handed over, and whether it was handed over by then (control sheet, form 06). */
  stepDue: Date;
  onTime: boolean;
}

export interface EventDetails {
  submitted: { components: string[] };
  received: { promisedDue: Date; channel: 'online' | 'counter' };
  refused: { reason: string };
  returned_for_completion: { items: RequestItem[] };
  completion_supplied: { components: string[] };
  processing_started: Record<string, never>;
  supplement_requested: { items: RequestItem[] };
  /** How long the clock was stopped: wall-clock time, and the working time excluded from the deadline. */
  supplemented: { components: string[]; pausedWallMs: number; pausedWorkingMs: number };
  validation_recorded: { componentKey: string; reportId: string; indication: string };
  step_completed: HandOver;
  transferred: HandOver & { toAgency: string; reason: string; returnAfter: boolean; addedSteps: number };
  financial_obligation_requested: { notice: FinancialNotice };
  payment_confirmed: { paymentRef: string; amountVnd: number };
  approved: HandOver;
  /** The dossier's due instant (pauses and extensions included) and whether the result was ready by then. */
  processed: { resultDocumentId: string; due: Date; onTime: boolean; receiver: { agency: string; role: StepRole } | null };
  result_returned: { due: Date; onTime: boolean };
  withdrawn: { reason: string };
  stopped: { reason: string };
  apology_issued: { reason: string; previousDue: Date; newDue: Date };
}

export type EventType = keyof EventDetails;

export type DossierEvent = {
  [K in EventType]: {
    type: K;
    dossierId: string;
    at: Date;
    actor: ActorRef;
    fromStatus: DossierStatus | null;
    toStatus: DossierStatus;
    form: FormNumber | null;
    detail: EventDetails[K];
  };
}[EventType];
