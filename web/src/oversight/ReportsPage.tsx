import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useDocumentTitle } from '../app/document-title.ts';
import { useSession } from '../app/session.tsx';
import { ProblemAlert } from '../admin/common.tsx';
import { useLang, useText } from '../catalog/lang.ts';
import { apiRequest } from '../lib/api.ts';
import { formatDateTime, formatInteger } from '../lib/format.ts';
import { Button, PageHeader, Select, Spinner, Table } from '../ui/index.ts';
import { periodLabel, reportPeriods, type ReportJson } from './model.ts';
import './oversight.css';

const TEXT = {
  vi: {
    title: 'Báo cáo định kỳ',
    lead: 'Báo cáo tháng, quý cho Trung tâm và từng cơ quan: số liệu tính từ sự kiện của hồ sơ, bảng tính XLSX và bản PDF có chữ ký số của Trung tâm. Hệ thống tự lập báo cáo vào ngày đầu mỗi tháng.',
    period: 'Kỳ báo cáo',
    scope: 'Phạm vi',
    whole: 'Toàn hệ thống',
    generate: 'Lập báo cáo',
    generating: 'Đang lập và ký số báo cáo…',
    made: (p: string) => `Đã lập báo cáo ${p.toLocaleLowerCase('vi')}.`,
    caption: 'Báo cáo đã lập, mới nhất trước',
    generatedAt: 'Lập lúc',
    by: 'Người lập',
    schedule: 'Tự động theo lịch',
    downloads: 'Lượt tải',
    files: 'Tải về',
    xlsx: 'Bảng tính XLSX',
    pdf: 'PDF có ký số',
    history: 'Lịch sử tải',
    hide: 'Ẩn lịch sử',
    noDownloads: 'Chưa có ai tải báo cáo này.',
    loading: 'Đang tải…',
    empty: 'Chưa có báo cáo nào.',
  },
  en: {
    title: 'Periodic reports',
    lead: 'Monthly and quarterly reports for the Center and each agency: figures computed from dossier events, an XLSX workbook and a PDF signed by the Center. The system makes them on the first day of every month.',
    period: 'Period',
    scope: 'Scope',
    whole: 'Whole installation',
    generate: 'Generate report',
    generating: 'Generating and signing the report…',
    made: (p: string) => `Report for ${p} generated.`,
    caption: 'Generated reports, newest first',
    generatedAt: 'Generated',
    by: 'By',
    schedule: 'Scheduled',
    downloads: 'Downloads',
    files: 'Download',
    xlsx: 'XLSX workbook',
    pdf: 'Signed PDF',
    history: 'Download history',
    hide: 'Hide history',
    noDownloads: 'Nobody has downloaded this report yet.',
    loading: 'Loading…',
    empty: 'No report yet.',
  },
};

interface Agency {
  code: string;
  name: string;
  kind: string;
}

interface Download {
  user: { username: string; name: string };
  format: 'xlsx' | 'pdf';
  at: string;
}

export function ReportsPage() {
  const t = useText(TEXT);
  const lang = useLang();
  const { state: session } = useSession();
  useDocumentTitle(t.title);
  const periods = useMemo(() => reportPeriods(), []);
  const [period, setPeriod] = useState(periods[1] ?? periods[0]!);
  const [agency, setAgency] = useState('');
  const [agencies, setAgencies] = useState<Agency[]>([]);
  const [items, setItems] = useState<ReportJson[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<{ id: string; downloads: Download[] } | null>(null);
  const canGenerate = session.user?.role === 'supervisor' || session.user?.role === 'admin';

  const load = useCallback(async () => {
    try {
      setItems((await apiRequest<{ items: ReportJson[] }>('/api/oversight/reports?limit=100')).items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
    const collator = new Intl.Collator('vi');
    apiRequest<{ items: Agency[] }>('/api/catalog/agencies')
      .then((r) => setAgencies(r.items.filter((a) => a.kind === 'branch' || a.kind === 'department' || a.kind === 'commune').sort((a, b) => collator.compare(a.name, b.name))))
      .catch(() => setAgencies([]));
  }, [load]);

  const generate = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setNotice(null);
    try {
      await apiRequest('/api/oversight/reports', { method: 'POST', body: { period, ...(agency ? { agency } : {}) } });
      setNotice(t.made(periodLabel(period, lang)));
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const toggleHistory = async (id: string) => {
    if (open?.id === id) return setOpen(null);
    try {
      setOpen({ id, downloads: (await apiRequest<{ items: Download[] }>(`/api/oversight/reports/${id}/downloads`)).items });
      // Downloads go straight from the links to the browser: the counts are read again with the history.
      await load();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      {canGenerate ? (
        <form className="oversight-toolbar" onSubmit={(e) => void generate(e)} aria-busy={busy}>
          <Select label={t.period} value={period} onChange={(e) => setPeriod(e.target.value)} options={periods.map((p) => ({ value: p, label: periodLabel(p, lang) }))} />
          <Select
            label={t.scope}
            value={agency}
            onChange={(e) => setAgency(e.target.value)}
            options={[{ value: '', label: t.whole }, ...agencies.map((a) => ({ value: a.code, label: a.name }))]}
          />
          <Button type="submit" disabled={busy}>
            {t.generate}
          </Button>
        </form>
      ) : null}
      {busy ? <Spinner label={t.generating} /> : null}
      <div role="status" aria-live="polite">
        {notice ? <p>{notice}</p> : null}
      </div>
      {error ? <ProblemAlert error={error} /> : null}
      {!items && !error ? <Spinner label={t.loading} /> : null}
      {items ? (
        <Table<ReportJson>
          caption={t.caption}
          rows={items}
          rowKey={(r) => r.id}
          empty={t.empty}
          columns={[
            { key: 'period', header: t.period, rowHeader: true, cell: (r) => periodLabel(r.period, lang) },
            { key: 'scope', header: t.scope, cell: (r) => r.scopeName },
            { key: 'at', header: t.generatedAt, cell: (r) => formatDateTime(r.generatedAt) },
            { key: 'by', header: t.by, cell: (r) => (r.generatedBy ? (r.generatedBy.name ?? r.generatedBy.id) : t.schedule) },
            { key: 'n', header: t.downloads, numeric: true, cell: (r) => formatInteger(r.downloads) },
            {
              key: 'files',
              header: t.files,
              cell: (r) => (
                <>
                  <a href={`/api/oversight/reports/${r.id}/files/xlsx`} download={r.files.xlsx} aria-label={`${t.xlsx}: ${periodLabel(r.period, lang)}, ${r.scopeName}`}>
                    {t.xlsx}
                  </a>
                  {' · '}
                  <a href={`/api/oversight/reports/${r.id}/files/pdf`} download={r.files.pdf} aria-label={`${t.pdf}: ${periodLabel(r.period, lang)}, ${r.scopeName}`}>
                    {t.pdf}
                  </a>
                  {' · '}
                  <Button variant="secondary" aria-expanded={open?.id === r.id} onClick={() => void toggleHistory(r.id)}>
                    {open?.id === r.id ? t.hide : t.history}
                  </Button>
                  {open?.id === r.id ? (
                    open.downloads.length === 0 ? (
                      <p>{t.noDownloads}</p>
                    ) : (
                      <ul className="oversight-list">
                        {open.downloads.map((d, i) => (
                          <li key={i}>
                            {formatDateTime(d.at)} — {d.user.name} ({d.user.username}), {d.format === 'xlsx' ? t.xlsx : t.pdf}
                          </li>
                        ))}
                      </ul>
                    )
                  ) : null}
                </>
              ),
            },
          ]}
        />
      ) : null}
    </>
  );
}
