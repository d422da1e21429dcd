import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useDocumentTitle } from '../app/document-title.ts';
import { useSession } from '../app/session.tsx';
import { apiRequest } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';
import { ProblemAlert, TextArea } from '../admin/common.tsx';
import { useText } from '../catalog/lang.ts';
import { Badge, Button, PageHeader, Select, Spinner, TextField } from '../ui/index.ts';
import type { ViolationJson } from './model.ts';
import './oversight.css';

const TEXT = {
  vi: {
    title: 'Sổ theo dõi vi phạm',
    lead: 'Yêu cầu giấy tờ bị hệ thống từ chối, phản ánh của người dân, trễ hạn không xin lỗi kịp thời. Mỗi vụ việc được giao, xác minh và kết luận.',
    filter: 'Trạng thái',
    active: 'Đang mở',
    all: 'Tất cả',
    closed: 'Đã kết luận',
    loading: 'Đang tải…',
    empty: 'Không có vụ việc.',
    total: (n: number) => `${n} vụ việc`,
    source: {
      refused_attempt: 'Yêu cầu giấy tờ bị hệ thống từ chối',
      citizen_report: 'Người dân phản ánh bị yêu cầu giấy tờ',
      late_without_apology: 'Trễ hạn không có thư xin lỗi kịp thời',
      extra_supplement: 'Yêu cầu bổ sung quá một lần',
    },
    state: { open: 'Mới', assigned: 'Đã giao', investigating: 'Đang xác minh', closed: 'Đã kết luận' },
    finding: { confirmed: 'Có vi phạm', unfounded: 'Không có vi phạm' },
    dossier: 'Hồ sơ',
    agency: 'Đơn vị',
    at: 'Ghi nhận lúc',
    assignee: 'Người xử lý',
    assignTo: 'Giao cho (tên đăng nhập)',
    assign: 'Giao',
    investigate: 'Bắt đầu xác minh',
    conclude: 'Kết luận',
    findingLabel: 'Kết luận',
    note: 'Lý do, căn cứ xác minh',
    close: 'Kết thúc vụ việc',
  },
  en: {
    title: 'Violations register',
    lead: 'Paper requests the system refused, citizens’ reports, late dossiers without a timely apology. Each entry is assigned, investigated and concluded.',
    filter: 'State',
    active: 'Open',
    all: 'All',
    closed: 'Concluded',
    loading: 'Loading…',
    empty: 'No entries.',
    total: (n: number) => `${n} entries`,
    source: {
      refused_attempt: 'Paper request refused by the system',
      citizen_report: 'Citizen reports being asked for paper',
      late_without_apology: 'Late without a timely apology',
      extra_supplement: 'More than one supplement request',
    },
    state: { open: 'New', assigned: 'Assigned', investigating: 'Investigating', closed: 'Concluded' },
    finding: { confirmed: 'Violation confirmed', unfounded: 'Unfounded' },
    dossier: 'Dossier',
    agency: 'Unit',
    at: 'Recorded',
    assignee: 'Assignee',
    assignTo: 'Assign to (username)',
    assign: 'Assign',
    investigate: 'Start investigating',
    conclude: 'Conclude',
    findingLabel: 'Finding',
    note: 'Reasons and evidence',
    close: 'Close the entry',
  },
};

export function ViolationsPage() {
  const t = useText(TEXT);
  useDocumentTitle(t.title);
  const { state: session } = useSession();
  const [state, setState] = useState<'active' | 'closed' | ''>('active');
  const [data, setData] = useState<{ items: ViolationJson[]; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setData(await apiRequest(`/api/oversight/violations?limit=100${state ? `&state=${state}` : ''}`));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [state]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (id: string, path: string, body?: unknown) => {
    try {
      await apiRequest(`/api/oversight/violations/${id}/${path}`, { method: 'POST', body: body ?? {} });
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <PageHeader title={t.title} lead={t.lead} meta={data ? t.total(data.total) : undefined} />
      <div className="oversight-toolbar">
        <Select
          label={t.filter}
          value={state}
          onChange={(e) => setState(e.target.value as typeof state)}
          options={[
            { value: 'active', label: t.active },
            { value: 'closed', label: t.closed },
            { value: '', label: t.all },
          ]}
        />
      </div>
      {error ? <ProblemAlert error={error} /> : null}
      {!data ? <Spinner label={t.loading} /> : data.items.length === 0 ? <p>{t.empty}</p> : null}
      {data?.items.map((v) => (
        <article key={v.id} className="oversight-kpi oversight-section" aria-labelledby={`v-${v.id}`}>
          <h2 id={`v-${v.id}`}>
            {t.source[v.source]} <Badge tone={v.state === 'closed' ? 'neutral' : 'warning'}>{t.state[v.state]}</Badge>
          </h2>
          <p>{v.description}</p>
          <dl>
            {v.dossier ? (
              <>
                <dt>{t.dossier}</dt>
                <dd>{v.dossier.code ?? v.dossier.id}</dd>
              </>
            ) : null}
            {v.agency ? (
              <>
                <dt>{t.agency}</dt>
                <dd>{v.agency.name ?? v.agency.code}</dd>
              </>
            ) : null}
            <dt>{t.at}</dt>
            <dd>{formatDateTime(v.createdAt)}</dd>
            {v.assignee ? (
              <>
                <dt>{t.assignee}</dt>
                <dd>{v.assignee.name ?? v.assignee.id}</dd>
              </>
            ) : null}
            {v.finding ? (
              <>
                <dt>{t.findingLabel}</dt>
                <dd>
                  {t.finding[v.finding]} — {v.findingNote}
                </dd>
              </>
            ) : null}
          </dl>
          {v.state !== 'closed' ? <Actions v={v} me={session.user?.username ?? null} t={t} act={act} /> : null}
        </article>
      ))}
    </>
  );
}

function Actions({ v, me, t, act }: { v: ViolationJson; me: string | null; t: (typeof TEXT)['vi']; act: (id: string, path: string, body?: unknown) => Promise<void> }) {
  const [assignee, setAssignee] = useState('');
  const [finding, setFinding] = useState<'confirmed' | 'unfounded'>('confirmed');
  const [note, setNote] = useState('');
  const mine = me !== null && v.assignee?.username === me;
  return (
    <div className="oversight-toolbar">
      <form
        className="oversight-toolbar"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void act(v.id, 'assign', { assignee: assignee.trim() });
        }}
      >
        <TextField label={t.assignTo} value={assignee} onChange={(e) => setAssignee(e.target.value)} required autoComplete="off" />
        <Button type="submit" variant="secondary">
          {t.assign}
        </Button>
      </form>
      {mine && v.state === 'assigned' ? (
        <Button variant="secondary" onClick={() => void act(v.id, 'investigate')}>
          {t.investigate}
        </Button>
      ) : null}
      {mine ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void act(v.id, 'close', { finding, note });
          }}
        >
          <Select
            label={t.findingLabel}
            value={finding}
            onChange={(e) => setFinding(e.target.value as typeof finding)}
            options={[
              { value: 'confirmed', label: t.finding.confirmed },
              { value: 'unfounded', label: t.finding.unfounded },
            ]}
          />
          <TextArea label={t.note} value={note} onChange={setNote} rows={3} />
          <Button type="submit">{t.close}</Button>
        </form>
      ) : null}
    </div>
  );
}
