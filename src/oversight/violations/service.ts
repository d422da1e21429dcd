/**
 * The violations register: citizens' reports of being asked for paper (public, proven by the dossier code and the
 * receipt secret), refused R3 attempts imported from `violation_attempt`, and the Center's work on each entry.
 * Every change and every read of the register is audited.
 */
import type { Principal } from '../../identity/access.ts';
import { findDossierBySecret } from '../../dossiers/service.ts';
import type { AppContext } from '../../platform/context.ts';
import { defineError, Problems } from '../../platform/http/problem.ts';
import { appendAuditEvent } from '../audit/store.ts';
import { decideViolation, type ViolationAction, type ViolationSource, type ViolationState } from './rules.ts';
import * as store from './store.ts';

export const ViolationErrors = {
  notFound: defineError('VIOLATION_NOT_FOUND', 404, { vi: 'Không tìm thấy vụ việc', en: 'Register entry not found' }),
  assigneeInvalid: defineError('VIOLATION_ASSIGNEE_INVALID', 422, {
    vi: 'Người được giao phải là cán bộ giám sát hoặc kiểm tra đang hoạt động',
    en: 'The assignee must be an active supervisor or inspector',
  }),
  VIOLATION_CLOSED: defineError('VIOLATION_CLOSED', 409, { vi: 'Vụ việc đã kết thúc, không thể thay đổi', en: 'The entry is closed and cannot change' }),
  VIOLATION_NOT_ASSIGNED: defineError('VIOLATION_NOT_ASSIGNED', 409, { vi: 'Vụ việc chưa được giao cho ai', en: 'The entry is not assigned yet' }),
  VIOLATION_NOT_ASSIGNEE: defineError('VIOLATION_NOT_ASSIGNEE', 403, {
    vi: 'Chỉ người được giao mới xác minh và kết luận vụ việc',
    en: 'Only the assignee investigates and concludes the entry',
  }),
  VIOLATION_NOTE_REQUIRED: defineError('VIOLATION_NOTE_REQUIRED', 422, { vi: 'Kết luận cần nêu rõ lý do', en: 'A finding needs its reasons' }),
};

const actorOf = (p: Principal) => ({ userId: p.userId, role: p.role });

export interface ViolationJson {
  id: string;
  source: ViolationSource;
  rule: string;
  dossier: { id: string; code: string | null } | null;
  agency: { code: string; name: string | null } | null;
  description: string;
  state: ViolationState;
  assignee: { id: string; username: string | null; name: string | null } | null;
  finding: 'confirmed' | 'unfounded' | null;
  findingNote: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

function toJson(v: store.ViolationRow): ViolationJson {
  return {
    id: v.id,
    source: v.source,
    rule: v.rule,
    dossier: v.dossierId ? { id: v.dossierId, code: v.dossierCode } : null,
    agency: v.agencyCode ? { code: v.agencyCode, name: v.agencyName } : null,
    description: v.description,
    state: v.state,
    assignee: v.assigneeId ? { id: v.assigneeId, username: v.assigneeUsername, name: v.assigneeName } : null,
    finding: v.finding,
    findingNote: v.findingNote,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    closedAt: v.closedAt?.toISOString() ?? null,
  };
}

/**
 * A citizen reports being asked for paper (R3). They prove they hold the dossier with its code and the secret from
 * the receipt; the secret is never stored. The report lands in the register at once, open.
 */
export async function reportPaperRequest(
  ctx: AppContext,
  input: { code: string; secret: string; description: string; contact?: string | null },
): Promise<{ id: string; dossierCode: string | null }> {
  const now = ctx.now();
  const dossier = await findDossierBySecret(ctx, input.code.trim(), input.secret.trim());
  const description = input.description.normalize('NFC').trim();
  if (!description) throw Problems.validation({ errors: [{ path: 'body/description', message: 'required' }] });
  return ctx.db.tx(async (q) => {
    const id = await store.insertViolation(q, {
      source: 'citizen_report',
      rule: 'R3',
      dossierId: dossier.id,
      agencyId: dossier.agencyId,
      description,
      reporter: { kind: 'citizen', contact: input.contact?.normalize('NFC').trim() || null },
      at: now,
    });
    await appendAuditEvent(q, {
      type: 'violation.reported',
      at: now,
      actor: null,
      agencyId: dossier.agencyId,
      subjectType: 'violation',
      subjectId: id,
      data: { source: 'citizen_report', dossierId: dossier.id },
    });
    return { id, dossierCode: dossier.code };
  });
}

/** The register, newest first; refused attempts recorded since the last look are opened as entries first. */
export async function listRegister(
  ctx: AppContext,
  principal: Principal,
  f: { state?: ViolationState | 'active'; source?: ViolationSource; limit: number; offset: number },
): Promise<{ items: ViolationJson[]; total: number; counts: Awaited<ReturnType<typeof store.countBySource>> }> {
  const now = ctx.now();
  return ctx.db.tx(async (q) => {
    const opened = await store.importRefusedAttempts(q, now);
    for (const id of opened) {
      await appendAuditEvent(q, { type: 'violation.opened', at: now, actor: null, subjectType: 'violation', subjectId: id, data: { source: 'refused_attempt' } });
    }
    const page = await store.listViolations(q, f);
    const counts = await store.countBySource(q);
    await appendAuditEvent(q, {
      type: 'violation.register.read',
      at: now,
      actor: actorOf(principal),
      subjectType: 'violation',
      subjectId: null,
      data: { state: f.state ?? null, source: f.source ?? null, returned: page.items.length },
    });
    return { items: page.items.map(toJson), total: page.total, counts };
  });
}

export type RegisterCommand =
  | { type: 'assign'; assigneeUsername: string }
  | { type: 'start_investigation' }
  | { type: 'close'; finding: 'confirmed' | 'unfounded'; note: string };

export async function actOnViolation(ctx: AppContext, principal: Principal, id: string, cmd: RegisterCommand): Promise<ViolationJson> {
  const now = ctx.now();
  return ctx.db.tx(async (q) => {
    const row = await store.getViolation(q, id, true);
    if (!row) throw ViolationErrors.notFound();
    let action: ViolationAction;
    if (cmd.type === 'assign') {
      if (principal.role !== 'supervisor' && principal.role !== 'admin') throw Problems.forbidden({ role: principal.role });
      const u = await q.query<{ id: string }>(
        "SELECT id FROM app_user WHERE username = $1 AND role IN ('supervisor', 'inspector') AND NOT disabled",
        [cmd.assigneeUsername.trim().toLowerCase()],
      );
      if (!u.rows[0]) throw ViolationErrors.assigneeInvalid({ assignee: cmd.assigneeUsername });
      action = { type: 'assign', assigneeId: u.rows[0].id };
    } else if (cmd.type === 'start_investigation') action = { type: 'start_investigation', by: principal.userId };
    else action = { type: 'close', by: principal.userId, finding: cmd.finding, note: cmd.note };
    const decision = decideViolation(row, action, now);
    if (!decision.ok) throw ViolationErrors[decision.code]({ state: row.state });
    const next = decision.next;
    await store.updateViolation(q, id, { ...next, at: now });
    await appendAuditEvent(q, {
      type: `violation.${cmd.type}`,
      at: now,
      actor: actorOf(principal),
      agencyId: row.agencyId,
      subjectType: 'violation',
      subjectId: id,
      data: { from: row.state, to: next.state, assigneeId: next.assigneeId, finding: next.finding },
    });
    return toJson((await store.getViolation(q, id))!);
  });
}
