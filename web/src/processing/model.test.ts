import { describe, expect, it } from 'vitest';
import { orderedActions, slaTone, workingTimeLeft } from './model.ts';

describe('processing screen helpers', () => {
  it('offers actions in the order of daily use, only those allowed', () => {
    expect(orderedActions(['stop', 'request_supplement', 'complete_step', 'assign'])).toEqual(['complete_step', 'assign', 'request_supplement', 'stop']);
    expect(orderedActions(['record_validation'])).toEqual([]);
  });

  it('says the working time left or overdue in Vietnamese and English (8-hour office days)', () => {
    const h = 3_600_000;
    expect(workingTimeLeft({ remainingMs: 19 * h, overdueMs: 0, late: false }, 'vi')).toBe('Còn 2 ngày làm việc 3 giờ');
    expect(workingTimeLeft({ remainingMs: 90 * 60_000, overdueMs: 0, late: false }, 'vi')).toBe('Còn 1 giờ 30 phút');
    expect(workingTimeLeft({ remainingMs: 0, overdueMs: 2 * h, late: true }, 'vi')).toBe('Quá hạn 2 giờ');
    expect(workingTimeLeft({ remainingMs: 8 * h, overdueMs: 0, late: false }, 'en')).toBe('1 working day left');
    expect(workingTimeLeft({ remainingMs: 30_000, overdueMs: 0, late: false }, 'vi')).toBe('Còn dưới 1 phút');
  });

  it('colours SLA states', () => {
    expect(slaTone('late')).toBe('danger');
    expect(slaTone('due_soon')).toBe('warning');
    expect(slaTone('paused')).toBe('info');
    expect(slaTone('on_time')).toBe('success');
    expect(slaTone(null)).toBe('neutral');
  });
});
