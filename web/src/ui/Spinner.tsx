export interface SpinnerProps {
  /** Text announced to screen readers and shown beside the ring (omit for a ring inside a labelled button). */
  label?: string;
  size?: 'inline' | 'block';
}

export function Spinner({ label, size = 'block' }: SpinnerProps) {
  if (size === 'inline' && !label) return <span className="spinner__ring" aria-hidden="true" />;
  return (
    <span className="spinner" role="status">
      <span className="spinner__ring" aria-hidden="true" />
      <span>{label}</span>
    </span>
  );
}
