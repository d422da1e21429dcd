import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';
import { Spinner } from './Spinner.tsx';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'link';

export function buttonClass(variant: ButtonVariant = 'primary', block = false, extra?: string): string {
  return ['button', `button--${variant}`, block ? 'button--block' : '', extra ?? ''].filter(Boolean).join(' ');
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  /** Full width (forms on phones). */
  block?: boolean;
  /** Shows a spinner and blocks a second submit while the action runs; the label should say what is happening. */
  busy?: boolean;
  ref?: Ref<HTMLButtonElement>;
  children: ReactNode;
}

export function Button({ variant = 'primary', block = false, busy = false, type = 'button', className, children, onClick, ref, ...rest }: ButtonProps) {
  return (
    <button
      ref={ref}
      type={type}
      className={buttonClass(variant, block, className)}
      {...rest}
      // While busy the button stays focusable (aria-disabled, not disabled) so focus is not lost mid-submit,
      // and a second click or Enter does nothing (preventDefault also stops a second form submit).
      aria-disabled={busy || rest['aria-disabled'] ? true : undefined}
      aria-busy={busy || undefined}
      onClick={busy ? (event) => event.preventDefault() : onClick}
    >
      {busy ? <Spinner size="inline" /> : null}
      {children}
    </button>
  );
}
