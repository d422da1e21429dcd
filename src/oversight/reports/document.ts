/**
 * The report as an administrative document (Nghị định 30/2020 layout): the same model as the workbook, in tables,
 * with bar charts beside the tables that carry their numbers (a chart adds a picture, the table stays the record).
 */
import type { AdministrativeDocument, Block } from '../../documents/nd30/index.ts';
import { formatShortDateTime } from '../../documents/nd30/format.ts';
import { numberText, percentText, periodText, type ReportModel, type ReportRow } from './rules.ts';

/** QĐ 766 rows carry their code and points; the directive's rows neither. */
const ratioTable = (rows: readonly ReportRow[], scored: boolean): Block => ({
  kind: 'table',
  columns: [
    ...(scored ? [{ header: 'Mã', width: 1, align: 'center' as const }] : []),
    { header: 'Chỉ số', width: 5 },
    { header: 'Tử số', width: 1.3, align: 'right' },
    { header: 'Mẫu số', width: 1.3, align: 'right' },
    { header: 'Tỷ lệ', width: 1.4, align: 'right' },
    ...(scored ? [{ header: 'Điểm', width: 1.6, align: 'right' as const }] : []),
  ],
  rows: rows.map((r) => [
    ...(scored ? [r.key] : []),
    r.name.vi,
    numberText(r.numerator),
    numberText(r.denominator),
    percentText(r.rate),
    ...(scored ? [`${numberText(r.points)}/${numberText(r.maxPoints)}`] : []),
  ]),
});

export function reportDocument(model: ReportModel, meta: { governingBody: string; issuer: string; place: string; generatedAt: Date }): AdministrativeDocument {
  const period = periodText(model.period.label);
  const groupsTitle = model.groups.dimension === 'agency' ? 'Kết quả theo cơ quan, đơn vị' : 'Kết quả theo thủ tục hành chính';
  const body: Block[] = [
    {
      kind: 'paragraph',
      text: `Trung tâm Phục vụ hành chính công báo cáo kết quả thực hiện Chỉ thị số 08/CT-UBND ngày 29/4/2025 và Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định số 766/QĐ-TTg) ${period} của ${model.scope.name}. Số liệu được tính tự động từ sự kiện của từng hồ sơ trên hệ thống, không nhập tay, tính đến ${formatShortDateTime(model.asOf)}.`,
    },
    { kind: 'heading', text: '1. Bộ chỉ số QĐ 766' },
    ratioTable(model.index766.rows, true),
    { kind: 'keyValue', items: [{ label: 'Tổng điểm', value: `${numberText(model.index766.points)}/${numberText(model.index766.maxPoints)} điểm` }] },
    {
      kind: 'barChart',
      caption: 'Biểu đồ: tỷ lệ điểm đạt được của từng chỉ số',
      max: 1,
      bars: model.index766.rows.map((r) => ({
        label: `${r.key} ${r.name.vi}`,
        value: r.points !== null && r.points !== undefined && r.maxPoints ? r.points / r.maxPoints : null,
        valueText: r.points !== null && r.points !== undefined && r.maxPoints ? percentText(r.points / r.maxPoints) : '—',
      })),
    },
    { kind: 'heading', text: '2. Chỉ thị 08/CT-UBND' },
    ratioTable(model.directive.rows, false),
    {
      kind: 'keyValue',
      items: [
        { label: 'Chỉ tiêu tỷ lệ hồ sơ trực tuyến', value: percentText(model.directive.onlineTarget) },
        { label: 'Yêu cầu nộp giấy tờ bị hệ thống từ chối', value: `${numberText(model.directive.refusedPaperRequests)} lượt` },
      ],
    },
    { kind: 'heading', text: `3. ${groupsTitle}` },
  ];
  if (model.groups.items.length === 0) {
    body.push({ kind: 'paragraph', text: 'Không có hồ sơ nào trong kỳ báo cáo.' });
  } else {
    body.push({
      kind: 'table',
      columns: [
        { header: model.groups.dimension === 'agency' ? 'Cơ quan, đơn vị' : 'Thủ tục', width: 5 },
        { header: 'Điểm 766', width: 1.8, align: 'right' },
        { header: 'Đúng hạn/Đã giải quyết', width: 2.2, align: 'right' },
        { header: 'Tỷ lệ đúng hạn', width: 1.6, align: 'right' },
      ],
      rows: model.groups.items.map((g) => [
        g.name,
        `${numberText(g.points)}/${numberText(g.maxPoints)}`,
        `${numberText(g.onTime.numerator)}/${numberText(g.onTime.denominator)}`,
        percentText(g.onTime.rate),
      ]),
    });
    body.push({
      kind: 'barChart',
      caption: 'Biểu đồ: tỷ lệ giải quyết đúng hạn',
      max: 1,
      bars: model.groups.items.map((g) => ({ label: g.name, value: g.onTime.rate, valueText: percentText(g.onTime.rate) })),
    });
  }
  return {
    governingBody: meta.governingBody,
    issuingAgency: meta.issuer,
    place: meta.place,
    date: meta.generatedAt,
    title: 'Báo cáo',
    summary: `Kết quả giải quyết thủ tục hành chính trên môi trường điện tử ${period}`,
    body,
    recipients: { items: ['Ủy ban nhân dân Thành phố (để báo cáo)', 'Các cơ quan, đơn vị (để biết)', 'Lưu: VT'] },
  };
}
