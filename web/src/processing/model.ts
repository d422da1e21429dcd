/** Shapes of the processing API and pure helpers of its screens (SLA wording, hours left, action order). */
import type { LocalizedText } from '../lib/api.ts';
import type { DossierDetail } from '../portal/model.ts';

type Text = { vi: string; en: string };

export type Sla = 'on_time' | 'due_soon' | 'late' | 'paused' | 'none';

export interface InboxItem {
  id: string;
  code: string | null;
  procedure: { key: string; name: string };
  status: string;
  label: LocalizedText;
  step: { index: number; kind: string | null; name: string | null; role: string | null; agency: string | null; dueAt: string | null } | null;
  sla: Sla;
  assignee: { id: string; name: string } | null;
  dueAt: string | null;
  receivedAt: string | null;
  version: number;
}

export interface Inbox {
  view: 'mine' | 'agency' | 'approval';
  items: InboxItem[];
  counts: { total: number; late: number; dueSoon: number; onTime: number; paused: number };
}

export interface Person {
  id: string;
  displayName: string;
  role: string;
}

export interface Workspace {
  dossier: DossierDetail & { result: { documentId: string; readyAt: string } | null };
  applicantName: string;
  version: number;
  deadline: { promisedDue: string; due: string; late: boolean; paused: boolean; sla: string; remainingMs: number; overdueMs: number } | null;
  route: {
    index: number;
    kind: string;
    name: string;
    role: string;
    agency: { code: string; name: string };
    origin: string;
    quotaHours: number;
    startedAt: string | null;
    endedAt: string | null;
    due: string | null;
    sla: string | null;
    current: boolean;
  }[];
  currentStep: number | null;
  assignee: { id: string; name: string } | null;
  allowed: string[];
  requestable: { key: string; name: string; status: string }[];
  assignees: Person[];
  nextAssignees: Person[];
  assignments: { stepIndex: number; assignee: string; by: string; note: string | null; at: string }[];
  comments: { id: string; stepIndex: number | null; author: string; body: string; at: string }[];
  workingDocuments: { id: string; documentId: string; stepIndex: number | null; title: string; addedBy: string; pages: number | null; size: number; at: string; fromTemplate: boolean }[];
  controlSheet: { no: number; event: string; at: string; giver: string; receiver: string; due: string | null; mark: string | null; markLabel: LocalizedText | null }[];
  financialObligation: { kind: string; amountVnd: number; reference: string; issuedAt: string; paidAt: string | null } | null;
  apologies: { at: string; reason: string }[];
  notices: { kind: 'due_soon' | 'late'; dueAt: string; at: string }[];
  resultRevocation: { reason: string; at: string } | null;
  /** Where the law also requires a paper result: its sealed e-copy once scanned back in. */
  paperResult: { required: boolean; copy: { documentId: string; at: string; convertedBy: string } | null };
  /** The approver signed; the agency's seal is being added by the result job. */
  sealing: { since: string; attempts: number; lastError: string | null; failed: boolean } | null;
}

export const SLA_WORDS: Record<Sla, Text> = {
  on_time: { vi: 'Trong hạn', en: 'On time' },
  due_soon: { vi: 'Sắp đến hạn', en: 'Due soon' },
  late: { vi: 'Quá hạn', en: 'Late' },
  paused: { vi: 'Tạm dừng (chờ bổ sung)', en: 'Paused (awaiting supplement)' },
  none: { vi: '—', en: '—' },
};

export function slaTone(sla: string | null): 'success' | 'warning' | 'danger' | 'info' | 'neutral' {
  if (sla === 'late') return 'danger';
  if (sla === 'due_soon') return 'warning';
  if (sla === 'paused') return 'info';
  if (sla === 'on_time' || sla === 'early') return 'success';
  return 'neutral';
}

export const ROLE_WORDS: Record<string, Text> = {
  counter_officer: { vi: 'Bộ phận Một cửa', en: 'One-stop counter' },
  specialist: { vi: 'Chuyên viên', en: 'Specialist' },
  leader: { vi: 'Lãnh đạo', en: 'Leader' },
};

/** The order actions are offered in: the usual next move first, closing moves last. */
export const ACTION_ORDER = [
  'complete_step',
  'approve',
  'mark_processed',
  'return_result',
  'assign',
  'request_supplement',
  'transfer',
  'request_financial_obligation',
  'confirm_payment',
  'issue_apology',
  'start_processing',
  'stop',
  'scan_paper_result',
  'revoke_result',
] as const;

export function orderedActions(allowed: readonly string[]): string[] {
  return ACTION_ORDER.filter((a) => allowed.includes(a));
}

const HOUR = 3_600_000;

/** "còn 5 giờ 30 phút" / "quá 2 giờ" in working time, from the deadline's remaining and overdue milliseconds. */
export function workingTimeLeft(d: { remainingMs: number; overdueMs: number; late: boolean }, lang: 'vi' | 'en'): string {
  const ms = d.late ? d.overdueMs : d.remainingMs;
  const h = Math.floor(ms / HOUR);
  const m = Math.floor((ms % HOUR) / 60_000);
  const days = Math.floor(h / 8);
  const rest = h % 8;
  if (lang === 'vi') {
    const parts = [days ? `${days} ngày làm việc` : '', rest ? `${rest} giờ` : '', !days && m ? `${m} phút` : ''].filter(Boolean).join(' ');
    return d.late ? `Quá hạn ${parts || '0 phút'}` : `Còn ${parts || 'dưới 1 phút'}`;
  }
  const parts = [days ? `${days} working day${days > 1 ? 's' : ''}` : '', rest ? `${rest} h` : '', !days && m ? `${m} min` : ''].filter(Boolean).join(' ');
  return d.late ? `Late by ${parts || '0 min'}` : `${parts || 'under 1 min'} left`;
}
