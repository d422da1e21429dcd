import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle } from '../app/document-title.ts';
import { PATHS } from '../app/paths.ts';
import { apiRequest } from '../lib/api.ts';
import { formatDate, formatDateTime, formatInteger } from '../lib/format.ts';
import { ProblemAlert } from '../admin/common.tsx';
import { useLang, useText } from '../catalog/lang.ts';
import { Button, PageHeader, Spinner, Table, TextField } from '../ui/index.ts';
import { Chart } from './BarChart.tsx';
import { INDICATOR_CODES, currentMonth, percent, points, previousMonths, type Index766Code, type IndicatorReportJson } from './model.ts';
import { DIRECTIVE_INDICATOR_NAMES, INDICATOR_766_NAMES } from '../../../src/oversight/indicators/rules.ts';
import type { TodayCounts } from '../../../src/oversight/indicators/store.ts';
import './oversight.css';

const TEXT = {
  vi: {
    title: 'Giám sát thực hiện Chỉ thị 08',
    lead: 'Chỉ số được tính từ sự kiện của từng hồ sơ, không nhập tay. Mỗi con số dẫn tới danh sách hồ sơ phía sau.',
    period: 'Kỳ (tháng)',
    show: 'Xem',
    loading: 'Đang tính chỉ số…',
    asOf: (t: string) => `Tính đến ${t}`,
    total: 'Điểm Bộ chỉ số 766 (các chỉ số tính được)',
    online: 'Tỷ lệ nộp trực tuyến (mục tiêu 80%)',
    digitized: 'Thành phần số hóa, ký số khi tiếp nhận',
    violations: 'Vụ việc vi phạm đang mở',
    openRegister: 'Mở sổ theo dõi vi phạm',
    index: 'Bộ chỉ số QĐ 766/QĐ-TTg',
    code: 'Chỉ số',
    name: 'Nội dung',
    num: 'Tử số',
    den: 'Mẫu số',
    rate: 'Tỷ lệ',
    pts: 'Điểm',
    max: 'Tối đa',
    dossiers: 'Hồ sơ',
    showDossiers: 'Xem hồ sơ',
    hideDossiers: 'Ẩn',
    outside: 'Hồ sơ không đạt',
    newest: (n: number) => `${formatInteger(n)} hồ sơ tiếp nhận gần nhất:`,
    none: 'Không có hồ sơ.',
    directive: 'Chỉ tiêu Chỉ thị 08/CT-UBND',
    byAgency: 'Theo đơn vị tiếp nhận',
    agency: 'Đơn vị',
    trend: 'Điểm 766 sáu tháng gần nhất',
    month: 'Tháng',
    chartNote: 'Biểu đồ minh họa bảng ngay dưới.',
    today: (day: string) => `Hôm nay, ${day}`,
    receivedOnline: 'Tiếp nhận trực tuyến',
    receivedCounter: 'Tiếp nhận tại quầy',
    awaiting: 'Chờ tiếp nhận',
    open: 'Đang giải quyết',
    late: 'Quá hạn',
    dueSoon: 'Sắp đến hạn',
  },
  en: {
    title: 'Directive 08 oversight',
    lead: 'Indicators are computed from each dossier’s events, never typed in. Every number leads to the dossiers behind it.',
    period: 'Period (month)',
    show: 'Show',
    loading: 'Computing indicators…',
    asOf: (t: string) => `As of ${t}`,
    total: 'QĐ 766 score (indicators that could be computed)',
    online: 'Online share (target 80%)',
    digitized: 'Components digitised and signed at reception',
    violations: 'Open register entries',
    openRegister: 'Open the violations register',
    index: 'QĐ 766/QĐ-TTg index',
    code: 'Indicator',
    name: 'What it measures',
    num: 'Numerator',
    den: 'Denominator',
    rate: 'Rate',
    pts: 'Points',
    max: 'Max',
    dossiers: 'Dossiers',
    showDossiers: 'Show dossiers',
    hideDossiers: 'Hide',
    outside: 'Dossiers that miss it',
    newest: (n: number) => `The ${formatInteger(n)} received most recently:`,
    none: 'No dossiers.',
    directive: 'Directive 08/CT-UBND targets',
    byAgency: 'By receiving unit',
    agency: 'Unit',
    trend: 'QĐ 766 score, last six months',
    month: 'Month',
    chartNote: 'The chart illustrates the table below it.',
    today: (day: string) => `Today, ${day}`,
    receivedOnline: 'Received online',
    receivedCounter: 'Received at the counter',
    awaiting: 'Awaiting reception',
    open: 'In progress',
    late: 'Late',
    dueSoon: 'Due soon',
  },
};

/** GET /api/oversight/today. */
type TodayJson = TodayCounts & { day: string; asOf: string };

interface Drill {
  indicator: string;
  items: { id: string; code: string | null; procedure: string }[];
  total: number;
}

export function DashboardPage() {
  const t = useText(TEXT);
  const lang = useLang();
  useDocumentTitle(t.title);
  const [period, setPeriod] = useState(currentMonth());
  const [shown, setShown] = useState(period);
  const [report, setReport] = useState<IndicatorReportJson | null>(null);
  const [trend, setTrend] = useState<{ month: string; points: number; max: number }[]>([]);
  const [openViolations, setOpenViolations] = useState<number | null>(null);
  const [today, setToday] = useState<TodayJson | null>(null);
  const [drill, setDrill] = useState<Drill | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setReport(null);
    setDrill(null);
    setError(null);
    (async () => {
      try {
        const [r, v, ...months] = await Promise.all([
          apiRequest<IndicatorReportJson>(`/api/oversight/indicators?period=${shown}&dimension=agency`),
          apiRequest<{ total: number }>('/api/oversight/violations?state=active&limit=1'),
          ...previousMonths(shown, 6).map((m) => apiRequest<IndicatorReportJson>(`/api/oversight/indicators?period=${m}`)),
        ]);
        if (!live) return;
        setReport(r);
        setOpenViolations(v.total);
        setTrend(months.map((m) => ({ month: m.period.label, points: m.index766.points, max: m.index766.maxPoints })));
      } catch (e) {
        if (live) setError(e);
      }
    })();
    return () => {
      live = false;
    };
  }, [shown]);

  // Today does not depend on the period shown: read once per visit.
  useEffect(() => {
    let live = true;
    apiRequest<TodayJson>('/api/oversight/today').then(
      (d) => live && setToday(d),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, []);

  const showDossiers = async (indicator: string) => {
    if (drill?.indicator === indicator) return setDrill(null);
    try {
      const r = await apiRequest<{ total: number; items: Drill['items'] }>(`/api/oversight/indicators/dossiers?period=${shown}&indicator=${indicator}&part=out&limit=100`);
      setDrill({ indicator, ...r });
    } catch (e) {
      setError(e);
    }
  };

  const rows = useMemo(() => (report ? INDICATOR_CODES.map((c) => report.index766.indicators[c]) : []), [report]);
  const chartSeries = useMemo(() => [{ name: t.pts, values: rows.map((r) => r.points) }], [rows, t.pts]);
  const trendSeries = useMemo(() => [{ name: t.pts, values: trend.map((m) => (m.max ? m.points : null)) }], [trend, t.pts]);
  const categories = useMemo(() => rows.map((r) => r.code), [rows]);
  const trendMonths = useMemo(() => trend.map((m) => m.month), [trend]);

  const drillList = (indicator: string) =>
    drill?.indicator === indicator ? (
      <div>
        <p>
          {t.outside}: {formatInteger(drill.total)}
        </p>
        {drill.items.length < drill.total ? <p>{t.newest(drill.items.length)}</p> : null}
        {drill.items.length ? (
          <ul className="oversight-list">
            {drill.items.map((d) => (
              <li key={d.id}>
                {d.code ?? d.id} — {d.procedure}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t.none}</p>
        )}
      </div>
    ) : null;

  return (
    <>
      <PageHeader title={t.title} lead={t.lead} meta={report ? t.asOf(formatDateTime(report.asOf)) : undefined} />
      <form
        className="oversight-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setShown(period);
        }}
      >
        <TextField label={t.period} type="month" value={period} onChange={(e) => setPeriod(e.target.value)} required />
        <Button type="submit">{t.show}</Button>
      </form>
      {error ? <ProblemAlert error={error} /> : null}
      {!report && !error ? <Spinner label={t.loading} /> : null}
      {report ? (
        <>
          <div className="oversight-grid">
            <div className="oversight-kpi">
              {t.total}
              <strong>
                {points(report.index766.points, lang)} / {points(report.index766.maxPoints, lang)}
              </strong>
            </div>
            <div className="oversight-kpi">
              {t.online}
              <strong>{percent(report.directive.onlineShare.rate, lang)}</strong>
            </div>
            <div className="oversight-kpi">
              {t.digitized}
              <strong>{percent(report.directive.inputsDigitizedAtReception.rate, lang)}</strong>
            </div>
            <div className="oversight-kpi">
              {t.violations}
              <strong>{openViolations === null ? '—' : formatInteger(openViolations)}</strong>
              <Link to={PATHS.violations}>{t.openRegister}</Link>
            </div>
          </div>

          {today ? (
            <section className="oversight-section" aria-labelledby="today">
              <h2 id="today">{t.today(formatDate(today.day))}</h2>
              <dl className="oversight-grid oversight-today">
                {(
                  [
                    [t.receivedOnline, today.receivedOnline],
                    [t.receivedCounter, today.receivedCounter],
                    [t.awaiting, today.awaitingReception],
                    [t.open, today.open],
                    [t.late, today.late],
                    [t.dueSoon, today.dueSoon],
                  ] as const
                ).map(([label, n]) => (
                  <div className="oversight-kpi" key={label}>
                    <dt>{label}</dt>
                    <dd>
                      <strong>{formatInteger(n)}</strong>
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          ) : null}

          <section className="oversight-section" aria-labelledby="index766">
            <h2 id="index766">{t.index}</h2>
            <p className="visually-hidden">{t.chartNote}</p>
            <Chart categories={categories} series={chartSeries} />
            <Table
              caption={`${t.index} — ${report.period.label}`}
              rowKey={(r) => r.code}
              rows={rows}
              columns={[
                { key: 'code', header: t.code, cell: (r) => r.code, rowHeader: true },
                { key: 'name', header: t.name, cell: (r) => INDICATOR_766_NAMES[r.code][lang] },
                { key: 'num', header: t.num, cell: (r) => formatInteger(r.numerator), numeric: true },
                { key: 'den', header: t.den, cell: (r) => formatInteger(r.denominator), numeric: true },
                { key: 'rate', header: t.rate, cell: (r) => percent(r.value, lang), numeric: true },
                { key: 'pts', header: t.pts, cell: (r) => points(r.points, lang), numeric: true },
                { key: 'max', header: t.max, cell: (r) => points(r.maxPoints, lang), numeric: true },
                {
                  key: 'dossiers',
                  header: t.dossiers,
                  cell: (r) => (
                    <>
                      <Button variant="link" aria-expanded={drill?.indicator === `766-${r.code}`} onClick={() => void showDossiers(`766-${r.code}`)}>
                        {drill?.indicator === `766-${r.code}` ? t.hideDossiers : t.showDossiers}
                      </Button>
                      {drillList(`766-${r.code}`)}
                    </>
                  ),
                },
              ]}
            />
          </section>

          <section className="oversight-section" aria-labelledby="directive">
            <h2 id="directive">{t.directive}</h2>
            <Table
              caption={`${t.directive} — ${report.period.label}`}
              rowKey={(r) => r.key}
              rows={[
                { key: 'directive-inputs', name: DIRECTIVE_INDICATOR_NAMES.inputsDigitizedAtReception[lang], r: report.directive.inputsDigitizedAtReception },
                { key: 'directive-results', name: DIRECTIVE_INDICATOR_NAMES.signedElectronicResults[lang], r: report.directive.signedElectronicResults },
                { key: 'directive-ereception', name: DIRECTIVE_INDICATOR_NAMES.processingStartedAtEReception[lang], r: report.directive.processingStartedAtEReception },
                { key: 'directive-online', name: DIRECTIVE_INDICATOR_NAMES.onlineShare[lang], r: report.directive.onlineShare },
              ]}
              columns={[
                { key: 'name', header: t.name, cell: (x) => x.name, rowHeader: true },
                { key: 'num', header: t.num, cell: (x) => formatInteger(x.r.numerator), numeric: true },
                { key: 'den', header: t.den, cell: (x) => formatInteger(x.r.denominator), numeric: true },
                { key: 'rate', header: t.rate, cell: (x) => percent(x.r.rate, lang), numeric: true },
                {
                  key: 'dossiers',
                  header: t.dossiers,
                  cell: (x) => (
                    <>
                      <Button variant="link" aria-expanded={drill?.indicator === x.key} onClick={() => void showDossiers(x.key)}>
                        {drill?.indicator === x.key ? t.hideDossiers : t.showDossiers}
                      </Button>
                      {drillList(x.key)}
                    </>
                  ),
                },
              ]}
            />
            <p>
              {DIRECTIVE_INDICATOR_NAMES.paperRequests[lang]}: <strong>{formatInteger(report.directive.paperRequests.refusedAttempts)}</strong>
            </p>
          </section>

          {report.groups?.items.length ? (
            <section className="oversight-section" aria-labelledby="by-agency">
              <h2 id="by-agency">{t.byAgency}</h2>
              <Table
                caption={`${t.byAgency} — ${report.period.label}`}
                rowKey={(g) => g.key}
                rows={report.groups.items}
                columns={[
                  { key: 'agency', header: t.agency, cell: (g) => g.name ?? g.key, rowHeader: true },
                  ...INDICATOR_CODES.map((c) => ({ key: c, header: c, cell: (g: (typeof report.groups.items)[number]) => percent(g.index766.indicators[c].value, lang), numeric: true })),
                  { key: 'pts', header: t.pts, cell: (g) => `${points(g.index766.points, lang)} / ${points(g.index766.maxPoints, lang)}`, numeric: true },
                ]}
              />
            </section>
          ) : null}

          <section className="oversight-section" aria-labelledby="trend">
            <h2 id="trend">{t.trend}</h2>
            <Chart categories={trendMonths} series={trendSeries} kind="line" />
            <Table
              caption={t.trend}
              rowKey={(m) => m.month}
              rows={trend}
              columns={[
                { key: 'month', header: t.month, cell: (m) => m.month, rowHeader: true },
                // A month without dossiers has nothing to score: a dash, not a zero.
                { key: 'pts', header: t.pts, cell: (m) => (m.max ? points(m.points, lang) : '—'), numeric: true },
                { key: 'max', header: t.max, cell: (m) => (m.max ? points(m.max, lang) : '—'), numeric: true },
              ]}
            />
          </section>
        </>
      ) : null}
    </>
  );
}
