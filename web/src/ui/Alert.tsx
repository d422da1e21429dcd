import type { ReactNode, Ref } from 'react';

export type Tone = 'info' | 'success' | 'warning' | 'error';

export interface AlertProps {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  /** Errors interrupt (role=alert); other tones are announced politely (role=status). */
  live?: boolean;
  ref?: Ref<HTMLDivElement>;
  tabIndex?: number;
  id?: string;
}

export function Alert({ tone = 'info', title, children, live = true, ref, tabIndex, id }: AlertProps) {
  const role = live ? (tone === 'error' ? 'alert' : 'status') : undefined;
  return (
    <div ref={ref} id={id} tabIndex={tabIndex} className={`alert alert--${tone}`} role={role}>
      {title ? <p className="alert__title">{title}</p> : null}
      {children ? <div className="alert__body">{children}</div> : null}
    </div>
  );
}
