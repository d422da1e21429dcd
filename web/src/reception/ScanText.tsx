/**
 * Recognised text (OCR) at the counter: the text of a dossier's scans, a search over the branch's scans, and reading
 * a scanned CCCD into suggestions the officer accepts (never filled in silently). The text is a derived copy: the
 * scans themselves are shown and signed as received.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { PATHS } from '../app/paths.ts';
import { useLang, useText } from '../catalog/lang.ts';
import { apiRequest, errorMessage } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';
import { isoToVnDate } from '../portal/model.ts';
import { Alert, Button, TextField } from '../ui/index.ts';
import './reception.css';

const TEXT = {
  vi: {
    heading: 'Văn bản nhận dạng từ bản quét (OCR)',
    note: 'Bản sao dẫn xuất để tìm kiếm; bản quét và bản ký số giữ nguyên như khi tiếp nhận.',
    pending: 'Đang nhận dạng văn bản…',
    refresh: 'Làm mới',
    page: (n: number, c: number | null) => `Trang ${n}${c === null ? '' : ` (độ tin cậy ${Math.round(c)}%)`}`,
    at: (t: string) => `Nhận dạng lúc ${t}`,
    search: 'Tìm theo nội dung bản quét',
    searchHint: 'Ví dụ: họ tên, số CCCD; gõ có hoặc không dấu',
    find: 'Tìm',
    keywords: 'Từ khóa',
    results: (n: number) => (n ? `${n} hồ sơ có bản quét khớp` : 'Không có hồ sơ nào khớp'),
    noCode: 'chưa có mã',
    card: 'Đọc thông tin từ ảnh CCCD',
    cardHint: 'Ảnh chụp hoặc bản quét mặt trước (JPEG, PNG, PDF); chỉ để gợi ý, không lưu lại',
    reading: 'Đang đọc ảnh…',
    found: 'Gợi ý từ ảnh — kiểm tra lại với bản gốc trước khi dùng:',
    idNumber: 'Số định danh',
    fullName: 'Họ và tên',
    dateOfBirth: 'Ngày sinh',
    none: 'Không đọc được thông tin nào hợp lệ từ ảnh này.',
    accept: 'Điền vào biểu mẫu',
  },
  en: {
    heading: 'Text recognised in the scans (OCR)',
    note: 'A derived copy for search; the scans and the signed copies stay as received.',
    pending: 'Recognising text…',
    refresh: 'Refresh',
    page: (n: number, c: number | null) => `Page ${n}${c === null ? '' : ` (confidence ${Math.round(c)}%)`}`,
    at: (t: string) => `Recognised at ${t}`,
    search: 'Search the text of scans',
    searchHint: 'E.g. a full name or CCCD number; with or without accents',
    find: 'Search',
    keywords: 'Words',
    results: (n: number) => (n ? `${n} dossiers with a matching scan` : 'No dossier matches'),
    noCode: 'no code yet',
    card: 'Read from a CCCD photo',
    cardHint: 'Photo or scan of the front (JPEG, PNG, PDF); suggestions only, nothing is kept',
    reading: 'Reading the image…',
    found: 'Suggested from the image — check against the original before using:',
    idNumber: 'ID number',
    fullName: 'Full name',
    dateOfBirth: 'Date of birth',
    none: 'No valid information could be read from this image.',
    accept: 'Fill in the form',
  },
};

interface TextItem {
  componentKey: string;
  documentId: string;
  status: 'done' | 'pending';
  engine?: string;
  pages?: { page: number; confidence: number | null; chars: number }[];
  text?: string;
  recognizedAt?: string;
}

/** The recognised text of a dossier's scans, per component; nothing when the dossier has no scan. */
export function ScanTextSection({ dossierId, names }: { dossierId: string; names: ReadonlyMap<string, string> }) {
  const t = useText(TEXT);
  const lang = useLang();
  const [items, setItems] = useState<TextItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setItems((await apiRequest<{ items: TextItem[] }>(`/api/reception/dossiers/${encodeURIComponent(dossierId)}/text`)).items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [dossierId]);
  useEffect(() => {
    void load();
  }, [load]);
  if (error) return <Alert tone="error">{errorMessage(error, lang)}</Alert>;
  if (!items?.length) return null;
  return (
    <section aria-labelledby="scan-text-h" className="reception-scan-text">
      <h2 id="scan-text-h">{t.heading}</h2>
      <p className="portal-muted">{t.note}</p>
      {items.map((i) => (
        <details key={i.documentId} className="reception-component">
          <summary>{names.get(i.componentKey) ?? i.componentKey}</summary>
          {i.status === 'pending' ? (
            <p>
              {t.pending}{' '}
              <Button variant="secondary" onClick={() => void load()}>
                {t.refresh}
              </Button>
            </p>
          ) : (
            <>
              <p className="portal-muted">
                {t.at(formatDateTime(i.recognizedAt!))} · {i.pages!.map((p) => t.page(p.page, p.confidence)).join(', ')}
              </p>
              <pre className="reception-ocr" lang="vi">
                {i.text}
              </pre>
            </>
          )}
        </details>
      ))}
    </section>
  );
}

interface Hit {
  id: string;
  code: string | null;
  procedure: string;
  components: string[];
  receivedAt: string | null;
}

/** Search over the branch's scans; results link to the dossiers. */
export function ScanSearch({ procedureName }: { procedureName: (key: string) => string }) {
  const t = useText(TEXT);
  const lang = useLang();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setHits((await apiRequest<{ items: Hit[] }>(`/api/reception/search?q=${encodeURIComponent(q.trim())}`)).items);
      setError(null);
    } catch (err) {
      setError(err);
      setHits(null);
    }
  };
  return (
    <section aria-labelledby="scan-search-h" className="reception-search">
      <form onSubmit={(e) => void submit(e)} role="search" aria-labelledby="scan-search-h">
        <h2 id="scan-search-h">{t.search}</h2>
        <div className="reception-search__row">
          <TextField label={t.keywords} hint={t.searchHint} value={q} onChange={(e) => setQ(e.target.value)} required maxLength={200} autoComplete="off" />
          <Button type="submit" variant="secondary">
            {t.find}
          </Button>
        </div>
      </form>
      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
      {hits ? (
        <div role="status" aria-live="polite">
          <p>{t.results(hits.length)}</p>
          <ul>
            {hits.map((h) => (
              <li key={h.id}>
                <Link to={`${PATHS.reception}/ho-so/${h.id}`}>
                  {h.code ?? t.noCode} — {procedureName(h.procedure)}
                </Link>
                {h.receivedAt ? ` (${formatDateTime(h.receivedAt)})` : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

export interface CccdFields {
  idNumber: string | null;
  fullName: string | null;
  dateOfBirth: string | null;
}

/** Reads a CCCD photo into suggestions; the officer checks them against the card and accepts them. */
export function CccdReader({ onAccept }: { onAccept: (s: CccdFields) => void }) {
  const t = useText(TEXT);
  const lang = useLang();
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<CccdFields | null>(null);
  const [error, setError] = useState<unknown>(null);
  const read = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setFound(null);
    setError(null);
    try {
      const body = new FormData();
      body.append('image', file);
      setFound(await apiRequest<CccdFields>('/api/reception/ocr/cccd', { method: 'POST', body }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const any = found && (found.idNumber || found.fullName || found.dateOfBirth);
  return (
    <div className="reception-cccd">
      <TextField label={t.card} hint={t.cardHint} type="file" accept="image/jpeg,image/png,application/pdf" onChange={(e) => void read(e.target.files?.[0])} />
      <div role="status" aria-live="polite">
        {busy ? <p>{t.reading}</p> : null}
        {found && !any ? <p>{t.none}</p> : null}
        {any ? (
          <>
            <p>{t.found}</p>
            <dl className="portal-kv">
              {found.idNumber ? (
                <>
                  <dt>{t.idNumber}</dt>
                  <dd>{found.idNumber}</dd>
                </>
              ) : null}
              {found.fullName ? (
                <>
                  <dt>{t.fullName}</dt>
                  <dd>{found.fullName}</dd>
                </>
              ) : null}
              {found.dateOfBirth ? (
                <>
                  <dt>{t.dateOfBirth}</dt>
                  <dd>{isoToVnDate(found.dateOfBirth)}</dd>
                </>
              ) : null}
            </dl>
            <Button variant="secondary" onClick={() => onAccept(found)}>
              {t.accept}
            </Button>
          </>
        ) : null}
      </div>
      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
    </div>
  );
}
