import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { PATHS } from '../app/paths.ts';
import { useSession } from '../app/session.tsx';
import { useLang, useText } from '../catalog/lang.ts';
import { BASIS_LABELS, type Agency, type Basis, type Component, type Procedure, type ProcedureDetail } from '../catalog/model.ts';
import { ApiError, api, apiRequest, errorMessage } from '../lib/api.ts';
import { formatDate } from '../lib/format.ts';
import { collator, foldForSearch } from '../lib/text.ts';
import { Alert, Badge, Button, FieldGroup, PageHeader, Select, Spinner, TextField } from '../ui/index.ts';
import { Attachments } from './Attachments.tsx';
import { FormFields, fieldControlId } from './FormFields.tsx';
import {
  BASIS_EXPLAINED,
  buildSubmission,
  checkForm,
  missingRequired,
  newIdempotencyKey,
  onlineBases,
  placeProblem,
  uploadBases,
  type ComponentChoice,
  type EstoreItem,
  type SubmissionResult,
} from './model.ts';
import './portal.css';

const TEXT = {
  vi: {
    title: 'Nộp hồ sơ trực tuyến',
    lead: 'Chọn thủ tục, kê khai tờ khai và đính kèm giấy tờ điện tử. Bạn không phải nộp bản giấy của giấy tờ đã có bản điện tử hợp lệ.',
    search: 'Tìm thủ tục',
    searchHint: 'Gõ tên thủ tục hoặc lĩnh vực, có dấu hay không dấu đều được',
    procedure: 'Thủ tục',
    noMatch: 'Không có thủ tục trực tuyến nào khớp.',
    branch: 'Nơi tiếp nhận hồ sơ',
    components: 'Thành phần hồ sơ',
    required: 'Bắt buộc',
    optional: 'Không bắt buộc',
    how: 'Cách nộp',
    fill: 'Kê khai trực tuyến',
    upload: (b: string) => `Tải lên: ${b}`,
    photos: 'Tải lên ảnh chụp hoặc bản quét (cán bộ ký số khi tiếp nhận)',
    reuse: 'Lấy từ kho dữ liệu của tôi',
    skip: 'Không nộp thành phần này',
    exempt: 'Không phải nộp trực tuyến',
    pick: 'Giấy tờ trong kho dữ liệu',
    noEstore: 'Kho dữ liệu chưa có giấy tờ còn hiệu lực phù hợp.',
    validUntil: (d: string) => `hiệu lực đến ${d}`,
    files: 'Tệp đính kèm',
    review: 'Xem lại hồ sơ',
    back: 'Sửa lại',
    submit: 'Nộp hồ sơ',
    retry: 'Thử gửi lại',
    summary: 'Xem lại trước khi nộp',
    notProvided: 'Chưa nộp',
    fixFirst: 'Hồ sơ còn thông tin cần sửa; xem các thông báo bên dưới.',
    missing: 'Thành phần bắt buộc chưa được cung cấp',
    fileCount: (n: number) => `${n} tệp`,
    fromEstore: 'Từ kho dữ liệu',
    declared: 'Đã kê khai',
    done: 'Đã nộp hồ sơ',
    doneLead: 'Hồ sơ đang chờ bộ phận một cửa tiếp nhận trong ngày làm việc. Khi tiếp nhận, bạn nhận Giấy tiếp nhận và hẹn trả kết quả.',
    secret: 'Mã tra cứu hồ sơ',
    keep: 'Hãy ghi lại hoặc chụp lại mã này ngay: mã chỉ hiện một lần, dùng để tra cứu tình trạng hồ sơ mà không cần đăng nhập. Khi hồ sơ được tiếp nhận, Giấy tiếp nhận sẽ in mã tra cứu mới.',
    open: 'Xem hồ sơ',
    mine: 'Hồ sơ của tôi',
    another: 'Nộp hồ sơ khác',
    loading: 'Đang tải…',
    sending: 'Đang gửi hồ sơ…',
    applicant: 'Người được nộp thay',
    applicantId: 'Số định danh cá nhân (CCCD) hoặc mã số thuế của người nộp',
    applicantKind: 'Loại người nộp',
    citizen: 'Công dân',
    business: 'Doanh nghiệp, tổ chức',
    choose: '— Chọn —',
    networkRetry: 'Mất kết nối khi gửi. Bấm "Thử gửi lại": hồ sơ sẽ không bị nộp hai lần.',
  },
  en: {
    title: 'Submit a dossier online',
    lead: 'Choose a procedure, fill in the form and attach electronic documents. You never have to bring paper for a document that has a valid electronic version.',
    search: 'Find a procedure',
    searchHint: 'Type the name or field, with or without tone marks',
    procedure: 'Procedure',
    noMatch: 'No online procedure matches.',
    branch: 'Where the dossier is received',
    components: 'Dossier components',
    required: 'Required',
    optional: 'Optional',
    how: 'How to provide it',
    fill: 'Fill in online',
    upload: (b: string) => `Upload: ${b}`,
    photos: 'Upload photos or a scan (the officer signs it at reception)',
    reuse: 'Take it from my e-store',
    skip: 'Do not provide this component',
    exempt: 'Not submitted online',
    pick: 'Document in the e-store',
    noEstore: 'Your e-store has no matching valid document yet.',
    validUntil: (d: string) => `valid until ${d}`,
    files: 'Attached files',
    review: 'Review the dossier',
    back: 'Edit',
    submit: 'Submit the dossier',
    retry: 'Send again',
    summary: 'Review before submitting',
    notProvided: 'Not provided',
    fixFirst: 'Some entries need fixing; see the messages below.',
    missing: 'Required component not provided',
    fileCount: (n: number) => `${n} file(s)`,
    fromEstore: 'From the e-store',
    declared: 'Filled in',
    done: 'Dossier submitted',
    doneLead: 'The counter will check it within the working day. At reception you get the receipt with the promised date.',
    secret: 'Look-up secret',
    keep: 'Write down or photograph this secret now: it is shown only once and lets you look the dossier up without signing in. The receipt printed at reception carries a new one.',
    open: 'Open the dossier',
    mine: 'My dossiers',
    another: 'Submit another dossier',
    loading: 'Loading…',
    sending: 'Sending the dossier…',
    applicant: 'Submitting on behalf of',
    applicantId: "The applicant's personal identification number (CCCD) or tax code",
    applicantKind: 'Applicant type',
    citizen: 'Citizen',
    business: 'Business or organisation',
    choose: '— Choose —',
    networkRetry: 'The connection dropped while sending. Press "Send again": the dossier will not be submitted twice.',
  },
};

const isOnline = (p: Procedure) => p.active !== false && p.channels.some((c) => c === 'full_online' || c === 'partly_online');

function defaultChoice(c: Component, estore: EstoreItem[] | undefined): ComponentChoice {
  const bases = onlineBases(c);
  if (bases.includes('SELF_DECLARED')) return { mode: 'form', values: {} };
  const upload = uploadBases(c)[0];
  if (upload) return { mode: 'upload', basis: upload, files: [] };
  if (bases.includes('REUSED') && estore?.length) return { mode: 'reuse', estoreItemId: '' };
  return { mode: 'skip' };
}

type Step = 'edit' | 'review' | 'done';

export function SubmitPage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const { state } = useSession();
  const isAgent = state.status === 'authenticated' && state.user.role === 'agent';
  const [params, setParams] = useSearchParams();
  const procedureKey = params.get('thu-tuc') ?? '';

  const [procedures, setProcedures] = useState<Procedure[] | null>(null);
  const [agencies, setAgencies] = useState<Map<string, Agency>>(new Map());
  const [loadError, setLoadError] = useState<unknown>(null);
  const [query, setQuery] = useState('');
  const [detail, setDetail] = useState<ProcedureDetail | null>(null);
  const [branch, setBranch] = useState('');
  const [choices, setChoices] = useState<Record<string, ComponentChoice>>({});
  const [estore, setEstore] = useState<Record<string, EstoreItem[]>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, Record<string, string>>>({});
  const [componentErrors, setComponentErrors] = useState<Record<string, string>>({});
  const [applicant, setApplicant] = useState({ subjectId: '', kind: 'citizen' as 'citizen' | 'business' });
  const [step, setStep] = useState<Step>('edit');
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [result, setResult] = useState<SubmissionResult | null>(null);
  const idempotencyKey = useRef<string>(newIdempotencyKey());
  const errorSummary = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<string | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    Promise.all([
      api.get<{ items: Procedure[] }>('/api/catalog/procedures?limit=500', ac.signal),
      api.get<{ items: Agency[] }>('/api/catalog/agencies', ac.signal),
    ])
      .then(([p, a]) => {
        setProcedures(p.items.filter(isOnline).sort((x, y) => collator.compare(x.name, y.name)));
        setAgencies(new Map(a.items.map((x) => [x.code, x])));
      })
      .catch((e: unknown) => (ac.signal.aborted ? undefined : setLoadError(e)));
    return () => ac.abort();
  }, []);

  useEffect(() => {
    if (!procedureKey) {
      setDetail(null);
      return;
    }
    const ac = new AbortController();
    api
      .get<ProcedureDetail>(`/api/catalog/procedures/${encodeURIComponent(procedureKey)}`, ac.signal)
      .then(async (d) => {
        // Contract 1: the e-store is offered only for components that accept REUSED, and only when the API answers.
        const lists: Record<string, EstoreItem[]> = {};
        await Promise.all(
          d.components
            .filter((c) => c.active && c.acceptedBases.includes('REUSED') && c.documentType)
            .map(async (c) => {
              try {
                const r = await api.get<{ items: EstoreItem[] }>(`/api/my/estore?documentType=${encodeURIComponent(c.documentType!)}`, ac.signal);
                lists[c.key] = r.items.filter((i) => i.status === 'valid');
              } catch {
                /* no e-store yet: the option is simply not offered */
              }
            }),
        );
        if (ac.signal.aborted) return;
        setDetail(d);
        setEstore(lists);
        setBranch(d.procedure.receivingAgencies.length === 1 ? d.procedure.receivingAgencies[0]! : '');
        setChoices(Object.fromEntries(d.components.filter((c) => c.active).map((c) => [c.key, defaultChoice(c, lists[c.key])])));
        setFieldErrors({});
        setComponentErrors({});
        setStep('edit');
      })
      .catch((e: unknown) => (ac.signal.aborted ? undefined : setLoadError(e)));
    return () => ac.abort();
  }, [procedureKey]);

  // After a render that shows errors, move focus to the first one (WCAG 3.3.1).
  useEffect(() => {
    if (!pendingFocus.current) return;
    const el = document.getElementById(pendingFocus.current) ?? errorSummary.current;
    pendingFocus.current = null;
    el?.focus();
  });

  const components = useMemo(() => (detail ? detail.components.filter((c) => c.active).sort((a, b) => a.position - b.position) : []), [detail]);

  const visible = useMemo(() => {
    if (!procedures) return [];
    const q = foldForSearch(query.trim());
    return q ? procedures.filter((p) => foldForSearch(`${p.name} ${p.field}`).includes(q)) : procedures;
  }, [procedures, query]);

  const change = (key: string, next: ComponentChoice) => {
    // Any change makes a new submission: a retry of the old one must not carry different content.
    idempotencyKey.current = newIdempotencyKey();
    setChoices((c) => ({ ...c, [key]: next }));
    setComponentErrors(({ [key]: _drop, ...rest }) => rest);
  };

  const validate = (): boolean => {
    const fe: Record<string, Record<string, string>> = {};
    const ce: Record<string, string> = {};
    let first: string | null = null;
    for (const c of components) {
      const ch = choices[c.key];
      if (ch?.mode === 'form' && c.formTemplate) {
        const errs = checkForm(c.formTemplate, ch.values, lang);
        if (Object.keys(errs).length) {
          fe[c.key] = errs;
          const firstField = c.formTemplate.fields.find((f) => errs[f.name]);
          first ??= firstField ? fieldControlId(c.key, firstField.name) : null;
        }
      }
    }
    for (const key of missingRequired(components, choices)) {
      ce[key] = t.missing;
      first ??= `c-${key}`;
    }
    setFieldErrors(fe);
    setComponentErrors(ce);
    if (first) pendingFocus.current = first;
    return !first;
  };

  const toReview = () => {
    if (isAgent && !applicant.subjectId.trim()) {
      pendingFocus.current = 'applicant-id';
      setComponentErrors((e) => ({ ...e, __applicant: t.missing }));
      return;
    }
    if (!validate()) return;
    setStep('review');
    pendingFocus.current = 'review-heading';
  };

  const send = async () => {
    if (!detail) return;
    setBusy(true);
    setSubmitError(null);
    const { dossier, files } = buildSubmission(detail.procedure.key, branch || null, components, choices);
    if (isAgent) dossier.applicant = { subjectId: applicant.subjectId.trim(), kind: applicant.kind };
    const body = new FormData();
    body.append('dossier', JSON.stringify(dossier));
    for (const f of files) body.append(f.field, f.file, f.file.name);
    try {
      const r = await apiRequest<SubmissionResult>('/api/dossiers', { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey.current } });
      setResult(r);
      setStep('done');
      pendingFocus.current = 'done-heading';
    } catch (err) {
      setSubmitError(err);
      if (err instanceof ApiError && err.code === 'NETWORK_ERROR') {
        pendingFocus.current = 'submit-error';
      } else {
        // Back to the form with the problem next to its component or field; nothing typed is lost.
        const placed = placeProblem(err, lang);
        if (placed?.component) {
          if (Object.keys(placed.fields).length) {
            setFieldErrors({ [placed.component]: placed.fields });
            const def = components.find((c) => c.key === placed.component);
            const firstField = def?.formTemplate?.fields.find((f) => placed.fields[f.name]);
            pendingFocus.current = firstField ? fieldControlId(placed.component, firstField.name) : `c-${placed.component}`;
          } else {
            setComponentErrors({ [placed.component]: placed.message });
            pendingFocus.current = `c-${placed.component}`;
          }
        } else pendingFocus.current = 'submit-error';
        setStep('edit');
      }
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <><PageHeader title={t.title} /><Alert tone="error">{errorMessage(loadError, lang)}</Alert></>;

  if (step === 'done' && result) {
    return (
      <>
        <PageHeader title={<span id="done-heading" tabIndex={-1}>{t.done}</span>} lead={t.doneLead} />
        <Alert tone="warning" title={t.secret} live={false}>
          <p className="portal-secret" data-testid="status-secret">{result.statusSecret}</p>
          <p>{t.keep}</p>
        </Alert>
        <p className="portal-actions">
          <Link className="button button--primary" to={`${PATHS.myDossiers}/${result.id}`}>{t.open}</Link>{' '}
          <Link className="button button--secondary" to={PATHS.myDossiers}>{t.mine}</Link>{' '}
          <Button variant="link" onClick={() => { setResult(null); setParams({}); setStep('edit'); idempotencyKey.current = newIdempotencyKey(); }}>{t.another}</Button>
        </p>
      </>
    );
  }

  const procedureOptions = visible.map((p) => ({ value: p.key, label: p.name }));
  const branches = detail?.procedure.receivingAgencies ?? [];

  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      {!procedures ? <Spinner label={t.loading} /> : null}
      {procedures && step === 'edit' ? (
        <section aria-label={t.procedure}>
          <TextField label={t.search} hint={t.searchHint} value={query} onChange={(e) => setQuery(e.target.value)} type="search" autoComplete="off" />
          {visible.length ? (
            <Select
              label={t.procedure}
              required
              placeholder={t.choose}
              options={procedureOptions.some((o) => o.value === procedureKey) || !detail ? procedureOptions : [{ value: detail.procedure.key, label: detail.procedure.name }, ...procedureOptions]}
              value={procedureKey}
              onChange={(e) => setParams(e.target.value ? { 'thu-tuc': e.target.value } : {})}
            />
          ) : (
            <p>{t.noMatch}</p>
          )}
        </section>
      ) : null}

      {submitError && (step === 'review' || !placeProblem(submitError, lang)?.component) ? (
        <Alert tone="error" id="submit-error" tabIndex={-1} title={errorMessage(submitError, lang)}>
          {submitError instanceof ApiError && submitError.code === 'NETWORK_ERROR' ? <p>{t.networkRetry}</p> : null}
          {submitError instanceof ApiError && typeof submitError.problem.detail === 'string' ? <p>{submitError.problem.detail}</p> : null}
        </Alert>
      ) : null}

      {detail && step === 'edit' ? (
        <>
          {branches.length > 1 ? (
            <Select
              label={t.branch}
              required
              placeholder={t.choose}
              options={branches.map((code) => ({ value: code, label: agencies.get(code)?.name ?? code }))}
              value={branch}
              onChange={(e) => setBranch(e.target.value)}
            />
          ) : branches.length === 1 ? (
            <p>
              <strong>{t.branch}:</strong> {agencies.get(branches[0]!)?.name ?? branches[0]}
            </p>
          ) : null}
          {isAgent ? (
            <FieldGroup legend={t.applicant}>
              <TextField
                id="applicant-id"
                label={t.applicantId}
                required
                inputMode="numeric"
                value={applicant.subjectId}
                error={componentErrors.__applicant ?? null}
                onChange={(e) => setApplicant((a) => ({ ...a, subjectId: e.target.value }))}
              />
              <Select
                label={t.applicantKind}
                options={[{ value: 'citizen', label: t.citizen }, { value: 'business', label: t.business }]}
                value={applicant.kind}
                onChange={(e) => setApplicant((a) => ({ ...a, kind: e.target.value as 'citizen' | 'business' }))}
              />
            </FieldGroup>
          ) : null}
          {Object.keys(componentErrors).length || Object.keys(fieldErrors).length ? (
            <Alert tone="error" ref={errorSummary} tabIndex={-1}>{t.fixFirst}</Alert>
          ) : null}
          <h2>{t.components}</h2>
          {components.map((c) => (
            <ComponentSection
              key={c.key}
              component={c}
              choice={choices[c.key] ?? { mode: 'skip' }}
              estore={estore[c.key]}
              error={componentErrors[c.key] ?? null}
              fieldErrors={fieldErrors[c.key] ?? {}}
              onChange={(next) => change(c.key, next)}
              onField={(name, value) => {
                const ch = choices[c.key];
                if (ch?.mode !== 'form') return;
                change(c.key, { mode: 'form', values: { ...ch.values, [name]: value } });
                setFieldErrors((fe) => (fe[c.key]?.[name] ? { ...fe, [c.key]: Object.fromEntries(Object.entries(fe[c.key]!).filter(([k]) => k !== name)) } : fe));
              }}
            />
          ))}
          <p className="portal-actions">
            <Button onClick={toReview} disabled={branches.length > 1 && !branch}>
              {t.review}
            </Button>
          </p>
        </>
      ) : null}

      {detail && step === 'review' ? (
        <section aria-labelledby="review-heading">
          <h2 id="review-heading" tabIndex={-1}>{t.summary}</h2>
          <dl className="portal-summary">
            <dt>{t.procedure}</dt>
            <dd>{detail.procedure.name}</dd>
            {branch ? (
              <>
                <dt>{t.branch}</dt>
                <dd>{agencies.get(branch)?.name ?? branch}</dd>
              </>
            ) : null}
            {components.map((c) => {
              const ch = choices[c.key];
              const what = c.exempt
                ? t.exempt
                : !ch || ch.mode === 'skip'
                  ? t.notProvided
                  : ch.mode === 'form'
                    ? `${BASIS_LABELS.SELF_DECLARED[lang]} — ${t.declared}`
                    : ch.mode === 'reuse'
                      ? `${BASIS_LABELS.REUSED[lang]} — ${estore[c.key]?.find((i) => i.id === ch.estoreItemId)?.title ?? ''}`
                      : `${BASIS_LABELS[ch.basis][lang]} — ${ch.files.map((f) => f.name).join(', ')}`;
              return (
                <div key={c.key} className="portal-summary__row">
                  <dt>{c.name}</dt>
                  <dd>{what}</dd>
                </div>
              );
            })}
          </dl>
          <p className="portal-actions">
            <Button onClick={() => void send()} busy={busy}>
              {submitError instanceof ApiError && submitError.code === 'NETWORK_ERROR' ? t.retry : t.submit}
            </Button>{' '}
            <Button variant="secondary" onClick={() => setStep('edit')} disabled={busy}>
              {t.back}
            </Button>
          </p>
          {busy ? <p role="status">{t.sending}</p> : null}
        </section>
      ) : null}
    </>
  );
}

export function ComponentSection({
  component: c,
  choice,
  estore,
  error,
  fieldErrors,
  onChange,
  onField,
}: {
  component: Component;
  choice: ComponentChoice;
  estore: EstoreItem[] | undefined;
  error: string | null;
  fieldErrors: Record<string, string>;
  onChange: (next: ComponentChoice) => void;
  onField: (name: string, value: string | boolean) => void;
}) {
  const t = useText(TEXT);
  const lang = useLang();
  const headingId = `c-${c.key}-title`;
  if (c.exempt) {
    return (
      <section className="portal-component" aria-labelledby={headingId} id={`c-${c.key}`} tabIndex={-1}>
        <h3 id={headingId}>{c.name}</h3>
        <p>
          <Badge tone="info">{t.exempt}</Badge> {c.exempt.note ?? ''}
        </p>
      </section>
    );
  }
  const bases = onlineBases(c);
  const uploads = uploadBases(c);
  const options: { value: string; label: string }[] = [];
  if (bases.includes('SELF_DECLARED') && c.formTemplate) options.push({ value: 'form', label: t.fill });
  for (const b of uploads) options.push({ value: `upload:${b}`, label: b === 'DIGITIZED_SIGNED' ? t.photos : t.upload(BASIS_LABELS[b][lang]) });
  if (bases.includes('REUSED') && estore) options.push({ value: 'reuse', label: t.reuse });
  if (!c.required || !options.length) options.push({ value: 'skip', label: t.skip });
  const current = choice.mode === 'upload' ? `upload:${choice.basis}` : choice.mode;
  const basis: Basis | null = choice.mode === 'form' ? 'SELF_DECLARED' : choice.mode === 'upload' ? choice.basis : choice.mode === 'reuse' ? 'REUSED' : null;
  const select = (value: string) => {
    if (value === 'form') onChange({ mode: 'form', values: choice.mode === 'form' ? choice.values : {} });
    else if (value.startsWith('upload:')) onChange({ mode: 'upload', basis: value.slice(7) as Basis, files: choice.mode === 'upload' ? choice.files : [] });
    else if (value === 'reuse') onChange({ mode: 'reuse', estoreItemId: '' });
    else onChange({ mode: 'skip' });
  };
  return (
    <section className={`portal-component${error ? ' portal-component--error' : ''}`} aria-labelledby={headingId} id={`c-${c.key}`} tabIndex={-1} data-component={c.key}>
      <h3 id={headingId}>
        {c.name} <Badge tone={c.required ? 'warning' : 'neutral'}>{c.required ? t.required : t.optional}</Badge>
      </h3>
      {c.note ? <p className="portal-muted">{c.note}</p> : null}
      {error ? (
        <Alert tone="error" live>
          {error}
        </Alert>
      ) : null}
      {options.length > 1 ? <Select label={t.how} options={options} value={current} onChange={(e) => select(e.target.value)} /> : null}
      {basis ? <p className="portal-basis">{BASIS_EXPLAINED[basis][lang]}</p> : null}
      {choice.mode === 'form' && c.formTemplate ? (
        <>
          <p className="portal-muted">{c.formTemplate.title}</p>
          <FormFields componentKey={c.key} fields={c.formTemplate.fields} values={choice.values} errors={fieldErrors} onChange={onField} />
        </>
      ) : null}
      {choice.mode === 'upload' ? (
        <Attachments
          id={`file-${c.key}`}
          label={t.files}
          files={choice.files}
          error={null}
          needsSignature={choice.basis !== 'DIGITIZED_SIGNED'}
          onChange={(files) => onChange({ ...choice, files })}
        />
      ) : null}
      {choice.mode === 'reuse' ? (
        estore && estore.length ? (
          <Select
            label={t.pick}
            required
            placeholder={t.choose}
            options={estore.map((i) => ({
              value: i.id,
              label: `${i.title}${i.issuer ? ` — ${i.issuer}` : ''} (${formatDate(i.issuedAt)}${i.validUntil ? `, ${t.validUntil(formatDate(i.validUntil))}` : ''})`,
            }))}
            value={choice.estoreItemId}
            onChange={(e) => onChange({ mode: 'reuse', estoreItemId: e.target.value })}
          />
        ) : (
          <p>{t.noEstore}</p>
        )
      ) : null}
    </section>
  );
}
