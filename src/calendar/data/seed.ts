/**
 * Seed of the Government's yearly announcements (days off, swapped days, make-up working Saturdays) for the civil
 * service, 2025–2027. Statutory holidays and compensatory days are computed from the law in `rules.ts`; only what
 * the law leaves to the yearly decision is here. Provenance: ./SOURCES.md. An administrator maintains later years.
 */
import type { CalendarData, CalendarEntry } from '../rules.ts';

function block(from: string, to: string, reason: string, source: string): CalendarEntry[] {
  const out: CalendarEntry[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push({ date: new Date(t).toISOString().slice(0, 10), reason, source });
  }
  return out;
}

const CV_8726_2024 = 'Công văn 8726/VPCP-KGVX ngày 26/11/2024 của Văn phòng Chính phủ';
const TB_2026 =
  'Thông báo lịch nghỉ năm 2026 của Bộ Nội vụ theo ý kiến Thủ tướng/Phó Thủ tướng (vietnamnews.vn/society/1732658; vietnamnews.vn/politics-laws/1727514; en.sggp.org.vn/prime-minister-approves-9-day-tet-break-for-2026-post120979.html)';

export const SEED_CALENDAR_DATA: CalendarData = {
  years: [
    {
      year: 2025,
      announced: true,
      sources: [
        `${CV_8726_2024} (nghỉ Tết Âm lịch, Quốc khánh, hoán đổi ngày làm việc dịp 30/4–1/5 năm 2025) — luatvietnam.vn/tin-van-ban-moi/tet-nguyen-dan-at-ty-2025-nghi-9-ngay-lien-tuc-186-100057-article.html`,
        'Lịch nghỉ 30/4–4/5 và 30/8–2/9/2025 — aeonmall-tanphuceladon-en.com/tin-tuc/nghi-le-30-04-01-05-lien-tiep-trong-5-ngay',
      ],
      // 5 Tết days = 28 tháng Chạp Giáp Thìn .. mùng 3 tháng Giêng Ất Tỵ (Mon 27/01 – Fri 31/01).
      tetDays: ['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'],
      nationalDayAdjacent: '2025-09-01',
      daysOff: [
        ...block('2025-01-25', '2025-01-26', 'Nghỉ Tết Âm lịch Ất Tỵ (nghỉ hằng tuần trong đợt nghỉ 25/01–02/02/2025)', CV_8726_2024),
        ...block('2025-02-01', '2025-02-02', 'Nghỉ Tết Âm lịch Ất Tỵ (nghỉ hằng tuần trong đợt nghỉ 25/01–02/02/2025)', CV_8726_2024),
        { date: '2025-05-02', reason: 'Nghỉ lễ 30/4–1/5 (hoán đổi: làm bù thứ Bảy 26/04/2025)', source: CV_8726_2024 },
        ...block('2025-05-03', '2025-05-04', 'Nghỉ lễ 30/4–1/5 (nghỉ hằng tuần trong đợt nghỉ 30/04–04/05/2025)', CV_8726_2024),
        ...block('2025-08-30', '2025-08-31', 'Nghỉ lễ Quốc khánh (nghỉ hằng tuần trong đợt nghỉ 30/08–02/09/2025)', CV_8726_2024),
      ],
      makeUpWorkingDays: [
        { date: '2025-04-26', reason: 'Làm bù cho thứ Sáu 02/05/2025 (nghỉ lễ 30/4–1/5)', source: CV_8726_2024 },
      ],
    },
    {
      year: 2026,
      announced: true,
      sources: [TB_2026],
      // 5 Tết days = 29 tháng Chạp Ất Tỵ .. mùng 4 tháng Giêng Bính Ngọ (Mon 16/02 – Fri 20/02).
      tetDays: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'],
      nationalDayAdjacent: '2026-09-01',
      daysOff: [
        { date: '2026-01-02', reason: 'Nghỉ Tết Dương lịch (hoán đổi: làm bù thứ Bảy 10/01/2026)', source: TB_2026 },
        ...block('2026-01-03', '2026-01-04', 'Nghỉ Tết Dương lịch (nghỉ hằng tuần trong đợt nghỉ 01/01–04/01/2026)', TB_2026),
        ...block('2026-02-14', '2026-02-15', 'Nghỉ Tết Âm lịch Bính Ngọ (nghỉ hằng tuần trong đợt nghỉ 14/02–22/02/2026)', TB_2026),
        ...block('2026-02-21', '2026-02-22', 'Nghỉ Tết Âm lịch Bính Ngọ (nghỉ hằng tuần trong đợt nghỉ 14/02–22/02/2026)', TB_2026),
        ...block('2026-08-29', '2026-08-30', 'Nghỉ lễ Quốc khánh (nghỉ hằng tuần trong đợt nghỉ 29/08–02/09/2026)', TB_2026),
        { date: '2026-08-31', reason: 'Nghỉ lễ Quốc khánh (hoán đổi: làm bù thứ Bảy 22/08/2026)', source: TB_2026 },
      ],
      makeUpWorkingDays: [
        { date: '2026-01-10', reason: 'Làm bù cho thứ Sáu 02/01/2026 (Tết Dương lịch)', source: TB_2026 },
        { date: '2026-08-22', reason: 'Làm bù cho thứ Hai 31/08/2026 (Quốc khánh)', source: TB_2026 },
      ],
    },
    {
      year: 2027,
      announced: false,
      sources: [],
      note:
        'Chưa có thông báo của Chính phủ về lịch nghỉ năm 2027 (Tết Đinh Mùi: mùng 1 = thứ Bảy 06/02/2027). Ngày nghỉ tính theo Bộ luật Lao động 2019 (Điều 112, nghỉ bù theo Điều 111 khoản 3); cập nhật khi có thông báo.',
      daysOff: [],
      makeUpWorkingDays: [],
    },
  ],
};
