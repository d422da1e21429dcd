import { useState } from 'react';
import { useDocumentTitle } from '../app/document-title.ts';
import { useLang, useText } from '../catalog/lang.ts';
import { apiRequest, errorMessage } from '../lib/api.ts';
import { Alert, Button, Form, PageHeader, TextField } from '../ui/index.ts';

const TEXT = {
  vi: {
    title: 'Ủy quyền cho đại lý dịch vụ công',
    lead: 'Ghi nhận sự đồng ý của bạn để một đại lý dịch vụ công (bưu điện, tổ chức dịch vụ) nộp hồ sơ trực tuyến thay bạn. Đại lý không thể nộp thay khi chưa có sự đồng ý này.',
    agent: 'Tên đăng nhập của đại lý',
    agentHint: 'Đại lý cung cấp tên đăng nhập của họ trên hệ thống.',
    grant: 'Đồng ý ủy quyền',
    done: (u: string) => `Đã ghi nhận: đại lý "${u}" được nộp hồ sơ thay bạn.`,
    required: 'Hãy nhập tên đăng nhập của đại lý',
  },
  en: {
    title: 'Consent for a public-service agent',
    lead: 'Record your consent that a public-service agent (post office, service organisation) may submit dossiers online on your behalf. Without it the agent cannot.',
    agent: "The agent's username",
    agentHint: 'The agent gives you their username on this system.',
    grant: 'Give consent',
    done: (u: string) => `Recorded: agent "${u}" may submit dossiers on your behalf.`,
    required: "Enter the agent's username",
  },
};

export function ConsentsPage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const [agent, setAgent] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [granted, setGranted] = useState<string | null>(null);
  const submit = async () => {
    const username = agent.trim();
    if (username.length < 3) {
      setFieldError(t.required);
      document.getElementById('consent-agent')?.focus();
      return;
    }
    setFieldError(null);
    setBusy(true);
    setError(null);
    try {
      await apiRequest('/api/my/consents', { method: 'POST', body: { agentUsername: username } });
      setGranted(username);
      setAgent('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      {granted ? <Alert tone="success">{t.done(granted)}</Alert> : null}
      {error ? <Alert tone="error">{errorMessage(error, lang)}</Alert> : null}
      <Form onSubmit={() => void submit()}>
        <TextField id="consent-agent" label={t.agent} hint={t.agentHint} required value={agent} error={fieldError} autoComplete="off" onChange={(e) => setAgent(e.target.value)} />
        <Button type="submit" busy={busy}>
          {t.grant}
        </Button>
      </Form>
    </>
  );
}
