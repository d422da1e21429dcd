/**
 * The indicators' storage. Reads the per-dossier facts the formulas need from the records the other rooms write (the
 * dossier row and its rules state, its history, its components' bases, the receiving agency; read-only), keeps one
 * judged row per dossier (`dossier_indicator_fact`, derived again whenever a trigger marks it stale) and counts a
 * period over those rows.
 */
import type { Queryable } from '../../platform/db/db.ts';
import { addTallies, emptyTallies, lastInstant, SETS, type Dimension, type DrillPart, type IndicatorSet, type JudgedDossier, type Period, type Tallies } from './rules.ts';

export interface FactsRow {
  id: string;
  code: string | null;
  agencyCode: string;
  /** The commune/ward of the receiving unit (itself, or its parent), null above commune level. */
  communeCode: string | null;
  procedureKey: string;
  channel: 'online' | 'counter';
  receivedAt: Date | null;
  state: Record<string, unknown>;
  processedAt: Date | null;
  returnedAt: Date | null;
  stoppedAt: Date | null;
  withdrawnAt: Date | null;
  supplementRequests: Date[];
  bases: string[];
  /** The result document named by the rules' state is a PDF the system issued (signed by the agency). */
  electronicResult: boolean;
  /** The applicant's rating after delivery (1–5), if given. */
  rating: number | null;
  /** A citizen's report about the dossier (e.g. asked for paper) was investigated and confirmed. */
  complaint: boolean;
}

interface Raw {
  id: string;
  code: string | null;
  agency_code: string;
  commune_code: string | null;
  procedure_key: string;
  channel: 'online' | 'counter';
  received_at: Date | string | null;
  state: Record<string, unknown>;
  processed_at: Date | string | null;
  returned_at: Date | string | null;
  stopped_at: Date | string | null;
  withdrawn_at: Date | string | null;
  supplement_requests: (Date | string)[] | null;
  bases: string[] | null;
  electronic_result: boolean;
  rating: number | null;
  complaint: boolean;
}

const t = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

/** The facts of the dossiers named (received ones only; the others have none). */
export async function loadFactsOf(q: Queryable, dossierIds: readonly string[]): Promise<FactsRow[]> {
  if (!dossierIds.length) return [];
  const r = await q.query<Raw>(
    `SELECT d.id, d.code, ra.code AS agency_code,
            CASE WHEN ra.kind = 'commune' THEN ra.code WHEN pa.kind = 'commune' THEN pa.code END AS commune_code,
            p.key AS procedure_key, d.channel, d.received_at, d.state,
            e.processed_at, e.returned_at, e.stopped_at, e.withdrawn_at, e.supplement_requests, c.bases,
            EXISTS (SELECT 1 FROM document doc WHERE doc.id::text = d.state -> 'result' ->> 'documentId'
                      AND doc.origin = 'issued' AND doc.media_type = 'application/pdf') AS electronic_result,
            (SELECT rt.rating FROM dossier_rating rt WHERE rt.dossier_id = d.id) AS rating,
            EXISTS (SELECT 1 FROM violation v WHERE v.dossier_id = d.id AND v.source = 'citizen_report' AND v.finding = 'confirmed') AS complaint
       FROM dossier d
       JOIN agency ra ON ra.id = d.receiving_agency_id
       LEFT JOIN agency pa ON pa.id = ra.parent_id
       JOIN procedure p ON p.id = d.procedure_id
       LEFT JOIN LATERAL (
         SELECT min(ev.at) FILTER (WHERE ev.type = 'processed') AS processed_at,
                min(ev.at) FILTER (WHERE ev.type = 'result_returned') AS returned_at,
                min(ev.at) FILTER (WHERE ev.type = 'stopped') AS stopped_at,
                min(ev.at) FILTER (WHERE ev.type = 'withdrawn') AS withdrawn_at,
                array_agg(ev.at ORDER BY ev.at) FILTER (WHERE ev.type = 'supplement_requested') AS supplement_requests
           FROM dossier_event ev WHERE ev.dossier_id = d.id) e ON true
       LEFT JOIN LATERAL (
         SELECT array_agg(coalesce(dc.basis, 'EXEMPT') ORDER BY dc.component_key) AS bases
           FROM dossier_component dc WHERE dc.dossier_id = d.id) c ON true
      WHERE d.id = ANY($1::uuid[]) AND d.received_at IS NOT NULL`,
    [[...dossierIds]],
  );
  return r.rows.map((x) => ({
    id: x.id,
    code: x.code,
    agencyCode: x.agency_code,
    communeCode: x.commune_code,
    procedureKey: x.procedure_key,
    channel: x.channel,
    receivedAt: t(x.received_at),
    state: x.state,
    processedAt: t(x.processed_at),
    returnedAt: t(x.returned_at),
    stoppedAt: t(x.stopped_at),
    withdrawnAt: t(x.withdrawn_at),
    supplementRequests: (x.supplement_requests ?? []).map((v) => new Date(v)),
    bases: x.bases ?? [],
    electronicResult: x.electronic_result,
    rating: x.rating,
    complaint: x.complaint,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Fact rows (dossier_indicator_fact) and their staleness marks

/**
 * Takes up to `limit` dossiers marked stale since their row was derived; the marks go with the caller's
 * transaction. Marks another process is deriving are skipped (its transaction will write their rows).
 */
export async function claimStale(q: Queryable, limit: number): Promise<string[]> {
  const r = await q.query<{ dossier_id: string }>(
    `DELETE FROM dossier_indicator_stale WHERE dossier_id IN (
       SELECT dossier_id FROM dossier_indicator_stale LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING dossier_id`,
    [limit],
  );
  return r.rows.map((x) => x.dossier_id);
}

export async function countStale(q: Queryable): Promise<number> {
  const r = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM dossier_indicator_stale');
  return r.rows[0]?.n ?? 0;
}

/**
 * Replaces the rows of `dossierIds` with `rows` (a dossier without a row, e.g. not received, ends with none), and
 * moves the kept counts of periods by the difference. Runs inside the caller's transaction: the lock makes
 * writers of fact rows take turns with each other and with `buildRollup`, so no kept count misses a change.
 */
export async function replaceFacts(q: Queryable, dossierIds: readonly string[], rows: readonly (JudgedDossier & { code: string | null })[], at: Date): Promise<void> {
  await q.query('LOCK TABLE dossier_indicator_fact IN SHARE ROW EXCLUSIVE MODE');
  const ids = [...dossierIds];
  await moveRollups(q, ids, -1);
  await q.query('DELETE FROM dossier_indicator_fact WHERE dossier_id = ANY($1::uuid[])', [ids]);
  if (!rows.length) return;
  const col = <T>(f: (r: JudgedDossier & { code: string | null }) => T) => rows.map(f);
  const iso = (v: Date | null) => (v === null ? null : v.toISOString());
  await q.query(
    `INSERT INTO dossier_indicator_fact (dossier_id, code, agency_code, commune_code, procedure_key, channel, received_at, processed_at,
       withdrawn_at, handling_end, late_from, due_soon_at, components_real, components_e, reused, fully_digitized, electronic_result, complaint, span, refreshed_at)
     SELECT u.id, u.code, u.agency, u.commune, u.procedure, u.channel, u.received, u.processed, u.withdrawn, u.handling_end, u.late_from, u.due_soon,
            u.real, u.e, u.reused, u.digitized, u.eresult, u.complaint,
            tstzrange(u.received, CASE WHEN u.handling_end IS NULL AND u.withdrawn IS NULL THEN NULL
                                       ELSE greatest(u.received, u.handling_end, u.processed, u.withdrawn) END, '[]'),
            $19
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[],
                   $10::timestamptz[], $11::timestamptz[], $12::int[], $13::int[], $14::boolean[], $15::boolean[], $16::boolean[], $17::boolean[], $18::timestamptz[])
         AS u(id, code, agency, commune, procedure, channel, received, processed, withdrawn, handling_end, late_from, real, e, reused, digitized, eresult, complaint, due_soon)`,
    [
      col((r) => r.id),
      col((r) => r.code),
      col((r) => r.agency),
      col((r) => r.commune),
      col((r) => r.procedure),
      col((r) => r.channel),
      col((r) => iso(r.receivedAt)),
      col((r) => iso(r.processedAt)),
      col((r) => iso(r.withdrawnAt)),
      col((r) => iso(r.handlingEnd)),
      col((r) => iso(r.lateFrom)),
      col((r) => r.componentsReal),
      col((r) => r.componentsElectronic),
      col((r) => r.reused),
      col((r) => r.fullyDigitized),
      col((r) => r.electronicResult),
      col((r) => r.complaint),
      col((r) => iso(r.dueSoonAt)),
      at,
    ],
  );
  await moveRollups(q, ids, 1);
}

// ---------------------------------------------------------------------------------------------------------------
// A period's counts over the fact rows

/**
 * Each set of `rules.ts` (SETS) as a predicate over a fact row `f`, the period's start, end (exclusive) and instant
 * of judgement given as SQL expressions. store.test.ts holds these to `membership` on the hand-computed fixture.
 */
function setSql(b: { from: string; to: string; asOf: string }): Readonly<Record<IndicatorSet, string>> {
  const received = `f.received_at >= ${b.from} AND f.received_at < ${b.to}`;
  const handled = `f.received_at < ${b.to} AND (f.withdrawn_at IS NULL OR f.withdrawn_at >= ${b.to}) AND (f.handling_end IS NULL OR f.handling_end >= ${b.from})`;
  const onTime = `${handled} AND (f.late_from IS NULL OR ${b.asOf} <= f.late_from)`;
  const resulted = `f.processed_at >= ${b.from} AND f.processed_at < ${b.to}`;
  return Object.freeze({
    received,
    online: `${received} AND f.channel = 'online'`,
    counter: `${received} AND f.channel = 'counter'`,
    counterComplete: `${received} AND f.channel = 'counter' AND f.components_e = f.components_real`,
    reused: `${received} AND f.reused`,
    eReception: `${received} AND f.fully_digitized`,
    handled,
    onTime,
    complaint: `${handled} AND f.complaint`,
    satisfied: `${onTime} AND NOT f.complaint`,
    resulted,
    electronicResult: `${resulted} AND f.electronic_result`,
    digitizedResult: `${resulted} AND f.electronic_result AND f.fully_digitized`,
  });
}

/** The sets for one period given as parameters $1 (start), $2 (end) and $3 (instant of judgement, `j.as_of`). */
export const SET_SQL = setSql({ from: '$1', to: '$2', asOf: 'j.as_of' });

/** The counts of a `Tallies`, each a column of `indicator_rollup` (snake_case of the key). */
const TALLY_KEYS = Object.keys(emptyTallies()) as (keyof Tallies)[];
const column = (k: keyof Tallies) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const COLUMNS = TALLY_KEYS.map(column).join(', ');

/** Select expressions counting a `Tallies` over the fact rows `f` (each aliased by its column), times `sign`. */
function countsSql(sets: Readonly<Record<IndicatorSet, string>>, sign = ''): string {
  return [
    ...SETS.map((s) => `${sign}count(*) FILTER (WHERE ${sets[s]})::int AS ${column(s)}`),
    `${sign}coalesce(sum(f.components_real) FILTER (WHERE ${sets.counter}), 0)::int AS counter_components`,
    `${sign}coalesce(sum(f.components_e) FILTER (WHERE ${sets.counter}), 0)::int AS counter_components_electronic`,
  ].join(',\n       ');
}

function readTallies(row: Record<string, unknown>): Tallies {
  const t = emptyTallies();
  for (const k of TALLY_KEYS) t[k] = Number(row[column(k)] ?? 0);
  return t;
}

export interface FactsFilter {
  /** Agency codes of the receiving units to include (null = all). */
  agencyCodes?: readonly string[] | null;
  procedureKey?: string | null;
  communeCode?: string | null;
}

const DIMENSION_COLUMN: Readonly<Record<Dimension, string>> = Object.freeze({ agency: 'f.agency_code', commune: 'f.commune_code', procedure: 'f.procedure_key' });

/** The filter as conditions on `f` with parameters $n (agencies), $n+1 (procedure), $n+2 (commune): `filterParams`. */
const filterSql = (n: number) => `($${n}::text[] IS NULL OR f.agency_code = ANY($${n}::text[]))
    AND ($${n + 1}::text IS NULL OR f.procedure_key = $${n + 1})
    AND ($${n + 2}::text IS NULL OR f.commune_code = $${n + 2})`;
const filterParams = (filter: FactsFilter) => [filter.agencyCodes ? [...filter.agencyCodes] : null, filter.procedureKey ?? null, filter.communeCode ?? null];

/** Rows that can count for the period (their span overlaps it) within the filter; parameters $1–$6 (`periodParams`). */
const PERIOD_ROWS = `FROM dossier_indicator_fact f, (SELECT $3::timestamptz AS as_of) j
  WHERE f.span && tstzrange($1::timestamptz, $2::timestamptz, '[)') AND ${filterSql(4)}`;

const periodParams = (p: Period, asOf: Date, filter: FactsFilter) => [p.from, p.to, asOf, ...filterParams(filter)];

type Grouped = { key: string | null; tallies: Tallies }[];

/** `GROUP BY` of the overall row and, with a dimension, one row per key; `key` null = the whole selection. */
function groupingSql(dim: string | null): { select: string; groupBy: string } {
  return dim
    ? { select: `CASE WHEN GROUPING(${dim}) = 0 THEN ${dim} END AS key, GROUPING(${dim}) AS overall`, groupBy: `GROUP BY GROUPING SETS ((), (${dim}))` }
    : { select: 'NULL::text AS key, 1 AS overall', groupBy: '' };
}

function readGrouped(rows: Record<string, unknown>[]): Grouped {
  const out: Grouped = [];
  for (const row of rows) {
    const t = readTallies(row);
    if (Number(row.overall) === 1) out.push({ key: null, tallies: t });
    // The commune breakdown leaves out units above commune level (their key is null), as `groupBy` does, and a
    // group none of whose dossiers counts for anything in the period is left out.
    else if (row.key !== null && Object.values(t).some((n) => n !== 0)) out.push({ key: String(row.key), tallies: t });
  }
  return out; // the empty grouping set (or the plain aggregate) always gives the overall row
}

/**
 * The period's counts overall and, with a dimension, per agency, commune/ward or procedure, in one pass over the
 * rows whose span overlaps the period (GiST index). `key` null = the whole selection.
 */
export async function tallies(q: Queryable, p: Period, asOf: Date, filter: FactsFilter, dimension: Dimension | null): Promise<Grouped> {
  const g = groupingSql(dimension ? DIMENSION_COLUMN[dimension] : null);
  const r = await q.query<Record<string, unknown>>(`SELECT ${g.select}, ${countsSql(SET_SQL)} ${PERIOD_ROWS} ${g.groupBy}`, periodParams(p, asOf, filter));
  return readGrouped(r.rows);
}

// ---------------------------------------------------------------------------------------------------------------
// Kept counts of periods (indicator_rollup)

/** The sets of each kept period `rp` (its bounds and instant of judgement are columns). */
const ROLLUP_SET_SQL = setSql({ from: 'rp.period_from', to: 'rp.period_to', asOf: 'rp.as_of' });
const GROUP_COLUMNS = 'agency_code, commune_code, procedure_key';

export async function hasRollup(q: Queryable, p: Period): Promise<boolean> {
  const r = await q.query('SELECT 1 FROM indicator_rollup_period WHERE period_from = $1 AND period_to = $2', [p.from, p.to]);
  return r.rows.length > 0;
}

/**
 * Counts a period from the fact rows once, judged at its last instant, and keeps the counts per agency ×
 * commune/ward × procedure. Runs inside the caller's transaction. False when it was already kept.
 */
export async function buildRollup(q: Queryable, p: Period, at: Date): Promise<boolean> {
  await q.query('LOCK TABLE dossier_indicator_fact IN SHARE MODE');
  const added = await q.query(
    `INSERT INTO indicator_rollup_period (period_from, period_to, as_of, built_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1`,
    [p.from, p.to, lastInstant(p), at],
  );
  if (!added.rows.length) return false;
  await q.query(
    `INSERT INTO indicator_rollup (period_from, period_to, ${GROUP_COLUMNS}, ${COLUMNS})
     SELECT $1, $2, f.agency_code, f.commune_code, f.procedure_key, ${countsSql(SET_SQL)} ${PERIOD_ROWS}
      GROUP BY f.agency_code, f.commune_code, f.procedure_key`,
    periodParams(p, lastInstant(p), {}),
  );
  return true;
}

/**
 * Adds (`sign` 1) or subtracts (-1) the current fact rows of `dossierIds` to or from the kept counts of every
 * period their span overlaps. Groups are taken in one order so concurrent writers cannot deadlock.
 */
async function moveRollups(q: Queryable, dossierIds: string[], sign: 1 | -1): Promise<void> {
  const set = TALLY_KEYS.map((k) => `${column(k)} = indicator_rollup.${column(k)} + excluded.${column(k)}`).join(', ');
  await q.query(
    `INSERT INTO indicator_rollup AS indicator_rollup (period_from, period_to, ${GROUP_COLUMNS}, ${COLUMNS})
     SELECT rp.period_from, rp.period_to, f.agency_code, f.commune_code, f.procedure_key, ${countsSql(ROLLUP_SET_SQL, sign < 0 ? '-' : '')}
       FROM dossier_indicator_fact f JOIN indicator_rollup_period rp ON f.span && tstzrange(rp.period_from, rp.period_to, '[)')
      WHERE f.dossier_id = ANY($1::uuid[])
      GROUP BY rp.period_from, rp.period_to, f.agency_code, f.commune_code, f.procedure_key
      ORDER BY rp.period_from, rp.period_to, f.agency_code, f.commune_code, f.procedure_key
     ON CONFLICT (period_from, period_to, ${GROUP_COLUMNS}) DO UPDATE SET ${set}`,
    [dossierIds],
  );
}

/**
 * A kept period's counts judged at `asOf`, as `tallies` gives them from the rows (the same filter and breakdown).
 * Only on time depends on the instant: before the period's last instant, the dossiers that become late between
 * `asOf` and the end (`late_from` in between, in practice open ones) are still on time, so they are counted over
 * the `late_from` index and added back.
 */
export async function keptTallies(q: Queryable, p: Period, asOf: Date, filter: FactsFilter, dimension: Dimension | null): Promise<Grouped> {
  const g = groupingSql(dimension ? DIMENSION_COLUMN[dimension] : null);
  const sums = TALLY_KEYS.map((k) => `coalesce(sum(f.${column(k)}), 0)::int AS ${column(k)}`).join(', ');
  const kept = await q.query<Record<string, unknown>>(
    `SELECT ${g.select}, ${sums}
       FROM indicator_rollup f
      WHERE f.period_from = $1 AND f.period_to = $2 AND ${filterSql(3)}
      ${g.groupBy}`,
    [p.from, p.to, ...filterParams(filter)],
  );
  const out = readGrouped(kept.rows);
  if (asOf.getTime() >= lastInstant(p).getTime()) return out;
  const early = await q.query<Record<string, unknown>>(
    `SELECT ${g.select}, count(*)::int AS on_time, count(*) FILTER (WHERE NOT f.complaint)::int AS satisfied
       FROM dossier_indicator_fact f, (SELECT $3::timestamptz AS as_of) j
      WHERE f.late_from >= $3 AND f.late_from < $7 AND (${SET_SQL.handled}) AND ${filterSql(4)}
      ${g.groupBy}`,
    [...periodParams(p, asOf, filter), lastInstant(p)],
  );
  const add = new Map(readGrouped(early.rows).map((r) => [r.key, r.tallies]));
  return out.map((r) => (add.has(r.key) ? { key: r.key, tallies: addTallies(r.tallies, add.get(r.key)!) } : r));
}

export interface DrillRow {
  id: string;
  code: string | null;
  procedure: string;
  agency: string;
  channel: string;
  receivedAt: string;
}

const drillWhere = (sets: { all: IndicatorSet; in: IndicatorSet }, part: DrillPart) =>
  `(${SET_SQL[sets.all]})${part === 'all' ? '' : part === 'in' ? ` AND (${SET_SQL[sets.in]})` : ` AND NOT (${SET_SQL[sets.in]})`}`;

/**
 * A page of the dossiers behind one number, newest reception first: walking the reception index back from the
 * period's end finds a page among the period's own dossiers at once, however many rows the table holds (every set
 * implies reception before the end, and membership needs no span test).
 */
export async function drillPage(
  q: Queryable,
  p: Period,
  asOf: Date,
  filter: FactsFilter,
  sets: { all: IndicatorSet; in: IndicatorSet },
  part: DrillPart,
  page: { limit: number; offset: number },
): Promise<DrillRow[]> {
  const r = await q.query<{ dossier_id: string; code: string | null; procedure_key: string; agency_code: string; channel: string; received_at: Date | string }>(
    `SELECT f.dossier_id, f.code, f.procedure_key, f.agency_code, f.channel, f.received_at
       FROM dossier_indicator_fact f, (SELECT $3::timestamptz AS as_of) j
      WHERE f.received_at < $2 AND ${filterSql(4)} AND ${drillWhere(sets, part)}
      ORDER BY f.received_at DESC, f.dossier_id DESC LIMIT $7 OFFSET $8`,
    [...periodParams(p, asOf, filter), page.limit, page.offset],
  );
  return r.rows.map((x) => ({ id: x.dossier_id, code: x.code, procedure: x.procedure_key, agency: x.agency_code, channel: x.channel, receivedAt: new Date(x.received_at).toISOString() }));
}

/** R3 attempts the system refused and recorded (`violation_attempt`) in the period, within the agencies given. */
export async function countRefusedPaperAttempts(q: Queryable, period: Period, agencyCodes: readonly string[] | null): Promise<number> {
  const r = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM violation_attempt v LEFT JOIN agency a ON a.id = v.agency_id
      WHERE v.at >= $1 AND v.at < $2 AND ($3::text[] IS NULL OR a.code = ANY($3::text[]))`,
    [period.from, period.to, agencyCodes ? [...agencyCodes] : null],
  );
  return r.rows[0]?.n ?? 0;
}

export async function agencyNames(q: Queryable, codes: readonly string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const r = await q.query<{ code: string; name: string }>('SELECT code, name FROM agency WHERE code = ANY($1::text[])', [[...codes]]);
  return new Map(r.rows.map((x) => [x.code, x.name]));
}

export interface TodayCounts {
  receivedOnline: number;
  receivedCounter: number;
  awaitingReception: number;
  open: number;
  late: number;
  dueSoon: number;
}

/**
 * The dashboard's day: dossiers received since `dayStart` by channel, online submissions waiting for the counter,
 * and the dossiers whose clock is running or stopped, late or due soon at `now` (judged as 766 2.1 does).
 */
export async function todayCounts(q: Queryable, dayStart: Date, now: Date): Promise<TodayCounts> {
  const intake = await q.query<{ online: number; counter: number }>(
    `SELECT count(*) FILTER (WHERE f.channel = 'online')::int AS online, count(*) FILTER (WHERE f.channel = 'counter')::int AS counter
       FROM dossier_indicator_fact f WHERE f.span && tstzrange($1::timestamptz, $2::timestamptz, '[]') AND f.received_at >= $1 AND f.received_at <= $2`,
    [dayStart, now],
  );
  const open = await q.query<{ open: number; late: number; soon: number }>(
    `SELECT count(*)::int AS open, count(*) FILTER (WHERE $1::timestamptz > f.late_from)::int AS late,
            count(*) FILTER (WHERE f.due_soon_at <= $1::timestamptz AND NOT coalesce($1::timestamptz > f.late_from, false))::int AS soon
       FROM dossier_indicator_fact f WHERE f.handling_end IS NULL AND f.withdrawn_at IS NULL`,
    [now],
  );
  const waiting = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossier WHERE status = 'new'`);
  return {
    receivedOnline: intake.rows[0]?.online ?? 0,
    receivedCounter: intake.rows[0]?.counter ?? 0,
    awaitingReception: waiting.rows[0]?.n ?? 0,
    open: open.rows[0]?.open ?? 0,
    late: open.rows[0]?.late ?? 0,
    dueSoon: open.rows[0]?.soon ?? 0,
  };
}
