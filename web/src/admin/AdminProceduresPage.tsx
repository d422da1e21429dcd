import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { apiRequest } from '../lib/api.ts';
import { nfc } from '../lib/text.ts';
import { Alert, Badge, Button, PageHeader, Spinner, Table, TextField, buttonClass } from '../ui/index.ts';
import { useLang, useText } from '../catalog/lang.ts';
import { deadlineText, type Procedure } from '../catalog/model.ts';
import { ProblemAlert, parseJsonField } from './common.tsx';
import '../catalog/catalog.css';

const TEXT = {
  vi: {
    title: 'Quản trị thủ tục hành chính',
    lead: 'Thủ tục, thành phần hồ sơ, quy trình nội bộ; nhập và xuất toàn bộ danh mục.',
    add: 'Thêm thủ tục',
    agencies: 'Quản lý cơ quan, đơn vị',
    calendar: 'Lịch làm việc',
    search: 'Tìm thủ tục',
    submit: 'Tìm',
    caption: 'Danh sách thủ tục (kể cả đã ngừng áp dụng)',
    name: 'Tên thủ tục',
    field: 'Lĩnh vực',
    deadline: 'Thời hạn',
    status: 'Trạng thái',
    active: 'Đang áp dụng',
    inactive: 'Ngừng áp dụng',
    loading: 'Đang tải…',
    io: 'Nhập, xuất danh mục',
    ioLead: 'Tệp JSON theo định dạng hoso-catalog (xem docs/catalog.md). Khi nhập, tệp có lỗi sẽ không làm thay đổi dữ liệu; mọi lỗi được liệt kê kèm vị trí.',
    file: 'Tệp danh mục (.json)',
    import: 'Nhập danh mục',
    export: 'Xuất toàn bộ danh mục',
    chooseFile: 'Hãy chọn một tệp.',
    imported: (r: ImportReport) =>
      `Đã nhập: ${r.agencies.created} cơ quan mới, ${r.agencies.updated} cơ quan cập nhật; ${r.procedures.created} thủ tục mới, ${r.procedures.updated} thủ tục cập nhật; ${r.processVersions.created} phiên bản quy trình mới.`,
  },
  en: {
    title: 'Procedure administration',
    lead: 'Procedures, components, internal processes; import and export the whole catalog.',
    add: 'Add a procedure',
    agencies: 'Manage agencies',
    calendar: 'Working calendar',
    search: 'Search procedures',
    submit: 'Search',
    caption: 'Procedures (withdrawn ones included)',
    name: 'Procedure',
    field: 'Field',
    deadline: 'Deadline',
    status: 'Status',
    active: 'In force',
    inactive: 'Withdrawn',
    loading: 'Loading…',
    io: 'Import and export',
    ioLead: 'JSON files in the hoso-catalog format (see docs/catalog.md). A file with errors changes nothing; every error is listed with its location.',
    file: 'Catalog file (.json)',
    import: 'Import catalog',
    export: 'Export the whole catalog',
    chooseFile: 'Choose a file first.',
    imported: (r: ImportReport) =>
      `Imported: ${r.agencies.created} new and ${r.agencies.updated} updated agencies; ${r.procedures.created} new and ${r.procedures.updated} updated procedures; ${r.processVersions.created} new process versions.`,
  },
};

interface ImportReport {
  agencies: { created: number; updated: number; unchanged: number };
  procedures: { created: number; updated: number };
  components: { upserted: number; retired: number };
  processVersions: { created: number; unchanged: number };
}

export function AdminProceduresPage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<Procedure[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [ioError, setIoError] = useState<unknown>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const r = await apiRequest<{ items: Procedure[] }>(`/api/admin/catalog/procedures?limit=500${query ? `&q=${encodeURIComponent(query)}` : ''}`);
      setItems(r.items);
    } catch (e) {
      setError(e);
    }
  }, [query]);
  useEffect(() => void load(), [load]);

  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    setQuery(nfc(q.trim()));
  };

  const onImport = async (e: FormEvent) => {
    e.preventDefault();
    setIoError(null);
    setReport(null);
    if (!file) {
      setIoError(new Error(t.chooseFile));
      return;
    }
    setBusy(true);
    try {
      const data = parseJsonField<unknown>(await file.text(), file.name);
      const r = await apiRequest<{ report: ImportReport }>('/api/admin/catalog/import', { method: 'POST', body: data });
      setReport(r.report);
      await load();
    } catch (err) {
      setIoError(err);
    } finally {
      setBusy(false);
    }
  };

  const onExport = async () => {
    setIoError(null);
    try {
      const data = await apiRequest<unknown>('/api/admin/catalog/export');
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `hoso-catalog-${new Date().toISOString().slice(0, 10)}.json`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setIoError(err);
    }
  };

  return (
    <div data-testid="admin-procedures">
      <PageHeader
        title={t.title}
        lead={t.lead}
        actions={
          <>
            <Link className={buttonClass('primary')} to="/quan-tri/thu-tuc/moi">
              {t.add}
            </Link>
            <Link className={buttonClass('secondary')} to="/quan-tri/co-quan">
              {t.agencies}
            </Link>
            <Link className={buttonClass('secondary')} to="/quan-tri/lich">
              {t.calendar}
            </Link>
          </>
        }
      />
      <form role="search" className="catalog-search" onSubmit={onSearch} aria-label={t.search}>
        <TextField label={t.search} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        <Button type="submit">{t.submit}</Button>
      </form>
      {error ? <ProblemAlert error={error} /> : null}
      {items === null && !error ? <Spinner label={t.loading} /> : null}
      {items ? (
        <Table
          caption={t.caption}
          rowKey={(p) => p.id}
          rows={items}
          columns={[
            { key: 'name', header: t.name, rowHeader: true, cell: (p) => <Link to={`/quan-tri/thu-tuc/${p.id}`}>{p.name}</Link> },
            { key: 'field', header: t.field, cell: (p) => p.field },
            { key: 'deadline', header: t.deadline, cell: (p) => deadlineText(p.deadline, lang) },
            { key: 'status', header: t.status, cell: (p) => (p.active ? <Badge tone="success">{t.active}</Badge> : <Badge tone="warning">{t.inactive}</Badge>) },
          ]}
        />
      ) : null}

      <section aria-labelledby="catalog-io">
        <h2 id="catalog-io">{t.io}</h2>
        <p>{t.ioLead}</p>
        <form onSubmit={onImport} className="form">
          <div className="field">
            <label className="field__label" htmlFor="catalog-file">
              {t.file}
            </label>
            <input id="catalog-file" className="input" type="file" accept="application/json,.json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </div>
          <div className="form-actions">
            <Button type="submit" busy={busy}>
              {t.import}
            </Button>
            <Button variant="secondary" onClick={() => void onExport()}>
              {t.export}
            </Button>
          </div>
        </form>
        {ioError ? <ProblemAlert error={ioError} /> : null}
        {report ? <Alert tone="success">{t.imported(report)}</Alert> : null}
      </section>
    </div>
  );
}
