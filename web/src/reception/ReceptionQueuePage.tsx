import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { PATHS } from '../app/paths.ts';
import { useLang, useText } from '../catalog/lang.ts';
import { api, errorMessage } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';
import { useProcedureNames } from '../portal/MyDossiersPage.tsx';
import { Alert, Badge, Button, PageHeader, Spinner, Table } from '../ui/index.ts';
import { sortQueue, urgencyOf, type QueueItem } from './model.ts';
import { ScanSearch } from './ScanText.tsx';

const TEXT = {
  vi: {
    title: 'Hàng chờ tiếp nhận hồ sơ trực tuyến',
    lead: 'Hồ sơ nộp trực tuyến chờ kiểm tra trong ngày làm việc: tiếp nhận, trả lại để hoàn thiện (một lần) hoặc từ chối tiếp nhận.',
    caption: 'Hồ sơ chờ tiếp nhận, hạn sớm nhất trước',
    procedure: 'Thủ tục',
    applicant: 'Người nộp',
    submitted: 'Nộp lúc',
    due: 'Hạn tiếp nhận',
    components: 'Số thành phần',
    open: 'Mở hồ sơ',
    empty: 'Không có hồ sơ nào chờ tiếp nhận.',
    refresh: 'Làm mới',
    loading: 'Đang tải…',
    citizen: 'Công dân',
    business: 'Doanh nghiệp',
    overdue: 'Quá hạn',
    soon: 'Sắp đến hạn',
    completed: 'Đã hoàn thiện',
    walkIn: 'Tiếp nhận trực tiếp',
  },
  en: {
    title: 'Online reception queue',
    lead: 'Online dossiers awaiting the same-day check: receive, return for completion (once), or refuse.',
    caption: 'Dossiers awaiting reception, earliest due first',
    procedure: 'Procedure',
    applicant: 'Applicant',
    submitted: 'Submitted',
    due: 'Reception due',
    components: 'Components',
    open: 'Open',
    empty: 'No dossier is waiting for reception.',
    refresh: 'Refresh',
    loading: 'Loading…',
    citizen: 'Citizen',
    business: 'Business',
    overdue: 'Overdue',
    soon: 'Due soon',
    completed: 'Completed',
    walkIn: 'Walk-in reception',
  },
};

export function ReceptionQueuePage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const names = useProcedureNames();
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    api
      .get<{ items: QueueItem[] }>('/api/reception/queue?limit=200', ac.signal)
      .then((r) => {
        setItems(sortQueue(r.items));
        setError(null);
      })
      .catch((e: unknown) => (ac.signal.aborted ? undefined : setError(e)));
    return () => ac.abort();
  }, [tick]);
  const now = new Date();
  return (
    <>
      <PageHeader
        title={t.title}
        lead={t.lead}
        actions={
          <>
            <Button variant="secondary" onClick={() => setTick((x) => x + 1)}>
              {t.refresh}
            </Button>{' '}
            <Link className="button button--secondary" to={PATHS.walkIn}>
              {t.walkIn}
            </Link>
          </>
        }
      />
      <ScanSearch procedureName={(k) => names.get(k) ?? k} />
      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
      {!items && !error ? <Spinner label={t.loading} /> : null}
      {items ? (
        <Table<QueueItem>
          caption={t.caption}
          rows={items}
          rowKey={(i) => i.id}
          empty={t.empty}
          columns={[
            {
              key: 'procedure',
              header: t.procedure,
              rowHeader: true,
              cell: (i) => (
                <Link to={`${PATHS.reception}/ho-so/${i.id}`} aria-label={`${t.open}: ${names.get(i.procedure) ?? i.procedure}`}>
                  {names.get(i.procedure) ?? i.procedure}
                </Link>
              ),
            },
            { key: 'applicant', header: t.applicant, cell: (i) => (i.applicantKind === 'business' ? t.business : t.citizen) },
            { key: 'submitted', header: t.submitted, cell: (i) => (i.submittedAt ? formatDateTime(i.submittedAt) : '—') },
            {
              key: 'due',
              header: t.due,
              cell: (i) => {
                const u = urgencyOf(i.receptionDue, now);
                return (
                  <>
                    {i.receptionDue ? formatDateTime(i.receptionDue) : '—'}{' '}
                    {u === 'overdue' ? <Badge tone="danger">{t.overdue}</Badge> : u === 'soon' ? <Badge tone="warning">{t.soon}</Badge> : null}
                    {i.completionRequested ? <Badge tone="info">{t.completed}</Badge> : null}
                  </>
                );
              },
            },
            { key: 'n', header: t.components, numeric: true, cell: (i) => i.components.length },
          ]}
        />
      ) : null}
    </>
  );
}
