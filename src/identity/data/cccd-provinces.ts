/**
 * Birth-registration province codes of the 12-digit personal identification number (first 3 digits of a CCCD /
 * căn cước number): Phụ lục I of Thông tư 07/2016/TT-BCA, kept by Thông tư 59/2021/TT-BCA Art. 4. Copied from
 * ../shared/data/cccd-province-codes/cccd-province-codes.csv; provenance and license in LICENSE-NOTE.md beside this
 * file. `gsoAfter2025` is the GSO code of the province the old one was merged into on 01/07/2025 (numbers already
 * issued keep their old code).
 */
export interface CccdProvince {
  /** Full province name before the 2025 merger, as in the circular. */
  name: string;
  gsoAfter2025: string;
}

export const CCCD_PROVINCES: ReadonlyMap<string, CccdProvince> = new Map<string, CccdProvince>([
  ['001', { name: 'Thành phố Hà Nội', gsoAfter2025: '01' }],
  ['002', { name: 'Tỉnh Hà Giang', gsoAfter2025: '08' }],
  ['004', { name: 'Tỉnh Cao Bằng', gsoAfter2025: '04' }],
  ['006', { name: 'Tỉnh Bắc Kạn', gsoAfter2025: '19' }],
  ['008', { name: 'Tỉnh Tuyên Quang', gsoAfter2025: '08' }],
  ['010', { name: 'Tỉnh Lào Cai', gsoAfter2025: '15' }],
  ['011', { name: 'Tỉnh Điện Biên', gsoAfter2025: '11' }],
  ['012', { name: 'Tỉnh Lai Châu', gsoAfter2025: '12' }],
  ['014', { name: 'Tỉnh Sơn La', gsoAfter2025: '14' }],
  ['015', { name: 'Tỉnh Yên Bái', gsoAfter2025: '15' }],
  ['017', { name: 'Tỉnh Hoà Bình', gsoAfter2025: '25' }],
  ['019', { name: 'Tỉnh Thái Nguyên', gsoAfter2025: '19' }],
  ['020', { name: 'Tỉnh Lạng Sơn', gsoAfter2025: '20' }],
  ['022', { name: 'Tỉnh Quảng Ninh', gsoAfter2025: '22' }],
  ['024', { name: 'Tỉnh Bắc Giang', gsoAfter2025: '24' }],
  ['025', { name: 'Tỉnh Phú Thọ', gsoAfter2025: '25' }],
  ['026', { name: 'Tỉnh Vĩnh Phúc', gsoAfter2025: '25' }],
  ['027', { name: 'Tỉnh Bắc Ninh', gsoAfter2025: '24' }],
  ['030', { name: 'Tỉnh Hải Dương', gsoAfter2025: '31' }],
  ['031', { name: 'Thành phố Hải Phòng', gsoAfter2025: '31' }],
  ['033', { name: 'Tỉnh Hưng Yên', gsoAfter2025: '33' }],
  ['034', { name: 'Tỉnh Thái Bình', gsoAfter2025: '33' }],
  ['035', { name: 'Tỉnh Hà Nam', gsoAfter2025: '37' }],
  ['036', { name: 'Tỉnh Nam Định', gsoAfter2025: '37' }],
  ['037', { name: 'Tỉnh Ninh Bình', gsoAfter2025: '37' }],
  ['038', { name: 'Tỉnh Thanh Hóa', gsoAfter2025: '38' }],
  ['040', { name: 'Tỉnh Nghệ An', gsoAfter2025: '40' }],
  ['042', { name: 'Tỉnh Hà Tĩnh', gsoAfter2025: '42' }],
  ['044', { name: 'Tỉnh Quảng Bình', gsoAfter2025: '44' }],
  ['045', { name: 'Tỉnh Quảng Trị', gsoAfter2025: '44' }],
  ['046', { name: 'Thành phố Huế', gsoAfter2025: '46' }],
  ['048', { name: 'Thành phố Đà Nẵng', gsoAfter2025: '48' }],
  ['049', { name: 'Tỉnh Quảng Nam', gsoAfter2025: '48' }],
  ['051', { name: 'Tỉnh Quảng Ngãi', gsoAfter2025: '51' }],
  ['052', { name: 'Tỉnh Bình Định', gsoAfter2025: '52' }],
  ['054', { name: 'Tỉnh Phú Yên', gsoAfter2025: '66' }],
  ['056', { name: 'Tỉnh Khánh Hòa', gsoAfter2025: '56' }],
  ['058', { name: 'Tỉnh Ninh Thuận', gsoAfter2025: '56' }],
  ['060', { name: 'Tỉnh Bình Thuận', gsoAfter2025: '68' }],
  ['062', { name: 'Tỉnh Kon Tum', gsoAfter2025: '51' }],
  ['064', { name: 'Tỉnh Gia Lai', gsoAfter2025: '52' }],
  ['066', { name: 'Tỉnh Đắk Lắk', gsoAfter2025: '66' }],
  ['067', { name: 'Tỉnh Đắk Nông', gsoAfter2025: '68' }],
  ['068', { name: 'Tỉnh Lâm Đồng', gsoAfter2025: '68' }],
  ['070', { name: 'Tỉnh Bình Phước', gsoAfter2025: '75' }],
  ['072', { name: 'Tỉnh Tây Ninh', gsoAfter2025: '80' }],
  ['074', { name: 'Tỉnh Bình Dương', gsoAfter2025: '79' }],
  ['075', { name: 'Tỉnh Đồng Nai', gsoAfter2025: '75' }],
  ['077', { name: 'Tỉnh Bà Rịa - Vũng Tàu', gsoAfter2025: '79' }],
  ['079', { name: 'Thành phố Hồ Chí Minh', gsoAfter2025: '79' }],
  ['080', { name: 'Tỉnh Long An', gsoAfter2025: '80' }],
  ['082', { name: 'Tỉnh Tiền Giang', gsoAfter2025: '82' }],
  ['083', { name: 'Tỉnh Bến Tre', gsoAfter2025: '86' }],
  ['084', { name: 'Tỉnh Trà Vinh', gsoAfter2025: '86' }],
  ['086', { name: 'Tỉnh Vĩnh Long', gsoAfter2025: '86' }],
  ['087', { name: 'Tỉnh Đồng Tháp', gsoAfter2025: '82' }],
  ['089', { name: 'Tỉnh An Giang', gsoAfter2025: '91' }],
  ['091', { name: 'Tỉnh Kiên Giang', gsoAfter2025: '91' }],
  ['092', { name: 'Thành phố Cần Thơ', gsoAfter2025: '92' }],
  ['093', { name: 'Tỉnh Hậu Giang', gsoAfter2025: '92' }],
  ['094', { name: 'Tỉnh Sóc Trăng', gsoAfter2025: '92' }],
  ['095', { name: 'Tỉnh Bạc Liêu', gsoAfter2025: '96' }],
  ['096', { name: 'Tỉnh Cà Mau', gsoAfter2025: '96' }],
]);
