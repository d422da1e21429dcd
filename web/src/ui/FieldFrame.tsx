import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface FieldIds {
  controlId: string;
  hintId: string | undefined;
  errorId: string | undefined;
  /** For the control's aria-describedby: hint then error, so both are read after the label. */
  describedBy: string | undefined;
}

/** Ids that tie a form control to its label, hint and error text. */
export function useFieldIds(prefix: string, id: string | undefined, hint: string | undefined, error: string | null | undefined): FieldIds {
  const autoId = useId();
  const controlId = id ?? `${prefix}-${autoId}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  return { controlId, hintId, errorId, describedBy: [hintId, errorId].filter(Boolean).join(' ') || undefined };
}

/** Label, required mark, hint and error around one control: the same for every kind of field. */
export function FieldFrame(props: {
  ids: FieldIds;
  label: string;
  required?: boolean;
  hint?: string;
  error?: string | null;
  className?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { ids, label, required, hint, error, className, children } = props;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={ids.controlId}>
        {label}
        {required ? <span className="field__required">{t('ui.required')}</span> : null}
      </label>
      {hint ? (
        <p className="field__hint" id={ids.hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={ids.errorId}>
          {error}
        </p>
      ) : null}
      {children}
    </div>
  );
}
