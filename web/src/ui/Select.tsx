import { useId, type Ref, type SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'children'> {
  label: string;
  options: SelectOption[];
  /** A first, empty choice such as "— Chọn —"; without it the first option is preselected. */
  placeholder?: string;
  hint?: string;
  error?: string | null;
  id?: string;
  ref?: Ref<HTMLSelectElement>;
}

/** A native select: keyboard, screen-reader and phone pickers work without any script of ours. */
export function Select({ label, options, placeholder, hint, error, id, required, ref, ...rest }: SelectProps) {
  const { t } = useTranslation();
  const autoId = useId();
  const selectId = id ?? `select-${autoId}`;
  const hintId = hint ? `${selectId}-hint` : undefined;
  const errorId = error ? `${selectId}-error` : undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={selectId}>
        {label}
        {required ? <span className="field__required">{t('ui.required')}</span> : null}
      </label>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
      <select
        ref={ref}
        id={selectId}
        className="select"
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        {...rest}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
