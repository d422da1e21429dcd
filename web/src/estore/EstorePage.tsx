import { useEffect, useState } from 'react';
import { useDocumentTitle } from '../app/document-title.ts';
import { useLang, useText } from '../catalog/lang.ts';
import { api, errorMessage } from '../lib/api.ts';
import { formatDate } from '../lib/format.ts';
import type { EstoreItem } from '../portal/model.ts';
import { Alert, Badge, PageHeader, Spinner, Table } from '../ui/index.ts';
import '../portal/portal.css';

const TEXT = {
  vi: {
    title: 'Kho dữ liệu điện tử của tôi',
    lead: 'Kết quả giải quyết thủ tục hành chính đã cấp cho bạn và các giấy tờ điện tử hợp lệ trong hồ sơ bạn đã nộp (bản sao điện tử có chứng thực, bản sao từ sổ gốc, bản số hóa có ký số). Khi nộp hồ sơ mới, bạn có thể dùng lại các giấy tờ này thay vì nộp lại.',
    kind: 'Loại',
    kinds: { result: 'Kết quả giải quyết', component: 'Giấy tờ trong hồ sơ đã nộp' } as Record<string, string>,
    caption: (n: number) => `Tài liệu trong kho (${n})`,
    document: 'Tài liệu',
    issuer: 'Cơ quan cấp',
    issued: 'Ngày cấp',
    validUntil: 'Hiệu lực đến',
    status: 'Tình trạng',
    source: 'Hồ sơ',
    download: 'Tải về (PDF có ký số)',
    forever: 'Không thời hạn',
    empty: 'Kho của bạn chưa có tài liệu nào.',
    loading: 'Đang tải…',
    statuses: { valid: 'Còn hiệu lực', revoked: 'Đã bị thu hồi', superseded: 'Đã được thay thế', expired: 'Hết hiệu lực' } as Record<string, string>,
  },
  en: {
    title: 'My e-store',
    lead: 'Results of administrative procedures issued to you, and the valid e-documents of dossiers you submitted (e-certified copies, e-copies from the register, signed scans). A new dossier can reuse them instead of asking for them again.',
    kind: 'Kind',
    kinds: { result: 'Result', component: 'Document of a submitted dossier' } as Record<string, string>,
    caption: (n: number) => `Documents in the store (${n})`,
    document: 'Document',
    issuer: 'Issued by',
    issued: 'Issued on',
    validUntil: 'Valid until',
    status: 'Status',
    source: 'Dossier',
    download: 'Download (signed PDF)',
    forever: 'No end date',
    empty: 'Your store holds no document yet.',
    loading: 'Loading…',
    statuses: { valid: 'In force', revoked: 'Revoked', superseded: 'Superseded', expired: 'Expired' } as Record<string, string>,
  },
};

export function EstorePage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const [items, setItems] = useState<EstoreItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const ac = new AbortController();
    api.get<{ items: EstoreItem[] }>('/api/my/estore', ac.signal).then(
      (r) => setItems(r.items),
      (e: unknown) => (ac.signal.aborted ? undefined : setError(e)),
    );
    return () => ac.abort();
  }, []);
  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
      {!items && !error ? <Spinner label={t.loading} /> : null}
      {items ? (
        <Table<EstoreItem>
          caption={t.caption(items.length)}
          rows={items}
          rowKey={(i) => i.id}
          empty={t.empty}
          columns={[
            { key: 'title', header: t.document, rowHeader: true, cell: (i) => i.title },
            { key: 'kind', header: t.kind, cell: (i) => t.kinds[i.kind] ?? i.kind },
            { key: 'issuer', header: t.issuer, cell: (i) => i.issuer ?? '—' },
            { key: 'issued', header: t.issued, cell: (i) => formatDate(i.issuedAt) },
            { key: 'until', header: t.validUntil, cell: (i) => (i.validUntil ? formatDate(i.validUntil) : t.forever) },
            { key: 'status', header: t.status, cell: (i) => <Badge tone={i.status === 'valid' ? 'success' : 'danger'}>{t.statuses[i.status] ?? i.status}</Badge> },
            { key: 'source', header: t.source, cell: (i) => i.sourceDossierCode ?? '—' },
            {
              key: 'download',
              header: t.download,
              cell: (i) => (
                <a href={`/api/my/estore/${i.id}/document`} download aria-label={`${t.download}: ${i.title}`}>
                  {t.download}
                </a>
              ),
            },
          ]}
        />
      ) : null}
    </>
  );
}
