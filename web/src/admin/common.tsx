import { useId, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../lib/api.ts';
import { Alert } from '../ui/index.ts';
import { useLang } from '../catalog/lang.ts';
import type { CatalogIssue } from '../catalog/model.ts';

/** Every problem the server listed (catalog rule issues or schema errors), each with the place it refers to. */
export function ProblemAlert({ error }: { error: unknown }) {
  const lang = useLang();
  if (!error) return null;
  const issues: CatalogIssue[] = [];
  if (error instanceof ApiError) {
    const listed = error.problem.issues;
    if (Array.isArray(listed)) issues.push(...(listed as CatalogIssue[]));
    for (const e of error.fieldErrors) issues.push({ path: e.path ?? '', reason: e.message ?? '' });
  }
  return (
    <Alert tone="error" title={error instanceof ApiError || !(error instanceof Error) ? errorMessage(error, lang) : error.message}>
      {issues.length ? (
        <ul data-testid="problem-issues">
          {issues.map((i, n) => (
            <li key={n}>
              <code>{i.path || '/'}</code>: {i.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

/** A labelled native select (with an optional empty choice) for admin forms. */
export function NativeSelect({
  label,
  value,
  onChange,
  options,
  empty,
  hideLabel,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  empty?: string;
  hideLabel?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className={hideLabel ? 'visually-hidden' : 'field__label'} htmlFor={id}>
        {label}
      </label>
      <select id={id} className="select" value={value} onChange={(e) => onChange(e.target.value)}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Checks({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      <div className="admin-checks">{children}</div>
    </fieldset>
  );
}

export function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

export function TextArea({ label, value, onChange, hint, rows = 6 }: { label: string; value: string; onChange: (v: string) => void; hint?: string; rows?: number }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <textarea id={id} className="input admin-textarea" rows={rows} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={hint ? `${id}-hint` : undefined} />
    </div>
  );
}

/** Parses a JSON text field; the error names the field so the administrator knows which box to fix. */
export function parseJsonField<T>(text: string, field: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${field}: ${(err as Error).message}`);
  }
}
