/**
 * HTTP API of the working-day calendar: a year's non-working and make-up days (public), the due instant of a
 * deadline (public), and the administrator's maintenance of a year's announcement (audited, R8).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appendAuditEvent } from '../oversight/audit/store.ts';
import type { AppContext } from '../platform/context.ts';
import { defineError } from '../platform/http/problem.ts';
import { dueDate, validateCalendarData, yearCalendar, type Duration, type YearSchedule } from './rules.ts';
import { isYearStored, loadCalendarConfig, loadCalendarData, saveYearSchedule } from './store.ts';
import { formatInstant, parseInstant } from './time.ts';

export const CalendarErrors = {
  invalid: defineError('CALENDAR_INVALID', 422, { vi: 'Dữ liệu lịch không hợp lệ', en: 'The calendar data is not valid' }),
  badQuery: defineError('CALENDAR_BAD_QUERY', 400, { vi: 'Tham số tính hạn không hợp lệ', en: 'Invalid deadline parameters' }),
};

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Entry = Type.Object(
  { date: IsoDate, reason: Type.String({ minLength: 1, maxLength: 500 }), source: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
const YearScheduleSchema = Type.Object(
  {
    year: Type.Integer({ minimum: 1900, maximum: 2199 }),
    announced: Type.Boolean(),
    sources: Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), { maxItems: 20 }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    tetDays: Type.Optional(Type.Array(IsoDate, { minItems: 5, maxItems: 5 })),
    nationalDayAdjacent: Type.Optional(IsoDate),
    daysOff: Type.Array(Entry, { maxItems: 200 }),
    makeUpWorkingDays: Type.Array(Entry, { maxItems: 100 }),
  },
  { additionalProperties: false },
);
const Year = Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2199 }) });

export const calendarRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (fastify, { ctx }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/calendar/years/:year',
    { config: { access: { public: true } }, schema: { tags: ['calendar'], summary: "A year's non-working days and make-up working days", params: Year } },
    async (request) => {
      const { year } = request.params;
      const cfg = await loadCalendarConfig(ctx.db);
      const schedule: YearSchedule = cfg.data.years.find((y) => y.year === year) ?? {
        year,
        announced: false,
        sources: [],
        daysOff: [],
        makeUpWorkingDays: [],
      };
      return { calendar: yearCalendar(year, cfg), schedule, stored: await isYearStored(ctx.db, year) };
    },
  );

  app.get(
    '/api/calendar/due',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['calendar'],
        summary: 'Due instant of N working days or H working hours from a reception instant',
        querystring: Type.Object({
          from: Type.String({ maxLength: 40, description: 'ISO-8601; without an offset, Vietnamese time' }),
          days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
          hours: Type.Optional(Type.Number({ minimum: 0, maximum: 100000 })),
          cutoff: Type.Optional(Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|none)$' })),
        }),
      },
    },
    async (request) => {
      const { from, days, hours, cutoff } = request.query;
      const at = parseInstant(from);
      if (!at) throw CalendarErrors.badQuery({ errors: [{ path: 'querystring/from', message: 'not an ISO-8601 instant' }] });
      if ((days === undefined) === (hours === undefined)) {
        throw CalendarErrors.badQuery({ errors: [{ path: 'querystring', message: 'give exactly one of days or hours' }] });
      }
      const duration: Duration = days !== undefined ? { days } : { hours: hours! };
      const cfg = await loadCalendarConfig(ctx.db, cutoff === undefined ? {} : { cutoff: cutoff === 'none' ? null : cutoff });
      return { due: formatInstant(dueDate(at, duration, cfg)) };
    },
  );

  app.put(
    '/api/admin/calendar/years/:year',
    {
      config: { access: { roles: ['admin'] }, scope: 'none' },
      schema: { tags: ['calendar-admin'], summary: "Save a year's announced days off and make-up working days", params: Year, body: YearScheduleSchema },
    },
    async (request) => {
      const schedule = request.body as YearSchedule;
      if (schedule.year !== request.params.year) {
        throw CalendarErrors.invalid({ issues: [{ path: '/year', reason: `the body is for ${schedule.year}, the address for ${request.params.year}` }] });
      }
      const issues = validateCalendarData({ years: [schedule] });
      if (issues.length) {
        // The rules name paths like `years[0].daysOff[2].date`; report them against the body.
        throw CalendarErrors.invalid({ issues: issues.map((i) => ({ path: `/${i.path.replace(/^years\[0\]\.?/, '').replace(/\[(\d+)\]/g, '/$1').replace(/\./g, '/')}`, reason: i.reason })) });
      }
      const p = request.principal;
      await ctx.db.tx(async (q) => {
        const before = (await loadCalendarData(q)).years.find((y) => y.year === schedule.year) ?? null;
        const now = ctx.now();
        await saveYearSchedule(q, schedule, now);
        await appendAuditEvent(q, {
          type: 'calendar.year.updated',
          at: now,
          actor: p ? { userId: p.userId, role: p.role } : null,
          subjectType: 'calendar_year',
          subjectId: String(schedule.year),
          data: { before, after: schedule },
        });
      });
      const cfg = await loadCalendarConfig(ctx.db);
      return { calendar: yearCalendar(schedule.year, cfg), schedule, stored: true };
    },
  );
};
