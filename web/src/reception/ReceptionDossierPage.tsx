import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { PATHS } from '../app/paths.ts';
import { TextArea } from '../admin/common.tsx';
import { useLang, useText } from '../catalog/lang.ts';
import type { ProcedureDetail } from '../catalog/model.ts';
import { ApiError, api, apiRequest, errorMessage } from '../lib/api.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { nfc } from '../lib/text.ts';
import { useProcedureNames } from '../portal/MyDossiersPage.tsx';
import { ASSESSMENT_WORDS, evidenceInWords, isoToVnDate, statusTone, type DossierComponent, type DossierDetail } from '../portal/model.ts';
import { Alert, Badge, Button, FieldGroup, PageHeader, Spinner } from '../ui/index.ts';
import { returnableComponents } from './model.ts';
import { ScanTextSection } from './ScanText.tsx';
import '../portal/portal.css';
import './reception.css';

const TEXT = {
  vi: {
    loading: 'Đang tải…',
    back: 'Hàng chờ tiếp nhận',
    applicant: 'Người nộp',
    submitted: 'Nộp lúc',
    components: 'Thành phần hồ sơ',
    preview: 'Xem',
    download: 'Tải về',
    hidePreview: 'Đóng xem trước',
    declared: 'Nội dung tự kê khai',
    noDoc: 'Không có tệp',
    decide: 'Quyết định tiếp nhận',
    receive: 'Tiếp nhận hồ sơ',
    returnTitle: 'Trả lại để hoàn thiện (một lần)',
    returnLead: 'Chỉ được yêu cầu thành phần còn thiếu hoặc không hợp lệ, mỗi thành phần kèm lý do. Không được yêu cầu bản giấy của giấy tờ đã có bản điện tử hợp lệ.',
    nothingToReturn: 'Mọi thành phần đều hợp lệ hoặc được miễn: không có gì để yêu cầu hoàn thiện.',
    reasonFor: (n: string) => `Lý do yêu cầu hoàn thiện: ${n}`,
    sendReturn: 'Gửi yêu cầu hoàn thiện (Mẫu 02)',
    refuseTitle: 'Từ chối tiếp nhận',
    refuseReason: 'Lý do từ chối (ghi trên Mẫu 03)',
    refuse: 'Từ chối tiếp nhận',
    pickOne: 'Chọn ít nhất một thành phần và ghi lý do cho mỗi thành phần đã chọn.',
    reasonRequired: 'Hãy ghi lý do.',
    received: 'Đã tiếp nhận hồ sơ',
    code: 'Mã hồ sơ',
    promised: 'Ngày hẹn trả kết quả',
    receipt: 'Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01)',
    receiptOpen: 'Mở Giấy tiếp nhận (PDF có ký số)',
    receiptPending: 'Giấy tiếp nhận đang được ký số; mở lại sau ít giây.',
    secret: 'Mã tra cứu in trên Giấy tiếp nhận',
    returned: 'Đã gửi yêu cầu hoàn thiện cho người nộp.',
    refused: 'Đã từ chối tiếp nhận; người nộp được thông báo lý do.',
    conflict: 'Hồ sơ vừa được thay đổi bởi thao tác khác (có thể một cán bộ khác đã xử lý). Hãy tải lại để xem trạng thái mới nhất trước khi quyết định.',
    reload: 'Tải lại hồ sơ',
    status: 'Trạng thái',
    notNew: 'Hồ sơ không còn chờ tiếp nhận.',
    counterSupplement: 'Nhận bổ sung tại quầy',
    counterSupplementLead: 'Người nộp mang giấy tờ được yêu cầu đến quầy: quét từng thành phần; hệ thống đánh dấu chuyển đổi từ giấy, ký số ngay khi tiếp nhận, và đồng hồ giải quyết chạy lại từ lúc này.',
    scansOf: (n: string) => `Bản quét: ${n}`,
    sendScans: 'Số hóa, ký số và nhận bổ sung',
    supplied: 'Đã nhận bổ sung; hồ sơ tiếp tục được giải quyết.',
    pickScans: 'Hãy quét ít nhất một trang cho mỗi thành phần được yêu cầu.',
  },
  en: {
    loading: 'Loading…',
    back: 'Reception queue',
    applicant: 'Applicant',
    submitted: 'Submitted',
    components: 'Dossier components',
    preview: 'Preview',
    download: 'Download',
    hidePreview: 'Close preview',
    declared: 'Self-declared content',
    noDoc: 'No file',
    decide: 'Reception decision',
    receive: 'Receive the dossier',
    returnTitle: 'Return for completion (once)',
    returnLead: 'Only missing or invalid components may be named, each with a reason. Never ask for paper of a document with a valid electronic version.',
    nothingToReturn: 'Every component is valid or exempt: there is nothing to ask for.',
    reasonFor: (n: string) => `Reason for completion: ${n}`,
    sendReturn: 'Send the completion request (form 02)',
    refuseTitle: 'Refuse to receive',
    refuseReason: 'Reason for refusal (printed on form 03)',
    refuse: 'Refuse',
    pickOne: 'Choose at least one component and give a reason for each chosen one.',
    reasonRequired: 'Give a reason.',
    received: 'Dossier received',
    code: 'Dossier code',
    promised: 'Promised result date',
    receipt: 'Receipt and appointment (form 01)',
    receiptOpen: 'Open the receipt (signed PDF)',
    receiptPending: 'The receipt is being signed; open it again in a few seconds.',
    secret: 'Look-up secret printed on the receipt',
    returned: 'The completion request was sent to the applicant.',
    refused: 'Refused; the applicant is told the reason.',
    conflict: 'The dossier was just changed by another action (perhaps another officer). Reload to see its latest state before deciding.',
    reload: 'Reload the dossier',
    status: 'Status',
    notNew: 'The dossier no longer awaits reception.',
    counterSupplement: 'Take the supplement at the counter',
    counterSupplementLead: 'The applicant brings the requested papers: scan each component; it is marked as converted from paper, signed at once, and the clock resumes now.',
    scansOf: (n: string) => `Scans: ${n}`,
    sendScans: 'Digitize, sign and take the supplement',
    supplied: 'Supplement taken; processing goes on.',
    pickScans: 'Scan at least one page for each requested component.',
  },
};

interface Decision {
  id: string;
  code: string | null;
  status: string;
  version: number;
  receivedAt: string | null;
  promisedDue: string | null;
  statusSecret?: string;
  receipt?: { documentId: string; sha256: string } | null;
}

export function ReceptionDossierPage() {
  const t = useText(TEXT);
  const lang = useLang();
  const { id = '' } = useParams();
  const names = useProcedureNames();
  const [dossier, setDossier] = useState<DossierDetail | null>(null);
  const [labels, setLabels] = useState<Map<string, string>>(new Map());
  const [loadError, setLoadError] = useState<unknown>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [decision, setDecision] = useState<{ kind: 'received' | 'returned' | 'refused'; result: Decision } | null>(null);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [refuseReason, setRefuseReason] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [supplied, setSupplied] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);
  const outcomeRef = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(dossier ? (names.get(dossier.procedure) ?? dossier.procedure) : t.loading);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setDossier(await api.get<DossierDetail>(`/api/reception/dossiers/${encodeURIComponent(id)}`, signal));
        setLoadError(null);
        setActionError(null);
      } catch (e) {
        if (!signal?.aborted) setLoadError(e);
      }
    },
    [id],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);
  // Form field labels from the catalog, so the declared content reads as the form did: once per procedure, not
  // again on every reload after an action. Without them the field names are shown.
  const procedure = dossier?.procedure;
  useEffect(() => {
    if (!procedure) return;
    const ac = new AbortController();
    api.get<ProcedureDetail>(`/api/catalog/procedures/${encodeURIComponent(procedure)}`, ac.signal).then(
      (p) => setLabels(new Map(p.components.flatMap((c) => (c.formTemplate?.fields ?? []).map((f) => [`${c.key}.${f.name}`, f.label] as const)))),
      () => undefined,
    );
    return () => ac.abort();
  }, [procedure]);
  useEffect(() => {
    if (actionError || formError) errorRef.current?.focus();
  }, [actionError, formError]);
  useEffect(() => {
    if (decision) outcomeRef.current?.focus();
  }, [decision]);

  if (loadError) return <><Link to={PATHS.reception}>← {t.back}</Link><Alert tone="error">{errorMessage(loadError, lang)}</Alert></>;
  if (!dossier) return <Spinner label={t.loading} />;

  const act = async (kind: 'received' | 'returned' | 'refused', path: string, body: Record<string, unknown>) => {
    setBusy(kind);
    setActionError(null);
    setFormError(null);
    try {
      const result = await api.post<Decision>(`/api/dossiers/${dossier.id}/${path}`, { ...body, version: dossier.version });
      setDecision({ kind, result });
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(null);
    }
  };

  const returnable = returnableComponents(dossier.components);
  const sendReturn = () => {
    const items = Object.entries(picked).map(([componentKey, reason]) => ({ componentKey, reason: nfc(reason).trim() }));
    if (!items.length || items.some((i) => !i.reason)) {
      setFormError(t.pickOne);
      return;
    }
    void act('returned', 'return-for-completion', { items });
  };
  const sendRefuse = () => {
    if (!refuseReason.trim()) {
      setFormError(t.reasonRequired);
      return;
    }
    void act('refused', 'refuse', { reason: nfc(refuseReason).trim() });
  };
  const conflict = actionError instanceof ApiError && actionError.status === 409;
  const openRequest =
    dossier.supplementRequest && !dossier.supplementRequest.answeredAt
      ? dossier.supplementRequest
      : dossier.completionRequest && !dossier.completionRequest.answeredAt
        ? dossier.completionRequest
        : null;
  const docUrl = (c: DossierComponent) => `/api/reception/dossiers/${dossier.id}/documents/${c.document!.id}`;

  return (
    <>
      <p>
        <Link to={PATHS.reception}>← {t.back}</Link>
      </p>
      <PageHeader
        title={names.get(dossier.procedure) ?? dossier.procedure}
        meta={
          <>
            <Badge tone={statusTone(dossier.status)}>{dossier.label[lang]}</Badge> {t.applicant}: {dossier.applicant.subjectId} ·{' '}
            {t.submitted}: {dossier.submittedAt ? formatDateTime(dossier.submittedAt) : '—'}
          </>
        }
      />

      {decision ? (
        <section className="reception-outcome" aria-labelledby="outcome-h">
          <h2 id="outcome-h" tabIndex={-1} ref={outcomeRef}>
            {decision.kind === 'received' ? t.received : decision.kind === 'returned' ? t.returned : t.refused}
          </h2>
          {decision.kind === 'received' ? (
            <dl className="portal-kv">
              <dt>{t.code}</dt>
              <dd data-testid="received-code">{decision.result.code}</dd>
              <dt>{t.promised}</dt>
              <dd data-testid="received-due">{decision.result.promisedDue ? formatDate(decision.result.promisedDue) : '—'}</dd>
              {decision.result.statusSecret ? (
                <>
                  <dt>{t.secret}</dt>
                  <dd className="portal-secret">{decision.result.statusSecret}</dd>
                </>
              ) : null}
              <dt>{t.receipt}</dt>
              <dd>
                {decision.result.receipt ? (
                  <a href={`/api/reception/dossiers/${dossier.id}/receipt`} target="_blank" rel="noopener" data-testid="receipt-link">
                    {t.receiptOpen}
                  </a>
                ) : (
                  t.receiptPending
                )}
              </dd>
            </dl>
          ) : null}
          <p>
            <Link to={PATHS.reception}>← {t.back}</Link>
          </p>
        </section>
      ) : null}

      <h2>{t.components}</h2>
      <div className="reception-grid">
        <ul className="reception-components">
          {dossier.components.map((c) => (
            <li key={c.key} className="reception-component">
              <p>
                <strong>{c.name}</strong>{' '}
                <Badge tone={c.assessment === 'valid' || c.assessment === 'exempt' ? 'success' : c.assessment === 'awaiting_signature' ? 'info' : 'danger'}>
                  {(ASSESSMENT_WORDS[c.assessment] ?? { vi: c.assessment, en: c.assessment })[lang]}
                </Badge>
              </p>
              <p data-testid={`basis-${c.key}`}>{evidenceInWords(c, lang)}</p>
              {c.document && c.document.mediaType === 'application/json' && c.evidence?.form ? (
                <details>
                  <summary>{t.declared}</summary>
                  <dl className="portal-kv">
                    {Object.entries(c.evidence.form as Record<string, unknown>).map(([k, v]) => (
                      <div key={k} style={{ display: 'contents' }}>
                        <dt>{labels.get(`${c.key}.${k}`) ?? k}</dt>
                        <dd>{typeof v === 'string' ? isoToVnDate(v) : String(v)}</dd>
                      </div>
                    ))}
                  </dl>
                </details>
              ) : c.document ? (
                <p className="portal-actions">
                  <Button variant="secondary" onClick={() => setPreview(preview === c.key ? null : c.key)} aria-expanded={preview === c.key}>
                    {preview === c.key ? t.hidePreview : t.preview}
                  </Button>
                  <a href={docUrl(c)} download>
                    {t.download}
                  </a>
                </p>
              ) : (
                <p className="portal-muted">{t.noDoc}</p>
              )}
            </li>
          ))}
        </ul>
        {preview ? (
          <div className="reception-preview">
            {(() => {
              const c = dossier.components.find((x) => x.key === preview);
              return c?.document ? <iframe title={`${t.preview}: ${c.name}`} src={docUrl(c)} /> : null;
            })()}
          </div>
        ) : null}
      </div>

      <ScanTextSection dossierId={dossier.id} names={new Map(dossier.components.map((c) => [c.key, c.name]))} />

      {supplied ? (
        <Alert tone="success">
          {t.supplied}
        </Alert>
      ) : null}
      {openRequest ? (
        <CounterSupplement
          dossierId={dossier.id}
          request={openRequest}
          names={new Map(dossier.components.map((c) => [c.key, c.name]))}
          onDone={() => {
            setSupplied(true);
            void load();
          }}
        />
      ) : null}

      {!decision && dossier.status === 'new' ? (
        <section aria-labelledby="decide-h">
          <h2 id="decide-h">{t.decide}</h2>
          {actionError || formError ? (
            <Alert tone="error" ref={errorRef} tabIndex={-1} title={formError ?? (conflict ? t.conflict : errorMessage(actionError, lang))}>
              {conflict ? (
                <Button variant="secondary" onClick={() => void load()}>
                  {t.reload}
                </Button>
              ) : actionError instanceof ApiError && typeof actionError.problem.detail === 'string' ? (
                <p>{actionError.problem.detail}</p>
              ) : null}
            </Alert>
          ) : null}
          <p>
            <Button onClick={() => void act('received', 'receive', {})} busy={busy === 'received'} disabled={!!busy && busy !== 'received'}>
              {t.receive}
            </Button>
          </p>
          {!dossier.completionRequest ? (
            <FieldGroup legend={t.returnTitle}>
              <p>{t.returnLead}</p>
              {returnable.length ? (
                <>
                  {returnable.map((c) => (
                    <div key={c.key} className="reception-return">
                      <label className="portal-check">
                        <input
                          type="checkbox"
                          checked={c.key in picked}
                          onChange={(e) =>
                            setPicked(({ [c.key]: prev, ...rest }) => (e.target.checked ? { ...rest, [c.key]: prev ?? '' } : rest))
                          }
                        />{' '}
                        {c.name} — {(ASSESSMENT_WORDS[c.assessment] ?? { vi: c.assessment, en: c.assessment })[lang]}
                      </label>
                      {c.key in picked ? (
                        <TextArea label={t.reasonFor(c.name)} value={picked[c.key] ?? ''} rows={2} onChange={(v) => setPicked((p) => ({ ...p, [c.key]: v }))} />
                      ) : null}
                    </div>
                  ))}
                  <Button variant="secondary" onClick={sendReturn} busy={busy === 'returned'} disabled={!!busy && busy !== 'returned'}>
                    {t.sendReturn}
                  </Button>
                </>
              ) : (
                <p>{t.nothingToReturn}</p>
              )}
            </FieldGroup>
          ) : null}
          <FieldGroup legend={t.refuseTitle}>
            <TextArea label={t.refuseReason} value={refuseReason} rows={3} onChange={setRefuseReason} />
            <Button variant="danger" onClick={sendRefuse} busy={busy === 'refused'} disabled={!!busy && busy !== 'refused'}>
              {t.refuse}
            </Button>
          </FieldGroup>
        </section>
      ) : !decision ? (
        <Alert tone="info">{t.notNew}</Alert>
      ) : null}
    </>
  );
}

/** The answer to the completion or supplement request, brought on paper: scanned, signed at reception, supplied. */
function CounterSupplement({
  dossierId,
  request,
  names,
  onDone,
}: {
  dossierId: string;
  request: NonNullable<DossierDetail['supplementRequest']>;
  names: Map<string, string>;
  onDone: () => void;
}) {
  const t = useText(TEXT);
  const lang = useLang();
  const [files, setFiles] = useState<Record<string, File[]>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (request.items.some((i) => !files[i.componentKey]?.length)) {
      setError(t.pickScans);
      return;
    }
    const body = new FormData();
    body.append('completion', JSON.stringify({ components: request.items.map((i) => ({ key: i.componentKey, basis: 'DIGITIZED_SIGNED' })) }));
    for (const i of request.items) for (const f of files[i.componentKey] ?? []) body.append(`component:${i.componentKey}`, f, f.name);
    setBusy(true);
    setError(null);
    try {
      await apiRequest(`/api/reception/dossiers/${dossierId}/supplement`, { method: 'POST', body });
      onDone();
    } catch (e) {
      setError(errorMessage(e, lang) + (e instanceof ApiError && typeof e.problem.detail === 'string' ? ` ${e.problem.detail}` : ''));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="counter-supplement-h">
      <h2 id="counter-supplement-h">{t.counterSupplement}</h2>
      <p>{t.counterSupplementLead}</p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {request.items.map((i) => (
        <div key={i.componentKey} className="field">
          <label className="field__label" htmlFor={`scan-${i.componentKey}`}>
            {t.scansOf(names.get(i.componentKey) ?? i.componentKey)}
          </label>
          <p className="field__hint">{i.reason}</p>
          <input
            id={`scan-${i.componentKey}`}
            className="portal-file"
            type="file"
            multiple
            accept="image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"
            onChange={(e) => setFiles((x) => ({ ...x, [i.componentKey]: [...(e.target.files ?? [])] }))}
          />
        </div>
      ))}
      <Button onClick={() => void send()} busy={busy}>
        {t.sendScans}
      </Button>
    </section>
  );
}
