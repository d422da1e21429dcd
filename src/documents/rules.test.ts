import { describe, expect, it } from 'vitest';
import {
  assessComponent,
  assessDossier,
  type ComponentRequirement,
  type ProvidedComponent,
  type ReusedEvidence,
} from './rules.ts';

const passed = { reportId: 'rep-1', indication: 'TOTAL_PASSED' as const };
const def = (over: Partial<ComponentRequirement> = {}): ComponentRequirement => ({
  key: 'birth-cert',
  name: 'Giấy khai sinh',
  required: true,
  acceptedBases: ['DIGITIZED_SIGNED', 'ECOPY_FROM_REGISTER', 'E_CERTIFIED', 'SELF_DECLARED', 'REUSED'],
  exempt: null,
  ...over,
});
const codes = (a: ReturnType<typeof assessComponent>) => (a.status === 'invalid' ? a.problems.map((p) => p.code) : []);

describe('assessComponent — signature-based bases need a TOTAL_PASSED report', () => {
  for (const basis of ['ECOPY_FROM_REGISTER', 'E_CERTIFIED'] as const) {
    it(`${basis}: valid only with a passed report`, () => {
      expect(assessComponent(def(), { kind: 'basis', basis, documentId: 'doc', validation: passed })).toEqual({ status: 'valid', basis });
      expect(codes(assessComponent(def(), { kind: 'basis', basis, documentId: 'doc', validation: null }))).toEqual(['signature_report_missing']);
      expect(codes(assessComponent(def(), { kind: 'basis', basis, documentId: 'doc', validation: { reportId: ' ', indication: 'TOTAL_PASSED' } }))).toEqual([
        'signature_report_missing',
      ]);
      for (const indication of ['TOTAL_FAILED', 'INDETERMINATE'] as const) {
        expect(codes(assessComponent(def(), { kind: 'basis', basis, documentId: 'doc', validation: { reportId: 'r', indication } }))).toEqual([
          'signature_not_passed',
        ]);
      }
      expect(codes(assessComponent(def(), { kind: 'basis', basis, documentId: '', validation: passed }))).toEqual(['document_missing']);
    });
  }

  it('DIGITIZED_SIGNED also needs the converter (Law 20/2023 Art. 12)', () => {
    const ok: ProvidedComponent = { kind: 'basis', basis: 'DIGITIZED_SIGNED', documentId: 'doc', validation: passed, convertedBy: 'officer-7' };
    expect(assessComponent(def(), ok).status).toBe('valid');
    expect(codes(assessComponent(def(), { ...ok, convertedBy: '' }))).toEqual(['conversion_mark_missing']);
  });
});

describe('assessComponent — other bases', () => {
  it('SELF_DECLARED needs an authenticated submission', () => {
    const p: ProvidedComponent = { kind: 'basis', basis: 'SELF_DECLARED', documentId: 'form', submission: { id: 'sub-1', authenticated: true } };
    expect(assessComponent(def(), p).status).toBe('valid');
    expect(codes(assessComponent(def(), { ...p, submission: { id: 'sub-1', authenticated: false } }))).toEqual(['submission_not_authenticated']);
    expect(codes(assessComponent(def(), { ...p, submission: { id: '', authenticated: true } }))).toEqual(['submission_not_authenticated']);
  });

  it('REUSED needs a reference and a valid original basis, and must not be revoked', () => {
    const p: ReusedEvidence = {
      kind: 'basis',
      basis: 'REUSED',
      source: 'estore',
      reference: 'estore:abc',
      original: { kind: 'basis', basis: 'E_CERTIFIED', documentId: 'doc', validation: passed },
    };
    expect(assessComponent(def(), p)).toEqual({ status: 'valid', basis: 'REUSED' });
    expect(codes(assessComponent(def(), { ...p, reference: '' }))).toEqual(['reuse_reference_missing']);
    expect(codes(assessComponent(def(), { ...p, revoked: true }))).toEqual(['reused_document_revoked']);
    expect(
      codes(assessComponent(def(), { ...p, original: { kind: 'basis', basis: 'E_CERTIFIED', documentId: 'doc', validation: { reportId: 'r', indication: 'TOTAL_FAILED' } } })),
    ).toEqual(['reused_original_invalid']);
  });

  it('a basis the procedure does not accept is invalid even with good evidence', () => {
    const p: ProvidedComponent = { kind: 'basis', basis: 'SELF_DECLARED', documentId: 'form', submission: { id: 's', authenticated: true } };
    expect(codes(assessComponent(def({ acceptedBases: ['E_CERTIFIED'] }), p))).toEqual(['basis_not_accepted']);
  });

  it('missing reports whether the catalog requires the component', () => {
    expect(assessComponent(def(), undefined)).toEqual({ status: 'missing', required: true });
    expect(assessComponent(def({ required: false }), null)).toEqual({ status: 'missing', required: false });
  });

  it('exemptions: allowed when the catalog marks the component exempt, or for a classified item; OTHER needs a note', () => {
    const shown = def({ exempt: { reason: 'SHOWN_ONLY' } });
    expect(assessComponent(shown, { kind: 'exempt', reason: 'SHOWN_ONLY', note: null })).toEqual({ status: 'exempt', reason: 'SHOWN_ONLY' });
    expect(assessComponent(def(), { kind: 'exempt', reason: 'CLASSIFIED', note: null })).toEqual({ status: 'exempt', reason: 'CLASSIFIED' });
    expect(codes(assessComponent(def(), { kind: 'exempt', reason: 'SHOWN_ONLY', note: null }))).toEqual(['exemption_not_allowed']);
    expect(codes(assessComponent(shown, { kind: 'exempt', reason: 'OTHER', note: '  ' }))).toEqual(['exemption_note_required']);
    expect(assessComponent(shown, { kind: 'exempt', reason: 'OTHER', note: 'Bản gốc duy nhất' }).status).toBe('exempt');
  });
});

describe('assessDossier', () => {
  it('R1 completeness and what a supplement may name', () => {
    const defs = [
      def({ key: 'a' }),
      def({ key: 'b' }),
      def({ key: 'c', required: false }),
      def({ key: 'd', exempt: { reason: 'SHOWN_ONLY' } }),
    ];
    const provided: Record<string, ProvidedComponent> = {
      a: { kind: 'basis', basis: 'E_CERTIFIED', documentId: 'x', validation: passed },
      b: { kind: 'basis', basis: 'E_CERTIFIED', documentId: 'x', validation: { reportId: 'r', indication: 'TOTAL_FAILED' } },
      d: { kind: 'exempt', reason: 'SHOWN_ONLY', note: null },
    };
    const r = assessDossier(defs, provided);
    expect(r.complete).toBe(false);
    expect(r.invalid).toEqual(['b']);
    expect(r.missingRequired).toEqual([]);
    expect(r.supplementable).toEqual(['b', 'c']);
    const fixed = assessDossier(defs, { ...provided, b: provided.a! });
    expect(fixed.complete).toBe(true);
    expect(fixed.supplementable).toEqual(['c']);
    expect(assessDossier(defs, {}).missingRequired).toEqual(['a', 'b', 'd']);
  });
});
