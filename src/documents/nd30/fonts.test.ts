import { describe, expect, it } from 'vitest';
import { textWidth } from './fonts.ts';
import { renderAdministrativeDocument } from './render.ts';
import { pdftotext, SAMPLE_INSTANT } from './testkit.ts';
import type { AdministrativeDocument } from './types.ts';

/** Every text here avoids a plain capital E, so "E" is first reached as a component of the composite "Ệ". */
const withoutPlainE: AdministrativeDocument = {
  issuingAgency: 'Ủy ban nhân dân phường',
  place: 'Hà Nội',
  date: SAMPLE_INSTANT,
  title: 'Thông báo về việc',
  body: [{ kind: 'paragraph', text: 'VIỆT NAM' }],
};

describe('shared font faces', () => {
  // This file's module instance is fresh, so this is the first use of the faces in the process.
  it('keep the ToUnicode entry of a letter first used as a component of a composite glyph', async () => {
    await renderAdministrativeDocument(withoutPlainE);
    const { pdf } = await renderAdministrativeDocument({ ...withoutPlainE, title: 'Sổ theo dõi', body: [{ kind: 'paragraph', text: 'THEO DÕI HỒ SƠ' }] });
    const text = pdftotext(pdf);
    expect(text).toContain('SỔ THEO DÕI');
    expect(text).toContain('THEO DÕI HỒ SƠ');
  });

  it('measure text as Times New Roman metrics', () => {
    // Tinos is metric-compatible with Times New Roman: "M" is 0.889 em, a space 0.25 em.
    expect(textWidth('M', 'regular', 1000)).toBeCloseTo(889, 0);
    expect(textWidth(' ', 'regular', 1000)).toBeCloseTo(250, 0);
    expect(textWidth('Hường', 'bold', 14)).toBeGreaterThan(textWidth('Huong', 'regular', 14) - 1);
  });
});
