import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { PATHS } from '../app/paths.ts';
import { useLang, useText } from '../catalog/lang.ts';
import type { Procedure } from '../catalog/model.ts';
import { api, errorMessage } from '../lib/api.ts';
import { formatDate } from '../lib/format.ts';
import { Alert, Badge, PageHeader, Spinner } from '../ui/index.ts';
import { statusTone, type DossierSummary } from './model.ts';
import './portal.css';

const TEXT = {
  vi: {
    title: 'Hồ sơ của tôi',
    lead: 'Các hồ sơ bạn đã nộp, trạng thái và ngày hẹn trả kết quả.',
    empty: 'Bạn chưa nộp hồ sơ nào.',
    submit: 'Nộp hồ sơ mới',
    code: 'Mã hồ sơ',
    noCode: 'Chưa có mã (chờ tiếp nhận)',
    submitted: 'Ngày nộp',
    received: 'Ngày tiếp nhận',
    due: 'Hẹn trả',
    loading: 'Đang tải…',
  },
  en: {
    title: 'My dossiers',
    lead: 'The dossiers you submitted, their status and promised dates.',
    empty: 'You have not submitted any dossier yet.',
    submit: 'Submit a new dossier',
    code: 'Dossier code',
    noCode: 'No code yet (waiting for reception)',
    submitted: 'Submitted',
    received: 'Received',
    due: 'Promised',
    loading: 'Loading…',
  },
};

/** Procedure key → name, for pages that show dossiers (the dossier API names procedures by key). */
export function useProcedureNames(): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    const ac = new AbortController();
    api
      .get<{ items: Procedure[] }>('/api/catalog/procedures?limit=500', ac.signal)
      .then((r) => setNames(new Map(r.items.map((p) => [p.key, p.name]))))
      .catch(() => undefined); // the key is shown instead
    return () => ac.abort();
  }, []);
  return names;
}

export function MyDossiersPage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const names = useProcedureNames();
  const [items, setItems] = useState<DossierSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const ac = new AbortController();
    api
      .get<{ items: DossierSummary[] }>('/api/my/dossiers?limit=200', ac.signal)
      .then((r) => setItems(r.items))
      .catch((e: unknown) => (ac.signal.aborted ? undefined : setError(e)));
    return () => ac.abort();
  }, []);
  return (
    <>
      <PageHeader title={t.title} lead={t.lead} actions={<Link className="button button--primary" to={PATHS.submit}>{t.submit}</Link>} />
      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
      {!items && !error ? <Spinner label={t.loading} /> : null}
      {items && !items.length ? <p>{t.empty}</p> : null}
      {items?.length ? (
        <ul className="portal-list">
          {items.map((d) => (
            <li key={d.id}>
              <p>
                <Link to={`${PATHS.myDossiers}/${d.id}`}>
                  <strong>{names.get(d.procedure) ?? d.procedure}</strong>
                </Link>{' '}
                <Badge tone={statusTone(d.status)}>{d.label[lang]}</Badge>
              </p>
              <dl className="portal-kv">
                <dt>{t.code}</dt>
                <dd>{d.code ?? t.noCode}</dd>
                {d.submittedAt ? (
                  <>
                    <dt>{t.submitted}</dt>
                    <dd>{formatDate(d.submittedAt)}</dd>
                  </>
                ) : null}
                {d.receivedAt ? (
                  <>
                    <dt>{t.received}</dt>
                    <dd>{formatDate(d.receivedAt)}</dd>
                  </>
                ) : null}
                {d.dueAt ? (
                  <>
                    <dt>{t.due}</dt>
                    <dd>{formatDate(d.dueAt)}</dd>
                  </>
                ) : null}
              </dl>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
