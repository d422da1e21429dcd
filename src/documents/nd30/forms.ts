/**
 * Builders for the one-stop forms of TT 03/2025/TT-VPCP, Phụ lục I (forms 01–07), from plain data. Each returns an
 * AdministrativeDocument for renderAdministrativeDocument; none reads a database or the clock.
 *
 * The form titles are those listed for TT 03/2025 Phụ lục I in reference/regulations.md §3. The official form
 * bodies were not available to us, so the wording around the data is hoso's own plain statement of the fields the
 * issues require (docs/documents.md says which parts are verified and which are not).
 */
import type { ValidityBasis } from '../../catalog/schema.ts';
import { formatShortDate, formatShortDateTime, formatVietnameseInstant, vietnamDateParts } from './format.ts';
import { cleanText } from './text.ts';
import type { AdministrativeDocument, Block, DocumentNumber, Signer, TableColumn } from './types.ts';

export const FORM_TITLES = {
  '01': 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
  '02': 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
  '03': 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
  '04': 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
  '05': 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
  '06': 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
  '07': 'SỔ THEO DÕI HỒ SƠ',
} as const;

export type FormNumber = keyof typeof FORM_TITLES;

/** The one-stop office that issues the form, as it appears in the ND 30 header. */
export interface IssuingOffice {
  /** Cơ quan chủ quản, e.g. "Ủy ban nhân dân Thành phố Hà Nội". */
  governingBody?: string;
  /** e.g. "Trung tâm Phục vụ hành chính công Thành phố Hà Nội". */
  name: string;
  /** Place of the date line, e.g. "Hà Nội". */
  place: string;
}

export interface Applicant {
  /** A person's full name or an organisation's name. */
  fullName: string;
  /** CCCD / personal identification number or tax code. */
  idNumber?: string;
  address?: string;
  phone?: string;
  email?: string;
}

export interface ProcedureRef {
  name: string;
  /** National procedure code, e.g. "1.000948". */
  code?: string;
}

/** What every form shares: who issues it, its number and date, who signs, who receives it. */
export interface FormCommon {
  office: IssuingOffice;
  number?: DocumentNumber;
  issuedAt: Date;
  signer?: Signer;
  recipients?: readonly string[];
}

/** A component's validity basis (R2), or an exemption from digitisation (TT 03/2025 Art. 5). */
export type ComponentBasis = ValidityBasis | 'EXEMPT';

const BASIS_LABELS: Record<ComponentBasis, string> = {
  DIGITIZED_SIGNED: 'Số hóa từ bản giấy, ký số khi tiếp nhận',
  ECOPY_FROM_REGISTER: 'Bản sao điện tử từ sổ gốc',
  E_CERTIFIED: 'Bản sao điện tử có chứng thực',
  SELF_DECLARED: 'Tự kê khai trực tuyến',
  REUSED: 'Tái sử dụng từ kho dữ liệu điện tử',
  EXEMPT: 'Không số hóa (thuộc trường hợp miễn)',
};

/** Vietnamese wording of a validity basis, as printed on the receipt. */
export function validityBasisLabel(basis: ComponentBasis): string {
  return BASIS_LABELS[basis];
}

function nonEmpty(value: string | undefined, what: string): string {
  const text = cleanText(value ?? '').trim();
  if (text === '') throw new RangeError(`${what} is empty`);
  return text;
}

function header(common: FormCommon, form: FormNumber): Omit<AdministrativeDocument, 'body'> {
  nonEmpty(common.office.name, 'The issuing office');
  return {
    governingBody: common.office.governingBody,
    issuingAgency: common.office.name,
    number: common.number,
    place: common.office.place,
    date: common.issuedAt,
    title: FORM_TITLES[form],
    signer: common.signer,
    recipients: common.recipients && common.recipients.length > 0 ? { items: common.recipients } : undefined,
  };
}

function applicantItems(applicant: Applicant): { label: string; value: string }[] {
  const items = [{ label: 'Tên cá nhân, tổ chức', value: nonEmpty(applicant.fullName, "The applicant's name") }];
  if (applicant.idNumber) items.push({ label: 'Số định danh cá nhân / mã số thuế', value: applicant.idNumber });
  if (applicant.address) items.push({ label: 'Địa chỉ', value: applicant.address });
  if (applicant.phone) items.push({ label: 'Số điện thoại', value: applicant.phone });
  if (applicant.email) items.push({ label: 'Thư điện tử', value: applicant.email });
  return items;
}

function procedureText(procedure: ProcedureRef): string {
  const name = nonEmpty(procedure.name, 'The procedure name');
  return procedure.code ? `${name} (mã thủ tục ${procedure.code})` : name;
}

function dossierSummary(dossierCode: string): string {
  return `Mã hồ sơ: ${nonEmpty(dossierCode, 'The dossier code')}`;
}

const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
const heading = (text: string): Block => ({ kind: 'heading', text });
const numberColumn: TableColumn = { header: 'STT', width: 0.7, align: 'center' };

// ————————————————————————————————————————— Form 01 —————————————————————————————————————————

export interface ReceivedComponent {
  name: string;
  basis: ComponentBasis;
  /** What backs the basis: "Chữ ký số hợp lệ (báo cáo kiểm tra VR-…)", the exemption reason, the e-store reference. */
  evidence?: string;
}

export interface ReceiptData extends FormCommon {
  dossierCode: string;
  applicant: Applicant;
  procedure: ProcedureRef;
  components: readonly ReceivedComponent[];
  /** The reception instant: the processing clock starts here. */
  receivedAt: Date;
  /** The promised result date, from the working-day calendar (R5). */
  promisedAt: Date;
  /** The legal processing time, e.g. "05 ngày làm việc". */
  processingTime?: string;
  /** How the result is delivered, e.g. "Nhận trực tuyến trên Cổng Dịch vụ công". */
  resultDelivery?: string;
  /** The public status page: its URL (carried by the QR) and the lookup secret printed for typing it in by hand. */
  statusPage: { url: string; secret?: string };
}

/** Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export function buildReceipt(data: ReceiptData): AdministrativeDocument {
  if (data.components.length === 0) throw new RangeError('A receipt lists at least one component');
  if (data.promisedAt.getTime() < data.receivedAt.getTime()) throw new RangeError('The promised date precedes the reception');
  const office = cleanText(data.office.name);
  const tracking = data.statusPage.secret
    ? `tra cứu tại ${data.statusPage.url} với mã hồ sơ ${data.dossierCode} và mã tra cứu ${data.statusPage.secret}, hoặc quét mã QR dưới đây.`
    : `tra cứu tại ${data.statusPage.url} với mã hồ sơ ${data.dossierCode}, hoặc quét mã QR dưới đây.`;
  const body: Block[] = [
    { kind: 'paragraph', text: `${office} đã tiếp nhận hồ sơ của:`, indent: false, align: 'left' },
    { kind: 'keyValue', items: [...applicantItems(data.applicant), { label: 'Nội dung yêu cầu giải quyết', value: procedureText(data.procedure) }] },
    heading('1. Thành phần hồ sơ đã nộp:'),
    {
      kind: 'table',
      columns: [numberColumn, { header: 'Tên thành phần hồ sơ', width: 5 }, { header: 'Căn cứ giá trị pháp lý', width: 4 }],
      rows: data.components.map((c, i) => [
        String(i + 1),
        nonEmpty(c.name, 'A component name'),
        c.evidence ? `${validityBasisLabel(c.basis)}: ${c.evidence}` : validityBasisLabel(c.basis),
      ]),
    },
  ];
  let n = 2;
  if (data.processingTime) body.push({ kind: 'keyValue', items: [{ label: `${n++}. Thời gian giải quyết hồ sơ theo quy định`, value: data.processingTime }] });
  body.push({
    kind: 'keyValue',
    items: [
      // The short dd/mm/yyyy form as well: it is what applicants type into the status page and what officers file by.
      { label: `${n++}. Thời gian nhận hồ sơ`, value: `${formatVietnameseInstant(data.receivedAt)} (${formatShortDateTime(data.receivedAt)})` },
      { label: `${n++}. Thời gian trả kết quả giải quyết hồ sơ`, value: `${formatVietnameseInstant(data.promisedAt)} (${formatShortDateTime(data.promisedAt)})` },
      ...(data.resultDelivery ? [{ label: `${n++}. Hình thức nhận kết quả`, value: data.resultDelivery }] : []),
    ],
  });
  body.push({ kind: 'paragraph', text: `${n++}. Theo dõi quá trình giải quyết hồ sơ: ${tracking}`, indent: false, align: 'left' });
  return {
    ...header(data, '01'),
    summary: dossierSummary(data.dossierCode),
    body,
    qr: { url: data.statusPage.url, caption: `Quét mã QR để tra cứu tình trạng giải quyết hồ sơ ${data.dossierCode}` },
  };
}

// ————————————————————————————————————————— Form 02 —————————————————————————————————————————

export interface SupplementItem {
  /** The component that is missing or whose e-version is not valid. */
  component: string;
  /** Why, and what to provide: every item needs one (R3). */
  reason: string;
}

export interface SupplementRequestData extends FormCommon {
  dossierCode: string;
  applicant: Applicant;
  procedure: ProcedureRef;
  receivedAt: Date;
  /** Only the missing or invalid components, each with its reason. */
  items: readonly SupplementItem[];
  /** Where to supplement online, e.g. the status page. */
  supplementUrl?: string;
}

/** Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export function buildSupplementRequest(data: SupplementRequestData): AdministrativeDocument {
  if (data.items.length === 0) throw new RangeError('A supplement request names at least one component');
  const rows = data.items.map((item, i) => [
    String(i + 1),
    nonEmpty(item.component, 'A component name'),
    nonEmpty(item.reason, `The reason for "${item.component}"`),
  ]);
  const where = data.supplementUrl
    ? `Ông/Bà bổ sung trực tuyến tại ${data.supplementUrl} hoặc tại ${cleanText(data.office.name)}.`
    : `Ông/Bà bổ sung tại ${cleanText(data.office.name)} hoặc trực tuyến trên Cổng Dịch vụ công.`;
  return {
    ...header(data, '02'),
    summary: dossierSummary(data.dossierCode),
    body: [
      paragraph(
        `${formatVietnameseInstant(data.receivedAt)}, ${cleanText(data.office.name)} tiếp nhận hồ sơ của ${cleanText(data.applicant.fullName)} đề nghị giải quyết thủ tục ${procedureText(data.procedure)}.`,
      ),
      paragraph('Sau khi xem xét, đề nghị Ông/Bà bổ sung, hoàn thiện các thành phần hồ sơ sau:'),
      { kind: 'table', columns: [numberColumn, { header: 'Thành phần hồ sơ', width: 4 }, { header: 'Lý do, nội dung cần bổ sung, hoàn thiện', width: 5 }], rows },
      paragraph(where),
      paragraph('Thời gian chờ bổ sung, hoàn thiện hồ sơ không tính vào thời gian giải quyết hồ sơ.'),
    ],
  };
}

// ————————————————————————————————————————— Form 03 —————————————————————————————————————————

export interface RefusalData extends FormCommon {
  dossierCode?: string;
  applicant: Applicant;
  procedure: ProcedureRef;
  submittedAt: Date;
  reasons: readonly string[];
}

/** Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export function buildRefusal(data: RefusalData): AdministrativeDocument {
  const reasons = data.reasons.map((r) => nonEmpty(r, 'A refusal reason'));
  if (reasons.length === 0) throw new RangeError('A refusal states at least one reason');
  return {
    ...header(data, '03'),
    summary: data.dossierCode ? dossierSummary(data.dossierCode) : undefined,
    body: [
      paragraph(
        `${formatVietnameseInstant(data.submittedAt)}, ${cleanText(data.office.name)} nhận được hồ sơ của ${cleanText(data.applicant.fullName)} đề nghị giải quyết thủ tục ${procedureText(data.procedure)}.`,
      ),
      paragraph('Hồ sơ không được tiếp nhận giải quyết vì lý do sau:'),
      ...reasons.map((r): Block => ({ kind: 'paragraph', text: `- ${r}` })),
      paragraph('Xin thông báo để Ông/Bà được biết.'),
    ],
  };
}

// ————————————————————————————————————————— Form 04 —————————————————————————————————————————

export interface ApologyData extends FormCommon {
  dossierCode: string;
  applicant: Applicant;
  procedure: ProcedureRef;
  receivedAt: Date;
  promisedAt: Date;
  newPromisedAt: Date;
  reason: string;
}

/** Form 04: apology with the reason for the delay and the new date. */
export function buildApology(data: ApologyData): AdministrativeDocument {
  if (data.newPromisedAt.getTime() <= data.promisedAt.getTime()) throw new RangeError('The new date must follow the promised date');
  const office = cleanText(data.office.name);
  return {
    ...header(data, '04'),
    summary: dossierSummary(data.dossierCode),
    body: [
      paragraph(
        `${formatVietnameseInstant(data.receivedAt)}, ${office} tiếp nhận hồ sơ của ${cleanText(data.applicant.fullName)} đề nghị giải quyết thủ tục ${procedureText(data.procedure)}, hẹn trả kết quả lúc ${formatVietnameseInstant(data.promisedAt)}.`,
      ),
      paragraph(`Hồ sơ không thể được giải quyết đúng hạn. Lý do: ${nonEmpty(data.reason, 'The reason for the delay')}.`.replace(/\.\.$/, '.')),
      paragraph(`${office} xin lỗi Ông/Bà vì sự chậm trễ này và hẹn lại thời gian trả kết quả lúc ${formatVietnameseInstant(data.newPromisedAt)}.`),
      paragraph('Mong Ông/Bà thông cảm.'),
    ],
  };
}

// ————————————————————————————————————————— Form 05 —————————————————————————————————————————

export interface StopNoticeData extends FormCommon {
  dossierCode: string;
  applicant: Applicant;
  procedure: ProcedureRef;
  receivedAt: Date;
  /** When the applicant asked to stop (ND 118/2025 Art. 21). */
  requestedAt: Date;
  reason: string;
}

/** Form 05: Thông báo dừng giải quyết hồ sơ. */
export function buildStopNotice(data: StopNoticeData): AdministrativeDocument {
  const office = cleanText(data.office.name);
  return {
    ...header(data, '05'),
    summary: dossierSummary(data.dossierCode),
    body: [
      paragraph(
        `${formatVietnameseInstant(data.receivedAt)}, ${office} tiếp nhận hồ sơ của ${cleanText(data.applicant.fullName)} đề nghị giải quyết thủ tục ${procedureText(data.procedure)}.`,
      ),
      paragraph(`${formatVietnameseInstant(data.requestedAt)}, ${office} nhận được đề nghị dừng giải quyết hồ sơ. Lý do: ${nonEmpty(data.reason, 'The reason for stopping')}.`.replace(/\.\.$/, '.')),
      paragraph(`${office} thông báo dừng giải quyết hồ sơ nêu trên kể từ ${formatVietnameseInstant(data.issuedAt)}.`),
    ],
  };
}

// ————————————————————————————————————————— Form 06 —————————————————————————————————————————

export type HandoverOutcome = 'EARLY' | 'ON_TIME' | 'LATE';

export const HANDOVER_OUTCOME_LABELS: Record<HandoverOutcome, string> = {
  EARLY: 'Trước hạn',
  ON_TIME: 'Đúng hạn',
  LATE: 'Quá hạn',
};

/**
 * Outcome of a hand-over against its due instant: after it is late; on the due date (Asia/Ho_Chi_Minh) is on time;
 * on an earlier date is early — the three marks of the control sheet (reference/regulations.md §3).
 */
export function handoverOutcome(at: Date, due: Date): HandoverOutcome {
  if (at.getTime() > due.getTime()) return 'LATE';
  const a = vietnamDateParts(at);
  const d = vietnamDateParts(due);
  return a.year === d.year && a.month === d.month && a.day === d.day ? 'ON_TIME' : 'EARLY';
}

export interface HandoverParty {
  /** Unit, e.g. "Bộ phận Một cửa", "Phòng Kinh tế". */
  unit: string;
  /** The person, when known. */
  name?: string;
}

export interface Handover {
  giver: HandoverParty;
  receiver: HandoverParty;
  at: Date;
  /** Null while the step is still open (the receiver has not handed on yet). */
  outcome: HandoverOutcome | null;
  note?: string;
}

export interface ControlSheetData extends FormCommon {
  dossierCode: string;
  applicant: Applicant;
  procedure: ProcedureRef;
  receivedAt: Date;
  promisedAt: Date;
  handovers: readonly Handover[];
}

const party = (p: HandoverParty): string => (p.name ? `${cleanText(p.name)}\n(${cleanText(p.unit)})` : cleanText(p.unit));

/** Form 06: Phiếu kiểm soát quá trình giải quyết hồ sơ, one row per hand-over. */
export function buildControlSheet(data: ControlSheetData): AdministrativeDocument {
  return {
    ...header(data, '06'),
    summary: dossierSummary(data.dossierCode),
    body: [
      {
        kind: 'keyValue',
        items: [
          { label: 'Tên cá nhân, tổ chức', value: nonEmpty(data.applicant.fullName, "The applicant's name") },
          { label: 'Thủ tục hành chính', value: procedureText(data.procedure) },
          { label: 'Thời gian nhận hồ sơ', value: formatVietnameseInstant(data.receivedAt) },
          { label: 'Thời gian hẹn trả kết quả', value: formatVietnameseInstant(data.promisedAt) },
        ],
      },
      {
        kind: 'table',
        fontSize: 11,
        columns: [
          numberColumn,
          { header: 'Bên giao', width: 2.6 },
          { header: 'Bên nhận', width: 2.6 },
          { header: 'Thời gian giao, nhận', width: 1.8, align: 'center' },
          { header: 'Kết quả', width: 1.3, align: 'center' },
          { header: 'Ghi chú', width: 1.6 },
        ],
        rows: data.handovers.map((h, i) => [
          String(i + 1),
          party(h.giver),
          party(h.receiver),
          formatShortDateTime(h.at),
          h.outcome ? HANDOVER_OUTCOME_LABELS[h.outcome] : 'Đang giải quyết',
          cleanText(h.note ?? ''),
        ]),
      },
    ],
  };
}

// ————————————————————————————————————————— Form 07 —————————————————————————————————————————

export interface RegisterEntry {
  dossierCode: string;
  procedure: string;
  applicant: string;
  /** Address and telephone as one cell. */
  contact?: string;
  /** The agency in charge of processing. */
  handlingAgency: string;
  receivedAt: Date;
  promisedAt: Date;
  transferredAt?: Date;
  resolvedAt?: Date;
  returnedAt?: Date;
  note?: string;
}

export interface RegisterData {
  office: IssuingOffice;
  issuedAt: Date;
  period: { from: Date; to: Date };
  entries: readonly RegisterEntry[];
  signer?: Signer;
}

const optionalDate = (d: Date | undefined): string => (d ? formatShortDate(d) : '');

/** Form 07: Sổ theo dõi hồ sơ for an office and a period, on landscape pages. */
export function buildRegister(data: RegisterData): AdministrativeDocument {
  if (data.period.to.getTime() < data.period.from.getTime()) throw new RangeError('The register period ends before it starts');
  return {
    governingBody: data.office.governingBody,
    issuingAgency: nonEmpty(data.office.name, 'The issuing office'),
    place: data.office.place,
    date: data.issuedAt,
    title: FORM_TITLES['07'],
    summary: `Từ ngày ${formatShortDate(data.period.from)} đến ngày ${formatShortDate(data.period.to)}`,
    orientation: 'landscape',
    signer: data.signer,
    body: [
      {
        kind: 'table',
        fontSize: 9,
        columns: [
          { header: 'STT', width: 0.8, align: 'center' },
          { header: 'Mã hồ sơ', width: 3.2 },
          { header: 'Tên thủ tục hành chính', width: 3 },
          { header: 'Tên cá nhân, tổ chức', width: 2.2 },
          { header: 'Địa chỉ, số điện thoại', width: 2.2 },
          { header: 'Cơ quan chủ trì giải quyết', width: 2 },
          { header: 'Nhận hồ sơ', width: 1.8, align: 'center' },
          { header: 'Hẹn trả kết quả', width: 1.8, align: 'center' },
          { header: 'Chuyển hồ sơ đến cơ quan giải quyết', width: 1.8, align: 'center' },
          { header: 'Có kết quả giải quyết', width: 1.8, align: 'center' },
          { header: 'Trả kết quả', width: 1.8, align: 'center' },
          { header: 'Ghi chú', width: 1.2 },
        ],
        rows: data.entries.map((e, i) => [
          String(i + 1),
          e.dossierCode,
          e.procedure,
          e.applicant,
          e.contact ?? '',
          e.handlingAgency,
          formatShortDate(e.receivedAt),
          formatShortDate(e.promisedAt),
          optionalDate(e.transferredAt),
          optionalDate(e.resolvedAt),
          optionalDate(e.returnedAt),
          e.note ?? '',
        ]),
      },
    ],
  };
}
