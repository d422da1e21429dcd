import type { Ref, SelectHTMLAttributes } from 'react';
import { FieldFrame, useFieldIds } from './FieldFrame.tsx';

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
  const ids = useFieldIds('select', id, hint, error);
  return (
    <FieldFrame ids={ids} label={label} required={required} hint={hint} error={error}>
      <select
        ref={ref}
        id={ids.controlId}
        className="select"
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...rest}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
