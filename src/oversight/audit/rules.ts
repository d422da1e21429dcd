import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventContent {
  seq: number;
  at: Date;
  type: string;
  actorId: string | null;
  actorRole: string | null;
  agencyId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  data: Record<string, unknown>;
}

/** JSON with object keys sorted at every level, so the same content always hashes the same after a DB round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash_n = sha256(hash_{n-1} || canonical content_n). */
export function chainHash(prevHash: string, event: AuditEventContent): string {
  const content = canonicalJson({
    seq: event.seq,
    at: event.at.toISOString(),
    type: event.type,
    actorId: event.actorId,
    actorRole: event.actorRole,
    agencyId: event.agencyId,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    data: event.data,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}
