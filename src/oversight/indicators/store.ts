/**
 * Reads the per-dossier facts the indicator formulas need, from the records the other rooms write: the dossier row
 * and its rules state, its history (`dossier_event`), its components' bases, and the receiving agency. Read-only.
 */
import type { Queryable } from '../../platform/db/db.ts';
import type { Period } from './rules.ts';

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

export interface FactsFilter {
  /** Agency codes of the receiving units to include (null = all). */
  agencyCodes?: readonly string[] | null;
  procedureKey?: string | null;
}

/**
 * Dossiers that matter for `period`: received before its end, and not closed before its start (the formulas decide
 * the rest). One pass over the dossier table with per-dossier aggregates of events and components.
 */
export async function loadFacts(q: Queryable, period: Period, filter: FactsFilter = {}): Promise<FactsRow[]> {
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
                array_agg(ev.at ORDER BY ev.at) FILTER (WHERE ev.type = 'supplement_requested') AS supplement_requests,
                max(ev.at) AS last_at
           FROM dossier_event ev WHERE ev.dossier_id = d.id) e ON true
       LEFT JOIN LATERAL (
         SELECT array_agg(coalesce(dc.basis, 'EXEMPT') ORDER BY dc.component_key) AS bases
           FROM dossier_component dc WHERE dc.dossier_id = d.id) c ON true
      WHERE d.received_at IS NOT NULL AND d.received_at < $2
        AND (e.last_at IS NULL OR e.last_at >= $1 OR d.status NOT IN ('processed', 'result_returned', 'stopped', 'withdrawn', 'not_received'))
        AND ($3::text[] IS NULL OR ra.code = ANY($3::text[]))
        AND ($4::text IS NULL OR p.key = $4)
      ORDER BY d.received_at, d.id`,
    [period.from, period.to, filter.agencyCodes ? [...filter.agencyCodes] : null, filter.procedureKey ?? null],
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
