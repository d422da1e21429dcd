/**
 * OCR benchmark: A4 pages at 200 dpi rasterised (pdftoppm) and recognised in Vietnamese per second, with the tesseract
 * program (OMP_THREAD_LIMIT=1) and with tesseract.js, one page at a time as the OCR job does; and whether the CCCD
 * suggestion read the card right. Prints one JSON line per figure.
 * Run: npx tsx bench/ocr.ts [--pages 10]
 */
import { performance } from 'node:perf_hooks';
import { openOcrEngine, rasterizePdf } from '../src/documents/ocr/engine.ts';
import { cccdSuggestion } from '../src/documents/ocr/rules.ts';
import { CARD, cardScan } from '../src/documents/ocr/testing.ts';
import { renderAdministrativeDocument } from '../src/documents/nd30/index.ts';

const pagesArg = process.argv.indexOf('--pages');
const PAGES = pagesArg > 0 ? Number(process.argv[pagesArg + 1]) : 10;

function line(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

const percentile = (ms: number[], p: number): number => +[...ms].sort((a, b) => a - b)[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1);

// A dense page (a full body of Vietnamese prose), the usual scanned paper, besides the sparse card.
const prose = await renderAdministrativeDocument({
  issuingAgency: 'Ủy ban nhân dân Phường Hoàn Kiếm',
  place: 'Hoàn Kiếm',
  date: new Date('2026-12-01T03:00:00Z'),
  title: 'Đơn đề nghị',
  body: Array.from({ length: 9 }, (_, i) => ({
    kind: 'paragraph' as const,
    text: `${i + 1}. Căn cứ hồ sơ đề nghị của bà Nguyễn Thị Hường, địa chỉ số 12 phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội, đã được tiếp nhận và thẩm định theo quy định; xét đề nghị của Trưởng phòng Kinh tế, Hạ tầng và Đô thị.`,
  })),
});

let t = performance.now();
const rasterMs: number[] = [];
let dense: Uint8Array | undefined;
for (let i = 0; i < PAGES; i++) {
  t = performance.now();
  dense = (await rasterizePdf(prose.pdf, 200))[0]!;
  rasterMs.push(performance.now() - t);
}
line({ figure: 'ocr.rasterize_a4_200dpi', pages: PAGES, p50_ms: percentile(rasterMs, 0.5), p95_ms: percentile(rasterMs, 0.95) });

const card = await cardScan();
for (const name of ['tesseract', 'tesseract.js'] as const) {
  const engine = await openOcrEngine(name).catch(() => null);
  if (!engine) {
    line({ figure: `ocr.${name}`, skipped: 'not installed' });
    continue;
  }
  try {
    await engine.recognize(card); // warm-up (tesseract.js loads its model once)
    for (const [kind, image] of [['card', card], ['dense_page', dense!]] as const) {
      const ms: number[] = [];
      let chars = 0;
      const start = performance.now();
      for (let i = 0; i < PAGES; i++) {
        const t0 = performance.now();
        chars = (await engine.recognize(image)).text.length;
        ms.push(performance.now() - t0);
      }
      const s = (performance.now() - start) / 1000;
      line({ figure: `ocr.${name}.${kind}`, pages: PAGES, pages_per_s: +(PAGES / s).toFixed(2), p50_ms: percentile(ms, 0.5), p95_ms: percentile(ms, 0.95), chars });
    }
    const s = cccdSuggestion((await engine.recognize(card)).text, new Date());
    line({ figure: `ocr.${name}.cccd_suggestion`, number_ok: s.idNumber === CARD.number, date_ok: s.dateOfBirth === '1985-03-12', name: s.fullName });
  } finally {
    await engine.close();
  }
}
