import type { InputHTMLAttributes, Ref } from 'react';
import { FieldFrame, useFieldIds } from './FieldFrame.tsx';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  /** Help text read after the label. */
  hint?: string;
  /** Error text; marks the input invalid and is announced with it. */
  error?: string | null;
  id?: string;
  ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, hint, error, id, required, className, ref, ...rest }: TextFieldProps) {
  const ids = useFieldIds('field', id, hint, error);
  return (
    <FieldFrame ids={ids} label={label} required={required} hint={hint} error={error} className={className}>
      <input
        ref={ref}
        id={ids.controlId}
        className="input"
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...rest}
      />
    </FieldFrame>
  );
}
