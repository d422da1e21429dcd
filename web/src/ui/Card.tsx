import type { ReactNode } from 'react';

export interface CardProps {
  title: ReactNode;
  /** Heading level inside the page outline (h2 under the page's h1 by default). */
  level?: 2 | 3;
  /** When set, the title is a link and the whole card is its touch target. Pass a router link element. */
  link?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
}

export function Card({ title, level = 2, link, children, footer }: CardProps) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className={link ? 'card card--link' : 'card'}>
      <Heading className="card__title">{link ?? title}</Heading>
      {children ? <div className="card__body">{children}</div> : null}
      {footer ? <div className="card__footer">{footer}</div> : null}
    </section>
  );
}
