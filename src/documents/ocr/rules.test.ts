import { describe, expect, it } from 'vitest';
import { cccdSuggestion, foldForSearch } from './rules.ts';

const AS_OF = new Date('2026-12-06T00:00:00Z');

describe('foldForSearch', () => {
  it('drops diacritics, đ and punctuation, lower-cases, in NFC or NFD alike', () => {
    expect(foldForSearch('Nguyễn Văn Đức, 12/03/1985')).toBe('nguyen van duc 12 03 1985');
    expect(foldForSearch('Nguyễn'.normalize('NFD'))).toBe('nguyen');
    expect(foldForSearch('  GIẤY   CHỨNG NHẬN—ĐĂNG KÝ ')).toBe('giay chung nhan dang ky');
  });
});

describe('cccdSuggestion', () => {
  const card = [
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    'CĂN CƯỚC CÔNG DÂN',
    'Số / No.: 001085012345',
    'Họ và tên / Full name:',
    'NGUYỄN VĂN ĐỨC',
    'Ngày sinh / Date of birth: 12/03/1985',
    'Giới tính / Sex: Nam',
  ].join('\n');

  it('reads number, name and date of birth from a card', () => {
    expect(cccdSuggestion(card, AS_OF)).toEqual({ idNumber: '001085012345', fullName: 'Nguyễn Văn Đức', dateOfBirth: '1985-03-12' });
  });

  it('mends digit lookalikes inside the number and reads a name on the label line', () => {
    const noisy = 'S0: OO1O85O12345\nHọ và tên: TRẦN THỊ BÌNH\nNgày sinh 5.7.1985';
    expect(cccdSuggestion(noisy, AS_OF)).toEqual({ idNumber: '001085012345', fullName: 'Trần Thị Bình', dateOfBirth: '1985-07-05' });
  });

  it('reads labels that lost their diacritics', () => {
    expect(cccdSuggestion('Ho va ten\nLE VAN AN\nNgay sinh: 01/01/1985\n001085012345', AS_OF)).toEqual({
      idNumber: '001085012345',
      fullName: 'Le Van An',
      dateOfBirth: '1985-01-01',
    });
  });

  it('offers nothing that would fail the typed-input checks', () => {
    // Unknown province 999, a future birth year (2099: century digit 2, year 99) and 11 digits.
    expect(cccdSuggestion('999085012345', AS_OF).idNumber).toBeNull();
    expect(cccdSuggestion('001299012345', AS_OF).idNumber).toBeNull();
    expect(cccdSuggestion('00108501234', AS_OF).idNumber).toBeNull();
    // 31/02 is no day; a name in lower case is a sentence, not the card's name line; one word is not a full name.
    expect(cccdSuggestion('Ngày sinh: 31/02/1985', AS_OF).dateOfBirth).toBeNull();
    expect(cccdSuggestion('Họ và tên:\nsố điện thoại liên hệ', AS_OF).fullName).toBeNull();
    expect(cccdSuggestion('Họ và tên:\nNGUYỄN', AS_OF).fullName).toBeNull();
  });

  it('drops a date of birth whose year the number contradicts (a misread)', () => {
    expect(cccdSuggestion('001085012345\nNgày sinh: 12/03/1986', AS_OF)).toMatchObject({ idNumber: '001085012345', dateOfBirth: null });
  });
});
