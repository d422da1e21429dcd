import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { useLang, useText } from '../catalog/lang.ts';
import { ApiError, api, apiRequest, errorMessage, type LocalizedText } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';
import { INDICATION_WORDS } from '../portal/model.ts';
import { Alert, Badge, Button, PageHeader } from '../ui/index.ts';
import '../portal/portal.css';
import '../reception/reception.css';

const TEXT = {
  vi: {
    title: 'Xác thực văn bản điện tử',
    lead: 'Chọn một tệp PDF có ký số (kết quả giải quyết, giấy tiếp nhận, bản sao điện tử…) để kiểm tra chữ ký số và tình trạng của văn bản. Không cần đăng nhập; tệp không được lưu lại.',
    file: 'Tệp PDF cần kiểm tra',
    check: 'Kiểm tra',
    verdict: 'Kết luận',
    registry: 'Trong sổ đăng ký của hệ thống',
    issuedByHoso: (kind: string, at: string) => `${kind}, do hệ thống ban hành lúc ${at}: còn hiệu lực.`,
    revokedByHoso: (kind: string, at: string, when: string, why: string) => `${kind}, do hệ thống ban hành lúc ${at}: ĐÃ BỊ THU HỒI ngày ${when}. Lý do: ${why}`,
    notInRegistry: 'Văn bản này không do hệ thống ban hành (hoặc đã bị thay đổi so với bản đã ban hành).',
    signatures: 'Chữ ký số',
    signer: 'Người ký',
    issuer: 'Tổ chức cấp chứng thư',
    signedAt: 'Thời điểm ký (theo người ký)',
    provenAt: 'Thời điểm ký được chứng thực (dấu thời gian)',
    integrity: 'Toàn vẹn',
    intact: 'Không bị sửa đổi sau khi ký',
    changedAllowed: 'Có bổ sung được phép sau khi ký (chữ ký, dấu thời gian)',
    changed: 'Đã bị sửa đổi sau khi ký',
    level: 'Mức chữ ký',
    timestamp: 'Dấu thời gian tài liệu',
    details: 'Chi tiết kiểm tra',
    fingerprint: 'Mã băm SHA-256 của tệp',
    none: '—',
    pick: 'Hãy chọn một tệp PDF.',
    registered: 'Kết quả giải quyết thủ tục hành chính đã ban hành',
    registeredLead: 'Mã QR trên văn bản dẫn đến trang này. Để chắc chắn bản bạn đang giữ là bản gốc, hãy chọn tệp PDF đó bên dưới: hệ thống so khớp và kiểm tra chữ ký số.',
    docTitle: 'Văn bản',
    number: 'Số, ký hiệu',
    issuedBy: 'Cơ quan ban hành',
    issuedAt: 'Ban hành lúc',
    status: 'Tình trạng',
    inForce: 'Còn hiệu lực',
    revoked: 'Đã bị thu hồi',
    revokedOn: (when: string, why: string) => `Ngày thu hồi: ${when}. Lý do: ${why}`,
    matches: 'Tệp bạn chọn trùng khớp với văn bản đã ban hành.',
    differs: 'Tệp bạn chọn KHÔNG trùng khớp với văn bản này.',
  },
  en: {
    title: 'Verify an electronic document',
    lead: 'Choose a signed PDF (a result, a receipt, an e-copy…) to check its digital signatures and its status. No sign-in; the file is not kept.',
    file: 'PDF file to check',
    check: 'Check',
    verdict: 'Verdict',
    registry: "In the system's registry",
    issuedByHoso: (kind: string, at: string) => `${kind}, issued by the system at ${at}: in force.`,
    revokedByHoso: (kind: string, at: string, when: string, why: string) => `${kind}, issued by the system at ${at}: REVOKED on ${when}. Reason: ${why}`,
    notInRegistry: 'The system did not issue this document (or it differs from the issued one).',
    signatures: 'Digital signatures',
    signer: 'Signer',
    issuer: 'Certificate issuer',
    signedAt: 'Signing time (claimed)',
    provenAt: 'Signing time proven by a timestamp',
    integrity: 'Integrity',
    intact: 'Unchanged since signing',
    changedAllowed: 'Only allowed additions after signing (signatures, timestamps)',
    changed: 'Changed after signing',
    level: 'Signature level',
    timestamp: 'Document timestamp',
    details: 'Validation details',
    fingerprint: 'SHA-256 of the file',
    none: '—',
    pick: 'Choose a PDF file.',
    registered: 'An issued administrative result',
    registeredLead: 'The QR code on the document leads here. To be sure the copy you hold is the original, choose that PDF below: the system compares it and checks its signatures.',
    docTitle: 'Document',
    number: 'Number and symbol',
    issuedBy: 'Issuing agency',
    issuedAt: 'Issued at',
    status: 'Status',
    inForce: 'In force',
    revoked: 'Revoked',
    revokedOn: (when: string, why: string) => `Revoked on ${when}. Reason: ${why}`,
    matches: 'The file you chose is the issued document.',
    differs: 'The file you chose is NOT this document.',
  },
};

interface Signature {
  type: 'signature' | 'document-timestamp';
  indication: string;
  subIndication: string | null;
  modifiedAfterSigning: 'none' | 'allowed' | 'disallowed';
  signer: { subject: string; issuer: string } | null;
  claimedSigningTime: string | null;
  provenSigningTime: string | null;
  padesLevel: string | null;
  messages: { vi: string[]; en: string[] };
}

interface Verification {
  sha256: string;
  verdict: string;
  label: LocalizedText;
  report: { error: { code: string; message: string } | null; signatures: Signature[] };
  registry: { kind: string; issuedAt: string; status: 'valid' | 'revoked'; revocation: { reason: string; at: string } | null; label: LocalizedText } | null;
}

interface RegisteredResult {
  documentId: string;
  title: string;
  number: string | null;
  issuer: string;
  issuedAt: string;
  sha256: string;
  status: 'valid' | 'revoked';
  revocation: { reason: string; at: string } | null;
}

/** "CN=Nguyễn Văn A, O=…" → "Nguyễn Văn A" (the common name is what a reader recognises). */
function commonName(dn: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(dn)?.[1] ?? dn;
}

const tone = (v: string) => (v === 'TOTAL_PASSED' ? 'success' : v === 'TOTAL_FAILED' || v === 'MALFORMED' ? 'danger' : 'warning');

/** What the result's QR code opens (`/xac-thuc/kq/:id`): the register's entry, before any file is chosen. */
function Registered({ entry, t }: { entry: RegisteredResult; t: (typeof TEXT)['vi'] }) {
  return (
    <section aria-labelledby="registered-h" className="reception-component">
      <h2 id="registered-h">{t.registered}</h2>
      <p>{t.registeredLead}</p>
      <dl className="portal-kv" data-testid="registered">
        <dt>{t.docTitle}</dt>
        <dd>{entry.title}</dd>
        <dt>{t.number}</dt>
        <dd>{entry.number ? entry.number.replace(/^Số:\s*/, '') : t.none}</dd>
        <dt>{t.issuedBy}</dt>
        <dd>{entry.issuer}</dd>
        <dt>{t.issuedAt}</dt>
        <dd>{formatDateTime(entry.issuedAt)}</dd>
        <dt>{t.status}</dt>
        <dd>
          {entry.revocation ? (
            <>
              <Badge tone="danger">{t.revoked}</Badge> {t.revokedOn(formatDateTime(entry.revocation.at), entry.revocation.reason)}
            </>
          ) : (
            <Badge tone="success">{t.inForce}</Badge>
          )}
        </dd>
        <dt>{t.fingerprint}</dt>
        <dd>
          <code>{entry.sha256}</code>
        </dd>
      </dl>
    </section>
  );
}

export function VerifyPage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const { id } = useParams();
  const [entry, setEntry] = useState<RegisteredResult | null>(null);
  const [entryError, setEntryError] = useState<unknown>(null);
  useEffect(() => {
    if (!id) return;
    setEntry(null);
    setEntryError(null);
    api.get<RegisteredResult>(`/api/public/results/${encodeURIComponent(id)}`).then(setEntry, setEntryError);
  }, [id]);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Verification | null>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const check = async () => {
    if (!file) {
      setError(new Error(t.pick));
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const body = new FormData();
      body.append('file', file, file.name);
      setResult(await apiRequest<Verification>('/api/public/verify', { method: 'POST', body }));
      setTimeout(() => resultRef.current?.focus(), 0);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      {entryError ? <Alert tone="error">{errorMessage(entryError, lang)}</Alert> : null}
      {entry ? <Registered entry={entry} t={t} /> : null}
      <div className="field">
        <label className="field__label" htmlFor="verify-file">
          {t.file}
        </label>
        <input id="verify-file" className="portal-file" type="file" accept="application/pdf,.pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <Button onClick={() => void check()} busy={busy}>
        {t.check}
      </Button>
      {error ? <Alert tone="error">{error instanceof ApiError ? errorMessage(error, lang) : (error as Error).message}</Alert> : null}
      {result ? (
        <section aria-labelledby="verdict-h">
          <h2 id="verdict-h" tabIndex={-1} ref={resultRef}>
            {t.verdict}
          </h2>
          <p data-testid="verdict">
            <Badge tone={tone(result.verdict)} long>
              {result.label[lang]}
            </Badge>
          </p>
          {entry ? (
            <Alert tone={entry.sha256 === result.sha256 ? 'success' : 'error'}>
              <span data-testid="match">{entry.sha256 === result.sha256 ? t.matches : t.differs}</span>
            </Alert>
          ) : null}
          <h3>{t.registry}</h3>
          {result.registry?.revocation ? (
            <Alert tone="error">
              <span data-testid="registry">
                {t.revokedByHoso(result.registry.label[lang], formatDateTime(result.registry.issuedAt), formatDateTime(result.registry.revocation.at), result.registry.revocation.reason)}
              </span>
            </Alert>
          ) : (
            <p data-testid="registry">{result.registry ? t.issuedByHoso(result.registry.label[lang], formatDateTime(result.registry.issuedAt)) : t.notInRegistry}</p>
          )}
          {result.report.signatures.length ? <h3>{t.signatures}</h3> : null}
          {result.report.signatures.map((s, i) => (
            <article key={i} className="reception-component">
              <p>
                <strong>{s.type === 'document-timestamp' ? t.timestamp : s.signer ? commonName(s.signer.subject) : t.none}</strong>{' '}
                <Badge tone={tone(s.indication)}>{(INDICATION_WORDS[s.indication] ?? { vi: s.indication, en: s.indication })[lang]}</Badge>
              </p>
              <dl className="portal-kv">
                {s.signer ? (
                  <>
                    <dt>{t.signer}</dt>
                    <dd>{s.signer.subject}</dd>
                    <dt>{t.issuer}</dt>
                    <dd>{commonName(s.signer.issuer)}</dd>
                  </>
                ) : null}
                <dt>{t.signedAt}</dt>
                <dd>{s.claimedSigningTime ? formatDateTime(s.claimedSigningTime) : t.none}</dd>
                <dt>{t.provenAt}</dt>
                <dd>{s.provenSigningTime ? formatDateTime(s.provenSigningTime) : t.none}</dd>
                <dt>{t.integrity}</dt>
                <dd>{s.modifiedAfterSigning === 'none' ? t.intact : s.modifiedAfterSigning === 'allowed' ? t.changedAllowed : t.changed}</dd>
                <dt>{t.level}</dt>
                <dd>{s.padesLevel ? `PAdES ${s.padesLevel}` : t.none}</dd>
              </dl>
              {s.messages[lang].length ? (
                <details>
                  <summary>{t.details}</summary>
                  <ul>
                    {s.messages[lang].map((m, j) => (
                      <li key={j}>{m}</li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </article>
          ))}
          <p className="portal-muted">
            {t.fingerprint}: <code style={{ overflowWrap: 'anywhere' }}>{result.sha256}</code>
          </p>
        </section>
      ) : null}
    </>
  );
}
