import { useText } from '../catalog/lang.ts';
import { formatDateTime } from '../lib/format.ts';
import type { DossierDetail } from './model.ts';

const TEXT = {
  vi: {
    title: 'Thông báo của cơ quan',
    names: {
      '02': 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)',
      '03': 'Phiếu từ chối tiếp nhận (Mẫu 03)',
      '04': 'Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)',
      '05': 'Thông báo dừng giải quyết hồ sơ (Mẫu 05)',
    } as Record<string, string>,
  },
  en: {
    title: 'Notices from the agency',
    names: {
      '02': 'Request to supplement (form 02)',
      '03': 'Refusal to receive (form 03)',
      '04': 'Apology and new date (form 04)',
      '05': 'Notice of stopping (form 05)',
    } as Record<string, string>,
  },
};

/** The signed forms 02–05 a dossier's events issued, each a download; `base` is the dossier's API path of the viewer. */
export function FormsIssued({ forms, base }: { forms: DossierDetail['forms']; base: string }) {
  const t = useText(TEXT);
  if (!forms.length) return null;
  return (
    <section aria-labelledby="forms-h">
      <h2 id="forms-h">{t.title}</h2>
      <ul>
        {forms.map((f) => (
          <li key={f.seq}>
            <a href={`${base}/documents/${f.documentId}`} download data-testid={`form-${f.form}`}>
              {t.names[f.form] ?? f.form}
            </a>{' '}
            — {formatDateTime(f.issuedAt)}
          </li>
        ))}
      </ul>
    </section>
  );
}
