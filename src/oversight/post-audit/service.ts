/**
 * Post-audit use cases: draw a day's sample (once, seeded from the audit chain so nobody chooses the seed),
 * re-draw it from the record to prove the sample is what the procedure gives, and the inspectors' queue.
 */
import type { Principal } from '../../identity/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { defineError } from '../../platform/http/problem.ts';
import { VN_OFFSET_MS, DAY_MS } from '../../calendar/time.ts';
import { appendAuditEvent } from '../audit/store.ts';
import { drawSample, drawSeed } from './rules.ts';
import * as store from './store.ts';

export const PostAuditErrors = {
  badDay: defineError('POST_AUDIT_DAY_INVALID', 400, { vi: 'Ngày không hợp lệ (dạng 2026-03-10)', en: 'Invalid day (use 2026-03-10)' }),
  dayNotOver: defineError('POST_AUDIT_DAY_NOT_OVER', 409, {
    vi: 'Chỉ chọn mẫu hậu kiểm cho ngày đã kết thúc',
    en: 'A post-audit sample is drawn only for a day that has ended',
  }),
  alreadyDrawn: defineError('POST_AUDIT_ALREADY_DRAWN', 409, {
    vi: 'Ngày này đã được chọn mẫu; mẫu không thể chọn lại',
    en: 'This day has been drawn already; a sample is never drawn twice',
  }),
  notFound: defineError('POST_AUDIT_NOT_FOUND', 404, { vi: 'Không tìm thấy', en: 'Not found' }),
  itemConcluded: defineError('POST_AUDIT_ITEM_CONCLUDED', 409, { vi: 'Hồ sơ này đã có kết luận hậu kiểm', en: 'This item is already concluded' }),
  noteRequired: defineError('POST_AUDIT_NOTE_REQUIRED', 422, { vi: 'Kết luận hậu kiểm cần nêu rõ căn cứ', en: 'A post-audit finding needs its reasons' }),
};

/** The instants of a Vietnam calendar day `YYYY-MM-DD`. */
export function vnDay(day: string): { from: Date; to: Date } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) throw PostAuditErrors.badDay({ day });
  return { from: new Date(ms - VN_OFFSET_MS), to: new Date(ms - VN_OFFSET_MS + DAY_MS) };
}

export interface DrawSummary {
  id: string;
  day: string;
  seed: string;
  auditHeadSeq: number;
  candidateCount: number;
  candidatesSha256: string;
  notEvaluated: string[];
  sampled: number;
}

export async function drawDay(ctx: AppContext, principal: Principal | null, day: string): Promise<DrawSummary> {
  const now = ctx.now();
  const { from, to } = vnDay(day);
  if (to > now) throw PostAuditErrors.dayNotOver({ day });
  return ctx.db.tx(async (q) => {
    if (await store.findDrawByDay(q, day)) throw PostAuditErrors.alreadyDrawn({ day });
    // The draw's own audit event fixes the seed: it depends on the whole chain before it.
    const head = await appendAuditEvent(q, {
      type: 'post_audit.draw',
      at: now,
      actor: principal ? { userId: principal.userId, role: principal.role } : null,
      subjectType: 'post_audit_day',
      subjectId: day,
      data: { day },
    });
    const seed = drawSeed(day, head.hash);
    const { candidates, policies } = await store.loadCandidates(q, from, to);
    const draw = drawSample(candidates, policies, seed);
    const id = await store.insertDraw(q, { day, seed, head, policies, draw, by: principal?.userId ?? null, at: now });
    return {
      id,
      day,
      seed,
      auditHeadSeq: head.seq,
      candidateCount: draw.candidateCount,
      candidatesSha256: draw.candidatesSha256,
      notEvaluated: draw.notEvaluated,
      sampled: draw.items.length,
    };
  });
}

export interface DrawCheck {
  drawId: string;
  day: string;
  /** The recorded sample is exactly what the recorded seed and policies give on the same candidates. */
  matches: boolean;
  candidatesMatch: boolean;
  stored: string[];
  recomputed: string[];
}

/** Re-runs a recorded draw: same candidates (by digest), same seed and policies ⇒ the same dossiers. */
export async function verifyDraw(ctx: AppContext, id: string): Promise<DrawCheck> {
  const row = await store.getDraw(ctx.db, id);
  if (!row) throw PostAuditErrors.notFound();
  const { from, to } = vnDay(row.day);
  const { candidates } = await store.loadCandidates(ctx.db, from, to);
  const again = drawSample(candidates, row.policies, row.seed);
  const stored = (await store.listItems(ctx.db, { drawId: id, limit: 1_000_000, offset: 0 })).map((i) => i.dossierId).sort();
  const recomputed = again.items.map((i) => i.dossierId).sort();
  const candidatesMatch = again.candidatesSha256 === row.candidatesSha256;
  return { drawId: id, day: row.day, matches: candidatesMatch && stored.join() === recomputed.join(), candidatesMatch, stored, recomputed };
}

export function listDraws(ctx: AppContext, limit = 60) {
  return store.listDraws(ctx.db, limit);
}

export async function inspectionQueue(ctx: AppContext, principal: Principal, f: { state?: 'open' | 'concluded'; limit: number; offset: number }) {
  return ctx.db.tx(async (q) => {
    const items = await store.listItems(q, f);
    await appendAuditEvent(q, {
      type: 'post_audit.queue.read',
      at: ctx.now(),
      actor: { userId: principal.userId, role: principal.role },
      subjectType: 'post_audit_item',
      subjectId: null,
      data: { state: f.state ?? null, returned: items.length },
    });
    return items;
  });
}

/**
 * An inspector's finding on a sampled dossier. A discrepancy is recorded as a request to revoke the result; the
 * revocation itself is the competent leader's act in the results room.
 */
export async function concludeInspection(
  ctx: AppContext,
  principal: Principal,
  itemId: string,
  input: { finding: 'consistent' | 'discrepancy'; note: string },
): Promise<{ id: string; finding: string }> {
  const now = ctx.now();
  const note = input.note.normalize('NFC').trim();
  if (!note) throw PostAuditErrors.noteRequired();
  return ctx.db.tx(async (q) => {
    const item = await store.getItemDossier(q, itemId);
    if (!item) throw PostAuditErrors.notFound();
    if (!(await store.concludeItem(q, itemId, { finding: input.finding, note, inspectorId: principal.userId, at: now }))) throw PostAuditErrors.itemConcluded();
    await appendAuditEvent(q, {
      type: 'post_audit.concluded',
      at: now,
      actor: { userId: principal.userId, role: principal.role },
      agencyId: item.agencyId,
      subjectType: 'dossier',
      subjectId: item.dossierId,
      data: { itemId, finding: input.finding, revocationRequested: input.finding === 'discrepancy' },
    });
    return { id: itemId, finding: input.finding };
  });
}
