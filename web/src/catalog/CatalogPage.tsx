import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { apiRequest, errorMessage } from '../lib/api.ts';
import { formatVnd } from '../lib/format.ts';
import { nfc } from '../lib/text.ts';
import { Alert, Button, Card, PageHeader, Spinner, TextField } from '../ui/index.ts';
import { useLang, useText } from './lang.ts';
import { CHANNEL_LABELS, deadlineText, type Agency, type Procedure } from './model.ts';
import './catalog.css';

const PAGE_SIZE = 20;

const TEXT = {
  vi: {
    title: 'Thủ tục hành chính',
    lead: 'Tra cứu thủ tục, thành phần hồ sơ, thời hạn giải quyết và phí, lệ phí. Có thể gõ có dấu hoặc không dấu.',
    search: 'Tìm thủ tục',
    searchHint: 'Ví dụ: cấp phép, khai sinh, 1.014076',
    field: 'Lĩnh vực',
    agency: 'Cơ quan',
    all: 'Tất cả',
    departments: 'Sở, ngành, Trung tâm',
    communes: 'Xã, phường',
    submit: 'Tìm kiếm',
    loading: 'Đang tải danh sách thủ tục…',
    found: (n: number) => (n === 0 ? 'Không tìm thấy thủ tục phù hợp.' : `Tìm thấy ${n} thủ tục.`),
    resultsLabel: 'Kết quả tìm kiếm',
    deadline: 'Thời hạn',
    fee: 'Phí, lệ phí',
    noFee: 'Không thu',
    from: 'từ',
    agencyOf: 'Cơ quan giải quyết',
    communeLevel: 'UBND xã, phường',
    channels: 'Cách nộp',
    code: 'Mã thủ tục',
    previous: 'Trang trước',
    next: 'Trang sau',
    page: (p: number, n: number) => `Trang ${p}/${n}`,
  },
  en: {
    title: 'Administrative procedures',
    lead: 'Find procedures, required documents, deadlines and fees. Vietnamese with or without diacritics works.',
    search: 'Search procedures',
    searchHint: 'For example: cap phep, khai sinh, 1.014076',
    field: 'Field',
    agency: 'Agency',
    all: 'All',
    departments: 'Departments and centers',
    communes: 'Communes and wards',
    submit: 'Search',
    loading: 'Loading procedures…',
    found: (n: number) => (n === 0 ? 'No matching procedure.' : `${n} procedure${n === 1 ? '' : 's'} found.`),
    resultsLabel: 'Search results',
    deadline: 'Deadline',
    fee: 'Fees',
    noFee: 'None',
    from: 'from',
    agencyOf: 'Competent agency',
    communeLevel: "Commune/ward People's Committee",
    channels: 'How to submit',
    code: 'Code',
    previous: 'Previous page',
    next: 'Next page',
    page: (p: number, n: number) => `Page ${p} of ${n}`,
  },
};

interface SearchResult {
  items: Procedure[];
  total: number;
}

export function CatalogPage() {
  const t = useText(TEXT);
  const lang = useLang();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const field = params.get('field') ?? '';
  const agency = params.get('agency') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [draft, setDraft] = useState(q);
  const [fields, setFields] = useState<{ field: string; count: number }[]>([]);
  const [agencies, setAgencies] = useState<Agency[]>([]);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const agencySelectId = useId();
  const fieldSelectId = useId();
  useDocumentTitle(t.title);

  useEffect(() => setDraft(q), [q]);

  useEffect(() => {
    const ctrl = new AbortController();
    void Promise.all([
      apiRequest<{ items: { field: string; count: number }[] }>('/api/catalog/fields', { signal: ctrl.signal }),
      apiRequest<{ items: Agency[] }>('/api/catalog/agencies', { signal: ctrl.signal }),
    ])
      .then(([f, a]) => {
        setFields(f.items);
        setAgencies(a.items);
      })
      .catch((e: unknown) => {
        if ((e as Error)?.name !== 'AbortError') setError(e);
      });
    return () => ctrl.abort();
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    const search = new URLSearchParams();
    if (q) search.set('q', q);
    if (field) search.set('field', field);
    if (agency) search.set('agency', agency);
    search.set('limit', String(PAGE_SIZE));
    search.set('offset', String((page - 1) * PAGE_SIZE));
    setResult(null);
    setError(null);
    apiRequest<SearchResult>(`/api/catalog/procedures?${search}`, { signal: ctrl.signal })
      .then(setResult)
      .catch((e: unknown) => {
        if ((e as Error)?.name !== 'AbortError') setError(e);
      });
    return () => ctrl.abort();
  }, [q, field, agency, page]);

  const update = (next: Record<string, string>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) merged.set(k, v);
      else merged.delete(k);
    }
    merged.delete('page');
    setParams(merged);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update({ q: nfc(draft.trim()) });
  };

  const departments = agencies.filter((a) => a.kind !== 'commune' && a.kind !== 'branch' && a.kind !== 'other');
  const communes = agencies.filter((a) => a.kind === 'commune').sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : 1;

  return (
    <div data-testid="catalog-page">
      <PageHeader title={t.title} lead={t.lead} />
      <form role="search" className="catalog-search" onSubmit={onSubmit} aria-label={t.search}>
        <TextField label={t.search} hint={t.searchHint} type="search" name="q" value={draft} onChange={(e) => setDraft(e.target.value)} autoComplete="off" />
        <div className="field">
          <label className="field__label" htmlFor={fieldSelectId}>
            {t.field}
          </label>
          <select id={fieldSelectId} className="select" name="field" value={field} onChange={(e) => update({ field: e.target.value })}>
            <option value="">{t.all}</option>
            {fields.map((f) => (
              <option key={f.field} value={f.field}>
                {f.field} ({f.count})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={agencySelectId}>
            {t.agency}
          </label>
          <select id={agencySelectId} className="select" name="agency" value={agency} onChange={(e) => update({ agency: e.target.value })}>
            <option value="">{t.all}</option>
            <optgroup label={t.departments}>
              {departments.map((a) => (
                <option key={a.id} value={a.code}>
                  {a.name}
                </option>
              ))}
            </optgroup>
            <optgroup label={t.communes}>
              {communes.map((a) => (
                <option key={a.id} value={a.code}>
                  {a.name}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <Button type="submit">{t.submit}</Button>
      </form>

      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
      <p role="status" aria-live="polite" data-testid="catalog-count">
        {result ? t.found(result.total) : error ? '' : <Spinner label={t.loading} />}
      </p>
      {result && result.items.length > 0 ? (
        <ul className="catalog-results" aria-label={t.resultsLabel} data-testid="catalog-results">
          {result.items.map((p) => (
            <li key={p.id}>
              <Card title={p.name} level={2} link={<Link to={`/thu-tuc/${encodeURIComponent(p.key)}`}>{p.name}</Link>}>
                <dl className="catalog-facts">
                  <div>
                    <dt>{t.field}</dt>
                    <dd>{p.field}</dd>
                  </div>
                  <div>
                    <dt>{t.agencyOf}</dt>
                    <dd>{p.competentAgencyName ?? t.communeLevel}</dd>
                  </div>
                  <div>
                    <dt>{t.deadline}</dt>
                    <dd>{deadlineText(p.deadline, lang)}</dd>
                  </div>
                  <div>
                    <dt>{t.fee}</dt>
                    <dd>{feeSummary(p, t)}</dd>
                  </div>
                  <div>
                    <dt>{t.channels}</dt>
                    <dd>{p.channels.map((c) => CHANNEL_LABELS[c][lang]).join(', ')}</dd>
                  </div>
                  {p.nationalCode ? (
                    <div>
                      <dt>{t.code}</dt>
                      <dd>{p.nationalCode}</dd>
                    </div>
                  ) : null}
                </dl>
              </Card>
            </li>
          ))}
        </ul>
      ) : null}
      {result && pages > 1 ? (
        <nav className="catalog-pager" aria-label={t.page(page, pages)}>
          <Button variant="secondary" disabled={page <= 1} onClick={() => setParams(withPage(params, page - 1))}>
            {t.previous}
          </Button>
          <span>{t.page(page, pages)}</span>
          <Button variant="secondary" disabled={page >= pages} onClick={() => setParams(withPage(params, page + 1))}>
            {t.next}
          </Button>
        </nav>
      ) : null}
    </div>
  );
}

function withPage(params: URLSearchParams, page: number): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set('page', String(page));
  return next;
}

function feeSummary(p: Procedure, t: (typeof TEXT)['vi']): string {
  const paid = p.fees.filter((f) => f.amountVnd > 0).map((f) => f.amountVnd);
  if (!paid.length) return t.noFee;
  const min = Math.min(...paid);
  return paid.length > 1 && Math.max(...paid) !== min ? `${t.from} ${formatVnd(min)}` : formatVnd(min);
}
