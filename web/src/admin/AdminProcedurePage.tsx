import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { apiRequest } from '../lib/api.ts';
import { nfc } from '../lib/text.ts';
import { Alert, Badge, Button, FieldGroup, PageHeader, Spinner, Table, TextField } from '../ui/index.ts';
import { useLang, useText } from '../catalog/lang.ts';
import {
  BASIS_LABELS,
  CHANNEL_LABELS,
  EXEMPT_LABELS,
  ROLE_LABELS,
  STEP_LABELS,
  quotaTargetHours,
  type Agency,
  type Basis,
  type Channel,
  type Component,
  type ComponentFields,
  type Fee,
  type Process,
  type ProcedureDetail,
  type ProcedureFields,
  type Step,
  type StepKind,
  type StepRole,
} from '../catalog/model.ts';
import { Check, Checks, NativeSelect, ProblemAlert, TextArea, parseJsonField } from './common.tsx';
import '../catalog/catalog.css';

const TEXT = {
  vi: {
    newTitle: 'Thêm thủ tục hành chính',
    back: '← Danh sách thủ tục',
    loading: 'Đang tải…',
    general: 'Thông tin chung',
    key: 'Mã quản lý (chữ thường, số, gạch ngang)',
    nationalCode: 'Mã thủ tục quốc gia (để trống nếu chưa xác nhận)',
    name: 'Tên thủ tục',
    field: 'Lĩnh vực',
    level: 'Cấp thực hiện',
    province: 'Cấp tỉnh (Sở, ngành)',
    commune: 'Cấp xã (mọi xã, phường)',
    competent: 'Cơ quan giải quyết',
    receiving: 'Nơi tiếp nhận',
    channels: 'Cách thức nộp',
    deadline: 'Thời hạn giải quyết',
    deadlineValue: 'Số lượng',
    deadlineUnit: 'Đơn vị',
    days: 'ngày làm việc (0 = trong ngày)',
    hours: 'giờ làm việc',
    deadlineNote: 'Diễn giải theo văn bản công bố',
    cutoff: 'Giờ chốt tiếp nhận trong ngày (HH:MM)',
    fees: 'Phí, lệ phí',
    feeCase: 'Trường hợp',
    feeKind: 'Loại',
    fee: 'Phí',
    charge: 'Lệ phí',
    feeAmount: 'Mức thu (đồng)',
    addFee: 'Thêm mức thu',
    remove: 'Xóa',
    result: 'Tên kết quả',
    paper: 'Pháp luật yêu cầu thêm bản giấy',
    sampleRate: 'Tỷ lệ hậu kiểm (0–1)',
    riskRules: 'Quy tắc rủi ro (JSON)',
    legal: 'Căn cứ pháp lý',
    source: 'Địa chỉ nguồn công bố',
    save: 'Lưu thủ tục',
    saved: 'Đã lưu.',
    withdraw: 'Ngừng áp dụng',
    restore: 'Áp dụng lại',
    active: 'Đang áp dụng',
    inactive: 'Ngừng áp dụng',
    components: 'Thành phần hồ sơ',
    compName: 'Tên giấy tờ',
    compKey: 'Mã thành phần',
    required: 'Bắt buộc',
    input: 'Hình thức',
    upload: 'Tải lên tệp',
    form: 'Biểu mẫu điện tử',
    copies: 'Số lượng bản',
    docType: 'Loại giấy tờ (để tái sử dụng)',
    bases: 'Hình thức hợp lệ được chấp nhận',
    exempt: 'Không phải số hóa',
    notExempt: 'Không (phải số hóa)',
    exemptNote: 'Lý do cụ thể',
    template: 'Mẫu biểu (JSON: {"title", "fields": [...]})',
    note: 'Ghi chú',
    edit: 'Sửa',
    retire: 'Thôi áp dụng',
    addComponent: 'Thêm thành phần',
    saveComponent: 'Lưu thành phần',
    cancel: 'Hủy',
    processes: 'Quy trình nội bộ',
    processLead: 'Mỗi lần lưu tạo một phiên bản mới; hồ sơ đã tiếp nhận giữ phiên bản cũ. Tổng thời gian các bước phải bằng thời hạn giải quyết.',
    version: 'Phiên bản',
    agency: 'Cơ quan',
    defaultProcess: 'Quy trình mặc định (mọi xã, phường)',
    runningAgency: 'Cơ quan thực hiện quy trình',
    step: 'Bước',
    stepKind: 'Loại bước',
    stepName: 'Nội dung',
    role: 'Người thực hiện',
    stepAgency: 'Đơn vị',
    quota: 'Thời gian (giờ)',
    addStep: 'Thêm bước',
    up: 'Lên',
    down: 'Xuống',
    sum: (sum: number, target: number) => `Tổng: ${sum} / ${target} giờ làm việc`,
    saveProcess: 'Lưu phiên bản mới',
    newVersion: 'Soạn phiên bản mới từ phiên bản này',
    stale: 'Thời hạn đã thay đổi: cần lưu phiên bản mới',
    history: 'Các phiên bản',
    createdAt: 'Tạo lúc',
  },
  en: {
    newTitle: 'Add a procedure',
    back: '← All procedures',
    loading: 'Loading…',
    general: 'General',
    key: 'Key (lower case, digits, dashes)',
    nationalCode: 'National procedure code (empty if unconfirmed)',
    name: 'Name',
    field: 'Field',
    level: 'Level',
    province: 'Province (department)',
    commune: 'Commune (every commune/ward)',
    competent: 'Competent agency',
    receiving: 'Received at',
    channels: 'Channels',
    deadline: 'Legal deadline',
    deadlineValue: 'Amount',
    deadlineUnit: 'Unit',
    days: 'working days (0 = within the day)',
    hours: 'working hours',
    deadlineNote: 'Published wording',
    cutoff: 'Same-day cut-off (HH:MM)',
    fees: 'Fees and charges',
    feeCase: 'Case',
    feeKind: 'Kind',
    fee: 'Fee',
    charge: 'Charge',
    feeAmount: 'Amount (VND)',
    addFee: 'Add a fee',
    remove: 'Remove',
    result: 'Result',
    paper: 'The law also requires a paper original',
    sampleRate: 'Post-audit sample rate (0–1)',
    riskRules: 'Risk rules (JSON)',
    legal: 'Legal basis',
    source: 'Source URL',
    save: 'Save procedure',
    saved: 'Saved.',
    withdraw: 'Withdraw',
    restore: 'Restore',
    active: 'In force',
    inactive: 'Withdrawn',
    components: 'Components',
    compName: 'Document',
    compKey: 'Component key',
    required: 'Required',
    input: 'Input',
    upload: 'File upload',
    form: 'Online form',
    copies: 'Copies',
    docType: 'Document type (for reuse)',
    bases: 'Accepted validity bases',
    exempt: 'Exempt from digitization',
    notExempt: 'No (must be digitized)',
    exemptNote: 'Details',
    template: 'Form template (JSON: {"title", "fields": [...]})',
    note: 'Note',
    edit: 'Edit',
    retire: 'Retire',
    addComponent: 'Add a component',
    saveComponent: 'Save component',
    cancel: 'Cancel',
    processes: 'Internal processes',
    processLead: 'Each save creates a new version; received dossiers keep theirs. Step times must add up to the legal deadline.',
    version: 'Version',
    agency: 'Agency',
    defaultProcess: 'Default process (every commune/ward)',
    runningAgency: 'Agency running the process',
    step: 'Step',
    stepKind: 'Kind',
    stepName: 'Task',
    role: 'Done by',
    stepAgency: 'Unit',
    quota: 'Time (hours)',
    addStep: 'Add a step',
    up: 'Up',
    down: 'Down',
    sum: (sum: number, target: number) => `Total: ${sum} / ${target} working hours`,
    saveProcess: 'Save as new version',
    newVersion: 'Draft a new version from this one',
    stale: 'The deadline changed: save a new version',
    history: 'Versions',
    createdAt: 'Created',
  },
};
type T = (typeof TEXT)['vi'];

const CHANNELS: Channel[] = ['full_online', 'partly_online', 'counter', 'post'];
const BASES: Basis[] = ['DIGITIZED_SIGNED', 'ECOPY_FROM_REGISTER', 'E_CERTIFIED', 'SELF_DECLARED', 'REUSED'];
const STEP_KINDS: StepKind[] = ['reception', 'assignment', 'appraisal', 'review', 'approval', 'transfer', 'result_return'];
const STEP_ROLES: StepRole[] = ['counter_officer', 'specialist', 'leader'];

const EMPTY_PROCEDURE: ProcedureFields = {
  key: '',
  nationalCode: null,
  name: '',
  field: '',
  level: 'province',
  competentAgency: null,
  receivingAgencies: [],
  channels: ['full_online', 'counter'],
  deadline: { value: 1, unit: 'working_days', note: null },
  cutoff: '15:00',
  fees: [],
  result: { name: '', paperAlsoRequiredByLaw: false },
  postAudit: { sampleRate: 0.05, riskRules: [] },
  legalBasis: null,
  sourceUrl: null,
};

const orNull = (s: string) => (s.trim() ? nfc(s.trim()) : null);

export function AdminProcedurePage() {
  const { id = 'moi' } = useParams();
  const isNew = id === 'moi';
  const t = useText(TEXT);
  const [agencies, setAgencies] = useState<Agency[]>([]);
  const [detail, setDetail] = useState<ProcedureDetail | null>(null);
  const [versions, setVersions] = useState<Process[]>([]);
  const [error, setError] = useState<unknown>(null);
  useDocumentTitle(isNew ? t.newTitle : (detail?.procedure.name ?? null));

  const load = useCallback(async () => {
    if (isNew) return;
    try {
      const [d, v] = await Promise.all([
        apiRequest<ProcedureDetail>(`/api/admin/catalog/procedures/${encodeURIComponent(id)}`),
        apiRequest<{ items: Process[] }>(`/api/admin/catalog/procedures/${encodeURIComponent(id)}/processes`),
      ]);
      setDetail(d);
      setVersions(v.items);
    } catch (e) {
      setError(e);
    }
  }, [id, isNew]);

  useEffect(() => {
    void apiRequest<{ items: Agency[] }>('/api/catalog/agencies').then((r) => setAgencies(r.items), setError);
    setDetail(null);
    void load();
  }, [load]);

  if (error && !detail) return <ProblemAlert error={error} />;
  if (!isNew && !detail) return <Spinner label={t.loading} />;

  return (
    <div data-testid="admin-procedure">
      <p>
        <Link to="/quan-tri/thu-tuc">{t.back}</Link>
      </p>
      <PageHeader
        title={isNew ? t.newTitle : detail!.procedure.name}
        meta={detail ? <Badge tone={detail.procedure.active ? 'success' : 'warning'}>{detail.procedure.active ? t.active : t.inactive}</Badge> : undefined}
      />
      <ProcedureForm key={detail?.procedure.id ?? 'new'} t={t} agencies={agencies} detail={detail} onSaved={load} />
      {detail ? (
        <>
          <ComponentsSection t={t} procedureId={detail.procedure.id} components={detail.components} onChanged={load} />
          <ProcessesSection t={t} detail={detail} versions={versions} agencies={agencies} onChanged={load} />
        </>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------

function ProcedureForm({ t, agencies, detail, onSaved }: { t: T; agencies: Agency[]; detail: ProcedureDetail | null; onSaved: () => Promise<void> }) {
  const navigate = useNavigate();
  const lang = useLang();
  const initial: ProcedureFields = detail
    ? (({ id: _i, competentAgencyName: _n, active: _a, ...f }) => f)(detail.procedure as ProcedureFields & { id: string; competentAgencyName: string | null; active: boolean })
    : EMPTY_PROCEDURE;
  const [p, setP] = useState<ProcedureFields>(initial);
  const [riskRules, setRiskRules] = useState(JSON.stringify(initial.postAudit.riskRules, null, 2));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ProcedureFields>(k: K, v: ProcedureFields[K]) => {
    setSaved(false);
    setP((prev) => ({ ...prev, [k]: v }));
  };
  const departments = agencies.filter((a) => a.kind === 'department' || a.kind === 'people_committee' || a.kind === 'service_center');
  const receivers = agencies.filter((a) => a.kind === 'branch' || a.kind === 'service_center');

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const body: ProcedureFields = {
        ...p,
        key: p.key.trim(),
        name: nfc(p.name.trim()),
        field: nfc(p.field.trim()),
        nationalCode: orNull(p.nationalCode ?? ''),
        competentAgency: p.level === 'commune' ? null : p.competentAgency,
        receivingAgencies: p.level === 'commune' ? [] : p.receivingAgencies,
        deadline: { ...p.deadline, value: Number(p.deadline.value), note: orNull(p.deadline.note ?? '') },
        fees: p.fees.map((f) => ({ ...f, case: nfc(f.case.trim()), amountVnd: Number(f.amountVnd) })),
        result: { ...p.result, name: nfc(p.result.name.trim()) },
        postAudit: { sampleRate: Number(p.postAudit.sampleRate), riskRules: parseJsonField(riskRules, t.riskRules) },
        legalBasis: orNull(p.legalBasis ?? ''),
        sourceUrl: orNull(p.sourceUrl ?? ''),
      };
      if (detail) {
        await apiRequest(`/api/admin/catalog/procedures/${detail.procedure.id}`, { method: 'PUT', body });
        await onSaved();
        setSaved(true);
      } else {
        const created = await apiRequest<{ id: string }>('/api/admin/catalog/procedures', { method: 'POST', body });
        void navigate(`/quan-tri/thu-tuc/${created.id}`);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const toggleActive = async () => {
    if (!detail) return;
    setError(null);
    try {
      await apiRequest(`/api/admin/catalog/procedures/${detail.procedure.id}`, { method: 'PATCH', body: { active: !detail.procedure.active } });
      await onSaved();
    } catch (err) {
      setError(err);
    }
  };

  const setFee = (i: number, fee: Partial<Fee>) => set('fees', p.fees.map((f, j) => (j === i ? { ...f, ...fee } : f)));

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-labelledby="procedure-general">
      <h2 id="procedure-general">{t.general}</h2>
      <div className="admin-grid">
        <TextField label={t.key} value={p.key} onChange={(e) => set('key', e.target.value)} readOnly={Boolean(detail)} required />
        <TextField label={t.nationalCode} value={p.nationalCode ?? ''} onChange={(e) => set('nationalCode', e.target.value)} />
        <TextField label={t.field} value={p.field} onChange={(e) => set('field', e.target.value)} required />
      </div>
      <TextField label={t.name} value={p.name} onChange={(e) => set('name', e.target.value)} required />
      <div className="admin-grid">
        <NativeSelect
          label={t.level}
          value={p.level}
          onChange={(v) => set('level', v as ProcedureFields['level'])}
          options={[
            { value: 'province', label: t.province },
            { value: 'commune', label: t.commune },
          ]}
        />
        {p.level === 'province' ? (
          <NativeSelect
            label={t.competent}
            value={p.competentAgency ?? ''}
            onChange={(v) => set('competentAgency', v || null)}
            empty="—"
            options={departments.map((a) => ({ value: a.code, label: a.name }))}
          />
        ) : null}
      </div>
      {p.level === 'province' ? (
        <Checks legend={t.receiving}>
          {receivers.map((a) => (
            <Check
              key={a.code}
              label={a.name}
              checked={p.receivingAgencies.includes(a.code)}
              onChange={(on) => set('receivingAgencies', on ? [...p.receivingAgencies, a.code] : p.receivingAgencies.filter((c) => c !== a.code))}
            />
          ))}
        </Checks>
      ) : null}
      <Checks legend={t.channels}>
        {CHANNELS.map((c) => (
          <Check key={c} label={CHANNEL_LABELS[c][lang]} checked={p.channels.includes(c)} onChange={(on) => set('channels', on ? [...p.channels, c] : p.channels.filter((x) => x !== c))} />
        ))}
      </Checks>
      <FieldGroup legend={t.deadline}>
        <div className="admin-grid">
          <TextField label={t.deadlineValue} type="number" min={0} step={0.5} inputMode="decimal" value={String(p.deadline.value)} onChange={(e) => set('deadline', { ...p.deadline, value: Number(e.target.value) })} />
          <NativeSelect
            label={t.deadlineUnit}
            value={p.deadline.unit}
            onChange={(v) => set('deadline', { ...p.deadline, unit: v as ProcedureFields['deadline']['unit'] })}
            options={[
              { value: 'working_days', label: t.days },
              { value: 'working_hours', label: t.hours },
            ]}
          />
          <TextField label={t.cutoff} value={p.cutoff} onChange={(e) => set('cutoff', e.target.value)} inputMode="numeric" pattern="[0-2][0-9]:[0-5][0-9]" />
        </div>
        <TextField label={t.deadlineNote} value={p.deadline.note ?? ''} onChange={(e) => set('deadline', { ...p.deadline, note: e.target.value })} />
      </FieldGroup>
      <FieldGroup legend={t.fees}>
        {p.fees.map((f, i) => (
          <div className="admin-grid" key={i}>
            <TextField label={`${t.feeCase} ${i + 1}`} value={f.case} onChange={(e) => setFee(i, { case: e.target.value })} />
            <NativeSelect
              label={t.feeKind}
              value={f.kind}
              onChange={(v) => setFee(i, { kind: v as Fee['kind'] })}
              options={[
                { value: 'fee', label: t.fee },
                { value: 'charge', label: t.charge },
              ]}
            />
            <TextField label={t.feeAmount} type="number" min={0} step={1000} inputMode="numeric" value={String(f.amountVnd)} onChange={(e) => setFee(i, { amountVnd: Number(e.target.value) })} />
            <Button variant="secondary" onClick={() => set('fees', p.fees.filter((_, j) => j !== i))}>
              {t.remove}
            </Button>
          </div>
        ))}
        <Button variant="secondary" onClick={() => set('fees', [...p.fees, { kind: 'fee', case: '', amountVnd: 0 }])}>
          {t.addFee}
        </Button>
      </FieldGroup>
      <div className="admin-grid">
        <TextField label={t.result} value={p.result.name} onChange={(e) => set('result', { ...p.result, name: e.target.value })} required />
        <TextField
          label={t.sampleRate}
          type="number"
          min={0}
          max={1}
          step={0.01}
          inputMode="decimal"
          value={String(p.postAudit.sampleRate)}
          onChange={(e) => set('postAudit', { ...p.postAudit, sampleRate: Number(e.target.value) })}
        />
      </div>
      <Checks legend={t.result}>
        <Check label={t.paper} checked={p.result.paperAlsoRequiredByLaw} onChange={(on) => set('result', { ...p.result, paperAlsoRequiredByLaw: on })} />
      </Checks>
      <TextArea label={t.riskRules} value={riskRules} onChange={setRiskRules} rows={4} />
      <TextField label={t.legal} value={p.legalBasis ?? ''} onChange={(e) => set('legalBasis', e.target.value)} />
      <TextField label={t.source} type="url" value={p.sourceUrl ?? ''} onChange={(e) => set('sourceUrl', e.target.value)} />
      {error ? <ProblemAlert error={error} /> : null}
      {saved ? <Alert tone="success">{t.saved}</Alert> : null}
      <div className="form-actions">
        <Button type="submit" busy={busy}>
          {t.save}
        </Button>
        {detail ? (
          <Button variant={detail.procedure.active ? 'danger' : 'secondary'} onClick={() => void toggleActive()}>
            {detail.procedure.active ? t.withdraw : t.restore}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------------------------

const EMPTY_COMPONENT: ComponentFields = { key: '', name: '', required: true, input: 'upload', formTemplate: null, copies: 1, documentType: null, acceptedBases: ['DIGITIZED_SIGNED'], exempt: null, note: null };

function ComponentsSection({ t, procedureId, components, onChanged }: { t: T; procedureId: string; components: Component[]; onChanged: () => Promise<void> }) {
  const lang = useLang();
  const [editing, setEditing] = useState<Component | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const retire = async (c: Component) => {
    setError(null);
    try {
      await apiRequest(`/api/admin/catalog/components/${c.id}`, { method: 'DELETE' });
      await onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="components-title">
      <h2 id="components-title">{t.components}</h2>
      <Table
        caption={t.components}
        rowKey={(c) => c.id}
        rows={components}
        columns={[
          { key: 'name', header: t.compName, rowHeader: true, cell: (c) => c.name },
          { key: 'input', header: t.input, cell: (c) => (c.input === 'form' ? t.form : t.upload) },
          {
            key: 'bases',
            header: t.bases,
            cell: (c) => (c.exempt ? `${t.exempt}: ${EXEMPT_LABELS[c.exempt.reason][lang]}` : c.acceptedBases.map((b) => BASIS_LABELS[b][lang]).join('; ')),
          },
          {
            key: 'actions',
            header: '',
            cell: (c) => (
              <span className="admin-checks">
                <Button variant="secondary" onClick={() => setEditing(c)} aria-label={`${t.edit}: ${c.name}`}>
                  {t.edit}
                </Button>
                <Button variant="danger" onClick={() => void retire(c)} aria-label={`${t.retire}: ${c.name}`}>
                  {t.retire}
                </Button>
              </span>
            ),
          },
        ]}
      />
      {error ? <ProblemAlert error={error} /> : null}
      {editing ? (
        <ComponentForm
          key={editing === 'new' ? 'new' : editing.id}
          t={t}
          procedureId={procedureId}
          component={editing === 'new' ? null : editing}
          onDone={async (changed) => {
            setEditing(null);
            if (changed) await onChanged();
          }}
        />
      ) : (
        <Button variant="secondary" onClick={() => setEditing('new')}>
          {t.addComponent}
        </Button>
      )}
    </section>
  );
}

function ComponentForm({ t, procedureId, component, onDone }: { t: T; procedureId: string; component: Component | null; onDone: (changed: boolean) => Promise<void> }) {
  const lang = useLang();
  const [c, setC] = useState<ComponentFields>(component ?? EMPTY_COMPONENT);
  const [template, setTemplate] = useState(c.formTemplate ? JSON.stringify(c.formTemplate, null, 2) : '{\n  "title": "",\n  "fields": []\n}');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ComponentFields>(k: K, v: ComponentFields[K]) => setC((prev) => ({ ...prev, [k]: v }));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const body: ComponentFields = {
        key: c.key.trim(),
        name: nfc(c.name.trim()),
        required: c.required,
        input: c.input,
        formTemplate: c.input === 'form' ? parseJsonField(template, t.template) : null,
        copies: Number(c.copies),
        documentType: orNull(c.documentType ?? ''),
        acceptedBases: c.acceptedBases,
        exempt: c.exempt ? { reason: c.exempt.reason, note: orNull(c.exempt.note ?? '') } : null,
        note: orNull(c.note ?? ''),
      };
      if (component) await apiRequest(`/api/admin/catalog/components/${component.id}`, { method: 'PUT', body });
      else await apiRequest(`/api/admin/catalog/procedures/${procedureId}/components`, { method: 'POST', body });
      await onDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label={component ? `${t.edit}: ${component.name}` : t.addComponent} data-testid="component-form">
      <div className="admin-grid">
        <TextField label={t.compKey} value={c.key} onChange={(e) => set('key', e.target.value)} readOnly={Boolean(component)} required />
        <TextField label={t.copies} type="number" min={1} value={String(c.copies)} onChange={(e) => set('copies', Number(e.target.value))} />
        <NativeSelect
          label={t.input}
          value={c.input}
          onChange={(v) => set('input', v as ComponentFields['input'])}
          options={[
            { value: 'upload', label: t.upload },
            { value: 'form', label: t.form },
          ]}
        />
        <TextField label={t.docType} value={c.documentType ?? ''} onChange={(e) => set('documentType', e.target.value)} />
      </div>
      <TextField label={t.compName} value={c.name} onChange={(e) => set('name', e.target.value)} required />
      <Checks legend={t.required}>
        <Check label={t.required} checked={c.required} onChange={(on) => set('required', on)} />
      </Checks>
      <Checks legend={t.bases}>
        {BASES.map((b) => (
          <Check key={b} label={BASIS_LABELS[b][lang]} checked={c.acceptedBases.includes(b)} onChange={(on) => set('acceptedBases', on ? [...c.acceptedBases, b] : c.acceptedBases.filter((x) => x !== b))} />
        ))}
      </Checks>
      <div className="admin-grid">
        <NativeSelect
          label={t.exempt}
          value={c.exempt?.reason ?? ''}
          empty={t.notExempt}
          onChange={(v) => set('exempt', v ? { reason: v as 'SHOWN_ONLY' | 'CLASSIFIED' | 'OTHER', note: c.exempt?.note ?? null } : null)}
          options={(['SHOWN_ONLY', 'CLASSIFIED', 'OTHER'] as const).map((r) => ({ value: r, label: EXEMPT_LABELS[r][lang] }))}
        />
        {c.exempt ? <TextField label={t.exemptNote} value={c.exempt.note ?? ''} onChange={(e) => set('exempt', { reason: c.exempt!.reason, note: e.target.value })} /> : null}
      </div>
      {c.input === 'form' ? <TextArea label={t.template} value={template} onChange={setTemplate} rows={10} /> : null}
      <TextField label={t.note} value={c.note ?? ''} onChange={(e) => set('note', e.target.value)} />
      {error ? <ProblemAlert error={error} /> : null}
      <div className="form-actions">
        <Button type="submit" busy={busy}>
          {t.saveComponent}
        </Button>
        <Button variant="secondary" onClick={() => void onDone(false)}>
          {t.cancel}
        </Button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------------------------

function ProcessesSection({ t, detail, versions, agencies, onChanged }: { t: T; detail: ProcedureDetail; versions: Process[]; agencies: Agency[]; onChanged: () => Promise<void> }) {
  const lang = useLang();
  const p = detail.procedure;
  const [draft, setDraft] = useState<{ agency: string | null; steps: Step[] } | null>(null);
  const target = quotaTargetHours(p.deadline, p.cutoff);
  const startFrom = (proc: Process | null) =>
    setDraft({
      agency: proc ? proc.agency : p.level === 'commune' ? null : p.competentAgency,
      steps: proc
        ? proc.steps.map(({ position: _p, ...s }) => s)
        : [
            { kind: 'reception', name: 'Tiếp nhận hồ sơ', role: 'counter_officer', agency: null, quotaHours: 0 },
            { kind: 'result_return', name: 'Trả kết quả', role: 'counter_officer', agency: null, quotaHours: 0 },
          ],
    });
  return (
    <section aria-labelledby="processes-title">
      <h2 id="processes-title">{t.processes}</h2>
      <p>{t.processLead}</p>
      {detail.processes.map((proc) => (
        <div key={proc.id}>
          <h3>
            {proc.agencyName ?? t.defaultProcess} — {t.version} {proc.version}{' '}
            {proc.matchesDeadline === false ? <Badge tone="warning">{t.stale}</Badge> : null}
          </h3>
          <Table
            caption={`${proc.agencyName ?? t.defaultProcess}, ${t.version} ${proc.version}`}
            rowKey={(s) => String(s.position)}
            rows={proc.steps}
            columns={[
              { key: 'pos', header: t.step, numeric: true, cell: (s) => s.position },
              { key: 'name', header: t.stepName, rowHeader: true, cell: (s) => `${STEP_LABELS[s.kind][lang]}: ${s.name}` },
              { key: 'role', header: t.role, cell: (s) => ROLE_LABELS[s.role][lang] },
              { key: 'agency', header: t.stepAgency, cell: (s) => (s.agency ? (agencies.find((a) => a.code === s.agency)?.name ?? s.agency) : '—') },
              { key: 'quota', header: t.quota, numeric: true, cell: (s) => s.quotaHours },
            ]}
          />
          <Button variant="secondary" onClick={() => startFrom(proc)}>
            {t.newVersion}
          </Button>
        </div>
      ))}
      {versions.length > 0 ? (
        <details>
          <summary>{t.history}</summary>
          <ul>
            {versions.map((v) => (
              <li key={v.id}>
                {v.agencyName ?? t.defaultProcess} — {t.version} {v.version} ({t.createdAt} {new Date(v.createdAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })}, {v.totalHours} h)
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {draft ? (
        <ProcessEditor t={t} procedureId={p.id} level={p.level} draft={draft} setDraft={setDraft} target={target} agencies={agencies} onSaved={async () => {
          setDraft(null);
          await onChanged();
        }} />
      ) : detail.processes.length === 0 ? (
        <Button variant="secondary" onClick={() => startFrom(null)}>
          {t.addStep}
        </Button>
      ) : null}
    </section>
  );
}

function ProcessEditor({
  t,
  procedureId,
  level,
  draft,
  setDraft,
  target,
  agencies,
  onSaved,
}: {
  t: T;
  procedureId: string;
  level: 'province' | 'commune';
  draft: { agency: string | null; steps: Step[] };
  setDraft: (d: { agency: string | null; steps: Step[] } | null) => void;
  target: number;
  agencies: Agency[];
  onSaved: () => Promise<void>;
}) {
  const lang = useLang();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const sum = Math.round(draft.steps.reduce((s, x) => s + Number(x.quotaHours || 0) * 100, 0)) / 100;
  const agencyOptions = agencies.filter((a) => a.kind !== 'commune').map((a) => ({ value: a.code, label: a.name }));
  const setStep = (i: number, patch: Partial<Step>) => setDraft({ ...draft, steps: draft.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const move = (i: number, by: number) => {
    const steps = [...draft.steps];
    const [s] = steps.splice(i, 1);
    steps.splice(i + by, 0, s!);
    setDraft({ ...draft, steps });
  };
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await apiRequest(`/api/admin/catalog/procedures/${procedureId}/processes`, {
        method: 'POST',
        body: { agency: draft.agency, steps: draft.steps.map((s) => ({ ...s, name: nfc(s.name.trim()), quotaHours: Number(s.quotaHours) })) },
      });
      await onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label={t.saveProcess} data-testid="process-editor">
      <NativeSelect
        label={t.runningAgency}
        value={draft.agency ?? ''}
        onChange={(v) => setDraft({ ...draft, agency: v || null })}
        empty={level === 'commune' ? t.defaultProcess : undefined}
        options={level === 'commune' ? agencies.filter((a) => a.kind === 'commune').map((a) => ({ value: a.code, label: a.name })) : agencyOptions}
      />
      <div className="table-scroll" role="region" aria-label={t.processes} tabIndex={0}>
        <table className="table admin-steps">
          <caption>{t.sum(sum, target)}</caption>
          <thead>
            <tr>
              <th scope="col">{t.step}</th>
              <th scope="col">{t.stepKind}</th>
              <th scope="col">{t.stepName}</th>
              <th scope="col">{t.role}</th>
              <th scope="col">{t.stepAgency}</th>
              <th scope="col">{t.quota}</th>
              <th scope="col">
                <span className="visually-hidden">{t.edit}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.steps.map((s, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td>
                  <NativeSelect hideLabel label={`${t.stepKind} ${i + 1}`} value={s.kind} onChange={(v) => setStep(i, { kind: v as StepKind })} options={STEP_KINDS.map((k) => ({ value: k, label: STEP_LABELS[k][lang] }))} />
                </td>
                <td>
                  <input className="input" aria-label={`${t.stepName} ${i + 1}`} value={s.name} onChange={(e) => setStep(i, { name: e.target.value })} />
                </td>
                <td>
                  <NativeSelect hideLabel label={`${t.role} ${i + 1}`} value={s.role} onChange={(v) => setStep(i, { role: v as StepRole })} options={STEP_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r][lang] }))} />
                </td>
                <td>
                  <NativeSelect hideLabel label={`${t.stepAgency} ${i + 1}`} value={s.agency ?? ''} empty={t.runningAgency} onChange={(v) => setStep(i, { agency: v || null })} options={agencyOptions} />
                </td>
                <td>
                  <input
                    className="input"
                    type="number"
                    min={0}
                    step={0.25}
                    inputMode="decimal"
                    aria-label={`${t.quota} ${i + 1}`}
                    value={String(s.quotaHours)}
                    onChange={(e) => setStep(i, { quotaHours: Number(e.target.value) })}
                  />
                </td>
                <td>
                  <span className="admin-checks">
                    <Button variant="secondary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`${t.up}: ${t.step} ${i + 1}`}>
                      ↑
                    </Button>
                    <Button variant="secondary" disabled={i === draft.steps.length - 1} onClick={() => move(i, 1)} aria-label={`${t.down}: ${t.step} ${i + 1}`}>
                      ↓
                    </Button>
                    <Button variant="danger" onClick={() => setDraft({ ...draft, steps: draft.steps.filter((_, j) => j !== i) })} aria-label={`${t.remove}: ${t.step} ${i + 1}`}>
                      ✕
                    </Button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p role="status" aria-live="polite">
        {sum === target ? <Badge tone="success">{t.sum(sum, target)}</Badge> : <Badge tone="warning">{t.sum(sum, target)}</Badge>}
      </p>
      {error ? <ProblemAlert error={error} /> : null}
      <div className="form-actions">
        <Button
          variant="secondary"
          onClick={() =>
            setDraft({ ...draft, steps: [...draft.steps.slice(0, -1), { kind: 'appraisal', name: '', role: 'specialist', agency: null, quotaHours: 0 }, ...draft.steps.slice(-1)] })
          }
        >
          {t.addStep}
        </Button>
        <Button type="submit" busy={busy}>
          {t.saveProcess}
        </Button>
        <Button variant="secondary" onClick={() => setDraft(null)}>
          {t.cancel}
        </Button>
      </div>
    </form>
  );
}
