import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useDocumentTitle } from '../app/document-title.ts';
import { useSession } from '../app/session.tsx';
import { NativeSelect, ProblemAlert } from '../admin/common.tsx';
import { useLang, useText } from '../catalog/lang.ts';
import { BASIS_LABELS, type Component, type Procedure, type ProcedureDetail } from '../catalog/model.ts';
import { apiRequest } from '../lib/api.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { nfc } from '../lib/text.ts';
import { FormFields, fieldControlId } from '../portal/FormFields.tsx';
import { checkForm, newIdempotencyKey, toFormData, type FormValues } from '../portal/model.ts';
import { Alert, Badge, Button, Card, PageHeader, TextField } from '../ui/index.ts';
import { TEXT } from './text.ts';
import { estimateDpi, moveItem, MIN_DPI, type ScanPage } from './model.ts';
import { CccdReader } from '../reception/ScanText.tsx';
import './counter.css';

type Mode = 'form' | 'scan' | 'exempt' | 'skip';

interface ComponentEntry {
  mode: Mode;
  pages: ScanPage[];
  exemptNote: string;
  form: FormValues;
  /** Field name → message from the same checks the server runs, shown under each field. */
  formErrors: Record<string, string>;
}

interface WalkInAnswer {
  id: string;
  code: string;
  receivedAt: string;
  promisedDue: string;
  statusSecret?: string;
  receipt: { documentId: string; sha256: string } | null;
  warnings: { code: string; component: string; page: number; dpi: number | null; message: { vi: string; en: string } }[];
}

const collator = new Intl.Collator('vi');

function initialEntry(c: Component): ComponentEntry {
  const mode: Mode = c.exempt ? 'exempt' : c.input === 'form' ? 'form' : c.acceptedBases.includes('DIGITIZED_SIGNED') ? 'scan' : 'skip';
  return { mode, pages: [], exemptNote: c.exempt?.note ?? '', form: {}, formErrors: {} };
}


function withoutKey(errors: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _dropped, ...rest } = errors;
  return rest;
}

/** The walk-in page of the counter: one sitting from the applicant's papers to the signed receipt. */
export function WalkInPage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const { state } = useSession();
  const agencyCode = state.status === 'authenticated' ? state.user.agencyCode : null;
  const [procedures, setProcedures] = useState<Procedure[]>([]);
  const [procedureKey, setProcedureKey] = useState('');
  const [detail, setDetail] = useState<ProcedureDetail | null>(null);
  const [entries, setEntries] = useState<Record<string, ComponentEntry>>({});
  const [applicant, setApplicant] = useState({ kind: 'citizen', subjectId: '', fullName: '', email: '', phone: '', address: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [answer, setAnswer] = useState<WalkInAnswer | null>(null);
  const idempotencyKey = useRef(newIdempotencyKey());

  useEffect(() => {
    const ctrl = new AbortController();
    const q = agencyCode ? `?agency=${encodeURIComponent(agencyCode)}&limit=500` : '?limit=500';
    apiRequest<{ items: Procedure[] }>(`/api/catalog/procedures${q}`, { signal: ctrl.signal })
      .then((r) => setProcedures(r.items.filter((p) => p.channels.includes('counter')).sort((a, b) => collator.compare(a.name, b.name))))
      .catch((e: unknown) => {
        if ((e as Error)?.name !== 'AbortError') setError(e);
      });
    return () => ctrl.abort();
  }, [agencyCode]);

  useEffect(() => {
    if (!procedureKey) {
      setDetail(null);
      return;
    }
    const ctrl = new AbortController();
    apiRequest<ProcedureDetail>(`/api/catalog/procedures/${encodeURIComponent(procedureKey)}`, { signal: ctrl.signal })
      .then((d) => {
        setDetail(d);
        setEntries(Object.fromEntries(d.components.filter((c) => c.active).map((c) => [c.key, initialEntry(c)])));
      })
      .catch((e: unknown) => {
        if ((e as Error)?.name !== 'AbortError') setError(e);
      });
    return () => ctrl.abort();
  }, [procedureKey]);

  const components = useMemo(() => (detail ? detail.components.filter((c) => c.active) : []), [detail]);
  const update = (key: string, change: (e: ComponentEntry) => ComponentEntry) => setEntries((all) => ({ ...all, [key]: change(all[key]!) }));

  const addFiles = async (key: string, list: FileList | null) => {
    if (!list) return;
    const added: ScanPage[] = [];
    for (const file of Array.from(list)) {
      const url = URL.createObjectURL(file);
      const dpi = file.type.startsWith('image/') ? await estimateDpi(url) : null;
      added.push({ id: newIdempotencyKey(), file, url, dpi });
    }
    update(key, (e) => ({ ...e, pages: [...e.pages, ...added] }));
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (!detail) return;
    // The server's own form checks first, so a typo is fixed in place rather than after a round trip.
    const checked = components.flatMap((c) => {
      const e = entries[c.key]!;
      if (e.mode !== 'form' || !c.formTemplate) return [];
      const formErrors = checkForm(c.formTemplate, e.form, lang);
      return Object.keys(formErrors).length ? [{ key: c.key, formErrors }] : [];
    });
    if (checked.length) {
      setEntries((all) => ({ ...all, ...Object.fromEntries(checked.map(({ key, formErrors }) => [key, { ...all[key]!, formErrors }])) }));
      document.getElementById(fieldControlId(checked[0]!.key, Object.keys(checked[0]!.formErrors)[0]!))?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const dossier = {
        procedure: detail.procedure.key,
        applicant: {
          kind: applicant.kind,
          subjectId: applicant.subjectId.trim(),
          fullName: nfc(applicant.fullName),
          ...(applicant.email.trim() ? { email: applicant.email.trim() } : {}),
          ...(applicant.phone.trim() ? { phone: applicant.phone.trim() } : {}),
          ...(applicant.address.trim() ? { address: nfc(applicant.address) } : {}),
        },
        components: components.flatMap((c): Record<string, unknown>[] => {
          const e = entries[c.key]!;
          if (e.mode === 'exempt') return [{ key: c.key, exempt: { reason: c.exempt?.reason ?? 'SHOWN_ONLY', note: nfc(e.exemptNote) || null } }];
          if (e.mode === 'skip') return [];
          if (e.mode === 'form') return [{ key: c.key, form: toFormData(c.formTemplate?.fields ?? [], e.form) }];
          return e.pages.length ? [{ key: c.key, basis: 'DIGITIZED_SIGNED' }] : [];
        }),
      };
      const body = new FormData();
      body.append('dossier', JSON.stringify(dossier));
      for (const c of components) {
        const e = entries[c.key]!;
        if (e.mode === 'scan') for (const p of e.pages) body.append(`component:${c.key}`, p.file, p.file.name);
      }
      const r = await apiRequest<WalkInAnswer>('/api/reception/walk-in', { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey.current } });
      setAnswer(r);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const startOver = () => {
    for (const e of Object.values(entries)) for (const p of e.pages) URL.revokeObjectURL(p.url);
    idempotencyKey.current = newIdempotencyKey();
    setAnswer(null);
    setProcedureKey('');
    setApplicant({ kind: 'citizen', subjectId: '', fullName: '', email: '', phone: '', address: '' });
  };

  if (answer) return <Done answer={answer} onAgain={startOver} />;

  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      <form onSubmit={(e) => void submit(e)} className="walkin">
        {error ? <ProblemAlert error={error} /> : null}
        <Card title={t.procedure}>
          <NativeSelect
            label={t.procedure}
            value={procedureKey}
            onChange={setProcedureKey}
            empty={t.chooseProcedure}
            options={procedures.map((p) => ({ value: p.key, label: p.nationalCode ? `${p.name} (${p.nationalCode})` : p.name }))}
          />
        </Card>
        <Card title={t.applicant}>
          <CccdReader
            onAccept={(s) => setApplicant((a) => ({ ...a, kind: 'citizen', subjectId: s.idNumber ?? a.subjectId, fullName: s.fullName ?? a.fullName }))}
          />
          <div className="walkin__grid">
            <NativeSelect
              label={t.applicantKind}
              value={applicant.kind}
              onChange={(v) => setApplicant({ ...applicant, kind: v })}
              options={[
                { value: 'citizen', label: t.citizen },
                { value: 'business', label: t.business },
              ]}
            />
            <TextField
              label={applicant.kind === 'citizen' ? t.cccd : t.mst}
              hint={applicant.kind === 'citizen' ? t.cccdHint : t.mstHint}
              value={applicant.subjectId}
              onChange={(e) => setApplicant({ ...applicant, subjectId: e.target.value })}
              required
              inputMode="numeric"
              autoComplete="off"
            />
            <TextField label={t.fullName} value={applicant.fullName} onChange={(e) => setApplicant({ ...applicant, fullName: e.target.value })} required autoComplete="off" />
            <TextField label={t.email} hint={t.emailHint} type="email" value={applicant.email} onChange={(e) => setApplicant({ ...applicant, email: e.target.value })} autoComplete="off" />
            <TextField label={t.phone} type="tel" value={applicant.phone} onChange={(e) => setApplicant({ ...applicant, phone: e.target.value })} autoComplete="off" />
            <TextField label={t.address} value={applicant.address} onChange={(e) => setApplicant({ ...applicant, address: e.target.value })} autoComplete="off" />
          </div>
        </Card>
        {components.map((c) => (
          <ComponentCard key={c.key} component={c} entry={entries[c.key]!} onChange={(f) => update(c.key, f)} onFiles={(l) => void addFiles(c.key, l)} lang={lang} />
        ))}
        {detail ? (
          <Button type="submit" busy={busy}>
            {busy ? t.submitting : t.submit}
          </Button>
        ) : null}
      </form>
    </>
  );
}


function ComponentCard({
  component: c,
  entry: e,
  onChange,
  onFiles,
  lang,
}: {
  component: Component;
  entry: ComponentEntry;
  onChange: (f: (e: ComponentEntry) => ComponentEntry) => void;
  onFiles: (l: FileList | null) => void;
  lang: 'vi' | 'en';
}) {
  const t = useText(TEXT);
  const inputId = `scan-${c.key}`;
  const move = (from: number, to: number) => onChange((x) => ({ ...x, pages: moveItem(x.pages, from, to) }));
  const remove = (i: number) =>
    onChange((x) => {
      URL.revokeObjectURL(x.pages[i]!.url);
      return { ...x, pages: x.pages.filter((_, n) => n !== i) };
    });
  return (
    <div data-testid={`component-${c.key}`}>
    <Card title={c.name}>
      <p className="walkin__bases">
        {c.required ? <Badge tone="warning">{t.required}</Badge> : <Badge tone="neutral">{t.optional}</Badge>}{' '}
        {c.acceptedBases.map((b) => BASIS_LABELS[b][lang]).join(' · ')}
      </p>
      {c.exempt ? (
        <>
          <Alert tone="info">{t.exemptByCatalog}</Alert>
          <TextField label={t.exemptNote} value={e.exemptNote} onChange={(ev) => onChange((x) => ({ ...x, exemptNote: ev.target.value }))} />
        </>
      ) : null}
      {!c.exempt && c.input === 'form' && c.acceptedBases.includes('DIGITIZED_SIGNED') ? (
        <fieldset className="walkin__modes">
          <legend>{t.howProvided}</legend>
          {(['form', 'scan'] as const).map((m) => (
            <label key={m} className="walkin__mode">
              <input type="radio" name={`mode-${c.key}`} value={m} checked={e.mode === m} onChange={() => onChange((x) => ({ ...x, mode: m }))} /> {m === 'form' ? t.typeForm : t.scanForm}
            </label>
          ))}
        </fieldset>
      ) : null}
      {c.exempt ? null : e.mode === 'form' ? (
        <fieldset className="walkin__form">
          <legend>{c.formTemplate?.title ?? t.form}</legend>
          <FormFields
            componentKey={c.key}
            fields={c.formTemplate?.fields ?? []}
            values={e.form}
            errors={e.formErrors}
            onChange={(name, value) => onChange((x) => ({ ...x, form: { ...x.form, [name]: value }, formErrors: withoutKey(x.formErrors, name) }))}
          />
        </fieldset>
      ) : e.mode === 'scan' ? (
        <>
          <div className="field">
            <label className="field__label" htmlFor={inputId}>
              {t.addPages}
            </label>
            <input
              id={inputId}
              type="file"
              multiple
              accept="image/jpeg,image/png,application/pdf"
              onChange={(ev) => {
                onFiles(ev.target.files);
                ev.target.value = '';
              }}
            />
            <p className="field__hint">{t.pagesHint}</p>
          </div>
          {e.pages.length ? (
            <ol className="walkin__pages" aria-label={t.pagesOf(c.name)}>
              {e.pages.map((p, i) => (
                <li key={p.id} className="walkin__page">
                  {p.file.type.startsWith('image/') ? <img src={p.url} alt={t.pageAlt(i + 1, p.file.name)} /> : <span className="walkin__pdf">PDF</span>}
                  <span className="walkin__page-name">
                    {i + 1}. {p.file.name}
                  </span>
                  {p.dpi !== null && p.dpi < MIN_DPI ? (
                    <span className="walkin__warn" role="status">
                      {t.lowDpi(p.dpi)}
                    </span>
                  ) : null}
                  <span className="walkin__page-actions">
                    <Button variant="secondary" onClick={() => move(i, i - 1)} disabled={i === 0} aria-label={t.moveUp(i + 1)}>
                      ↑
                    </Button>
                    <Button variant="secondary" onClick={() => move(i, i + 1)} disabled={i === e.pages.length - 1} aria-label={t.moveDown(i + 1)}>
                      ↓
                    </Button>
                    <Button variant="danger" onClick={() => remove(i)} aria-label={t.removePage(i + 1)}>
                      {t.remove}
                    </Button>
                  </span>
                </li>
              ))}
            </ol>
          ) : null}
        </>
      ) : (
        <Alert tone="info">{t.notAtCounter}</Alert>
      )}
    </Card>
    </div>
  );
}

function Done({ answer, onAgain }: { answer: WalkInAnswer; onAgain: () => void }) {
  const t = useText(TEXT);
  const lang = useLang();
  const [receipt, setReceipt] = useState(answer.receipt);
  const [checking, setChecking] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const check = async () => {
    setChecking(true);
    try {
      const d = await apiRequest<{ receipt: WalkInAnswer['receipt'] }>(`/api/reception/dossiers/${answer.id}`);
      setReceipt(d.receipt);
    } finally {
      setChecking(false);
    }
  };
  return (
    <>
      <header className="page-header">
        <h1 ref={heading} tabIndex={-1}>
          {t.doneTitle}
        </h1>
      </header>
      <Alert tone="success" title={t.received}>
        <dl className="walkin__result">
          <dt>{t.code}</dt>
          <dd data-testid="dossier-code">{answer.code}</dd>
          <dt>{t.receivedAt}</dt>
          <dd>{formatDateTime(answer.receivedAt)}</dd>
          <dt>{t.promised}</dt>
          <dd data-testid="promised-date">
            {formatDate(answer.promisedDue)} ({formatDateTime(answer.promisedDue)})
          </dd>
          {answer.statusSecret ? (
            <>
              <dt>{t.secret}</dt>
              <dd>
                <code>{answer.statusSecret}</code>
              </dd>
            </>
          ) : null}
        </dl>
      </Alert>
      {answer.warnings.length ? (
        <Alert tone="warning" title={t.warnings}>
          <ul>
            {answer.warnings.map((w, i) => (
              <li key={i}>{w.message[lang]}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <p className="walkin__actions">
        {receipt ? (
          <a className="button button--primary" href={`/api/reception/dossiers/${answer.id}/receipt`} download={`giay-tiep-nhan-${answer.code}.pdf`} data-testid="receipt-download">
            {t.downloadReceipt}
          </a>
        ) : (
          <Button onClick={() => void check()} busy={checking}>
            {t.receiptPending}
          </Button>
        )}{' '}
        <Button variant="secondary" onClick={onAgain}>
          {t.again}
        </Button>
      </p>
    </>
  );
}
