/**
 * The applicant's e-store (kho dữ liệu điện tử của tổ chức, cá nhân; R3 once-only): every result issued to a citizen
 * (CCCD) or business (MST), with its document type, issuer, validity and status. The applicant lists and downloads it
 * and a new dossier reuses an item with consent (basis REUSED, evidence pointing at the item and its origin);
 * officers see an item only through a dossier that references it.
 */
import type { Principal } from '../identity/access.ts';
import { appendAuditEvent } from '../oversight/audit/store.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db/db.ts';
import { defineError } from '../platform/http/problem.ts';
import { assessComponent, type ComponentRequirement, type OriginalEvidence, type ProvidedComponent } from '../documents/rules.ts';
import { getDocuments } from '../documents/store.ts';

export const EstoreErrors = {
  notFound: defineError('ESTORE_ITEM_NOT_FOUND', 404, { vi: 'Không tìm thấy tài liệu trong kho dữ liệu của bạn', en: 'No such item in your e-store' }),
  notUsable: defineError('ESTORE_ITEM_NOT_USABLE', 422, {
    vi: 'Tài liệu trong kho không còn hiệu lực hoặc không đúng loại giấy tờ của thành phần này',
    en: 'The stored document is no longer in force or is not the document type this component needs',
  }),
};

export interface EstoreRow {
  id: string;
  ownerSubjectId: string;
  ownerKind: 'citizen' | 'business';
  documentId: string;
  documentType: string | null;
  title: string;
  kind: 'result' | 'component';
  issuer: string | null;
  original: OriginalEvidence;
  sourceDossierId: string | null;
  sourceDossierCode: string | null;
  validFrom: Date;
  validUntil: Date | null;
  status: 'valid' | 'revoked' | 'superseded';
}

const SELECT = `SELECT e.*, d.code AS source_dossier_code FROM estore_item e LEFT JOIN dossier d ON d.id = e.source_dossier_id`;

function toRow(r: Record<string, unknown>): EstoreRow {
  return {
    id: r.id as string,
    ownerSubjectId: r.owner_subject_id as string,
    ownerKind: r.owner_kind as EstoreRow['ownerKind'],
    documentId: r.document_id as string,
    documentType: (r.document_type as string | null) ?? null,
    title: r.title as string,
    kind: r.kind as EstoreRow['kind'],
    issuer: (r.issuer as string | null) ?? null,
    original: (typeof r.original === 'string' ? JSON.parse(r.original) : r.original) as OriginalEvidence,
    sourceDossierId: (r.source_dossier_id as string | null) ?? null,
    sourceDossierCode: (r.source_dossier_code as string | null) ?? null,
    validFrom: new Date(r.valid_from as string),
    validUntil: r.valid_until ? new Date(r.valid_until as string) : null,
    status: r.status as EstoreRow['status'],
  };
}

/** In the caller's transaction: the result of a dossier enters its applicant's e-store (once per document). */
export async function addResult(
  q: Queryable,
  x: { ownerSubjectId: string; ownerKind: 'citizen' | 'business'; documentId: string; documentType: string | null; title: string; issuer: string; original: OriginalEvidence; dossierId: string | null; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO estore_item (owner_subject_id, owner_kind, document_id, document_type, title, kind, issuer, original, source_dossier_id, valid_from, status, created_at)
     VALUES ($1, $2, $3, $4, $5, 'result', $6, $7, $8, $9, 'valid', $9) ON CONFLICT (owner_subject_id, document_id) DO NOTHING`,
    [x.ownerSubjectId, x.ownerKind, x.documentId, x.documentType, x.title, x.issuer, JSON.stringify(x.original), x.dossierId, x.at],
  );
}

/** A component of a received dossier that the applicant's e-store keeps for reuse. */
export interface AcceptedComponent {
  componentKey: string;
  title: string;
  documentType: string;
  documentId: string;
  original: OriginalEvidence;
}

const STORABLE_BASES: ReadonlySet<string> = new Set(['DIGITIZED_SIGNED', 'ECOPY_FROM_REGISTER', 'E_CERTIFIED']);

/**
 * What the e-store keeps of a dossier's components (R3 once-only): each valid e-document of a type a later dossier
 * may ask for — scanned and signed at reception, an e-copy from the register, an e-certified copy. Self-declared
 * forms are the dossier's own statements, reused items are in the store already, exempt ones have no e-version.
 */
export function acceptedComponents(
  definitions: readonly { key: string; name: string; documentType?: string | null }[],
  requirements: readonly ComponentRequirement[],
  provided: Readonly<Record<string, ProvidedComponent | undefined>>,
): AcceptedComponent[] {
  const out: AcceptedComponent[] = [];
  for (const def of definitions) {
    const p = provided[def.key];
    const requirement = requirements.find((r) => r.key === def.key);
    if (!def.documentType || !p || !requirement || p.kind !== 'basis' || !STORABLE_BASES.has(p.basis)) continue;
    if (assessComponent(requirement, p).status !== 'valid') continue;
    const original = p as OriginalEvidence & { documentId: string };
    out.push({ componentKey: def.key, title: def.name, documentType: def.documentType, documentId: original.documentId, original });
  }
  return out;
}

/** In the caller's transaction: the accepted components of a dossier enter its applicant's e-store (once each). */
export async function addComponents(
  q: Queryable,
  x: { ownerSubjectId: string; ownerKind: 'citizen' | 'business'; dossierId: string; at: Date; components: readonly AcceptedComponent[] },
): Promise<number> {
  let added = 0;
  for (const c of x.components) {
    const r = await q.query(
      `INSERT INTO estore_item (owner_subject_id, owner_kind, document_id, document_type, title, kind, issuer, original, source_dossier_id, valid_from, status, created_at)
       VALUES ($1, $2, $3, $4, $5, 'component', NULL, $6, $7, $8, 'valid', $8) ON CONFLICT (owner_subject_id, document_id) DO NOTHING`,
      [x.ownerSubjectId, x.ownerKind, c.documentId, c.documentType, c.title, JSON.stringify(c.original), x.dossierId, x.at],
    );
    added += r.rowCount ?? 0;
  }
  return added;
}

export async function getItem(q: Queryable, id: string): Promise<EstoreRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const r = await q.query<Record<string, unknown>>(`${SELECT} WHERE e.id = $1`, [id]);
  return r.rows[0] ? toRow(r.rows[0]) : null;
}

/** In force at `now`: valid status and not past its validity period. */
export function usable(item: Pick<EstoreRow, 'status' | 'validUntil'>, now: Date): boolean {
  return item.status === 'valid' && (item.validUntil === null || item.validUntil.getTime() > now.getTime());
}

/**
 * The item a component of a new dossier reuses, checked: the applicant's own, in force, of the component's document
 * type when the component names one. Returns the rules' REUSED evidence.
 */
export async function reusableEvidence(
  q: Queryable,
  itemId: string,
  applicantSubjectId: string,
  documentType: string | null,
  now: Date,
): Promise<{ item: EstoreRow; evidence: { kind: 'basis'; basis: 'REUSED'; source: 'estore'; reference: string; original: OriginalEvidence } }> {
  const item = await getItem(q, itemId);
  if (!item || item.ownerSubjectId !== applicantSubjectId) throw EstoreErrors.notFound({ estoreItemId: itemId });
  if (!usable(item, now) || (documentType !== null && item.documentType !== documentType)) {
    throw EstoreErrors.notUsable({ estoreItemId: itemId, status: item.status, documentType: item.documentType, expected: documentType });
  }
  return { item, evidence: { kind: 'basis', basis: 'REUSED', source: 'estore', reference: item.id, original: item.original } };
}

export interface EstoreItemJson {
  id: string;
  documentId: string;
  documentType: string | null;
  title: string;
  /** A result issued to the applicant, or a component of one of their dossiers kept for reuse. */
  kind: 'result' | 'component';
  basis: string;
  issuer: string | null;
  issuedAt: string;
  validUntil: string | null;
  status: 'valid' | 'revoked' | 'superseded' | 'expired';
  sourceDossierCode: string | null;
}

function toJson(i: EstoreRow, now: Date): EstoreItemJson {
  const expired = i.status === 'valid' && i.validUntil !== null && i.validUntil.getTime() <= now.getTime();
  return {
    id: i.id,
    documentId: i.documentId,
    documentType: i.documentType,
    title: i.title,
    kind: i.kind,
    basis: i.original.basis,
    issuer: i.issuer,
    issuedAt: i.validFrom.toISOString(),
    validUntil: i.validUntil?.toISOString() ?? null,
    status: expired ? 'expired' : i.status,
    sourceDossierCode: i.sourceDossierCode,
  };
}

/** The caller's own e-store (citizens and businesses by their identifier), optionally of one document type; audited. */
export async function listMine(ctx: AppContext, principal: Principal, filter: { documentType?: string } = {}): Promise<EstoreItemJson[]> {
  if (!principal.subjectId) return [];
  const now = ctx.now();
  const r = await ctx.db.query<Record<string, unknown>>(
    `${SELECT} WHERE e.owner_subject_id = $1 AND ($2::text IS NULL OR e.document_type = $2) ORDER BY e.created_at DESC LIMIT 500`,
    [principal.subjectId, filter.documentType ?? null],
  );
  const items = r.rows.map(toRow);
  if (items.length) {
    await appendAuditEvent(ctx.db, {
      type: 'estore.read',
      at: now,
      actor: { userId: principal.userId, role: principal.role },
      agencyId: null,
      subjectType: 'estore',
      subjectId: principal.subjectId,
      data: { items: items.length, documentType: filter.documentType ?? null },
    });
  }
  return items.map((i) => toJson(i, now));
}

/** The bytes of one of the caller's items (the issued document as signed); audited. */
export async function readMine(ctx: AppContext, principal: Principal, itemId: string): Promise<{ bytes: Uint8Array; mediaType: string; sha256: string }> {
  const item = await getItem(ctx.db, itemId);
  if (!item || !principal.subjectId || item.ownerSubjectId !== principal.subjectId) throw EstoreErrors.notFound({ estoreItemId: itemId });
  const doc = (await getDocuments(ctx.db, [item.documentId])).get(item.documentId)!;
  await appendAuditEvent(ctx.db, {
    type: 'document.read',
    at: ctx.now(),
    actor: { userId: principal.userId, role: principal.role },
    agencyId: null,
    subjectType: 'document',
    subjectId: item.documentId,
    data: { estoreItemId: item.id, view: 'estore' },
  });
  const sha = doc.signedSha256 ?? doc.sha256;
  return { bytes: await ctx.blobs.get(sha), mediaType: doc.mediaType, sha256: sha };
}
