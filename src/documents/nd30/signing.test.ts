/**
 * The renderer's contract with the signing engine: its PDF takes the leader's visible signature in the returned box
 * and the agency seal after it (the double signature of a result, issue 6), and both validate.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoPki, type DemoPki } from '../../signatures/pki/index.ts';
import { demoSigning, signPdf } from '../../signatures/signing/index.ts';
import { validatePdf } from '../../signatures/validation/index.ts';
import { buildReceipt } from './forms.ts';
import { renderAdministrativeDocument } from './render.ts';
import { SAMPLE_APPLICANT, SAMPLE_COMMON, SAMPLE_INSTANT, SAMPLE_PROCEDURE, withPdfFile } from './testkit.ts';

describe('rendered documents and the signing engine', () => {
  let dir: string;
  let pki: DemoPki;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoso-nd30-sign-'));
    pki = await createDemoPki(dir, {
      people: [{ id: 'ngoc-anh', commonName: 'Lê Thị Ngọc Ánh', organization: 'Trung tâm Phục vụ hành chính công Phường Hoàn Kiếm' }],
      seals: [{ id: 'ttpvhcc', organization: 'Trung tâm Phục vụ hành chính công Phường Hoàn Kiếm' }],
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('signs visibly in the signature box, then seals, and both signatures validate', async () => {
    const code = '000.00.01.H26-260205-0012';
    const { pdf, signatureBox } = await renderAdministrativeDocument(
      buildReceipt({
        ...SAMPLE_COMMON,
        dossierCode: code,
        applicant: SAMPLE_APPLICANT,
        procedure: SAMPLE_PROCEDURE,
        components: [{ name: 'Đơn đề nghị cấp Giấy chứng nhận', basis: 'SELF_DECLARED' }],
        receivedAt: SAMPLE_INSTANT,
        promisedAt: new Date('2026-02-19T08:30:00Z'),
        statusPage: { url: `https://hoso.example.vn/tra-cuu/${code}` },
      }),
    );
    expect(signatureBox).toBeDefined();
    const demo = demoSigning(pki);
    const signed = await signPdf(pdf, {
      ...demo.options,
      signer: await demo.person('ngoc-anh'),
      level: 'B-T',
      appearance: { kind: 'visible', ...signatureBox! },
    });
    const sealed = await signPdf(signed.bytes, { ...demo.options, signer: await demo.seal('ttpvhcc'), level: 'B-T' });

    const report = await validatePdf(sealed.bytes, { trustAnchors: pki.trustAnchors });
    const signatures = report.signatures.filter((s) => s.type === 'signature');
    expect(signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);

    // The appearance's text lies inside the box the renderer reserved (pdftotext -bbox: y grows downwards).
    const bbox = withPdfFile(sealed.bytes, (path) => execFileSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8' }));
    const word = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Người<\/word>/.exec(bbox);
    expect(word).not.toBeNull();
    const [xMin, yMin, xMax, yMax] = word!.slice(1).map(Number);
    const pageHeight = 297 * (72 / 25.4);
    const box = signatureBox!;
    expect(xMin).toBeGreaterThanOrEqual(box.x - 0.5);
    expect(xMax).toBeLessThanOrEqual(box.x + box.width + 0.5);
    expect(yMin).toBeGreaterThanOrEqual(pageHeight - box.y - box.height - 0.5);
    expect(yMax).toBeLessThanOrEqual(pageHeight - box.y + 0.5);
  });
});
