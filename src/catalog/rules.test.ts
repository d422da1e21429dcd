import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  agencyCodeProblem,
  communeAgencyCode,
  foldVietnamese,
  formatDossierCode,
  gsoCodeOfCommune,
  matchesSearch,
  parseDossierCode,
  procedureSearchText,
  quotaTargetHours,
  searchTerms,
  standardQuotas,
  sumQuotaHours,
  validateCatalogFile,
  validateComponent,
  validateProcessSteps,
  vnCivilDay,
} from './rules.ts';
import { seedCatalogFile } from './seed-data.ts';
import { DEMO_AGENCY_CODES } from './demo-codes.ts';
import type { ComponentInput, StepInput } from './schema.ts';

describe('agency e-ID codes', () => {
  test.each(['000.00.12.H26', '000.A0.01.H26', '004.00.90.H26', '000.00.00.G06', '123.45.67.K01'])('%s is valid', (code) => {
    expect(agencyCodeProblem(code)).toBeNull();
  });
  test.each([
    ['000.00.12', /4 dot-separated levels/],
    ['00.00.12.H26', /level 4 must have 3 characters/],
    ['000.0.12.H26', /level 3 must have 2 characters/],
    ['000.00.12.Z26', /level 1 must be a letter A–K/],
    ['000.00.12.h26', /level 1/],
    ['000.a0.12.H26', /digits and capital letters/],
    [' 000.00.12.H26', /surrounding spaces/],
  ])('%s is refused', (code, reason) => {
    expect(agencyCodeProblem(code)).toMatch(reason);
  });
  test('every demo code is valid', () => {
    for (const code of Object.values(DEMO_AGENCY_CODES)) expect(agencyCodeProblem(code)).toBeNull();
  });
  test('commune codes derive from and back to the GSO code', () => {
    expect(communeAgencyCode('00004')).toBe('004.00.90.H26');
    expect(communeAgencyCode('10489')).toBe('489.10.90.H26');
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{5}$/), (gso) => {
        const code = communeAgencyCode(gso);
        expect(agencyCodeProblem(code)).toBeNull();
        expect(gsoCodeOfCommune(code)).toBe(gso);
      }),
    );
    expect(() => communeAgencyCode('4')).toThrow(RangeError);
    expect(gsoCodeOfCommune(DEMO_AGENCY_CODES.departmentOfHealth)).toBeNull();
  });
});

describe('Vietnamese folding and search', () => {
  test('diacritics, đ and case fold away', () => {
    expect(foldVietnamese('Cấp Giấy phép hành nghề')).toBe('cap giay phep hanh nghe');
    expect(foldVietnamese('ĐĂNG KÝ khai sinh')).toBe('dang ky khai sinh');
    expect(foldVietnamese('Đường Đê La Thành')).toBe('duong de la thanh');
    expect(foldVietnamese('  Hòa,  Thủy! ')).toBe('hoa thuy');
  });
  test('decomposed (NFD) and composed (NFC) input fold the same', () => {
    const nfc = 'Cấp phép'.normalize('NFC');
    expect(foldVietnamese(nfc.normalize('NFD'))).toBe(foldVietnamese(nfc));
  });
  test('"cap phep" and "cấp phép" find the same procedures', () => {
    const text = procedureSearchText({ key: 'x-1', name: 'Cấp mới giấy phép hành nghề', nationalCode: null, field: 'Khám bệnh, chữa bệnh' });
    expect(matchesSearch(text, searchTerms('cap phep'))).toBe(true);
    expect(matchesSearch(text, searchTerms('CẤP PHÉP'))).toBe(true);
    expect(matchesSearch(text, searchTerms('khai sinh'))).toBe(false);
    expect(searchTerms('  ')).toEqual([]);
  });
  test('folding is idempotent and yields only a–z, 0–9, dots and single spaces', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const f = foldVietnamese(s);
        expect(foldVietnamese(f)).toBe(f);
        expect(f).toMatch(/^[a-z0-9. ]*$/);
        expect(f).not.toMatch(/ {2}|^ | $/);
      }),
    );
  });
});

const steps = (quotas: number[], kinds?: StepInput['kind'][]): StepInput[] =>
  quotas.map((q, i) => ({
    kind: kinds?.[i] ?? (i === 0 ? 'reception' : i === quotas.length - 1 ? 'result_return' : 'appraisal'),
    name: `bước ${i + 1}`,
    role: 'specialist',
    agency: null,
    quotaHours: q,
  }));

describe('internal process quotas', () => {
  test('target hours follow the legal deadline', () => {
    expect(quotaTargetHours({ value: 20, unit: 'working_days' }, '15:00')).toBe(160);
    expect(quotaTargetHours({ value: 6, unit: 'working_hours' }, '15:00')).toBe(6);
    expect(quotaTargetHours({ value: 0, unit: 'working_days' }, '15:00')).toBe(2);
    expect(quotaTargetHours({ value: 0, unit: 'working_days' }, '16:30')).toBe(0.5);
  });
  test('quotas summing to the deadline pass', () => {
    expect(validateProcessSteps(steps([4, 100, 40, 16]), { value: 20, unit: 'working_days' }, '15:00')).toEqual([]);
  });
  test('quotas not summing to the deadline are refused with the sums', () => {
    const issues = validateProcessSteps(steps([4, 100, 40, 15]), { value: 20, unit: 'working_days' }, '15:00');
    expect(issues).toEqual([{ path: '/steps', reason: expect.stringMatching(/159 working hours .* 160 working hours/) }]);
  });
  test('order and granularity rules', () => {
    const bad = validateProcessSteps(steps([1, 6.9, 0.1], ['appraisal', 'reception', 'review']), { value: 8, unit: 'working_hours' }, '15:00');
    expect(bad.map((i) => i.path)).toEqual(expect.arrayContaining(['/steps/0/kind', '/steps/2/kind', '/steps/1/kind', '/steps/1/quotaHours', '/steps/2/quotaHours']));
  });
  test('standard quotas always add up exactly, in quarter hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4000 }), (quarters) => {
        const target = quarters / 4;
        const q = standardQuotas(target);
        const list = Object.values(q);
        expect(sumQuotaHours(list.map((quotaHours) => ({ quotaHours })))).toBe(target);
        for (const v of list) expect(Math.round(v * 4)).toBe(v * 4);
        expect(Math.min(...list)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('components', () => {
  const base: ComponentInput = { key: 'x', name: 'X', required: true, input: 'upload', copies: 1, acceptedBases: ['DIGITIZED_SIGNED'] };
  test('self-declared needs a form, reuse needs a document type, non-exempt needs a basis', () => {
    expect(validateComponent(base)).toEqual([]);
    expect(validateComponent({ ...base, acceptedBases: ['SELF_DECLARED'] }).map((i) => i.path)).toEqual(['/acceptedBases']);
    expect(validateComponent({ ...base, acceptedBases: ['REUSED'] }).map((i) => i.path)).toEqual(['/documentType']);
    expect(validateComponent({ ...base, acceptedBases: [] }).map((i) => i.path)).toEqual(['/acceptedBases']);
    expect(validateComponent({ ...base, acceptedBases: [], exempt: { reason: 'SHOWN_ONLY' } })).toEqual([]);
    expect(validateComponent({ ...base, acceptedBases: [], exempt: { reason: 'OTHER' } }).map((i) => i.path)).toEqual(['/exempt/note']);
    expect(validateComponent({ ...base, input: 'form' }).map((i) => i.path)).toEqual(['/formTemplate']);
  });
});

describe('catalog file validation', () => {
  test('the seed catalog is valid', () => {
    const r = validateCatalogFile(seedCatalogFile());
    expect(r.ok ? [] : r.issues).toEqual([]);
    const file = seedCatalogFile();
    expect(file.procedures.length).toBeGreaterThanOrEqual(15);
    expect(file.agencies.filter((a) => a.kind === 'commune')).toHaveLength(126);
  });

  test('structural errors come with JSON-pointer paths', () => {
    const file = structuredClone(seedCatalogFile()) as unknown as Record<string, any>;
    file.procedures[0].deadline.unit = 'calendar_days';
    file.procedures[1].components[0].acceptedBases = ['PAPER'];
    file.procedures[2].colour = 'blue';
    delete file.agencies[3].name;
    const r = validateCatalogFile(file);
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '/procedures/0/deadline/unit', reason: expect.stringMatching(/allowed values/) },
        { path: '/procedures/1/components/0/acceptedBases/0', reason: expect.stringMatching(/allowed values/) },
        { path: '/procedures/2', reason: 'unknown property "colour"' },
        { path: '/agencies/3', reason: expect.stringMatching(/name/) },
      ]),
    );
  });

  test('references and business rules are checked with paths', () => {
    const file = structuredClone(seedCatalogFile());
    file.procedures[0]!.competentAgency = '999.99.99.H26';
    file.procedures[1]!.processes[0]!.steps[2]!.quotaHours += 1;
    file.procedures[2]!.key = file.procedures[3]!.key;
    file.agencies[1]!.parentCode = '000.00.99.H26';
    const r = validateCatalogFile(file);
    const paths = r.ok ? [] : r.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/procedures/0/competentAgency', '/procedures/1/processes/0/steps', '/procedures/3/key', '/agencies/1/parentCode']),
    );
  });

  test('agencies already in the database may be referred to', () => {
    const file = { format: 'hoso-catalog', formatVersion: 1, agencies: [{ code: '000.01.12.H26', name: 'Phòng X', kind: 'other', parentCode: '000.00.12.H26' }], procedures: [] };
    expect(validateCatalogFile(file).ok).toBe(false);
    expect(validateCatalogFile(file, new Set(['000.00.12.H26'])).ok).toBe(true);
  });

  test('a parent loop is refused', () => {
    const file = {
      format: 'hoso-catalog',
      formatVersion: 1,
      agencies: [
        { code: '000.01.12.H26', name: 'A', kind: 'other', parentCode: '000.02.12.H26' },
        { code: '000.02.12.H26', name: 'B', kind: 'other', parentCode: '000.01.12.H26' },
      ],
      procedures: [],
    };
    const r = validateCatalogFile(file);
    expect(r.ok ? [] : r.issues.map((i) => i.reason)).toContain('the parent chain loops back to this agency');
  });

  test('not an object at all', () => {
    const r = validateCatalogFile([1, 2]);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.issues[0]!.path).toBe('/');
  });
});

describe('dossier codes', () => {
  test('the day is the Vietnamese civil day', () => {
    expect(vnCivilDay(new Date('2026-09-29T16:59:59Z')).yymmdd).toBe('260929');
    expect(vnCivilDay(new Date('2026-09-29T17:00:00Z'))).toEqual({ isoDay: '2026-09-30', yymmdd: '260930' });
  });
  test('at least four digits, growing past 9999', () => {
    expect(formatDossierCode('000.00.01.H26', '260930', 12)).toBe('000.00.01.H26-260930-0012');
    expect(formatDossierCode('000.00.01.H26', '260930', 9999)).toBe('000.00.01.H26-260930-9999');
    expect(formatDossierCode('000.00.01.H26', '260930', 10000)).toBe('000.00.01.H26-260930-10000');
    expect(() => formatDossierCode('000.00.01.H26', '260930', 0)).toThrow(RangeError);
  });
  test('format and parse round-trip, and distinct sequences give distinct codes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (a, b) => {
        const ca = formatDossierCode('000.00.01.H26', '260930', a);
        expect(parseDossierCode(ca)).toEqual({ agencyCode: '000.00.01.H26', yymmdd: '260930', sequence: a });
        if (a !== b) expect(ca).not.toBe(formatDossierCode('000.00.01.H26', '260930', b));
      }),
    );
    expect(parseDossierCode('000.00.01.H26-260930-012')).toBeNull();
    expect(parseDossierCode('000.00.01.H26-260930-01234')).toBeNull();
  });
});

describe('published JSON Schema', () => {
  test('docs/catalog.schema.json is the schema the import checks against (regenerate with `hoso catalog schema`)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { catalogJsonSchema } = await import('./schema.ts');
    const committed = JSON.parse(await readFile(new URL('../../docs/catalog.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(catalogJsonSchema());
  });
});
