import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { apiRequest } from '../lib/api.ts';
import { nfc } from '../lib/text.ts';
import { Badge, Button, PageHeader, Spinner, TextField } from '../ui/index.ts';
import { useLang, useText } from '../catalog/lang.ts';
import { KIND_LABELS, type Agency, type AgencyKind } from '../catalog/model.ts';
import { NativeSelect, ProblemAlert } from './common.tsx';
import '../catalog/catalog.css';

const TEXT = {
  vi: {
    title: 'Cơ quan, đơn vị',
    lead: 'Cây tổ chức với mã định danh điện tử (QĐ 20/2020/QĐ-TTg: 4 cấp, ví dụ 000.00.12.H26). Đơn vị đã giải thể được ghi ngày hết hiệu lực, không xóa.',
    back: '← Quản trị thủ tục',
    loading: 'Đang tải…',
    add: 'Thêm cơ quan, đơn vị',
    edit: 'Sửa',
    code: 'Mã định danh điện tử',
    codeHint: 'Bốn cấp phân cách bằng dấu chấm: 3.2.2.3 ký tự, ví dụ 000.00.12.H26',
    name: 'Tên',
    nameEn: 'Tên tiếng Anh',
    kind: 'Loại',
    parent: 'Trực thuộc',
    none: '— Không (cấp cao nhất) —',
    gso: 'Mã thống kê (GSO)',
    from: 'Hiệu lực từ ngày',
    to: 'Hết hiệu lực từ ngày',
    address: 'Địa chỉ',
    save: 'Lưu',
    cancel: 'Hủy',
    ended: 'Hết hiệu lực',
    children: (n: number) => `${n} đơn vị trực thuộc`,
  },
  en: {
    title: 'Agencies',
    lead: 'The organisation tree with electronic identifier codes (QĐ 20/2020/QĐ-TTg: 4 levels, e.g. 000.00.12.H26). Dissolved units get an end date; they are never deleted.',
    back: '← Procedure administration',
    loading: 'Loading…',
    add: 'Add an agency',
    edit: 'Edit',
    code: 'Electronic identifier code',
    codeHint: 'Four dot-separated levels of 3.2.2.3 characters, e.g. 000.00.12.H26',
    name: 'Name',
    nameEn: 'English name',
    kind: 'Kind',
    parent: 'Parent',
    none: '— None (top level) —',
    gso: 'Statistical (GSO) code',
    from: 'Effective from',
    to: 'Effective until',
    address: 'Address',
    save: 'Save',
    cancel: 'Cancel',
    ended: 'Ended',
    children: (n: number) => `${n} units below`,
  },
};
type T = (typeof TEXT)['vi'];

interface Node extends Agency {
  children: Node[];
}

export function AdminAgenciesPage() {
  const t = useText(TEXT);
  useDocumentTitle(t.title);
  const [tree, setTree] = useState<Node[] | null>(null);
  const [all, setAll] = useState<Agency[]>([]);
  const [editing, setEditing] = useState<Agency | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      const [tr, list] = await Promise.all([apiRequest<{ tree: Node[] }>('/api/catalog/agencies?tree=true'), apiRequest<{ items: Agency[] }>('/api/catalog/agencies')]);
      setTree(tr.tree);
      setAll(list.items);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => void load(), [load]);

  return (
    <div data-testid="admin-agencies">
      <p>
        <Link to="/quan-tri/thu-tuc">{t.back}</Link>
      </p>
      <PageHeader title={t.title} lead={t.lead} actions={<Button onClick={() => setEditing('new')}>{t.add}</Button>} />
      {error ? <ProblemAlert error={error} /> : null}
      {editing ? (
        <AgencyForm
          key={editing === 'new' ? 'new' : editing.id}
          t={t}
          agency={editing === 'new' ? null : editing}
          all={all}
          onDone={async (changed) => {
            setEditing(null);
            if (changed) await load();
          }}
        />
      ) : null}
      {tree === null && !error ? <Spinner label={t.loading} /> : null}
      {tree ? (
        <ul className="admin-tree" aria-label={t.title}>
          {tree.map((n) => (
            <TreeNode key={n.id} node={n} depth={0} t={t} onEdit={setEditing} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function TreeNode({ node, depth, t, onEdit }: { node: Node; depth: number; t: T; onEdit: (a: Agency) => void }) {
  const lang = useLang();
  const label = (
    <>
      <strong>{node.name}</strong> <code>{node.code}</code> <Badge>{KIND_LABELS[node.kind][lang]}</Badge>
      {node.effectiveTo ? (
        <>
          {' '}
          <Badge tone="warning">
            {t.ended} {node.effectiveTo}
          </Badge>
        </>
      ) : null}{' '}
      <Button variant="link" onClick={() => onEdit(node)} aria-label={`${t.edit}: ${node.name}`}>
        {t.edit}
      </Button>
    </>
  );
  if (!node.children.length) return <li>{label}</li>;
  return (
    <li>
      <details open={depth === 0}>
        <summary>
          {label} ({t.children(node.children.length)})
        </summary>
        <ul className="admin-tree">
          {node.children.map((c) => (
            <TreeNode key={c.id} node={c} depth={depth + 1} t={t} onEdit={onEdit} />
          ))}
        </ul>
      </details>
    </li>
  );
}

const KINDS: AgencyKind[] = ['people_committee', 'department', 'commune', 'service_center', 'branch', 'other'];

function AgencyForm({ t, agency, all, onDone }: { t: T; agency: Agency | null; all: Agency[]; onDone: (changed: boolean) => Promise<void> }) {
  const lang = useLang();
  const [a, setA] = useState({
    code: agency?.code ?? '',
    name: agency?.name ?? '',
    nameEn: agency?.nameEn ?? '',
    kind: (agency?.kind ?? 'other') as AgencyKind,
    parentCode: agency?.parentCode ?? '',
    gsoCode: agency?.gsoCode ?? '',
    effectiveFrom: agency?.effectiveFrom ?? '',
    effectiveTo: agency?.effectiveTo ?? '',
    address: agency?.address ?? '',
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof a, v: string) => setA((prev) => ({ ...prev, [k]: v }));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const opt = (s: string) => (s.trim() ? nfc(s.trim()) : null);
    const body = {
      code: a.code.trim(),
      name: nfc(a.name.trim()),
      nameEn: opt(a.nameEn),
      kind: a.kind,
      parentCode: a.parentCode || null,
      gsoCode: opt(a.gsoCode),
      effectiveFrom: opt(a.effectiveFrom),
      effectiveTo: opt(a.effectiveTo),
      address: opt(a.address),
    };
    try {
      if (agency) await apiRequest(`/api/admin/catalog/agencies/${agency.id}`, { method: 'PUT', body });
      else await apiRequest('/api/admin/catalog/agencies', { method: 'POST', body });
      await onDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label={agency ? `${t.edit}: ${agency.name}` : t.add} data-testid="agency-form">
      <div className="admin-grid">
        <TextField label={t.code} hint={t.codeHint} value={a.code} onChange={(e) => set('code', e.target.value)} required autoCapitalize="characters" />
        <NativeSelect label={t.kind} value={a.kind} onChange={(v) => set('kind', v)} options={KINDS.map((k) => ({ value: k, label: KIND_LABELS[k][lang] }))} />
        <NativeSelect
          label={t.parent}
          value={a.parentCode}
          empty={t.none}
          onChange={(v) => set('parentCode', v)}
          options={all.filter((x) => x.code !== agency?.code && x.kind !== 'commune').map((x) => ({ value: x.code, label: `${x.name} (${x.code})` }))}
        />
      </div>
      <TextField label={t.name} value={a.name} onChange={(e) => set('name', e.target.value)} required />
      <TextField label={t.nameEn} value={a.nameEn} onChange={(e) => set('nameEn', e.target.value)} />
      <div className="admin-grid">
        <TextField label={t.gso} value={a.gsoCode} inputMode="numeric" onChange={(e) => set('gsoCode', e.target.value)} />
        <TextField label={t.from} type="date" value={a.effectiveFrom} onChange={(e) => set('effectiveFrom', e.target.value)} />
        <TextField label={t.to} type="date" value={a.effectiveTo} onChange={(e) => set('effectiveTo', e.target.value)} />
      </div>
      <TextField label={t.address} value={a.address} onChange={(e) => set('address', e.target.value)} />
      {error ? <ProblemAlert error={error} /> : null}
      <div className="form-actions">
        <Button type="submit" busy={busy}>
          {t.save}
        </Button>
        <Button variant="secondary" onClick={() => void onDone(false)}>
          {t.cancel}
        </Button>
      </div>
    </form>
  );
}
