import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { PATHS } from '../app/paths.ts';
import { useRouteExists } from '../app/route-registry.tsx';
import { useLang, useText } from '../catalog/lang.ts';
import type { Component, ProcedureDetail } from '../catalog/model.ts';
import { ApiError, api, apiRequest, errorMessage } from '../lib/api.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { Alert, Badge, Button, PageHeader, Spinner, Table } from '../ui/index.ts';
import { ComponentSection } from './SubmitPage.tsx';
import { FormsIssued } from './FormsIssued.tsx';
import {
  ASSESSMENT_WORDS,
  buildSubmission,
  checkForm,
  eventInWords,
  evidenceInWords,
  onlineBases,
  placeProblem,
  statusTone,
  uploadBases,
  type ComponentChoice,
  type DossierComponent,
  type DossierDetail,
} from './model.ts';
import './portal.css';

const TEXT = {
  vi: {
    loading: 'Đang tải…',
    code: 'Mã hồ sơ',
    noCode: 'Chưa có mã (chờ tiếp nhận)',
    submitted: 'Ngày nộp',
    received: 'Thời điểm tiếp nhận',
    promised: 'Ngày hẹn trả kết quả',
    components: 'Thành phần hồ sơ',
    basis: 'Căn cứ hợp lệ và bằng chứng',
    state: 'Đánh giá',
    doc: 'Tài liệu',
    download: 'Tải về',
    signedCopy: 'bản đã ký số',
    none: '—',
    receipt: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
    receiptDownload: 'Tải Giấy tiếp nhận (PDF có ký số)',
    receiptPending: 'Giấy tiếp nhận đang được ký số; tải lại trang sau ít phút.',
    completion: 'Yêu cầu hoàn thiện hồ sơ',
    completionLead: (d: string) => `Bộ phận một cửa yêu cầu hoàn thiện ngày ${d}. Chỉ cần cung cấp các thành phần dưới đây; các thành phần khác đã hợp lệ.`,
    answered: (d: string) => `Bạn đã hoàn thiện hồ sơ ngày ${d}.`,
    supplementTitle: 'Yêu cầu bổ sung hồ sơ',
    supplementLead: (d: string) =>
      `Cơ quan giải quyết yêu cầu bổ sung ngày ${d} (Mẫu 02). Chỉ cần cung cấp các thành phần dưới đây. Thời gian chờ bổ sung không tính vào thời hạn giải quyết.`,
    supplementAnswered: (d: string) => `Bạn đã bổ sung hồ sơ ngày ${d}; hồ sơ tiếp tục được giải quyết.`,
    supplementSent: 'Đã gửi; hồ sơ tiếp tục được giải quyết.',
    result: 'Kết quả giải quyết',
    withdrawTitle: 'Rút hồ sơ',
    withdrawLead: 'Bạn có thể rút hồ sơ khi chưa có kết quả. Hồ sơ đã rút không được xử lý tiếp.',
    withdrawReason: 'Lý do rút hồ sơ (không bắt buộc)',
    withdraw: 'Rút hồ sơ',
    withdrawConfirm: 'Xác nhận rút hồ sơ',
    withdrawCancel: 'Không rút',
    resultDownload: 'Tải kết quả (PDF có ký số)',
    paperCopy: 'Tải bản sao điện tử của kết quả bản giấy',
    reason: 'Lý do',
    send: 'Gửi thành phần hoàn thiện',
    sent: 'Đã gửi; hồ sơ trở lại hàng chờ tiếp nhận.',
    history: 'Lịch sử xử lý',
    when: 'Thời điểm',
    event: 'Sự kiện',
    form: 'Biểu mẫu',
    more: 'Việc khác',
    supplement: 'Bổ sung hồ sơ, rút hoặc dừng hồ sơ',
    estore: 'Kho dữ liệu điện tử và kết quả',
    rate: 'Đánh giá mức độ hài lòng',
    paper: 'Phản ánh việc bị yêu cầu nộp giấy tờ',
    back: 'Hồ sơ của tôi',
  },
  en: {
    loading: 'Loading…',
    code: 'Dossier code',
    noCode: 'No code yet (waiting for reception)',
    submitted: 'Submitted',
    received: 'Received at',
    promised: 'Promised result date',
    components: 'Dossier components',
    basis: 'Validity basis and evidence',
    state: 'Assessment',
    doc: 'Document',
    download: 'Download',
    signedCopy: 'signed copy',
    none: '—',
    receipt: 'Receipt and appointment (form 01)',
    receiptDownload: 'Download the receipt (signed PDF)',
    receiptPending: 'The receipt is being signed; reload the page in a few minutes.',
    completion: 'Request to complete the dossier',
    completionLead: (d: string) => `The counter asked on ${d} for the components below; the others are valid.`,
    answered: (d: string) => `You completed the dossier on ${d}.`,
    supplementTitle: 'Request to supplement the dossier',
    supplementLead: (d: string) => `The competent agency asked on ${d} for the components below (form 02). The waiting time does not count against the deadline.`,
    supplementAnswered: (d: string) => `You supplemented the dossier on ${d}; processing goes on.`,
    supplementSent: 'Sent; processing goes on.',
    result: 'Result',
    withdrawTitle: 'Withdraw the dossier',
    withdrawLead: 'You may withdraw the dossier while no result exists. A withdrawn dossier is not processed further.',
    withdrawReason: 'Reason (optional)',
    withdraw: 'Withdraw',
    withdrawConfirm: 'Confirm the withdrawal',
    withdrawCancel: 'Keep the dossier',
    resultDownload: 'Download the result (signed PDF)',
    paperCopy: 'Download the electronic copy of the paper result',
    reason: 'Reason',
    send: 'Send the requested components',
    sent: 'Sent; the dossier is back in the reception queue.',
    history: 'History',
    when: 'When',
    event: 'Event',
    form: 'Form',
    more: 'More',
    supplement: 'Supplement, withdraw or stop the dossier',
    estore: 'E-store and results',
    rate: 'Rate the service',
    paper: 'Report being asked for paper',
    back: 'My dossiers',
  },
};

const PROCESSING = new Set(['received', 'processing', 'supplement_requested', 'awaiting_financial_obligation']);

export function DossierDetailPage() {
  const t = useText(TEXT);
  const lang = useLang();
  const { id = '' } = useParams();
  const exists = useRouteExists();
  const [dossier, setDossier] = useState<DossierDetail | null>(null);
  const [procedure, setProcedure] = useState<ProcedureDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  useDocumentTitle(procedure?.procedure.name ?? dossier?.code ?? t.loading);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const d = await api.get<DossierDetail>(`/api/my/dossiers/${encodeURIComponent(id)}`, signal);
        setDossier(d);
        setError(null);
        api.get<ProcedureDetail>(`/api/catalog/procedures/${encodeURIComponent(d.procedure)}`, signal).then(setProcedure, () => undefined);
      } catch (e) {
        if (!signal?.aborted) setError(e);
      }
    },
    [id],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);

  if (error) return <><PageHeader title={t.back} /><Alert tone="error">{errorMessage(error, lang)}</Alert></>;
  if (!dossier) return <Spinner label={t.loading} />;

  const base = `/api/my/dossiers/${dossier.id}`;
  const links: { path: string; label: string }[] = [];
  const supplementPath = `${PATHS.myDossiers}/${dossier.id}/bo-sung`;
  if (PROCESSING.has(dossier.status) && exists(supplementPath)) links.push({ path: supplementPath, label: t.supplement });
  if ((dossier.status === 'processed' || dossier.status === 'result_returned') && exists(PATHS.eStore)) links.push({ path: PATHS.eStore, label: t.estore });
  const ratePath = `${PATHS.myDossiers}/${dossier.id}/danh-gia`;
  if (dossier.status === 'result_returned' && exists(ratePath)) links.push({ path: ratePath, label: t.rate });
  if (dossier.code && exists(PATHS.paperReport)) links.push({ path: `${PATHS.paperReport}?ma=${encodeURIComponent(dossier.code)}`, label: t.paper });
  const openCompletion = dossier.completionRequest && !dossier.completionRequest.answeredAt ? dossier.completionRequest : null;

  return (
    <>
      <p>
        <Link to={PATHS.myDossiers}>← {t.back}</Link>
      </p>
      <PageHeader
        title={procedure?.procedure.name ?? dossier.procedure}
        meta={<Badge tone={statusTone(dossier.status)}>{dossier.label[lang]}</Badge>}
      />
      <dl className="portal-kv">
        <dt>{t.code}</dt>
        <dd data-testid="dossier-code">{dossier.code ?? t.noCode}</dd>
        {dossier.submittedAt ? (
          <>
            <dt>{t.submitted}</dt>
            <dd>{formatDateTime(dossier.submittedAt)}</dd>
          </>
        ) : null}
        {dossier.receivedAt ? (
          <>
            <dt>{t.received}</dt>
            <dd>{formatDateTime(dossier.receivedAt)}</dd>
          </>
        ) : null}
        {dossier.promisedDue ? (
          <>
            <dt>{t.promised}</dt>
            <dd data-testid="promised-due">{formatDate(dossier.promisedDue)}</dd>
          </>
        ) : null}
      </dl>

      {dossier.receivedAt ? (
        <section aria-labelledby="receipt-h">
          <h2 id="receipt-h">{t.receipt}</h2>
          {dossier.receipt ? (
            <a className="button button--secondary" href={`${base}/receipt`} download data-testid="receipt-link">
              {t.receiptDownload}
            </a>
          ) : (
            <p>{t.receiptPending}</p>
          )}
        </section>
      ) : null}

      {dossier.completionRequest ? (
        <section aria-labelledby="completion-h">
          <h2 id="completion-h">{t.completion}</h2>
          {openCompletion ? (
            <CompletionForm
              dossier={dossier}
              request={openCompletion}
              lead={t.completionLead(formatDateTime(openCompletion.at))}
              sentText={t.sent}
              procedure={procedure}
              onDone={() => void load()}
            />
          ) : (
            <p>{t.answered(formatDateTime(dossier.completionRequest.answeredAt!))}</p>
          )}
        </section>
      ) : null}

      {dossier.supplementRequest ? (
        <section aria-labelledby="supplement-h">
          <h2 id="supplement-h">{t.supplementTitle}</h2>
          {!dossier.supplementRequest.answeredAt ? (
            <CompletionForm
              dossier={dossier}
              request={dossier.supplementRequest}
              lead={t.supplementLead(formatDateTime(dossier.supplementRequest.at))}
              sentText={t.supplementSent}
              procedure={procedure}
              onDone={() => void load()}
            />
          ) : (
            <p>{t.supplementAnswered(formatDateTime(dossier.supplementRequest.answeredAt))}</p>
          )}
        </section>
      ) : null}

      {dossier.result ? (
        <section aria-labelledby="result-h">
          <h2 id="result-h">{t.result}</h2>
          <a className="button button--secondary" href={`${base}/documents/${dossier.result.documentId}`} download data-testid="result-link">
            {t.resultDownload}
          </a>
          {dossier.paperResultCopy ? (
            <p>
              <a href={`${base}/documents/${dossier.paperResultCopy.documentId}`} download data-testid="paper-copy-link">
                {t.paperCopy}
              </a>
            </p>
          ) : null}
        </section>
      ) : null}

      <FormsIssued forms={dossier.forms} base={base} />

      <h2>{t.components}</h2>
      <Table<DossierComponent>
        caption={t.components}
        rows={dossier.components}
        rowKey={(c) => c.key}
        columns={[
          { key: 'name', header: t.components, rowHeader: true, cell: (c) => c.name },
          { key: 'basis', header: t.basis, cell: (c) => evidenceInWords(c, lang) },
          { key: 'state', header: t.state, cell: (c) => <Badge tone={c.assessment === 'valid' || c.assessment === 'exempt' ? 'success' : 'warning'}>{(ASSESSMENT_WORDS[c.assessment] ?? { vi: c.assessment, en: c.assessment })[lang]}</Badge> },
          {
            key: 'doc',
            header: t.doc,
            cell: (c) =>
              c.document && c.document.mediaType !== 'application/json' ? (
                <a href={`${base}/documents/${c.document.id}`} download>
                  {t.download}
                  {c.document.signedSha256 ? ` (${t.signedCopy})` : ''}
                </a>
              ) : (
                t.none
              ),
          },
        ]}
      />

      <h2>{t.history}</h2>
      <Table
        caption={t.history}
        rows={dossier.history}
        rowKey={(e) => String(e.seq)}
        columns={[
          { key: 'at', header: t.when, cell: (e) => formatDateTime(e.at) },
          { key: 'type', header: t.event, rowHeader: true, cell: (e) => eventInWords(e.type, lang) },
          { key: 'form', header: t.form, cell: (e) => e.form ?? t.none },
        ]}
      />

      {(dossier.status === 'new' || PROCESSING.has(dossier.status)) && !dossier.result ? (
        <WithdrawForm dossier={dossier} onDone={() => void load()} />
      ) : null}

      {links.length ? (
        <section aria-labelledby="more-h">
          <h2 id="more-h">{t.more}</h2>
          <ul>
            {links.map((l) => (
              <li key={l.path}>
                <Link to={l.path}>{l.label}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

/** The applicant withdraws the dossier (status 7) while no result exists, after confirming. */
function WithdrawForm({ dossier, onDone }: { dossier: DossierDetail; onDone: () => void }) {
  const t = useText(TEXT);
  const lang = useLang();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const withdraw = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/my/dossiers/${dossier.id}/withdraw`, { reason: reason.normalize('NFC').trim(), version: dossier.version });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="withdraw-h">
      <h2 id="withdraw-h">{t.withdrawTitle}</h2>
      <p>{t.withdrawLead}</p>
      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
      <div className="field">
        <label className="field__label" htmlFor="withdraw-reason">
          {t.withdrawReason}
        </label>
        <textarea id="withdraw-reason" className="input" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      {confirming ? (
        <p className="portal-actions">
          <Button variant="danger" onClick={() => void withdraw()} busy={busy}>
            {t.withdrawConfirm}
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)} disabled={busy}>
            {t.withdrawCancel}
          </Button>
        </p>
      ) : (
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          {t.withdraw}
        </Button>
      )}
    </section>
  );
}

function initialChoice(c: Component): ComponentChoice {
  if (onlineBases(c).includes('SELF_DECLARED')) return { mode: 'form', values: {} };
  const b = uploadBases(c, { photos: false })[0];
  return b ? { mode: 'upload', basis: b, files: [] } : { mode: 'skip' };
}

/**
 * Answers the one completion request (at reception) or the one supplement request (after it): only the components
 * it named, with the same checks as submission.
 */
function CompletionForm({
  dossier,
  request,
  lead,
  sentText,
  procedure,
  onDone,
}: {
  dossier: DossierDetail;
  request: NonNullable<DossierDetail['completionRequest']>;
  lead: string;
  sentText: string;
  procedure: ProcedureDetail | null;
  onDone: () => void;
}) {
  const t = useText(TEXT);
  const lang = useLang();
  const named = (procedure?.components ?? []).filter((c) => request.items.some((i) => i.componentKey === c.key));
  const [choices, setChoices] = useState<Record<string, ComponentChoice>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, Record<string, string>>>({});
  const [componentErrors, setComponentErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const focus = useRef<string | null>(null);
  useEffect(() => {
    if (!focus.current) return;
    document.getElementById(focus.current)?.focus();
    focus.current = null;
  });
  useEffect(() => {
    setChoices(Object.fromEntries(named.map((c) => [c.key, initialChoice(c)])));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [procedure]);

  if (!procedure) return <Spinner label={t.loading} />;
  if (sent) return <Alert tone="success">{sentText}</Alert>;

  const send = async () => {
    const fe: Record<string, Record<string, string>> = {};
    for (const c of named) {
      const ch = choices[c.key];
      if (ch?.mode === 'form' && c.formTemplate) {
        const errs = checkForm(c.formTemplate, ch.values, lang);
        if (Object.keys(errs).length) fe[c.key] = errs;
      }
    }
    setFieldErrors(fe);
    if (Object.keys(fe).length) {
      focus.current = `c-${Object.keys(fe)[0]}`;
      return;
    }
    const { dossier: json, files } = buildSubmission(dossier.procedure, null, named, choices);
    const body = new FormData();
    body.append('completion', JSON.stringify({ components: json.components }));
    for (const f of files) body.append(f.field, f.file, f.file.name);
    setBusy(true);
    setError(null);
    try {
      await apiRequest(`/api/my/dossiers/${dossier.id}/completion`, { method: 'POST', body });
      setSent(true);
      onDone();
    } catch (err) {
      const placed = placeProblem(err, lang);
      if (placed?.component) {
        if (Object.keys(placed.fields).length) setFieldErrors({ [placed.component]: placed.fields });
        else setComponentErrors({ [placed.component]: placed.message });
        focus.current = `c-${placed.component}`;
      } else {
        setError(err);
        focus.current = 'completion-error';
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p>{lead}</p>
      {error ? (
        <Alert tone="error" id="completion-error" tabIndex={-1}>
          {errorMessage(error, lang)}
          {error instanceof ApiError && typeof error.problem.detail === 'string' ? ` ${error.problem.detail}` : ''}
        </Alert>
      ) : null}
      {named.map((c) => (
        <div key={c.key}>
          <p>
            <strong>{t.reason}:</strong> {request.items.find((i) => i.componentKey === c.key)?.reason}
          </p>
          <ComponentSection
            component={{ ...c, required: true }}
            choice={choices[c.key] ?? { mode: 'skip' }}
            estore={undefined}
            error={componentErrors[c.key] ?? null}
            fieldErrors={fieldErrors[c.key] ?? {}}
            onChange={(next) => {
              setChoices((x) => ({ ...x, [c.key]: next }));
              setComponentErrors(({ [c.key]: _d, ...rest }) => rest);
            }}
            onField={(name, value) =>
              setChoices((x) => {
                const ch = x[c.key];
                return ch?.mode === 'form' ? { ...x, [c.key]: { mode: 'form', values: { ...ch.values, [name]: value } } } : x;
              })
            }
          />
        </div>
      ))}
      <Button onClick={() => void send()} busy={busy}>
        {t.send}
      </Button>
    </>
  );
}
