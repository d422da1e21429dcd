import { validatePdf } from '../validation/index.ts';
import type { PadesLevel, SelfCheck } from './sign.ts';
import { SigningError } from './sign.ts';

const ORDER: Record<PadesLevel, number> = { 'B-B': 0, 'B-T': 1, 'B-LT': 2, 'B-LTA': 3 };

/**
 * A SelfCheck that runs the in-process validator: no signature may fail or be followed by disallowed changes, and
 * on freshly signed bytes the newest signature must pass with at least the requested PAdES level.
 */
export function validatorSelfCheck(o: { trustAnchors: Uint8Array[]; certificates?: Uint8Array[]; crls?: Uint8Array[]; ocsps?: Uint8Array[] }): SelfCheck {
  return async (bytes, expect) => {
    const report = await validatePdf(bytes, { trustAnchors: o.trustAnchors, certificates: o.certificates, crls: o.crls, ocsps: o.ocsps });
    if (report.error) throw new SigningError('SELF_CHECK', `validator cannot read the signed output: ${report.error.message}`);
    const sigs = report.signatures.filter((s) => s.type === 'signature');
    // libpdf counts empty signature placeholders as signed fields, the validator does not: only require that a
    // freshly signed output has signatures at all.
    if (expect.level !== 'extended' && sigs.length === 0) throw new SigningError('SELF_CHECK', 'validator found no signature in the signed output');
    const failed = report.signatures.filter((s) => s.indication === 'TOTAL_FAILED');
    if (failed.length) {
      throw new SigningError('SELF_CHECK', `validator rejects ${failed.map((s) => `${s.fieldName} (${s.subIndication ?? 'failed'}: ${s.messages.en.join(' ')})`).join(', ')}`);
    }
    const changed = report.signatures.filter((s) => s.modifiedAfterSigning === 'disallowed');
    if (changed.length) {
      throw new SigningError('SELF_CHECK', `validator: changes after ${changed.map((s) => s.fieldName).join(', ')} are not allowed (${changed.flatMap((s) => s.modifications).slice(0, 3).join('; ')})`);
    }
    if (expect.level === 'extended') return;
    const newest = sigs.reduce((a, b) => (b.revision > a.revision ? b : a));
    if (newest.indication !== 'TOTAL_PASSED') {
      throw new SigningError('SELF_CHECK', `validator: new signature ${newest.fieldName} is ${newest.indication}/${newest.subIndication ?? ''} (${newest.messages.en.join(' ')})`);
    }
    if (!newest.padesLevel || ORDER[newest.padesLevel] < ORDER[expect.level]) {
      throw new SigningError('SELF_CHECK', `validator: new signature reaches ${newest.padesLevel ?? 'no PAdES level'}, expected ${expect.level}`);
    }
  };
}
