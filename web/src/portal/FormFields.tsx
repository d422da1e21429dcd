import type { FormField } from '../catalog/model.ts';
import { useText } from '../catalog/lang.ts';
import { Select, TextField } from '../ui/index.ts';
import { FieldFrame, useFieldIds } from '../ui/FieldFrame.tsx';
import { groupVndInput, isAmountField, type FormValues } from './model.ts';

const TEXT = {
  vi: { date: 'Ngày/tháng/năm, ví dụ 14/03/1985', amount: 'Số tiền bằng đồng, ví dụ 1.500.000', id: 'Số định danh cá nhân 12 chữ số, hoặc mã số thuế', choose: '— Chọn —' },
  en: { date: 'Day/month/year, e.g. 14/03/1985', amount: 'Amount in đồng, e.g. 1.500.000', id: '12-digit personal identification number, or tax code', choose: '— Choose —' },
};

/** The id of a form field's control, so a problem from the server can move focus to it. */
export function fieldControlId(componentKey: string, field: string): string {
  return `f-${componentKey}-${field}`;
}

/** A self-declared form generated from the component's template; errors sit under each field and are announced. */
export function FormFields({
  componentKey,
  fields,
  values,
  errors,
  onChange,
}: {
  componentKey: string;
  fields: FormField[];
  values: FormValues;
  errors: Record<string, string>;
  onChange: (name: string, value: string | boolean) => void;
}) {
  const t = useText(TEXT);
  return (
    <div className="portal-form">
      {fields.map((f) => {
        const id = fieldControlId(componentKey, f.name);
        const error = errors[f.name] ?? null;
        const value = values[f.name];
        const text = typeof value === 'string' ? value : '';
        if (f.type === 'select') {
          return (
            <Select
              key={f.name}
              id={id}
              label={f.label}
              required={f.required}
              error={error}
              placeholder={t.choose}
              options={(f.options ?? []).map((o) => ({ value: o.value, label: o.label }))}
              value={text}
              onChange={(e) => onChange(f.name, e.target.value)}
            />
          );
        }
        if (f.type === 'checkbox') return <CheckField key={f.name} id={id} field={f} checked={value === true} error={error} onChange={(v) => onChange(f.name, v)} />;
        if (f.type === 'textarea') return <AreaField key={f.name} id={id} field={f} value={text} error={error} onChange={(v) => onChange(f.name, v)} />;
        const amount = isAmountField(f);
        return (
          <TextField
            key={f.name}
            id={id}
            label={f.label}
            required={f.required}
            error={error}
            hint={f.type === 'date' ? t.date : amount ? t.amount : f.type === 'id_number' ? t.id : undefined}
            value={text}
            maxLength={f.maxLength}
            type={f.type === 'email' ? 'email' : f.type === 'phone' ? 'tel' : 'text'}
            inputMode={f.type === 'date' || f.type === 'id_number' || f.type === 'number' ? 'numeric' : undefined}
            autoComplete={f.type === 'phone' ? 'tel' : f.type === 'email' ? 'email' : 'off'}
            onChange={(e) => onChange(f.name, amount ? groupVndInput(e.target.value) : e.target.value)}
          />
        );
      })}
    </div>
  );
}

function AreaField({ id, field, value, error, onChange }: { id: string; field: FormField; value: string; error: string | null; onChange: (v: string) => void }) {
  const ids = useFieldIds('area', id, undefined, error);
  return (
    <FieldFrame ids={ids} label={field.label} required={field.required} error={error}>
      <textarea
        id={ids.controlId}
        className="input"
        rows={3}
        required={field.required}
        maxLength={field.maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </FieldFrame>
  );
}

function CheckField({ id, field, checked, error, onChange }: { id: string; field: FormField; checked: boolean; error: string | null; onChange: (v: boolean) => void }) {
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="field">
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
      <label className="portal-check">
        <input id={id} type="checkbox" checked={checked} aria-invalid={error ? true : undefined} aria-describedby={errorId} onChange={(e) => onChange(e.target.checked)} />{' '}
        {field.label}
      </label>
    </div>
  );
}
