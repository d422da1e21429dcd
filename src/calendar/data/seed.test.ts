import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateCalendarData } from '../rules.ts';
import { SEED_CALENDAR_DATA } from './seed.ts';

const regulations = readFileSync(
  fileURLToPath(new URL('../../../../shared/reference/regulations.md', import.meta.url)),
  'utf8',
);

describe('seed of announced days off 2025–2027', () => {
  it('is valid administrator data covering 2025, 2026 and 2027', () => {
    expect(validateCalendarData(SEED_CALENDAR_DATA)).toEqual([]);
    expect(SEED_CALENDAR_DATA.years.map((y) => [y.year, y.announced])).toEqual([
      [2025, true],
      [2026, true],
      [2027, false],
    ]);
  });

  it('carries the 2026 schedule stated in regulations.md §7', () => {
    // The reference states these facts; fail loudly if either side changes.
    expect(regulations).toContain('Fri 02/01 is worked on **Sat 10/01**');
    expect(regulations).toContain('Tết: **14/02 – 22/02** (9 days)');
    expect(regulations).toContain('Mon 31/08 is worked on **Sat 22/08**');
    const y2026 = SEED_CALENDAR_DATA.years.find((y) => y.year === 2026)!;
    expect(y2026.makeUpWorkingDays.map((d) => d.date)).toEqual(['2026-01-10', '2026-08-22']);
    const off = new Set(y2026.daysOff.map((d) => d.date));
    for (const d of ['2026-01-02', '2026-08-31', '2026-02-14', '2026-02-15', '2026-02-21', '2026-02-22']) expect(off.has(d)).toBe(true);
    expect(y2026.tetDays).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
  });

  it('every entry has a Vietnamese reason in NFC and a source', () => {
    for (const y of SEED_CALENDAR_DATA.years) {
      for (const e of [...y.daysOff, ...y.makeUpWorkingDays]) {
        expect(e.reason.normalize('NFC')).toBe(e.reason);
        expect(e.source).toBeTruthy();
      }
    }
  });
});
