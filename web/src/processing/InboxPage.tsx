import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { PATHS } from '../app/paths.ts';
import { useSession } from '../app/session.tsx';
import { useLang, useText } from '../catalog/lang.ts';
import { api, errorMessage } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';
import { parseVnDate } from '../portal/model.ts';
import { Alert, Badge, Button, FieldGroup, PageHeader, Spinner, Table, TextField } from '../ui/index.ts';
import { ROLE_WORDS, SLA_WORDS, slaTone, type Inbox, type InboxItem, type Sla } from './model.ts';
import './processing.css';

const TEXT = {
  vi: {
    inbox: 'Hồ sơ cần xử lý',
    inboxLead: 'Hồ sơ đang ở bước của bạn (được phân công cho bạn hoặc chưa phân công), hạn của bước sớm nhất trước.',
    approvals: 'Hồ sơ chờ phê duyệt',
    approvalsLead: 'Hồ sơ đang ở bước phê duyệt của cơ quan; phê duyệt rồi ký số kết quả.',
    handover: 'Trả kết quả',
    handoverLead: 'Hồ sơ đã có kết quả, chờ trả cho tổ chức, cá nhân; cùng các bước của Bộ phận Một cửa.',
    views: 'Phạm vi',
    mine: 'Của tôi',
    agency: 'Toàn cơ quan',
    approval: 'Chờ phê duyệt',
    filter: 'Lọc theo thời hạn',
    all: 'Tất cả',
    code: 'Mã hồ sơ',
    search: 'Tìm theo mã hồ sơ',
    procedure: 'Thủ tục',
    step: 'Bước đang xử lý',
    stepDue: 'Hạn của bước',
    assignee: 'Người xử lý',
    unassigned: 'Chưa phân công',
    due: 'Hạn trả kết quả',
    status: 'Trạng thái',
    caption: (n: number) => `Hồ sơ (${n}), hạn sớm nhất trước`,
    empty: 'Không có hồ sơ nào.',
    refresh: 'Làm mới',
    loading: 'Đang tải…',
    open: 'Mở hồ sơ',
    register: 'Sổ theo dõi hồ sơ (Mẫu 07)',
    from: 'Từ ngày (dd/mm/yyyy)',
    to: 'Đến ngày (dd/mm/yyyy)',
    openRegister: 'Mở Sổ theo dõi (PDF)',
    badDates: 'Nhập ngày theo dạng dd/mm/yyyy.',
  },
  en: {
    inbox: 'Dossiers to process',
    inboxLead: 'Dossiers at your step (assigned to you or to nobody yet), earliest step deadline first.',
    approvals: 'Awaiting approval',
    approvalsLead: "Dossiers at the agency's approval step: approve, then sign the result.",
    handover: 'Hand back results',
    handoverLead: 'Dossiers with a result waiting to be handed back, and the counter’s own steps.',
    views: 'Scope',
    mine: 'Mine',
    agency: 'Whole agency',
    approval: 'Awaiting approval',
    filter: 'Filter by deadline',
    all: 'All',
    code: 'Dossier code',
    search: 'Search by dossier code',
    procedure: 'Procedure',
    step: 'Current step',
    stepDue: 'Step due',
    assignee: 'Assignee',
    unassigned: 'Not assigned',
    due: 'Result due',
    status: 'Status',
    caption: (n: number) => `Dossiers (${n}), earliest due first`,
    empty: 'No dossier.',
    refresh: 'Refresh',
    loading: 'Loading…',
    open: 'Open the dossier',
    register: 'Dossier register (form 07)',
    from: 'From (dd/mm/yyyy)',
    to: 'To (dd/mm/yyyy)',
    openRegister: 'Open the register (PDF)',
    badDates: 'Enter dates as dd/mm/yyyy.',
  },
};

type View = Inbox['view'];
type Filter = Exclude<Sla, 'none'> | null;

export function InboxPage({ mode }: { mode: 'inbox' | 'approvals' | 'handover' }) {
  const t = useText(TEXT);
  const lang = useLang();
  const { state } = useSession();
  const isLeader = state.user?.role === 'leader';
  const [view, setView] = useState<View>(mode === 'approvals' ? 'approval' : 'mine');
  const [sla, setSla] = useState<Filter>(null);
  const [code, setCode] = useState('');
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const title = mode === 'approvals' ? t.approvals : mode === 'handover' ? t.handover : t.inbox;
  useDocumentTitle(title);
  useEffect(() => {
    const ac = new AbortController();
    const q = new URLSearchParams({ view, limit: '200' });
    if (sla) q.set('sla', sla);
    if (code.trim()) q.set('code', code.trim());
    api
      .get<Inbox>(`/api/processing/inbox?${q.toString()}`, ac.signal)
      .then((r) => {
        setInbox(r);
        setError(null);
      })
      .catch((e: unknown) => (ac.signal.aborted ? undefined : setError(e)));
    return () => ac.abort();
  }, [view, sla, code, tick]);

  const counts = inbox?.counts;
  const filters: { key: Filter; label: string; n: number | undefined }[] = [
    { key: null, label: t.all, n: counts?.total },
    { key: 'late', label: SLA_WORDS.late[lang], n: counts?.late },
    { key: 'due_soon', label: SLA_WORDS.due_soon[lang], n: counts?.dueSoon },
    { key: 'on_time', label: SLA_WORDS.on_time[lang], n: counts?.onTime },
    { key: 'paused', label: SLA_WORDS.paused[lang], n: counts?.paused },
  ];
  return (
    <>
      <PageHeader
        title={title}
        lead={mode === 'approvals' ? t.approvalsLead : mode === 'handover' ? t.handoverLead : t.inboxLead}
        actions={
          <Button variant="secondary" onClick={() => setTick((x) => x + 1)}>
            {t.refresh}
          </Button>
        }
      />
      {isLeader && mode !== 'handover' ? (
        <div className="processing-tabs" role="group" aria-label={t.views}>
          {(['mine', 'agency', 'approval'] as const).map((v) => (
            <Button key={v} variant={view === v ? 'primary' : 'secondary'} aria-pressed={view === v} onClick={() => setView(v)}>
              {t[v]}
            </Button>
          ))}
        </div>
      ) : null}
      <div className="processing-filters">
        <div role="group" aria-label={t.filter} className="processing-tabs">
          {filters.map((f) => (
            <Button key={f.key ?? 'all'} variant={sla === f.key ? 'primary' : 'secondary'} aria-pressed={sla === f.key} onClick={() => setSla(f.key)}>
              {f.label}
              {f.n !== undefined ? ` (${f.n})` : ''}
            </Button>
          ))}
        </div>
        <TextField label={t.search} value={code} onChange={(e) => setCode(e.target.value)} inputMode="text" autoComplete="off" />
      </div>
      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
      {!inbox && !error ? <Spinner label={t.loading} /> : null}
      {inbox ? (
        <Table<InboxItem>
          caption={t.caption(inbox.items.length)}
          rows={inbox.items}
          rowKey={(i) => i.id}
          empty={t.empty}
          columns={[
            {
              key: 'code',
              header: t.code,
              rowHeader: true,
              cell: (i) => (
                <Link to={`${PATHS.inbox}/ho-so/${i.id}`} aria-label={`${t.open} ${i.code ?? ''}`}>
                  {i.code ?? i.id.slice(0, 8)}
                </Link>
              ),
            },
            { key: 'procedure', header: t.procedure, cell: (i) => i.procedure.name },
            {
              key: 'step',
              header: t.step,
              cell: (i) =>
                i.step ? (
                  <>
                    {i.step.name ?? '—'}
                    {i.step.role ? <span className="processing-muted"> · {ROLE_WORDS[i.step.role]?.[lang] ?? i.step.role}</span> : null}
                  </>
                ) : (
                  <Badge tone="info">{i.label[lang]}</Badge>
                ),
            },
            {
              key: 'stepDue',
              header: t.stepDue,
              cell: (i) => (
                <>
                  {i.step?.dueAt ? formatDateTime(i.step.dueAt) : '—'} <Badge tone={slaTone(i.sla)}>{SLA_WORDS[i.sla][lang]}</Badge>
                </>
              ),
            },
            { key: 'assignee', header: t.assignee, cell: (i) => i.assignee?.name ?? <span className="processing-muted">{t.unassigned}</span> },
            { key: 'status', header: t.status, cell: (i) => i.label[lang] },
            { key: 'due', header: t.due, cell: (i) => (i.dueAt ? formatDateTime(i.dueAt) : '—') },
          ]}
        />
      ) : null}
      {isLeader || state.user?.role === 'counter_officer' ? <RegisterLink /> : null}
    </>
  );
}

/** Form 07 for a period: the first of this month to today by default (Vietnamese civil days). */
function RegisterLink() {
  const t = useText(TEXT);
  const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
  const [from, setFrom] = useState(`01/${today.slice(3)}`);
  const [to, setTo] = useState(today);
  const f = parseVnDate(from);
  const tt = parseVnDate(to);
  return (
    <FieldGroup legend={t.register}>
      <div className="processing-filters">
        <TextField label={t.from} value={from} onChange={(e) => setFrom(e.target.value)} inputMode="numeric" error={f ? null : t.badDates} />
        <TextField label={t.to} value={to} onChange={(e) => setTo(e.target.value)} inputMode="numeric" error={tt ? null : t.badDates} />
        {f && tt ? (
          <a className="button button--secondary" href={`/api/processing/register?from=${f}&to=${tt}&format=pdf`} target="_blank" rel="noopener" data-testid="register-pdf">
            {t.openRegister}
          </a>
        ) : null}
      </div>
    </FieldGroup>
  );
}
