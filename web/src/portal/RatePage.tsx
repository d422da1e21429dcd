import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { PATHS } from '../app/paths.ts';
import { TextArea } from '../admin/common.tsx';
import { useLang, useText } from '../catalog/lang.ts';
import { api, errorMessage } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';
import { nfc } from '../lib/text.ts';
import { Alert, Button, FieldGroup, PageHeader, Spinner } from '../ui/index.ts';
import './portal.css';

interface RatingView {
  rating: number;
  label: { vi: string; en: string };
  comment: string | null;
  at: string;
}

const TEXT = {
  vi: {
    title: 'Đánh giá mức độ hài lòng',
    lead: 'Ý kiến của bạn được dùng để đánh giá chất lượng phục vụ của cơ quan (Bộ chỉ số QĐ 766). Mỗi hồ sơ được đánh giá một lần, sau khi bạn đã nhận kết quả.',
    back: '← Quay lại hồ sơ',
    loading: 'Đang tải…',
    scale: 'Mức độ hài lòng của bạn',
    options: ['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng'],
    comment: 'Ý kiến thêm (không bắt buộc)',
    send: 'Gửi đánh giá',
    pick: 'Hãy chọn một mức đánh giá.',
    thanks: 'Cảm ơn bạn đã đánh giá.',
    given: (label: string, at: string) => `Bạn đã đánh giá “${label}” lúc ${at}.`,
    notYet: 'Bạn có thể đánh giá sau khi đã nhận kết quả giải quyết của hồ sơ này.',
  },
  en: {
    title: 'Rate the service',
    lead: 'Your opinion is used to assess the agency’s service (the QĐ 766 index). Each dossier is rated once, after you received its result.',
    back: '← Back to the dossier',
    loading: 'Loading…',
    scale: 'How satisfied are you',
    options: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
    comment: 'Anything to add (optional)',
    send: 'Send the rating',
    pick: 'Choose a rating.',
    thanks: 'Thank you for your rating.',
    given: (label: string, at: string) => `You rated “${label}” at ${at}.`,
    notYet: 'You can rate this dossier once you have received its result.',
  },
};

/** The applicant rates a delivered dossier once (1 very dissatisfied … 5 very satisfied); phone first. */
export function RatePage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const { id = '' } = useParams();
  const [state, setState] = useState<{ canRate: boolean; rating: RatingView | null } | null>(null);
  const [choice, setChoice] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  useEffect(() => {
    api.get<{ canRate: boolean; rating: RatingView | null }>(`/api/my/dossiers/${encodeURIComponent(id)}/rating`).then(setState, setError);
  }, [id]);
  const send = async () => {
    if (choice === null) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(null);
    try {
      const rating = await api.post<RatingView>(`/api/my/dossiers/${encodeURIComponent(id)}/rating`, { rating: choice, comment: nfc(comment).trim() || null });
      setState({ canRate: false, rating });
      setSent(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Link to={`${PATHS.myDossiers}/${id}`}>{t.back}</Link>
      <PageHeader title={t.title} lead={t.lead} />
      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
      {!state && !error ? <Spinner label={t.loading} /> : null}
      {state?.rating ? (
        <Alert tone="success">
          <span data-testid="rating">
            {sent ? `${t.thanks} ` : ''}
            {t.given(state.rating.label[lang], formatDateTime(state.rating.at))}
          </span>
        </Alert>
      ) : null}
      {state && !state.rating && !state.canRate ? <p>{t.notYet}</p> : null}
      {state?.canRate ? (
        <>
          <FieldGroup legend={t.scale}>
            {t.options.map((label, i) => (
              <label key={label} className="portal-choice">
                <input type="radio" name="rating" value={i + 1} checked={choice === i + 1} onChange={() => setChoice(i + 1)} /> {label}
              </label>
            ))}
          </FieldGroup>
          <TextArea label={t.comment} value={comment} rows={3} onChange={setComment} />
          {missing ? <Alert tone="error">{t.pick}</Alert> : null}
          <Button onClick={() => void send()} busy={busy}>
            {t.send}
          </Button>
        </>
      ) : null}
    </>
  );
}
