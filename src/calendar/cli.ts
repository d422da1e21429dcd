import type { CliCommand } from '../cli/command.ts';
import { parseFlags, UsageError } from '../cli/command.ts';
import type { CalendarConfig, Duration, Pause } from './rules.ts';
import { defaultCalendarConfig, dueDate, clockStart, yearCalendar } from './rules.ts';
import { dayToVn, formatInstant, formatInstantVn, isoToDay, localDay, parseHhmm, parseInstant, weekdayOfDay } from './time.ts';

const WEEKDAY_VN = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

const DUE_USAGE = `Usage: hoso calendar due --from ISO-8601 (--days N | --hours H) [--cutoff HH:MM|none] [--pause START/END]... [--json]

Prints the due instant of a deadline counted in working days or working hours of the Vietnamese civil service
(Asia/Ho_Chi_Minh, office hours 08:00–12:00 and 13:00–17:00, Saturday/Sunday, statutory holidays and the
Government's announced days off and make-up working days).

  --from ISO-8601   reception instant, e.g. 2026-02-12T10:00+07:00 (without an offset: Vietnamese time)
  --days N          whole working days (0 = within the working day of reception); keeps the time of day
  --hours H         working hours (decimals allowed, e.g. 1.5)
  --cutoff HH:MM    reception cut-off (default 15:00): later receptions count from the next working day's
                    opening; "none" disables it
  --pause S/E       clock stopped from S to E (ISO-8601 instants, e.g. waiting for a supplement); repeatable
  --json            print {"due": "<ISO-8601 with +07:00>"}

Convention and legal sources: docs/calendar.md. Exit 2 on bad input.`;

const YEAR_USAGE = `Usage: hoso calendar year YYYY [--json]

Lists the non-working days and the make-up working days of a year for the Vietnamese civil service.
Non-working days are the statutory holidays (Bộ luật Lao động 2019, Art. 112, lunar dates computed at UTC+7),
compensatory days (Art. 111(3)) and the Government's announced days off — including the Saturdays and Sundays
that belong to an announced break — but NOT the ordinary Saturdays and Sundays, which are always off unless
listed as make-up working days.

  --json   print {"nonWorking": ["YYYY-MM-DD", …], "makeUpWorking": ["YYYY-MM-DD", …]}

Exit 2 on bad input.`;

function configWithCutoff(cutoff: string | undefined): CalendarConfig {
  const cfg = defaultCalendarConfig();
  if (cutoff === undefined) return cfg;
  if (cutoff === 'none') return { ...cfg, cutoff: null };
  if (parseHhmm(cutoff) === null || cutoff === '24:00') throw new UsageError(`--cutoff must be HH:MM or "none", got "${cutoff}"`);
  return { ...cfg, cutoff };
}

function parsePause(text: string): Pause {
  const slash = text.indexOf('/');
  const start = slash > 0 ? parseInstant(text.slice(0, slash)) : null;
  const end = slash > 0 ? parseInstant(text.slice(slash + 1)) : null;
  if (!start || !end) throw new UsageError(`--pause must be START/END with ISO-8601 instants, got "${text}"`);
  if (end.getTime() < start.getTime()) throw new UsageError(`--pause ends before it starts: "${text}"`);
  return { start, end };
}

function parseDuration(days: string | undefined, hours: string | undefined): Duration {
  if ((days === undefined) === (hours === undefined)) throw new UsageError('give exactly one of --days N or --hours H');
  if (days !== undefined) {
    if (!/^\d+$/.test(days)) throw new UsageError(`--days must be a whole number ≥ 0, got "${days}"`);
    const n = Number(days);
    if (n > 10_000) throw new UsageError(`--days ${n} is out of range (at most 10000)`);
    return { days: n };
  }
  if (!/^\d+(\.\d+)?$/.test(hours!)) throw new UsageError(`--hours must be a number ≥ 0, got "${hours}"`);
  const h = Number(hours);
  if (h > 80_000) throw new UsageError(`--hours ${h} is out of range (at most 80000)`);
  return { hours: h };
}

function vnInstant(d: Date): string {
  return `${formatInstantVn(d)} (${WEEKDAY_VN[weekdayOfDay(localDay(d))]})`;
}

const due: CliCommand = {
  name: ['calendar', 'due'],
  summary: 'Due instant of N working days or H working hours from a reception instant',
  usage: DUE_USAGE,
  async run(argv, io) {
    const { flags, positionals } = parseFlags(argv, {
      string: ['from', 'days', 'hours', 'cutoff'],
      multiple: ['pause'],
      boolean: ['json'],
    });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const fromText = flags.from as string | undefined;
    if (fromText === undefined) throw new UsageError('--from is required');
    const from = parseInstant(fromText);
    if (!from) throw new UsageError(`--from must be an ISO-8601 date or date-time, got "${fromText}"`);
    const duration = parseDuration(flags.days as string | undefined, flags.hours as string | undefined);
    const cfg = configWithCutoff(flags.cutoff as string | undefined);
    const pauses = ((flags.pause as string[] | undefined) ?? []).map(parsePause);
    const result = dueDate(from, duration, cfg, { pauses });
    if (flags.json) {
      io.out(JSON.stringify({ due: formatInstant(result) }));
      return 0;
    }
    const amount = 'days' in duration ? `${duration.days} ngày làm việc` : `${duration.hours} giờ làm việc`;
    io.out(
      [
        `Tiếp nhận:      ${vnInstant(from)}`,
        `Bắt đầu tính:   ${vnInstant(clockStart(from, cfg))}`,
        `Thời hạn:       ${amount}${pauses.length ? ` (trừ ${pauses.length} khoảng tạm dừng)` : ''}`,
        `Hạn giải quyết: ${vnInstant(result)}`,
        `                ${formatInstant(result)}`,
      ].join('\n'),
    );
    return 0;
  },
};

const year: CliCommand = {
  name: ['calendar', 'year'],
  summary: 'Non-working days and make-up working days of a year (holidays, announced days off)',
  usage: YEAR_USAGE,
  async run(argv, io) {
    const { flags, positionals } = parseFlags(argv, { boolean: ['json'] });
    if (positionals.length !== 1) throw new UsageError('give exactly one year, e.g. hoso calendar year 2026');
    const text = positionals[0]!;
    if (!/^\d{4}$/.test(text) || Number(text) < 1900 || Number(text) > 2199) {
      throw new UsageError(`year must be YYYY between 1900 and 2199, got "${text}"`);
    }
    const y = yearCalendar(Number(text), defaultCalendarConfig());
    const listed = y.nonWorking.filter((d) => d.kind !== 'weekend');
    if (flags.json) {
      io.out(JSON.stringify({ nonWorking: listed.map((d) => d.date), makeUpWorking: y.makeUpWorking.map((d) => d.date) }));
      return 0;
    }
    const line = (date: string, reasons: string[]) => {
      const day = isoToDay(date)!;
      return `  ${dayToVn(day)}  ${WEEKDAY_VN[weekdayOfDay(day)]!.padEnd(8)}  ${reasons.join('; ')}`;
    };
    const lines = [
      `Lịch làm việc năm ${y.year} — cơ quan hành chính nhà nước (giờ Việt Nam, UTC+7)`,
      y.announced
        ? `Theo thông báo của Chính phủ: ${y.sources.join('; ')}`
        : y.note ?? 'Chưa có thông báo của Chính phủ cho năm này: chỉ áp dụng ngày nghỉ theo Bộ luật Lao động 2019.',
      '',
      `Ngày nghỉ (${listed.length}; ngoài các thứ Bảy, Chủ nhật thông thường):`,
      ...listed.map((d) => line(d.date, d.reasons)),
      '',
      `Ngày làm bù (${y.makeUpWorking.length}):`,
      ...(y.makeUpWorking.length ? y.makeUpWorking.map((d) => line(d.date, [d.reason])) : ['  (không có)']),
    ];
    io.out(lines.join('\n'));
    return 0;
  },
};

export const commands: CliCommand[] = [due, year];
