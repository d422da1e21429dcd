/**
 * The report as an XLSX workbook: Vietnamese headers, one sheet per part, rates and totals as formulas (with their
 * computed values cached, so a reader that does not recalculate still shows them). Deterministic for one model.
 */
import ExcelJS from 'exceljs';
import { formatShortDateTime } from '../../documents/nd30/format.ts';
import { periodText, type ReportModel, type ReportRow } from './rules.ts';

const PERCENT_FORMAT = '0.0%';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };

function titleRows(ws: ExcelJS.Worksheet, title: string, model: ReportModel, columns: number): void {
  const lines = [title, `Phạm vi: ${model.scope.name}`, `Kỳ báo cáo: ${periodText(model.period.label)} — số liệu tính đến ${formatShortDateTime(model.asOf)}`];
  lines.forEach((text, i) => {
    const row = ws.getRow(i + 1);
    row.getCell(1).value = text;
    row.getCell(1).font = { bold: i === 0, size: i === 0 ? 14 : 11 };
    ws.mergeCells(i + 1, 1, i + 1, columns);
  });
}

function headerRow(ws: ExcelJS.Worksheet, at: number, headers: readonly string[]): void {
  const row = ws.getRow(at);
  headers.forEach((h, i) => {
    const c = row.getCell(i + 1);
    c.value = h;
    c.font = { bold: true };
    c.fill = HEADER_FILL;
    c.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    c.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
}

/** Rate as a formula over the row's numerator (column `num`) and denominator (column `den`), blank when 0. */
function rateCell(r: number, num: string, den: string, rate: number | null): ExcelJS.CellFormulaValue {
  return { formula: `IF(${den}${r}=0,"",${num}${r}/${den}${r})`, result: rate ?? '' };
}

function ratioSheet(wb: ExcelJS.Workbook, name: string, title: string, model: ReportModel, rows: readonly ReportRow[], withPoints: boolean): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 5 }] });
  const headers = ['Mã', 'Chỉ số', 'Tử số', 'Mẫu số', 'Tỷ lệ', ...(withPoints ? ['Điểm', 'Điểm tối đa'] : [])];
  ws.columns = [{ width: 10 }, { width: 60 }, { width: 12 }, { width: 12 }, { width: 12 }, ...(withPoints ? [{ width: 10 }, { width: 12 }] : [])];
  titleRows(ws, title, model, headers.length);
  headerRow(ws, 5, headers);
  rows.forEach((x, i) => {
    const r = 6 + i;
    const row = ws.getRow(r);
    row.getCell(1).value = x.key;
    row.getCell(2).value = x.name.vi;
    row.getCell(3).value = x.numerator;
    row.getCell(4).value = x.denominator;
    row.getCell(5).value = rateCell(r, 'C', 'D', x.rate);
    row.getCell(5).numFmt = PERCENT_FORMAT;
    if (withPoints) {
      row.getCell(6).value = x.points ?? null;
      row.getCell(7).value = x.maxPoints ?? null;
    }
  });
  if (withPoints) {
    const first = 6;
    const last = 5 + rows.length;
    const total = ws.getRow(last + 1);
    total.getCell(2).value = 'Tổng điểm';
    total.getCell(2).font = { bold: true };
    total.getCell(6).value = { formula: `SUM(F${first}:F${last})`, result: model.index766.points };
    // The maximum counts only indicators that could be scored (a blank point cell scores nothing).
    total.getCell(7).value = { formula: `SUMPRODUCT((F${first}:F${last}<>"")*G${first}:G${last})`, result: model.index766.maxPoints };
    total.font = { bold: true };
  }
  return ws;
}

export async function reportWorkbook(model: ReportModel, meta: { issuer: string; generatedAt: Date }): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = meta.issuer;
  wb.company = meta.issuer;
  wb.created = meta.generatedAt;
  wb.modified = meta.generatedAt;
  wb.title = `Báo cáo ${periodText(model.period.label)} — ${model.scope.name}`;
  ratioSheet(wb, 'Chỉ số 766', `Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg) — ${periodText(model.period.label)}`, model, model.index766.rows, true);
  const directive = ratioSheet(wb, 'Chỉ thị 08', `Kết quả thực hiện Chỉ thị 08/CT-UBND — ${periodText(model.period.label)}`, model, model.directive.rows, false);
  const after = 6 + model.directive.rows.length + 1;
  directive.getRow(after).getCell(2).value = 'Chỉ tiêu tỷ lệ hồ sơ trực tuyến';
  directive.getRow(after).getCell(5).value = model.directive.onlineTarget;
  directive.getRow(after).getCell(5).numFmt = PERCENT_FORMAT;
  directive.getRow(after + 1).getCell(2).value = 'Yêu cầu nộp giấy tờ bị hệ thống từ chối (lượt)';
  directive.getRow(after + 1).getCell(3).value = model.directive.refusedPaperRequests;

  const groups = wb.addWorksheet(model.groups.dimension === 'agency' ? 'Theo cơ quan' : 'Theo thủ tục', { views: [{ state: 'frozen', ySplit: 5 }] });
  const headers = [model.groups.dimension === 'agency' ? 'Cơ quan, đơn vị' : 'Thủ tục', 'Mã', 'Điểm 766', 'Điểm tối đa', 'Đúng hạn', 'Đã giải quyết', 'Tỷ lệ đúng hạn'];
  groups.columns = [{ width: 50 }, { width: 18 }, { width: 10 }, { width: 12 }, { width: 10 }, { width: 14 }, { width: 14 }];
  titleRows(groups, model.groups.dimension === 'agency' ? 'Kết quả theo cơ quan, đơn vị' : 'Kết quả theo thủ tục', model, headers.length);
  headerRow(groups, 5, headers);
  model.groups.items.forEach((g, i) => {
    const r = 6 + i;
    const row = groups.getRow(r);
    row.getCell(1).value = g.name;
    row.getCell(2).value = g.key;
    row.getCell(3).value = g.points;
    row.getCell(4).value = g.maxPoints;
    row.getCell(5).value = g.onTime.numerator;
    row.getCell(6).value = g.onTime.denominator;
    row.getCell(7).value = rateCell(r, 'E', 'F', g.onTime.rate);
    row.getCell(7).numFmt = PERCENT_FORMAT;
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
