import { describe, expect, it } from 'vitest';
import { MARGINS, renderAdministrativeDocument, recipientLines } from './render.ts';
import { darkShare, pdffonts, pdfinfo, pdftotext, qpdfCheck, renderPageGray, SAMPLE_INSTANT } from './testkit.ts';
import { wrapText } from './text.ts';
import type { AdministrativeDocument } from './types.ts';

const DPI = 60;
const MM = 72 / 25.4;

function decision(rows = 3): AdministrativeDocument {
  return {
    governingBody: 'Ủy ban nhân dân Thành phố Hà Nội',
    issuingAgency: 'Ủy ban nhân dân Phường Hoàn Kiếm',
    number: { value: 7, symbol: 'QĐ-UBND' },
    place: 'Hoàn Kiếm',
    date: SAMPLE_INSTANT,
    title: 'Quyết định',
    summary: 'Về việc cấp Giấy chứng nhận đủ điều kiện an toàn thực phẩm',
    body: [
      { kind: 'heading', text: 'CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM', align: 'center' },
      {
        kind: 'paragraph',
        text: 'Căn cứ hồ sơ đề nghị của bà Nguyễn Thị Hường, địa chỉ số 12 phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội, đã được Ủy ban nhân dân Phường Hoàn Kiếm tiếp nhận và thẩm định theo quy định; xét đề nghị của Trưởng phòng Kinh tế, Hạ tầng và Đô thị.',
      },
      {
        kind: 'table',
        columns: [
          { header: 'STT', width: 0.7, align: 'center' },
          { header: 'Tên thành phần hồ sơ', width: 5 },
          { header: 'Căn cứ giá trị pháp lý', width: 4 },
        ],
        rows: Array.from({ length: rows }, (_, i) => [
          String(i + 1),
          `Thành phần hồ sơ số ${i + 1}: bản sao điện tử Giấy chứng nhận đăng ký hộ kinh doanh của hộ Nguyễn Thị Hường`,
          i % 2 === 0 ? 'Bản sao điện tử có chứng thực' : 'Số hóa từ bản giấy, ký số khi tiếp nhận',
        ]),
      },
      { kind: 'keyValue', items: [{ label: 'Lệ phí', value: '1.500.000 đồng (Một triệu năm trăm nghìn đồng)' }] },
    ],
    recipients: { items: ['Bà Nguyễn Thị Hường', 'Phòng Kinh tế, Hạ tầng và Đô thị', 'Lưu: VT, KT'] },
    signer: { authority: 'KT. Chủ tịch', position: 'Phó Chủ tịch', fullName: 'Trần Văn Ánh' },
    qr: { url: 'https://hoso.example.vn/xac-minh/QD-7-2026', caption: 'Tra cứu, xác minh văn bản điện tử' },
  };
}

describe('renderAdministrativeDocument', () => {
  it('extracts back as NFC Vietnamese with the ND 30 header, title, recipients and signer', async () => {
    const { pdf, pageCount } = await renderAdministrativeDocument(decision());
    expect(pageCount).toBe(1);
    const text = pdftotext(pdf);
    expect(text).toBe(text.normalize('NFC'));
    for (const expected of [
      'ỦY BAN NHÂN DÂN',
      'THÀNH PHỐ HÀ NỘI',
      'PHƯỜNG HOÀN KIẾM',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Số: 07/QĐ-UBND',
      'Hoàn Kiếm, ngày 05 tháng 02 năm 2026',
      'QUYẾT ĐỊNH',
      'Nguyễn Thị Hường',
      'Nơi nhận:',
      '- Lưu: VT, KT.',
      'KT. CHỦ TỊCH',
      'PHÓ CHỦ TỊCH',
      'Trần Văn Ánh',
      'Một triệu năm trăm nghìn đồng',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('embeds Tinos as subsets with Identity-H and ToUnicode', async () => {
    const { pdf } = await renderAdministrativeDocument(decision());
    const rows = pdffonts(pdf).split('\n').slice(2).filter((l) => l.trim() !== '');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      // name, type, encoding, emb, sub, uni, object id
      expect(row).toMatch(/^[A-Z]{6}\+Tinos(-Bold|-Italic|-BoldItalic)?\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s/);
    }
  });

  it('writes PDF 1.7 with a classic xref table, metadata from the input and no clock', async () => {
    const now = new Date('2026-02-05T03:15:00Z');
    const { pdf } = await renderAdministrativeDocument(decision(), { now, subject: 'Kết quả giải quyết hồ sơ' });
    const head = Buffer.from(pdf.subarray(0, 8)).toString('latin1');
    expect(head).toBe('%PDF-1.7');
    const raw = Buffer.from(pdf).toString('latin1');
    expect(raw).toMatch(/\nxref\n0 \d+\n/);
    expect(raw).not.toContain('/ObjStm');
    expect(raw).not.toContain('/XRefStm');
    const info = pdfinfo(pdf);
    expect(info).toMatch(/^Producer:\s+hoso$/m);
    expect(info).toMatch(/^Author:\s+Ủy ban nhân dân Phường Hoàn Kiếm$/m);
    expect(info).toMatch(/^Title:\s+QUYẾT ĐỊNH - Về việc cấp Giấy chứng nhận/m);
    expect(info).toMatch(/^Subject:\s+Kết quả giải quyết hồ sơ$/m);
    expect(info).toMatch(/^PDF version:\s+1\.7$/m);
    expect(info).toMatch(/^CreationDate:.*2026/m);
    expect(raw).toContain('/CreationDate (D:20260205031500Z)');
  });

  it('is deterministic: the same input gives the same bytes, another input other bytes', async () => {
    const a = await renderAdministrativeDocument(decision(), { now: SAMPLE_INSTANT });
    // Another document in between: the process-wide font caches must not leak into the next output.
    const other = decision();
    other.signer = { position: 'Chủ tịch', fullName: 'Đỗ Thị Hằng' };
    other.body = [{ kind: 'paragraph', text: 'Ẫ ẵ ỡ ự ỹ Ỷ file wifi ﬁ — “trích dẫn”' }];
    const c = await renderAdministrativeDocument(other, { now: SAMPLE_INSTANT });
    const b = await renderAdministrativeDocument(decision(), { now: SAMPLE_INSTANT });
    expect(Buffer.from(a.pdf).equals(Buffer.from(b.pdf))).toBe(true);
    expect(Buffer.from(a.pdf).equals(Buffer.from(c.pdf))).toBe(false);
  });

  it('passes qpdf --check', async () => {
    const { pdf } = await renderAdministrativeDocument(decision(40));
    expect(qpdfCheck(pdf)).toContain('No syntax or stream encoding errors found');
  });

  it('breaks a long table across pages, repeats its header and numbers pages from 2 on', async () => {
    const { pdf, pageCount, signatureBox } = await renderAdministrativeDocument(decision(40));
    expect(pageCount).toBeGreaterThanOrEqual(3);
    const pages = Array.from({ length: pageCount }, (_, i) => pdftotext(pdf, ['-layout', '-f', String(i + 1), '-l', String(i + 1)]));
    // Page 1 carries no number; every later page starts with its own number, centred in the top margin.
    expect(pages[0].trimStart().startsWith('CỘNG HÒA') || pages[0].trimStart().startsWith('ỦY BAN')).toBe(true);
    for (let i = 1; i < pageCount; i++) {
      expect(pages[i].trimStart().split('\n')[0].trim()).toBe(String(i + 1));
    }
    // Every row is printed exactly once, in order, and the header row comes back on the continuation page.
    const all = pages.join('\n');
    for (let row = 1; row <= 40; row++) expect(all).toContain(`Thành phần hồ sơ số ${row}:`);
    expect(pages[1]).toContain('Tên thành phần hồ sơ');
    expect(all.indexOf('số 39:')).toBeGreaterThan(all.indexOf('số 2:'));
    // The signer block follows the table, on the last page.
    expect(signatureBox?.page).toBe(pageCount - 1);
    expect(pages[pageCount - 1]).toContain('Trần Văn Ánh');
  });

  it('returns a signature box inside the page, right of centre and empty; the QR box is drawn', async () => {
    const { pdf, signatureBox, qrBox } = await renderAdministrativeDocument(decision());
    expect(signatureBox).toBeDefined();
    expect(qrBox).toBeDefined();
    const box = signatureBox!;
    const pageWidth = 210 * MM;
    const pageHeight = 297 * MM;
    expect(box.x).toBeGreaterThan(pageWidth / 2 - 40);
    expect(box.x + box.width).toBeLessThanOrEqual(pageWidth - MARGINS.right + 0.01);
    expect(box.y).toBeGreaterThan(MARGINS.bottom);
    expect(box.height).toBeGreaterThan(20 * MM);

    const image = renderPageGray(pdf, 1, DPI);
    expect(Math.abs(image.width - (210 / 25.4) * DPI)).toBeLessThan(1.5);
    const fromTop = (r: { x: number; y: number; width: number; height: number }) => ({ x: r.x, top: pageHeight - r.y - r.height, width: r.width, height: r.height });
    // The national motto sits at the top of the right column.
    const motto = darkShare(image, DPI, { x: MARGINS.left + 0.44 * (pageWidth - MARGINS.left - MARGINS.right), top: MARGINS.top, width: 250, height: 30 });
    expect(motto).toBeGreaterThan(0.04);
    // Margins stay white; the signature area is left empty for the signing engine.
    expect(darkShare(image, DPI, { x: 0, top: 0, width: MARGINS.left - 4, height: pageHeight })).toBe(0);
    expect(darkShare(image, DPI, { x: 0, top: 0, width: pageWidth, height: MARGINS.top - 4 })).toBe(0);
    expect(darkShare(image, DPI, { ...fromTop(box), x: box.x + 4, width: box.width - 8, top: fromTop(box).top + 3, height: box.height - 6 })).toBe(0);
    // A QR code is about half dark modules.
    const qr = darkShare(image, DPI, fromTop(qrBox!));
    expect(qr).toBeGreaterThan(0.25);
    expect(qr).toBeLessThan(0.75);
  });

  it('draws bar charts to scale, with each label and value as text', async () => {
    const chart = (value: number): AdministrativeDocument => ({
      ...decision(0),
      recipients: undefined,
      signer: undefined,
      qr: undefined,
      body: [{ kind: 'barChart', caption: 'Tỷ lệ giải quyết đúng hạn', max: 1, bars: [{ label: 'Phường Hoàn Kiếm', value, valueText: `${value * 100} %` }] }],
    });
    const full = await renderAdministrativeDocument(chart(1));
    const quarter = await renderAdministrativeDocument(chart(0.25));
    const text = pdftotext(full.pdf);
    expect(text).toContain('Tỷ lệ giải quyết đúng hạn');
    expect(text).toContain('Phường Hoàn Kiếm');
    expect(text).toContain('100 %');
    const textWidth = 210 * MM - MARGINS.left - MARGINS.right;
    // The bar column, between the label column (40 %) and the value column (15 %).
    const bars = { x: MARGINS.left + 0.4 * textWidth + 8, top: 0, width: 0.45 * textWidth - 14, height: 297 * MM };
    // Less what the column holds without a bar (header lines cross it), the dark area grows with the value.
    const dark = async (pdf: Uint8Array) => darkShare(renderPageGray(pdf, 1, DPI), DPI, bars);
    const none = await dark((await renderAdministrativeDocument(chart(0))).pdf);
    const ratio = ((await dark(full.pdf)) - none) / ((await dark(quarter.pdf)) - none);
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(5);
  });

  it('draws landscape pages for wide registers', async () => {
    const doc = decision();
    doc.orientation = 'landscape';
    const { pdf } = await renderAdministrativeDocument(doc);
    expect(pdfinfo(pdf)).toMatch(/^Page size:\s+841\.89 x 595\.27\d* pts/m);
  });

  it('refuses a document without a title or issuing agency', async () => {
    await expect(renderAdministrativeDocument({ ...decision(), title: ' ' })).rejects.toThrow(RangeError);
    await expect(renderAdministrativeDocument({ ...decision(), issuingAgency: '' })).rejects.toThrow(RangeError);
  });
});

describe('layout helpers', () => {
  it('wraps within the width and breaks a word longer than a line', () => {
    const lines = wrapText('https://hoso.example.vn/tra-cuu/000.00.01.H26-260205-0012?ma=AbCdEf0123456789 xong', { size: 12 }, 100);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.width).toBeLessThanOrEqual(100.001);
    expect(lines.flatMap((l) => l.words.map((w) => w.pieces.map((p) => p.text).join(''))).join('')).toBe(
      'https://hoso.example.vn/tra-cuu/000.00.01.H26-260205-0012?ma=AbCdEf0123456789xong',
    );
  });

  it('ends recipient lines with ";" and the last with "."', () => {
    expect(recipientLines(['Như trên', '- Sở Tư pháp;', 'Lưu: VT.'])).toEqual(['- Như trên;', '- Sở Tư pháp;', '- Lưu: VT.']);
  });
});

describe('no-break spaces', () => {
  it('keep an amount and its unit on one line', () => {
    const joined = (lines: ReturnType<typeof wrapText>): string[] => lines.map((l) => l.words.map((w) => w.pieces.map((p) => p.text).join('')).join(' '));
    // Wide enough for "Lệ phí là 1.500.000" but not for the unit after it.
    const width = wrapText('Lệ phí là 1.500.000', { size: 12 }, 1000)[0].width + 3;
    expect(joined(wrapText('Lệ phí là 1.500.000 ₫', { size: 12 }, width))).toEqual(['Lệ phí là 1.500.000', '₫']);
    expect(joined(wrapText('Lệ phí là 1.500.000\u00A0₫', { size: 12 }, width))).toEqual(['Lệ phí là', '1.500.000\u00A0₫']);
  });
});
