import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { PATHS } from '../app/paths.ts';
import { useSession } from '../app/session.tsx';
import { TextArea } from '../admin/common.tsx';
import { useLang, useText } from '../catalog/lang.ts';
import type { Agency } from '../catalog/model.ts';
import { ApiError, api, apiRequest, errorMessage } from '../lib/api.ts';
import { formatDate, formatDateTime, formatVnd } from '../lib/format.ts';
import { nfc } from '../lib/text.ts';
import { FormsIssued } from '../portal/FormsIssued.tsx';
import { useProcedureNames } from '../portal/MyDossiersPage.tsx';
import { ASSESSMENT_WORDS, INDICATION_WORDS, eventInWords, evidenceInWords, parseVnd, statusTone } from '../portal/model.ts';
import { Alert, Badge, Button, FieldGroup, PageHeader, Select, Spinner, Table, TextField } from '../ui/index.ts';
import { ROLE_WORDS, SLA_WORDS, orderedActions, slaTone, workingTimeLeft, type Sla, type Workspace } from './model.ts';
import '../portal/portal.css';
import '../reception/reception.css';
import './processing.css';

const TEXT = {
  vi: {
    loading: 'Đang tải…',
    back: 'Hồ sơ cần xử lý',
    code: 'Mã hồ sơ',
    applicant: 'Người nộp',
    received: 'Tiếp nhận lúc',
    promised: 'Ngày hẹn trả (Giấy tiếp nhận)',
    due: 'Hạn giải quyết hiện tại',
    dueNote: 'Đã trừ thời gian chờ bổ sung và cộng thời gian gia hạn (nếu có).',
    clock: 'Đồng hồ thời hạn',
    paused: 'Đang tạm dừng: chờ tổ chức, cá nhân bổ sung.',
    dueSoonNotice: 'Hồ sơ sắp đến hạn. Nếu không thể trả kết quả đúng hạn, hãy gửi thư xin lỗi và hẹn lại ngày trả (Mẫu 04) trước khi hết hạn: hệ thống đã soạn sẵn nội dung ở mục dưới.',
    lateNotice: 'Hồ sơ đã quá hạn mà không có thư xin lỗi gửi trước hạn; việc này đã được ghi vào sổ theo dõi vi phạm.',
    apologyDraft: 'Hồ sơ cần thêm thời gian thẩm định, xác minh để bảo đảm đúng quy định.',
    actions: 'Thao tác được phép lúc này',
    noActions: 'Bạn không có thao tác nào trên hồ sơ ở bước hiện tại.',
    done: 'Đã thực hiện.',
    conflict: 'Hồ sơ vừa được thay đổi bởi thao tác khác. Hãy tải lại để xem trạng thái mới nhất.',
    reload: 'Tải lại hồ sơ',
    complete_step: 'Hoàn thành bước, chuyển bước tiếp theo',
    nextAssignee: 'Giao bước tiếp theo cho',
    nextAnyone: '— Bất kỳ ai có vai trò của bước —',
    note: 'Ghi chú (không bắt buộc)',
    approve: 'Phê duyệt',
    approveLead: 'Phê duyệt nội dung dự thảo kết quả; sau đó ký số kết quả.',
    mark_processed: 'Ký số và ban hành kết quả',
    markLead: 'Chọn dự thảo đã phê duyệt: hệ thống ký số bằng chứng thư của bạn rồi đóng dấu điện tử của cơ quan (PAdES B-LT).',
    draft: 'Dự thảo kết quả',
    noDraft: 'Chưa có dự thảo: hãy đính kèm dự thảo ở mục "Tài liệu dự thảo".',
    return_result: 'Trả kết quả cho tổ chức, cá nhân',
    assign: 'Phân công xử lý bước hiện tại',
    assignee: 'Người được phân công',
    assignSubmit: 'Phân công',
    request_supplement: 'Yêu cầu bổ sung hồ sơ (một lần, Mẫu 02)',
    supplementLead: 'Chỉ được yêu cầu thành phần còn thiếu hoặc có bản điện tử không hợp lệ, mỗi thành phần kèm lý do. Không được yêu cầu bản giấy khi đã có bản điện tử hợp lệ.',
    nothingToRequest: 'Mọi thành phần đều hợp lệ hoặc được miễn: không thể yêu cầu bổ sung.',
    reasonFor: (n: string) => `Lý do, nội dung cần bổ sung: ${n}`,
    sendSupplement: 'Gửi yêu cầu bổ sung',
    transfer: 'Chuyển liên thông sang cơ quan khác',
    toAgency: 'Cơ quan nhận',
    pick: '— Chọn —',
    stepName: 'Việc cơ quan nhận thực hiện',
    stepNameDefault: 'Cho ý kiến về hồ sơ',
    stepRole: 'Vai trò thực hiện',
    quota: 'Thời gian (giờ làm việc)',
    returnAfter: 'Chuyển trả lại cơ quan mình sau khi cơ quan nhận xử lý xong',
    transferReason: 'Lý do chuyển',
    sendTransfer: 'Chuyển hồ sơ',
    request_financial_obligation: 'Thông báo nghĩa vụ tài chính',
    kind: 'Loại',
    kinds: { fee: 'Phí', charge: 'Lệ phí', tax: 'Thuế' } as Record<string, string>,
    amount: 'Số tiền (đồng)',
    reference: 'Số thông báo',
    sendNotice: 'Gửi thông báo',
    confirm_payment: 'Xác nhận đã thực hiện nghĩa vụ tài chính',
    paymentRef: 'Mã giao dịch, biên lai',
    confirm: 'Xác nhận',
    issue_apology: 'Xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)',
    apologyReason: 'Lý do chậm',
    extension: 'Gia hạn thêm (ngày làm việc)',
    sendApology: 'Gửi thư xin lỗi',
    stop: 'Dừng giải quyết hồ sơ (Mẫu 05)',
    stopReason: 'Lý do dừng',
    sendStop: 'Dừng giải quyết',
    start_processing: 'Bắt đầu giải quyết',
    revoke_result: 'Thu hồi kết quả đã ban hành',
    scan_paper_result: 'Số hóa kết quả bản giấy',
    paperLead: 'Thủ tục này pháp luật yêu cầu thêm kết quả bản giấy. Quét bản giấy đã ký, đóng dấu (ảnh từng trang hoặc một tệp PDF từ máy quét): hệ thống ghi dấu chuyển đổi từ bản giấy và ký số bản sao điện tử bằng con dấu điện tử của cơ quan.',
    paperFiles: 'Các trang bản quét (theo thứ tự)',
    sendPaper: 'Số hóa và ký bản sao điện tử',
    paperCopy: (at: string, by: string) => `Bản sao điện tử của kết quả bản giấy (số hóa lúc ${at}, người chuyển đổi: ${by})`,
    revokeLead: 'Kết quả bị thu hồi không còn giá trị: trang xác thực và kho dữ liệu của người dân thể hiện ngay việc thu hồi.',
    revokeReason: 'Lý do thu hồi',
    sendRevoke: 'Thu hồi kết quả',
    revoked: (d: string, r: string) => `Kết quả đã bị thu hồi ngày ${d}. Lý do: ${r}`,
    sealing: (since: string, n: number, err: string) =>
      `Lãnh đạo đã ký kết quả lúc ${since}; con dấu điện tử của cơ quan chưa đóng được (đã thử ${n} lần; lỗi gần nhất: ${err}). Hệ thống tự thử lại và ban hành kết quả ngay khi đóng được dấu.`,
    sealingFailed: 'Hệ thống đã dừng thử lại: bộ phận vận hành cần khắc phục nguyên nhân rồi chạy lại tác vụ tại trang Vận hành.',
    required: 'Hãy điền đủ các trường bắt buộc.',
    components: 'Thành phần hồ sơ và căn cứ hợp lệ',
    report: 'Báo cáo kiểm tra chữ ký',
    preview: 'Xem',
    hidePreview: 'Đóng xem trước',
    download: 'Tải về',
    noDoc: 'Không có tệp',
    route: 'Các bước xử lý',
    stepCol: 'Bước',
    agency: 'Cơ quan',
    role: 'Vai trò',
    started: 'Bắt đầu',
    ended: 'Kết thúc',
    stepDue: 'Hạn',
    sla: 'Tình trạng',
    current: 'đang xử lý',
    transferred: 'liên thông',
    assigned: 'Đang giao cho',
    sheet: 'Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06)',
    sheetPdf: 'Tải Phiếu kiểm soát (PDF)',
    giver: 'Bên giao',
    receiver: 'Bên nhận',
    at: 'Thời gian giao, nhận',
    mark: 'Kết quả',
    drafts: 'Tài liệu dự thảo (nội bộ)',
    noDrafts: 'Chưa có tài liệu dự thảo.',
    fromTemplate: 'từ mẫu kết quả',
    draftResult: 'Soạn dự thảo kết quả từ mẫu',
    draftResultHint: 'Dự thảo theo thể thức Nghị định 30/2020 được điền từ dữ liệu hồ sơ; số văn bản, ngày ký và mã QR được ghi khi lãnh đạo ký số.',
    standardTemplate: 'Mẫu chuẩn (thủ tục chưa có mẫu riêng)',
    ownTemplate: 'Mẫu kết quả của thủ tục',
    openForm: 'Mở mẫu',
    makeDraft: 'Tạo dự thảo',
    draftTitle: 'Tên tài liệu',
    draftFile: 'Tệp PDF',
    attach: 'Đính kèm',
    comments: 'Trao đổi nội bộ',
    noComments: 'Chưa có trao đổi.',
    comment: 'Nội dung trao đổi',
    send: 'Gửi',
    history: 'Lịch sử',
    event: 'Sự kiện',
    when: 'Thời điểm',
    form: 'Biểu mẫu',
    result: 'Kết quả đã ký số',
    openResult: 'Mở kết quả (PDF có ký số)',
    assignments: 'Lịch sử phân công',
    by: 'bởi',
    obligation: 'Nghĩa vụ tài chính',
    paid: 'đã nộp',
    unpaid: 'chưa nộp',
  },
  en: {
    loading: 'Loading…',
    back: 'Dossiers to process',
    code: 'Dossier code',
    applicant: 'Applicant',
    received: 'Received',
    promised: 'Promised date (receipt)',
    due: 'Current deadline',
    dueNote: 'Supplement waiting time excluded, extensions added.',
    clock: 'Deadline clock',
    paused: 'Paused: waiting for the applicant’s supplement.',
    dueSoonNotice: 'The deadline is near. If the result cannot be ready in time, send the apology with a new date (form 04) before it passes: a draft is ready below.',
    lateNotice: 'The dossier is late and no apology was sent before the deadline; this was entered in the violations register.',
    apologyDraft: 'Hồ sơ cần thêm thời gian thẩm định, xác minh để bảo đảm đúng quy định.',
    actions: 'Actions allowed now',
    noActions: 'You have no action on this dossier at its current step.',
    done: 'Done.',
    conflict: 'The dossier was just changed by another action. Reload to see its latest state.',
    reload: 'Reload the dossier',
    complete_step: 'Complete the step, hand over to the next',
    nextAssignee: 'Give the next step to',
    nextAnyone: '— Anyone with the step’s role —',
    note: 'Note (optional)',
    approve: 'Approve',
    approveLead: 'Approve the draft result; then sign the result.',
    mark_processed: 'Sign and issue the result',
    markLead: 'Pick the approved draft: it is signed with your certificate, then sealed by the agency (PAdES B-LT).',
    draft: 'Draft result',
    noDraft: 'No draft yet: attach one under "Working documents".',
    return_result: 'Hand the result back to the applicant',
    assign: 'Assign the current step',
    assignee: 'Assignee',
    assignSubmit: 'Assign',
    request_supplement: 'Request a supplement (once, form 02)',
    supplementLead: 'Only missing components or those whose e-version is not valid, each with a reason. Never ask for paper when a valid e-version exists.',
    nothingToRequest: 'Every component is valid or exempt: no supplement can be requested.',
    reasonFor: (n: string) => `Reason, what to supplement: ${n}`,
    sendSupplement: 'Send the request',
    transfer: 'Transfer to another agency',
    toAgency: 'Receiving agency',
    pick: '— Choose —',
    stepName: 'Work the receiving agency does',
    stepNameDefault: 'Cho ý kiến về hồ sơ',
    stepRole: 'Role',
    quota: 'Time (working hours)',
    returnAfter: 'Come back to my agency once the receiving agency is done',
    transferReason: 'Reason for the transfer',
    sendTransfer: 'Transfer',
    request_financial_obligation: 'Notify a financial obligation',
    kind: 'Kind',
    kinds: { fee: 'Fee', charge: 'Charge', tax: 'Tax' } as Record<string, string>,
    amount: 'Amount (VND)',
    reference: 'Notice number',
    sendNotice: 'Send the notice',
    confirm_payment: 'Confirm the payment',
    paymentRef: 'Transaction or receipt reference',
    confirm: 'Confirm',
    issue_apology: 'Apologise and give a new date (form 04)',
    apologyReason: 'Reason for the delay',
    extension: 'Extension (working days)',
    sendApology: 'Send the apology',
    stop: 'Stop processing (form 05)',
    stopReason: 'Reason for stopping',
    sendStop: 'Stop',
    start_processing: 'Start processing',
    revoke_result: 'Revoke the issued result',
    scan_paper_result: 'Scan the paper result in',
    paperLead: 'The law also requires a paper result for this procedure. Scan the signed and stamped paper (one photo per page, or one PDF from a scanner): the system marks it as converted from paper and signs the electronic copy with the agency’s e-seal.',
    paperFiles: 'Scanned pages (in order)',
    sendPaper: 'Digitize and sign the e-copy',
    paperCopy: (at: string, by: string) => `Electronic copy of the paper result (scanned at ${at}, converted by ${by})`,
    revokeLead: 'A revoked result is no longer in force: the verification page and the applicant’s e-store show it at once.',
    revokeReason: 'Reason for the revocation',
    sendRevoke: 'Revoke the result',
    revoked: (d: string, r: string) => `The result was revoked on ${d}. Reason: ${r}`,
    sealing: (since: string, n: number, err: string) =>
      `The leader signed the result at ${since}; the agency’s e-seal could not be added yet (${n} attempts; last error: ${err}). The system retries and issues the result as soon as the seal is added.`,
    sealingFailed: 'The system stopped retrying: operations must fix the cause, then retry the job in the Operations view.',
    required: 'Fill in the required fields.',
    components: 'Components and validity bases',
    report: 'Signature validation report',
    preview: 'Preview',
    hidePreview: 'Close preview',
    download: 'Download',
    noDoc: 'No file',
    route: 'Steps',
    stepCol: 'Step',
    agency: 'Agency',
    role: 'Role',
    started: 'Started',
    ended: 'Ended',
    stepDue: 'Due',
    sla: 'State',
    current: 'in progress',
    transferred: 'transfer',
    assigned: 'Assigned to',
    sheet: 'Processing control sheet (form 06)',
    sheetPdf: 'Download the control sheet (PDF)',
    giver: 'Handed over by',
    receiver: 'Received by',
    at: 'When',
    mark: 'Result',
    drafts: 'Working documents (internal)',
    noDrafts: 'No working document yet.',
    fromTemplate: 'from the result template',
    draftResult: 'Draft the result from its template',
    draftResultHint: 'The draft in the Decree 30/2020 layout is filled from the dossier’s data; the number, signing date and QR code are added when the leader signs.',
    standardTemplate: 'Standard template (the procedure has none of its own)',
    ownTemplate: 'The procedure’s result template',
    openForm: 'Open the template',
    makeDraft: 'Create the draft',
    draftTitle: 'Title',
    draftFile: 'PDF file',
    attach: 'Attach',
    comments: 'Internal comments',
    noComments: 'No comment yet.',
    comment: 'Comment',
    send: 'Send',
    history: 'History',
    event: 'Event',
    when: 'When',
    form: 'Form',
    result: 'Signed result',
    openResult: 'Open the result (signed PDF)',
    assignments: 'Assignments',
    by: 'by',
    obligation: 'Financial obligation',
    paid: 'paid',
    unpaid: 'not paid',
  },
};

type T = (typeof TEXT)['vi'];

export function WorkspacePage() {
  const t = useText(TEXT);
  const lang = useLang();
  const { id = '' } = useParams();
  const names = useProcedureNames();
  const [ws, setWs] = useState<Workspace | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  useDocumentTitle(ws ? `${ws.dossier.code ?? ''} – ${names.get(ws.dossier.procedure) ?? ws.dossier.procedure}` : t.loading);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setWs(await api.get<Workspace>(`/api/processing/dossiers/${encodeURIComponent(id)}`, signal));
        setLoadError(null);
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
  useEffect(() => {
    if (actionError) errorRef.current?.focus();
  }, [actionError]);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  if (loadError) return <><Link to={PATHS.inbox}>← {t.back}</Link><Alert tone="error">{errorMessage(loadError, lang)}</Alert></>;
  if (!ws) return <Spinner label={t.loading} />;
  const d = ws.dossier;
  const base = `/api/processing/dossiers/${d.id}`;

  /** Runs one request; on success shows what was done and reloads the workspace. */
  const run = async (key: string, request: () => Promise<unknown>, done: string) => {
    setBusy(key);
    setActionError(null);
    setNotice(null);
    try {
      await request();
      setNotice(done);
      await load();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(null);
    }
  };
  const act = (key: string, action: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    run(key, () => api.post(`${base}/actions`, { action: { type: key, ...action }, version: ws.version, ...extra }), `${t[key as keyof T] as string}: ${t.done}`);
  const conflict = actionError instanceof ApiError && actionError.status === 409 && actionError.problem.code === 'CONFLICT';
  const deadline = ws.deadline;
  const allowed = orderedActions(ws.allowed);

  return (
    <>
      <p>
        <Link to={PATHS.inbox}>← {t.back}</Link>
      </p>
      <PageHeader
        title={d.code ?? d.id}
        meta={
          <>
            <Badge tone={statusTone(d.status)}>{d.label[lang]}</Badge> {names.get(d.procedure) ?? d.procedure}
          </>
        }
      />
      <div className="processing-summary">
        <dl className="portal-kv">
          <dt>{t.applicant}</dt>
          <dd>
            {ws.applicantName} ({d.applicant.subjectId})
          </dd>
          <dt>{t.received}</dt>
          <dd>{d.receivedAt ? formatDateTime(d.receivedAt) : '—'}</dd>
          <dt>{t.promised}</dt>
          <dd>{deadline ? formatDate(deadline.promisedDue) : '—'}</dd>
          {ws.assignee ? (
            <>
              <dt>{t.assigned}</dt>
              <dd data-testid="assignee">{ws.assignee.name}</dd>
            </>
          ) : null}
        </dl>
        {deadline ? (
          <section className={`processing-clock processing-clock--${deadline.paused ? 'paused' : deadline.sla}`} aria-labelledby="clock-h">
            <h2 id="clock-h">{t.clock}</h2>
            <p>
              <strong>{t.due}:</strong> <span data-testid="due">{formatDateTime(deadline.due)}</span>{' '}
              <Badge tone={slaTone(deadline.paused ? 'paused' : deadline.sla)}>{SLA_WORDS[(deadline.paused ? 'paused' : deadline.sla) as Sla]?.[lang]}</Badge>
            </p>
            <p>{deadline.paused ? t.paused : workingTimeLeft(deadline, lang)}</p>
            <p className="processing-muted">{t.dueNote}</p>
          </section>
        ) : null}
      </div>

      {ws.notices.some((n) => n.kind === 'late') ? (
        <Alert tone="error">{t.lateNotice}</Alert>
      ) : ws.notices.some((n) => n.kind === 'due_soon') && d.status !== 'processed' ? (
        <Alert tone="warning">{t.dueSoonNotice}</Alert>
      ) : null}

      <div aria-live="polite">
        {notice ? (
          <Alert tone="success" ref={noticeRef} tabIndex={-1}>
            {notice}
          </Alert>
        ) : null}
      </div>
      {actionError ? (
        <Alert tone="error" ref={errorRef} tabIndex={-1} title={conflict ? t.conflict : errorMessage(actionError, lang)}>
          {conflict ? (
            <Button variant="secondary" onClick={() => void load()}>
              {t.reload}
            </Button>
          ) : actionError instanceof ApiError && typeof actionError.problem.detail === 'string' ? (
            <p>{actionError.problem.detail}</p>
          ) : null}
        </Alert>
      ) : null}

      <section aria-labelledby="actions-h" className="processing-actions">
        <h2 id="actions-h">{t.actions}</h2>
        {allowed.length === 0 ? <p>{t.noActions}</p> : null}
        {allowed.map((a) => (
          <ActionForm key={`${a}-${ws.version}`} action={a} ws={ws} t={t} busy={busy} act={act} run={run} base={base} />
        ))}
      </section>

      <h2>{t.components}</h2>
      <div className="reception-grid">
        <ul className="reception-components">
          {d.components.map((c) => (
            <li key={c.key} className="reception-component">
              <p>
                <strong>{c.name}</strong>{' '}
                <Badge tone={c.assessment === 'valid' || c.assessment === 'exempt' ? 'success' : 'danger'}>
                  {(ASSESSMENT_WORDS[c.assessment] ?? { vi: c.assessment, en: c.assessment })[lang]}
                </Badge>
              </p>
              <p data-testid={`basis-${c.key}`}>{evidenceInWords(c, lang)}</p>
              {c.validation ? (
                <p>
                  {t.report}: <Badge tone={c.validation.indication === 'TOTAL_PASSED' ? 'success' : 'danger'}>{(INDICATION_WORDS[c.validation.indication] ?? { vi: c.validation.indication, en: c.validation.indication })[lang]}</Badge>{' '}
                  <span className="processing-muted">#{c.validation.reportId.slice(0, 8)}</span>
                </p>
              ) : null}
              {c.document && c.document.mediaType !== 'application/json' ? (
                <p className="portal-actions">
                  <Button variant="secondary" onClick={() => setPreview(preview === c.document!.id ? null : c.document!.id)} aria-expanded={preview === c.document.id}>
                    {preview === c.document.id ? t.hidePreview : t.preview}
                  </Button>
                  <a href={`${base}/documents/${c.document.id}`} download>
                    {t.download}
                  </a>
                </p>
              ) : !c.document ? (
                <p className="portal-muted">{t.noDoc}</p>
              ) : null}
            </li>
          ))}
        </ul>
        {preview ? (
          <div className="reception-preview">
            <iframe title={t.preview} src={`${base}/documents/${preview}`} />
          </div>
        ) : null}
      </div>

      {ws.sealing ? (
        <Alert tone={ws.sealing.failed ? 'error' : 'warning'}>
          <span data-testid="sealing">
            {t.sealing(formatDateTime(ws.sealing.since), ws.sealing.attempts, ws.sealing.lastError ?? '—')}
            {ws.sealing.failed ? ` ${t.sealingFailed}` : ''}
          </span>
        </Alert>
      ) : null}

      {d.result ? (
        <section aria-labelledby="result-h">
          <h2 id="result-h">{t.result}</h2>
          {ws.resultRevocation ? <Alert tone="error">{t.revoked(formatDateTime(ws.resultRevocation.at), ws.resultRevocation.reason)}</Alert> : null}
          {ws.paperResult.copy ? (
            <p>
              <a href={`${base}/documents/${ws.paperResult.copy.documentId}`} target="_blank" rel="noopener" data-testid="paper-copy-link">
                {t.paperCopy(formatDateTime(ws.paperResult.copy.at), ws.paperResult.copy.convertedBy)}
              </a>
            </p>
          ) : null}
          <a className="button button--secondary" href={`${base}/documents/${d.result.documentId}`} target="_blank" rel="noopener" data-testid="result-link">
            {t.openResult}
          </a>
        </section>
      ) : null}

      <Table
        caption={t.route}
        rows={ws.route}
        rowKey={(s) => String(s.index)}
        columns={[
          {
            key: 'name',
            header: t.stepCol,
            rowHeader: true,
            cell: (s) => (
              <>
                {s.name}
                {s.current ? <Badge tone="info">{t.current}</Badge> : null}
                {s.origin === 'transfer' ? <span className="processing-muted"> ({t.transferred})</span> : null}
              </>
            ),
          },
          { key: 'agency', header: t.agency, cell: (s) => s.agency.name },
          { key: 'role', header: t.role, cell: (s) => ROLE_WORDS[s.role]?.[lang] ?? s.role },
          { key: 'started', header: t.started, cell: (s) => (s.startedAt ? formatDateTime(s.startedAt) : '—') },
          { key: 'ended', header: t.ended, cell: (s) => (s.endedAt ? formatDateTime(s.endedAt) : '—') },
          { key: 'due', header: t.stepDue, cell: (s) => (s.due ? formatDateTime(s.due) : `${s.quotaHours} h`) },
          { key: 'sla', header: t.sla, cell: (s) => (s.sla ? <Badge tone={slaTone(s.sla)}>{SLA_WORDS[s.sla as Sla]?.[lang] ?? s.sla}</Badge> : '—') },
        ]}
      />

      <section aria-labelledby="sheet-h">
        <h2 id="sheet-h">{t.sheet}</h2>
        <Table
          caption={t.sheet}
          rows={ws.controlSheet}
          rowKey={(r) => String(r.no)}
          columns={[
            { key: 'no', header: 'TT', numeric: true, cell: (r) => r.no },
            { key: 'giver', header: t.giver, rowHeader: true, cell: (r) => r.giver },
            { key: 'receiver', header: t.receiver, cell: (r) => r.receiver },
            { key: 'at', header: t.at, cell: (r) => formatDateTime(r.at) },
            { key: 'mark', header: t.mark, cell: (r) => (r.markLabel ? <Badge tone={slaTone(r.mark === 'late' ? 'late' : 'on_time')}>{r.markLabel[lang]}</Badge> : '—') },
          ]}
        />
        {d.code ? (
          <p>
            <a className="button button--secondary" href={`${base}/control-sheet.pdf`} target="_blank" rel="noopener" data-testid="control-sheet-pdf">
              {t.sheetPdf}
            </a>
          </p>
        ) : null}
      </section>

      <WorkingDocuments ws={ws} t={t} base={base} busy={busy} run={run} />
      <Comments ws={ws} t={t} base={base} busy={busy} run={run} />

      {ws.assignments.length ? (
        <section aria-labelledby="assign-h">
          <h2 id="assign-h">{t.assignments}</h2>
          <ul>
            {ws.assignments.map((a, i) => (
              <li key={i}>
                {formatDateTime(a.at)}: {a.assignee} ({t.by} {a.by}){a.note ? ` — ${a.note}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <FormsIssued forms={d.forms} base={base} />

      <Table
        caption={t.history}
        rows={d.history}
        rowKey={(e) => String(e.seq)}
        columns={[
          { key: 'at', header: t.when, cell: (e) => formatDateTime(e.at) },
          { key: 'type', header: t.event, rowHeader: true, cell: (e) => eventInWords(e.type, lang) },
          { key: 'form', header: t.form, cell: (e) => e.form ?? '—' },
        ]}
      />
    </>
  );
}

type Run = (key: string, request: () => Promise<unknown>, done: string) => Promise<void>;
type Act = (key: string, action: Record<string, unknown>, extra?: Record<string, unknown>) => Promise<void>;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return <FieldGroup legend={title}>{children}</FieldGroup>;
}

/** One allowed action as a small form; the server decides, the form only gathers what the action needs. */
function ActionForm({ action, ws, t, busy, act, run, base }: { action: string; ws: Workspace; t: T; busy: string | null; act: Act; run: Run; base: string }) {
  const lang = useLang();
  // The apology is drafted for the officer once the deadline watch warned (form 04 must go out before the deadline).
  const [note, setNote] = useState(action === 'issue_apology' && ws.notices.length ? t.apologyDraft : '');
  const [who, setWho] = useState('');
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [agencies, setAgencies] = useState<Agency[] | null>(null);
  const [toAgency, setToAgency] = useState('');
  const [stepName, setStepName] = useState(t.stepNameDefault);
  const [stepRole, setStepRole] = useState('specialist');
  const [quota, setQuota] = useState('8');
  const [returnAfter, setReturnAfter] = useState(true);
  const [kind, setKind] = useState('fee');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [days, setDays] = useState('1');
  const [draft, setDraft] = useState(ws.workingDocuments.at(-1)?.id ?? '');
  const [missing, setMissing] = useState(false);
  const collator = useMemo(() => new Intl.Collator('vi'), []);
  useEffect(() => {
    if (action !== 'transfer') return;
    const ac = new AbortController();
    api.get<{ items: Agency[] }>('/api/catalog/agencies', ac.signal).then(
      (r) => setAgencies(r.items.filter((a) => !ws.route.some((s) => s.current && s.agency.code === a.code)).sort((a, b) => collator.compare(a.name, b.name))),
      () => setAgencies([]),
    );
    return () => ac.abort();
  }, [action, ws.route, collator]);
  const isBusy = busy === action;
  const disabled = !!busy && !isBusy;
  const need = (ok: boolean, then: () => void) => {
    setMissing(!ok);
    if (ok) then();
  };
  const missingAlert = missing ? <Alert tone="error">{t.required}</Alert> : null;
  const submit = (label: string, onClick: () => void, variant: 'primary' | 'secondary' | 'danger' = 'primary') => (
    <Button variant={variant} onClick={onClick} busy={isBusy} disabled={disabled}>
      {label}
    </Button>
  );

  switch (action) {
    case 'complete_step':
      return (
        <Section title={t.complete_step}>
          {ws.nextAssignees.length ? (
            <Select
              label={t.nextAssignee}
              value={who}
              onChange={(e) => setWho(e.target.value)}
              placeholder={t.nextAnyone}
              options={ws.nextAssignees.map((p) => ({ value: p.id, label: `${p.displayName} (${ROLE_WORDS[p.role]?.[lang] ?? p.role})` }))}
            />
          ) : null}
          <TextArea label={t.note} value={note} rows={2} onChange={setNote} />
          {submit(t.complete_step, () => void act('complete_step', note.trim() ? { note: nfc(note).trim() } : {}, who ? { assignTo: who } : {}))}
        </Section>
      );
    case 'approve':
      return (
        <Section title={t.approve}>
          <p>{t.approveLead}</p>
          {submit(t.approve, () => void act('approve', {}))}
        </Section>
      );
    case 'mark_processed':
      return (
        <Section title={t.mark_processed}>
          <p>{t.markLead}</p>
          {ws.workingDocuments.length ? (
            <>
              <Select label={t.draft} value={draft} onChange={(e) => setDraft(e.target.value)} options={ws.workingDocuments.map((w) => ({ value: w.id, label: `${w.title} (${formatDateTime(w.at)})` }))} />
              {submit(t.mark_processed, () => void act('mark_processed', { workingDocumentId: draft }))}
            </>
          ) : (
            <p>{t.noDraft}</p>
          )}
        </Section>
      );
    case 'return_result':
      return <Section title={t.return_result}>{submit(t.return_result, () => void act('return_result', {}))}</Section>;
    case 'start_processing':
      return <Section title={t.start_processing}>{submit(t.start_processing, () => void act('start_processing', {}), 'secondary')}</Section>;
    case 'assign':
      return (
        <Section title={t.assign}>
          <Select
            label={t.assignee}
            value={who}
            onChange={(e) => setWho(e.target.value)}
            placeholder={t.pick}
            options={ws.assignees.map((p) => ({ value: p.id, label: `${p.displayName} (${ROLE_WORDS[p.role]?.[lang] ?? p.role})` }))}
          />
          <TextArea label={t.note} value={note} rows={2} onChange={setNote} />
          {missingAlert}
          {submit(
            t.assignSubmit,
            () =>
              need(!!who, () =>
                void run('assign', () => api.post(`${base}/assign`, { assigneeId: who, version: ws.version, ...(note.trim() ? { note: nfc(note).trim() } : {}) }), `${t.assign}: ${t.done}`),
              ),
            'secondary',
          )}
        </Section>
      );
    case 'request_supplement':
      return (
        <Section title={t.request_supplement}>
          <p>{t.supplementLead}</p>
          {ws.requestable.length === 0 ? (
            <p>{t.nothingToRequest}</p>
          ) : (
            <>
              {ws.requestable.map((c) => (
                <div key={c.key} className="reception-return">
                  <label className="portal-check">
                    <input
                      type="checkbox"
                      checked={c.key in reasons}
                      onChange={(e) => setReasons(({ [c.key]: prev, ...rest }) => (e.target.checked ? { ...rest, [c.key]: prev ?? '' } : rest))}
                    />{' '}
                    {c.name} — {(ASSESSMENT_WORDS[c.status] ?? { vi: c.status, en: c.status })[lang]}
                  </label>
                  {c.key in reasons ? <TextArea label={t.reasonFor(c.name)} value={reasons[c.key] ?? ''} rows={2} onChange={(v) => setReasons((r) => ({ ...r, [c.key]: v }))} /> : null}
                </div>
              ))}
              {missingAlert}
              {submit(
                t.sendSupplement,
                () => {
                  const items = Object.entries(reasons).map(([componentKey, reason]) => ({ componentKey, reason: nfc(reason).trim() }));
                  need(items.length > 0 && items.every((i) => i.reason), () => void act('request_supplement', { items }));
                },
                'secondary',
              )}
            </>
          )}
        </Section>
      );
    case 'transfer':
      return (
        <Section title={t.transfer}>
          {agencies === null ? (
            <Spinner label={t.loading} />
          ) : (
            <Select label={t.toAgency} value={toAgency} onChange={(e) => setToAgency(e.target.value)} placeholder={t.pick} options={agencies.map((a) => ({ value: a.code, label: a.name }))} required />
          )}
          <TextField label={t.stepName} value={stepName} onChange={(e) => setStepName(e.target.value)} required />
          <Select
            label={t.stepRole}
            value={stepRole}
            onChange={(e) => setStepRole(e.target.value)}
            options={['specialist', 'leader'].map((r) => ({ value: r, label: ROLE_WORDS[r]![lang] }))}
          />
          <TextField label={t.quota} value={quota} onChange={(e) => setQuota(e.target.value)} inputMode="numeric" required />
          <label className="portal-check">
            <input type="checkbox" checked={returnAfter} onChange={(e) => setReturnAfter(e.target.checked)} /> {t.returnAfter}
          </label>
          <TextArea label={t.transferReason} value={note} rows={2} onChange={setNote} />
          {missingAlert}
          {submit(
            t.sendTransfer,
            () =>
              need(!!toAgency && !!stepName.trim() && Number(quota) > 0 && !!note.trim(), () =>
                void act('transfer', {
                  toAgency,
                  steps: [{ kind: 'appraisal', name: nfc(stepName).trim(), role: stepRole, quotaHours: Number(quota) }],
                  reason: nfc(note).trim(),
                  returnAfter,
                }),
              ),
            'secondary',
          )}
        </Section>
      );
    case 'request_financial_obligation':
      return (
        <Section title={t.request_financial_obligation}>
          <Select label={t.kind} value={kind} onChange={(e) => setKind(e.target.value)} options={['fee', 'charge', 'tax'].map((k) => ({ value: k, label: t.kinds[k]! }))} />
          <TextField label={t.amount} value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="numeric" required />
          <TextField label={t.reference} value={reference} onChange={(e) => setReference(e.target.value)} required />
          {missingAlert}
          {submit(
            t.sendNotice,
            () => {
              const v = parseVnd(amount);
              need(v !== null && v > 0 && !!reference.trim(), () => void act('request_financial_obligation', { notice: { kind, amountVnd: v, reference: nfc(reference).trim() } }));
            },
            'secondary',
          )}
        </Section>
      );
    case 'confirm_payment': {
      const fo = ws.financialObligation;
      return (
        <Section title={t.confirm_payment}>
          {fo ? (
            <p>
              {t.obligation}: {t.kinds[fo.kind] ?? fo.kind} {formatVnd(fo.amountVnd)} ({fo.reference}) — {fo.paidAt ? t.paid : t.unpaid}
            </p>
          ) : null}
          <TextField label={t.paymentRef} value={reference} onChange={(e) => setReference(e.target.value)} required />
          {missingAlert}
          {submit(t.confirm, () => need(!!reference.trim() && !!fo, () => void act('confirm_payment', { paymentRef: nfc(reference).trim(), amountVnd: fo!.amountVnd })), 'secondary')}
        </Section>
      );
    }
    case 'issue_apology':
      return (
        <Section title={t.issue_apology}>
          <TextArea label={t.apologyReason} value={note} rows={2} onChange={setNote} />
          <TextField label={t.extension} value={days} onChange={(e) => setDays(e.target.value)} inputMode="numeric" required />
          {missingAlert}
          {submit(
            t.sendApology,
            () => need(!!note.trim() && Number(days) > 0, () => void act('issue_apology', { reason: nfc(note).trim(), extension: { value: Number(days), unit: 'working_days' } })),
            'secondary',
          )}
        </Section>
      );
    case 'revoke_result':
      return (
        <Section title={t.revoke_result}>
          <p>{t.revokeLead}</p>
          <TextArea label={t.revokeReason} value={note} rows={2} onChange={setNote} />
          {missingAlert}
          {submit(
            t.sendRevoke,
            () => need(!!note.trim(), () => void run('revoke_result', () => api.post(`${base}/revoke-result`, { reason: nfc(note).trim() }), `${t.revoke_result}: ${t.done}`)),
            'danger',
          )}
        </Section>
      );
    case 'scan_paper_result':
      return <PaperResultScan t={t} base={base} busy={busy} run={run} />;
    case 'stop':
      return (
        <Section title={t.stop}>
          <TextArea label={t.stopReason} value={note} rows={2} onChange={setNote} />
          {missingAlert}
          {submit(t.sendStop, () => need(!!note.trim(), () => void act('stop', { reason: nfc(note).trim() })), 'danger')}
        </Section>
      );
    default:
      return null;
  }
}

/** The wet-signed paper result, scanned back in: pages in order, sent as `file` parts. */
function PaperResultScan({ t, base, busy, run }: { t: T; base: string; busy: string | null; run: Run }) {
  const [files, setFiles] = useState<File[]>([]);
  const [missing, setMissing] = useState(false);
  const send = () => {
    if (!files.length) {
      setMissing(true);
      return;
    }
    setMissing(false);
    const body = new FormData();
    for (const f of files) body.append('file', f, f.name);
    void run('scan_paper_result', () => apiRequest(`${base}/paper-result`, { method: 'POST', body }), `${t.scan_paper_result}: ${t.done}`);
  };
  return (
    <Section title={t.scan_paper_result}>
      <p>{t.paperLead}</p>
      <div className="field">
        <label className="field__label" htmlFor="paper-files">
          {t.paperFiles}
        </label>
        <input
          id="paper-files"
          className="portal-file"
          type="file"
          multiple
          accept="image/jpeg,image/png,application/pdf,.pdf"
          onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
        />
      </div>
      {missing ? <Alert tone="error">{t.required}</Alert> : null}
      <Button onClick={send} busy={busy === 'scan_paper_result'} disabled={!!busy && busy !== 'scan_paper_result'}>
        {t.sendPaper}
      </Button>
    </Section>
  );
}

/** Statuses in which the result may still be drafted (the server's rule: until the leader signs it). */
const DRAFTABLE = ['received', 'processing', 'supplement_requested', 'awaiting_financial_obligation'];

interface DraftingForm {
  resultName: string;
  standard: boolean;
  numberSymbol: string;
  inputs: { name: string; label: string; required: boolean; maxLength?: number }[];
}

/** The result template's inputs, filled by the specialist; the server fills the rest from the dossier. */
function ResultDraft({ t, base, busy, run }: { t: T; base: string; busy: string | null; run: Run }) {
  const lang = useLang();
  const [form, setForm] = useState<DraftingForm | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const open = () => {
    setError(null);
    api.get<DraftingForm>(`${base}/result-draft`).then(setForm, setError);
  };
  const missing = form?.inputs.some((i) => i.required && !values[i.name]?.trim()) ?? false;
  const make = () => {
    if (!form || missing) return;
    const inputs = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, nfc(v).trim()]).filter(([, v]) => v));
    void run('result-draft', () => api.post(`${base}/result-draft`, { inputs }), `${t.makeDraft}: ${t.done}`).then(() => setValues({}));
  };
  return (
    <FieldGroup legend={t.draftResult}>
      <p className="processing-muted">{t.draftResultHint}</p>
      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
      {!form ? (
        <Button variant="secondary" onClick={open}>
          {t.openForm}
        </Button>
      ) : (
        <>
          <p>
            <strong>{form.resultName}</strong> — {form.standard ? t.standardTemplate : t.ownTemplate}
          </p>
          {form.inputs.map((i) => (
            <TextArea key={i.name} label={i.required ? `${i.label} *` : i.label} value={values[i.name] ?? ''} rows={3} onChange={(v) => setValues({ ...values, [i.name]: v })} />
          ))}
          {missing ? <Alert tone="error">{t.required}</Alert> : null}
          <Button onClick={make} busy={busy === 'result-draft'} disabled={(!!busy && busy !== 'result-draft') || missing}>
            {t.makeDraft}
          </Button>
        </>
      )}
    </FieldGroup>
  );
}

function WorkingDocuments({ ws, t, base, busy, run }: { ws: Workspace; t: T; base: string; busy: string | null; run: Run }) {
  const role = useSession().state.user?.role;
  const [title, setTitle] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const attach = () => {
    if (!title.trim() || !file) {
      setMissing(true);
      return;
    }
    setMissing(false);
    const body = new FormData();
    body.append('title', nfc(title).trim());
    body.append('file', file, file.name);
    void run('draft', () => apiRequest(`${base}/working-documents`, { method: 'POST', body }), `${t.attach}: ${t.done}`).then(() => {
      setTitle('');
      setFile(null);
      if (fileRef.current) fileRef.current.value = '';
    });
  };
  const closed = ['not_received', 'withdrawn', 'stopped', 'result_returned'].includes(ws.dossier.status);
  return (
    <section aria-labelledby="drafts-h">
      <h2 id="drafts-h">{t.drafts}</h2>
      {ws.workingDocuments.length ? (
        <ul>
          {ws.workingDocuments.map((w) => (
            <li key={w.id}>
              <a href={`${base}/documents/${w.documentId}`} target="_blank" rel="noopener">
                {w.title}
              </a>{' '}
              — {w.addedBy}, {formatDateTime(w.at)}
              {w.fromTemplate ? <> ({t.fromTemplate})</> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t.noDrafts}</p>
      )}
      {!closed && DRAFTABLE.includes(ws.dossier.status) && (role === 'specialist' || role === 'leader') ? <ResultDraft t={t} base={base} busy={busy} run={run} /> : null}
      {!closed ? (
        <FieldGroup legend={t.attach}>
          <TextField label={t.draftTitle} value={title} onChange={(e) => setTitle(e.target.value)} required />
          <div className="field">
            <label className="field__label" htmlFor="draft-file">
              {t.draftFile}
            </label>
            <input id="draft-file" className="portal-file" ref={fileRef} type="file" accept="application/pdf,.pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </div>
          {missing ? <Alert tone="error">{t.required}</Alert> : null}
          <Button variant="secondary" onClick={attach} busy={busy === 'draft'} disabled={!!busy && busy !== 'draft'}>
            {t.attach}
          </Button>
        </FieldGroup>
      ) : null}
    </section>
  );
}

function Comments({ ws, t, base, busy, run }: { ws: Workspace; t: T; base: string; busy: string | null; run: Run }) {
  const [body, setBody] = useState('');
  return (
    <section aria-labelledby="comments-h">
      <h2 id="comments-h">{t.comments}</h2>
      {ws.comments.length ? (
        <ul className="processing-comments">
          {ws.comments.map((c) => (
            <li key={c.id}>
              <strong>{c.author}</strong> <span className="processing-muted">{formatDateTime(c.at)}</span>
              <p>{c.body}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t.noComments}</p>
      )}
      <TextArea label={t.comment} value={body} rows={2} onChange={setBody} />
      <Button
        variant="secondary"
        onClick={() => {
          if (!body.trim()) return;
          void run('comment', () => api.post(`${base}/comments`, { body: nfc(body).trim() }), `${t.send}: ${t.done}`).then(() => setBody(''));
        }}
        busy={busy === 'comment'}
        disabled={!!busy && busy !== 'comment'}
      >
        {t.send}
      </Button>
    </section>
  );
}
