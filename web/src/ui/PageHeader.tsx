import type { ReactNode } from 'react';

export interface PageHeaderProps {
  title: ReactNode;
  lead?: ReactNode;
  meta?: ReactNode;
  actions?: ReactNode;
}

/** The page's one h1. Layout focuses main on navigation, so the h1 is what a screen reader reads next. */
export function PageHeader({ title, lead, meta, actions }: PageHeaderProps) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {meta ? <p className="page-header__meta">{meta}</p> : null}
      {lead ? <p className="page-header__lead">{lead}</p> : null}
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </header>
  );
}
