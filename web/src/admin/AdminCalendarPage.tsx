import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { apiRequest } from '../lib/api.ts';
import { nfc } from '../lib/text.ts';
import { Alert, Badge, Button, FieldGroup, PageHeader, Spinner, TextField } from '../ui/index.ts';
import { useText } from '../catalog/lang.ts';
import { Check, Checks, ProblemAlert, TextArea } from './common.tsx';
import '../catalog/catalog.css';

type Kind = 'statutory' | 'compensatory' | 'announced' | 'weekend';

interface Entry {
  date: string;
  reason: string;
  source?: string;
}

interface YearSchedule {
  year: number;
  announced: boolean;
  sources: string[];
  note?: string;
  tetDays?: string[];
  nationalDayAdjacent?: string;
  daysOff: Entry[];
  makeUpWorkingDays: Entry[];
}

interface YearAnswer {
  calendar: { nonWorking: { date: string; kind: Kind; reasons: string[] }[]; makeUpWorking: Entry[] };
  schedule: YearSchedule;
  stored: boolean;
}

const TEXT = {
  vi: {
    title: 'Lịch làm việc',
    lead: 'Ngày nghỉ lễ theo luật được tính tự động (kể cả ngày âm lịch). Quản trị viên cập nhật ngày nghỉ, ngày hoán đổi và ngày làm bù theo thông báo hằng năm của Chính phủ.',
    back: '← Quản trị thủ tục',
    loading: 'Đang tải…',
    previous: 'Năm trước',
    next: 'Năm sau',
    months: ['Tháng 1', 'Tháng 2', 'Tháng 3', 'Tháng 4', 'Tháng 5', 'Tháng 6', 'Tháng 7', 'Tháng 8', 'Tháng 9', 'Tháng 10', 'Tháng 11', 'Tháng 12'],
    weekdays: ['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'],
    kinds: { statutory: 'Nghỉ lễ, Tết theo luật', compensatory: 'Nghỉ bù', announced: 'Nghỉ theo thông báo', weekend: 'Nghỉ hằng tuần', makeUp: 'Làm bù' } as Record<Kind | 'makeUp', string>,
    legend: 'Chú giải',
    stored: 'Đã cập nhật bởi quản trị viên',
    seed: 'Theo dữ liệu có sẵn',
    edit: 'Thông báo của năm',
    announced: 'Chính phủ đã công bố lịch nghỉ của năm',
    sources: 'Văn bản, nguồn công bố (mỗi dòng một nguồn)',
    daysOff: 'Ngày nghỉ theo thông báo (ngoài ngày lễ theo luật)',
    makeUp: 'Ngày làm bù',
    date: 'Ngày',
    reason: 'Lý do',
    add: 'Thêm ngày',
    remove: 'Xóa',
    save: 'Lưu lịch năm',
    saved: 'Đã lưu lịch năm.',
  },
  en: {
    title: 'Working calendar',
    lead: 'Statutory holidays are computed (lunar dates included). Administrators maintain the days off, swapped days and make-up working days the Government announces each year.',
    back: '← Procedure administration',
    loading: 'Loading…',
    previous: 'Previous year',
    next: 'Next year',
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    kinds: { statutory: 'Statutory holiday', compensatory: 'Compensatory day', announced: 'Announced day off', weekend: 'Weekly rest', makeUp: 'Make-up working day' } as Record<Kind | 'makeUp', string>,
    legend: 'Legend',
    stored: 'Maintained by an administrator',
    seed: 'From the built-in data',
    edit: "The year's announcement",
    announced: "The Government has announced this year's days off",
    sources: 'Instruments and publications (one per line)',
    daysOff: 'Announced days off (beyond statutory holidays)',
    makeUp: 'Make-up working days',
    date: 'Date',
    reason: 'Reason',
    add: 'Add a day',
    remove: 'Remove',
    save: 'Save the year',
    saved: 'The year was saved.',
  },
};
type T = (typeof TEXT)['vi'];

export function AdminCalendarPage() {
  const t = useText(TEXT);
  useDocumentTitle(t.title);
  const [year, setYear] = useState(() => Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date())));
  const [data, setData] = useState<YearAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setData(null);
    setError(null);
    try {
      setData(await apiRequest<YearAnswer>(`/api/calendar/years/${year}`));
    } catch (e) {
      setError(e);
    }
  }, [year]);
  useEffect(() => void load(), [load]);

  return (
    <div data-testid="admin-calendar">
      <p>
        <Link to="/quan-tri/thu-tuc">{t.back}</Link>
      </p>
      <PageHeader
        title={`${t.title} ${year}`}
        lead={t.lead}
        meta={data ? <Badge tone={data.stored ? 'info' : 'neutral'}>{data.stored ? t.stored : t.seed}</Badge> : undefined}
        actions={
          <>
            <Button variant="secondary" onClick={() => setYear(year - 1)}>
              {t.previous}
            </Button>
            <Button variant="secondary" onClick={() => setYear(year + 1)}>
              {t.next}
            </Button>
          </>
        }
      />
      {error ? <ProblemAlert error={error} /> : null}
      {!data && !error ? <Spinner label={t.loading} /> : null}
      {data ? (
        <>
          <Legend t={t} />
          <YearView t={t} year={year} answer={data} />
          <ScheduleForm key={`${year}-${JSON.stringify(data.schedule)}`} t={t} schedule={data.schedule} onSaved={setData} />
        </>
      ) : null}
    </div>
  );
}

function Legend({ t }: { t: T }) {
  return (
    <ul className="calendar-legend" aria-label={t.legend}>
      {(['statutory', 'compensatory', 'announced', 'weekend', 'makeUp'] as const).map((k) => (
        <li key={k}>
          <span className={`calendar-day calendar-day--${k}`} aria-hidden="true">
            1
          </span>{' '}
          {t.kinds[k]}
        </li>
      ))}
    </ul>
  );
}

function YearView({ t, year, answer }: { t: T; year: number; answer: YearAnswer }) {
  const off = new Map(answer.calendar.nonWorking.map((d) => [d.date, d]));
  const makeUp = new Map(answer.calendar.makeUpWorking.map((d) => [d.date, d]));
  return (
    <div className="calendar-year">
      {t.months.map((name, m) => {
        const first = new Date(Date.UTC(year, m, 1));
        const days = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
        const lead = (first.getUTCDay() + 6) % 7; // Monday first
        const cells: (number | null)[] = [...Array<null>(lead).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
        while (cells.length % 7) cells.push(null);
        const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
        return (
          <table key={name} className="calendar-month">
            <caption>{name}</caption>
            <thead>
              <tr>
                {t.weekdays.map((d) => (
                  <th key={d} scope="col">
                    {d}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weeks.map((week, w) => (
                <tr key={w}>
                  {week.map((d, i) => {
                    if (d === null) return <td key={i} />;
                    const iso = `${year}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
                    const o = off.get(iso);
                    const mu = makeUp.get(iso);
                    const kind = mu ? 'makeUp' : o?.kind;
                    const reason = mu ? `${t.kinds.makeUp}: ${mu.reason}` : o ? `${t.kinds[o.kind]}${o.reasons.length ? `: ${o.reasons.join('; ')}` : ''}` : null;
                    return (
                      <td key={i}>
                        <span className={kind ? `calendar-day calendar-day--${kind}` : 'calendar-day'} title={reason ?? undefined}>
                          {d}
                          {reason ? <span className="visually-hidden"> — {reason}</span> : null}
                        </span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </div>
  );
}

function ScheduleForm({ t, schedule, onSaved }: { t: T; schedule: YearSchedule; onSaved: (a: YearAnswer) => void }) {
  const [s, setS] = useState<YearSchedule>(schedule);
  const [sources, setSources] = useState(schedule.sources.join('\n'));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    setBusy(true);
    const clean = (list: Entry[]) => list.map((x) => ({ ...x, reason: nfc(x.reason.trim()) }));
    try {
      const body: YearSchedule = {
        ...s,
        sources: sources.split('\n').map((x) => nfc(x.trim())).filter(Boolean),
        daysOff: clean(s.daysOff),
        makeUpWorkingDays: clean(s.makeUpWorkingDays),
      };
      const answer = await apiRequest<YearAnswer>(`/api/admin/calendar/years/${s.year}`, { method: 'PUT', body });
      onSaved(answer);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const list = (key: 'daysOff' | 'makeUpWorkingDays', legend: string) => (
    <FieldGroup legend={legend}>
      {s[key].map((x, i) => (
        <div className="admin-grid" key={i}>
          <TextField label={`${t.date} ${i + 1}`} type="date" value={x.date} onChange={(e) => setS({ ...s, [key]: s[key].map((y, j) => (j === i ? { ...y, date: e.target.value } : y)) })} />
          <TextField label={`${t.reason} ${i + 1}`} value={x.reason} onChange={(e) => setS({ ...s, [key]: s[key].map((y, j) => (j === i ? { ...y, reason: e.target.value } : y)) })} />
          <Button variant="secondary" onClick={() => setS({ ...s, [key]: s[key].filter((_, j) => j !== i) })} aria-label={`${t.remove}: ${legend} ${i + 1}`}>
            {t.remove}
          </Button>
        </div>
      ))}
      <Button variant="secondary" onClick={() => setS({ ...s, [key]: [...s[key], { date: `${s.year}-01-01`, reason: '' }] })}>
        {t.add}
      </Button>
    </FieldGroup>
  );
  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-labelledby="calendar-edit">
      <h2 id="calendar-edit">{t.edit}</h2>
      <Checks legend={t.announced}>
        <Check label={t.announced} checked={s.announced} onChange={(on) => setS({ ...s, announced: on })} />
      </Checks>
      <TextArea label={t.sources} value={sources} onChange={setSources} rows={3} />
      {list('daysOff', t.daysOff)}
      {list('makeUpWorkingDays', t.makeUp)}
      {error ? <ProblemAlert error={error} /> : null}
      {saved ? <Alert tone="success">{t.saved}</Alert> : null}
      <div className="form-actions">
        <Button type="submit" busy={busy}>
          {t.save}
        </Button>
      </div>
    </form>
  );
}
