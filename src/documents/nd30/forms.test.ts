import { describe, expect, it } from 'vitest';
import {
  FORM_TITLES,
  buildApology,
  buildControlSheet,
  buildReceipt,
  buildRefusal,
  buildRegister,
  buildStopNotice,
  buildSupplementRequest,
  handoverOutcome,
  type ReceiptData,
} from './forms.ts';
import { renderAdministrativeDocument } from './render.ts';
import { pdftotext, qpdfCheck, SAMPLE_APPLICANT, SAMPLE_COMMON, SAMPLE_INSTANT, SAMPLE_OFFICE, SAMPLE_PROCEDURE } from './testkit.ts';
import type { AdministrativeDocument } from './types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CODE = '000.00.01.H26-260205-0012';

/** Renders and extracts; every form must also pass qpdf, so structure breaks show here too. */
async function text(doc: AdministrativeDocument): Promise<string> {
  const { pdf } = await renderAdministrativeDocument(doc);
  qpdfCheck(pdf);
  const extracted = pdftotext(pdf);
  expect(extracted).toBe(extracted.normalize('NFC'));
  return `${extracted}\n${pdftotext(pdf, [])}`;
}

/**
 * The layout text with every run of white space (line ends included) made one space, so an assertion can span a
 * wrapped line; table cells are checked with the reading-order text (`flat`), where a cell's lines stay together.
 */
const squeeze = (s: string): string => s.replace(/\s+/g, ' ');

function expectHeader(extracted: string): void {
  for (const s of ['ỦY BAN NHÂN DÂN', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'Hà Nội, ngày 05 tháng 02 năm 2026']) {
    expect(extracted).toContain(s);
  }
}

const receipt: ReceiptData = {
  ...SAMPLE_COMMON,
  dossierCode: CODE,
  applicant: SAMPLE_APPLICANT,
  procedure: SAMPLE_PROCEDURE,
  components: [
    { name: 'Đơn đề nghị cấp Giấy chứng nhận', basis: 'SELF_DECLARED' },
    { name: 'Giấy chứng nhận đăng ký hộ kinh doanh', basis: 'E_CERTIFIED', evidence: 'chữ ký số hợp lệ' },
    { name: 'Giấy xác nhận kiến thức về an toàn thực phẩm', basis: 'DIGITIZED_SIGNED' },
  ],
  receivedAt: SAMPLE_INSTANT,
  promisedAt: new Date(SAMPLE_INSTANT.getTime() + 14 * DAY + 6 * HOUR),
  processingTime: '10 ngày làm việc',
  resultDelivery: 'Nhận trực tuyến trên Cổng Dịch vụ công',
  statusPage: { url: `https://hoso.example.vn/tra-cuu/${CODE}`, secret: 'K7M2QX' },
};

describe('form 01 — receipt', () => {
  it('prints the dossier code, applicant, components with bases, instants and how to follow the dossier', async () => {
    const doc = buildReceipt(receipt);
    expect(doc.qr?.url).toBe(receipt.statusPage.url);
    const t = await text(doc);
    expectHeader(t);
    const s = squeeze(t);
    for (const expected of [
      FORM_TITLES['01'],
      `Mã hồ sơ: ${CODE}`,
      'Số: 12/GTN-TTPVHCC',
      'TRUNG TÂM PHỤC VỤ HÀNH',
      'Nguyễn Thị Hường',
      'Phường Hoàn Kiếm',
      '001190012345',
      'Tự kê khai trực tuyến',
      'Bản sao điện tử có chứng thực:',
      'Số hóa từ bản giấy, ký số khi',
      'Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 05 tháng 02 năm 2026',
      'Thời gian trả kết quả giải quyết hồ sơ: 15 giờ 30 phút, ngày 19 tháng 02 năm 2026',
      'K7M2QX',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
      'Lê Thị Ngọc Ánh',
    ]) {
      expect(s).toContain(expected);
    }
  });

  it('refuses a receipt without components or with a promised date before reception', () => {
    expect(() => buildReceipt({ ...receipt, components: [] })).toThrow(RangeError);
    expect(() => buildReceipt({ ...receipt, promisedAt: new Date(SAMPLE_INSTANT.getTime() - DAY) })).toThrow(RangeError);
  });
});

describe('form 02 — supplement request', () => {
  it('lists only the named components, each with its reason', async () => {
    const doc = buildSupplementRequest({
      ...SAMPLE_COMMON,
      number: { value: 3, symbol: 'PYCBS-TTPVHCC' },
      dossierCode: CODE,
      applicant: SAMPLE_APPLICANT,
      procedure: SAMPLE_PROCEDURE,
      receivedAt: SAMPLE_INSTANT,
      items: [{ component: 'Giấy xác nhận kiến thức về an toàn thực phẩm', reason: 'Chữ ký số không hợp lệ: chứng thư đã bị thu hồi' }],
    });
    const s = squeeze(await text(doc));
    expect(s).toContain(FORM_TITLES['02']);
    expect(s).toContain('Số: 03/PYCBS-TTPVHCC');
    expect(s).toContain('chứng thư đã bị thu hồi');
    expect(s).not.toContain('Giấy chứng nhận đăng ký hộ kinh doanh');
  });

  it('refuses an empty list or an item without a reason', () => {
    const base = { ...SAMPLE_COMMON, dossierCode: CODE, applicant: SAMPLE_APPLICANT, procedure: SAMPLE_PROCEDURE, receivedAt: SAMPLE_INSTANT };
    expect(() => buildSupplementRequest({ ...base, items: [] })).toThrow(RangeError);
    expect(() => buildSupplementRequest({ ...base, items: [{ component: 'Đơn', reason: '  ' }] })).toThrow(RangeError);
  });
});

describe('forms 03–05', () => {
  it('03 states each refusal reason', async () => {
    const s = squeeze(
      await text(
        buildRefusal({
          ...SAMPLE_COMMON,
          applicant: SAMPLE_APPLICANT,
          procedure: SAMPLE_PROCEDURE,
          submittedAt: SAMPLE_INSTANT,
          reasons: ['Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân Phường Hoàn Kiếm'],
        }),
      ),
    );
    expect(s).toContain(FORM_TITLES['03']);
    expect(s).toContain('- Thủ tục không thuộc thẩm quyền');
    expect(() => buildRefusal({ ...SAMPLE_COMMON, applicant: SAMPLE_APPLICANT, procedure: SAMPLE_PROCEDURE, submittedAt: SAMPLE_INSTANT, reasons: [] })).toThrow(RangeError);
  });

  it('04 apologises with the reason and the new date, which must be later', async () => {
    const data = {
      ...SAMPLE_COMMON,
      dossierCode: CODE,
      applicant: SAMPLE_APPLICANT,
      procedure: SAMPLE_PROCEDURE,
      receivedAt: SAMPLE_INSTANT,
      promisedAt: new Date('2026-02-19T08:30:00Z'),
      newPromisedAt: new Date('2026-03-04T08:30:00Z'),
      reason: 'Cần xác minh thực tế tại cơ sở',
    };
    const s = squeeze(await text(buildApology(data)));
    expect(s).toContain(FORM_TITLES['04']);
    expect(s).toContain('Lý do: Cần xác minh thực tế tại cơ sở.');
    expect(s).toContain('15 giờ 30 phút, ngày 04 tháng 3 năm 2026');
    expect(() => buildApology({ ...data, newPromisedAt: data.promisedAt })).toThrow(RangeError);
  });

  it('05 notifies the stop with the request instant', async () => {
    const s = squeeze(
      await text(
        buildStopNotice({
          ...SAMPLE_COMMON,
          dossierCode: CODE,
          applicant: SAMPLE_APPLICANT,
          procedure: SAMPLE_PROCEDURE,
          receivedAt: new Date('2026-02-02T02:00:00Z'),
          requestedAt: new Date('2026-02-04T07:45:00Z'),
          reason: 'Theo đề nghị của người nộp hồ sơ',
        }),
      ),
    );
    expect(s).toContain('THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(s).toContain('14 giờ 45 phút, ngày 04 tháng 02 năm 2026');
  });
});

describe('form 06 — control sheet', () => {
  it('classifies hand-overs against their due instant in Hanoi time', () => {
    const due = new Date('2026-02-06T10:00:00Z'); // 17:00 on 6 February in Hanoi
    expect(handoverOutcome(new Date('2026-02-05T09:00:00Z'), due)).toBe('EARLY');
    expect(handoverOutcome(new Date('2026-02-05T17:30:00Z'), due)).toBe('ON_TIME'); // 00:30 on the 6th
    expect(handoverOutcome(new Date('2026-02-06T09:59:00Z'), due)).toBe('ON_TIME');
    expect(handoverOutcome(new Date('2026-02-06T10:01:00Z'), due)).toBe('LATE');
  });

  it('prints one row per hand-over with giver, receiver, instant and mark', async () => {
    const s = squeeze(
      await text(
        buildControlSheet({
          office: SAMPLE_OFFICE,
          issuedAt: SAMPLE_INSTANT,
          dossierCode: CODE,
          applicant: SAMPLE_APPLICANT,
          procedure: SAMPLE_PROCEDURE,
          receivedAt: SAMPLE_INSTANT,
          promisedAt: new Date('2026-02-19T08:30:00Z'),
          handovers: [
            { giver: { unit: 'Bộ phận Một cửa', name: 'Lê Thị Ngọc Ánh' }, receiver: { unit: 'Phòng Kinh tế', name: 'Phạm Đức Hưng' }, at: new Date('2026-02-05T03:00:00Z'), outcome: 'EARLY' },
            { giver: { unit: 'Phòng Kinh tế', name: 'Phạm Đức Hưng' }, receiver: { unit: 'Lãnh đạo Ủy ban' }, at: new Date('2026-02-20T01:00:00Z'), outcome: 'LATE', note: 'Chờ xác minh' },
          ],
        }),
      ),
    );
    expect(s).toContain(FORM_TITLES['06']);
    expect(s).toContain('Trước hạn');
    expect(s).toContain('Quá hạn');
    expect(s).toContain('Phạm Đức Hưng');
    expect(s).toContain('10:00 05/02/2026');
    expect(s).toContain('08:00 20/02/2026');
  });
});

describe('form 07 — register', () => {
  it('renders a landscape table over pages for a period', async () => {
    const entries = Array.from({ length: 30 }, (_, i) => ({
      dossierCode: `000.00.01.H26-260205-${String(i + 1).padStart(4, '0')}`,
      procedure: SAMPLE_PROCEDURE.name,
      applicant: i % 2 ? 'Nguyễn Thị Hường' : 'Công ty TNHH Thương mại Đông Dương',
      contact: 'Phường Hoàn Kiếm, 0912 345 678',
      handlingAgency: 'Phòng Kinh tế',
      receivedAt: SAMPLE_INSTANT,
      promisedAt: new Date('2026-02-19T08:30:00Z'),
      resolvedAt: i % 3 === 0 ? new Date('2026-02-18T08:30:00Z') : undefined,
    }));
    const doc = buildRegister({
      office: SAMPLE_OFFICE,
      issuedAt: SAMPLE_INSTANT,
      period: { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-02-05T00:00:00Z') },
      entries,
    });
    const { pdf, pageCount } = await renderAdministrativeDocument(doc);
    expect(pageCount).toBeGreaterThan(1);
    const s = squeeze(pdftotext(pdf, []));
    // Dossier codes break before a hyphen in the narrow column, so the code stays whole apart from the line break.
    expect(s).toContain('000.00.01.H26-260205 -0030');
    expect(s).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(s).toContain('Từ ngày 01/02/2026 đến ngày 05/02/2026');
    expect(s).toContain('Công ty TNHH Thương mại Đông Dương');
    expect(() => buildRegister({ office: SAMPLE_OFFICE, issuedAt: SAMPLE_INSTANT, period: { from: SAMPLE_INSTANT, to: new Date(0) }, entries: [] })).toThrow(RangeError);
  });
});
