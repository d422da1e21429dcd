import { useCallback, useEffect, useState } from 'react';
import { useDocumentTitle } from '../app/document-title.ts';
import { useLang, useText } from '../catalog/lang.ts';
import { api, errorMessage } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';
import { Alert, Badge, Button, PageHeader, Spinner, Table } from '../ui/index.ts';
import '../processing/processing.css';

type State = 'pending' | 'running' | 'done' | 'failed';

interface Job {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  state: State;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  updatedAt: string;
}

interface JobList {
  items: Job[];
  counts: Partial<Record<State, number>>;
}

const STATES: State[] = ['failed', 'pending', 'running', 'done'];

const TEXT = {
  vi: {
    title: 'Vận hành: tác vụ nền',
    lead: 'Các việc hệ thống làm sau khi người dùng thao tác: đóng dấu kết quả, cấp giấy tiếp nhận và biểu mẫu, gửi thư, nhận dạng chữ, báo cáo định kỳ. Tác vụ lỗi được tự thử lại; tác vụ đã dừng (thất bại) cần xử lý nguyên nhân rồi chạy lại.',
    loading: 'Đang tải…',
    states: { failed: 'Thất bại', pending: 'Đang chờ', running: 'Đang chạy', done: 'Hoàn thành' } as Record<State, string>,
    type: 'Tác vụ',
    state: 'Tình trạng',
    attempts: 'Số lần chạy',
    next: 'Chạy lúc',
    error: 'Lỗi gần nhất',
    updated: 'Cập nhật',
    subject: 'Đối tượng',
    retry: 'Chạy lại',
    retried: 'Đã xếp tác vụ chạy lại.',
    none: 'Không có tác vụ nào ở tình trạng này.',
    types: {
      'result.seal': 'Đóng dấu và ban hành kết quả',
      'dossier.receipt': 'Cấp Giấy tiếp nhận (Mẫu 01)',
      'receipt.email': 'Gửi thư Giấy tiếp nhận',
      'dossier.form': 'Cấp biểu mẫu (Mẫu 02–05)',
      'dossier.deadline_watch': 'Theo dõi thời hạn',
      'document.ocr': 'Nhận dạng chữ bản quét',
      'oversight.reports.scheduled': 'Báo cáo định kỳ',
    } as Record<string, string>,
  },
  en: {
    title: 'Operations: background jobs',
    lead: 'Work the system does after a user acts: sealing results, issuing receipts and forms, sending mail, OCR, scheduled reports. Failing jobs are retried; a job that stopped (failed) needs its cause fixed, then a retry.',
    loading: 'Loading…',
    states: { failed: 'Failed', pending: 'Pending', running: 'Running', done: 'Done' } as Record<State, string>,
    type: 'Job',
    state: 'State',
    attempts: 'Attempts',
    next: 'Runs at',
    error: 'Last error',
    updated: 'Updated',
    subject: 'Subject',
    retry: 'Retry',
    retried: 'The job is queued again.',
    none: 'No job in this state.',
    types: {
      'result.seal': 'Seal and issue a result',
      'dossier.receipt': 'Issue a receipt (form 01)',
      'receipt.email': 'Mail a receipt',
      'dossier.form': 'Issue a form (02–05)',
      'dossier.deadline_watch': 'Deadline watch',
      'document.ocr': 'OCR of a scan',
      'oversight.reports.scheduled': 'Scheduled report',
    } as Record<string, string>,
  },
};

const tone = (s: State) => (s === 'failed' ? 'danger' : s === 'done' ? 'success' : s === 'running' ? 'info' : 'warning');

/** The operations view of the job queue (admin, supervisor): failed jobs first, with their error and a retry. */
export function OperationsPage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const [state, setState] = useState<State>('failed');
  const [list, setList] = useState<JobList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setList(await api.get<JobList>(`/api/ops/jobs?state=${state}&limit=100`));
    } catch (e) {
      setError(e);
    }
  }, [state]);
  useEffect(() => {
    void load();
  }, [load]);
  const retry = async (job: Job) => {
    setBusy(job.id);
    setNotice(null);
    try {
      await api.post(`/api/ops/jobs/${job.id}/retry`, {});
      setNotice(t.retried);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      <nav aria-label={t.state} className="processing-tabs">
        {STATES.map((s) => (
          <Button key={s} variant={s === state ? 'primary' : 'secondary'} aria-pressed={s === state} onClick={() => setState(s)}>
            {t.states[s]} ({list?.counts[s] ?? 0})
          </Button>
        ))}
      </nav>
      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {!list ? (
        <Spinner label={t.loading} />
      ) : list.items.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <Table
          caption={`${t.title} — ${t.states[state]}`}
          rows={list.items}
          rowKey={(j) => j.id}
          columns={[
            { key: 'type', header: t.type, cell: (j) => t.types[j.type] ?? j.type },
            { key: 'subject', header: t.subject, cell: (j) => <code>{Object.values(j.payload).map(String).join(', ') || '—'}</code> },
            { key: 'state', header: t.state, cell: (j) => <Badge tone={tone(j.state)}>{t.states[j.state]}</Badge> },
            { key: 'attempts', header: t.attempts, cell: (j) => `${j.attempts}/${j.maxAttempts}` },
            { key: 'next', header: `${t.next} / ${t.updated}`, cell: (j) => formatDateTime(j.state === 'pending' ? j.runAt : j.updatedAt) },
            { key: 'error', header: t.error, cell: (j) => (j.lastError ? <span style={{ overflowWrap: 'anywhere' }}>{j.lastError}</span> : '—') },
            {
              key: 'retry',
              header: '',
              cell: (j) =>
                j.state === 'failed' ? (
                  <Button variant="secondary" onClick={() => void retry(j)} busy={busy === j.id} disabled={!!busy && busy !== j.id}>
                    {t.retry}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
    </>
  );
}
