import { useEffect, useId, useMemo, useState } from 'react';
import { useText } from '../catalog/lang.ts';
import { Button } from '../ui/index.ts';
import { formatInteger } from '../lib/format.ts';
import { acceptFiles, isImage } from './model.ts';

const TEXT = {
  vi: {
    choose: 'Chọn tệp PDF hoặc ảnh chụp',
    hint: 'Một tệp PDF, hoặc một hay nhiều ảnh chụp/ảnh quét (JPEG, PNG): các ảnh được ghép thành một tệp PDF.',
    remove: (name: string) => `Gỡ tệp ${name}`,
    type: 'Chỉ nhận tệp PDF, JPEG hoặc PNG.',
    mix: 'Một thành phần gồm một tệp PDF hoặc các ảnh, không gộp cả hai: đã giữ lại lựa chọn mới nhất.',
    kb: 'KB',
    photoNote: 'Ảnh chụp không mang chữ ký số: bản sao chứng thực điện tử hay bản sao từ sổ gốc cần tệp PDF đã ký số.',
  },
  en: {
    choose: 'Choose a PDF or photos',
    hint: 'One PDF file, or one or more photos/scans (JPEG, PNG): the photos are joined into one PDF.',
    remove: (name: string) => `Remove ${name}`,
    type: 'Only PDF, JPEG or PNG files are accepted.',
    mix: 'A component is one PDF or photos, not both: the latest choice was kept.',
    kb: 'KB',
    photoNote: 'A photo carries no digital signature: a certified copy or register e-copy needs the signed PDF.',
  },
};

function Thumb({ file }: { file: File }) {
  const url = useMemo(() => (isImage(file) && typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null), [file]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url ? <img className="portal-thumb" src={url} alt="" /> : <span className="portal-thumb portal-thumb--pdf" aria-hidden="true">PDF</span>;
}

/** Files of one component: pick, see thumbnails, remove. */
export function Attachments({
  id,
  label,
  files,
  error,
  needsSignature,
  onChange,
}: {
  id: string;
  label: string;
  files: File[];
  error: string | null;
  needsSignature: boolean;
  onChange: (files: File[]) => void;
}) {
  const t = useText(TEXT);
  const hintId = useId();
  const errorId = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const describedBy = [hintId, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <p className="field__hint" id={hintId}>
        {t.hint}
      </p>
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
      <input
        id={id}
        type="file"
        className="portal-file"
        accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
        multiple
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          const added = [...(e.target.files ?? [])];
          e.target.value = '';
          const r = acceptFiles(files, added);
          setNotice(r.rejected === 'type' ? t.type : r.rejected === 'mix' ? t.mix : null);
          onChange(r.files);
        }}
      />
      {notice ? <p className="field__hint" role="status">{notice}</p> : null}
      {needsSignature && files.some(isImage) ? <p className="field__hint portal-warn" role="status">{t.photoNote}</p> : null}
      {files.length ? (
        <ul className="portal-files">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <Thumb file={f} />
              <span className="portal-files__name">
                {f.name} <span className="portal-muted">({formatInteger(Math.max(1, Math.round(f.size / 1024)))} {t.kb})</span>
              </span>
              <Button variant="link" onClick={() => onChange(files.filter((_, j) => j !== i))} aria-label={t.remove(f.name)}>
                ✕
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
