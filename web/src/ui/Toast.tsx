import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tone } from './Alert.tsx';

export interface ToastMessage {
  id: number;
  tone: Tone;
  message: string;
}

interface ToastApi {
  show(message: string, tone?: Tone): void;
  dismiss(id: number): void;
}

const ToastContext = createContext<ToastApi | null>(null);

/** At most this many toasts at once; older ones go first. */
const MAX_TOASTS = 3;

/**
 * Toasts stay until dismissed: timed disappearance fails users who read slowly (WCAG 2.2.1).
 * The live regions exist before any message is added, which screen readers need to announce insertions.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<ToastMessage[]>([]);
  const next = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);
  const show = useCallback((message: string, tone: Tone = 'info') => {
    const id = next.current++;
    setToasts((list) => [...list, { id, tone, message }].slice(-MAX_TOASTS));
  }, []);
  const api = useMemo(() => ({ show, dismiss }), [show, dismiss]);

  const render = (items: ToastMessage[]) =>
    items.map((toast) => (
      <div key={toast.id} className={`alert alert--${toast.tone} toast`}>
        <div className="alert__body">
          <p>{toast.message}</p>
        </div>
        <button type="button" className="toast__close" onClick={() => dismiss(toast.id)} aria-label={t('ui.dismiss')}>
          ×
        </button>
      </div>
    ));

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toast-region">
        <div aria-live="assertive" aria-atomic="false" data-testid="toasts-assertive">
          {render(toasts.filter((x) => x.tone === 'error'))}
        </div>
        <div aria-live="polite" aria-atomic="false" data-testid="toasts-polite">
          {render(toasts.filter((x) => x.tone !== 'error'))}
        </div>
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast must be used inside <ToastProvider>');
  return api;
}
