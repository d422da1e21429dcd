import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { apiRequest } from '../lib/api.ts';
import { nfc } from '../lib/text.ts';
import { ProblemAlert, TextArea } from '../admin/common.tsx';
import { useText } from '../catalog/lang.ts';
import { Alert, Button, PageHeader, TextField } from '../ui/index.ts';
import './oversight.css';

const TEXT = {
  vi: {
    title: 'Phản ánh việc bị yêu cầu nộp giấy tờ',
    lead: 'Theo Chỉ thị 08/CT-UBND, cơ quan không được yêu cầu bản giấy của giấy tờ đã có bản điện tử hợp lệ. Nếu bạn bị yêu cầu, hãy cho chúng tôi biết: Trung tâm Phục vụ hành chính công sẽ xác minh.',
    code: 'Mã hồ sơ',
    codeHint: 'In trên Giấy tiếp nhận hồ sơ, ví dụ 000.01.30.H26-260310-0001',
    secret: 'Mã tra cứu',
    secretHint: 'Mã bí mật in trên Giấy tiếp nhận; chỉ dùng để xác nhận bạn là người nộp hồ sơ, không được lưu lại.',
    description: 'Nội dung phản ánh',
    descriptionHint: 'Giấy tờ nào bị yêu cầu, ai yêu cầu, khi nào, ở đâu.',
    contact: 'Số điện thoại hoặc thư điện tử để liên hệ (không bắt buộc)',
    submit: 'Gửi phản ánh',
    done: (ref: string) => `Đã ghi nhận phản ánh. Mã phản ánh: ${ref}. Trung tâm sẽ xác minh và trả lời.`,
  },
  en: {
    title: 'Report being asked for paper',
    lead: 'Under Directive 08/CT-UBND no agency may ask for a paper copy of a document that has a valid electronic version. If you were asked, tell us: the Public Administrative Service Center will investigate.',
    code: 'Dossier code',
    codeHint: 'Printed on the receipt, e.g. 000.01.30.H26-260310-0001',
    secret: 'Look-up secret',
    secretHint: 'The secret printed on the receipt; it only proves you submitted the dossier and is not stored.',
    description: 'What happened',
    descriptionHint: 'Which document was asked for, by whom, when and where.',
    contact: 'Phone or e-mail to reach you (optional)',
    submit: 'Send the report',
    done: (ref: string) => `Your report is recorded. Reference: ${ref}. The Center will investigate and reply.`,
  },
};

export function PaperReportPage() {
  const t = useText(TEXT);
  useDocumentTitle(t.title);
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get('ma') ?? '');
  const [secret, setSecret] = useState('');
  const [description, setDescription] = useState('');
  const [contact, setContact] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [reference, setReference] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await apiRequest<{ reference: string }>('/api/public/paper-reports', {
        method: 'POST',
        body: { code: code.trim(), secret: secret.trim(), description: nfc(description), contact: contact.trim() || null },
      });
      setReference(r.reference);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      {reference ? (
        <Alert tone="success">{t.done(reference)}</Alert>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate={false}>
          {error ? <ProblemAlert error={error} /> : null}
          <TextField label={t.code} hint={t.codeHint} value={code} onChange={(e) => setCode(e.target.value)} required autoComplete="off" />
          <TextField label={t.secret} hint={t.secretHint} value={secret} onChange={(e) => setSecret(e.target.value)} required autoComplete="off" />
          <TextArea label={t.description} hint={t.descriptionHint} value={description} onChange={setDescription} rows={5} />
          <TextField label={t.contact} value={contact} onChange={(e) => setContact(e.target.value)} autoComplete="tel" />
          <Button type="submit" busy={busy}>
            {t.submit}
          </Button>
        </form>
      )}
    </>
  );
}
