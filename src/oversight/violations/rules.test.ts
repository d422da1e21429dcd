import { describe, expect, it } from 'vitest';
import { decideViolation, type ViolationCase } from './rules.ts';

const now = new Date('2026-03-10T02:00:00Z');
const open: ViolationCase = { state: 'open', assigneeId: null, finding: null, findingNote: null, closedAt: null };

describe('violations register life cycle', () => {
  it('open → assigned → investigating → closed with a finding and its reasons', () => {
    const a = decideViolation(open, { type: 'assign', assigneeId: 'u1' }, now);
    expect(a).toEqual({ ok: true, next: { ...open, state: 'assigned', assigneeId: 'u1' } });
    const b = decideViolation((a as { next: ViolationCase }).next, { type: 'start_investigation', by: 'u1' }, now);
    expect(b.ok && b.next.state).toBe('investigating');
    const c = decideViolation((b as { next: ViolationCase }).next, { type: 'close', by: 'u1', finding: 'confirmed', note: '  Cán bộ yêu cầu bản giấy ' }, now);
    expect(c).toEqual({ ok: true, next: { state: 'closed', assigneeId: 'u1', finding: 'confirmed', findingNote: 'Cán bộ yêu cầu bản giấy', closedAt: now } });
  });
  it('re-assignment keeps an investigation going', () => {
    const inv: ViolationCase = { ...open, state: 'investigating', assigneeId: 'u1' };
    expect(decideViolation(inv, { type: 'assign', assigneeId: 'u2' }, now)).toEqual({ ok: true, next: { ...inv, assigneeId: 'u2' } });
  });
  it('refusals', () => {
    expect(decideViolation(open, { type: 'start_investigation', by: 'u1' }, now)).toEqual({ ok: false, code: 'VIOLATION_NOT_ASSIGNED' });
    expect(decideViolation(open, { type: 'close', by: 'u1', finding: 'unfounded', note: 'x' }, now)).toEqual({ ok: false, code: 'VIOLATION_NOT_ASSIGNED' });
    const assigned: ViolationCase = { ...open, state: 'assigned', assigneeId: 'u1' };
    expect(decideViolation(assigned, { type: 'close', by: 'u2', finding: 'unfounded', note: 'x' }, now)).toEqual({ ok: false, code: 'VIOLATION_NOT_ASSIGNEE' });
    expect(decideViolation(assigned, { type: 'start_investigation', by: 'u2' }, now)).toEqual({ ok: false, code: 'VIOLATION_NOT_ASSIGNEE' });
    expect(decideViolation(assigned, { type: 'close', by: 'u1', finding: 'unfounded', note: '   ' }, now)).toEqual({ ok: false, code: 'VIOLATION_NOTE_REQUIRED' });
    const closed: ViolationCase = { state: 'closed', assigneeId: 'u1', finding: 'unfounded', findingNote: 'x', closedAt: now };
    expect(decideViolation(closed, { type: 'assign', assigneeId: 'u2' }, now)).toEqual({ ok: false, code: 'VIOLATION_CLOSED' });
  });
});
