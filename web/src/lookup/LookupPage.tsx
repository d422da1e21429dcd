import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { PATHS } from '../app/paths.ts';
import { useRouteExists } from '../app/route-registry.tsx';
import { useLang, useText } from '../catalog/lang.ts';
import type { LocalizedText } from '../lib/api.ts';
import { ApiError, api, errorMessage } from '../lib/api.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { statusTone } from '../portal/model.ts';
import { Alert, Badge, Button, Form, PageHeader, TextField } from '../ui/index.ts';
import '../portal/portal.css';

const TEXT = {
  vi: {
    title: 'Tra cứu tình trạng hồ sơ',
    lead: 'Nhập mã hồ sơ và mã tra cứu in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Không cần đăng nhập.',
    code: 'Mã hồ sơ',
    codeHint: 'Ví dụ 000.01.30.H26-260310-0001',
    secret: 'Mã tra cứu',
    secretHint: 'Mã bí mật in trên Giấy tiếp nhận (hoặc được hiển thị khi bạn nộp hồ sơ trực tuyến).',
    search: 'Tra cứu',
    required: 'Hãy nhập thông tin này.',
    status: 'Trạng thái',
    received: 'Thời điểm tiếp nhận',
    promised: 'Ngày hẹn trả kết quả',
    awaiting: 'Đang chờ',
    requested: 'Thành phần được yêu cầu',
    tooMany: (s: number) => `Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ${s} giây.`,
    paper: 'Bị yêu cầu nộp giấy tờ đã có bản điện tử? Phản ánh tại đây',
  },
  en: {
    title: 'Look up a dossier',
    lead: 'Enter the dossier code and the look-up secret printed on the receipt. No sign-in needed.',
    code: 'Dossier code',
    codeHint: 'E.g. 000.01.30.H26-260310-0001',
    secret: 'Look-up secret',
    secretHint: 'The secret printed on the receipt (or shown when you submitted online).',
    search: 'Look up',
    required: 'Fill this in.',
    status: 'Status',
    received: 'Received at',
    promised: 'Promised result date',
    awaiting: 'Waiting for',
    requested: 'Components asked for',
    tooMany: (s: number) => `Too many look-ups. Try again in ${s} seconds.`,
    paper: 'Asked for paper of a document that has an electronic version? Report it here',
  },
};

interface PublicStatus {
  code: string | null;
  status: string;
  portalStatus: number;
  label: LocalizedText;
  procedure: string;
  receivedAt: string | null;
  promisedDue: string | null;
  awaiting: LocalizedText;
  requested: { componentKey: string; reason: string }[];
}

export function LookupPage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const exists = useRouteExists();
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get('ma') ?? '');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<{ code?: string; secret?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<PublicStatus | null>(null);
  const [procedure, setProcedure] = useState<{ name: string; components: Map<string, string> } | null>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  const submit = async () => {
    const e: typeof errors = {};
    if (!code.trim()) e.code = t.required;
    if (!secret.trim()) e.secret = t.required;
    setErrors(e);
    if (e.code || e.secret) {
      document.getElementById(e.code ? 'lookup-code' : 'lookup-secret')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await api.get<PublicStatus>(`/api/public/dossiers/${encodeURIComponent(code.trim())}/status?secret=${encodeURIComponent(secret.trim())}`);
      setResult(r);
      api
        .get<{ procedure: { name: string }; components: { key: string; name: string }[] }>(`/api/catalog/procedures/${encodeURIComponent(r.procedure)}`)
        .then((p) => setProcedure({ name: p.procedure.name, components: new Map(p.components.map((c) => [c.key, c.name])) }), () => setProcedure(null));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const limited = error instanceof ApiError && error.status === 429;
  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      <Form onSubmit={() => void submit()}>
        <TextField id="lookup-code" label={t.code} hint={t.codeHint} value={code} error={errors.code ?? null} required autoComplete="off" onChange={(e) => setCode(e.target.value)} />
        <TextField id="lookup-secret" label={t.secret} hint={t.secretHint} value={secret} error={errors.secret ?? null} required autoComplete="off" onChange={(e) => setSecret(e.target.value)} />
        <Button type="submit" busy={busy}>
          {t.search}
        </Button>
      </Form>
      {error ? (
        <Alert tone="error" ref={errorRef} tabIndex={-1}>
          {limited && (error as ApiError).retryAfterSeconds ? t.tooMany((error as ApiError).retryAfterSeconds!) : errorMessage(error, lang)}
        </Alert>
      ) : null}
      {result ? (
        <section aria-labelledby="lookup-result" className="portal-component">
          <h2 id="lookup-result" tabIndex={-1} ref={resultRef}>
            {result.code ?? code} — {procedure?.name ?? result.procedure}
          </h2>
          <dl className="portal-kv">
            <dt>{t.status}</dt>
            <dd>
              <Badge tone={statusTone(result.status)}>{result.label[lang]}</Badge>
            </dd>
            <dt>{t.awaiting}</dt>
            <dd>{result.awaiting[lang]}</dd>
            {result.receivedAt ? (
              <>
                <dt>{t.received}</dt>
                <dd>{formatDateTime(result.receivedAt)}</dd>
              </>
            ) : null}
            {result.promisedDue ? (
              <>
                <dt>{t.promised}</dt>
                <dd>{formatDate(result.promisedDue)}</dd>
              </>
            ) : null}
          </dl>
          {result.requested.length ? (
            <>
              <h3>{t.requested}</h3>
              <ul>
                {result.requested.map((r) => (
                  <li key={r.componentKey}>
                    <strong>{procedure?.components.get(r.componentKey) ?? r.componentKey}</strong>: {r.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
      {exists(PATHS.paperReport) ? (
        <p>
          <Link to={`${PATHS.paperReport}${code.trim() ? `?ma=${encodeURIComponent(code.trim())}` : ''}`}>{t.paper}</Link>
        </p>
      ) : null}
    </>
  );
}
