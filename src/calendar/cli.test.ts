import { describe, expect, it } from 'vitest';
import type { CliIO } from '../cli/command.ts';
import { main } from '../cli/main.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (s) => out.push(s), err: (s) => err.push(s) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('hoso calendar due', () => {
  it('prints the due instant as JSON with +07:00', async () => {
    const r = await run('calendar', 'due', '--from', '2026-02-12T10:00:00+07:00', '--days', '5', '--json');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(r.out)).toEqual({ due: '2026-02-26T10:00:00+07:00' });
  });

  it('accepts other offsets and hours, applying the cut-off', async () => {
    // 09:00Z = 16:00 in Hanoi, after the 15:00 cut-off: counting starts Monday 23/02 (after Tết) at 08:00.
    const r = await run('calendar', 'due', '--from', '2026-02-13T09:00:00Z', '--hours', '3', '--json');
    expect(JSON.parse(r.out)).toEqual({ due: '2026-02-23T11:00:00+07:00' });
    // 4 h end exactly at the 12:00 closing: the due instant is where counting resumes (docs/calendar.md).
    const four = await run('calendar', 'due', '--from', '2026-02-13T09:00:00Z', '--hours', '4', '--json');
    expect(JSON.parse(four.out)).toEqual({ due: '2026-02-23T13:00:00+07:00' });
    const none = await run('calendar', 'due', '--from', '2026-02-13T09:00:00Z', '--hours=1.5', '--cutoff', 'none', '--json');
    expect(JSON.parse(none.out)).toEqual({ due: '2026-02-23T08:30:00+07:00' });
    const custom = await run('calendar', 'due', '--from', '2026-03-02T16:00', '--days', '1', '--cutoff', '16:30', '--json');
    expect(JSON.parse(custom.out)).toEqual({ due: '2026-03-03T16:00:00+07:00' });
  });

  it('takes pauses', async () => {
    const r = await run(
      'calendar', 'due', '--from', '2026-03-05T09:00', '--days', '1',
      '--pause', '2026-03-06T08:30/2026-03-09T14:00', '--json',
    );
    expect(JSON.parse(r.out)).toEqual({ due: '2026-03-09T14:30:00+07:00' });
  });

  it('prints a readable Vietnamese summary without --json', async () => {
    const r = await run('calendar', 'due', '--from', '2026-02-12T16:00', '--days', '1');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Tiếp nhận:      16:00 12/02/2026 (Thứ Năm)');
    expect(r.out).toContain('Bắt đầu tính:   08:00 13/02/2026 (Thứ Sáu)');
    expect(r.out).toContain('Hạn giải quyết: 08:00 23/02/2026 (Thứ Hai)');
    expect(r.out).toContain('2026-02-23T08:00:00+07:00');
  });

  it.each([
    [['--days', '1'], '--from is required'],
    [['--from', 'yesterday', '--days', '1'], '--from must be an ISO-8601'],
    [['--from', '2026-02-30T10:00', '--days', '1'], '--from must be an ISO-8601'],
    [['--from', '2026-03-02T10:00'], 'exactly one of --days N or --hours H'],
    [['--from', '2026-03-02T10:00', '--days', '1', '--hours', '2'], 'exactly one of --days N or --hours H'],
    [['--from', '2026-03-02T10:00', '--days', '1.5'], '--days must be a whole number'],
    [['--from', '2026-03-02T10:00', '--days', '-1'], '--days must be a whole number'],
    [['--from', '2026-03-02T10:00', '--hours', 'abc'], '--hours must be a number'],
    [['--from', '2026-03-02T10:00', '--days', '1', '--cutoff', '25:00'], '--cutoff must be HH:MM'],
    [['--from', '2026-03-02T10:00', '--days', '1', '--pause', '2026-03-02T11:00'], '--pause must be START/END'],
    [['--from', '2026-03-02T10:00', '--days', '1', '--bogus'], 'unknown option --bogus'],
    [['--from', '2026-03-02T10:00', '--days', '1', 'extra'], 'unexpected argument'],
  ])('rejects %j with exit 2', async (args, message) => {
    const r = await run('calendar', 'due', ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
    expect(r.err).toContain('Usage: hoso calendar due');
  });

  it('--help shows the usage', async () => {
    const r = await run('calendar', 'due', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('--cutoff HH:MM');
  });
});

describe('hoso calendar year', () => {
  it('lists 2026 as JSON (holidays and announced days off, not ordinary weekends)', async () => {
    const r = await run('calendar', 'year', '2026', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      nonWorking: [
        '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04',
        '2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22',
        '2026-04-26', '2026-04-27', '2026-04-30', '2026-05-01',
        '2026-08-29', '2026-08-30', '2026-08-31', '2026-09-01', '2026-09-02',
      ],
      makeUpWorking: ['2026-01-10', '2026-08-22'],
    });
  });

  it('lists 2025 with the make-up Saturday 26/04', async () => {
    const r = await run('calendar', 'year', '2025', '--json');
    const j = JSON.parse(r.out) as { nonWorking: string[]; makeUpWorking: string[] };
    expect(j.makeUpWorking).toEqual(['2025-04-26']);
    expect(j.nonWorking).toContain('2025-05-02');
    expect(j.nonWorking).toContain('2025-01-27');
    expect(j.nonWorking).not.toContain('2025-03-01'); // an ordinary Saturday
  });

  it('prints a Vietnamese listing with dates dd/mm/yyyy and reasons', async () => {
    const r = await run('calendar', 'year', '2026');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Lịch làm việc năm 2026');
    expect(r.out).toMatch(/17\/02\/2026 {2}Thứ Ba {4}Tết Âm lịch – mùng 1 tháng Giêng năm Bính Ngọ/);
    expect(r.out).toMatch(/27\/04\/2026 {2}Thứ Hai .*Nghỉ bù: Giỗ Tổ Hùng Vương/);
    expect(r.out).toMatch(/10\/01\/2026 {2}Thứ Bảy {3}Làm bù cho thứ Sáu 02\/01\/2026/);
    expect(r.out.normalize('NFC')).toBe(r.out);
    const y2027 = await run('calendar', 'year', '2027');
    expect(y2027.out).toContain('Chưa có thông báo của Chính phủ');
    expect(y2027.out).toContain('(không có)');
  });

  it.each([[[]], [['26']], [['2026', '2027']], [['1800']], [['2026', '--bogus']]])('rejects %j with exit 2', async (args) => {
    const r = await run('calendar', 'year', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage: hoso calendar year');
  });
});
