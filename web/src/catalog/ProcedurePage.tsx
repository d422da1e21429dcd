import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { ApiError, apiRequest, errorMessage } from '../lib/api.ts';
import { formatVnd } from '../lib/format.ts';
import { Alert, Badge, PageHeader, Spinner, Table } from '../ui/index.ts';
import { useLang, useText } from './lang.ts';
import { BASIS_LABELS, CHANNEL_LABELS, EXEMPT_LABELS, ROLE_LABELS, STEP_LABELS, deadlineText, type ProcedureDetail } from './model.ts';
import './catalog.css';

const TEXT = {
  vi: {
    back: '← Danh sách thủ tục',
    loading: 'Đang tải thủ tục…',
    notFound: 'Không tìm thấy thủ tục này.',
    code: 'Mã thủ tục',
    noCode: 'Chưa xác nhận',
    field: 'Lĩnh vực',
    level: 'Cấp thực hiện',
    province: 'Cấp tỉnh, thành phố',
    commune: 'Cấp xã, phường',
    agency: 'Cơ quan giải quyết',
    communeAgency: 'UBND xã, phường nơi nộp hồ sơ',
    receiving: 'Nơi tiếp nhận',
    channels: 'Cách thức nộp',
    deadline: 'Thời hạn giải quyết',
    cutoff: 'Giờ tiếp nhận tính trong ngày',
    cutoffText: (c: string) => `Hồ sơ tiếp nhận sau ${c} được tính từ ngày làm việc tiếp theo`,
    result: 'Kết quả',
    resultElectronic: 'Kết quả điện tử có chữ ký số',
    paperToo: 'kèm bản giấy theo quy định của pháp luật',
    legal: 'Căn cứ pháp lý',
    source: 'Nguồn công bố',
    fees: 'Phí, lệ phí',
    feeCase: 'Trường hợp',
    feeKind: 'Loại',
    feeAmount: 'Mức thu',
    fee: 'Phí',
    charge: 'Lệ phí',
    noFees: 'Không thu phí, lệ phí.',
    components: 'Thành phần hồ sơ',
    component: 'Giấy tờ',
    copies: 'Số lượng',
    bases: 'Hình thức hợp lệ',
    required: 'Bắt buộc',
    optional: 'Khi có',
    exempt: 'Không phải số hóa',
    form: 'Biểu mẫu điện tử',
    process: 'Quy trình giải quyết nội bộ',
    step: 'Bước',
    role: 'Người thực hiện',
    quota: 'Thời gian',
    hours: (h: number) => `${h} giờ làm việc`,
    task: 'Nội dung công việc',
  },
  en: {
    back: '← All procedures',
    loading: 'Loading procedure…',
    notFound: 'This procedure was not found.',
    code: 'Procedure code',
    noCode: 'Not confirmed',
    field: 'Field',
    level: 'Level',
    province: 'City/province',
    commune: 'Commune/ward',
    agency: 'Competent agency',
    communeAgency: "The commune/ward People's Committee where the dossier is filed",
    receiving: 'Received at',
    channels: 'How to submit',
    deadline: 'Deadline',
    cutoff: 'Same-day cut-off',
    cutoffText: (c: string) => `Dossiers received after ${c} count from the next working day`,
    result: 'Result',
    resultElectronic: 'Digitally signed electronic result',
    paperToo: 'with a paper original as the law requires',
    legal: 'Legal basis',
    source: 'Published at',
    fees: 'Fees and charges',
    feeCase: 'Case',
    feeKind: 'Kind',
    feeAmount: 'Amount',
    fee: 'Fee',
    charge: 'Charge',
    noFees: 'No fee or charge.',
    components: 'Required documents',
    component: 'Document',
    copies: 'Copies',
    bases: 'Accepted as',
    required: 'Required',
    optional: 'If applicable',
    exempt: 'Not digitized',
    form: 'Online form',
    process: 'Internal process',
    step: 'Step',
    role: 'Done by',
    quota: 'Time',
    hours: (h: number) => `${h} working hour${h === 1 ? '' : 's'}`,
    task: 'Task',
  },
};

export function ProcedurePage() {
  const { key = '' } = useParams();
  const t = useText(TEXT);
  const lang = useLang();
  const [detail, setDetail] = useState<ProcedureDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  useDocumentTitle(detail?.procedure.name ?? null);

  useEffect(() => {
    const ctrl = new AbortController();
    setDetail(null);
    setError(null);
    apiRequest<ProcedureDetail>(`/api/catalog/procedures/${encodeURIComponent(key)}`, { signal: ctrl.signal })
      .then(setDetail)
      .catch((e: unknown) => {
        if ((e as Error)?.name !== 'AbortError') setError(e);
      });
    return () => ctrl.abort();
  }, [key]);

  if (error) {
    return (
      <div>
        <p>
          <Link to="/thu-tuc">{t.back}</Link>
        </p>
        <Alert tone="error">{error instanceof ApiError && error.status === 404 ? t.notFound : errorMessage(error, lang)}</Alert>
      </div>
    );
  }
  if (!detail) return <Spinner label={t.loading} />;
  const { procedure: p, components, processes } = detail;

  return (
    <article data-testid="procedure-page">
      <p>
        <Link to="/thu-tuc">{t.back}</Link>
      </p>
      <PageHeader title={p.name} meta={`${t.code}: ${p.nationalCode ?? t.noCode}`} />
      <dl className="catalog-dl">
        <dt>{t.field}</dt>
        <dd>{p.field}</dd>
        <dt>{t.level}</dt>
        <dd>{p.level === 'province' ? t.province : t.commune}</dd>
        <dt>{t.agency}</dt>
        <dd>{p.competentAgencyName ?? t.communeAgency}</dd>
        <dt>{t.channels}</dt>
        <dd>{p.channels.map((c) => CHANNEL_LABELS[c][lang]).join('; ')}</dd>
        <dt>{t.deadline}</dt>
        <dd>
          {deadlineText(p.deadline, lang)}
          {p.deadline.note ? ` — ${p.deadline.note}` : ''}
        </dd>
        <dt>{t.cutoff}</dt>
        <dd>{t.cutoffText(p.cutoff)}</dd>
        <dt>{t.result}</dt>
        <dd>
          {p.result.name}. {t.resultElectronic}
          {p.result.paperAlsoRequiredByLaw ? `, ${t.paperToo}` : ''}.
        </dd>
        {p.legalBasis ? (
          <>
            <dt>{t.legal}</dt>
            <dd>{p.legalBasis}</dd>
          </>
        ) : null}
        {p.sourceUrl ? (
          <>
            <dt>{t.source}</dt>
            <dd>
              <a href={p.sourceUrl} rel="noopener noreferrer" target="_blank">
                {new URL(p.sourceUrl).hostname}
              </a>
            </dd>
          </>
        ) : null}
      </dl>

      <h2>{t.fees}</h2>
      {p.fees.length === 0 ? (
        <p>{t.noFees}</p>
      ) : (
        <Table
          caption={t.fees}
          rowKey={(f) => `${f.kind}-${f.case}`}
          rows={p.fees}
          columns={[
            { key: 'case', header: t.feeCase, cell: (f) => f.case, rowHeader: true },
            { key: 'kind', header: t.feeKind, cell: (f) => (f.kind === 'fee' ? t.fee : t.charge) },
            { key: 'amount', header: t.feeAmount, cell: (f) => formatVnd(f.amountVnd), numeric: true },
          ]}
        />
      )}

      <h2>{t.components}</h2>
      <Table
        caption={t.components}
        rowKey={(c) => c.id}
        rows={components}
        columns={[
          {
            key: 'name',
            header: t.component,
            rowHeader: true,
            cell: (c) => (
              <>
                {c.name}
                {c.input === 'form' ? (
                  <>
                    {' '}
                    <Badge tone="info">{t.form}</Badge>
                  </>
                ) : null}
                {c.formTemplate ? <div className="field__hint">{c.formTemplate.title}</div> : null}
              </>
            ),
          },
          { key: 'req', header: t.required, cell: (c) => (c.required ? t.required : t.optional) },
          { key: 'copies', header: t.copies, cell: (c) => c.copies, numeric: true },
          {
            key: 'bases',
            header: t.bases,
            cell: (c) =>
              c.exempt ? (
                <span>
                  <Badge tone="warning">{t.exempt}</Badge> {EXEMPT_LABELS[c.exempt.reason][lang]}
                  {c.exempt.note ? `: ${c.exempt.note}` : ''}
                </span>
              ) : (
                <ul className="catalog-bases">
                  {c.acceptedBases.map((b) => (
                    <li key={b}>
                      <Badge>{BASIS_LABELS[b][lang]}</Badge>
                    </li>
                  ))}
                </ul>
              ),
          },
        ]}
      />

      {processes.map((proc) => (
        <section key={proc.id}>
          <h2>
            {t.process}
            {proc.agencyName ? ` — ${proc.agencyName}` : ''}
          </h2>
          <Table
            caption={`${t.process} (v${proc.version})`}
            rowKey={(s) => String(s.position)}
            rows={proc.steps}
            columns={[
              { key: 'pos', header: t.step, cell: (s) => s.position, numeric: true },
              { key: 'name', header: t.task, rowHeader: true, cell: (s) => `${STEP_LABELS[s.kind][lang]}: ${s.name}` },
              { key: 'role', header: t.role, cell: (s) => ROLE_LABELS[s.role][lang] },
              { key: 'quota', header: t.quota, cell: (s) => t.hours(s.quotaHours), numeric: true },
            ]}
          />
        </section>
      ))}
    </article>
  );
}
